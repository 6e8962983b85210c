"""Figures for the reports: every one has a title and labelled axes with units."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tagkit.language import translate as _
from tagkit.language import translate_cell
from tagkit.vocabulary import BACKTEST_METHODS, CARRY_OVER, CORE, HIT_BET, IMAGE, KEPT, PLAN_ROLES

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

COLOURS = {"ok": "#2a7f62", "warn": "#e0a526", "bad": "#c4473a", "neutral": "#9aa5b1", "accent": "#35608f"}


# Chinese, Japanese and Korean glyphs: Noto Sans CJK SC (SIL Open Font License), shipped by the mplfonts package
# (a dependency); matplotlib falls back to it, glyph by glyph, where the Latin font has none.
CJK_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")


def _libs():
    """matplotlib and seaborn, imported on first use: importing tagkit stays fast for batch code."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95)
    plt.rcParams["text.parse_math"] = False  # a '$' in a tag or a name is a dollar sign, never math markup
    cjk = _cjk_font()
    if cjk is not None:
        plt.rcParams["font.family"] = ["sans-serif", cjk]
    return plt, sns


@functools.cache
def _cjk_font() -> str | None:
    """The CJK font's family name, registered with matplotlib once (None when the font is not installed)."""
    import importlib.util

    from matplotlib import font_manager

    spec = importlib.util.find_spec(CJK_FONT[0])  # found without importing the package
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / CJK_FONT[1]
    if not path.exists():
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _laid_out(fig: "plt.Figure") -> "plt.Figure":
    """``fig`` laid out tightly, and marked as drawn: in a notebook, pyplot's after-cell hook draws every figure
    that changed, then the inline backend draws it again to make the picture; a third of each chart's time went to
    that first draw, whose result nobody sees. Saving or showing the figure still draws it whole."""
    fig.tight_layout()
    fig.stale = False
    return fig


def plot_tag_coverage(coverage: pd.DataFrame) -> "plt.Figure":
    """Share of products per dimension with a usable value, with unmatched tags only, or no tag."""
    plt, _sns = _libs()
    frame = coverage.iloc[::-1].reset_index(drop=True)
    n = frame["n_products"].where(frame["n_products"] > 0, 1)
    usable = 100 * frame["n_tagged"] / n
    unmatched = 100 * frame["n_only_unresolved"] / n
    none = (100 - usable - unmatched).clip(lower=0)
    labels = [f"{lab}{' *' if req else ''}" for lab, req in zip(frame["label"], frame["required"])]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(frame) + 1.6))
    ax.barh(labels, usable, color=COLOURS["ok"], label=_("usable value"))
    ax.barh(labels, unmatched, left=usable, color=COLOURS["warn"], label=_("only tags tagkit could not match"))
    ax.barh(labels, none, left=usable + unmatched, color=COLOURS["neutral"], alpha=0.45, label=_("no tag"))
    for y, value in enumerate(usable):
        ax.text(min(value, 97) - 1, y, f"{value:.0f}%", va="center", ha="right", color="white", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Products (%)"))
    ax.set_ylabel(_("Dimension (* = required)"))
    ax.set_title(_("Tag coverage by dimension"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(frame), 1)), ncol=3, frameon=False)
    return _laid_out(fig)


def plot_value_distribution(counts: pd.DataFrame, *, top: int = 12, columns: int = 3) -> "plt.Figure":
    """Products per value, one small chart per dimension (the ``top`` most used values)."""
    plt, sns = _libs()
    dimensions = list(dict.fromkeys(counts["dimension"]))
    rows = math.ceil(len(dimensions) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 2.9 * rows), squeeze=False)
    for ax, dimension in zip(axes.flat, dimensions):
        part = counts[counts["dimension"] == dimension].sort_values(["n_products", "value"], ascending=[False, True])
        part = part.head(top)
        y = "value_words" if "value_words" in part else "value"  # the values in the reader's words
        sns.barplot(part, x="n_products", y=y, ax=ax, color=COLOURS["accent"], orient="h")
        ax.set_title(part["dimension_label"].iloc[0] if len(part) else dimension, fontsize=10)
        ax.set_xlabel(_("Products"))
        ax.set_ylabel("")
        ax.tick_params(axis="y", labelsize=8)
    for ax in list(axes.flat)[len(dimensions) :]:
        ax.set_visible(False)
    fig.suptitle(_("Products per tag value (top {top} per dimension)", top=top), fontsize=12)
    return _laid_out(fig)


def plot_set_aside(accounting: pd.DataFrame) -> "plt.Figure":
    """Order lines set aside, by reason."""
    plt, sns = _libs()
    aside = accounting[accounting["reason"].str.startswith("set aside")].copy()
    aside["reason"] = aside["reason"].str.removeprefix("set aside: ").map(translate_cell)
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(aside), 1) + 1.4))
    if len(aside):
        sns.barplot(aside, x="rows", y="reason", ax=ax, color=COLOURS["bad"], orient="h")
    else:
        ax.text(0.5, 0.5, _("No order line was set aside"), ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(_("Order lines (count)"))
    ax.set_ylabel(_("Reason"))
    ax.set_title(_("Order lines set aside, by reason"))
    return _laid_out(fig)


def plot_hit_share(share: pd.DataFrame, *, band: tuple[float, float] = (0.05, 0.10)) -> "plt.Figure":
    """Hit share per season, against the target band."""
    plt, _sns = _libs()
    fig, ax = plt.subplots(figsize=(max(6, 0.65 * len(share) + 2) + 2, 3.8))
    low, high = band
    ax.axhspan(
        100 * low,
        100 * high,
        color=COLOURS["ok"],
        alpha=0.12,
        label=_("target band {low}-{high}", low=f"{low:.0%}", high=f"{high:.0%}"),
    )
    colours = [COLOURS["ok"] if b == "inside" else COLOURS["bad"] for b in share["band"]]
    ax.bar(share["season"], 100 * share["hit_share"], color=colours)
    for x, value in enumerate(share["hit_share"]):
        ax.text(x, 100 * value + 0.15, f"{100 * value:.1f}", ha="center", va="bottom", fontsize=8)
    top = 100 * high * 1.4
    if len(share):
        top = max(top, 100 * share["hit_share"].max() * 1.2)
    if "revenue_share" in share and share["revenue_share"].notna().any():
        ax.plot(
            range(len(share)),
            100 * share["revenue_share"],
            "o",
            color=COLOURS["accent"],
            label=_("hits' share of revenue"),
        )
        top = max(top, 100 * share["revenue_share"].max() * 1.1)
    ax.set_ylim(0, top)
    ax.set_xlabel(_("Season"))
    ax.set_ylabel(_("Hits, % of ranked catalogue (bars)\nor of revenue (dots)"))
    ax.set_title(_("Hit share per season against the target band"))
    ax.tick_params(axis="x", rotation=45)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)  # beside the bars, not on them
    return _laid_out(fig)


_ALPHA = 0.75  # of one rule's marker in the rule scatter


def plot_rule_scatter(rules: pd.DataFrame) -> "plt.Figure":
    """Every rule mined: support against lift, coloured by q-value; kept rules are outlined."""
    import numpy as np
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plt, _sns = _libs()
    fig, ax = plt.subplots(figsize=(8.5, 5))
    # Rules with the same counts fall on one point (of the demo's 18,723 rules, 3,986 points): each point is drawn
    # once, as opaque as its stack of markers at `_ALPHA` each, 1 - (1 - alpha)^n, which is what drawing the stack
    # gave (Agg draws each marker of a many-coloured scatter on its own: the demo's PNG took 0.41 s, now 0.22 s).
    points = (
        pd.DataFrame({"x": 100 * rules["support"], "y": rules["lift"], "q": rules["q_value"].clip(lower=1e-12)})
        .value_counts(sort=False, dropna=False)
        .reset_index(name="n")
    )
    # viridis runs from dark (low) to light (high): the most certain rules (lowest q) are the darkest, as the
    # page says
    dots = ax.scatter(
        points["x"],
        points["y"],
        c=np.log10(points["q"]),
        cmap="viridis",
        s=14,
        alpha=1 - (1 - _ALPHA) ** points["n"].to_numpy(),
        vmin=-12,
        vmax=0,
    )
    kept = rules["status"] == KEPT
    ax.scatter(
        100 * rules.loc[kept, "support"],
        rules.loc[kept, "lift"],
        facecolors="none",
        edgecolors=COLOURS["bad"],
        s=46,
        linewidths=1.1,
        label=_("kept rules"),
    )
    ax.axhline(1, color="grey", lw=0.8, ls="--")
    ax.set_xscale("log")
    # plain numbers: with math markup off (user text is never markup) the log scale's 10^k labels would show as code
    plain = FuncFormatter(lambda value, position: f"{value:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(_("Support (% of products that are hits and carry the tag set, log scale)"))
    ax.set_ylabel(_("Lift (x the average hit rate)"))
    ax.set_title(_("Rules: support against lift"))
    fig.colorbar(dots, ax=ax, label=_("log10 q-value (lower = more certain)"))
    ax.legend(loc="upper right", frameon=False)
    return _laid_out(fig)


def plot_lift_heatmap(table: pd.DataFrame | None, *, taxonomy=None) -> "plt.Figure | None":
    """The lift of value pairs of two dimensions (from ``lift_table``); empty cells: too few products.
    With ``taxonomy``, the dimensions and values in its words (in the page's language). Nothing (None) when there
    is no table."""
    import numpy as np

    if table is None:
        return None
    from matplotlib.colors import TwoSlopeNorm

    plt, sns = _libs()
    rows, columns = table.columns[0], table.columns[1]
    if taxonomy is not None:
        said = {c: table[c].map(lambda v, d=c: taxonomy.value_words(d, v)) for c in (rows, columns)}
        table = table.assign(**said).rename(columns={c: taxonomy.dimension_words(c) for c in (rows, columns)})
        rows, columns = table.columns[0], table.columns[1]
    grid = table.pivot(index=rows, columns=columns, values="lift")
    grid = grid.loc[grid.notna().any(axis=1), grid.notna().any(axis=0)]
    fig, ax = plt.subplots(figsize=(0.7 * len(grid.columns) + 3, 0.42 * len(grid) + 2))
    top = max(2.0, float(np.nanmax(grid.to_numpy())) if grid.size else 2.0)
    sns.heatmap(
        grid,
        ax=ax,
        cmap="RdBu_r",
        norm=TwoSlopeNorm(vcenter=1.0, vmin=0, vmax=top),
        annot=True,
        fmt=".1f",
        annot_kws={"fontsize": 7},
        cbar_kws={"label": _("Lift (x the average hit rate)")},
        linewidths=0.4,
        linecolor="white",
    )
    ax.set_xlabel(str(columns).replace("_", " ").capitalize())
    ax.set_ylabel(str(rows).replace("_", " ").capitalize())
    ax.set_title(_("Lift of {rows} x {columns} combinations", rows=rows, columns=columns))
    return _laid_out(fig)


def plot_trends(per_season: pd.DataFrame, summary: pd.DataFrame, *, top: int = 4, taxonomy=None) -> "plt.Figure":
    """Lift per season of the strongest rising and fading tags (with ``taxonomy``, named in its words)."""
    said = taxonomy.words if taxonomy is not None else str
    plt, _sns = _libs()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
    titles = {"rising": _("Rising tags"), "fading": _("Fading tags")}
    for ax, trend in zip(axes, ("rising", "fading")):
        chosen = summary[summary["trend"] == trend].head(top)["tags"]
        for name in chosen:
            part = per_season[per_season["tags"] == name]
            ax.plot(part["season"], part["lift"], marker="o", label=said(name))
        ax.axhline(1, color="grey", lw=0.8, ls="--")
        ax.set_title(titles[trend] + ("" if len(chosen) else _(" (none found)")))
        ax.set_xlabel(_("Season"))
        ax.tick_params(axis="x", rotation=45)
        if len(chosen):
            ax.legend(fontsize=8, frameon=False)
    axes[0].set_ylabel(_("Lift (x the average hit rate)"))
    fig.suptitle(_("Tags whose lift is rising or fading over the seasons"))
    return _laid_out(fig)


def plot_competitor_shares(comparison: pd.DataFrame, *, top: int = 12, taxonomy=None) -> "plt.Figure":
    """For the tag sets competitors win with most, their share among competitor best sellers, own hits
    and the own range (with ``taxonomy``, the tag sets in its words)."""
    plt, _sns = _libs()
    part = comparison.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(part) + 1.8))
    y = range(len(part))
    ax.barh(
        [i + 0.27 for i in y],
        100 * part["share_of_competitor_bestsellers"],
        height=0.27,
        color=COLOURS["bad"],
        label=_("competitor best sellers"),
    )
    ax.barh(list(y), 100 * part["share_of_own_hits"], height=0.27, color=COLOURS["ok"], label=_("own hits"))
    ax.barh(
        [i - 0.27 for i in y],
        100 * part["share_of_own_range"],
        height=0.27,
        color=COLOURS["neutral"],
        label=_("own range"),
    )
    ax.set_yticks(list(y), part["tags"].map(taxonomy.words) if taxonomy is not None else part["tags"], fontsize=8)
    ax.set_xlabel(_("Share of products with the tags (%)"))
    ax.set_title(_("What competitor best sellers have, against the brand's hits and range"))
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return _laid_out(fig)


def plot_reliability(table: pd.DataFrame) -> "plt.Figure":
    """Predicted against observed hit rates per probability bin, with the 90% interval of the observed rate."""
    plt, _sns = _libs()
    fig, ax = plt.subplots(figsize=(6.2, 5.2))
    if table.empty:
        ax.text(
            0.5,
            0.5,
            _("No season was replayed (backtest_seasons = 0)"),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    top = max(0.05, float(max(table["predicted"].max(), table["observed_high"].max())) * 1.08) if len(table) else 1
    ax.plot([0, 100 * top], [0, 100 * top], color="grey", ls="--", lw=0.9, label=_("perfect calibration"))
    ax.errorbar(
        100 * table["predicted"],
        100 * table["observed"],
        yerr=[100 * (table["observed"] - table["observed_low"]), 100 * (table["observed_high"] - table["observed"])],
        fmt="o",
        color=COLOURS["accent"],
        ecolor=COLOURS["neutral"],
        capsize=3,
        label=_("products in a bin"),
    )
    for x, y, n in zip(table["predicted"], table["observed"], table["products"]):
        ax.annotate(f"{n:,}", (100 * x, 100 * y), textcoords="offset points", xytext=(6, -10), fontsize=7)
    ax.set_xlim(0, 100 * top)
    ax.set_ylim(0, 100 * top)
    ax.set_xlabel(_("Predicted hit probability (%)"))
    ax.set_ylabel(_("Observed hit rate (%)"))
    ax.set_title(_("Calibration: predicted against observed hit rate"))
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return _laid_out(fig)


def plot_plan_waves(table: pd.DataFrame) -> "plt.Figure | None":
    """Products per release wave, by role."""
    if table is None or table.empty:  # no plan was made
        return None
    plt, _sns = _libs()
    counts = table.groupby(["wave", "role"]).size().unstack(fill_value=0)
    roles = [r for r in PLAN_ROLES if r in counts.columns]
    colours = {HIT_BET: COLOURS["bad"], CORE: COLOURS["accent"], IMAGE: COLOURS["warn"], CARRY_OVER: COLOURS["neutral"]}
    fig, ax = plt.subplots(figsize=(7, 4))
    bottom = pd.Series(0, index=counts.index)
    for role in roles:
        waves = [translate_cell(w) for w in counts.index]  # "on sale" (the carry-over) in the page's language
        ax.bar(
            waves, counts[role].to_numpy(), bottom=bottom.to_numpy(), color=colours[role], label=translate_cell(role)
        )
        bottom = bottom + counts[role]
    ax.set_xlabel(_("Release wave"))
    ax.set_ylabel(_("Products"))
    ax.set_title(_("The plan by release wave and role"))
    ax.legend(frameon=False, fontsize=8)
    return _laid_out(fig)


def plot_plan_categories(categories: pd.DataFrame, *, taxonomy=None) -> "plt.Figure | None":
    """Products per category in the plan, against the category's minimum and maximum (with ``taxonomy``, the
    categories in its words)."""
    if categories is None or categories.empty:  # no plan was made
        return None
    plt, _sns = _libs()
    frame = categories.iloc[::-1].reset_index(drop=True)
    dimension = taxonomy.roles.category if taxonomy is not None else None
    if dimension:
        known = {v.name for v in taxonomy.dimension(dimension).values}
        said = frame["category"].map(lambda v: taxonomy.value_words(dimension, v) if v in known else translate_cell(v))
        frame = frame.assign(category=said)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.6))
    ax.barh(frame["category"], frame["total"], color=COLOURS["accent"], label=_("planned products"))
    has = frame["min"].notna()
    ax.scatter(
        frame.loc[has, "min"], frame.loc[has, "category"], marker="|", s=300, color=COLOURS["bad"], label=_("minimum")
    )
    ax.scatter(
        frame.loc[has, "max"], frame.loc[has, "category"], marker="|", s=300, color=COLOURS["ok"], label=_("maximum")
    )
    ax.set_xlabel(_("Products"))
    ax.set_ylabel(_("Category"))
    ax.set_title(_("Category mix of the plan against its limits"))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return _laid_out(fig)


def plot_plan_looks(looks: pd.DataFrame, *, cap: int | None = None) -> "plt.Figure | None":
    """How many looks are shared by 1, 2, 3... products of the plan; ``cap`` by default the plan's own."""
    if looks is None or looks.empty:  # no plan was made
        return None
    if cap is None and "cap" in looks and looks["cap"].notna().any():
        cap = int(looks["cap"].dropna().iloc[0])
    plt, _sns = _libs()
    sizes = looks["products"].value_counts().sort_index()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.bar(sizes.index.astype(str), sizes.values, color=COLOURS["accent"])
    if cap:
        ax.axvline(
            str(cap) if str(cap) in set(sizes.index.astype(str)) else len(sizes) - 0.5,
            color=COLOURS["bad"],
            ls="--",
            lw=1,
            label=_("cap: {cap} products per look", cap=cap),
        )
        ax.legend(frameon=False, fontsize=8)
    ax.set_xlabel(_("Products sharing the same look"))
    ax.set_ylabel(_("Looks (count)"))
    ax.set_title(_("Tag diversity: how many products share a look"))
    return _laid_out(fig)


def plot_backtest(table: pd.DataFrame) -> "plt.Figure":
    """Lift at k (hit rate of the hit bets over the season's base rate) per replayed season and method."""
    plt, sns = _libs()
    fig, ax = plt.subplots(figsize=(8, 4))
    done = table.dropna(subset=["lift_at_k"])
    if done.empty:
        ax.text(0.5, 0.5, _("No season was replayed"), ha="center", va="center", transform=ax.transAxes)
    else:
        # tagkit stands out; the models on their own in greys, darker the more complex; random picks in red
        shades = [COLOURS["accent"], "#c9d1d9", COLOURS["neutral"], "#5f6b78", COLOURS["bad"]]
        palette = {translate_cell(m): shade for m, shade in zip(BACKTEST_METHODS, shades)}
        done = done.assign(method=done["method"].map(translate_cell))  # the methods in the page's language
        order = [translate_cell(m) for m in BACKTEST_METHODS]
        sns.barplot(
            done,
            x="season",
            y="lift_at_k",
            hue="method",
            ax=ax,
            palette={m: palette.get(m, COLOURS["neutral"]) for m in done["method"].unique()},
            hue_order=[m for m in order if m in set(done["method"])] or None,
        )
        ax.legend(frameon=False, fontsize=8)
    ax.axhline(1, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(_("Season replayed"))
    ax.set_ylabel(_("Lift at k (x the season's hit rate)"))
    ax.set_title(_("Backtest: how much more often the hit bets were hits"))
    return _laid_out(fig)
