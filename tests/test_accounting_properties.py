"""Property-based: whatever the order lines or catalogue rows look like, every row is either used or set
aside with a reason, and the counts add up."""

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tagkit as tk

IDS = st.sampled_from(["0001", "0002", "1", " 0002 ", "", "X9", "0003.0"]) | st.text(max_size=4)
DATES = st.sampled_from(
    [
        "2025-01-05",
        "2025/01/05",
        "2025-01-05 10:00:00",
        "05/01/2025",
        "",
        "n/a",
        "1970-01-01",
        "2099-12-31",
        "2025-02-30",
    ]
) | st.text(max_size=6)
QUANTITIES = st.sampled_from(["1", "2", "-1", "0", "1.5", "x", "", " 3 "]) | st.text(max_size=3)
REVENUES = st.sampled_from(["10", "-5", "", "abc", "¥12", "1,5"])
PRODUCTS = pd.DataFrame(
    {"product_id": ["0001", "0002", "0003"], "launch_date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"])}
)


def _csv(header, rows) -> str:
    """Well-formed CSV: every field quoted, so a carriage return inside a value stays inside it (unquoted, RFC
    4180 reads it as a line break, and the file holds more lines than rows were written)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(IDS, DATES, QUANTITIES, REVENUES), min_size=1, max_size=30))
def test_order_line_accounting_always_adds_up(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        path.write_text(_csv(["product_id", "date", "quantity", "revenue"], rows), encoding="utf-8")
        try:
            sales = tk.read_sales(
                path,
                products=PRODUCTS,
                latest_date="2026-01-01",
                min_id_match=0.0,
                set_aside_path=Path(folder) / "aside.csv",
            )
        except tk.InputError as err:  # only a file with nothing usable in it may be refused, saying so
            assert (
                "no order lines" in str(err)
                or "the file holds" in str(err)
                or f"none of the {len(rows):,} order lines can be used" in str(err)
            ), err
            return
        assert sales.rows_read == len(rows) == sales.rows_used + sales.rows_set_aside
        accounting = sales.accounting.set_index("reason")["rows"]
        assert accounting["rows used"] + accounting.filter(like="set aside").sum() == accounting["rows read"]
        aside = pd.read_csv(sales.set_aside_file, dtype=str, keep_default_na=False)
        assert len(aside) == sales.rows_set_aside
        assert int(sales.metrics["lines"].sum()) == sales.rows_used


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            IDS,
            st.sampled_from(["dress", "denim", "", "NaN", "midi dress, top"]) | st.text(max_size=8),
            st.sampled_from(["9", "abc", "", "-1"]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_catalogue_rows_are_products_or_set_aside(rows):
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {
                    "name": "category",
                    "values": [
                        {"name": "dress"},
                        {"name": "top"},
                        {"name": "midi-dress", "parent": "dress"},
                        {"name": "jeans", "aliases": ["denim"]},
                    ],
                }
            ]
        }
    )
    frame = pd.DataFrame(rows, columns=["product_id", "category", "price"])
    frame.index = range(2, len(frame) + 2)
    catalogue = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    assert catalogue.rows_read == len(rows) == len(catalogue.products) + catalogue.rows_set_aside
    resolved = tk.normalise_tags(catalogue.raw_tags, taxonomy)
    assert len(resolved) == len(catalogue.raw_tags)  # every raw tag is kept, with a status
