"""Every column shown by what it measures: the rules of tagkit.formats, against values worked out by hand."""

import numpy as np
import pandas as pd
import pytest

import tagkit as tk
from tagkit.formats import column_text, header, table_text


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("hit_rate", [0.125, 0.0002, 0.0, 1.0, np.nan], ["12.5%", "<0.1%", "0%", "100.0%", ""]),
        ("share_of_hits", [0.9999, 0.5], [">99.9%", "50.0%"]),
        ("lift", [11.61019499277804, 1.04, np.inf], ["11.6×", "1.0×", "∞"]),
        ("q_value", [0.0004, 0.0449], ["< 0.001", "0.045"]),
        ("products", [21535, 3], ["21,535", "3"]),
        ("units_per_week", [1234.5678, 2.0], ["1,235", "2"]),
        ("slope_per_season", [-0.2345, 0.1], ["-0.23", "0.10"]),
        ("hit", [True, False], ["yes", "no"]),
        ("name", ["Linen <b>trousers</b>", None], ["Linen <b>trousers</b>", ""]),
    ],
)
def test_each_measure_has_its_format(name, values, expected):
    assert column_text(name, pd.Series(values)).tolist() == expected


def test_a_share_column_outside_zero_to_one_is_a_number_not_a_percentage():
    assert column_text("revenue_share", pd.Series([12.0, 40.5])).tolist() == ["12.0", "40.5"]


def test_dates_without_midnight_and_bins_as_ranges():
    dates = pd.Series(pd.to_datetime(["2026-01-01", None]))
    assert column_text("wave_date", dates).tolist() == ["2026-01-01", ""]
    bins = pd.Series(pd.cut([0.01, 0.03, 0.5], [-0.001, 0.02, 0.05, 1.0]))
    assert column_text("bin", bins).tolist() == ["0–2%", "2–5%", "5–100%"]
    table = tk.propensity.reliability([0.01, 0.03, 0.5], [False, False, True])
    assert table["bin"].tolist() == ["0–2%", "2–5%", "40–60%"]


def test_a_column_of_measures_and_values_formats_each_number_by_its_size():
    values = pd.Series([1876, 0.0987, "inside", None, 12.5], dtype=object)
    assert column_text("value", values).tolist() == ["1,876", "0.0987", "inside", "", "12.5"]


def test_headers_in_words():
    assert header("q_value") == "q-value (false discovery rate)"
    assert header("share_of_competitor_bestsellers") == "share of competitor best sellers"
    assert header("rows_set_aside") == "rows set aside"
    assert list(table_text(pd.DataFrame({"n_products": [1], "hhi": [0.5]}))) == [
        "products",
        "concentration (HHI, 0–1)",
    ]
