"""Exports merchandisers open in Excel: CSV (UTF-8 with BOM, so Excel reads Chinese correctly) and
formatted workbooks. Both are written atomically and byte-for-byte the same for the same tables."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from tagkit._inert import csv_frame, excel_text
from tagkit.io._files import atomic_write

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_MAX_WIDTH = 59  # characters; XlsxWriter stores w as about w + 0.7, so no column is wider than 60
_EXCEL_MAX_ROWS = 1_048_575


def write_csv(frame: pd.DataFrame, path) -> Path:
    """A CSV file Excel opens as text: UTF-8 with a byte-order mark, every cell that starts like a formula
    prefixed with an apostrophe (see tagkit._inert), lines ended by CRLF (RFC 4180), so that a value holding a
    carriage return or a line feed is quoted and stays one cell."""
    inert = csv_frame(frame)
    return atomic_write(path, lambda tmp: inert.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n"))


def write_excel(sheets: dict[str, pd.DataFrame], path, *, percent=()) -> Path:
    """One sheet per table: bold frozen header, column widths that fit the content; the columns
    named in ``percent`` (shares in [0, 1]) are shown as percentages. A table that is None (say, no
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
    header = book.add_format({"bold": True, "bg_color": "#E8ECF1", "valign": "top", "text_wrap": True})
    shares = book.add_format({"num_format": "0.0%"})
    dates = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    days = book.add_format({"num_format": "yyyy-mm-dd"})
    try:
        for name, frame in sheets.items():
            ws = book.add_worksheet(_sheet_name(name))
            names = [excel_text(str(c)) for c in frame.columns]
            columns = [_cells(frame.iloc[:, i], days, dates) for i in range(frame.shape[1])]
            for i, col in enumerate(names):
                shown = [("" if v is None else str(v)) for v in columns[i][1][:500]]
                width = max([len(col)] + [len(v) for v in shown]) + 2
                ws.set_column(
                    i,
                    i,
                    max(len(col) + 2, 9) if col in percent else min(width, _MAX_WIDTH),
                    shares if col in percent else None,
                )
            ws.freeze_panes(1, 0)
            for i, col in enumerate(names):
                ws.write_string(0, i, col, header)
            writers = [(i, getattr(ws, f"write_{kind}"), values, fmt) for i, (kind, values, fmt) in enumerate(columns)]
            for row in range(len(frame)):
                for i, write, values, fmt in writers:
                    value = values[row]
                    if value is not None:
                        write(row + 1, i, value, fmt)
            if len(frame.columns):
                ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    finally:
        book.close()


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
