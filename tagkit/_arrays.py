"""Array helpers for tables of millions of rows: text built by Arrow from codes, with no Python object per row."""

from __future__ import annotations

import numpy as np
import pandas as pd


def text_from_codes(codes: np.ndarray, vocabulary: list) -> pd.Series:
    """``vocabulary[codes]`` as a text column (anything but text in the vocabulary is a missing value)."""
    import pyarrow as pa

    array = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)),
                                           pa.array([v if isinstance(v, str) else None for v in vocabulary] or [""],
                                                    pa.large_string()))
    return pd.Series(array.dictionary_decode(), dtype="str")


def positions_in(keys, values) -> np.ndarray:
    """For each of ``values``, the position of the first equal key in ``keys`` (-1 when absent): the
    ``Index.get_indexer`` of text keys, by one hash pass over both (faster on millions of Arrow strings)."""
    keys, values = pd.Series(np.asarray(keys) if isinstance(keys, list) else keys), pd.Series(values)
    codes, uniques = pd.factorize(pd.concat([keys.reset_index(drop=True), values.reset_index(drop=True)],
                                            ignore_index=True))
    first = np.full(len(uniques), -1, dtype=np.int64)
    mine = codes[:len(keys)]
    first[mine[::-1]] = np.arange(len(keys), dtype=np.int64)[::-1]  # the last write, the first position, wins
    return first[codes[len(keys):]]
