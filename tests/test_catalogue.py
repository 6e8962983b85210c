"""parse_catalogue: the three shapes, column mapping, and every cell that cannot be used."""

import pandas as pd
import pytest

import tagkit as tk


def _frame(data: dict, first_row: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame(data)
    frame.index = range(first_row, first_row + len(frame))
    return frame


def test_wide_shape_splits_multi_values_on_every_separator(taxonomy):
    frame = _frame(
        {
            "product_id": ["007"],
            "category": ["dress"],
            "colour": ["black"],
            "occasion": ["work,party;vacation|work、party，vacation"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    assert cat.shape == "wide"
    values = cat.raw_tags.loc[cat.raw_tags["column"] == "occasion", "raw_value"].tolist()
    assert values == ["work", "party", "vacation", "work", "party", "vacation"]
    assert cat.products["product_id"].tolist() == ["007"]  # leading zeros kept


def test_long_shape_groups_rows_per_product(taxonomy):
    frame = _frame(
        {
            "sku": ["01", "01", "01", "02"],
            "dimension": ["category", "颜色", "occasion", "category"],
            "value": ["dress", "黑色", "work|party", "top"],
            "price": ["10", "10", "", "20"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, columns={"product_id": "sku"})
    assert cat.shape == "long"
    assert cat.products.set_index("product_id")["price"].to_dict() == {"01": 10.0, "02": 20.0}
    assert len(cat.raw_tags) == 5
    assert cat.raw_tags["row"].tolist() == [2, 3, 4, 4, 5]


def test_long_shape_reports_conflicting_attributes(taxonomy):
    frame = _frame(
        {
            "product_id": ["01", "01"],
            "dimension": ["category", "colour"],
            "value": ["dress", "black"],
            "price": ["10", "12"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    (problem,) = cat.problems.itertuples()
    assert problem.row == 3 and problem.column == "price" and problem.action == "kept '10'"
    assert cat.products["price"].tolist() == [10.0]


def test_tag_string_shape_with_dimension_prefixes_and_bare_values(taxonomy):
    frame = _frame({"Handle": ["a1"], "Tags": ["颜色:米色, material：linen, dress, party, denim"]})
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, columns={"product_id": "Handle"})
    assert cat.shape == "tag_string"
    got = cat.raw_tags[["raw_dimension", "raw_value"]].fillna("").values.tolist()
    assert got == [["颜色", "米色"], ["material", "linen"], ["", "dress"], ["", "party"], ["", "denim"]]


def test_columns_are_recognised_without_a_mapping(taxonomy):
    frame = _frame(
        {
            "SKU": ["1"],
            "Title": ["A"],
            "品类": ["dress"],
            "Color": ["navy"],
            "Price": ["¥1,299.00"],
            "Launch Date": ["2025/03/04"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    product = cat.products.iloc[0]
    assert (product["name"], product["price"], product["launch_season"]) == ("A", 1299.0, "2025Q1")
    assert set(cat.raw_tags["raw_dimension"]) == {"category", "colour"}


def test_unknown_columns_pass_through(taxonomy):
    frame = _frame({"product_id": ["1"], "category": ["dress"], "Shop": ["A"]})
    assert tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy).products["Shop"].tolist() == ["A"]


def test_mapping_to_a_missing_column_suggests_the_closest(taxonomy):
    frame = _frame({"Product Title": ["x"], "product_id": ["1"], "category": ["dress"]})
    with pytest.raises(
        tk.InputError,
        match=r"column 'Product Titel' \(given for 'name'\) is not in the file.*"
        r"Did you mean 'Product Title'\?",
    ):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, columns={"name": "Product Titel"}, file="c.csv")


def test_mapping_key_that_is_no_field(taxonomy):
    frame = _frame({"product_id": ["1"], "category": ["dress"]})
    with pytest.raises(tk.InputError, match=r"'colr' in the column mapping is neither.*Did you mean 'colour'\?"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, columns={"colr": "category"})


def test_no_product_id_column(taxonomy):
    frame = _frame({"article": ["1"], "category": ["dress"]})
    with pytest.raises(tk.InputError, match=r"c.csv: no product id column.*'article', 'category'"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, file="c.csv")


def test_no_tag_columns(taxonomy):
    with pytest.raises(tk.InputError, match="a 'wide' catalogue needs at least one column named after a dimension"):
        tk.catalogue.parse_catalogue(_frame({"product_id": ["1"], "name": ["x"]}), taxonomy=taxonomy)


def test_rows_without_id_and_duplicates_are_set_aside_and_counted(taxonomy):
    frame = _frame({"product_id": ["1", "", "1", "2"], "category": ["dress", "top", "top", "top"]})
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    assert cat.products["product_id"].tolist() == ["1", "2"]
    assert cat.rows_read == 4 and cat.rows_set_aside == 2
    problems = cat.problems.set_index("row")
    assert problems.loc[3, "problem"] == "missing product_id"
    assert problems.loc[4, "problem"] == "duplicate product_id (first on row 2)"


def test_bad_cells_are_left_empty_and_reported(taxonomy):
    frame = _frame(
        {
            "product_id": ["1", "2", "3", "4"],
            "category": ["dress"] * 4,
            "price": ["abc", "-5", "12.5", ""],
            "launch_date": ["2025-02-30", "05/01/2025", "2025-01-05", ""],
            "launch_season": ["", "", "2025Q2", "2025Q7"],
            "source": ["own", "competitr", "", ""],
            "role": ["", "image", "形象款", "hero"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    p = cat.products.set_index("product_id")
    assert p["price"].isna().tolist() == [True, True, False, True]
    assert p.loc["3", "launch_season"] == "2025Q1"  # the date wins over a disagreeing season
    assert p["role"].tolist() == ["core", "image", "image", "core"]
    assert p.loc["2", "source"] == "own"
    found = {(r.row, r.column): r.problem for r in cat.problems.itertuples()}
    assert found[(2, "price")] == "price: expected a number"
    assert found[(3, "price")] == "price: expected a number from 0 to 1,000,000,000"
    assert "day/month order is never guessed" in found[(3, "launch_date")]
    assert found[(4, "launch_season")] == "launch_season 2025Q2 disagrees with launch_date 2025-01-05 (2025Q1)"
    assert "expected a season of the 'quarters' calendar" in found[(5, "launch_season")]
    assert "Did you mean 'competitor'?" in found[(3, "source")]
    assert "expected one of core, image" in found[(5, "role")]


def test_date_format_reads_day_first_dates(taxonomy):
    frame = _frame({"product_id": ["1"], "category": ["dress"], "launch_date": ["05/01/2025"]})
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, date_format="%d/%m/%Y")
    assert cat.products["launch_date"].iloc[0] == pd.Timestamp("2025-01-05")
    assert cat.problems.empty


def test_wrong_shape_parameter(taxonomy):
    with pytest.raises(
        tk.ParameterError,
        match=r"The 'shape' parameter of parse_catalogue must be one of .*"
        r"Got 'wdie' instead. Did you mean 'wide'\?",
    ):
        tk.catalogue.parse_catalogue(_frame({"product_id": ["1"]}), taxonomy=taxonomy, shape="wdie")


def test_a_dimension_fed_by_several_columns_and_separators_per_column(taxonomy):
    frame = _frame(
        {
            "product_id": ["1", "2"],
            "category": ["dress", "top"],
            "品类": ["midi dress", ""],
            "colour": ["black", "navy"],
            "occasion": ["work, party", "Party, work"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, separators={"occasion": ""})
    tags = tk.normalise_tags(cat.raw_tags, taxonomy)
    assert cat.raw_tags.loc[cat.raw_tags["column"] == "occasion", "raw_value"].tolist() == [
        "work, party",
        "Party, work",
    ]
    # two columns of one dimension on one parent chain: both kept, no 'extra value'
    first = tags[(tags["product_id"] == "1") & (tags["dimension"] == "category")]
    assert set(first["item"]) == {"category=dress", "category=midi-dress"} and (first["status"] == "ok").all()
    none = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, separators="")
    assert len(none.raw_tags) == len(cat.raw_tags)
    with pytest.raises(tk.InputError, match="separators name the column 'ocassion'.*Did you mean 'occasion'"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, separators={"ocassion": ""})


def test_a_value_holding_a_separator_matches_its_canonical_form():
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {
                    "name": "section",
                    "values": [{"name": "nightwear-socks-tights", "aliases": ["Womens Nightwear- Socks & Tigh"]}],
                }
            ]
        }
    )
    frame = _frame({"product_id": ["1"], "section": ["Womens Nightwear, Socks & Tigh"]})
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, separators={"section": ""})
    tags = tk.normalise_tags(cat.raw_tags, taxonomy)
    assert tags["item"].tolist() == ["section=nightwear-socks-tights"]


def test_placeholders_are_missing_values_never_tags(taxonomy):
    frame = _frame(
        {
            "product_id": ["1", "2", "3"],
            "category": ["Unknown", "dress", "未知"],
            "colour": ["black, n/a", "-", "navy"],
            "price": ["Undefined", "10", "无"],
            "occasion": ["work", "NULL", "party"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    assert cat.placeholders == 7  # 2 categories, 2 colours, 2 prices, 1 occasion
    assert not cat.raw_tags["raw_value"].str.casefold().isin(["unknown", "n/a", "-", "未知", "null"]).any()
    assert cat.problems.empty  # an 'Undefined' price is a missing price, not a problem
    assert cat.products["price"].isna().tolist() == [True, False, True]
    kept = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, placeholders=())
    assert "Unknown" in kept.raw_tags["raw_value"].tolist() and kept.placeholders == 0


def test_ids_stored_as_numbers_get_their_zeros_back(taxonomy):
    frame = _frame({"product_id": ["108775015", "0108775044", "A-17", "12345678901"], "category": ["dress"] * 4})
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, id_width=10)
    assert cat.products["product_id"].tolist() == ["0108775015", "0108775044", "A-17", "12345678901"]
    assert cat.ids_padded == 1
    with pytest.raises(tk.ParameterError, match="The 'id_width' parameter of parse_catalogue must be an int in"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, id_width=0)


def test_an_image_column_keeps_web_addresses_only(taxonomy):
    frame = _frame(
        {
            "product_id": ["1", "2", "3", "4"],
            "category": ["dress"] * 4,
            "Image Src": ["https://cdn.shop/1.jpg", "javascript:alert(1)", "", "see photo"],
        }
    )
    cat = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    assert cat.products["image"].tolist() == ["https://cdn.shop/1.jpg", "", "", ""]
    problems = cat.problems[cat.problems["column"] == "Image Src"]
    assert problems["row"].tolist() == [3, 5]
    assert set(problems["problem"]) == {"image: expected a web address (http:// or https://)"}
