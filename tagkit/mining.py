"""Frequent tag sets among hits, counted in the whole catalogue: the search behind the rules.

A rule ``X => hit`` can only reach ``min_hits`` if ``X`` is frequent among the hits, which are a
small share of the catalogue. So the search runs on the hit rows only (level by level, a chunk of
tag sets per numpy call, each set extended by the tags that come after its last one, pruned by the
pairs that are frequent among hits); each frequent tag set is then counted over the whole catalogue
with bit-packed columns (``AND`` and popcount over 64 products at a time).

``engine="mlxtend"`` finds the frequent tag sets with mlxtend's FP-growth instead, and
``engine="spark"`` with Spark MLlib's FPGrowth (for hit rows too many for one machine); the counts
over the whole catalogue are the same bit-packed counts, and the tests check every engine against
the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import Whole, check_engine, validate_params
from tagkit.errors import ParameterError
from tagkit.vocabulary import MAX_TAG_SET_SIZE
from tagkit.vocabulary import MINING_ENGINES as ENGINES


def pack_columns(matrix) -> np.ndarray:
    """The columns of a boolean matrix (dense array, scipy sparse or a DataFrame, sparse or not)
    as bit sets: an array of shape (n_columns, ceil(n_rows / 64)) of uint64."""
    if isinstance(matrix, pd.DataFrame):
        if all(isinstance(dtype, pd.SparseDtype) for dtype in matrix.dtypes) and matrix.shape[1]:
            matrix = matrix.sparse.to_coo().tocsc()
        else:
            matrix = matrix.to_numpy(dtype=bool)
    n_rows, n_cols = matrix.shape
    words = max(1, -(-n_rows // 64))
    if hasattr(matrix, "tocsc"):  # scipy sparse: one column at a time, never the dense matrix
        csc = matrix.tocsc()
        out = np.zeros((n_cols, words), dtype=np.uint64)
        column = np.zeros(words * 64, dtype=bool)
        for j in range(n_cols):
            rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
            column[:] = False
            column[rows[csc.data[csc.indptr[j] : csc.indptr[j + 1]] != 0]] = True
            out[j] = np.packbits(column, bitorder="little").view(np.uint64)
        return out
    # pack each column along its own contiguous run of rows (free when the matrix is column-major,
    # as a DataFrame's values are)
    columns = np.ascontiguousarray(np.asarray(matrix, dtype=bool).T)
    out = np.zeros((n_cols, words * 8), dtype=np.uint8)
    out[:, : -(-n_rows // 8)] = np.packbits(columns, axis=1, bitorder="little")
    return out.view(np.uint64)


def _popcount(bits: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits).sum(axis=-1, dtype=np.int64)


def pair_hits(rows: np.ndarray) -> np.ndarray:
    """How many rows hold each pair of columns (the diagonal: each column), counted from the rows' own tags.

    A product carries a dozen tags out of hundreds, so pairing the tags within each row is far less work than
    a matrix product (and needs no BLAS, whose threads slowed it down on a shared two-core machine)."""
    rows = np.ascontiguousarray(rows, dtype=bool)
    n_cols = rows.shape[1]
    # row by row, columns ascending within a row (numpy's 2-D nonzero is several times slower than this)
    row, col = np.divmod(np.flatnonzero(rows), n_cols)
    counts = np.zeros(n_cols * n_cols, dtype=np.int64)
    for gap in range(1, n_cols):  # the pairs gap places apart in a row's tag list
        same = row[gap:] == row[:-gap]
        if not same.any():
            break
        counts += np.bincount(col[:-gap][same] * n_cols + col[gap:][same], minlength=n_cols * n_cols)
    pairs = counts.reshape(n_cols, n_cols)
    pairs = pairs + pairs.T
    pairs[np.diag_indices(n_cols)] = np.bincount(col, minlength=n_cols)
    return pairs


def count_itemsets(packed: np.ndarray, itemsets) -> np.ndarray:
    """How many rows hold every item of each tag set (tag sets as tuples of column positions)."""
    counts = np.empty(len(itemsets), dtype=np.int64)
    for k, items in enumerate(itemsets):
        bits = packed[items[0]]
        for j in items[1:]:
            bits = bits & packed[j]
        counts[k] = int(np.bitwise_count(bits).sum(dtype=np.int64))
    return counts


@validate_params(min_hits=Whole(1), max_size=Whole(1, MAX_TAG_SET_SIZE))
def frequent_hit_itemsets(
    matrix,
    hits,
    *,
    min_hits: int,
    max_size: int,
    exclude: np.ndarray | None = None,
    engine: str | None = None,
    spark=None,
    as_array: bool = False,
) -> tuple[list[tuple[int, ...]] | np.ndarray, np.ndarray, np.ndarray]:
    """Every tag set of at most ``max_size`` tags held by at least ``min_hits`` hits.

    Returns the tag sets (tuples of column positions, ascending), their number of hits and their
    number of rows in the whole matrix. ``exclude`` (n_columns x n_columns, boolean) names pairs
    of columns that may not stand in one tag set (a tag and its parent, say). With ``as_array``, the tag sets
    are one array instead, in the same order: a row per set, its column positions and then -1 (the rules are
    computed from it with no Python object per set).
    """
    engine = check_engine(engine, spark, owner="frequent_hit_itemsets", choices=ENGINES, default="tagkit")
    if engine == "spark" and spark is None:  # the miner is handed a session; it never starts one itself
        raise ParameterError(
            "engine='spark' of frequent_hit_itemsets needs the Spark session to run on: pass "
            "spark=... (tagkit.io.engines.spark_session() starts a local one)."
        )
    hits = np.asarray(hits, dtype=bool)
    if isinstance(matrix, pd.DataFrame) and not any(isinstance(d, pd.SparseDtype) for d in matrix.dtypes):
        matrix = matrix.to_numpy(dtype=bool)
    if hasattr(matrix, "tocsr") or isinstance(matrix, pd.DataFrame):
        csr = matrix.sparse.to_coo().tocsr() if isinstance(matrix, pd.DataFrame) else matrix.tocsr()
        hit_rows = csr[np.flatnonzero(hits)].toarray().astype(bool)
    else:  # taken column by column: a DataFrame's values are column-major, and so is what the search packs
        hit_rows = np.asarray(matrix, dtype=bool).T.take(np.flatnonzero(hits), axis=1).T
    n_cols = hit_rows.shape[1]
    all_bits = pack_columns(matrix)
    if exclude is None:
        exclude = np.zeros((n_cols, n_cols), dtype=bool)
    if engine in ("mlxtend", "spark"):
        finder = _mlxtend_itemsets if engine == "mlxtend" else _spark_itemsets
        itemsets, n_hits = (
            finder(hit_rows, min_hits, max_size, exclude, spark)
            if engine == "spark"
            else finder(hit_rows, min_hits, max_size, exclude)
        )
        return (to_array(itemsets) if as_array else itemsets), n_hits, count_itemsets(all_bits, itemsets)
    sets, n_hits, n_all = _search(hit_rows, all_bits, min_hits, max_size, exclude)
    return (sets if as_array else as_tuples(sets)), n_hits, n_all


def set_sizes(sets: np.ndarray) -> np.ndarray:
    """The number of tags of each row of a set array."""
    return (sets >= 0).sum(axis=1)


def as_tuples(sets: np.ndarray) -> list[tuple[int, ...]]:
    """A set array as a list of tuples of column positions."""
    return [tuple(row[:size]) for row, size in zip(sets.tolist(), set_sizes(sets).tolist(), strict=True)]


def to_array(itemsets) -> np.ndarray:
    """Tuples of column positions as a set array (-1 past each set's size)."""
    width = max(map(len, itemsets), default=1)
    sets = np.full((len(itemsets), width), -1, dtype=np.int64)
    for k, items in enumerate(itemsets):
        sets[k, : len(items)] = items
    return sets


_CHUNK_WORDS = 1 << 21  # 16 MB of bit sets at a time


def _search(hit_rows, all_bits, min_hits, max_size, exclude):
    """Level by level, a chunk of tag sets at a time: each set is extended by every tag after its last one that
    pairs with each of its tags among the hits, and kept when enough hits hold it. One numpy call counts a whole
    chunk of extensions; a chunk's bit sets and its table of allowed extensions stay under _CHUNK_WORDS words or
    cells, so memory grows with neither the catalogue nor the taxonomy."""
    hit_bits = pack_columns(hit_rows)
    pairs = pair_hits(hit_rows)
    n_cols = pairs.shape[0]
    pair_ok = (pairs >= min_hits) & ~exclude
    after = np.triu(np.ones((n_cols, n_cols), dtype=bool), 1)  # [j, k]: k comes after j
    # tag sets per chunk: their bit sets, and the (sets x tags) table of allowed extensions, stay under the budget
    step = max(1, _CHUNK_WORDS // max(1, all_bits.shape[1], n_cols))
    item_hits = np.diagonal(pairs)
    frequent = np.flatnonzero(item_hits >= min_hits)
    found = [(frequent[:, None], item_hits[frequent], _popcount(all_bits[frequent]))]

    def grow(members, h_bits, a_bits):
        allowed = after[members[:, -1]]
        for t in range(members.shape[1]):
            allowed = allowed & pair_ok[members[:, t]]
        parent, item = np.nonzero(allowed)
        for start in range(0, len(parent), step):
            p, j = parent[start : start + step], item[start : start + step]
            h_children = h_bits[p]  # a copy (fancy indexing): ANDed in place, one buffer fewer
            h_children &= hit_bits[j]
            hits_of = _popcount(h_children)
            ok = hits_of >= min_hits
            if not ok.any():
                continue
            p, j, h_children, hits_of = p[ok], j[ok], h_children[ok], hits_of[ok]
            a_children = a_bits[p]
            a_children &= all_bits[j]
            children = np.column_stack([members[p], j])
            found.append((children, hits_of, _popcount(a_children)))
            if children.shape[1] < max_size:
                grow(children, h_children, a_children)

    if max_size > 1:
        for start in range(0, len(frequent), step):
            chunk = frequent[start : start + step]
            grow(chunk[:, None], hit_bits[chunk], all_bits[chunk])
    sets = np.full((sum(len(m) for m, _, _ in found), max(m.shape[1] for m, _, _ in found)), -1, dtype=np.int64)
    start = 0
    for members, _, _ in found:
        sets[start : start + len(members), : members.shape[1]] = members
        start += len(members)
    # each set after its prefixes (-1 comes first), as the other engines list them: column 0 the first key
    order = np.lexsort(sets.T[::-1])
    n_hits = np.concatenate([h for _, h, _ in found])[order]
    n_all = np.concatenate([a for _, _, a in found])[order]
    return sets[order], n_hits, n_all


def _mlxtend_itemsets(hit_rows, min_hits, max_size, exclude):
    from mlxtend.frequent_patterns import fpgrowth

    n = len(hit_rows)
    if n == 0:
        return [], np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame(hit_rows, columns=range(hit_rows.shape[1]))
    found = fpgrowth(frame, min_support=(min_hits - 0.5) / n, max_len=max_size, use_colnames=False)
    itemsets, counts = [], []
    for support, items in zip(found["support"], found["itemsets"]):
        items = tuple(sorted(int(i) for i in items))
        count = int(round(support * n))
        if count < min_hits or any(exclude[a, b] for a in items for b in items if a < b):
            continue
        itemsets.append(items)
        counts.append(count)
    order = sorted(range(len(itemsets)), key=lambda k: itemsets[k])
    return [itemsets[k] for k in order], np.array([counts[k] for k in order], dtype=np.int64)


def _spark_itemsets(hit_rows, min_hits, max_size, exclude, spark):
    """Frequent tag sets among the hit rows with Spark MLlib's FPGrowth. FPGrowth has no length limit, so
    the longer sets it finds are dropped afterwards."""
    from pyspark.ml.fpm import FPGrowth
    from pyspark.sql.types import ArrayType, IntegerType, StructField, StructType

    n = len(hit_rows)
    if n == 0:
        return [], np.zeros(0, dtype=np.int64)
    transactions = [([int(j) for j in np.flatnonzero(row)],) for row in hit_rows]
    frame = spark.createDataFrame(transactions, StructType([StructField("items", ArrayType(IntegerType()))]))
    model = FPGrowth(itemsCol="items", minSupport=(min_hits - 0.5) / n, minConfidence=1.0).fit(frame)
    found = model.freqItemsets.where(f"size(items) <= {int(max_size)}").collect()
    itemsets, counts = [], []
    for row in found:
        items = tuple(sorted(int(i) for i in row["items"]))
        if row["freq"] < min_hits or any(exclude[a, b] for a in items for b in items if a < b):
            continue
        itemsets.append(items)
        counts.append(int(row["freq"]))
    order = sorted(range(len(itemsets)), key=lambda k: itemsets[k])
    return [itemsets[k] for k in order], np.array([counts[k] for k in order], dtype=np.int64)
