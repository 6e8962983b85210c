"""Looks: what a product looks like in a few defining dimensions (its *tag signature*), how homogeneous a
range is on them, and a product's description for the planner (name, role, top-level category, look).

A signature joins the values of the look dimensions ('coat|earth-tone|wool|check|boxy'); which dimensions make
a look, and which count by their top-level value, come from the taxonomy's roles (dataset.yml's ``analysis``,
or the documented fallback). Homogeneity is the Herfindahl index of signature shares and the largest
look-alike group; the season planner caps the products sharing one look.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import check_frame
from tagkit.errors import ParameterError
from tagkit.tags import USABLE, tag_values
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import NO_VALUE


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
        raise ParameterError(
            f"tag_signatures: none of the dimensions {list(dimensions)} is in the taxonomy "
            f"({', '.join(taxonomy.dimension_names)})."
        )
    usable = tags[tags["status"].isin(USABLE) & tags["dimension"].isin(dimensions)]
    first = usable.groupby(["product_id", "dimension"], sort=False)["value"].first().unstack()
    for d in coarse:
        if d in first.columns:
            values = first[d].dropna().unique()
            first[d] = first[d].map({v: taxonomy.top_value(d, v) for v in values})
    first = first.reindex(columns=dimensions)
    ids = (
        (products["product_id"] if isinstance(products, pd.DataFrame) else pd.Index(products))
        if products is not None
        else first.index
    )
    first = first.reindex(pd.Index(pd.Series(ids, dtype=object).astype(str), name="product_id"))
    if first.empty:
        return pd.Series([], index=first.index, dtype=object, name="signature")
    parts = first.astype(object).fillna("?").astype(str)
    joined = parts.iloc[:, 0]
    for d in parts.columns[1:]:  # column by column: a row-wise join is a Python call per product
        joined = joined + "|" + parts[d]
    return joined.rename("signature")


def homogeneity(signatures: pd.Series, groups: pd.Series | None = None) -> pd.DataFrame:
    """How concentrated a range is on the same looks, per group (e.g. season): products, distinct
    signatures, Herfindahl index of signature shares (1/n for an even range, 1 when all look alike),
    its inverse (the effective number of looks), and the share of the largest look-alike group."""
    frame = pd.DataFrame({"signature": signatures.values, "group": groups.values if groups is not None else "all"})
    rows = []
    for group, part in frame.groupby("group", sort=False):
        shares = part["signature"].value_counts(normalize=True)
        hhi = float((shares**2).sum())
        rows.append(
            {
                "group": group,
                "products": len(part),
                "signatures": len(shares),
                "hhi": hhi,
                "effective_looks": 1 / hhi,
                "largest_group_share": float(shares.iloc[0]),
                "largest_group": shares.index[0],
            }
        )
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
    check_frame(labels, "labels", name="labels", owner="homogeneity_by_season", source="label_hits")
    looks = signatures.reindex(labels["product_id"].astype(str)).fillna("?")
    out = homogeneity(looks, labels["season"])
    return out.rename(columns={"group": "season"})


def top_category(taxonomy: Taxonomy, tags: pd.DataFrame, dimension: str = "category") -> pd.Series:
    """Each product's top-level value of a dimension (midi-dress -> dress), indexed by product_id."""
    values = tag_values(tags, dimension)
    return values.map({v: taxonomy.top_value(dimension, v) for v in values.unique()}).rename(dimension)


def describe_products(
    products: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    product_ids=None,
    category_dimension: str | None = None,
) -> pd.DataFrame:
    """product_id, name, role, top-level category and look of the given products (all by default); the
    category dimension and the look come from ``taxonomy.roles`` unless ``category_dimension`` is given."""
    category_dimension = category_dimension or taxonomy.roles.category

    by_id = (
        products.assign(product_id=products["product_id"].astype(str))
        .drop_duplicates("product_id")
        .set_index("product_id")
    )
    ids = pd.Index([str(i) for i in (product_ids if product_ids is not None else by_id.index)], name="product_id")
    out = pd.DataFrame({"product_id": ids})
    out["name"] = by_id["name"].reindex(ids).values if "name" in by_id else ""
    out["role"] = by_id["role"].reindex(ids).fillna("core").values if "role" in by_id else "core"
    if category_dimension and category_dimension in taxonomy.dimension_names:
        out["category"] = top_category(taxonomy, tags, category_dimension).reindex(ids).fillna(NO_VALUE).values
    else:
        out["category"] = by_id["category"].reindex(ids).fillna("all").values if "category" in by_id else "all"
    out["look"] = tag_signatures(tags, taxonomy, products=ids).values
    return out
