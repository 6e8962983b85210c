"""encode_tags against a matrix built by hand from the taxonomy file's own parent links."""

import numpy as np
import pandas as pd

import tagkit as tk
from tests.conftest import TAXONOMY


def _parents():
    out = {}
    for d in TAXONOMY["dimensions"]:
        for v in d["values"]:
            if isinstance(v, dict) and v.get("parent"):
                out[f"{d['name']}={v['name']}"] = f"{d['name']}={v['parent']}"
    return out


def _random_resolved(taxonomy, seed=5, n=40):
    rng = np.random.default_rng(seed)
    spellings = {
        "category": ["dress", "midi dress", "jeans", "top"],
        "colour": ["black", "beige", "navvy"],
        "material": ["linen", "wool"],
        "occasion": ["work", "party", "vacation"],
    }
    rows = []
    for p in range(n):
        for dim, values in spellings.items():
            for _ in range(rng.integers(0, 3)):
                rows.append((f"P{p:02d}", p + 2, dim, dim, values[rng.integers(0, len(values))]))
    raw = pd.DataFrame(rows, columns=["product_id", "row", "column", "raw_dimension", "raw_value"])
    return tk.normalise_tags(raw, taxonomy), [f"P{p:02d}" for p in range(n + 3)]


def test_matrix_matches_hand_encoding(taxonomy):
    resolved, ids = _random_resolved(taxonomy)
    matrix = tk.encode_tags(resolved, taxonomy, products=ids)
    parents = _parents()
    expected = pd.DataFrame(False, index=pd.Index(ids, name="product_id"), columns=taxonomy.items)
    for r in resolved.itertuples():
        if r.status in ("ok", "repeated"):
            item = r.item
            while item:
                expected.loc[r.product_id, item] = True
                item = parents.get(item)
    assert matrix.values.tolist() == expected.values.tolist()
    assert matrix.columns.tolist() == taxonomy.items
    assert not matrix.loc[ids[-1]].any()  # a product without tags is a row of False


def test_columns_do_not_depend_on_the_data(taxonomy):
    one, _ = _random_resolved(taxonomy, seed=1, n=5)
    two, _ = _random_resolved(taxonomy, seed=2, n=50)
    assert tk.encode_tags(one, taxonomy).columns.tolist() == tk.encode_tags(two, taxonomy).columns.tolist()


def test_parents_can_be_left_out(taxonomy):
    resolved, ids = _random_resolved(taxonomy)
    flat = tk.encode_tags(resolved, taxonomy, products=ids, expand_parents=False)
    usable = resolved[resolved["status"].isin(["ok", "repeated"])]
    assert int(flat.values.sum()) == usable[["product_id", "item"]].drop_duplicates().shape[0]


def test_sparse_equals_dense(taxonomy):
    resolved, ids = _random_resolved(taxonomy, n=200)
    dense = tk.encode_tags(resolved, taxonomy, products=ids)
    sparse = tk.encode_tags(resolved, taxonomy, products=ids, sparse=True)
    assert isinstance(sparse.dtypes.iloc[0], pd.SparseDtype)
    assert sparse.sparse.to_dense().astype(bool).equals(dense)


def test_repeated_products_are_refused(taxonomy):
    import pytest

    resolved, _ = _random_resolved(taxonomy, n=3)
    with pytest.raises(tk.ParameterError, match=r"must list each product once; 'P01' appear"):
        tk.encode_tags(resolved, taxonomy, products=["P00", "P01", "P01"])
