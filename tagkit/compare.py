"""The brand against competitor (or market) best sellers, and how homogeneous its own range is.

- *whitespace*: tag sets competitors win with that the brand hardly offers;
- *crowded*: tag sets the brand offers a lot of without them marking its hits;
- *homogeneity*: how concentrated a range is on the same look (a *tag signature*: the values of a
  few defining dimensions), measured by the Herfindahl index of signature shares and by the
  largest look-alike group. The season planner uses signatures as a cap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import check_fraction
from tagkit.errors import ParameterError
from tagkit.mining import count_itemsets, frequent_hit_itemsets, pack_columns
from tagkit.rules import tag_exclusions
from tagkit.tags import USABLE
from tagkit.taxonomy import Taxonomy


def competitor_comparison(
    own: pd.DataFrame,
    own_hits,
    competitors: pd.DataFrame,
    *,
    max_size: int = 2,
    min_share: float = 0.05,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """Shares of each tag set (held by at least ``min_share`` of competitor best sellers) among
    competitor best sellers, the brand's own hits and its whole catalogue, with a verdict:

    - ``whitespace``: competitors win with it; at most half that share of the brand's range has it;
    - ``crowded``: at least ``min_share`` of the brand's range has it and its hits have it less
      often than the range does (lift below 1);
    - ``shared strength``: over-represented among both competitor best sellers and own hits.
    """
    check_fraction(min_share, name="min_share", owner="competitor_comparison")
    if list(own.columns) != list(competitors.columns):
        raise ParameterError("competitor_comparison: the own and competitor matrices must have the same tag columns "
                             "(encode both with the same taxonomy).")
    own_hits = np.asarray(own_hits, dtype=bool)
    n_comp = len(competitors)
    if n_comp == 0 or len(own) == 0:
        raise ParameterError("competitor_comparison needs own products and competitor best sellers; one is empty.")
    both = pd.concat([competitors.astype(bool), own.astype(bool)], ignore_index=True)
    is_comp = np.r_[np.ones(n_comp, bool), np.zeros(len(own), bool)]
    columns = [str(c) for c in own.columns]
    itemsets, n_in_comp, n_total = frequent_hit_itemsets(
        both, is_comp, min_hits=max(1, int(np.ceil(min_share * n_comp))), max_size=max_size,
        exclude=tag_exclusions(columns, taxonomy))
    n_own = n_total - n_in_comp
    n_own_hits = count_itemsets(pack_columns(own.iloc[np.flatnonzero(own_hits)]), itemsets) if own_hits.any() \
        else np.zeros(len(itemsets), dtype=np.int64)
    out = pd.DataFrame({
        "tags": [" & ".join(columns[i] for i in items) for items in itemsets],
        "size": [len(items) for items in itemsets],
        "share_of_competitor_bestsellers": n_in_comp / n_comp,
        "share_of_own_hits": n_own_hits / max(int(own_hits.sum()), 1),
        "share_of_own_range": n_own / len(own),
        "n_own_products": n_own,
    })
    out["own_lift"] = np.where(out["share_of_own_range"] > 0, out["share_of_own_hits"] / out["share_of_own_range"],
                               np.nan)
    out["competitor_vs_own_range"] = out["share_of_competitor_bestsellers"] / out["share_of_own_range"].where(
        out["share_of_own_range"] > 0, 1 / len(own))
    whitespace = out["share_of_own_range"] <= out["share_of_competitor_bestsellers"] / 2
    crowded = (out["share_of_own_range"] >= min_share) & (out["own_lift"] < 1)
    shared = (out["competitor_vs_own_range"] > 1) & (out["own_lift"] > 1)
    out["verdict"] = np.select([whitespace, crowded, shared], ["whitespace", "crowded", "shared strength"], "")
    out = out.sort_values(["competitor_vs_own_range", "tags"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def tag_signatures(
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    dimensions=None,
    coarse=None,
    products=None,
) -> pd.Series:
    """Each product's look: the values of ``dimensions`` joined ('coat|earth-tone|wool|check|boxy');
    ``coarse`` dimensions use their top-level value (beige and camel are both earth-tone). By default
    both come from the taxonomy's roles (``taxonomy.roles``: dataset.yml's ``analysis``, or the fallback).
    A missing value is '?'. Indexed by product_id."""
    roles = taxonomy.roles
    dimensions = roles.look if dimensions is None else dimensions
    coarse = roles.look_top_level if coarse is None else coarse
    dimensions = [d for d in dimensions if d in taxonomy.dimension_names]
    if not dimensions:
        raise ParameterError(f"tag_signatures: none of the dimensions {list(dimensions)} is in the taxonomy "
                             f"({', '.join(taxonomy.dimension_names)}).")
    usable = tags[tags["status"].isin(USABLE) & tags["dimension"].isin(dimensions)]
    first = usable.groupby(["product_id", "dimension"], sort=False)["value"].first().unstack()
    for d in coarse:
        if d in first.columns:
            first[d] = first[d].map(lambda v, d=d: taxonomy.top_value(d, v) if isinstance(v, str) else v)
    first = first.reindex(columns=dimensions)
    ids = (products["product_id"] if isinstance(products, pd.DataFrame) else pd.Index(products)) \
        if products is not None else first.index
    first = first.reindex(pd.Index(pd.Series(ids, dtype=object).astype(str), name="product_id"))
    if first.empty:
        return pd.Series([], index=first.index, dtype=object, name="signature")
    return first.astype(object).fillna("?").astype(str).agg("|".join, axis=1).rename("signature")


def homogeneity(signatures: pd.Series, groups: pd.Series | None = None) -> pd.DataFrame:
    """How concentrated a range is on the same looks, per group (e.g. season): products, distinct
    signatures, Herfindahl index of signature shares (1/n for an even range, 1 when all look alike),
    its inverse (the effective number of looks), and the share of the largest look-alike group."""
    frame = pd.DataFrame({"signature": signatures.values,
                          "group": groups.values if groups is not None else "all"})
    rows = []
    for group, part in frame.groupby("group", sort=False):
        shares = part["signature"].value_counts(normalize=True)
        hhi = float((shares ** 2).sum())
        rows.append({"group": group, "products": len(part), "signatures": len(shares), "hhi": hhi,
                     "effective_looks": 1 / hhi, "largest_group_share": float(shares.iloc[0]),
                     "largest_group": shares.index[0]})
    return pd.DataFrame(rows)


def look_alike_groups(signatures: pd.Series, hits: pd.Series, *, top: int = 15) -> pd.DataFrame:
    """The largest groups of products sharing a signature, with their hits and hit rate."""
    frame = pd.DataFrame({"signature": signatures.values, "hit": np.asarray(hits, dtype=bool)})
    out = frame.groupby("signature").agg(products=("hit", "size"), hits=("hit", "sum")).reset_index()
    out["hit_rate"] = out["hits"] / out["products"]
    out["share_of_range"] = out["products"] / len(frame)
    return out.sort_values(["products", "signature"], ascending=[False, True]).head(top).reset_index(drop=True)


def homogeneity_by_season(labels: pd.DataFrame, signatures: pd.Series) -> pd.DataFrame:
    """:func:`homogeneity` of each season's catalogue (the labelled products, image products included)."""
    looks = signatures.reindex(labels["product_id"].astype(str)).fillna("?")
    out = homogeneity(looks, labels["season"])
    return out.rename(columns={"group": "season"})
