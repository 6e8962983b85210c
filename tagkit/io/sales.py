"""Sales intake: order lines (or sales already aggregated) into product x season metrics.

Order lines are aggregated by DuckDB straight from the files, in one scan that also sorts
every row into *used* or *set aside, with a reason*; pandas only ever holds the per-product
tables. Rows read = rows used + rows set aside, always; the set-aside rows are written to a
CSV file with their file, row and reason.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tagkit._checks import (
    Choice,
    Share,
    Whole,
    check_date_format,
    check_engine,
    did_you_mean,
    validate_params,
)
from tagkit._inert import APOSTROPHE, FORMULA_START, csv_frame
from tagkit.catalogue import NUMBER_RANGES, parse_dates, parse_numbers
from tagkit.errors import InputError
from tagkit.io._files import atomic_write, check_file, file_kind, read_table
from tagkit.io.engines import MALFORMED, is_uri, make_engine, numeric, temporal
from tagkit.sales_metrics import METRIC_COLUMNS, finish_metrics
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.taxonomy import tag_key
from tagkit.vocabulary import ENGINES

ORDER_LINE_FIELDS: dict[str, tuple[str, ...]] = {
    "product_id": (
        "product_id",
        "product id",
        "sku",
        "item_id",
        "style_id",
        "article_id",
        "variant_sku",
        "商品id",
        "商品编号",
        "款号",
        "货号",
    ),
    "date": ("date", "order_date", "ordered_at", "order_time", "timestamp", "created_at", "下单时间", "日期", "时间"),
    "quantity": ("quantity", "qty", "units", "数量", "件数"),
    "revenue": (
        "revenue",
        "line_total",
        "amount",
        "sales",
        "net_sales",
        "sales_value",
        "total_price",
        "销售额",
        "金额",
        "实付金额",
    ),
    "unit_price": ("unit_price", "price", "单价", "价格"),
    "channel": ("channel", "sales_channel", "渠道", "平台"),
}
AGGREGATED_FIELDS: dict[str, tuple[str, ...]] = {
    "product_id": ORDER_LINE_FIELDS["product_id"],
    "season": ("season", "季度", "季节"),
    "date": (
        "date",
        "scrape_date",
        "scraped_at",
        "scraped_on",
        "snapshot_date",
        "report_date",
        "period_end",
        "日期",
        "抓取日期",
        "统计日期",
    ),
    "units": ("units", "quantity", "qty", "销量"),
    "revenue": ORDER_LINE_FIELDS["revenue"],
    "returns": ("returns", "returned_units", "退货"),
    "days_on_sale": ("days_on_sale", "days", "在售天数"),
}
KINDS = ("order_lines", "aggregated")
TIMESTAMP_FORMATS = (
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y%m%d",
    "%Y.%m.%d",
    "%Y-%m-%d %H:%M",
    "%Y年%m月%d日",
)
ACCOUNTING_COLUMNS = ["reason", "rows", "share_of_rows_read"]
UNKNOWN_ID = "unknown product id"
# Why a row is set aside, in the order the checks apply (a row gets the first that fits).
ROW_REASONS = (
    MALFORMED,
    "missing date",
    "unparseable date",
    "date out of range",
    "missing quantity",
    "non-numeric quantity",
    "quantity out of range",
    "zero quantity",
    "fractional quantity",
    "non-numeric revenue",
    "revenue out of range",
    "missing product id",
    UNKNOWN_ID,
)
# The sane range of one order line's figures (tagkit.catalogue.NUMBER_RANGES): beyond it (or not finite: inf,
# NaN) the line is set aside, so that no sum can overflow or be carried by one absurd value.
MAX_LINE_QUANTITY, MAX_LINE_REVENUE = NUMBER_RANGES["line_quantity"][1], NUMBER_RANGES["line_revenue"][1]


@dataclass(frozen=True)
class Sales:
    """Per product and season metrics, with the account of every row read."""

    metrics: pd.DataFrame
    accounting: pd.DataFrame
    rows_read: int
    rows_used: int
    rows_set_aside: int
    set_aside_file: Path | None
    files: tuple[str, ...]
    data_end: pd.Timestamp | None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        return (
            f"Sales({self.rows_read:,} rows read, {self.rows_used:,} used, {self.rows_set_aside:,} set aside; "
            f"{len(self.metrics):,} product x season rows)"
        )


@validate_params(kind=Choice(KINDS), min_id_match=Share(closed_low=True), id_width=Whole(1, 64))
def read_sales(
    paths,
    *,
    products: pd.DataFrame,
    calendar: SeasonCalendar = QUARTERS,
    kind: str = "order_lines",
    columns: dict | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    latest_date=None,
    set_aside_path=None,
    min_id_match: float = 0.5,
    engine: str | None = None,
    spark=None,
    memory_limit: str = "2GB",
    threads: int | None = None,
    progress: bool = False,
    id_width: int | None = None,
    sheet=None,
) -> Sales:
    """Read sales and aggregate them per product and season.

    ``paths`` is a file, a glob (``sales/*.parquet``) or a list of them, in CSV or Parquet.
    ``products`` is the catalogue's product table (``product_id`` and ``launch_date``).
    ``columns`` maps tagkit's names to the file's column names, as for catalogues.
    Rows dated after ``latest_date`` (default: today) or before 1990 are set aside.
    When less than ``min_id_match`` of the rows name a catalogue product, an
    :class:`InputError` explains why, if it can tell (lost leading zeros, Excel-style ids...).

    ``engine``: ``duckdb`` (embedded, the default) or ``spark`` (the given ``spark`` session, the active one,
    or a local one; a given session alone chooses Spark); both run the same SQL and give the same tables. DuckDB's memory is capped at
    ``memory_limit`` and spills to disk beyond it. ``id_width``: product ids made only of digits get their leading
    zeros back up to this width (ids that went through a spreadsheet). Order lines may also come from Excel
    workbooks (``sheet`` names the sheet), within Excel's row limit.
    """
    owner = "read_sales"
    engine = check_engine(engine, spark, owner=owner, choices=ENGINES, default="duckdb")
    check_date_format(date_format, owner=owner)
    files = _expand(paths, engine)
    if "product_id" not in products.columns:
        raise InputError("read_sales: the products table has no 'product_id' column; pass catalogue.products.")
    if kind == "aggregated":
        return _read_aggregated(
            files,
            products,
            calendar,
            columns or {},
            encoding,
            set_aside_path,
            date_format,
            id_width,
            min_id_match,
            sheet,
        )
    with make_engine(
        engine, spark=spark, memory_limit=memory_limit, threads=threads, progress=progress, sheet=sheet
    ) as running:
        return _aggregate(
            running,
            files,
            products,
            calendar,
            columns or {},
            encoding,
            date_format,
            latest_date,
            set_aside_path,
            min_id_match,
            id_width,
        )


def _expand(paths, engine: str = "duckdb") -> list[Path]:
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    remote = [str(i) for i in items if is_uri(i)]
    if remote:
        if engine != "spark" or len(remote) != len(items):
            raise InputError(
                f"{remote[0]}: paths on shared storage (with a scheme such as s3a:// or hdfs://) are "
                "read by Spark: use engine='spark', and give every sales file that way."
            )
        kinds = {file_kind(Path(r.split("?")[0])) for r in remote}
        if kinds != {"parquet"} and kinds != {"csv"}:
            raise InputError(f"Order lines on shared storage must all be Parquet or all CSV; found {remote}.")
        return remote
    files: list[Path] = []
    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?[") and not Path(text).exists():  # 'orders [2025].csv' is a file
            found = sorted(Path(p) for p in glob.glob(text))
            if not found:
                raise InputError(f"{text}: no file matches this pattern.")
            files.extend(found)
        else:
            files.append(check_file(item))
    kinds = {file_kind(f) for f in files}
    if not files:
        raise InputError("read_sales: no sales file given.")
    if len(kinds) > 1:
        raise InputError(
            f"read_sales: the sales files of one input must all be CSV, all Parquet or all Excel; found "
            f"{', '.join(sorted(f.name for f in files))}. Give each kind as its own sales input in dataset.yml."
        )
    if kinds == {"excel"} and engine == "spark":
        raise InputError(
            "read_sales: Excel order lines are read by DuckDB (engine='duckdb'); export them as CSV or "
            "Parquet for Spark."
        )
    for f in files:
        check_file(f)
    return files


def _lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def inert_sql(expression: str) -> str:
    """SQL for a text cell of a CSV export that a spreadsheet shows as text, never runs (OWASP: an apostrophe
    before a formula-like start); the same on DuckDB and Spark, and the same rule as tagkit._inert.csv_cell."""
    starts = ", ".join(_lit(c) for c in FORMULA_START)
    return (
        f"CASE WHEN substr({expression}, 1, 1) IN ({starts}) THEN concat({_lit(APOSTROPHE)}, {expression}) "
        f"ELSE {expression} END"
    )


def id_sql(expression: str, id_width: int | None) -> str:
    """SQL for a product id as the catalogue spells it: trimmed, and with ``id_width``, an id of digits only
    padded with leading zeros (the same text on DuckDB and Spark)."""
    trimmed = f"trim({expression})"
    if not id_width:
        return trimmed
    w = int(id_width)
    return (
        f"CASE WHEN length({trimmed}) BETWEEN 1 AND {w - 1} AND translate({trimmed}, '0123456789', '') = '' "
        f"THEN lpad({trimmed}, {w}, '0') ELSE {trimmed} END"
    )


def pad_ids(ids: pd.Series, id_width: int | None) -> pd.Series:
    """The same as :func:`id_sql`, in pandas."""
    ids = ids.astype(str).str.strip()
    if not id_width:
        return ids
    short = ids.str.fullmatch(r"\d+") & (ids.str.len() < id_width)
    return ids.where(~short, ids.str.zfill(id_width))


def _typed_sql(engine, types: dict[str, str], fields: dict[str, str], date_format, latest, calendar=QUARTERS):
    """The one definition of how an order line is read and classified, for every engine: a function from a
    relation to a query with typed _tk_ columns, the season of each line (its ordinal), and _tk_code (0 when the line is
    usable so far; product ids are checked after the aggregation, on distinct ids only)."""
    q = engine.quote

    def text(col):
        return f"nullif(trim(CAST({q(col)} AS STRING)), '')"

    def number(col):
        if numeric(types[col]):
            return f"CAST({q(col)} AS DOUBLE)"
        return f"TRY_CAST(regexp_replace({text(col)}, '^[¥￥$€£] *', '') AS DOUBLE)"

    def raw(col):
        return q(col) if numeric(types[col]) or temporal(types[col]) else text(col)

    date_col = fields["date"]
    if temporal(types[date_col]):
        ts = f"CAST({q(date_col)} AS TIMESTAMP)"
    else:  # the format given first, then ISO dates, then the unambiguous formats
        given = engine.parse_timestamp(text(date_col), [date_format]) if date_format else []
        fallbacks = engine.parse_timestamp(text(date_col), list(TIMESTAMP_FORMATS))
        ts = f"coalesce({', '.join(given + [f'TRY_CAST({text(date_col)} AS TIMESTAMP)'] + fallbacks)})"
    qty = number(fields["quantity"]) if "quantity" in fields else "CAST(1.0 AS DOUBLE)"
    raw_qty = raw(fields["quantity"]) if "quantity" in fields else "1"
    if "revenue" in fields:
        rev, raw_rev = number(fields["revenue"]), raw(fields["revenue"])
    elif "unit_price" in fields:
        rev, raw_rev = f"({number(fields['unit_price'])} * ({qty}))", raw(fields["unit_price"])
    else:
        rev, raw_rev = "CAST(NULL AS DOUBLE)", "CAST(NULL AS STRING)"
    corrupt = f"{engine.corrupt} IS NOT NULL" if engine.corrupt else "FALSE"
    code = {reason: i for i, reason in enumerate(ROW_REASONS, start=1)}

    def query(relation: str) -> str:
        return f"""
            SELECT *, CASE
                WHEN {corrupt} THEN {code[MALFORMED]}
                WHEN _tk_raw_date IS NULL THEN {code["missing date"]}
                WHEN _tk_ts IS NULL THEN {code["unparseable date"]}
                WHEN _tk_ts < TIMESTAMP '1990-01-01' OR _tk_ts >= TIMESTAMP {_lit(latest)} THEN {code["date out of range"]}
                WHEN _tk_raw_quantity IS NULL THEN {code["missing quantity"]}
                WHEN _tk_quantity IS NULL THEN {code["non-numeric quantity"]}
                WHEN NOT (abs(_tk_quantity) <= {MAX_LINE_QUANTITY}) THEN {code["quantity out of range"]}
                WHEN _tk_quantity = 0 THEN {code["zero quantity"]}
                WHEN _tk_quantity <> round(_tk_quantity) THEN {code["fractional quantity"]}
                WHEN _tk_raw_revenue IS NOT NULL AND _tk_revenue IS NULL THEN {code["non-numeric revenue"]}
                WHEN _tk_revenue IS NOT NULL AND NOT (abs(_tk_revenue) <= {MAX_LINE_REVENUE})
                     THEN {code["revenue out of range"]}
                ELSE 0 END AS _tk_code,
                {calendar.ordinal_sql("_tk_ts")} AS _tk_season
            FROM (
                SELECT CAST({q(fields["product_id"])} AS STRING) AS _tk_product_id, {raw(date_col)} AS _tk_raw_date,
                       {ts} AS _tk_ts, {raw_qty} AS _tk_raw_quantity, {qty} AS _tk_quantity,
                       {raw_rev} AS _tk_raw_revenue, {rev} AS _tk_revenue, *
                FROM {relation}) typed"""

    return query


def _aggregate(
    engine,
    files,
    products,
    calendar,
    mapping,
    encoding,
    date_format,
    latest_date,
    set_aside_path,
    min_id_match,
    id_width=None,
) -> Sales:
    """Order lines into per product x season metrics, on any engine: one scan classifies and aggregates;
    what is left is small (distinct ids, months) and is checked after."""
    engine.read(files, encoding)  # local paths, or URIs Spark reads itself
    types = engine.columns()
    fields = _resolve(types, mapping, ORDER_LINE_FIELDS, ("product_id", "date"), files[0])
    latest = (
        pd.Timestamp(latest_date)
        if latest_date is not None
        else pd.Timestamp.today().normalize() + pd.Timedelta(days=1)
    )
    catalogue = pd.DataFrame({"product_id": products["product_id"].astype(str).unique()})
    engine.register("tk_catalogue_ids", catalogue)
    typed = _typed_sql(engine, types, fields, date_format, latest, calendar)
    engine.table(
        "tk_scan",
        f"""
        SELECT _tk_code AS code, _tk_product_id AS raw_id, _tk_season AS ordinal, count(*) AS lines,
               sum(CASE WHEN _tk_quantity > 0 THEN _tk_quantity ELSE 0 END) AS units,
               sum(CASE WHEN _tk_quantity < 0 THEN -_tk_quantity ELSE 0 END) AS returns,
               sum(CASE WHEN _tk_quantity < 0 THEN -abs(_tk_revenue) ELSE _tk_revenue END) AS revenue,
               min(_tk_ts) AS first_sale, max(_tk_ts) AS last_sale
        FROM ({typed("tk_orders")}) scan
        GROUP BY _tk_code, _tk_product_id, _tk_season""",
    )
    ordinals = engine.frame("SELECT DISTINCT ordinal FROM tk_scan WHERE code = 0")["ordinal"]
    engine.register("tk_season_labels", season_labels(ordinals, calendar))
    missing, unknown_code = ROW_REASONS.index("missing product id") + 1, ROW_REASONS.index(UNKNOWN_ID) + 1
    # ids checked against the catalogue, seasons named (only usable lines need one)
    checked = f"""
        SELECT CASE WHEN code <> 0 THEN code
                    WHEN nullif(trim(raw_id), '') IS NULL THEN {missing}
                    WHEN c.product_id IS NULL THEN {unknown_code}
                    ELSE 0 END AS code,
               {id_sql("raw_id", id_width)} AS product_id, s.season, lines, units, returns, revenue,
               first_sale, last_sale
        FROM tk_scan LEFT JOIN tk_catalogue_ids c ON {id_sql("tk_scan.raw_id", id_width)} = c.product_id
             LEFT JOIN tk_season_labels s ON tk_scan.ordinal = s.ordinal"""
    # ids written two ways (' 42' and '42', or '42' and '0042' with id_width) are one product: added up again.
    # When every id is already written as the catalogue spells it, the scan's rows are the products' rows.
    respelt = engine.frame(
        f"SELECT count(*) AS n FROM (SELECT DISTINCT raw_id FROM tk_scan) ids WHERE raw_id <> {id_sql('raw_id', id_width)}"
    )
    if int(respelt["n"].iloc[0]):
        checked = f"""
        SELECT code, product_id, season, sum(lines) AS lines, sum(units) AS units, sum(returns) AS returns,
               sum(revenue) AS revenue, min(first_sale) AS first_sale, max(last_sale) AS last_sale
        FROM ({checked}) checked
        GROUP BY code, product_id, season"""
    engine.table("tk_checked", checked)
    local = engine.local(
        "tk_used",
        """
        SELECT product_id, season, lines, units, returns, revenue, first_sale, last_sale
        FROM tk_checked WHERE code = 0""",
    )
    rows_used, last_sale = local.execute("SELECT coalesce(sum(lines), 0), max(last_sale) FROM tk_used").fetchall()[0]
    rows_used = int(rows_used)
    by_code = engine.frame("SELECT code, sum(lines) AS n FROM tk_checked WHERE code <> 0 GROUP BY code")
    unknown = engine.frame(
        f"SELECT product_id, sum(lines) AS lines FROM tk_checked WHERE code = {unknown_code} GROUP BY product_id"
    )
    malformed = engine.malformed()
    counts = pd.Series({ROW_REASONS[int(c) - 1]: int(n) for c, n in zip(by_code["code"], by_code["n"])}, dtype="int64")
    counts = counts.drop(MALFORMED, errors="ignore")  # told apart below, by kind
    for reason, n in malformed.groupby("reason").size().items():
        counts[reason] = counts.get(reason, 0) + n
    counts = counts.astype("int64")
    rows_set_aside = int(counts.sum())
    rows_read = rows_used + rows_set_aside
    if rows_read == 0:
        raise InputError(f"{', '.join(map(str, files))}: no order lines (only a header).")

    warnings = []
    with_id = rows_read - int(counts.get("missing product id", 0)) - len(malformed)
    unknown_rows = int(unknown["lines"].sum()) if len(unknown) else 0
    if unknown_rows:
        warnings.append(diagnose_ids(unknown, catalogue, unknown_rows, with_id, given_width=id_width))
    if with_id and (with_id - unknown_rows) / with_id < min_id_match:
        raise InputError(
            f"{', '.join(Path(str(f)).name for f in files)}: only {with_id - unknown_rows:,} of {with_id:,} order lines "
            f"({(with_id - unknown_rows) / with_id:.1%}) name a product of the catalogue, below min_id_match="
            f"{min_id_match}. " + warnings[-1]
        )
    if counts.get("unparseable date", 0) and not date_format:
        warnings.append(
            f"{counts['unparseable date']:,} order lines have dates tagkit could not read; tagkit never guesses "
            "day/month order, so dates such as 05/01/2025 need date_format (e.g. '%d/%m/%Y')."
        )
    if rows_used == 0 and not (counts.get(UNKNOWN_ID, 0) and min_id_match > 0):
        listed = "; ".join(f"{n:,} {reason}" for reason, n in counts.sort_values(ascending=False).items())
        raise InputError(
            f"{', '.join(Path(str(f)).name for f in files)}: none of the {rows_read:,} order lines can be "
            f"used ({listed}). Check the column mapping, the date format (date_format) and latest_date."
            + "".join(f" {w}" for w in warnings)
        )
    set_aside_file = None
    if set_aside_path is not None:
        engine.register(
            "tk_unknown_set_aside",
            pd.DataFrame({"product_id": unknown["product_id"].astype(str)})
            if len(unknown)
            else pd.DataFrame({"product_id": pd.Series(dtype=object)}),
        )
        engine.register(
            "tk_reason_names", pd.DataFrame({"code": range(1, len(ROW_REASONS) + 1), "name": list(ROW_REASONS)})
        )
        # the set-aside file is opened in a spreadsheet: text that starts like a formula is made inert
        originals = ", ".join(f"{inert_sql(f'CAST({engine.quote(c)} AS STRING)')} AS {engine.quote(c)}" for c in types)
        # the same classification as the aggregation, row by row (malformed lines come from the engine)
        reason = f"""CASE WHEN _tk_code = {ROW_REASONS.index(MALFORMED) + 1} THEN NULL
                          WHEN _tk_code <> 0 THEN (SELECT name FROM tk_reason_names WHERE code = _tk_code)
                          WHEN nullif(trim(_tk_product_id), '') IS NULL THEN 'missing product id'
                          WHEN {id_sql("_tk_product_id", id_width)} IN (SELECT product_id FROM tk_unknown_set_aside)
                               THEN '{UNKNOWN_ID}'
                     END"""
        query = engine.set_aside_rows(typed, reason, originals, malformed)
        if len(malformed):
            engine.register("tk_malformed", malformed.assign(row=malformed["row"].astype("float64")))
            rest = "".join(f", CAST(NULL AS STRING) AS {engine.quote(c)}" for c in list(types)[1:])
            query = (
                f"({query}) UNION ALL (SELECT file, CAST(row AS BIGINT) AS row, reason, {inert_sql('raw_line')} AS "
                f"{engine.quote(next(iter(types)))}{rest} FROM tk_malformed)"
            )
        set_aside_file = atomic_write(Path(set_aside_path), lambda tmp: engine.write_csv(query, tmp))
    data_end = pd.Timestamp(last_sale) if last_sale is not None else None
    metrics = finish_metrics(
        "tk_used",
        products,
        calendar,
        data_end,
        has_revenue=bool({"revenue", "unit_price"} & set(fields)),
        connection=local,
    )
    return Sales(
        metrics,
        accounting_table(rows_read, rows_used, counts),
        rows_read,
        rows_used,
        rows_set_aside,
        set_aside_file,
        tuple(str(f) for f in files),
        data_end,
        tuple(warnings),
    )


def sales_span(
    paths,
    *,
    products: pd.DataFrame | None = None,
    kind: str = "order_lines",
    columns: dict | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    latest_date=None,
    calendar: SeasonCalendar = QUARTERS,
    sheet=None,
    **_ignored,
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day of usable sales in local files (one quick scan), or None when there are none:
    what the batch checks a season against before it starts."""
    files = _expand(paths, "duckdb")
    if kind == "aggregated":
        table = pd.concat([read_table(f, encoding=encoding, sheet=sheet) for f in files], ignore_index=True)
        fields = _resolve(
            {c: "VARCHAR" for c in table.columns}, columns or {}, AGGREGATED_FIELDS, ("product_id", "units"), files[0]
        )
        if "season" in fields:
            seasons = [s for s in parse_seasons(table[fields["season"]], calendar) if s is not None]
            if not seasons:
                return None
            ordered = sorted(set(seasons), key=calendar.ordinal)
            return calendar.bounds(ordered[0])[0], calendar.bounds(ordered[-1])[1]
        if "date" not in fields:
            return None
        dates = parse_dates(table[fields["date"]], date_format)[0].dropna()
        return (dates.min(), dates.max()) if len(dates) else None
    latest = (
        pd.Timestamp(latest_date)
        if latest_date is not None
        else pd.Timestamp.today().normalize() + pd.Timedelta(days=1)
    )
    with make_engine("duckdb", sheet=sheet) as engine:
        engine.read(files, encoding)
        types = engine.columns()
        fields = _resolve(types, columns or {}, ORDER_LINE_FIELDS, ("product_id", "date"), files[0])
        typed = _typed_sql(engine, types, fields, date_format, latest)
        first, last = engine.frame(
            f"SELECT min(_tk_ts) AS a, max(_tk_ts) AS b FROM ({typed('tk_orders')}) t WHERE _tk_code = 0"
        ).iloc[0]
    return (pd.Timestamp(first), pd.Timestamp(last)) if pd.notna(first) else None


def parse_seasons(values, calendar: SeasonCalendar) -> list:
    """Each text as a season of the calendar, None where it is not one (parsed once per distinct text)."""
    parsed = {}
    for value in pd.unique(pd.Series(values, dtype=object)):
        try:
            parsed[value] = calendar.parse(value)
        except Exception:
            parsed[value] = None
    return [parsed[v] for v in values]


def season_labels(ordinals, calendar: SeasonCalendar) -> pd.DataFrame:
    """The label of each season ordinal the engine found (see SeasonCalendar.ordinal_sql)."""
    ordinals = sorted(int(o) for o in ordinals if o is not None and not pd.isna(o))
    return pd.DataFrame(
        {"ordinal": pd.Series(ordinals, dtype="int64"), "season": [calendar.from_ordinal(o) for o in ordinals]}
    )


def diagnose_ids(
    unknown: pd.DataFrame, catalogue: pd.DataFrame, unknown_rows: int, with_id: int, *, given_width: int | None = None
) -> str:
    """Why order lines name unknown ids, when it can be seen: lost leading zeros (and on which side),
    Excel number formats, case and spaces; with the dataset.yml setting that fixes it where there is one."""
    import duckdb

    con = duckdb.connect()
    ids = unknown.groupby("product_id")["lines"].sum().reset_index()
    con.register("unknown_ids", ids)
    con.register("catalogue_ids", catalogue)
    checks = {
        "leading zeros": "ltrim(u.product_id, '0') = ltrim(c.product_id, '0')",
        "Excel number formats (a trailing .0)": "regexp_replace(u.product_id, '[.]0+$', '') = c.product_id",
        "case and spaces": "upper(replace(u.product_id, ' ', '')) = upper(replace(c.product_id, ' ', ''))",
    }
    head = (
        f"{unknown_rows:,} of {with_id:,} order lines ({unknown_rows / max(with_id, 1):.1%}) name product "
        "ids that are not in the catalogue; they are set aside."
    )
    try:
        for cause, condition in checks.items():
            matched_ids, matched_rows = con.execute(f"""
                SELECT count(*), coalesce(sum(lines), 0) FROM unknown_ids u
                WHERE EXISTS (SELECT 1 FROM catalogue_ids c WHERE {condition})""").fetchall()[0]
            if matched_rows and matched_rows >= 0.5 * unknown_rows:
                sales_id, catalogue_id = con.execute(f"""
                    SELECT u.product_id, min(c.product_id) FROM unknown_ids u JOIN catalogue_ids c ON {condition}
                    GROUP BY u.product_id, u.lines ORDER BY u.lines DESC, u.product_id LIMIT 1""").fetchall()[0]
                found = (
                    f"{head} {int(matched_rows):,} of them ({matched_rows / unknown_rows:.0%}, {matched_ids:,} ids) "
                    f"would match once {cause} are set right, e.g. sales id {sales_id!r} = catalogue id "
                    f"{catalogue_id!r}"
                )
                if cause != "leading zeros":
                    return f"{found}: the ids probably went through a spreadsheet. Export the ids as text."
                width = max(len(sales_id), len(catalogue_id))
                side, other = (
                    ("catalogue", "order lines") if len(catalogue_id) < len(sales_id) else ("order lines", "catalogue")
                )
                where = "catalogue" if side == "catalogue" else "sales"
                return (
                    f"{found}: the {side} lost the leading zeros that the {other} keep (ids stored as numbers, "
                    f"e.g. an integer column in Parquet or a spreadsheet). Give them back without editing the "
                    f"file: set id_width: {width} under {where} in dataset.yml"
                    + (f" (now {given_width})." if given_width else ".")
                )
    finally:
        con.close()
    examples = ", ".join(
        repr(i) for i in ids.sort_values(["lines", "product_id"], ascending=[False, True])["product_id"].head(3)
    )
    return f"{head} Examples: {examples}. Are they products of another brand, or of a catalogue not loaded?"


def _resolve(types: dict, mapping: dict, known: dict, required: tuple, file: Path) -> dict[str, str]:
    header = list(types)
    problems, fields = [], {}
    for key, column in mapping.items():
        if key not in known:
            problems.append(
                f"{key!r} in the column mapping is not a sales field; allowed are "
                f"{', '.join(known)}.{did_you_mean(key, known)}"
            )
        elif column not in header:
            problems.append(
                f"column {column!r} (given for {key!r}) is not in the file; its columns are "
                f"{', '.join(map(repr, header))}.{did_you_mean(str(column), header)}"
            )
        else:
            fields[key] = column
    taken = set(fields.values())
    for column in header:
        key = tag_key(column)
        found = next(
            (
                f
                for f, names in known.items()
                if f not in fields and column not in taken and key in {tag_key(n) for n in names}
            ),
            None,
        )
        if found:
            fields[found] = column
            taken.add(column)
    for need in required:
        if need not in fields and not any(need in p for p in problems):
            problems.append(
                f"no {need!r} column: expected one named {', '.join(known[need][:4])}…, or a column "
                f"mapping such as columns: {{{need}: <your column>}}; the file's columns are "
                f"{', '.join(map(repr, header))}."
            )
    if problems:
        raise InputError(f"{file}: the sales columns do not fit:", problems)
    return fields


def accounting_table(rows_read: int, rows_used: int, set_aside: pd.Series) -> pd.DataFrame:
    """rows read, rows used, then one line per reason for setting rows aside (largest first)."""
    lines = [("rows read", rows_read), ("rows used", rows_used)]
    for reason, n in sorted(set_aside.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append((f"set aside: {reason}", int(n)))
    frame = pd.DataFrame(lines, columns=["reason", "rows"])
    frame["share_of_rows_read"] = (frame["rows"] / rows_read).round(6) if rows_read else 0.0
    return frame


def _read_aggregated(
    files,
    products,
    calendar,
    mapping,
    encoding,
    set_aside_path,
    date_format=None,
    id_width=None,
    min_id_match=0.0,
    sheet=None,
) -> Sales:
    """Sales already aggregated per product and season, or per product and date (a scrape or report date,
    placed in its season by the calendar)."""
    frames = []
    for f in files:
        table = read_table(f, encoding=encoding, sheet=sheet)
        table.insert(0, "file", str(f))
        frames.append(table.reset_index())
    table = pd.concat(frames, ignore_index=True)
    fields = _resolve(
        {c: "VARCHAR" for c in table.columns if c not in ("file", "row")},
        mapping,
        AGGREGATED_FIELDS,
        ("product_id", "units"),
        files[0],
    )
    if "season" not in fields and "date" not in fields:
        raise InputError(
            f"{files[0]}: aggregated sales need a 'season' column or a 'date' column (the date each row's "
            f"figures were reported or scraped on); the file's columns are "
            f"{', '.join(repr(c) for c in table.columns if c not in ('file', 'row'))}. Map yours with "
            "columns: {season: <column>} or {date: <column>}."
        )
    known = set(products["product_id"].astype(str))
    out = pd.DataFrame(
        {"file": table["file"], "row": table["row"], "product_id": pad_ids(table[fields["product_id"]], id_width)}
    )
    reason = pd.Series(pd.NA, index=table.index, dtype="object")
    if "season" in fields:
        out["season"] = parse_seasons(table[fields["season"]], calendar)
        unreadable = "unreadable season"
    else:
        dates, _ = parse_dates(table[fields["date"]], date_format)
        out["season"] = calendar.season_of(dates).astype(object).where(dates.notna(), None)
        unreadable = "unreadable date"
    numbers = {}
    for name in ("units", "revenue", "returns", "days_on_sale"):
        if name in fields:
            numbers[name], bad = parse_numbers(table[fields[name]])
            reason = reason.where(reason.notna() | ~bad, f"non-numeric {name}")
            low, high = NUMBER_RANGES[name]
            wild = numbers[name].notna() & ~numbers[name].between(low, high)  # inf, NaN and absurd figures
            reason = reason.where(reason.notna() | ~wild, f"{name} out of range")
    reason = reason.where(reason.notna() | out["season"].notna(), unreadable)
    reason = reason.where(reason.notna() | (out["product_id"] != ""), "missing product id")
    reason = reason.where(reason.notna() | out["product_id"].isin(known), UNKNOWN_ID)
    ok = reason.isna()
    counts = reason[~ok].value_counts()
    names = ", ".join(Path(str(f)).name for f in files)
    if not ok.any():
        listed = "; ".join(f"{n:,} {r}" for r, n in counts.items())
        hint = ""
        if counts.get(UNKNOWN_ID, 0):
            unknown = out[reason == UNKNOWN_ID].groupby("product_id").size().rename("lines").reset_index()
            hint = " " + diagnose_ids(
                unknown,
                pd.DataFrame({"product_id": sorted(known)}),
                int(counts[UNKNOWN_ID]),
                len(table),
                given_width=id_width,
            )
        raise InputError(f"{names}: none of the {len(table):,} rows of aggregated sales can be used ({listed}).{hint}")
    warnings = []
    with_id = int((out["product_id"] != "").sum())
    unknown_rows = int(counts.get(UNKNOWN_ID, 0))
    if unknown_rows:
        unknown = out[reason == UNKNOWN_ID].groupby("product_id").size().rename("lines").reset_index()
        warnings.append(
            diagnose_ids(
                unknown, pd.DataFrame({"product_id": sorted(known)}), unknown_rows, with_id, given_width=id_width
            )
        )
        if with_id and (with_id - unknown_rows) / with_id < min_id_match:
            raise InputError(
                f"{names}: only {with_id - unknown_rows:,} of {with_id:,} rows "
                f"({(with_id - unknown_rows) / with_id:.1%}) name a product of the catalogue, below "
                f"min_id_match={min_id_match}. " + warnings[-1]
            )
    used = out[ok].assign(
        lines=1,
        units=numbers["units"][ok].fillna(0),
        returns=numbers["returns"][ok].fillna(0) if "returns" in numbers else 0.0,
        revenue=numbers["revenue"][ok] if "revenue" in numbers else np.nan,
        first_sale=pd.NaT,
        last_sale=pd.NaT,
    )
    used = used.groupby(["product_id", "season"], as_index=False).agg(
        lines=("lines", "sum"),
        units=("units", "sum"),
        returns=("returns", "sum"),
        revenue=("revenue", lambda v: v.sum(min_count=1)),
        first_sale=("first_sale", "min"),
        last_sale=("last_sale", "max"),
    )
    last_season = max(used["season"], key=calendar.ordinal)
    data_end = calendar.bounds(last_season)[1]
    metrics = finish_metrics(used, products, calendar, data_end, has_revenue="revenue" in fields)
    if "days_on_sale" in numbers:
        given = out[ok].assign(days=numbers["days_on_sale"][ok]).groupby(["product_id", "season"])["days"].max()
        days = metrics.set_index(["product_id", "season"]).index.map(given)
        metrics["days_on_sale"] = pd.Series(days, index=metrics.index).fillna(metrics["days_on_sale"]).astype("int64")
        metrics["units_per_week"] = (metrics["net_units"] / (metrics["days_on_sale"].clip(lower=1) / 7)).round(4)
    set_aside_file = None
    if set_aside_path is not None:
        aside = pd.concat([out[["file", "row"]], reason.rename("reason"), table.drop(columns=["file", "row"])], axis=1)[
            ~ok
        ]
        set_aside_file = atomic_write(set_aside_path, lambda tmp: csv_frame(aside).to_csv(tmp, index=False))
    return Sales(
        metrics,
        accounting_table(len(table), int(ok.sum()), counts),
        len(table),
        int(ok.sum()),
        int((~ok).sum()),
        set_aside_file,
        tuple(str(f) for f in files),
        data_end,
        tuple(warnings),
    )


def combine_sales(parts: list[Sales], *, calendar: SeasonCalendar = QUARTERS, set_aside_path=None) -> Sales:
    """Several sales inputs added up per product and season (lines, units, returns, revenue; the longest stay
    on sale), with one account of every row read and one set-aside file."""
    frames = [p.metrics for p in parts if len(p.metrics)]
    if frames:
        metrics = pd.concat(frames, ignore_index=True)
        metrics = metrics.groupby(["product_id", "season"], as_index=False, sort=False).agg(
            lines=("lines", "sum"),
            units=("units", "sum"),
            returns=("returns", "sum"),
            revenue=("revenue", lambda v: v.sum(min_count=1)),
            first_sale=("first_sale", "min"),
            last_sale=("last_sale", "max"),
            days_on_sale=("days_on_sale", "max"),
        )
        metrics["net_units"] = metrics["units"] - metrics["returns"]
        metrics["units_per_week"] = (metrics["net_units"] / (metrics["days_on_sale"].clip(lower=1) / 7)).round(4)
        order = metrics["season"].map(calendar.ordinal)
        metrics = metrics.assign(_o=order).sort_values(["_o", "product_id"], kind="stable")[METRIC_COLUMNS]
        metrics = metrics.reset_index(drop=True)
    else:
        metrics = parts[0].metrics
    counts: dict[str, int] = {}
    for part in parts:
        for reason, rows in zip(part.accounting["reason"], part.accounting["rows"]):
            if reason.startswith("set aside: "):
                counts[reason.removeprefix("set aside: ")] = counts.get(reason.removeprefix("set aside: "), 0) + int(
                    rows
                )
    rows_read = sum(p.rows_read for p in parts)
    rows_used = sum(p.rows_used for p in parts)
    warnings = tuple(f"{', '.join(Path(f).name for f in p.files)}: {w}" for p in parts for w in p.warnings)
    set_aside_file = None
    if set_aside_path is not None:
        pieces = [
            pd.read_csv(p.set_aside_file, dtype=str, keep_default_na=False)
            for p in parts
            if p.set_aside_file is not None and Path(p.set_aside_file).exists()
        ]
        merged = (
            pd.concat(pieces, ignore_index=True).fillna("")
            if pieces
            else pd.DataFrame(columns=["file", "row", "reason"])
        )
        set_aside_file = atomic_write(Path(set_aside_path), lambda tmp: merged.to_csv(tmp, index=False))
        for p in parts:
            if p.set_aside_file is not None and Path(p.set_aside_file) != Path(set_aside_path):
                Path(p.set_aside_file).unlink(missing_ok=True)
    ends = [p.data_end for p in parts if p.data_end is not None]
    return Sales(
        metrics,
        accounting_table(rows_read, rows_used, pd.Series(counts, dtype="int64")),
        rows_read,
        rows_used,
        rows_read - rows_used,
        set_aside_file,
        tuple(f for p in parts for f in p.files),
        max(ends) if ends else None,
        warnings,
    )
