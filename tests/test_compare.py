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


def test_pairs_that_a_tag_explains_on_its_own_are_listed_with_that_tag():
    comparison = pd.DataFrame(
        {
            "tags": [
                "style=preppy",
                "pattern=stripe & style=preppy",
                "fit=slim & style=preppy",
                "colour=red & fit=slim",
                "fit=slim",
                "pattern=stripe",
            ],
            "size": [1, 2, 2, 2, 1, 1],
            "share_of_competitor_bestsellers": [0.3, 0.2, 0.1, 0.1, 0.2, 0.05],
            "verdict": ["whitespace", "whitespace", "whitespace", "crowded", "shared strength", ""],
        }
    )
    out = tk.compare.comparison_findings(comparison)
    assert out["tags"].tolist() == ["style=preppy", "colour=red & fit=slim", "fit=slim", "pattern=stripe"]
    assert out["pairs_with_it"].tolist() == ["2: pattern=stripe, fit=slim", "", "", ""]
    assert len(comparison) == 6  # the input is not changed


def test_pairs_of_one_verdict_that_share_a_tag_are_listed_with_the_first_of_them():
    pairs = ["material=wool & fit=oversized", "category=knitwear & fit=oversized", "colour=red & fit=slim"]
    pairs += ["silhouette=boxy & fit=oversized", "fit=oversized & occasion=work"]
    comparison = pd.DataFrame(
        {
            "tags": [*pairs, "fit=oversized"],
            "size": [2, 2, 2, 2, 2, 1],
            "share_of_competitor_bestsellers": [0.3, 0.2, 0.2, 0.1, 0.1, 0.4],
            "verdict": ["whitespace", "whitespace", "whitespace", "whitespace", "crowded", "shared strength"],
        }
    )
    out = tk.compare.comparison_findings(comparison)
    # three whitespace pairs share Oversized (a finding of another verdict on its own): one row holds them; the
    # crowded pair with Oversized is another finding, and a tag shared by two pairs is no hub
    assert out["tags"].tolist() == [pairs[0], "colour=red & fit=slim", pairs[4], "fit=oversized"]
    assert out["pairs_with_it"].tolist() == [f"2: {pairs[1]}, {pairs[3]}", "", "", ""]
    two = tk.compare.comparison_findings(comparison.drop(index=3))
    assert len(two) == 5 and (two["pairs_with_it"] == "").all()
