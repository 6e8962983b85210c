"""Exports merchandisers open in Excel: CSV (UTF-8 with BOM, so Excel reads Chinese correctly) and
formatted workbooks. Both are written atomically and byte-for-byte the same for the same tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from tagkit._inert import csv_frame, excel_text, excel_texts
from tagkit.formats import decimals, header, measure, tagkit_words
from tagkit.io import _xlsx
from tagkit.io._files import atomic_write
from tagkit.language import translate as _
from tagkit.language import translate_in

_MAX_WIDTH = 59  # characters; a width is stored as w + 0.7, so no column is wider than 60
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
                        _(
                            "This table has {rows} rows, more than an Excel sheet holds ({most}): all of them are in "
                            "{file}, beside this workbook.",
                            rows=f"{len(frame):,}",
                            most=f"{_EXCEL_MAX_ROWS:,}",
                            file=whole.name,
                        )
                    ]
                }
            )
        elif frame is not None:
            frame = tagkit_words(frame)
        if frame is not None:
            fitted[name] = frame
    if about:
        rows = [(str(k), v if isinstance(v, (int, float, str, bool)) else str(v)) for k, v in about.items()]
        fitted = {"about": pd.DataFrame(rows, columns=["setting", "value"]).astype({"value": object}), **fitted}
    return atomic_write(path, lambda tmp: _write_workbook(fitted, tmp, set(percent)))


_NUMBER_FORMATS = {
    "percent": "0.0%",
    "lift": '0.0"×"',
    "probability": "0.000",
    **{f"number{d}": "#,##0" + ("." + "0" * d if d else "") for d in range(5)},
}
_VERDICT_FILLS = {"good": ("#DFF0E6", "#1E5C45"), "warn": ("#FFF1CC", "#7A5A00"), "bad": ("#F8DDDA", "#8A2A20")}


def _write_workbook(sheets: dict[str, pd.DataFrame], tmp: Path, percent: set):
    """Every cell is written by its column's type (text as text, never as a formula), with tagkit's own
    SpreadsheetML writer (tagkit.io._xlsx); the same tables give the same bytes."""
    book = _xlsx.Workbook(tmp, colours=_VERDICT_FILLS)
    try:
        for name, frame in sheets.items():
            names = [excel_text(header(c)) for c in frame.columns]
            columns = []
            for i, title in enumerate(names):
                kind, values, num_format = _cells(frame.iloc[:, i])
                shown = [("" if v is None else str(v)) for v in values[:500]]
                width = min(max([len(title)] + [len(v) for v in shown]) + 2, _MAX_WIDTH)
                if kind == _xlsx.NUMBER:
                    number_kind = _number_kind(frame.columns[i], frame.iloc[:, i], percent)
                    num_format = _NUMBER_FORMATS[number_kind]
                    if number_kind == "percent":
                        width = max(len(title) + 2, 9)
                elif kind == _xlsx.DATE:
                    width = max(len(title), len(num_format)) + 2
                style = _xlsx.Style(num_format=num_format) if num_format else None
                columns.append(_xlsx.Column(kind, values, style, width))
            book.add(
                _xlsx.Sheet(
                    sheet_name(translate_in("sheet", name)), names, columns, len(frame), colours=_verdict_colours(frame)
                )
            )
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


def _verdict_colours(frame: pd.DataFrame) -> list:
    """For each verdict column: (its index, [(the formula a cell equals, its colour), ...])."""
    if not len(frame):
        return []
    out = []
    for i, column in enumerate(frame.columns):
        if str(column) not in VERDICT_COLUMNS and header(column) not in {header(c) for c in VERDICT_COLUMNS}:
            continue
        rules = [(f'"{_(word)}"', colour) for colour, words in VERDICT_COLOURS.items() for word in words]
        if pd.api.types.is_bool_dtype(frame[column]):
            rules.append(("FALSE", "bad"))
        out.append((i, rules))
    return out


def _cells(values: pd.Series) -> tuple[str, list, str]:
    """A column as (its cell type, the cell values with None for an empty cell, its number format)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        flags = values.to_numpy(dtype=bool, na_value=False)
        return _xlsx.BOOLEAN, _emptied(flags.tolist(), values.isna().to_numpy()), ""
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64").to_numpy()
        return _xlsx.NUMBER, _emptied(numbers.tolist(), ~np.isfinite(numbers)), ""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):  # Excel has no time zones: serial days from 1899-12-30
        stamps = values.dt.tz_localize(None) if isinstance(values.dtype, pd.DatetimeTZDtype) else values
        known = stamps.dropna()
        num_format = "yyyy-mm-dd" if bool((known == known.dt.normalize()).all()) else "yyyy-mm-dd hh:mm:ss"
        days = ((stamps - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)).to_numpy(dtype="float64")
        return _xlsx.DATE, _emptied(days.tolist(), ~np.isfinite(days)), num_format
    # text (and anything else, as its text): each distinct value made safe once
    try:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable values (a list in a cell): each one's text
        return _xlsx.TEXT, [None if _missing(v) else excel_text(str(v)) for v in values.astype(object)], ""
    safe = excel_texts([v if isinstance(v, str) else str(v) for v in distinct]) + [None]
    return _xlsx.TEXT, np.array(safe, dtype=object)[codes].tolist(), ""


def _emptied(cells: list, empty: np.ndarray) -> list:
    """``cells`` with None where ``empty`` is true (an empty cell): the few missing values set one by one, not
    every value tested in Python."""
    for i in np.flatnonzero(empty).tolist():
        cells[i] = None
    return cells


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def sheet_name(name: str) -> str:
    """``name`` as Excel takes a sheet's name (no []:*?/\\, at most 31 characters)."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(name))
    return cleaned[:31] or "sheet"
