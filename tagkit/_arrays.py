"""Array helpers for tables of millions of rows: text built by Arrow from codes, with no Python object per row."""

from __future__ import annotations

import numpy as np
import pandas as pd


def text_from_codes(codes: np.ndarray, vocabulary: list) -> pd.Series:
    """``vocabulary[codes]`` as a text column (anything but text in the vocabulary is a missing value)."""
    import pyarrow as pa

    array = pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(codes, dtype=np.int32)),
        pa.array([v if isinstance(v, str) else None for v in vocabulary] or [""], pa.large_string()),
    )
    return pd.Series(array.dictionary_decode(), dtype="str")


def ragged_take(lengths: np.ndarray, flat: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lists stored flat (list ``i`` is ``lengths[i]`` items of ``flat``, in order), taken at ``codes``: returns
    (how many items each code gives, their items one after the other), without a Python loop."""
    starts = np.cumsum(lengths) - lengths
    repeat = lengths[codes]
    within = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return repeat, flat[np.repeat(starts[codes], repeat) + within]


def positions_in(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """For each of ``values``, the position of the first equal key in ``keys`` (-1 when absent): the
    ``Index.get_indexer`` of text keys, by one hash pass over both (faster on millions of Arrow strings)."""
    codes, uniques = pd.factorize(pd.concat([keys, values], ignore_index=True))
    first = np.full(len(uniques), -1, dtype=np.int64)
    mine = codes[: len(keys)]
    first[mine[::-1]] = np.arange(len(keys), dtype=np.int64)[::-1]  # the last write, the first position, wins
    return first[codes[len(keys) :]]
