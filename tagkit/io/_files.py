"""Reading any table a merchandiser exports: CSV in any common encoding, Excel, Parquet.

Every reader returns text cells (so ids keep their leading zeros) with the row number a user
sees in a spreadsheet as the index: the header is row 1, the first data row is row 2. For
Parquet, which has no header row, the index is the record number starting at 1.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from tagkit.errors import InputError

CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")
_SAMPLE = 1 << 20
_HEADER_SEARCH_ROWS = 20


def file_kind(path) -> str:
    name = Path(str(path).split("?")[0]).name.lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(EXCEL_SUFFIXES):
        return "excel"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise InputError(
        f"{path}: tagkit reads CSV ({', '.join(CSV_SUFFIXES)}), Excel ({', '.join(EXCEL_SUFFIXES)}) "
        f"and Parquet ({', '.join(PARQUET_SUFFIXES)}) files; found a file ending in {path.suffix!r}."
    )


def check_file(path) -> Path:
    path = Path(path)
    if not path.exists():
        hint = ""
        if path.parent.is_dir():
            import difflib

            close = difflib.get_close_matches(path.name, [p.name for p in path.parent.iterdir()], n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InputError(f"{path}: no such file.{hint}")
    if path.is_dir():
        raise InputError(f"{path}: expected a file, found a folder.")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes); expected a header row and data rows.")
    return path


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def detect_encoding(path, *, sample_bytes: int = _SAMPLE) -> str:
    """The text encoding of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK,
    or Windows-1252; raises :class:`InputError` when none of them fits."""
    path = Path(path)
    with _open_binary(path) as fh:
        raw = fh.read(sample_bytes)
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw:
        raise InputError(
            f"{path}: cannot tell the text encoding (the file holds NUL bytes, as UTF-16 without a byte-order "
            "mark or a binary file would). Save it as CSV UTF-8, or give its encoding (encoding: utf-16-le)."
        )
    if _decodes(raw, "utf-8"):
        return "utf-8"
    if _has_utf8_multibyte(raw):
        # mostly UTF-8 with a broken byte: point at it rather than guess another encoding
        line, column, byte = _first_bad_byte(raw, "utf-8")
        raise InputError(
            f"{path}: line {line}, column {column}: byte 0x{byte:02X} is not valid UTF-8, although the rest of "
            "the file reads as UTF-8. Fix or remove that character, or give the file's encoding."
        )
    for encoding in ("gb18030", "cp1252"):
        if _decodes(raw, encoding):
            return encoding
    raise InputError(
        f"{path}: cannot tell the text encoding (tried UTF-8, GB18030/GBK and Windows-1252). "
        "Save it as CSV UTF-8, or give its encoding."
    )


def _decodes(raw: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(raw, final=False)  # a sample may end inside a character
        return True
    except UnicodeDecodeError:
        return False


def _has_utf8_multibyte(raw: bytes) -> bool:
    """Mostly valid UTF-8: well-formed multi-byte characters, and few of the non-ASCII bytes broken.
    (GBK and Windows-1252 text read as UTF-8 breaks on most of its non-ASCII bytes: 55% and more.)"""
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for c in text if ord(c) > 127) - broken
    non_ascii = sum(1 for b in raw if b > 127)
    return valid > 0 and broken <= 0.25 * non_ascii


def _first_bad_byte(raw: bytes, encoding: str) -> tuple[int, int, int]:
    if codecs.lookup(encoding).name == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8"  # count from the text, not from the byte-order mark
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return line, column, raw[err.start]
    return 0, 0, 0


def read_text(path, encoding: str | None = None) -> tuple[str, str]:
    """The whole file as text, and the encoding used. For catalogue-sized files."""
    path = check_file(path)
    encoding = encoding or detect_encoding(path)
    with _open_binary(path) as fh:
        raw = fh.read()
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as err:
        line, column, byte = _first_bad_byte(raw, encoding)
        raise InputError(
            f"{path}: line {line}, column {column}: byte 0x{byte:02X} cannot be read as {encoding}. "
            "Save the file as CSV UTF-8, or give its encoding."
        ) from err
    except LookupError as err:
        raise InputError(f"{path}: {encoding!r} is not a text encoding Python knows.") from err


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_table(path, *, encoding: str | None = None, sheet=None, header_row: int | None = None) -> pd.DataFrame:
    """A whole table as text cells, indexed by spreadsheet row number (see module docstring).

    ``header_row`` (1-based) says where the header is in Excel files that carry title rows above
    it; by default it is found as the first row that looks like a header.
    """
    path = check_file(path)
    kind = file_kind(path)
    if kind == "csv":
        frame = _read_csv(path, encoding)
    elif kind == "excel":
        frame = _read_excel(path, sheet, header_row)
    else:
        frame = _read_parquet(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    duplicated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if duplicated:
        raise InputError(f"{path}: the header names these columns more than once: {duplicated}.")
    if frame.empty:
        raise InputError(f"{path}: the file has a header ({', '.join(map(str, frame.columns))}) but no data rows.")
    return frame


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    text, _ = read_text(path, encoding)
    text = text.lstrip("\ufeff")
    if "\r" in text and text.count("\r") != text.count("\r\n"):  # old Mac line endings: a CR alone ends a line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: the file holds no text; expected a header row and data rows.")
    delimiter = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else sniff_delimiter(text)
    try:
        # header=None: pandas would silently rename a repeated column name to 'name.1'
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            header=None,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="python",
        )
    except (pd.errors.ParserError, csv.Error) as err:
        raise InputError(f"{path}: not a readable CSV table ({err}).") from err
    except pd.errors.EmptyDataError as err:
        raise InputError(f"{path}: the file holds no header row.") from err
    frame = grid.iloc[1:].fillna("")
    frame.columns = [str(c) for c in grid.iloc[0]]
    frame.index = _csv_rows(text, delimiter, len(frame))
    frame.index.name = "row"
    return frame


def _csv_rows(text: str, delimiter: str, n_rows: int) -> pd.Index:
    """Spreadsheet row numbers of the data records: the line each record starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    rows, previous_end = [], reader.line_num
    for record in reader:
        if record and any(cell.strip() for cell in record) or len(record) > 1:
            rows.append(previous_end + 1)
        previous_end = reader.line_num
    if len(rows) != n_rows:  # the two parsers disagree on blank lines: fall back to record numbers
        rows = list(range(2, n_rows + 2))
    return pd.Index(rows)


MAX_EXCEL_CELLS = 5_000_000  # more (say a small file that unpacks to a million rows) takes minutes: refused at once


def _excel_size(path: Path, sheet) -> tuple[int, int] | None:
    """Rows and columns the sheet declares, read from the workbook without loading it (None if unknown)."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        ws = book.worksheets[0] if sheet is None else book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
        size = (ws.max_row or 0, ws.max_column or 0)
        book.close()
        return size
    except Exception:  # a broken workbook is reported below, by the reader
        return None


def _read_excel(path: Path, sheet, header_row: int | None) -> pd.DataFrame:
    size = _excel_size(path, sheet) if path.suffix.lower() in (".xlsx", ".xlsm") else None
    if size and size[0] * size[1] > MAX_EXCEL_CELLS:
        raise InputError(
            f"{path}: the sheet declares {size[0]:,} rows and {size[1]:,} columns, more than tagkit reads "
            f"from a workbook ({MAX_EXCEL_CELLS:,} cells); export it as CSV or Parquet instead."
        )
    try:
        grid = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, header=None, dtype=str)
    except ValueError as err:
        if "Worksheet" in str(err) or "sheet" in str(err).lower() and sheet is not None:
            raise InputError(f"{path}: no sheet {sheet!r} ({err}).") from err
        raise InputError(f"{path}: not a readable Excel workbook; save it from Excel as .xlsx, or export CSV.") from err
    except Exception as err:  # openpyxl raises many kinds for a broken workbook
        raise InputError(f"{path}: not a readable Excel workbook ({type(err).__name__}: {err}).") from err
    grid = grid.fillna("")
    grid.index = range(1, len(grid) + 1)
    if grid.empty:
        raise InputError(f"{path}: the sheet is empty; expected a header row and data rows.")
    header = header_row or _find_header(grid)
    if header not in grid.index:
        raise InputError(f"{path}: header_row {header} is past the last row ({len(grid)}).")
    frame = grid.loc[header + 1 :].copy()
    frame.columns = [str(c).strip() for c in grid.loc[header]]
    keep = [c for c in frame.columns if c != ""]
    frame = frame.loc[:, [c != "" for c in frame.columns]] if len(keep) != len(frame.columns) else frame
    frame = frame[(frame != "").any(axis=1)]
    frame.index.name = "row"
    return frame


def _find_header(grid: pd.DataFrame) -> int:
    head = grid.head(_HEADER_SEARCH_ROWS)
    filled = (head != "").sum(axis=1)
    widest = filled.max()
    for row, n in filled.items():
        if n >= max(2, 0.6 * widest) or n == widest:
            return int(row)
    return int(head.index[0])


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as err:
        raise InputError(f"{path}: not a readable Parquet file ({err}).") from err
    import pyarrow as pa

    for field in table.schema:
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            values = table.column(field.name).to_pylist()
            decoded = []
            for record, value in enumerate(values, start=1):
                try:
                    decoded.append(None if value is None else value.decode("utf-8"))
                except UnicodeDecodeError:
                    raise InputError(
                        f"{path}: record {record:,}, column {field.name!r}: the column is stored as bytes "
                        f"and this value is not UTF-8 text ({value[:20]!r}). Write the column as text "
                        "(a string column) in UTF-8."
                    ) from None
            table = table.set_column(
                table.schema.get_field_index(field.name), field.name, pa.array(decoded, type=pa.string())
            )
    frame = table.to_pandas()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
        else:
            text = values.astype("string")
        frame[column] = text.fillna("").astype("str")
    frame.index = range(1, len(frame) + 1)
    frame.index.name = "row"
    return frame


# --- writing --------------------------------------------------------------------------------
def atomic_write(path, write) -> Path:
    """Call ``write(tmp_path)`` and move the result over ``path`` only when it succeeded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_generated(folder, tables: dict, *, header: str, encodings: dict | None = None) -> list[Path]:
    """Write a generated brand's tables to ``folder`` by their names, each file whole or not at all: ``.yml``
    (``header`` then YAML), ``.parquet``, ``.csv.gz`` (text or a table, gzip without a time stamp, so the same
    seed gives the same bytes) and CSV (UTF-8, or ``encodings[name]``). Returns the files written."""
    import yaml

    folder = Path(folder)
    written = []
    for name, content in tables.items():
        path = folder / name
        if name.endswith(".yml"):
            data = (header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=110)).encode("utf-8")
            written.append(atomic_write(path, lambda tmp, d=data: tmp.write_bytes(d)))
        elif name.endswith(".parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(content, preserve_index=False).replace_schema_metadata(None)
            written.append(atomic_write(path, lambda tmp, t=table: pq.write_table(t, tmp, compression="zstd")))
        elif name.endswith(".csv.gz"):
            text = content if isinstance(content, str) else content.to_csv(index=False, lineterminator="\n")
            data = text.encode("utf-8")
            written.append(atomic_write(path, lambda tmp, d=data: _gzip_bytes(tmp, d)))
        else:
            data = content.to_csv(index=False, lineterminator="\n").encode((encodings or {}).get(name, "utf-8"))
            written.append(atomic_write(path, lambda tmp, d=data: tmp.write_bytes(d)))
    return written


def _gzip_bytes(path: Path, data: bytes):
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)
