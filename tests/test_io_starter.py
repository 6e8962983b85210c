"""tagkit init: a dataset.yml and a drafted taxonomy.yml that read a real-looking export as it is."""

import pandas as pd
import pytest
import yaml

import tagkit as tk
from tagkit.cli import main
from tagkit.io.starter import init_dataset


@pytest.fixture
def export(tmp_path):
    """A marketplace-style export: integer ids (zeros lost), values with commas, placeholders, a multi-valued
    column, a code column, free-text names; order lines with 10-digit ids and no quantity."""
    n = 120
    rng = range(n)
    sections = ["Womens Nightwear, Socks & Tigh", "Womens Everyday Basics", "Divided Basics", "Mens Underwear"]
    catalogue = pd.DataFrame(
        {
            "article_id": [108775000 + i for i in rng],
            "prod_name": [f"Item {i} of the range" for i in rng],
            "product_type_no": [str(250 + i % 7) for i in rng],
            "product_type_name": [["Vest top", "Bra", "Trousers", "Sweater"][i % 4] for i in rng],
            "section_name": [sections[i % 4] for i in rng],
            "colour": [["Black", "White", "Unknown", "Dark Blue", "未知"][i % 5] for i in rng],
            "occasion": [["work", "party", "work, party", "lounge", "party, lounge"][i % 5] for i in rng],
        }
    )
    catalogue.to_parquet(tmp_path / "articles.parquet", index=False)
    lines = pd.DataFrame(
        {
            "t_dat": [f"2024-0{1 + i % 6}-1{i % 9}" for i in range(400)],
            "customer_id": [f"c{i}" for i in range(400)],
            "article_id": [f"{108775000 + (i * 7) % n:010d}" for i in range(400)],
            "price": ["0.0339"] * 400,
        }
    )
    lines.to_csv(tmp_path / "transactions.csv", index=False)
    return tmp_path


def test_init_writes_a_dataset_that_reads_the_export_as_it_is(export):
    result = init_dataset(export / "articles.parquet", export / "transactions.csv", out=export / "brand")
    config = yaml.safe_load(result.dataset_file.read_text(encoding="utf-8"))
    assert config["catalogue"]["id_width"] == 10 and config["catalogue"]["separators"] == {"section_name": ""}
    assert config["sales"]["kind"] == "order_lines" and config["sales"]["columns"]["date"] == "t_dat"
    dataset = tk.open_dataset(export / "brand")
    taxonomy = dataset.read_taxonomy()
    assert {d.name: d.multi for d in taxonomy.dimensions} == {
        "product_type": False,
        "section": False,
        "colour": False,
        "occasion": True,
    }
    inputs = tk.health.read_inputs(dataset, taxonomy)
    tags = inputs["catalogue"].tags
    # the drafted taxonomy reads its own catalogue: every tag understood, placeholders missing, not values
    assert tags["status"].isin(["ok", "repeated"]).all()
    assert "section=Womens Nightwear- Socks & Tigh" in set(tags["item"])
    assert not tags["raw_value"].isin(["Unknown", "未知"]).any() and inputs["catalogue"].catalogue.placeholders == 48
    assert inputs["catalogue"].products["product_id"].str.len().eq(10).all()
    sales = dataset.read_sales(inputs["catalogue"].products)
    assert sales.rows_used == 400 and sales.metrics["units"].sum() == 400
    notes = " ".join(result.notes)
    assert config["catalogue"]["columns"]["name"] == "prod_name"  # a field, not a dimension
    assert "product_type_no (numbers or codes, not tags)" in notes


def test_init_refuses_to_overwrite_and_the_command_prints_what_it_decided(export, capsys):
    assert (
        main(["init", "--catalogue", str(export / "articles.parquet"), "--sales", str(export / "transactions.csv")])
        == 0
    )
    printed = capsys.readouterr().out
    assert "id_width: 10 under catalogue" in printed and "Next: tagkit check" in printed
    assert main(["init", "--catalogue", str(export / "articles.parquet")]) == 1
    assert "already exist(s); tagkit init does not overwrite" in capsys.readouterr().err


def test_draft_taxonomy_records_the_column_and_skips_placeholders():
    column = pd.Series(["Black", "black", "Unknown", "n/a", "Dark Blue, Navy", None], name="Colour Group Name")
    draft = tk.draft_taxonomy({"colour_group": column})
    (dimension,) = draft["dimensions"]
    assert dimension["aliases"] == ["Colour Group Name"]
    assert dimension["values"] == [{"name": "Black", "aliases": ["black"]}, {"name": "Dark Blue- Navy"}]
    split = tk.draft_taxonomy({"colour_group": column}, separators={"colour_group": ","})
    assert [v["name"] for v in split["dimensions"][0]["values"]] == ["Black", "Dark Blue", "Navy"]


def test_profile_columns_tells_lists_from_values_with_commas():
    frame = pd.DataFrame(
        {
            "sku": [str(i) for i in range(60)],
            "occasion": ["work", "party", "work, party"] * 20,
            "section": ["Nightwear, Socks & Tights", "Basics", "Lingerie"] * 20,
            "code": ["101", "102", "103"] * 20,
            "description": [f"A long description of product {i} with many words in it" for i in range(60)],
            "brand": ["Ours"] * 60,
        }
    )
    profile = tk.catalogue.profile_columns(frame)
    assert profile.fields == {"product_id": "sku"} and profile.tags == ["occasion", "section"]
    assert profile.multi == {"occasion"} and profile.whole == {"section"}
    assert set(profile.skipped) == {"code", "description", "brand"}


def test_init_on_a_catalogue_with_only_titles_drafts_terms_and_reads_the_text(tmp_path):
    titles = ["Linen midi dress black", "Black linen dresses", "Wool coat navy", "Navy wool coats", "Linen shirt"]
    pd.DataFrame(
        {
            "Handle": [f"h{i}" for i in range(40)],
            "Title": [titles[i % 5] + f" {i}" for i in range(40)],
            "Price (USD)": [str(20 + i) for i in range(40)],
        }
    ).to_csv(tmp_path / "products.csv", index=False)
    result = init_dataset(tmp_path / "products.csv", out=tmp_path / "brand")
    config = yaml.safe_load(result.dataset_file.read_text(encoding="utf-8"))
    assert config["catalogue"]["text"] == ["Title"]
    assert config["catalogue"]["columns"]["price"] == "Price (USD)"  # a field's name with its unit
    assert any("tags are read from the text of Title" in note for note in result.notes)
    taxonomy = tk.read_taxonomy(result.taxonomy_file)
    assert taxonomy.dimension_names == ("term",)
    # each value's count is the number of titles holding the word, plural or not: checked by counting directly
    for value in ("linen", "wool", "navy", "black"):
        expected = sum(value in title.lower().split() for title in pd.read_csv(tmp_path / "products.csv")["Title"])
        spec = next(
            v for v in yaml.safe_load(result.taxonomy_file.read_text())["dimensions"][0]["values"] if v["name"] == value
        )
        assert spec["description"] == f"in {expected:,} products' text"
    dress = taxonomy.resolve_value("term", "dresses")
    assert dress == "dress"
    catalogue = tk.read_catalogue(tmp_path / "products.csv", taxonomy=taxonomy, text=config["catalogue"]["text"])
    read = catalogue.extracted[catalogue.extracted["status"] == "read"]
    assert set(read.loc[read["product_id"] == "h0", "value"]) == {"linen", "midi dress", "black"}
