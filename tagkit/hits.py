"""Which products were a season's hits, and whether hits stay inside the 5-10% band.

A product is a hit when it ranks in the top share of its season's catalogue (or of its group
within the season) by the chosen metric. **Ties at the cut-off**: every product whose metric
equals the value at the cut-off rank is a hit, so a season can have a few more hits than the
share asks for, never an arbitrary pick among equals; a product with a metric of 0 is never a
hit. Image products are kept out of the ranking and listed with their own status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import check_choice, check_fraction, check_int
from tagkit.errors import ParameterError
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.tags import tag_values
from tagkit.taxonomy import Taxonomy

METRICS = ("units_per_week", "units", "net_units", "revenue", "sell_through")
CATALOGUES = ("launched", "on_sale")
HIT, MISS, IMAGE, TOO_SHORT = "hit", "not a hit", "image product", "too few days on sale"
DEFAULT_BAND = (0.05, 0.10)
LABEL_COLUMNS = ["product_id", "season", "group", "role", "metric", "value", "rank", "n_ranked", "status", "hit"]


def label_hits(
    metrics: pd.DataFrame,
    products: pd.DataFrame,
    *,
    metric: str = "units_per_week",
    top_share: float = 0.075,
    threshold: float | None = None,
    group_by: str | None = None,
    tags: pd.DataFrame | None = None,
    taxonomy: Taxonomy | None = None,
    min_days_on_sale: int = 0,
    catalogue: str = "launched",
    calendar: SeasonCalendar = QUARTERS,
) -> pd.DataFrame:
    """Label every product of every season's catalogue: hit, not a hit, image product, or too few
    days on sale. Returns one row per product and season (see :data:`LABEL_COLUMNS`).

    - ``metric``: ``units_per_week`` (default: late launches are not punished), ``units``,
      ``net_units``, ``revenue`` or ``sell_through`` (net units / ``stock`` of the product).
    - ``top_share``: the share of each season's ranked catalogue that are hits; or give an absolute
      ``threshold`` on the metric instead.
    - ``group_by``: rank within groups, e.g. ``"category"``: a dimension of the taxonomy (grouped by
      its top-level value, so midi and maxi dresses rank together as dresses; needs ``tags`` and
      ``taxonomy``) or a column of ``products``.
    - ``catalogue``: ``launched`` (products launched that season; a product without a known launch
      season counts as launched in its first season on sale) or ``on_sale`` (every product with a
      sale or a launch in the season).
    """
    owner = "label_hits"
    check_choice(metric, name="metric", owner=owner, choices=METRICS)
    check_choice(catalogue, name="catalogue", owner=owner, choices=CATALOGUES)
    check_int(min_days_on_sale, name="min_days_on_sale", owner=owner, low=0)
    if threshold is None:
        check_fraction(top_share, name="top_share", owner=owner)
    elif isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise ParameterError(f"The 'threshold' parameter of {owner} must be a number > 0 or None. "
                             f"Got {threshold!r} instead.")
    rows = metrics.merge(products[[c for c in ("product_id", "launch_season", "role", "stock") if c in products]],
                         on="product_id", how="left")
    ordinals = {s: calendar.ordinal(s) for s in rows["season"].astype(str).unique()}
    rows["_order"] = rows["season"].astype(str).map(ordinals)
    if catalogue == "launched":
        first = rows.loc[rows.groupby("product_id")["_order"].transform("idxmin"), "season"].astype("string")
        first.index = rows.index
        launched = rows["launch_season"].astype("string").fillna(first) if "launch_season" in rows else first
        rows = rows[rows["season"].astype("string") == launched]
    rows = rows.copy()
    rows["role"] = rows["role"].fillna("core") if "role" in rows else "core"
    rows["value"] = _metric(rows, metric)
    rows["group"] = _groups(rows, group_by, products, tags, taxonomy)

    rows["status"] = MISS
    rows.loc[rows["days_on_sale"] < min_days_on_sale, "status"] = TOO_SHORT
    rows.loc[rows["role"] == "image", "status"] = IMAGE
    ranked = rows["status"] == MISS
    keys = [rows["season"], rows["group"]]
    rows["rank"] = rows["value"].where(ranked).groupby(keys).rank(method="min", ascending=False)
    rows["n_ranked"] = ranked.groupby(keys).transform("sum").where(ranked)
    if threshold is None:
        cut = np.maximum(1, np.floor(top_share * rows["n_ranked"] + 0.5))
        is_hit = ranked & (rows["rank"] <= cut) & (rows["value"] > 0)
    else:
        is_hit = ranked & (rows["value"] >= threshold) & (rows["value"] > 0)
    rows.loc[is_hit, "status"] = HIT
    rows["hit"] = is_hit
    rows["metric"] = metric
    rows["rank"] = rows["rank"].astype("Int64")
    rows["n_ranked"] = rows["n_ranked"].astype("Int64")
    rows = rows.sort_values(["_order", "group", "rank", "product_id"], kind="stable", na_position="last")
    return rows[LABEL_COLUMNS].reset_index(drop=True)


def _metric(rows: pd.DataFrame, metric: str) -> pd.Series:
    if metric == "sell_through":
        if "stock" not in rows or rows["stock"].isna().all():
            raise ParameterError("metric='sell_through' needs the stock of each product (a 'stock' column in the "
                                 "catalogue); none is given. Use units_per_week, units, net_units or revenue.")
        return (rows["net_units"] / rows["stock"].where(rows["stock"] > 0)).fillna(0.0)
    if metric == "revenue" and rows["revenue"].isna().all():
        raise ParameterError("metric='revenue' needs revenue or unit prices in the sales; none is given.")
    return rows[metric].astype("float64").fillna(0.0)


def _groups(rows, group_by, products, tags, taxonomy) -> pd.Series:
    if not group_by:
        return pd.Series("all", index=rows.index)
    if group_by in products.columns:
        mapping = products.set_index("product_id")[group_by]
    elif taxonomy is not None and group_by in taxonomy.dimension_names:
        if tags is None:
            raise ParameterError(f"group_by={group_by!r} is a dimension: label_hits needs tags= to know each "
                                 "product's value.")
        values = tag_values(tags, group_by)
        top = {v: taxonomy.top_value(group_by, v) for v in values.unique()}
        mapping = values.map(top)
    else:
        allowed = [*(taxonomy.dimension_names if taxonomy else ()), *products.columns]
        from tagkit._checks import did_you_mean

        raise ParameterError(f"The 'group_by' parameter of label_hits must be a dimension of the taxonomy or a column "
                             f"of the products. Got {group_by!r} instead.{did_you_mean(group_by, allowed)}")
    return rows["product_id"].map(mapping).fillna("(none)").astype(str)


def hit_share(labels: pd.DataFrame, *, band: tuple[float, float] = DEFAULT_BAND,
              calendar: SeasonCalendar = QUARTERS) -> pd.DataFrame:
    """Per season: products ranked, hits, hit share, and where that share sits against the band."""
    low, high = band
    if not 0 <= low < high <= 1:
        raise ParameterError(f"The 'band' parameter of hit_share must be two shares with 0 <= low < high <= 1. "
                             f"Got {band!r} instead.")
    rows = []
    for season, part in labels.groupby("season", sort=False):
        ranked = part["status"].isin([HIT, MISS])
        hits = int(part["hit"].sum())
        n = int(ranked.sum())
        share = hits / n if n else 0.0
        rows.append({"season": season, "catalogue": n, "hits": hits, "hit_share": round(share, 4),
                     "band": "inside" if low <= share <= high else ("below" if share < low else "above"),
                     "image_products": int((part["status"] == IMAGE).sum()),
                     "too_few_days": int((part["status"] == TOO_SHORT).sum())})
    out = pd.DataFrame(rows, columns=["season", "catalogue", "hits", "hit_share", "band", "image_products",
                                      "too_few_days"])
    return out.sort_values("season", key=lambda s: s.map(calendar.ordinal), kind="stable").reset_index(drop=True)
