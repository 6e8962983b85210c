"""Competitor comparison against hand counts."""

import numpy as np
import pandas as pd
import pytest

import tagkit as tk


def test_competitor_shares_and_verdicts():
    own = pd.DataFrame(
        {
            "p=stripe": [False] * 95 + [True] * 5,
            "c=dress": [True] * 60 + [False] * 40,
            "m=linen": [True] * 20 + [False] * 80,
        }
    )
    hits = np.zeros(100, bool)
    hits[:10] = True  # hits: dresses only, none linen? first 10 rows are dresses and linen
    competitors = pd.DataFrame(
        {
            "p=stripe": [True] * 30 + [False] * 20,
            "c=dress": [True] * 10 + [False] * 40,
            "m=linen": [True] * 25 + [False] * 25,
        }
    )
    table = tk.competitor_comparison(own, hits, competitors, max_size=1, min_share=0.1).set_index("tags")
    stripe = table.loc["p=stripe"]
    assert (stripe["share_of_competitor_bestsellers"], stripe["share_of_own_range"]) == (0.6, 0.05)
    assert stripe["verdict"] == "whitespace"
    dress = table.loc["c=dress"]
    assert dress["share_of_own_hits"] == 1.0 and dress["share_of_own_range"] == 0.6
    with pytest.raises(tk.ParameterError, match="same tag columns"):
        tk.competitor_comparison(own, hits, competitors[["c=dress"]])
