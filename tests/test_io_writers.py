import hashlib
import time

import openpyxl
import pandas as pd

import tagkit as tk


def test_excel_is_formatted_and_reproducible(tmp_path):
    tables = {"tag problems": pd.DataFrame({"dimension": ["colour"], "raw_value": ["navvy"], "n_products": [3]}),
              "a/b:c": pd.DataFrame({"x": [1.5, None]})}
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


def test_failed_write_leaves_nothing(tmp_path):
    class Boom:
        def to_csv(self, *a, **k):
            raise RuntimeError("disk full")
    target = tmp_path / "x.csv"
    try:
        tk.write_csv(Boom(), target)
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []
