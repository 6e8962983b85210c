"""Exports merchandisers open in Excel: CSV (UTF-8 with BOM, so Excel reads Chinese correctly) and
formatted workbooks. Both are written atomically and byte-for-byte the same for the same tables."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from tagkit._inert import csv_frame, excel_text
from tagkit.errors import TagkitError
from tagkit.io._files import atomic_write

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_MAX_WIDTH = 60
_EXCEL_MAX_ROWS = 1_048_575


def write_csv(frame: pd.DataFrame, path) -> Path:
    """A CSV file Excel opens as text: UTF-8 with a byte-order mark, every cell that starts like a formula
    prefixed with an apostrophe (see tagkit._inert), lines ended by CRLF (RFC 4180), so that a value holding a
    carriage return or a line feed is quoted and stays one cell."""
    inert = csv_frame(frame)
    return atomic_write(path, lambda tmp: inert.to_csv(tmp, index=False, encoding="utf-8-sig",
                                                       lineterminator="\r\n"))


def write_excel(sheets: dict[str, pd.DataFrame], path, *, percent=()) -> Path:
    """One sheet per table: bold frozen header, column widths that fit the content; the columns
    named in ``percent`` (shares in [0, 1]) are shown as percentages. A table that is None (say, no
    competitors in the dataset) gets no sheet."""
    sheets = {name: frame for name, frame in sheets.items() if frame is not None}
    for name, frame in sheets.items():
        if len(frame) > _EXCEL_MAX_ROWS:
            raise TagkitError(f"The table {name!r} has {len(frame):,} rows, more than an Excel sheet holds; "
                              "export it as CSV instead.")
    return atomic_write(path, lambda tmp: _write_workbook(sheets, tmp, set(percent)))


def _write_workbook(sheets: dict[str, pd.DataFrame], tmp: Path, percent: set):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = _sheet_name(name)
            frame = frame.copy()
            frame.columns = [excel_text(str(c)) for c in frame.columns]
            for col in frame.columns:  # Excel has no time zones
                if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
                    frame[col] = frame[col].dt.tz_localize(None)
                elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    frame[col] = frame[col].map(excel_text)
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            _as_text(ws)
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="E8ECF1")
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            for i, col in enumerate(frame.columns, start=1):
                values = [("" if pd.isna(v) else str(v)) for v in frame[col].head(500)]
                width = max([len(str(col))] + [len(v) for v in values]) + 2
                letter = get_column_letter(i)
                ws.column_dimensions[letter].width = min(width, _MAX_WIDTH)
                if col in percent:
                    ws.column_dimensions[letter].width = max(len(str(col)) + 2, 9)
                    for cell in ws[letter][1:]:
                        cell.number_format = "0.0%"
            if len(frame.columns):
                ws.auto_filter.ref = ws.dimensions
        for ws in writer.book.worksheets:
            ws.sheet_view.tabSelected = ws is writer.book.worksheets[0]
        fixed = pd.Timestamp(*_FIXED_TIME[:3]).to_pydatetime()
        writer.book.properties.created = fixed
        writer.book.properties.modified = fixed
    _fix_zip_times(tmp)


def _as_text(ws) -> None:
    """openpyxl turns a string starting with '=' into a formula; every such cell is set back to text."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(name))
    return cleaned[:31] or "sheet"


def _fix_zip_times(path: Path):
    """openpyxl stamps every zip entry with the time of writing; make the bytes reproducible."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here too
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
