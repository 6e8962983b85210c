"""The tag-set search against brute-force enumeration."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import tagkit as tk
from tagkit.mining import pair_hits


def _random(seed, n=120, items=9, density=0.3):
    rng = np.random.default_rng(seed)
    matrix = rng.random((n, items)) < density
    hits = rng.random(n) < 0.3
    return matrix, hits


def _brute(matrix, hits, min_hits, max_size, exclude=None):
    out = {}
    for size in range(1, max_size + 1):
        for items in combinations(range(matrix.shape[1]), size):
            if exclude is not None and any(exclude[a, b] for a, b in combinations(items, 2)):
                continue
            has = matrix[:, list(items)].all(axis=1)
            if (has & hits).sum() >= min_hits:
                out[items] = (int((has & hits).sum()), int(has.sum()))
    return out


@pytest.mark.parametrize("engine", ["tagkit", "mlxtend"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_search_finds_exactly_the_brute_force_sets(engine, seed):
    matrix, hits = _random(seed)
    itemsets, n_hits, n_all = tk.mining.frequent_hit_itemsets(matrix, hits, min_hits=4, max_size=3, engine=engine)
    assert dict(zip(itemsets, zip(n_hits.tolist(), n_all.tolist()))) == _brute(matrix, hits, 4, 3)
    assert itemsets == sorted(itemsets)
    # as one array: the same sets in the same order, a row each, its positions and then -1
    sets, same_hits, same_all = tk.mining.frequent_hit_itemsets(
        matrix, hits, min_hits=4, max_size=3, engine=engine, as_array=True
    )
    assert sets.shape == (len(itemsets), max(map(len, itemsets)))
    assert [tuple(int(i) for i in row if i >= 0) for row in sets] == itemsets
    assert all((row[len(items) :] == -1).all() for row, items in zip(sets, itemsets))
    assert np.array_equal(same_hits, n_hits) and np.array_equal(same_all, n_all)


@pytest.mark.parametrize("chunk_words", [None, 1, 7])
@pytest.mark.parametrize("max_size", [1, 2, 4])
def test_the_search_in_small_chunks_and_deeper_sets_finds_the_brute_force_sets(monkeypatch, chunk_words, max_size):
    """A chunk of 1 or 7 words makes every level run over many chunks (one or a few tag sets each)."""
    if chunk_words:
        monkeypatch.setattr(tk.mining, "_CHUNK_WORDS", chunk_words)
    matrix, hits = _random(9, n=150, items=10, density=0.45)
    itemsets, n_hits, n_all = tk.mining.frequent_hit_itemsets(matrix, hits, min_hits=3, max_size=max_size)
    expected = _brute(matrix, hits, 3, max_size)
    assert dict(zip(itemsets, zip(n_hits.tolist(), n_all.tolist()))) == expected
    assert itemsets == sorted(itemsets) and any(len(s) == max_size for s in itemsets)


def test_excluded_pairs_never_stand_together():
    matrix, hits = _random(4)
    exclude = np.zeros((9, 9), bool)
    exclude[0, 1] = exclude[1, 0] = exclude[2, 5] = exclude[5, 2] = True
    itemsets, *_ = tk.mining.frequent_hit_itemsets(matrix, hits, min_hits=3, max_size=3, exclude=exclude)
    assert set(itemsets) == set(_brute(matrix, hits, 3, 3, exclude))


def test_sparse_and_dataframe_inputs_give_the_same_sets():
    matrix, hits = _random(5, n=200)
    dense = tk.mining.frequent_hit_itemsets(matrix, hits, min_hits=5, max_size=2)
    for other in (
        sp.csr_matrix(matrix),
        pd.DataFrame(matrix).astype(pd.SparseDtype(bool, False)),
        pd.DataFrame(matrix),
    ):
        got = tk.mining.frequent_hit_itemsets(other, hits, min_hits=5, max_size=2)
        assert got[0] == dense[0] and (got[1] == dense[1]).all() and (got[2] == dense[2]).all()


def test_pack_and_count_against_numpy():
    matrix, _ = _random(6, n=130)  # not a multiple of 64
    packed = tk.mining.pack_columns(matrix)
    assert packed.shape == (9, 3)
    sets = [(0,), (1, 4), (2, 3, 7)]
    expected = [int(matrix[:, list(s)].all(axis=1).sum()) for s in sets]
    assert tk.mining.count_itemsets(packed, sets).tolist() == expected
    assert (tk.mining.pack_columns(sp.csc_matrix(matrix)) == packed).all()


@pytest.mark.parametrize("density", [0.0, 0.05, 0.3, 1.0])
def test_pair_counts_against_a_matrix_product(density):
    matrix, _ = _random(7, n=150, items=11, density=density)
    as_int = matrix.astype(np.int64)
    assert (pair_hits(matrix) == as_int.T @ as_int).all()
    assert (pair_hits(np.asfortranarray(matrix)) == as_int.T @ as_int).all()  # a DataFrame's column-major values


def test_the_spark_engine_is_handed_a_session_never_starts_one():
    matrix, hits = _random(8)
    with pytest.raises(tk.ParameterError, match=r"engine='spark' of frequent_hit_itemsets needs the Spark session"):
        tk.mining.frequent_hit_itemsets(matrix, hits, min_hits=3, max_size=2, engine="spark")
    with pytest.raises(tk.ParameterError, match=r"needs the Spark session to run on"):
        tk.mine_hit_rules(pd.DataFrame(matrix), hits, min_hits=3, engine="spark")
