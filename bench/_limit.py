"""The practical limit of mining ``X => hit`` rules, for bench_rules.py: the bitset search restricted to the hit
rows and a log-space Fisher tail, both compiled (numba), with nothing else (no q-values, no improvement test, no
status, no table). tagkit's own miner is measured against it; numba is installed for the benchmark only.

Input and output as tagkit's: a boolean products x tags matrix and the hit flags in; every tag set of at most
``max_size`` tags held by at least ``min_hits`` hits out, with its number of hits, of products and its p-value.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from tagkit.mining import pack_columns


@njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True)
def _and_count(a, b):
    total = 0
    for w in range(a.shape[0]):
        total += _popcount(a[w] & b[w])
    return total


@njit(cache=True)
def _pair_counts(indptr, indices, n_cols):
    """Hits holding each pair of tags, from the hit rows' tag lists."""
    pairs = np.zeros((n_cols, n_cols), dtype=np.int64)
    for r in range(indptr.shape[0] - 1):
        for x in range(indptr[r], indptr[r + 1]):
            for y in range(x + 1, indptr[r + 1]):
                pairs[indices[x], indices[y]] += 1
    return pairs


@njit(cache=True)
def _search(hit_bits, all_bits, item_hits, pair_ok, min_hits, max_size):
    n_cols = hit_bits.shape[0]
    cap = 1024
    items = np.full((cap, max_size), -1, dtype=np.int32)
    n_hits = np.empty(cap, dtype=np.int64)
    n_all = np.empty(cap, dtype=np.int64)
    found = 0
    h_stack = np.empty((max_size, hit_bits.shape[1]), dtype=np.uint64)
    a_stack = np.empty((max_size, all_bits.shape[1]), dtype=np.uint64)
    allowed = np.empty((max_size, n_cols), dtype=np.bool_)
    prefix = np.empty(max_size, dtype=np.int32)
    following = np.empty(max_size, dtype=np.int64)
    for i in range(n_cols):
        if item_hits[i] < min_hits:
            continue
        if found == cap:
            cap *= 2
            items, n_hits, n_all = _grow(items, n_hits, n_all, cap)
        items[found, 0] = i
        n_hits[found] = item_hits[i]
        n_all[found] = _and_count(all_bits[i], all_bits[i])
        found += 1
        if max_size == 1:
            continue
        depth = 0
        prefix[0] = i
        h_stack[0] = hit_bits[i]
        a_stack[0] = all_bits[i]
        allowed[0] = pair_ok[i]
        following[0] = i + 1
        while depth >= 0:
            j = following[depth]
            while j < n_cols and not allowed[depth, j]:
                j += 1
            if j >= n_cols:
                depth -= 1
                continue
            following[depth] = j + 1
            h = _and_count(h_stack[depth], hit_bits[j])
            if h < min_hits:
                continue
            if found == cap:
                cap *= 2
                items, n_hits, n_all = _grow(items, n_hits, n_all, cap)
            for d in range(depth + 1):
                items[found, d] = prefix[d]
            items[found, depth + 1] = j
            n_hits[found] = h
            n_all[found] = _and_count(a_stack[depth], all_bits[j])
            found += 1
            if depth + 2 < max_size:
                d = depth + 1
                h_stack[d] = h_stack[depth] & hit_bits[j]
                a_stack[d] = a_stack[depth] & all_bits[j]
                allowed[d] = allowed[depth] & pair_ok[j]
                prefix[d] = j
                following[d] = j + 1
                depth = d
    return items[:found], n_hits[:found], n_all[:found]


@njit(cache=True)
def _grow(items, n_hits, n_all, cap):
    more = np.full((cap, items.shape[1]), -1, dtype=np.int32)
    more[: items.shape[0]] = items
    h = np.empty(cap, dtype=np.int64)
    h[: n_hits.shape[0]] = n_hits
    a = np.empty(cap, dtype=np.int64)
    a[: n_all.shape[0]] = n_all
    return more, h, a


@njit(cache=True)
def _fisher(n_hits, n_all, population, successes):
    """P(X >= hits) for X ~ Hypergeometric(population, successes, products), in log space."""
    out = np.empty(n_hits.shape[0])
    base = math.lgamma(successes + 1) + math.lgamma(population - successes + 1) - math.lgamma(population + 1)
    for r in range(n_hits.shape[0]):
        k, n = n_hits[r], n_all[r]
        top = min(n, successes)
        log_first = (
            base
            + math.lgamma(n + 1)
            + math.lgamma(population - n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(successes - k + 1)
            - math.lgamma(n - k + 1)
            - math.lgamma(population - successes - n + k + 1)
        )
        term, total = 1.0, 1.0
        kk = k
        while kk < top:
            term *= (successes - kk) * (n - kk) / ((kk + 1.0) * (population - successes - n + kk + 1.0))
            total += term
            kk += 1
            if term < 1e-12 * total:
                break
        out[r] = min(1.0, math.exp(log_first + math.log(total)))
    return out


def mine(matrix: np.ndarray, hits: np.ndarray, *, min_hits: int, max_size: int):
    """Every frequent-among-hits tag set (item positions, -1 padded), its hits, products and Fisher p-value."""
    matrix = np.asarray(matrix, dtype=bool)
    hits = np.asarray(hits, dtype=bool)
    hit_rows = matrix[hits]
    rows, cols = np.nonzero(hit_rows)
    indptr = np.searchsorted(rows, np.arange(len(hit_rows) + 1)).astype(np.int64)
    pair_ok = _pair_counts(indptr, cols.astype(np.int64), matrix.shape[1]) >= min_hits
    pair_ok = pair_ok | pair_ok.T
    items, n_hits, n_all = _search(
        pack_columns(hit_rows), pack_columns(matrix), hit_rows.sum(axis=0).astype(np.int64), pair_ok, min_hits, max_size
    )
    p_values = _fisher(n_hits, n_all, len(matrix), int(hits.sum()))
    return items, n_hits, n_all, p_values


def warm_up() -> None:
    """Compile every kernel on a tiny input, before any clock starts."""
    rng = np.random.default_rng(0)
    matrix = rng.random((200, 6)) < 0.5
    mine(matrix, rng.random(200) < 0.3, min_hits=2, max_size=3)
