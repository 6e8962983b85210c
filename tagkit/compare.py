"""The brand against competitor (or market) best sellers.

- *whitespace*: tag sets competitors win with that the brand hardly offers;
- *crowded*: tag sets the brand offers a lot of without them marking its hits.

How homogeneous the brand's own range is, on its looks, is in :mod:`tagkit.looks`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import Share, Whole, validate_params
from tagkit.errors import ParameterError
from tagkit.mining import count_itemsets, frequent_hit_itemsets, pack_columns
from tagkit.rules import tag_exclusions
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import MAX_TAG_SET_SIZE


@validate_params(max_size=Whole(1, MAX_TAG_SET_SIZE), min_share=Share())
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
    if list(own.columns) != list(competitors.columns):
        raise ParameterError(
            "competitor_comparison: the own and competitor matrices must have the same tag columns "
            "(encode both with the same taxonomy)."
        )
    own_hits = np.asarray(own_hits, dtype=bool)
    n_comp = len(competitors)
    if n_comp == 0 or len(own) == 0:
        raise ParameterError("competitor_comparison needs own products and competitor best sellers; one is empty.")
    both = pd.concat([competitors.astype(bool), own.astype(bool)], ignore_index=True)
    is_comp = np.r_[np.ones(n_comp, bool), np.zeros(len(own), bool)]
    columns = [str(c) for c in own.columns]
    itemsets, n_in_comp, n_total = frequent_hit_itemsets(
        both,
        is_comp,
        min_hits=max(1, int(np.ceil(min_share * n_comp))),
        max_size=max_size,
        exclude=tag_exclusions(columns, taxonomy),
    )
    n_own = n_total - n_in_comp
    n_own_hits = (
        count_itemsets(pack_columns(own.iloc[np.flatnonzero(own_hits)]), itemsets)
        if own_hits.any()
        else np.zeros(len(itemsets), dtype=np.int64)
    )
    out = pd.DataFrame(
        {
            "tags": [" & ".join(columns[i] for i in items) for items in itemsets],
            "size": [len(items) for items in itemsets],
            "share_of_competitor_bestsellers": n_in_comp / n_comp,
            "share_of_own_hits": n_own_hits / max(int(own_hits.sum()), 1),
            "share_of_own_range": n_own / len(own),
            "n_own_products": n_own,
        }
    )
    out["own_lift"] = np.where(
        out["share_of_own_range"] > 0, out["share_of_own_hits"] / out["share_of_own_range"], np.nan
    )
    out["competitor_vs_own_range"] = out["share_of_competitor_bestsellers"] / out["share_of_own_range"].where(
        out["share_of_own_range"] > 0, 1 / len(own)
    )
    whitespace = out["share_of_own_range"] <= out["share_of_competitor_bestsellers"] / 2
    crowded = (out["share_of_own_range"] >= min_share) & (out["own_lift"] < 1)
    shared = (out["competitor_vs_own_range"] > 1) & (out["own_lift"] > 1)
    out["verdict"] = np.select([whitespace, crowded, shared], ["whitespace", "crowded", "shared strength"], "")
    out = out.sort_values(["competitor_vs_own_range", "tags"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


HUB_PAIRS = 3  # pairs of one verdict sharing a tag, from which they are read as one finding


def comparison_findings(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison for reading, one row per finding, in the same order; the export keeps every row.

    A pair of tags whose verdict one of its tags already has on its own ('Stripe + Preppy' when Preppy alone is
    whitespace) is folded into that tag's row. Pairs of one verdict that share a tag which is no finding on its
    own, :data:`HUB_PAIRS` or more of them ('Wool + Oversized', 'Knitwear + Oversized', 'Boxy + Oversized'), are
    folded into the first of them. ``pairs_with_it`` counts and names what a row holds."""
    if comparison is None or comparison.empty:
        return comparison
    single = comparison[comparison["size"] == 1].set_index("tags")
    verdict_of = single["verdict"].to_dict()
    strength = single["share_of_competitor_bestsellers"].to_dict()
    rows = list(zip(comparison["tags"], comparison["size"], comparison["verdict"]))
    folded: dict[str, list[str]] = {}
    keep = []
    for tags, size, verdict in rows:
        parts = tags.split(" & ")
        owners = [p for p in parts if verdict and verdict_of.get(p) == verdict] if size > 1 else []
        if owners:
            owner = max(owners, key=lambda p: (strength.get(p, 0), p))
            folded.setdefault(owner, []).append(" & ".join(p for p in parts if p != owner))
        keep.append(not owners)
    # the tags shared by enough of the remaining pairs of one verdict: the first such pair holds the others
    shared: dict[tuple, int] = {}
    for (tags, size, verdict), kept in zip(rows, keep):
        if kept and size > 1 and verdict:
            for part in tags.split(" & "):
                shared[(verdict, part)] = shared.get((verdict, part), 0) + 1
    first: dict[tuple, str] = {}
    for i, (tags, size, verdict) in enumerate(rows):
        if not keep[i] or size < 2 or not verdict:
            continue
        hubs = [(verdict, part) for part in tags.split(" & ") if shared.get((verdict, part), 0) >= HUB_PAIRS]
        anchor = next((first[hub] for hub in hubs if hub in first), None)
        if anchor is not None:
            folded.setdefault(anchor, []).append(tags)
            keep[i] = False
        else:
            first.update({hub: tags for hub in hubs})
    out = comparison[keep].copy()
    out["pairs_with_it"] = [
        f"{len(folded[t])}: {', '.join(folded[t][:6])}{', …' if len(folded[t]) > 6 else ''}" if t in folded else ""
        for t in out["tags"]
    ]
    return out.reset_index(drop=True)
