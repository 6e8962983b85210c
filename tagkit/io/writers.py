"""Exports merchandisers open in Excel: CSV (UTF-8 with BOM, so Excel reads Chinese correctly) and
formatted workbooks. Both are written atomically and byte-for-byte the same for the same tables."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from tagkit._inert import csv_frame, excel_text
from tagkit.formats import decimals, header, measure
from tagkit.io._files import atomic_write

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_MAX_WIDTH = 59  # characters; XlsxWriter stores w as about w + 0.7, so no column is wider than 60
_EXCEL_MAX_ROWS = 1_048_575


def write_csv(frame: pd.DataFrame, path, *, bom: bool = True) -> Path:
    """A CSV file Excel opens as text: UTF-8 with a byte-order mark (``bom=False`` for an upload, such as
    Shopify's product import, that wants none), every cell that starts like a formula prefixed with an
    apostrophe (see tagkit._inert), lines ended by CRLF (RFC 4180), so that a value holding a carriage return or
    a line feed is quoted and stays one cell."""
    inert = csv_frame(frame)
    encoding = "utf-8-sig" if bom else "utf-8"
    return atomic_write(path, lambda tmp: inert.to_csv(tmp, index=False, encoding=encoding, lineterminator="\r\n"))


def write_excel(sheets: dict[str, pd.DataFrame], path, *, percent=(), about: dict | None = None) -> Path:
    """One sheet per table: bold frozen header in words (:func:`tagkit.formats.header`), column widths that fit
    the content, filters, each number formatted by what it measures (shares, the columns named in ``percent``
    included, as percentages; lifts as 11.6×; p- and q-values to three decimals; counts with separators),
    verdicts coloured (green for inside, kept, rising, whitespace; amber and red for the others). ``about``
    (the parameters of the run, say) becomes a first sheet "about". A table that is None (say, no
    competitors in the dataset) gets no sheet. A table longer than a sheet holds (1,048,575 rows, say the
    labels of a million products) is written whole to a CSV beside the workbook (``<workbook>_<sheet>.csv``),
    and its sheet says so and where."""
    path = Path(path)
    fitted = {}
    for name, frame in sheets.items():
        if frame is not None and len(frame) > _EXCEL_MAX_ROWS:
            part = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "sheet"
            whole = write_csv(frame, path.with_name(f"{path.stem}_{part}.csv"))
            frame = pd.DataFrame(
                {
                    "note": [
                        f"This table has {len(frame):,} rows, more than an Excel sheet holds "
                        f"({_EXCEL_MAX_ROWS:,}): all of them are in {whole.name}, beside this "
                        "workbook."
                    ]
                }
            )
        if frame is not None:
            fitted[name] = frame
    if about:
        rows = [(str(k), v if isinstance(v, (int, float, str, bool)) else str(v)) for k, v in about.items()]
        fitted = {"about": pd.DataFrame(rows, columns=["setting", "value"]).astype({"value": object}), **fitted}
    return atomic_write(path, lambda tmp: _write_workbook(fitted, tmp, set(percent)))


def _write_workbook(sheets: dict[str, pd.DataFrame], tmp: Path, percent: set):
    """With XlsxWriter: every cell is written by its column's type (text as text, never as a formula), row by
    row in constant memory; the file's time stamps are fixed, so the same tables give the same bytes."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(tmp),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    book.set_properties({"created": datetime(*_FIXED_TIME)})
    header_format = book.add_format({"bold": True, "bg_color": "#E8ECF1", "valign": "top", "text_wrap": True})
    formats = {
        "percent": book.add_format({"num_format": "0.0%"}),
        "lift": book.add_format({"num_format": '0.0"×"'}),
        "probability": book.add_format({"num_format": "0.000"}),
        **{f"number{d}": book.add_format({"num_format": "#,##0" + ("." + "0" * d if d else "")}) for d in range(5)},
    }
    dates = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    days = book.add_format({"num_format": "yyyy-mm-dd"})
    verdicts = {
        colour: book.add_format({"bg_color": fill, "font_color": ink})
        for colour, fill, ink in (
            ("good", "#DFF0E6", "#1E5C45"),
            ("warn", "#FFF1CC", "#7A5A00"),
            ("bad", "#F8DDDA", "#8A2A20"),
        )
    }
    try:
        for name, frame in sheets.items():
            ws = book.add_worksheet(_sheet_name(name))
            names = [excel_text(header(c)) for c in frame.columns]
            columns = [_cells(frame.iloc[:, i], days, dates) for i in range(frame.shape[1])]
            for i, col in enumerate(names):
                shown = [("" if v is None else str(v)) for v in columns[i][1][:500]]
                width = max([len(col)] + [len(v) for v in shown]) + 2
                kind = _number_kind(frame.columns[i], frame.iloc[:, i], percent) if columns[i][0] == "number" else None
                ws.set_column(
                    i,
                    i,
                    max(len(col) + 2, 9) if kind == "percent" else min(width, _MAX_WIDTH),
                    formats[kind] if kind else None,
                )
            ws.freeze_panes(1, 0)
            for i, col in enumerate(names):
                ws.write_string(0, i, col, header_format)
            writers = [(i, getattr(ws, f"write_{kind}"), values, fmt) for i, (kind, values, fmt) in enumerate(columns)]
            for row in range(len(frame)):
                for i, write, values, fmt in writers:
                    value = values[row]
                    if value is not None:
                        write(row + 1, i, value, fmt)
            if len(frame.columns):
                ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
            _colour_verdicts(ws, frame, verdicts)
    finally:
        book.close()


# Verdict words and their colour (the columns below: band, verdict, trend, status, within, held up).
VERDICT_COLOURS = {
    "good": ("inside", "kept", "rising", "whitespace", "shared strength", "yes", "marks hits"),
    "warn": ("above", "below", "fading", "redundant", "not significant", "low lift", "no better than its parts"),
    "bad": ("crowded", "no"),
}
VERDICT_COLUMNS = ("band", "verdict", "trend", "status", "within", "held_up")


def _number_kind(name, values: pd.Series, percent: set) -> str:
    """The number format of a numeric column: the measure it holds (tagkit.formats), or its decimals."""
    kind = measure(name, values, percent)
    return kind if kind != "number" else f"number{min(decimals(values), 4)}"


def _colour_verdicts(ws, frame: pd.DataFrame, verdicts: dict) -> None:
    if not len(frame):
        return
    for i, column in enumerate(frame.columns):
        if str(column) not in VERDICT_COLUMNS and header(column) not in {header(c) for c in VERDICT_COLUMNS}:
            continue
        for colour, words in VERDICT_COLOURS.items():
            for word in words:
                ws.conditional_format(
                    1,
                    i,
                    len(frame),
                    i,
                    {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": verdicts[colour]},
                )
        if pd.api.types.is_bool_dtype(frame[column]):
            ws.conditional_format(
                1, i, len(frame), i, {"type": "cell", "criteria": "==", "value": "FALSE", "format": verdicts["bad"]}
            )


def _cells(values: pd.Series, days, dates) -> tuple[str, list, object]:
    """A column as (XlsxWriter's write method, the cell values with None for an empty cell, the format)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean", [None if pd.isna(v) else bool(v) for v in values.astype(object)], None
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64").to_numpy()
        return "number", [v if ok else None for v, ok in zip(numbers.tolist(), np.isfinite(numbers).tolist())], None
    if pd.api.types.is_datetime64_any_dtype(values.dtype):  # Excel has no time zones
        stamps = values.dt.tz_localize(None) if isinstance(values.dtype, pd.DatetimeTZDtype) else values
        known = stamps.dropna()
        fmt = days if bool((known == known.dt.normalize()).all()) else dates
        return "datetime", [None if pd.isna(v) else v.to_pydatetime() for v in stamps], fmt
    # text (and anything else, as its text): each distinct value made safe once
    safe: dict = {}
    out = []
    for v in values.astype(object).tolist():
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
        else:
            try:
                if v not in safe:
                    safe[v] = excel_text(v if isinstance(v, str) else str(v))
                out.append(safe[v])
            except TypeError:  # unhashable (a list in a cell): its text
                out.append(excel_text(str(v)))
    return "string", out, None


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(name))
    return cleaned[:31] or "sheet"
