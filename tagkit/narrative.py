"""The reports' words: summaries a merchandiser reads first, and rules as sentences."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tagkit._inert import plain
from tagkit.compare import comparison_findings
from tagkit.language import sentences as join_sentences
from tagkit.language import translate as _
from tagkit.language import translate_cell
from tagkit.rules import KEPT, describe_rules, rule_findings
from tagkit.taxonomy import Taxonomy
from tagkit.trends import holdout_gap
from tagkit.vocabulary import BACKTEST_RANDOM, BACKTEST_TAGKIT, CARRY_OVER, HIT_BET, IMAGE, MODEL_KINDS, TAGS_ONLY


def rule_table(rules: pd.DataFrame, taxonomy: Taxonomy | None = None, *, grouped: bool = False) -> pd.DataFrame:
    """Rules for reading: the sentence first, then the counts and measures behind it.

    ``grouped``: one row per finding (:func:`tagkit.rules.rule_findings`: rules that differ only by tags of one
    hierarchy, 'coat + check' and 'jacket + check'), the strongest rule of each, in the order of the rules, with
    the others of the finding listed in ``same_finding``."""
    out = rules.assign(reading=describe_rules(rules, taxonomy))
    columns = ["reading", "rule", "n_products", "n_hits", "confidence", "lift", "q_value", "status"]
    if grouped and len(out):
        out = out.assign(finding=rule_findings(rules, taxonomy))
        members = out.groupby("finding", sort=False)["rule"].agg(list)
        out = out.drop_duplicates("finding").copy()  # rules come strongest first: the first of each finding
        out["same_finding"] = [
            "; ".join(m for m in members[f] if m != rule) for f, rule in zip(out["finding"], out["rule"])
        ]
        columns = [*columns[:2], "same_finding", *columns[2:]]
    return out[columns].rename(columns={"confidence": "hit_rate"})


def hit_tags_summary(
    *,
    season: str,
    window: list[str],
    share: pd.DataFrame,
    rules: pd.DataFrame,
    holdout_summary: pd.DataFrame,
    trends: pd.DataFrame,
    comparison: pd.DataFrame | None,
    taxonomy: Taxonomy | None = None,
    check=None,
) -> tuple[str, dict]:
    """A few sentences for the top of the hit-tags report, and the key figures behind them; ``check``
    (from :func:`tagkit.check_labels`) puts its warnings first."""
    row = share[share["season"] == season]
    kept = rules[rules["status"] == KEPT]
    figures = {"rules_mined": int(len(rules)), "rules_kept": int(len(kept)), "seasons_mined": len(window)}
    sentences = []
    if check is not None:
        figures["label_warnings"] = len(check.warnings)
        if check.warnings:
            sentences.append(
                _(
                    "**Warning: {count} problem(s) with the hit label** (listed at the top of the report); read every "
                    "figure below with them in mind.",
                    count=len(check.warnings),
                )
            )
    if len(row):
        r = row.iloc[0]
        figures.update(catalogue=int(r["catalogue"]), hits=int(r["hits"]), hit_share=float(r["hit_share"]))
        revenue = (
            _("; they brought {share} of its revenue", share=f"{r['revenue_share']:.0%}")
            if "revenue_share" in r and pd.notna(r["revenue_share"])
            else ""
        )
        sentences.append(
            _(
                "In **{season}**, {hits} of {catalogue} ranked products were hits (**{share}**, {band} the target "
                "band{revenue}).",
                season=season,
                hits=f"{r['hits']:,}",
                catalogue=f"{r['catalogue']:,}",
                share=f"{r['hit_share']:.1%}",
                band=translate_cell(r["band"]),
                revenue=revenue,
            )
        )
    findings = rule_findings(kept, taxonomy).nunique() if len(kept) else 0
    figures["findings"] = int(findings)
    together = (
        _(
            " ({findings} findings once rules that differ only within one hierarchy, such as a coat and a jacket, are "
            "taken together)",
            findings=f"{findings:,}",
        )
        if findings < len(kept)
        else ""
    )
    sentences.append(
        _(
            "Mined on {first}–{last} ({sets} tag sets with enough hits), **{kept} rules** mark hits{together}.",
            first=window[0],
            last=window[-1],
            sets=f"{len(rules):,}",
            kept=f"{len(kept):,}",
            together=together,
        )
    )
    if len(kept):
        sentences.append(_("The strongest: {rule}.", rule=plain(describe_rules(kept.head(1), taxonomy).iloc[0])))
    last = holdout_summary[holdout_summary["test_season"] == season]
    if not len(last):
        sentences.append(holdout_gap(holdout_summary, season, train_seasons=len(window)))
    else:
        h = last.iloc[0]
        figures["holdout_held_up"] = float(h["held_up"])
        sentences.append(
            _(
                "Of the {rules} rules mined on the seasons before {season}, **{held_up} held up** in it ({confirmed} "
                "significantly).",
                rules=int(h["rules"]),
                season=season,
                held_up=f"{h['held_up']:.0%}",
                confirmed=f"{h['confirmed']:.0%}",
            )
        )
    rising = trends[(trends["trend"] == "rising") & ~trends["tags"].str.contains(" & ")]["tags"].head(3).tolist()
    fading = trends[(trends["trend"] == "fading") & ~trends["tags"].str.contains(" & ")]["tags"].head(3).tolist()
    if rising or fading:
        sentences.append(
            _(
                "Rising: {rising}; fading: {fading}.",
                rising=plain(_(", ").join(rising)) or _("none"),
                fading=plain(_(", ").join(fading)) or _("none"),
            )
        )
    if comparison is not None and len(comparison):
        findings = comparison_findings(comparison)  # a pair is not a second finding when one of its tags is one
        white = findings[findings["verdict"] == "whitespace"]["tags"].head(2).tolist()
        if white:
            sentences.append(
                _(
                    "Whitespace (competitors win with it, the brand hardly offers it): {tags}.",
                    tags=plain(_(", ").join(white)),
                )
            )
    text = join_sentences(sentences)
    return (taxonomy.words(text) if taxonomy is not None else text), figures


def plan_summary(
    plan,
    *,
    history: list[str],
    model,
    backtest: pd.DataFrame | None = None,
    choice=None,
    taxonomy: Taxonomy | None = None,
) -> tuple[str, dict]:
    """A few sentences for the top of the season-plan report, and the key figures behind them: which model
    scored the candidates and why (``choice``, :class:`tagkit.ModelChoice`), how the replayed hit bets did
    against each model on its own; says so in words when no plan was made, when the replayed hit bets did no
    better than random picks, and when they did no better than a model on the tags alone. With ``taxonomy``,
    tag sets are in their values' words."""
    table = plan.table
    bets = table[table["role"] == HIT_BET]
    size = len(table)
    e = plan.expected_hits
    figures = {
        "plan_size": size,
        "hit_bets": len(bets),
        "hit_bet_share": round(len(bets) / size, 4) if size else 0,
        "image_products": int((table["role"] == IMAGE).sum()),
        "carry_over": int((table["role"] == CARRY_OVER).sum()),
        "expected_bet_hits": round(e.get("bets", 0.0), 1),
    }
    if not size:
        figures = {}  # no plan: no plan figures on the index
        sentences = [
            _(
                "**No plan for {season}**: {why}",
                season=plan.season,
                why=plain(_(plan.notes[0])) if plan.notes else _("no candidates."),
            )
        ]
    else:
        sentences = [
            _(
                "The plan for **{season}** releases **{size} products**: {bets} hit bets (**{share}** of the "
                "catalogue), {images} image products and {carried} products carried over.",
                season=plan.season,
                size=f"{size:,}",
                bets=f"{len(bets):,}",
                share=f"{len(bets) / size:.1%}",
                images=f"{figures['image_products']:,}",
                carried=f"{figures['carry_over']:,}",
            ),
            _(
                "Expected hits among the hit bets: **{expected}** (90% interval {low}–{high}), from a model trained "
                "on {first}–{last} ({base} of products were hits there).",
                expected=f"{e.get('bets', 0):.0f}",
                low=e.get("bets_low"),
                high=e.get("bets_high"),
                first=history[0],
                last=history[-1],
                base=f"{model.base_rate:.1%}",
            ),
        ]
        if len(bets):
            top = bets.iloc[0]
            sentences.append(
                _(
                    "The strongest bet: {product}, {reason}.",
                    product=plain(top["name"] or top["product_id"]),
                    reason=plain(re.split(r": |：", top["reason"], maxsplit=1)[-1]),  # after "hit bet: "
                )
            )
    if choice is not None:
        kind, reason = _(choice.kind), _(choice.reason)
        if plan.candidates:
            said = (
                "The candidates were scored with the **{kind}** model, chosen for {reason}."
                if choice.best
                else "The candidates were scored with the **{kind}** model: {reason}."
            )
        else:
            said = (
                "With candidates, tagkit would score them with the **{kind}** model, chosen for {reason}."
                if choice.best
                else "With candidates, tagkit would score them with the **{kind}** model: {reason}."
            )
        sentences.append(_(said, kind=kind, reason=reason))
    if backtest is not None and len(backtest):
        rows = backtest.set_index("method")
        ours = rows.loc[BACKTEST_TAGKIT] if BACKTEST_TAGKIT in rows.index else backtest.iloc[0]
        seasons = int(ours["seasons"])
        figures["backtest_lift_at_k"] = round(float(ours["mean_lift_at_k"]), 2)
        random_lift = float(rows.loc[BACKTEST_RANDOM, "mean_lift_at_k"]) if BACKTEST_RANDOM in rows.index else 1.0
        kinds = rows["mean_lift_at_k"].reindex(list(MODEL_KINDS.values()))
        tags_only = kinds.get(MODEL_KINDS[TAGS_ONLY], np.nan)
        if not ours["mean_lift_at_k"] >= 1.25 * max(random_lift, 1.0):
            sentences.append(
                _(
                    "**Replayed on {seasons} past seasons, the hit bets were hits about as often as random picks** "
                    "({ours} the season's average, random picks {random}): treat the bets as guesses, and see the "
                    "hit-tags report for whether the hit label measures selling.",
                    seasons=seasons,
                    ours=f"{ours['mean_lift_at_k']:.1f}×",
                    random=f"{random_lift:.1f}×",
                )
            )
        else:
            others = [f"{_(name)} {lift:.1f}×" for name, lift in kinds.items() if pd.notna(lift)]
            sentences.append(
                _(
                    "In the last {seasons} seasons, replayed, the hit bets were hits **{ours}** as often as the "
                    "season's average product ({bet_rate} against {base_rate})",
                    seasons=seasons,
                    ours=f"{ours['mean_lift_at_k']:.1f}×",
                    bet_rate=f"{ours['mean_bet_hit_rate']:.0%}",
                    base_rate=f"{ours['mean_base_rate']:.1%}",
                )
                + (_("; each model on its own: {models}", models=_(", ").join(others)) if others else "")
                + _(".")
            )
            if pd.notna(tags_only) and not ours["mean_lift_at_k"] > tags_only:
                sentences.append(
                    _(
                        "**tagkit did no better than a simple model on tags alone** on those seasons: the bets rest "
                        "on the tags, not on their combinations."
                    )
                )
            elif kinds.notna().any() and kinds.max() > 1.05 * ours["mean_lift_at_k"]:
                sentences.append(
                    _(
                        "**Always using the {model} would have done better** on those seasons ({best} against {ours}).",
                        model=_(kinds.idxmax()),
                        best=f"{kinds.max():.1f}×",
                        ours=f"{ours['mean_lift_at_k']:.1f}×",
                    )
                )
    elif backtest is not None:
        sentences.append(
            _(
                "No past season could be replayed (too few seasons of history), so how well the hit bets foresee "
                "hits is not known."
            )
        )
    text = join_sentences(sentences)
    return (taxonomy.words(text) if taxonomy is not None else text), figures
