"""Which products were a season's hits, measured against a bar, and whether the label measures selling.

Two definitions of a hit (``definition``):

- ``bar`` (the default): a hit sells at least as well as a **bar fixed from history**, the metric's
  value at the ``top_share`` quantile of the reference seasons pooled (or a bar the user gives).
  Every season is measured against the same bar, so its hit share is a measurement that can fall
  outside the 5-10% band, and a plan that promises hits inside the band can be checked.
- ``share``: a hit is in the top ``top_share`` of its own season; the hit share is then
  ``top_share`` by definition.

**Rates need exposure**: ``units_per_week`` never divides by less than ``min_exposure_days``, so one
unit sold on the last day of a season is not a rate of seven a week. **Ties**: products level with
the cut-off on the metric are told apart by revenue, then order lines (a deterministic order, never
an arbitrary pick); products still level on all three are all hits, and they are counted. A
product with a metric of 0 is never a hit. Image products are kept out of the ranking.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tagkit._checks import (
    Choice,
    Share,
    Whole,
    check_frame,
    did_you_mean,
    validate_params,
)
from tagkit.errors import ParameterError
from tagkit.language import translate as _
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.tags import tag_values
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import CATALOGUES, DEFAULT_BAND, HIT, METRIC_WORDS, METRICS, MISS, NO_VALUE, RANKED, TOO_SHORT
from tagkit.vocabulary import HIT_DEFINITIONS as DEFINITIONS
from tagkit.vocabulary import IMAGE as IMAGE_ROLE
from tagkit.vocabulary import IMAGE_PRODUCT as IMAGE

TIE_BREAK = ("revenue", "lines")  # after the metric, in this order
LABEL_COLUMNS = [
    "product_id",
    "season",
    "group",
    "role",
    "metric",
    "value",
    "units",
    "revenue",
    "lines",
    "days_on_sale",
    "short_exposure",
    "bar",
    "rank",
    "n_ranked",
    "at_cut_off",
    "exact_tie",
    "status",
    "hit",
]


# What a hit definition may hold: one declaration for HitDefinition, label_hits and the notebooks' parameters.
HIT_CONSTRAINTS = {
    "metric": Choice(METRICS),
    "definition": Choice(DEFINITIONS),
    "catalogue": Choice(CATALOGUES),
    "top_share": Share(),
    "min_days_on_sale": Whole(0, 365),
    "min_exposure_days": Whole(1, 365),
}


@dataclass(frozen=True)
class HitDefinition:
    """One definition of a hit, shared by every notebook of a batch (see :func:`label_hits`)."""

    metric: str = "units_per_week"
    definition: str = "bar"
    top_share: float = 0.075
    bar: float = 0.0  # 0: from the reference seasons
    group_by: str = ""
    catalogue: str = "auto"
    min_days_on_sale: int = 0
    min_exposure_days: int = 14
    catalogue_reason: str = ""  # how 'auto' was decided (see resolve)

    def __post_init__(self):
        owner = "HitDefinition"
        for name, constraint in HIT_CONSTRAINTS.items():
            constraint.check(getattr(self, name), name=name, owner=owner)
        if (
            isinstance(self.bar, bool)
            or not isinstance(self.bar, (int, float))
            or not np.isfinite(self.bar)
            or self.bar < 0
        ):
            raise ParameterError(
                f"The 'bar' parameter of {owner} must be a number >= 0 (0: from the reference "
                f"seasons). Got {self.bar!r} instead."
            )
        if self.bar and self.definition == "share":
            raise ParameterError(
                f"The 'bar' parameter of {owner} is used with definition='bar' only. Got bar="
                f"{self.bar!r} with definition='share': set the bar to 0 or the definition to 'bar'."
            )

    def resolve(self, brand) -> HitDefinition:
        """The definition with catalogue='auto' decided from the brand's data (see :func:`choose_catalogue`)."""
        return self.resolve_for(brand.sales.metrics, brand.own.products, calendar=brand.dataset.calendar)

    def resolve_for(
        self, metrics: pd.DataFrame, products: pd.DataFrame, *, calendar: SeasonCalendar = QUARTERS
    ) -> HitDefinition:
        """As :meth:`resolve`, from a sales table and a product table."""
        if self.catalogue != "auto":
            return self
        catalogue, reason = choose_catalogue(metrics, products, calendar=calendar)
        return dataclasses.replace(self, catalogue=catalogue, catalogue_reason=reason)

    def options(self) -> dict:
        """The keyword arguments of :func:`label_hits` for this definition."""
        return dict(
            metric=self.metric,
            definition=self.definition,
            top_share=self.top_share,
            threshold=self.bar or None,
            group_by=self.group_by or None,
            catalogue=self.catalogue,
            min_days_on_sale=self.min_days_on_sale,
            min_exposure_days=self.min_exposure_days,
        )

    def describe(self, reference: list[str] | None = None) -> str:
        """The definition in words, for the top of a report."""
        words = _(METRIC_WORDS[self.metric])
        within = _(" within each {group}", group=self.group_by) if self.group_by else ""
        share = f"{self.top_share:.1%}"
        if self.definition == "share":
            text = _(
                "a hit is in the top {share} of its season{within} by {words}", share=share, within=within, words=words
            )
        elif self.bar:
            text = _("a hit sold at least {bar} ({words}){within}", bar=f"{self.bar:,.4g}", words=words, within=within)
        else:
            seasons = _(" of {first}–{last}", first=reference[0], last=reference[-1]) if reference else ""
            text = _(
                "a hit beats a bar fixed from history: the {words} of the top {share} of the products{seasons} "
                "pooled{within}, the same bar for every season",
                words=words,
                share=share,
                seasons=seasons,
                within=within,
            )
        if self.metric == "units_per_week":
            text += _("; weekly rates are taken over at least {days} days on sale", days=self.min_exposure_days)
        text += (
            _("; a season's catalogue is the products launched in it")
            if self.catalogue == "launched"
            else _("; a season's catalogue is every product on sale in it")
            if self.catalogue == "on_sale"
            else ""
        )
        if self.catalogue_reason:
            text += _(" ({reason})", reason=_(self.catalogue_reason))
        return text


@validate_params(**HIT_CONSTRAINTS)
def label_hits(
    metrics: pd.DataFrame,
    products: pd.DataFrame,
    *,
    metric: str = "units_per_week",
    definition: str = "bar",
    top_share: float = 0.075,
    threshold: float | None = None,
    reference_seasons=None,
    group_by: str | None = None,
    tags: pd.DataFrame | None = None,
    taxonomy: Taxonomy | None = None,
    min_days_on_sale: int = 0,
    min_exposure_days: int = 14,
    catalogue: str = "launched",
    calendar: SeasonCalendar = QUARTERS,
) -> pd.DataFrame:
    """Label every product of every season's catalogue: hit, not a hit, image product, or too few
    days on sale. Returns one row per product and season (see :data:`LABEL_COLUMNS`).

    - ``metric``: ``units_per_week`` (net units per week on sale, over at least ``min_exposure_days``),
      ``units``, ``net_units``, ``revenue`` or ``sell_through`` (net units / ``stock``).
    - ``definition``: ``bar`` (a hit reaches the bar: ``threshold`` when given, otherwise the value at
      the ``top_share`` quantile of the ``reference_seasons`` pooled, all seasons when None) or
      ``share`` (the top ``top_share`` of each season).
    - ``group_by``: rank within groups, e.g. ``"category"``: a dimension of the taxonomy (grouped by
      its top-level value; needs ``tags`` and ``taxonomy``) or a column of ``products``.
    - ``catalogue``: ``launched`` (products launched that season; a product without a known launch
      season counts as launched in its first season on sale), ``on_sale``, or ``auto``
      (:func:`choose_catalogue`).

    Columns ``at_cut_off`` (level with the bar on the metric, decided by revenue then order lines) and
    ``exact_tie`` (level on all three: a hit) count the ties; ``short_exposure`` marks products on sale
    fewer than ``min_exposure_days`` days in the season.
    """
    owner = "label_hits"
    check_frame(metrics, "metrics", name="metrics", owner=owner, source="read_sales")
    check_frame(products, "products", name="products", owner=owner)
    if threshold is not None:
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, float))
            or not threshold > 0
            or not np.isfinite(threshold)
        ):
            raise ParameterError(
                f"The 'threshold' parameter of {owner} must be a number > 0 or None. Got {threshold!r} instead."
            )
        if definition == "share":
            raise ParameterError(
                f"The 'threshold' parameter of {owner} is a bar: it needs definition='bar'. "
                f"Got threshold={threshold!r} with definition='share'."
            )
    missing = {"product_id", "season", "net_units", "days_on_sale"} - set(metrics.columns)
    if missing:
        raise ParameterError(
            f"{owner}: the metrics lack the column(s) {sorted(missing)}; pass sales.metrics (from read_sales)."
        )
    rows = metrics.merge(
        products[[c for c in ("product_id", "launch_season", "role", "stock") if c in products]],
        on="product_id",
        how="left",
    )
    ordinals = {s: calendar.ordinal(s) for s in rows["season"].astype(str).unique()}
    rows["_order"] = rows["season"].astype(str).map(ordinals)
    if catalogue == "auto":
        catalogue, _reason = choose_catalogue(metrics, products, calendar=calendar)
    if catalogue == "launched" and len(rows):
        first = rows.loc[rows.groupby("product_id")["_order"].transform("idxmin"), "season"].astype("string")
        first.index = rows.index
        launched = rows["launch_season"].astype("string").fillna(first) if "launch_season" in rows else first
        rows = rows[rows["season"].astype("string") == launched]
    rows = rows.copy()
    rows["role"] = rows["role"].fillna("core") if "role" in rows else "core"
    rows["value"] = _metric(rows, metric, min_exposure_days).round(6)
    rows["units"] = rows["net_units"].astype("float64").fillna(0).astype("int64")
    rows["revenue"] = rows["revenue"].astype("float64") if "revenue" in rows else np.nan
    rows["lines"] = rows["lines"].astype("int64") if "lines" in rows else 0
    rows["group"] = _groups(rows, group_by, products, tags, taxonomy)

    rows["status"] = MISS
    rows.loc[rows["days_on_sale"] < min_days_on_sale, "status"] = TOO_SHORT
    rows.loc[rows["role"] == IMAGE_ROLE, "status"] = IMAGE
    ranked = rows["status"] == MISS
    rows["short_exposure"] = ranked & (rows["days_on_sale"] < min_exposure_days)
    keys = pd.DataFrame(
        {"value": rows["value"], "revenue": rows["revenue"].fillna(0.0).round(6), "lines": rows["lines"]}
    )
    rows["rank"] = _lexicographic_rank(keys, ranked, [rows["season"], rows["group"]])
    rows["n_ranked"] = ranked.groupby([rows["season"], rows["group"]]).transform("sum").where(ranked)
    bars = _bars(rows, keys, ranked, definition, top_share, threshold, reference_seasons)
    above = _at_or_above(keys, bars)
    is_hit = ranked & above & (keys["value"] > 0)
    rows.loc[is_hit, "status"] = HIT
    rows["hit"] = is_hit
    rows["bar"] = bars["value"]
    # level with the product that sets the bar (that product itself is not a tie)
    rows["at_cut_off"] = ranked & (keys["value"] == bars["value"]) & (keys["value"] > 0) & ~bars["sets"]
    rows["exact_tie"] = rows["at_cut_off"] & (keys["revenue"] == bars["revenue"]) & (keys["lines"] == bars["lines"])
    rows["metric"] = metric
    rows["rank"] = rows["rank"].astype("Int64")
    rows["n_ranked"] = rows["n_ranked"].astype("Int64")
    rows = rows.sort_values(["_order", "group", "rank", "product_id"], kind="stable", na_position="last")
    return rows[LABEL_COLUMNS].reset_index(drop=True)


def choose_catalogue(
    metrics: pd.DataFrame, products: pd.DataFrame, *, calendar: SeasonCalendar = QUARTERS
) -> tuple[str, str]:
    """A season's catalogue for this data, and why: ``launched`` when most products have a launch date or
    season, or when most units sell in a product's first season on sale (first sale stands for launch, as
    for a fashion range); ``on_sale`` when most units sell after it (an assortment sold season after
    season, as in grocery, where the first season on sale would hold nearly every product)."""
    own = products[products["source"] == "own"] if "source" in products else products
    if len(own) and "launch_season" in own and own["launch_season"].notna().mean() >= 0.5:
        return "launched", _("most products have a launch date")
    if metrics.empty:
        return "launched", _("no sales to tell from")
    order = metrics["season"].astype(str).map({s: calendar.ordinal(s) for s in metrics["season"].astype(str).unique()})
    first = order.groupby(metrics["product_id"]).transform("min")
    units = metrics["units"].astype("float64").clip(lower=0)
    later = float(units[order > first].sum()) / max(float(units.sum()), 1.0)
    if later >= 0.5:
        return "on_sale", _(
            "chosen from the data: {share} of the units sold after a product's first season on sale, so products "
            "are ranked in every season they sell in",
            share=f"{later:.0%}",
        )
    return "launched", _(
        "chosen from the data: {share} of the units sold in a product's first season on sale, which stands for its "
        "launch",
        share=f"{1 - later:.0%}",
    )


def _metric(rows: pd.DataFrame, metric: str, min_exposure_days: int) -> pd.Series:
    if metric == "sell_through":
        if "stock" not in rows or rows["stock"].isna().all():
            raise ParameterError(
                "metric='sell_through' needs the stock of each product (a 'stock' column in the "
                "catalogue); none is given. Use units_per_week, units, net_units or revenue."
            )
        return (rows["net_units"] / rows["stock"].where(rows["stock"] > 0)).fillna(0.0)
    if metric == "revenue" and ("revenue" not in rows or rows["revenue"].isna().all()):
        raise ParameterError("metric='revenue' needs revenue or unit prices in the sales; none is given.")
    if metric == "units_per_week":  # never a rate over less than the minimum exposure
        weeks = np.maximum(rows["days_on_sale"].astype("float64"), float(min_exposure_days)) / 7
        return (rows["net_units"].astype("float64") / weeks).fillna(0.0)
    return rows[metric].astype("float64").fillna(0.0)


def _lexicographic_rank(keys: pd.DataFrame, ranked: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """Rank 1 = best, by metric, then revenue, then order lines; products level on all three share a rank."""
    frame = keys.assign(_s=groups[0].astype(str).values, _g=groups[1].astype(str).values)[ranked]
    if frame.empty:
        return pd.Series(np.nan, index=keys.index)
    frame = frame.sort_values(
        ["_s", "_g", "value", "revenue", "lines"], ascending=[True, True, False, False, False], kind="stable"
    )
    frame["_pos"] = frame.groupby(["_s", "_g"]).cumcount() + 1
    frame["_rank"] = frame.groupby(["_s", "_g", "value", "revenue", "lines"])["_pos"].transform("min")
    return frame["_rank"].reindex(keys.index)


def _kth(keys: pd.DataFrame, top_share: float) -> pd.Series:
    """The key triple at the top_share cut-off of a pool of products (best first); its name is the row
    of the product that sets the bar."""
    ordered = keys.sort_values(["value", "revenue", "lines"], ascending=False, kind="stable")
    k = max(1, int(np.floor(top_share * len(ordered) + 0.5)))
    return ordered.iloc[k - 1]


def _bars(rows, keys, ranked, definition, top_share, threshold, reference_seasons) -> pd.DataFrame:
    """The bar (value, revenue, lines) each product is measured against, and which product sets it."""
    out = pd.DataFrame({"value": np.nan, "revenue": np.nan, "lines": np.nan, "sets": False}, index=rows.index)
    if threshold is not None:
        out["value"], out["revenue"], out["lines"] = float(threshold), -np.inf, -np.inf
        return out
    if definition == "share":
        pools = rows[ranked].groupby(["season", "group"], sort=False).groups
        for (season, group), index in pools.items():
            bar = _kth(keys.loc[index], top_share)
            where = (rows["season"] == season) & (rows["group"] == group)
            out.loc[where, ["value", "revenue", "lines"]] = bar.to_numpy(dtype=float)
            out.loc[bar.name, "sets"] = True
        return out
    reference = ranked if reference_seasons is None else ranked & rows["season"].isin(list(reference_seasons))
    for group, index in rows[reference].groupby("group", sort=False).groups.items():
        bar = _kth(keys.loc[index], top_share)
        out.loc[rows["group"] == group, ["value", "revenue", "lines"]] = bar.to_numpy(dtype=float)
        out.loc[bar.name, "sets"] = True
    return out


def _at_or_above(keys: pd.DataFrame, bars: pd.DataFrame) -> pd.Series:
    """(value, revenue, lines) >= the bar, compared in that order; no bar, no hit."""
    v, r, n = keys["value"], keys["revenue"], keys["lines"]
    bv, br, bn = bars["value"], bars["revenue"], bars["lines"]
    above = (v > bv) | ((v == bv) & ((r > br) | ((r == br) & (n >= bn))))
    return above & bv.notna()


def _groups(rows, group_by, products, tags, taxonomy) -> pd.Series:
    if not group_by:
        return pd.Series("all", index=rows.index)
    if group_by in products.columns:
        mapping = products.set_index("product_id")[group_by]
    elif taxonomy is not None and group_by in taxonomy.dimension_names:
        if tags is None:
            raise ParameterError(
                f"group_by={group_by!r} is a dimension: label_hits needs tags= to know each product's value."
            )
        values = tag_values(tags, group_by)
        top = {v: taxonomy.top_value(group_by, v) for v in values.unique()}
        mapping = values.map(top)
    else:
        allowed = [*(taxonomy.dimension_names if taxonomy else ()), *products.columns]
        raise ParameterError(
            f"The 'group_by' parameter of label_hits must be a dimension of the taxonomy or a column "
            f"of the products. Got {group_by!r} instead.{did_you_mean(group_by, allowed)}"
        )
    return rows["product_id"].map(mapping).fillna(NO_VALUE).astype(str)


def label_brand(brand, definition: HitDefinition, *, reference: list[str]) -> pd.DataFrame:
    """The hit labels of a brand's own catalogue under ``definition``, the bar fixed on the ``reference``
    seasons: the one call every notebook makes, so that every report of a batch has the same hits."""
    return label_hits(
        brand.sales.metrics,
        brand.own.products,
        tags=brand.own.tags,
        taxonomy=brand.taxonomy,
        calendar=brand.dataset.calendar,
        reference_seasons=reference,
        **definition.options(),
    )


def hit_share(
    labels: pd.DataFrame, *, band: tuple[float, float] = DEFAULT_BAND, calendar: SeasonCalendar = QUARTERS
) -> pd.DataFrame:
    """Per season: products ranked, hits, hit share against the band, and the hits' share of the
    ranked products' revenue (empty without revenue)."""
    check_frame(labels, "labels", name="labels", owner="hit_share", source="label_hits")
    low, high = band
    if not 0 <= low < high <= 1:
        raise ParameterError(
            f"The 'band' parameter of hit_share must be two shares with 0 <= low < high <= 1. Got {band!r} instead."
        )
    rows = []
    for season, part in labels.groupby("season", sort=False):
        ranked = part[part["status"].isin(RANKED)]
        hits = int(part["hit"].sum())
        n = len(ranked)
        share = hits / n if n else 0.0
        revenue = ranked["revenue"].clip(lower=0) if "revenue" in ranked else pd.Series(dtype=float)
        total = float(revenue.sum()) if revenue.notna().any() else np.nan
        rows.append(
            {
                "season": season,
                "catalogue": n,
                "hits": hits,
                "hit_share": round(share, 4),
                "band": "inside" if low <= share <= high else ("below" if share < low else "above"),
                "revenue_share": round(float(revenue[ranked["hit"]].sum()) / total, 4)
                if total and total > 0
                else np.nan,
                "image_products": int((part["status"] == IMAGE).sum()),
                "too_few_days": int((part["status"] == TOO_SHORT).sum()),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["season", "catalogue", "hits", "hit_share", "band", "revenue_share", "image_products", "too_few_days"],
    )
    return out.sort_values("season", key=lambda s: s.map(calendar.ordinal), kind="stable").reset_index(drop=True)


# --- does the label measure selling? ----------------------------------------------------------------
@dataclass(frozen=True)
class LabelCheck:
    """Hits against the other products, and the warnings a reader must see before any rule."""

    table: pd.DataFrame
    warnings: tuple[str, ...] = ()
    figures: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"LabelCheck({len(self.warnings)} warning(s): {self.figures})"


def check_labels(
    labels: pd.DataFrame,
    definition: HitDefinition | None = None,
    *,
    seasons=None,
    min_hits: int = 5,
    band: tuple[float, float] = DEFAULT_BAND,
) -> LabelCheck:
    """Does the hit label measure selling on these ``seasons`` (all when None)? Hits against the rest on
    the metric and on units (medians), hits that sold one unit, products on sale too briefly for a
    rate, ties at the cut-off; warnings in words, with the numbers and the parameter to change, when
    hits do not sell clearly more than the rest, or when there are too few hits for any rule."""
    check_frame(labels, "labels", name="labels", owner="check_labels", source="label_hits")
    definition = definition or HitDefinition()
    chosen = labels if seasons is None else labels[labels["season"].isin(list(seasons))]
    ranked = chosen[chosen["status"].isin(RANKED)]
    hits, rest = ranked[ranked["hit"]], ranked[~ranked["hit"]]
    n_hits, n_ranked = len(hits), len(ranked)
    names = sorted(chosen["season"].astype(str).unique())
    where = f"{names[0]}–{names[-1]}" if len(names) > 1 else (names[0] if names else _("the seasons given"))

    def median(frame, column):
        return float(frame[column].median()) if len(frame) else np.nan

    one_unit_hits = int((hits["units"] <= 1).sum())
    short = ranked[ranked["short_exposure"]]
    at_cut = ranked[ranked["at_cut_off"]]
    exact = int(ranked["exact_tie"].sum())
    share = hit_share(chosen, band=band) if len(chosen) else pd.DataFrame(columns=["band"])
    outside = share[share["band"] != "inside"]["season"].tolist() if len(share) else []
    words = _(METRIC_WORDS[definition.metric])
    table = pd.DataFrame(
        [
            (_("products ranked"), n_hits, len(rest)),
            (_("median {words}", words=words), median(hits, "value"), median(rest, "value")),
            (_("median units sold, net of returns"), median(hits, "units"), median(rest, "units")),
            (_("sold one unit or none"), one_unit_hits, int((rest["units"] <= 1).sum())),
            (_("median days on sale in the season"), median(hits, "days_on_sale"), median(rest, "days_on_sale")),
            (
                _("on sale fewer than {days} days", days=definition.min_exposure_days),
                len(short[short["hit"]]),
                len(short[~short["hit"]]),
            ),
            (
                _("level with the cut-off on {words}", words=words),
                int(at_cut["hit"].sum()),
                int((~at_cut["hit"]).sum()),
            ),
            (_("level on every key (all hits)"), exact, 0),
        ],
        columns=["measure", "hits", "other products"],
    )
    for column in ("hits", "other products"):  # counts as whole numbers, medians to two decimals
        table[column] = pd.Series(
            [None if pd.isna(v) else int(v) if float(v).is_integer() else round(float(v), 2) for v in table[column]],
            index=table.index,
            dtype=object,
        )
    figures = {
        "label_hits": n_hits,
        "label_ranked": n_ranked,
        "median_units_hits": median(hits, "units"),
        "median_units_rest": median(rest, "units"),
        "one_unit_hit_share": round(one_unit_hits / n_hits, 4) if n_hits else None,
        "seasons_outside_band": len(outside),
        "ties_decided": int(len(at_cut) - exact),
        "exact_ties": exact,
    }
    warnings = []
    if n_ranked == 0:
        warnings.append(
            _(
                "No product was ranked in {where}: there is nothing to label. Check the season and the sales of "
                "those seasons.",
                where=where,
            )
        )
        return LabelCheck(table, tuple(warnings), figures)
    if n_hits == 0:
        warnings.append(
            _(
                "No product in {where} reached the bar: there are no hits to learn from. Lower the bar (hit_bar), or "
                "use hit_definition='share'.",
                where=where,
            )
        )
        return LabelCheck(table, tuple(warnings), figures)
    med_hit, med_rest = figures["median_units_hits"], figures["median_units_rest"]
    if med_hit < 2 * med_rest or one_unit_hits / n_hits > 0.5:
        warnings.append(
            _(
                "The hit label may not measure selling: in {where} the hits sold a median of {median_hits} units "
                "against {median_rest} for the other products, and {one_unit} of the {hits} hits ({share}) sold one "
                "unit or none. Rules below tell apart products that sold about as much. Rank on total units "
                "(metric='units'), count weekly rates over more days (min_exposure_days, now {days}), or pool more "
                "seasons (history_seasons).",
                where=where,
                median_hits=f"{med_hit:,.1f}",
                median_rest=f"{med_rest:,.1f}",
                one_unit=f"{one_unit_hits:,}",
                hits=f"{n_hits:,}",
                share=f"{one_unit_hits / n_hits:.0%}",
                days=definition.min_exposure_days,
            )
        )
    if n_hits < 10 * min_hits:
        warnings.append(
            _(
                "Only {hits} hits in {where}: with min_hits={min_hits}, no tag set can be told from chance unless its "
                "effect is very strong, so few or no rules can be significant. Pool more seasons (history_seasons), "
                "or label more hits (a larger top_share).",
                hits=f"{n_hits:,}",
                where=where,
                min_hits=min_hits,
            )
        )
    short_hits = int(short["hit"].sum())
    if short_hits > 0.5 * n_hits:  # fewer are counted in the table above
        warnings.append(
            _(
                "{short} of the {hits} hits ({share}) were on sale fewer than {days} days in their season: their rank "
                "rests on a few days of sales. Raise min_exposure_days, or leave such products out with "
                "min_days_on_sale.",
                short=f"{short_hits:,}",
                hits=f"{n_hits:,}",
                share=f"{short_hits / n_hits:.0%}",
                days=definition.min_exposure_days,
            )
        )
    if exact > 0.1 * n_hits:
        warnings.append(
            _(
                "{exact} products are level with the cut-off on {words}, revenue and order lines alike and all count "
                "as hits ({share} of the hits): with sales this sparse the band cannot be met exactly. Rank on "
                "revenue (metric='revenue') or on a longer period (history_seasons).",
                exact=f"{exact:,}",
                words=words,
                share=f"{exact / n_hits:.0%}",
            )
        )
    if definition.definition == "bar" and len(outside) and len(outside) == len(share) and len(share) > 1:
        warnings.append(
            _(
                "Every season of {where} falls outside the {low}–{high} band against the bar: the bar does not fit "
                "these seasons. Check hit_bar, or the seasons the bar is fixed on (history_seasons).",
                where=where,
                low=f"{band[0]:.0%}",
                high=f"{band[1]:.0%}",
            )
        )
    return LabelCheck(table, tuple(warnings), figures)


def launch_note(products: pd.DataFrame) -> str | None:
    """How launch was known: None when (nearly) every own product has a launch date, otherwise a
    sentence on how many have one, and how the others' launch is inferred."""
    own = products[products["source"] == "own"] if "source" in products else products
    n = len(own)
    if n == 0:
        return None
    dated = int(own["launch_date"].notna().sum()) if "launch_date" in own else 0
    seasoned = (
        int((own["launch_season"].notna() & (own["launch_date"].isna() if "launch_date" in own else True)).sum())
        if "launch_season" in own
        else 0
    )
    if dated >= 0.95 * n:
        return None
    rest = n - dated - seasoned
    return _(
        "Launch dates are missing: {dated} of {products} products have a launch date and {seasoned} more a launch "
        "season. For the other {rest}, launch is taken to be the first sale: their days on sale run from it, a "
        "product that is ranked in its launch season only is ranked in its first season with a sale, and a product "
        "that never sold is in no season's catalogue (its misses are not counted).",
        dated=f"{dated:,}",
        products=f"{n:,}",
        seasoned=f"{seasoned:,}",
        rest=f"{rest:,}",
    )


def ranked_rows(labels: pd.DataFrame, matrix: pd.DataFrame, seasons=None) -> tuple[pd.DataFrame, np.ndarray]:
    """The tag rows and hit flags of the ranked products (hits and non-hits, no image products)
    of the given seasons: the input of :func:`mine_hit_rules`.

    One row per product: a product ranked in several of the seasons (a catalogue of products on sale)
    counts once, as a hit when it was a hit in at least half of them, so that a product sold all year is
    not four independent observations in the statistics of the rules. Indexed by product and the last
    season it was ranked in."""
    check_frame(labels, "labels", name="labels", owner="ranked_rows", source="label_hits")
    chosen = labels["status"].isin(RANKED).to_numpy()
    if seasons is not None:
        chosen = chosen & labels["season"].isin(list(seasons)).to_numpy()
    rows = labels.loc[chosen, ["product_id", "season", "hit"]]  # only what is used: a hold-out calls this often
    if not matrix.index.is_unique:
        raise ParameterError("ranked_rows: the tag matrix has products on more than one row; encode each once.")
    positions = matrix.index.get_indexer(rows["product_id"])  # one hash lookup (Series.isin on Arrow strings loops)
    if (positions < 0).any():
        missing = sorted(set(rows["product_id"].to_numpy()[positions < 0]))
        raise ParameterError(
            f"ranked_rows: {len(missing)} labelled products have no row in the tag matrix, "
            f"e.g. {missing[:3]}; encode the tags of the same catalogue."
        )
    if seasons is not None and rows.empty:
        known = sorted(labels["season"].unique())
        raise ParameterError(
            f"No ranked products in {', '.join(seasons)}; the labels cover "
            f"{known[0] + '-' + known[-1] if known else 'no season'}. Check the season, or the sales "
            "of those seasons."
        )
    if rows["product_id"].duplicated().any():
        share = rows.groupby("product_id", sort=False)["hit"].mean()
        last = rows.groupby("product_id", sort=False)["season"].last()
        rows = pd.DataFrame(
            {
                "product_id": share.index,
                "season": last.reindex(share.index).to_numpy(),
                "hit": (share >= 0.5).to_numpy(),
            }
        )
        positions = matrix.index.get_indexer(rows["product_id"])
    out = matrix.take(positions)
    out.index = pd.MultiIndex.from_arrays(
        [rows["product_id"].to_numpy(), rows["season"].to_numpy()], names=["product_id", "season"]
    )
    return out, rows["hit"].to_numpy(dtype=bool)


def seasons_up_to(labels: pd.DataFrame, season: str, calendar: SeasonCalendar = QUARTERS) -> list[str]:
    """The seasons of the labels up to and including ``season``, in time order."""
    last = calendar.ordinal(season)
    return sorted((s for s in labels["season"].unique() if calendar.ordinal(s) <= last), key=calendar.ordinal)
