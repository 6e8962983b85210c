"""read_sales against an independent, row-by-row Python computation."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

import tagkit as tk

LATEST = "2026-01-01"
FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d")


def _products(n=30):
    launch = [dt.datetime(2024, 1, 1) + dt.timedelta(days=int(d)) for d in np.linspace(0, 500, n)]
    return pd.DataFrame(
        {
            "product_id": [f"{i:05d}" for i in range(n)],
            "launch_date": pd.to_datetime(launch),
            "launch_season": [f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in launch],
        }
    )


def _order_lines(products, n=3000, seed=0):
    """Random order lines, about 8% of them with exactly one fault each."""
    rng = np.random.default_rng(seed)
    ids = products["product_id"].tolist()
    launch = dict(zip(ids, products["launch_date"]))
    rows = []
    for i in range(n):
        pid = ids[rng.integers(0, len(ids))]
        when = launch[pid] + dt.timedelta(days=int(rng.integers(0, 200)), seconds=int(rng.integers(0, 86400)))
        qty = int(rng.choice([1, 1, 1, 2, 3, -1]))
        row = {
            "order_id": f"O{i:05d}",
            "product_id": pid,
            "date": when.strftime(FORMATS[i % 3]),
            "quantity": str(qty),
            "revenue": f"{qty * 10.5:.2f}",
        }
        fault = rng.integers(0, 100)
        if fault < 8:
            column, value = (
                [
                    ("product_id", ""),
                    ("date", "2024-02-30"),
                    ("date", ""),
                    ("date", "1980-01-01"),
                    ("quantity", "two"),
                    ("quantity", "1.5"),
                    ("quantity", "0"),
                    ("revenue", "n/a"),
                    ("product_id", "99999"),
                ][fault % 9]
                if fault < 8
                else (None, None)
            )
            row[column] = value
        if fault == 8:
            row["product_id"] = row["product_id"].lstrip("0") or "0"
        rows.append(row)
    return pd.DataFrame(rows)


def _reference(lines: pd.DataFrame, products: pd.DataFrame):
    """Classify and aggregate each row with plain Python (no DuckDB, no tagkit)."""
    known = set(products["product_id"])
    reasons, used = Counter(), []
    for r in lines.itertuples():
        pid = r.product_id.strip()
        when = None
        for fmt in FORMATS:
            try:
                when = dt.datetime.strptime(r.date.strip(), fmt)
                break
            except ValueError:
                pass
        try:
            qty = float(r.quantity)
        except ValueError:
            qty = None
        try:
            rev = float(r.revenue)
        except ValueError:
            rev = None
        if not pid:
            reasons["missing product id"] += 1
        elif not r.date.strip():
            reasons["missing date"] += 1
        elif when is None:
            reasons["unparseable date"] += 1
        elif not dt.datetime(1990, 1, 1) <= when < dt.datetime.fromisoformat(LATEST):
            reasons["date out of range"] += 1
        elif qty is None:
            reasons["non-numeric quantity"] += 1
        elif qty == 0:
            reasons["zero quantity"] += 1
        elif qty != int(qty):
            reasons["fractional quantity"] += 1
        elif rev is None:
            reasons["non-numeric revenue"] += 1
        elif pid not in known:
            reasons["unknown product id"] += 1
        else:
            used.append((pid, pd.Period(when, "Q").strftime("%YQ%q"), when, qty, rev))
    agg = defaultdict(lambda: {"lines": 0, "units": 0, "returns": 0, "revenue": 0.0, "first": None, "last": None})
    for pid, season, when, qty, rev in used:
        a = agg[(pid, season)]
        a["lines"] += 1
        a["units"] += max(qty, 0)
        a["returns"] += max(-qty, 0)
        a["revenue"] += rev
        a["first"] = min(a["first"] or when, when)
        a["last"] = max(a["last"] or when, when)
    data_end = max(w for _, _, w, _, _ in used)
    first_ever = {}
    for (pid, _), a in agg.items():
        first_ever[pid] = min(first_ever.get(pid, a["first"]), a["first"])
    launch = dict(zip(products["product_id"], products["launch_date"]))
    for pid, season in zip(products["product_id"], products["launch_season"]):  # launched, never sold
        if (pid, season) not in agg and launch[pid] <= data_end:
            agg[(pid, season)] = {"lines": 0, "units": 0, "returns": 0, "revenue": 0.0, "first": None, "last": None}
    out = {}
    for (pid, season), a in agg.items():
        period = pd.Period(season, "Q")
        start, end = period.start_time.to_pydatetime(), period.end_time.normalize().to_pydatetime()
        on_sale = min(x for x in (launch[pid], first_ever.get(pid)) if x is not None)
        begin = max(start, dt.datetime.combine(on_sale.date(), dt.time()))
        finish = min(end, dt.datetime.combine(data_end.date(), dt.time()))
        days = max((finish - begin).days + 1, 1)
        out[(pid, season)] = (a["lines"], a["units"], a["returns"], round(a["revenue"], 2), days)
    return reasons, out


@pytest.fixture(params=["csv", "parquet"])
def sales_case(request, tmp_path):
    products = _products()
    lines = _order_lines(products)
    if request.param == "csv":
        path = tmp_path / "orders.csv"
        lines.to_csv(path, index=False)
    else:
        path = tmp_path / "orders.parquet"
        lines.to_parquet(path, index=False)
    return path, products, lines


def test_aggregation_and_accounting_match_the_reference(sales_case, tmp_path):
    path, products, lines = sales_case
    sales = tk.read_sales(path, products=products, latest_date=LATEST, set_aside_path=tmp_path / "aside.csv")
    reasons, expected = _reference(lines, products)

    assert sales.rows_read == len(lines) == sales.rows_used + sales.rows_set_aside
    got_reasons = {
        r.removeprefix("set aside: "): n
        for r, n in zip(sales.accounting["reason"], sales.accounting["rows"])
        if r.startswith("set aside")
    }
    assert got_reasons == dict(reasons)

    got = {
        (m.product_id, m.season): (m.lines, m.units, m.returns, round(m.revenue, 2), m.days_on_sale)
        for m in sales.metrics.itertuples()
    }
    assert got == expected
    m = sales.metrics
    assert (m["net_units"] == m["units"] - m["returns"]).all()
    assert np.allclose(m["units_per_week"], (m["net_units"] / (m["days_on_sale"] / 7)).round(4))


def test_set_aside_file_points_at_the_right_rows(sales_case, tmp_path):
    path, products, lines = sales_case
    sales = tk.read_sales(path, products=products, latest_date=LATEST, set_aside_path=tmp_path / "aside.csv")
    aside = pd.read_csv(sales.set_aside_file, dtype=str, encoding="utf-8-sig")
    assert len(aside) == sales.rows_set_aside
    offset = 2 if path.suffix == ".csv" else 1  # CSV: the header is row 1; Parquet: record numbers
    for row in aside.itertuples():
        assert lines.iloc[int(row.row) - offset]["order_id"] == row.order_id


def test_malformed_csv_lines_are_set_aside_with_their_line(tmp_path):
    products = _products(5)
    text = (
        "order_id,product_id,date,quantity\n"
        "A,00000,2024-03-01,1\n"
        "B,00001,2024-03-01,1,extra\n"
        "C,00001,2024-03-02\n"
        "D,00002,2024-03-03,2\n"
        "E,00002,2024-03-04,x\n"
    )
    path = tmp_path / "o.csv"
    path.write_text(text)
    sales = tk.read_sales(path, products=products, latest_date=LATEST, set_aside_path=tmp_path / "aside.csv")
    assert (sales.rows_read, sales.rows_used, sales.rows_set_aside) == (5, 2, 3)
    aside = pd.read_csv(sales.set_aside_file, dtype=str)
    assert aside[["row", "reason"]].values.tolist() == [
        ["3", "malformed line: too many columns"],
        ["4", "malformed line: too few columns"],
        ["6", "non-numeric quantity"],
    ]
    assert aside.loc[2, "order_id"] == "E"


def test_non_utf8_sales_file(tmp_path):
    products = _products(3)
    path = tmp_path / "o.csv"
    path.write_bytes("商品编号,下单时间,数量\n00000,2024-03-01,1\n00001,2024-03-05,2\n".encode("gbk"))
    sales = tk.read_sales(path, products=products, latest_date=LATEST)
    assert sales.rows_used == 2 and sales.metrics["units"].sum() == 3


def test_date_format_for_day_first_dates(tmp_path):
    products = _products(3)
    path = tmp_path / "o.csv"
    path.write_text("product_id,date\n00000,05/01/2024\n00000,31/01/2024\n")
    with pytest.raises(
        tk.InputError,
        match=r"none of the 2 order lines can be used \(2 unparseable date\).*need "
        r"date_format \(e.g. '%d/%m/%Y'\)",
    ):
        tk.read_sales(path, products=products, latest_date=LATEST)
    dated = tk.read_sales(path, products=products, latest_date=LATEST, date_format="%d/%m/%Y")
    assert dated.rows_used == 2 and dated.metrics["units"].sum() == 2  # no quantity column: one unit a row


def test_lost_leading_zeros_are_diagnosed(tmp_path):
    products = _products(10)
    rows = [{"product_id": pid.lstrip("0") or "0", "date": "2024-06-01"} for pid in products["product_id"]]
    rows += [{"product_id": "00001", "date": "2024-06-01"}]
    path = tmp_path / "o.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(
        tk.InputError,
        match=r"only 1 of 11 order lines .* would match once leading zeros are set "
        r"right, e.g. sales id '\d+' = catalogue id '0+\d+'",
    ):
        tk.read_sales(path, products=products, latest_date=LATEST)
    sales = tk.read_sales(path, products=products, latest_date=LATEST, min_id_match=0.0)
    assert sales.rows_set_aside == 10 and "leading zeros" in sales.warnings[0]


def test_column_mapping_errors(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("sku,when\n1,2024-01-01\n")
    with pytest.raises(tk.InputError, match=r"no 'date' column.*'sku', 'when'"):
        tk.read_sales(path, products=_products(2))
    with pytest.raises(tk.InputError, match=r"column 'Whne' \(given for 'date'\).*Did you mean 'when'\?"):
        tk.read_sales(path, products=_products(2), columns={"date": "Whne"})


def test_header_only_and_bad_parameters(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("product_id,date\n")
    with pytest.raises(tk.InputError, match="no order lines"):
        tk.read_sales(path, products=_products(2))
    path.write_text("product_id,date\n1,2024-01-01\n")
    with pytest.raises(tk.ParameterError, match="The 'kind' parameter of read_sales must be one of"):
        tk.read_sales(path, products=_products(2), kind="orders")
    with pytest.raises(tk.InputError, match="no file matches this pattern"):
        tk.read_sales(str(tmp_path / "none*.csv"), products=_products(2))


def test_several_files_and_globs(tmp_path):
    products = _products(4)
    for i in range(3):
        (tmp_path / f"o{i}.csv").write_text(f"product_id,date,quantity\n0000{i},2024-0{i + 4}-01,{i + 1}\n")
    sales = tk.read_sales(str(tmp_path / "o*.csv"), products=products, latest_date=LATEST)
    assert sales.rows_read == 3 and int(sales.metrics["units"].sum()) == 6
    assert len(sales.files) == 3


def test_aggregated_sales(tmp_path):
    products = _products(4)
    path = tmp_path / "agg.csv"
    path.write_text(
        "product_id,season,units,revenue\n00000,2024Q1,10,100\n00001,2024 Q1,5,50\n"
        "00001,2024Q9,1,1\n99,2024Q1,1,1\n00002,2024Q2,x,1\n"
    )
    sales = tk.read_sales(path, products=products, kind="aggregated", set_aside_path=tmp_path / "aside.csv")
    assert (sales.rows_read, sales.rows_used, sales.rows_set_aside) == (5, 2, 3)
    reasons = dict(zip(sales.accounting["reason"], sales.accounting["rows"]))
    assert reasons["set aside: unreadable season"] == 1 and reasons["set aside: unknown product id"] == 1
    assert sales.metrics.set_index("product_id").loc["00000", "units"] == 10


def test_aggregated_sales_with_a_scrape_date_are_placed_in_seasons(tmp_path):
    products = _products(4)
    path = tmp_path / "shop.csv"
    path.write_text(
        "product_id,scraped_on,units_sold,revenue\n0,2024-02-01,3,30\n0,2024-03-01,2,20\n"
        "1,2024-04-02,1,10\n2,someday,1,1\n3,2024-05-01,1e400,1\n3,2024-05-01,2,inf\n"
    )
    sales = tk.read_sales(
        path,
        products=products,
        kind="aggregated",
        id_width=5,
        columns={"units": "units_sold"},
        set_aside_path=tmp_path / "aside.csv",
    )
    got = sales.metrics.set_index(["product_id", "season"])["units"].to_dict()
    assert got == {("00000", "2024Q1"): 5, ("00001", "2024Q2"): 1}
    reasons = dict(zip(sales.accounting["reason"], sales.accounting["rows"]))
    assert reasons["set aside: unreadable date"] == 1 and reasons["set aside: units out of range"] == 1
    assert reasons["set aside: revenue out of range"] == 1
    assert sales.rows_read == sales.rows_used + sales.rows_set_aside == 6


def test_aggregated_sales_without_a_usable_row_stop_with_the_reasons(tmp_path):
    products = _products(4)
    path = tmp_path / "shop.csv"
    path.write_text("product_id,scraped_on,units\n7,2024-02-01,3\n8,2024-03-01,2\n")
    with pytest.raises(
        tk.InputError,
        match=r"shop.csv: none of the 2 rows of aggregated sales can be used "
        r"\(2 unknown product id\)",
    ):
        tk.read_sales(path, products=products, kind="aggregated")
    no_season = tmp_path / "flat.csv"
    no_season.write_text("product_id,units\n00000,3\n")
    with pytest.raises(tk.InputError, match="aggregated sales need a 'season' column or a 'date' column"):
        tk.read_sales(no_season, products=products, kind="aggregated")


def test_ids_that_lost_their_zeros_are_blamed_on_the_right_side_and_fixed_by_id_width(tmp_path):
    products = _products(3)  # catalogue ids '00000', '00001', '00002'
    path = tmp_path / "orders.csv"
    path.write_text("product_id,date\n0,2024-01-01\n1,2024-01-02\n2,2024-01-03\n00002,2024-01-04\n")
    with pytest.raises(
        tk.InputError,
        match=r"the order lines lost the leading zeros that the catalogue keep.*"
        r"set id_width: 5 under sales",
    ):
        tk.read_sales(path, products=products, latest_date=LATEST)
    sales = tk.read_sales(path, products=products, latest_date=LATEST, id_width=5, set_aside_path=tmp_path / "a.csv")
    assert sales.rows_used == 4 and sales.metrics.groupby("product_id")["units"].sum().to_dict() == {
        "00000": 1,
        "00001": 1,
        "00002": 2,
    }
    # the other side: the catalogue stored its ids as numbers
    short = products.assign(product_id=products["product_id"].str.lstrip("0").replace("", "0"))
    padded = tmp_path / "padded.csv"
    padded.write_text("product_id,date\n00000,2024-01-01\n00001,2024-01-02\n00002,2024-01-03\n")
    with pytest.raises(
        tk.InputError,
        match=r"the catalogue lost the leading zeros that the order lines keep.*"
        r"set id_width: 5 under catalogue",
    ):
        tk.read_sales(padded, products=short, latest_date=LATEST)


def test_excel_order_lines_are_read_with_their_spreadsheet_rows(tmp_path):
    products = _products(3)
    path = tmp_path / "o.xlsx"
    grid = pd.DataFrame(
        [
            ["Shop export, November", None, None],
            [None, None, None],
            ["product_id", "date", "quantity"],
            ["00000", "2024-01-01", "2"],
            ["00001", "2024-01-02", "x"],
            ["1", "2024-02-03", "1"],
            ["00002", "2024-02-04 10:00", "3"],
        ]
    )
    grid.to_excel(path, index=False, header=False)
    sales = tk.read_sales(
        path, products=products, latest_date=LATEST, set_aside_path=tmp_path / "aside.csv", min_id_match=0.0
    )
    assert (sales.rows_read, sales.rows_used, sales.rows_set_aside) == (4, 2, 2)
    assert sales.metrics.set_index("product_id")["units"].to_dict() == {"00000": 2, "00002": 3}
    aside = pd.read_csv(tmp_path / "aside.csv", dtype=str).sort_values("row")
    # spreadsheet rows: the header is on row 3, so the bad quantity is on row 5 and the short id on row 6
    assert aside[["row", "reason"]].values.tolist() == [["5", "non-numeric quantity"], ["6", "unknown product id"]]
    with pytest.raises(tk.InputError, match="the sales files of one input must all be CSV, all Parquet or all Excel"):
        tk.read_sales([path, tmp_path / "aside.csv"], products=products)


def test_undecodable_files(tmp_path):
    products = _products(2)
    text = tmp_path / "o.csv"
    text.write_bytes("product_id,date\n00000,2024-01-01\n00001,2024-01-02 连衣裙\n".encode())
    with pytest.raises(tk.InputError, match=r"o.csv: near line 3: the bytes cannot be read as ascii"):
        tk.read_sales(text, products=products, encoding="ascii")


def test_old_mac_line_endings_and_carriage_returns_inside_values(tmp_path):
    products = _products(3)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"product_id,date,quantity\r00000,2024-03-01,1\r00001,2024-03-02,2\r")
    sales = tk.read_sales(mac, products=products, latest_date=LATEST)
    assert (sales.rows_read, sales.rows_used) == (2, 2) and sales.metrics["units"].sum() == 3
    quoted = tmp_path / "quoted.csv"
    quoted.write_bytes(b'product_id,date,quantity,note\n00000,2024-03-01,1,"a\rb"\n00001,2024-03-02,2,"c"\n')
    sales = tk.read_sales(quoted, products=products, latest_date=LATEST)
    assert (sales.rows_read, sales.rows_used) == (2, 2)


def test_order_lines_without_a_usable_row_stop_with_the_reasons(tmp_path):
    products = _products(2)
    path = tmp_path / "orders.csv"
    path.write_text("product_id,date,quantity\n00000,05/01/2025,1\n00001,06/01/2025,2\n00001,2024-01-01,0\n")
    with pytest.raises(
        tk.InputError,
        match=r"orders.csv: none of the 3 order lines can be used \(2 unparseable date; "
        r"1 zero quantity\)",
    ):
        tk.read_sales(path, products=products, latest_date=LATEST)


@pytest.mark.parametrize("respell", [False, True], ids=["as the catalogue", "three spellings"])
def test_one_row_per_product_and_season_whether_or_not_ids_are_spelt_the_catalogue_way(tmp_path, respell):
    products = _products(6)
    rng = np.random.default_rng(3)
    n = 300
    number = rng.integers(0, 6, n)
    day = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    qty = rng.choice([1, 2, 3, -1], n)
    spelt = np.array([f"{i:05d}" for i in number], dtype=object)
    if respell:  # ' 00003', '3' and '00003' are one product
        how = rng.integers(0, 3, n)
        spelt = np.where(how == 1, [f" {s} " for s in spelt], spelt)
        spelt = np.where(how == 2, [str(i) for i in number], spelt)
    lines = pd.DataFrame({"product_id": spelt, "date": day.strftime("%Y-%m-%d"), "quantity": qty})
    path = tmp_path / "orders.csv"
    lines.to_csv(path, index=False)
    sales = tk.read_sales(path, products=products, latest_date=LATEST, id_width=5)
    got = sales.metrics[sales.metrics["lines"] > 0]
    assert not got.duplicated(["product_id", "season"]).any()
    # independent: pandas on the catalogue's spelling of each id
    expected = (
        pd.DataFrame(
            {
                "product_id": [f"{i:05d}" for i in number],
                "season": [f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in day],
                "units": np.clip(qty, 0, None),
                "returns": np.clip(-qty, 0, None),
            }
        )
        .groupby(["product_id", "season"])
        .agg(lines=("units", "size"), units=("units", "sum"), returns=("returns", "sum"))
    )
    got = got.set_index(["product_id", "season"])[["lines", "units", "returns"]].sort_index()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
