"""Canonical tags into a boolean product x item matrix.

The columns are the taxonomy's items in taxonomy order, never the items that happen to occur,
so every season, every file and every run has the same columns in the same order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._arrays import positions_in, ragged_take
from tagkit._checks import check_frame
from tagkit._memory import freed_memory_kept
from tagkit.errors import ParameterError
from tagkit.tags import USABLE
from tagkit.taxonomy import Taxonomy


@freed_memory_kept
def encode_tags(
    resolved: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    products=None,
    expand_parents: bool = True,
    sparse: bool = False,
) -> pd.DataFrame:
    """One row per product, one boolean column per taxonomy item (``dimension=value``).

    ``products`` (a product table or a list of ids) fixes the rows and their order; products
    without any usable tag get a row of False. With ``expand_parents`` a product tagged
    ``category=midi-dress`` is also ``category=dress``. ``sparse=True`` returns pandas sparse
    columns (for catalogues of a million products), which mlxtend accepts as they are.
    """
    check_frame(resolved, "resolved tags", name="resolved", owner="encode_tags", source="normalise_tags")
    # codes first, text only for the distinct values: a million products carry twelve million tags
    usable = resolved["status"].isin(USABLE).to_numpy()
    product_codes, product_ids = pd.factorize(resolved["product_id"])
    product_ids = pd.Index(product_ids).astype(str)
    if products is None:
        present = np.unique(product_codes[usable & (product_codes >= 0)])
        index = pd.Index(sorted(product_ids[present]), name="product_id")
    else:
        ids = products["product_id"] if isinstance(products, pd.DataFrame) else pd.Series(list(products))
        index = pd.Index(ids.astype(str), name="product_id")
        if index.has_duplicates:
            repeated = sorted(index[index.duplicated()].unique())[:5]
            raise ParameterError(
                f"The 'products' parameter of encode_tags must list each product once; "
                f"{', '.join(map(repr, repeated))} appear more than once."
            )
    items = taxonomy.items
    rows = np.append(positions_in(index.to_series(), product_ids.to_series()), -1).astype(np.int64)[product_codes]
    codes, uniques = pd.factorize(resolved["item"])  # the distinct items, then their columns
    cols = np.append(pd.Index(items).get_indexer(uniques), -1).astype(np.int64)[codes]
    keep = usable & (rows >= 0) & (cols >= 0)
    rows, cols = rows[keep], cols[keep]
    if expand_parents:  # every (product, item) pair also stands for the item's ancestors
        position = {item: i for i, item in enumerate(items)}
        ancestors = [[position[a] for a in taxonomy.ancestors(item)] for item in items]
        repeat, parents = ragged_take(
            np.array([len(a) for a in ancestors], dtype=np.int64),
            np.array([a for chain in ancestors for a in chain], dtype=np.int64),
            cols,
        )
        rows = np.concatenate([rows, np.repeat(rows, repeat)])
        cols = np.concatenate([cols, parents])
    columns = pd.Index(items, name="item")
    if sparse:
        from scipy import sparse as sp

        matrix = sp.csc_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(index), len(items)))
        matrix.data = np.minimum(matrix.data, 1)  # a pair given twice is one True
        out = pd.DataFrame.sparse.from_spmatrix(matrix, index=index, columns=columns)
        return out.astype(pd.SparseDtype(bool, False))
    dense = np.zeros((len(index), len(items)), dtype=bool)
    dense[rows, cols] = True
    return pd.DataFrame(dense, index=index, columns=columns, copy=False)
