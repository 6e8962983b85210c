"""normalise_tags and the tag-health tables, checked against counts made by hand."""

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

import tagkit as tk
from tagkit.tags import NOT_RESOLVED


def _raw(rows):
    frame = pd.DataFrame(rows, columns=["product_id", "raw_dimension", "raw_value"])
    frame.insert(1, "row", range(2, len(frame) + 2))
    frame.insert(2, "column", "c")
    return frame[["product_id", "row", "column", "raw_dimension", "raw_value"]]


def test_statuses(taxonomy):
    raw = _raw(
        [
            ("1", "colour", "Black "),
            ("1", "colour", "navvy"),
            ("1", None, "denim"),
            ("1", "size", "M"),
            ("1", "category", "dress"),
            ("1", "category", "midi dress"),
            ("1", "occasion", "work"),
            ("1", "occasion", "WORK"),
            ("2", "colour", "black"),
            ("2", "colour", "navy"),
            ("2", None, "亚麻"),
        ]
    )
    out = tk.normalise_tags(raw, taxonomy)
    assert out["status"].tolist() == [
        "ok",
        "unknown value",
        "ambiguous",
        "unknown dimension",
        "ok",
        "ok",
        "ok",
        "repeated",
        "ok",
        "extra value",
        "ok",
    ]
    assert out.loc[1, "suggestion"] == "colour=navy"
    assert out.loc[2, "suggestion"] == "category=jeans or material=denim"
    assert pd.isna(out.loc[3, "suggestion"])  # no suggestion: a missing value
    assert out.loc[10, "item"] == "material=linen"
    assert out.loc[9, "suggestion"].startswith("kept colour=black")


def test_a_value_of_another_dimension_is_pointed_at(taxonomy):
    out = tk.normalise_tags(_raw([("1", "colour", "linen")]), taxonomy)
    assert out.loc[0, "status"] == "unknown value"
    assert out.loc[0, "suggestion"] == "material=linen (another dimension)"


def test_a_tag_without_a_value_is_unknown_not_another_products_value(taxonomy):
    """A raw tag with no value (a blank dimension too) is an unknown value of its own; before, its missing
    value took the code of another distinct value and read as that product's second colour."""
    raw = _raw([("1", None, "black"), ("1", "  ", None), ("2", "colour", "navy"), ("3", None, "black")])
    out = tk.normalise_tags(raw, taxonomy)
    assert out["status"].tolist() == ["ok", "unknown value", "ok", "ok"]
    assert out["value"].isna().tolist() == [False, True, False, False]
    assert out["dimension"].isna().tolist() == [False, True, False, False]


def test_raise_lists_every_unknown_value(taxonomy):
    raw = _raw([("1", "colour", "navvy"), ("2", "colour", "navvy"), ("3", None, "denim"), ("4", "colour", "black")])
    with pytest.raises(tk.errors.UnknownTagError) as info:
        tk.normalise_tags(raw, taxonomy, unknown="raise")
    assert len(info.value.problems) == 2
    assert (
        "colour: 'navvy' is unknown value (2 product(s), e.g. 1, 2); did you mean colour=navy?" in info.value.problems
    )


def test_unknown_policy_is_checked(taxonomy):
    with pytest.raises(tk.ParameterError, match="The 'unknown' parameter of normalise_tags must be one of"):
        tk.normalise_tags(_raw([]), taxonomy, unknown="warn")


def _random_raw(taxonomy, n_products=60, seed=3):
    rng = np.random.default_rng(seed)
    spellings = [
        "black",
        "Navy Blue",
        "blk",
        "大地色",
        "米色",
        "navvy",
        "dress",
        "中长裙",
        "jeans",
        "denim",
        "linen",
        "wool",
        "work",
        "party",
        "TBD",
        "top",
        "size-M",
    ]
    dims = ["colour", "category", "material", "occasion", None, "colr"]
    rows = []
    for p in range(n_products):
        for _ in range(rng.integers(0, 6)):
            rows.append((f"P{p:03d}", dims[rng.integers(0, len(dims))], spellings[rng.integers(0, len(spellings))]))
    return _raw(rows), [f"P{p:03d}" for p in range(n_products)]


def test_health_counts_match_brute_force(taxonomy):
    raw, ids = _random_raw(taxonomy)
    resolved = tk.normalise_tags(raw, taxonomy)
    products = pd.DataFrame({"product_id": ids})
    health = tk.tag_health(resolved, products, taxonomy)

    expected = defaultdict(set)
    for r in resolved.itertuples():
        if r.status in NOT_RESOLVED:
            dim = r.dimension if isinstance(r.dimension, str) else (r.raw_dimension or "")
            expected[(r.status, dim if isinstance(dim, str) else "", r.raw_value)].add(r.product_id)
    got = {
        (h.problem, h.dimension, h.raw_value): h.n_products for h in health.itertuples() if h.problem in NOT_RESOLVED
    }
    assert got == {k: len(v) for k, v in expected.items()}

    required = [
        d["name"]
        for d in __import__("tests.conftest", fromlist=["TAXONOMY"]).TAXONOMY["dimensions"]
        if d.get("required")
    ]
    have = defaultdict(set)
    for r in resolved.itertuples():
        if r.status in ("ok", "repeated"):
            have[r.product_id].add(r.dimension)
    for dim in required:
        lacking = sum(dim not in have[p] for p in ids)
        row = health[(health["problem"] == "missing required") & (health["dimension"] == dim)]
        assert (row["n_products"].iloc[0] if len(row) else 0) == lacking


def test_health_is_sorted_largest_first_within_each_problem(taxonomy):
    raw, ids = _random_raw(taxonomy, n_products=200, seed=11)
    health = tk.tag_health(tk.normalise_tags(raw, taxonomy), pd.DataFrame({"product_id": ids}), taxonomy)
    for _, part in health.groupby("problem", sort=False):
        assert part["n_products"].is_monotonic_decreasing


def test_missing_required_and_coverage(taxonomy):
    raw = _raw(
        [("1", "category", "dress"), ("1", "colour", "black"), ("2", "category", "top"), ("3", "colour", "navvy")]
    )
    resolved = tk.normalise_tags(raw, taxonomy)
    products = pd.DataFrame({"product_id": ["1", "2", "3", "4"], "name": ["a", "b", "c", "d"]})
    missing = tk.tags.missing_required(resolved, products, taxonomy)
    assert missing.set_index("product_id")["missing"].to_dict() == {
        "2": "colour",
        "3": "category, colour",
        "4": "category, colour",
    }
    coverage = tk.tags.tag_coverage(resolved, products, taxonomy).set_index("dimension")
    assert coverage.loc["colour", "n_tagged"] == 1 and coverage.loc["colour", "coverage"] == 0.25
    assert coverage.loc["colour", "n_only_unresolved"] == 1


def test_value_counts_and_tag_values(taxonomy):
    raw = _raw([("1", "category", "dress"), ("2", "category", "midi dress"), ("3", "category", "dress")])
    resolved = tk.normalise_tags(raw, taxonomy)
    counts = tk.tags.value_counts(resolved, taxonomy).set_index("item")
    assert counts.loc["category=dress", "n_products"] == 2
    assert counts.loc["category=midi-dress", "share"] == pytest.approx(1 / 3, abs=1e-4)
    assert tk.tags.tag_values(resolved, "category").to_dict() == {"1": "dress", "2": "midi-dress", "3": "dress"}
