"""Tags read from product text: each language rule, provenance, and a catalogue with only a title column."""

import pandas as pd
import pytest

import tagkit as tk
from tagkit.vocabulary import TEXT_AMBIGUOUS, TEXT_IN_COLUMN, TEXT_NEGATED, TEXT_READ

TEXT = ["Title", "Body"]


def _catalogue(taxonomy, titles, **columns):
    frame = pd.DataFrame({"product_id": [f"P{i}" for i in range(len(titles))], "Title": titles, **columns})
    frame.index = range(2, 2 + len(frame))
    text = [c for c in TEXT if c in frame.columns]
    return tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=text)


def _read(taxonomy, title) -> dict:
    """The (dimension, value) pairs read from one title."""
    extracted = _catalogue(taxonomy, [title]).extracted
    read = extracted[extracted["status"] == TEXT_READ]
    return dict(zip(read["dimension"], read["value"]))


@pytest.mark.parametrize(
    "title, expected",
    [
        ("BLACK Linen Dress", {"colour": "black", "material": "linen", "category": "dress"}),  # case
        ("Two linen dresses", {"material": "linen", "category": "dress"}),  # plural alias and plural stem
        ("Wool tops", {"material": "wool", "category": "top"}),  # plural of a value without a plural alias
        ("Midi-dress in navy blue", {"category": "midi-dress", "colour": "navy"}),  # hyphen, multi-word alias
        ("midi dress", {"category": "midi-dress"}),  # the longest value wins over 'dress'
        ("mididress", {"category": "midi-dress"}),  # words run together
        ("Party and work wear", {"occasion": ["party", "work"]}),  # a multi-valued dimension keeps both
    ],
)
def test_english_words_are_read_in_any_case_plural_hyphen_and_spacing(taxonomy, title, expected):
    extracted = _catalogue(taxonomy, [title]).extracted
    read = extracted[extracted["status"] == TEXT_READ]
    got = {d: sorted(g["value"]) if len(g) > 1 else g["value"].iloc[0] for d, g in read.groupby("dimension")}
    assert got == expected


def test_whole_words_only(taxonomy):
    # 'top' inside 'laptop' and 'stop', 'wool' inside 'woolworths' are not values
    assert _read(taxonomy, "Laptop sleeve, non-stop Woolworths style") == {}


@pytest.mark.parametrize(
    "title",
    ["Dress, not wool", "No wool dress", "Dress without wool", "Wool-free dress", "不含羊毛 wool-free 连衣裙"],
)
def test_a_negated_value_is_not_read_and_says_why(taxonomy, title):
    extracted = _catalogue(taxonomy, [title]).extracted
    wool = extracted[extracted["value"] == "wool"]
    assert len(wool) == 1 and wool["status"].iloc[0] == TEXT_NEGATED
    assert _read(taxonomy, title) == {"category": "dress"}


def test_a_negation_ends_at_the_clause(taxonomy):
    assert _read(taxonomy, "No returns. Wool dress") == {"material": "wool", "category": "dress"}


def test_chinese_without_spaces_by_longest_alias(taxonomy):
    assert _read(taxonomy, "2024夏季新款亚麻中长裙女黑色") == {
        "material": "linen",
        "category": "midi-dress",  # 中长裙, not a shorter alias inside it
        "colour": "black",
    }
    extracted = _catalogue(taxonomy, ["无亚麻连衣裙"]).extracted
    assert extracted.set_index("value").loc["linen", "status"] == TEXT_NEGATED


def test_two_values_of_a_single_valued_dimension_are_ambiguous_never_guessed(taxonomy):
    catalogue = _catalogue(taxonomy, ["Black and navy dress"])
    colour = catalogue.extracted[catalogue.extracted["dimension"] == "colour"]
    assert set(colour["status"]) == {TEXT_AMBIGUOUS}
    assert "colour" not in set(catalogue.raw_tags["raw_dimension"])
    problem = catalogue.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["found"]) == (2, "Title", "black, navy")
    assert problem["problem"] == "colour takes one value; the text names 'black' and 'navy'"
    assert problem["action"] == "no colour read from the text"


def test_values_on_one_parent_chain_are_one_value(taxonomy):
    # 'beige' is an earth tone: both named, the more specific one is read
    assert _read(taxonomy, "Earth-tone dress in beige") == {"colour": "beige", "category": "dress"}


def test_words_that_could_be_two_dimensions_are_ambiguous_unless_another_word_settles_one(taxonomy):
    extracted = _catalogue(taxonomy, ["Denim, washed"]).extracted
    assert set(extracted["status"]) == {TEXT_AMBIGUOUS}
    assert set(extracted["dimension"]) == {"category", "material"}
    assert "'denim' could be category=jeans or material=denim" in extracted["note"].iloc[0]
    # 'top' settles the category: 'denim' is the material
    assert _read(taxonomy, "Denim top") == {"material": "denim", "category": "top"}


def test_a_tag_column_wins_over_the_text(taxonomy):
    catalogue = _catalogue(taxonomy, ["Black linen dress"], colour=["navy"])
    colour_tags = catalogue.raw_tags[catalogue.raw_tags["raw_dimension"].isin(["colour"])]
    assert colour_tags["raw_value"].tolist() == ["navy"] and colour_tags["column"].tolist() == ["colour"]
    found = catalogue.extracted.set_index("value").loc["black"]
    assert found["status"] == TEXT_IN_COLUMN and found["note"] == "a tag column gives this dimension"


def test_the_first_text_column_decides_and_later_columns_fill_in(taxonomy):
    catalogue = _catalogue(taxonomy, ["Black dress"], Body=["Pairs well with navy. Pure linen."])
    read = catalogue.extracted[catalogue.extracted["status"] == TEXT_READ]
    assert dict(zip(read["dimension"], read["value"])) == {"colour": "black", "category": "dress", "material": "linen"}
    linen = read.set_index("value").loc["linen"]
    assert linen["column"] == "Body" and linen["confidence"] == pytest.approx(0.85)
    assert read.set_index("value").loc["black", "confidence"] == pytest.approx(0.95)


def test_provenance_and_the_tags_flow_into_normalisation(taxonomy):
    catalogue = _catalogue(taxonomy, ["Midi-dresses, 藏青"])
    row = catalogue.extracted.set_index("dimension").loc["category"]
    assert (row["column"], row["matched"], row["value"]) == ("Title", "midi-dresses", "midi-dress")
    assert catalogue.extracted.set_index("dimension").loc["colour", "matched"] == "藏青"
    tags = tk.normalise_tags(catalogue.raw_tags, taxonomy)
    assert sorted(tags.loc[tags["status"] == "ok", "item"]) == ["category=midi-dress", "colour=navy"]


def test_unmatched_words_are_counted_per_product_with_examples(taxonomy):
    catalogue = _catalogue(taxonomy, ["Boho linen dress", "Boho boho top", "Summer top", "夏季新款连衣裙"])
    words = catalogue.text_words.set_index("word")
    assert words.loc["boho", "n_products"] == 2 and words.loc["boho", "example_products"] == "P0, P1"
    assert words.loc["summer", "n_products"] == 1
    assert words.loc["夏季新款", "n_products"] == 1
    assert "linen" not in words.index and "and" not in words.index


def test_text_only_catalogue_and_its_errors(taxonomy):
    catalogue = _catalogue(taxonomy, ["Black linen dress", ""])
    assert len(catalogue.products) == 2 and catalogue.text_columns == ("Title",)
    frame = pd.DataFrame({"product_id": ["1"], "Title": ["x"]})
    with pytest.raises(tk.InputError, match=r"the text column 'Titel' is not in the file.*Did you mean 'Title'\?"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=["Titel"])
    with pytest.raises(tk.InputError, match="text must name a column or a list of columns"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=3)
    with pytest.raises(tk.InputError, match=r"or text columns to read tags from \(text: \[Title\]\)"):
        tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)


def test_coverage_per_dimension(taxonomy):
    catalogue = _catalogue(taxonomy, ["Black linen dress", "Black and navy top", "Wool top"], colour=["", "", "navy"])
    coverage = tk.extract.text_coverage(catalogue.extracted, catalogue.products, taxonomy).set_index("dimension")
    assert coverage.loc["Colour", "read_from_text"] == 1
    assert coverage.loc["Colour", "ambiguous_in_text"] == 1
    assert coverage.loc["Category", "read_from_text"] == 3
    assert coverage.loc["Material", "share_read_from_text"] == pytest.approx(2 / 3)


def test_a_word_of_two_dimensions_in_a_later_column_is_settled_by_the_first(taxonomy):
    # the title reads the category; 'denim' in the description can then only be the material
    catalogue = _catalogue(taxonomy, ["Black jeans"], Body=["Made from soft denim."])
    read = catalogue.extracted[catalogue.extracted["status"] == TEXT_READ]
    assert dict(zip(read["dimension"], read["value"])) == {"colour": "black", "category": "jeans", "material": "denim"}
    assert catalogue.problems.empty


def test_text_terms_counts_products_per_word_phrase_and_chinese_run():
    texts = [
        "Wide leg linen trousers",
        "wide-leg trouser",
        "Linen shirt",
        "亚麻阔腿裤",
        "阔腿裤女",
        "亚麻衬衫",
        "Shirt",
    ]
    terms = tk.extract.text_terms(texts, min_products=2).set_index("term")
    # counted directly: the texts holding each word (plural or not), each text once
    assert terms.loc["linen", "n_products"] == 2
    assert terms.loc["shirt", "n_products"] == 2
    assert terms.loc["trouser", "n_products"] == 2 and terms.loc["trouser", "other_forms"] == "trousers"
    assert terms.loc["wide leg", "n_products"] == 2  # always together: a phrase
    assert "leg linen" not in terms.index  # once only
    assert terms.loc["阔腿裤", "n_products"] == 2 and terms.loc["亚麻", "n_products"] == 2
    assert "阔腿" not in terms.index  # only ever inside 阔腿裤
    assert list(terms["n_products"]) == sorted(terms["n_products"], reverse=True)


def test_draft_taxonomy_from_text_loads_and_reads_its_own_titles():
    titles = ["Black linen dress", "Black wool coat", "Linen dress", "Wool coat", "Black dress"] * 3
    draft = tk.draft_taxonomy({}, text=titles, min_products=3)
    taxonomy = tk.Taxonomy.from_dict(draft)
    assert set(taxonomy.dimension("term").value_names) >= {"black", "linen", "dress", "wool", "coat"}
    frame = pd.DataFrame({"product_id": [str(i) for i in range(len(titles))], "Title": titles})
    catalogue = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=["Title"])
    assert catalogue.text_words.empty  # every word of these titles is a value of the draft


def test_demo_titles_name_what_their_record_says():
    from tagkit import demo, demo_titles

    taxonomy = demo.taxonomy_dict()
    rng = __import__("numpy").random.default_rng(3)
    products = demo.make_products(rng, 300, 2)
    products["product_id"] = [f"P{i}" for i in range(len(products))]
    texts, truth = demo_titles.write_texts(products, taxonomy, seed=3)
    again, _ = demo_titles.write_texts(products, taxonomy, seed=3)
    pd.testing.assert_frame_equal(texts, again)  # the same seed, the same texts
    # a category the record says the English title names is there in one of its spellings (typos aside)
    aliases = {
        v["name"]: [v["name"], *v.get("aliases", [])]
        for d in taxonomy["dimensions"]
        if d["name"] == "category"
        for v in d["values"]
    }
    titles = dict(zip(products["product_id"], texts["Title"].str.lower()))
    named = truth[(truth["dimension"] == "category") & truth["in_title"]]
    spelt = [
        any(a.lower().replace("-", " ") in titles[p].replace("-", " ") for a in aliases[v])
        for p, v in zip(named["product_id"], named["value"])
    ]
    assert sum(spelt) / len(spelt) > 0.9
    assert truth.groupby("product_id").size().min() >= 4  # every product has its true tags recorded


def test_markup_in_a_description_is_not_text(taxonomy):
    body = '<p style="color:navy"><strong>Black</strong> linen&nbsp;dress &amp; more</p><br/>'
    catalogue = _catalogue(taxonomy, [""], Body=[body])
    read = catalogue.extracted[catalogue.extracted["status"] == TEXT_READ]
    assert dict(zip(read["dimension"], read["value"])) == {"colour": "black", "material": "linen", "category": "dress"}
    assert not {"p", "style", "strong", "br", "nbsp", "amp"} & set(catalogue.text_words["word"])


def test_a_word_one_letter_from_one_value_is_read_as_it_with_less_confidence(taxonomy):
    extracted = _catalogue(taxonomy, ["Blakc lnen dress"]).extracted.set_index("value")
    assert extracted.loc["black", "matched"] == "blakc" and extracted.loc["black", "confidence"] == pytest.approx(0.7)
    assert extracted.loc["black", "status"] == TEXT_READ and "linen" not in extracted.index  # 'lnen': too short
    # one letter from two values: no guess, the word is listed as unmatched
    two = tk.Taxonomy.from_dict(
        {"dimensions": [{"name": "category", "values": ["shirt", "skirt"]}, {"name": "colour", "values": ["black"]}]}
    )
    frame = pd.DataFrame({"product_id": ["1"], "Title": ["Sxirt black"]})
    catalogue = tk.catalogue.parse_catalogue(frame, taxonomy=two, text=["Title"])
    assert catalogue.extracted["value"].tolist() == ["black"] and catalogue.text_words["word"].tolist() == ["sxirt"]
    negated = _catalogue(taxonomy, ["Dress, no linnen"]).extracted.set_index("value")  # misspelt, after a negation
    assert negated.loc["linen", "status"] == TEXT_NEGATED and negated.loc["linen", "matched"] == "linnen"
