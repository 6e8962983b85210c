"""Frequent tag sets among hits, counted in the whole catalogue: the search behind the rules.

A rule ``X => hit`` can only reach ``min_hits`` if ``X`` is frequent among the hits, which are a
small share of the catalogue. So the search runs on the hit rows only (depth first, each tag set
extended by the tags that come after its last one, pruned by the pairs that are frequent among
hits); each frequent tag set is then counted over the whole catalogue with bit-packed columns
(``AND`` and popcount over 64 products at a time).

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
    rows = np.asarray(rows, dtype=bool)
    n_cols = rows.shape[1]
    row, col = np.nonzero(rows)  # row by row, columns ascending within a row
    counts = np.zeros(n_cols * n_cols, dtype=np.int64)
    for gap in range(1, n_cols):  # the pairs gap places apart in a row's tag list
        same = row[gap:] == row[:-gap]
        if not same.any():
            break
        counts += np.bincount(col[:-gap][same] * n_cols + col[gap:][same], minlength=n_cols * n_cols)
    pairs = counts.reshape(n_cols, n_cols)
    pairs = pairs + pairs.T
    pairs[np.diag_indices(n_cols)] = rows.sum(axis=0)
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
) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """Every tag set of at most ``max_size`` tags held by at least ``min_hits`` hits.

    Returns the tag sets (tuples of column positions, ascending), their number of hits and their
    number of rows in the whole matrix. ``exclude`` (n_columns x n_columns, boolean) names pairs
    of columns that may not stand in one tag set (a tag and its parent, say).
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
        return itemsets, n_hits, count_itemsets(all_bits, itemsets)
    return _search(hit_rows, all_bits, min_hits, max_size, exclude)


_CHUNK_WORDS = 1 << 21  # 16 MB of bit sets at a time when the last level is counted in one go


def _search(hit_rows, all_bits, min_hits, max_size, exclude):
    hit_bits = pack_columns(hit_rows)
    item_hits = hit_rows.sum(axis=0)
    pair_ok = (pair_hits(hit_rows) >= min_hits) & ~exclude
    after = np.arange(hit_rows.shape[1])[None, :] > np.arange(hit_rows.shape[1])[:, None]  # [j, k]: k comes after j
    itemsets: list[tuple[int, ...]] = []
    n_hits: list[int] = []
    n_all: list[int] = []

    def counts(parents, h_parents, a_parents, items):
        """Hits and rows of each parent set extended by its item (parents index the bit sets), a chunk at a time;
        the rows only for the extensions that reach min_hits."""
        hits_of = np.empty(len(items), dtype=np.int64)
        step = max(1, _CHUNK_WORDS // max(1, hit_bits.shape[1]))
        for start in range(0, len(items), step):
            end = start + step
            hits_of[start:end] = _popcount(h_parents[parents[start:end]] & hit_bits[items[start:end]])
        ok = hits_of >= min_hits
        parents, items, hits_of = parents[ok], items[ok], hits_of[ok]
        rows_of = np.empty(len(items), dtype=np.int64)
        step = max(1, _CHUNK_WORDS // max(1, all_bits.shape[1]))
        for start in range(0, len(items), step):
            end = start + step
            rows_of[start:end] = _popcount(a_parents[parents[start:end]] & all_bits[items[start:end]])
        return parents, items, hits_of, rows_of

    def expand(prefix, h_bits, a_bits, allowed):
        last = prefix[-1]
        candidates = np.flatnonzero(allowed[last + 1 :]) + last + 1
        if not len(candidates):
            return
        _, keep, kept_counts, a_counts = counts(
            np.zeros(len(candidates), dtype=np.int64), h_bits[None, :], a_bits[None, :], candidates
        )
        if not len(keep):
            return
        size = len(prefix) + 1
        if size == max_size:
            itemsets.extend(prefix + (int(j),) for j in keep)
            n_hits.extend(kept_counts.tolist())
            n_all.extend(a_counts.tolist())
            return
        h_children = hit_bits[keep] & h_bits
        a_children = all_bits[keep] & a_bits
        last_level = size + 1 == max_size
        if last_level:
            # the children's own extensions are the last level: count them all at once, not one call per child
            parent, item = np.nonzero(allowed[None, :] & pair_ok[keep] & after[keep])
            parent, item, leaf_hits, leaf_rows = counts(parent, h_children, a_children, item)
            bounds = np.searchsorted(parent, np.arange(len(keep) + 1))
            item, leaf_hits, leaf_rows = item.tolist(), leaf_hits.tolist(), leaf_rows.tolist()
        for k, j in enumerate(keep.tolist()):
            child = prefix + (j,)
            itemsets.append(child)
            n_hits.append(int(kept_counts[k]))
            n_all.append(int(a_counts[k]))
            if last_level:
                low, high = bounds[k], bounds[k + 1]
                itemsets.extend(child + (i,) for i in item[low:high])
                n_hits.extend(leaf_hits[low:high])
                n_all.extend(leaf_rows[low:high])
            else:
                expand(child, h_children[k], a_children[k], allowed & pair_ok[j])

    frequent = np.flatnonzero(item_hits >= min_hits)
    all_counts = _popcount(all_bits[frequent]) if len(frequent) else np.zeros(0, dtype=np.int64)
    for k, i in enumerate(frequent.tolist()):
        itemsets.append((i,))
        n_hits.append(int(item_hits[i]))
        n_all.append(int(all_counts[k]))
        if max_size > 1:
            expand((i,), hit_bits[i], all_bits[i], pair_ok[i])
    return itemsets, np.array(n_hits, dtype=np.int64), np.array(n_all, dtype=np.int64)


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
