"""Reading files: encodings, Excel with title rows, Parquet, empty and broken files."""

import pandas as pd
import pytest

import tagkit as tk

CSV = "product_id,name,category,colour\n007,连衣裙 A,连衣裙,黑色\n008,Top B,top,navy\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_in_common_encodings(write, taxonomy, encoding):
    path = write("c.csv", CSV, encoding=encoding)
    cat = tk.read_catalogue(path, taxonomy=taxonomy)
    assert cat.products["product_id"].tolist() == ["007", "008"]
    assert cat.products["name"].iloc[0] == "连衣裙 A"
    assert cat.raw_tags["raw_value"].tolist()[:2] == ["连衣裙", "黑色"]


def test_windows_1252_csv(write, taxonomy):
    path = write("c.csv", "product_id,name,category\n1,Café crème,dress\n", encoding="cp1252")
    assert tk.read_catalogue(path, taxonomy=taxonomy).products["name"].iloc[0] == "Café crème"


def test_semicolon_and_tab_delimiters(write, taxonomy):
    semi = write("s.csv", "product_id;category;occasion\n1;dress;work, party\n")
    tab = write("t.tsv", "product_id\tcategory\n1\tdress\n")
    assert tk.read_catalogue(semi, taxonomy=taxonomy).raw_tags["raw_value"].tolist() == ["dress", "work", "party"]
    assert len(tk.read_catalogue(tab, taxonomy=taxonomy).products) == 1


def test_rows_are_spreadsheet_rows(write, taxonomy):
    path = write("c.csv", 'product_id,name,category\n1,a,dress\n\n2,"two\nlines",top\n3,c,dress\n')
    rows = tk.io.read_table(path).index.tolist()
    assert rows == [2, 4, 6]


def test_broken_utf8_byte_is_located(write, taxonomy):
    raw = ("product_id,name,category\n" + "1,连衣裙,dress\n" * 20).encode("utf-8") + b"2,caf\xe9,dress\n"
    path = write("c.csv", raw)
    with pytest.raises(tk.InputError, match=r"c.csv: line 22, column 6: byte 0xE9 is not valid UTF-8"):
        tk.read_catalogue(path, taxonomy=taxonomy)


def test_utf16_without_bom_is_refused_clearly(write, taxonomy):
    path = write("c.csv", CSV.encode("utf-16-le"))
    with pytest.raises(tk.InputError, match="cannot tell the text encoding"):
        tk.read_catalogue(path, taxonomy=taxonomy)


def test_excel_with_title_rows_above_the_header(tmp_path, taxonomy):
    path = tmp_path / "c.xlsx"
    grid = pd.DataFrame(
        [
            ["Catalogue export", None, None],
            [None, None, None],
            ["product_id", "category", "colour"],
            ["0012", "dress", "black"],
            ["0013", "top", "navy"],
        ]
    )
    grid.to_excel(path, header=False, index=False)
    table = tk.io.read_table(path)
    assert table.index.tolist() == [4, 5]
    cat = tk.read_catalogue(path, taxonomy=taxonomy)
    assert cat.products["product_id"].tolist() == ["0012", "0013"]


def test_excel_header_row_can_be_given(tmp_path, taxonomy):
    path = tmp_path / "c.xlsx"
    pd.DataFrame([["x", "y"], ["product_id", "category"], ["1", "dress"]]).to_excel(path, header=False, index=False)
    assert tk.read_catalogue(path, taxonomy=taxonomy, header_row=2).products["product_id"].tolist() == ["1"]


def test_parquet_catalogue(tmp_path, taxonomy):
    path = tmp_path / "c.parquet"
    pd.DataFrame(
        {"product_id": ["001"], "category": ["dress"], "launch_date": pd.to_datetime(["2025-03-01"])}
    ).to_parquet(path)
    cat = tk.read_catalogue(path, taxonomy=taxonomy)
    assert cat.products["launch_season"].tolist() == ["2025Q1"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"product_id,category\n", "has a header .* but no data rows"),
        (b"   \n", "holds no text"),
    ],
)
def test_empty_files(write, taxonomy, content, message):
    with pytest.raises(tk.InputError, match=message):
        tk.read_catalogue(write("c.csv", content), taxonomy=taxonomy)


def test_missing_file_suggests_a_close_name(write, taxonomy):
    path = write("catalogue.csv", CSV)
    with pytest.raises(tk.InputError, match=r"catalog.csv: no such file. Did you mean 'catalogue.csv'\?"):
        tk.read_catalogue(path.with_name("catalog.csv"), taxonomy=taxonomy)


def test_unsupported_file_type(write, taxonomy):
    with pytest.raises(tk.InputError, match="found a file ending in '.json'"):
        tk.read_catalogue(write("c.json", "{}"), taxonomy=taxonomy)


def test_duplicate_header_names(write, taxonomy):
    with pytest.raises(tk.InputError, match=r"names these columns more than once: \['category'\]"):
        tk.io.read_table(write("c.csv", "product_id,category,category\n1,a,b\n"))


def test_unknown_encoding_name(write, taxonomy):
    with pytest.raises(tk.InputError, match="'klingon' is not a text encoding Python knows"):
        tk.read_catalogue(write("c.csv", CSV), taxonomy=taxonomy, encoding="klingon")
