"""Looks: tag signatures from the taxonomy's roles, and how homogeneous a range is on them."""

import pandas as pd
import pytest

import tagkit as tk


def test_homogeneity_is_the_herfindahl_index():
    signatures = pd.Series(["a"] * 6 + ["b"] * 3 + ["c"])
    row = tk.looks.homogeneity(signatures).iloc[0]
    assert row["hhi"] == pytest.approx(0.6**2 + 0.3**2 + 0.1**2)
    assert (row["signatures"], row["largest_group"], row["largest_group_share"]) == (3, "a", 0.6)
    groups = tk.looks.look_alike_groups(signatures, [True, False, False, False, False, False, True, True, False, False])
    assert groups.iloc[0].to_dict()["hits"] == 1 and groups.iloc[1]["hit_rate"] == pytest.approx(2 / 3)


def test_signatures_use_coarse_colours(taxonomy):
    raw = pd.DataFrame(
        {
            "product_id": ["1", "1", "2", "2"],
            "row": [2, 2, 3, 3],
            "column": "c",
            "raw_dimension": ["category", "colour", "category", "colour"],
            "raw_value": ["midi dress", "米色", "top", "black"],
        }
    )
    tags = tk.normalise_tags(raw, taxonomy)
    looks = tk.looks.tag_signatures(
        tags, taxonomy, dimensions=("category", "colour", "material"), products=["1", "2", "3"]
    )
    assert looks.to_dict() == {"1": "midi-dress|earth-tone|?", "2": "top|black|?", "3": "?|?|?"}
