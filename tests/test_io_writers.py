import hashlib
import re
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

import tagkit as tk


def test_excel_is_formatted_and_reproducible(tmp_path):
    tables = {
        "tag problems": pd.DataFrame({"dimension": ["colour"], "raw_value": ["navvy"], "n_products": [3]}),
        "a/b:c": pd.DataFrame({"x": [1.5, None]}),
    }
    one = tk.write_excel(tables, tmp_path / "one.xlsx")
    time.sleep(1.1)  # a second later, so that a time stamp anywhere in the file would differ
    two = tk.write_excel(tables, tmp_path / "two.xlsx")
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()
    book = openpyxl.load_workbook(one)
    assert book.sheetnames == ["tag problems", "a_b_c"]
    sheet = book["tag problems"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["B2"].value == "navvy"


def test_csv_has_a_bom_for_excel(tmp_path):
    path = tk.write_csv(pd.DataFrame({"颜色": ["黑色"]}), tmp_path / "x.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def boom(self, *a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    target = tmp_path / "x.csv"
    with pytest.raises(RuntimeError, match="disk full"):
        tk.write_csv(pd.DataFrame({"a": [1]}), target)
    assert list(tmp_path.iterdir()) == []


def test_no_cell_of_an_export_is_a_formula_and_the_text_stays_readable(tmp_path):
    hostile = [
        '=HYPERLINK("http://evil.example","click me")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "＝1+1",
        "plain",
        "bad\x07bell",
        None,
    ]
    frame = pd.DataFrame({"name": hostile, "n": range(len(hostile))})
    frame.insert(0, "=header", "x")
    book = tk.write_excel({"s": frame}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(book)["s"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in sheet["B"][1:]]
    assert texts[:3] == hostile[:3] and texts[9] == "bad\ufffdbell"  # as written, control character replaced
    assert sheet["A1"].value == "=header"
    csv = tk.write_csv(frame, tmp_path / "x.csv")
    read = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    starts = ("=", "+", "-", "@", "\t", "\r", "＝")
    assert not any(str(v).startswith(starts) for v in read.to_numpy().ravel()) and read.columns[0] == "'=header"
    assert read["name"].tolist()[:2] == ["'" + hostile[0], "'" + hostile[1]]  # readable, one apostrophe ahead
    assert read["n"].tolist() == [str(i) for i in range(len(hostile))]  # numbers untouched


def test_a_table_longer_than_a_sheet_goes_whole_to_a_csv_and_its_sheet_says_where(tmp_path, monkeypatch):
    import tagkit.io.writers as writers

    monkeypatch.setattr(writers, "_EXCEL_MAX_ROWS", 5)  # a sheet of 5 rows stands for Excel's 1,048,575
    labels = pd.DataFrame({"product_id": [f"{i:03d}" for i in range(12)], "units": range(12)})
    small = pd.DataFrame({"season": ["2025Q4"], "hits": [3]})
    path = tk.write_excel({"hit share": small, "Labels (all)": labels}, tmp_path / "hit_tags.xlsx")
    whole = pd.read_csv(tmp_path / "hit_tags_labels_all.csv", dtype={"product_id": str}, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(whole, labels)
    book = openpyxl.load_workbook(path)
    assert book["hit share"]["B2"].value == 3
    note = book["Labels (all)"]["A2"].value
    assert (
        note.startswith("This table has 12 rows, more than an Excel sheet holds (5)")
        and "hit_tags_labels_all.csv" in note
    )


def test_workbooks_speak_words_format_each_measure_and_colour_verdicts(tmp_path):
    frame = pd.DataFrame(
        {
            "share_of_competitor_bestsellers": [0.275],
            "lift": [11.61019499277804],
            "q_value": [0.0004],
            "n_products": [21535],
            "units_per_week": [2.345],
            "verdict": ["whitespace"],
            "within": [False],
        }
    )
    path = tk.write_excel({"competitors": frame}, tmp_path / "x.xlsx", about={"season": "2025Q4", "top_share": 0.075})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["about", "competitors"]
    assert [[c.value for c in row] for row in book["about"].iter_rows()] == [
        ["setting", "value"],
        ["season", "2025Q4"],
        ["top_share", "0.075"],
    ]
    sheet = book["competitors"]
    assert [c.value for c in sheet[1]] == [
        "share of competitor best sellers",
        "lift",
        "q-value (false discovery rate)",
        "products",
        "units per week on sale",
        "verdict",
        "within",
    ]
    assert [c.number_format for c in sheet[2]][:5] == ["0.0%", '0.0"×"', "0.000", "#,##0", "#,##0.00"]
    assert sheet["B2"].value == 11.61019499277804  # the number itself; only its format rounds
    rules = {str(r.sqref): [x.formula for x in r.rules] for r in sheet.conditional_formatting}
    assert any('"whitespace"' in f for fs in rules["F2"] for f in fs)  # coloured by its verdict
    assert any("FALSE" in f for fs in rules["G2"] for f in fs)


def test_every_cell_reads_back_as_written_with_its_type(tmp_path):
    """Each cell against the frame itself: text (escaped markup, spaces, Excel's own _xHHHH_ escapes kept
    literal), numbers (non-finite ones empty), flags, dates (without their time zone), across blocks of rows."""
    import tagkit.io._xlsx as xlsx

    n = 7
    frame = pd.DataFrame(
        {
            "name": [
                "a & b <c>",
                "  spaced ",
                "_x0041_ literal",
                "颜色 黑色",
                "bad\x07bell\uffff\ufffe",
                None,
                "line\nbreak",
            ],
            "units": range(n),
            "lift": [1.5, float("nan"), float("inf"), 2.25, 1e-7, 123456.789, -3.0],
            "flag": pd.array([True, False, None, True, False, True, True], dtype="boolean"),
            "day": pd.to_datetime(
                ["2025-01-01", "2025-02-03", None, "2025-03-04", "2024-12-31", "2025-01-01", "2025-01-01"]
            ),
            "stamp": pd.to_datetime(["2025-01-01 10:30:00"] * n).tz_localize("Asia/Shanghai"),
        }
    )
    old_block = xlsx._BLOCK
    xlsx._BLOCK = 3  # rows are made in blocks: three blocks here
    try:
        path = tk.write_excel({"a'b & <c>": frame}, tmp_path / "x.xlsx")
    finally:
        xlsx._BLOCK = old_block
    sheet = openpyxl.load_workbook(path)["a'b & <c>"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == n
    for i, row in enumerate(rows):
        name = frame["name"][i]
        # characters XML 1.0 cannot hold at all (a bell, the noncharacters U+FFFE and U+FFFF) read as U+FFFD
        assert row[0] == (None if pd.isna(name) else re.sub("[\x07\ufffe\uffff]", "\ufffd", name))
        assert row[1] == i
        lift = frame["lift"][i]
        assert row[2] == (lift if lift not in (float("inf"),) and lift == lift else None)
        assert row[3] == (None if pd.isna(frame["flag"][i]) else bool(frame["flag"][i]))
        day = frame["day"][i]
        assert row[4] == (None if pd.isna(day) else day.to_pydatetime())
        assert row[5] == frame["stamp"][i].tz_localize(None).to_pydatetime()
    assert [c.number_format for c in sheet[2]][4:] == ["yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"]
    assert sheet.auto_filter.ref == f"A1:F{n + 1}"
    # Excel reads "_xHHHH_" in a string as a character (ECMA-376 ST_Xstring): a literal one has its "_" escaped
    assert "_x005F_x0041_ literal" in zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()


@pytest.mark.parametrize("where", ["making the XML", "writing the file"])
def test_a_workbook_that_fails_halfway_leaves_nothing(tmp_path, monkeypatch, where):
    import tagkit.io._xlsx as xlsx

    monkeypatch.setattr(xlsx, "_BLOCK", 2)
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    if where == "making the XML":
        original = xlsx.Workbook._cells
        monkeypatch.setattr(xlsx.Workbook, "_cells", boom)
    else:
        original = zipfile._ZipWriteFile.write
        monkeypatch.setattr(zipfile._ZipWriteFile, "write", boom)
    frame = pd.DataFrame({"name": [f"p{i}" for i in range(40)], "units": range(40)})
    with pytest.raises(RuntimeError, match="disk full"):
        tk.write_excel({"labels": frame}, tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_shared_strings_escape_each_text_whether_or_not_one_holds_the_separator():
    """All texts are escaped in one pass joined by U+FFFF; a text holding it (none from a table can: excel_text
    replaces it) is escaped on its own."""
    from html import escape

    from tagkit.io._xlsx import _SEPARATOR, _shared_strings

    texts = ["a & b", "<c>", "_x0041_", "", "plain"]
    for extra in ([], [f"odd {_SEPARATOR} one"]):
        items = _shared_strings(texts + extra)
        expected = [escape(t, quote=False).replace("_x0041_", "_x005F_x0041_") for t in texts + extra]
        assert items == "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in expected)
    assert _shared_strings([]) == ""


def test_every_part_of_a_workbook_is_deflated_at_the_fastest_level(tmp_path):
    # A ZipInfo built by hand does not take the ZipFile's compresslevel: the parts were deflated at zlib's default
    # level 6 (4-5x slower). Each part's stored size is compared with zlib's own raw deflate of its content.
    import zlib

    frame = pd.DataFrame({"product_id": [f"P{i:06d}" for i in range(20_000)], "units": range(20_000)})
    path = tk.write_excel({"labels": frame}, tmp_path / "x.xlsx")

    def deflated(data: bytes, level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    with zipfile.ZipFile(path) as book:
        for info in book.infolist():
            data = book.read(info)
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
            assert info.compress_size == deflated(data, 1), info.filename
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
        assert deflated(book.read(sheet), 6) != sheet.compress_size  # the check can tell the levels apart


def test_repeated_texts_and_unhashable_cells_read_back_and_the_shared_strings_count_every_text_cell(tmp_path):
    """Texts repeated over several blocks of rows and columns, empty texts, and cells holding lists (unhashable:
    written as their text). The shared strings' count is every text cell, headers included, and their unique
    count the distinct texts: both counted here from the frame itself."""
    import tagkit.io._xlsx as xlsx

    frame = pd.DataFrame(
        {
            "colour": ["navy", "black", "navy", None, "", "black", "navy"],
            "season": ["2025Q1"] * 3 + ["2025Q2"] * 4,
            "items": [["a", "b"], ["a"], None, ["a", "b"], [], ["c"], ["a"]],
        }
    )
    old_block = xlsx._BLOCK
    xlsx._BLOCK = 2
    try:
        path = tk.write_excel({"t": frame}, tmp_path / "x.xlsx")
    finally:
        xlsx._BLOCK = old_block
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)["t"].iter_rows(min_row=2)]
    expected = [
        [v if isinstance(v, str) else None for v in frame["colour"]],
        list(frame["season"]),
        [None if _is_missing(v) else str(v) for v in frame["items"]],
    ]
    assert rows == [list(r) for r in zip(*expected)]
    texts = [tk.formats.header(c) for c in frame.columns] + [
        v if isinstance(v, str) else str(v) for column in frame for v in frame[column] if not _is_missing(v)
    ]
    sst = zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()
    assert re.search(r'count="(\d+)" uniqueCount="(\d+)"', sst).groups() == (str(len(texts)), str(len(set(texts))))


def _is_missing(value) -> bool:
    return value is None or (not isinstance(value, list) and pd.isna(value))
