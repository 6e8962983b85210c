import pandas as pd
import pytest
import yaml

import tagkit as tk
from tests.conftest import TAXONOMY


def test_items_follow_taxonomy_order(taxonomy):
    expected = [
        f"{d['name']}={(v['name'] if isinstance(v, dict) else v)}" for d in TAXONOMY["dimensions"] for v in d["values"]
    ]
    assert taxonomy.items == expected


@pytest.mark.parametrize("raw", ["black", "Black ", " BLACK", "blk", "黑色", "ｂｌａｃｋ"])
def test_aliases_ignore_case_spaces_width_and_language(taxonomy, raw):
    assert taxonomy.resolve_value("colour", raw) == "black"


@pytest.mark.parametrize("raw", ["midi-dress", "midi dress", "Midi_Dress", "MIDI  DRESS", "中长裙", "mididress"])
def test_hyphen_underscore_and_space_are_one(taxonomy, raw):
    assert taxonomy.resolve_value("category", raw) == "midi-dress"


def test_dimension_names_labels_and_aliases(taxonomy):
    assert taxonomy.resolve_dimension("Colour") == "colour"
    assert taxonomy.resolve_dimension("颜色") == "colour"
    assert taxonomy.resolve_dimension("COLOR ") == "colour"
    assert taxonomy.resolve_dimension("size") is None


def test_parents_and_ancestors(taxonomy):
    assert taxonomy.parent("category=midi-dress") == "category=dress"
    assert taxonomy.ancestors("colour=beige") == ["colour=earth-tone"]
    assert taxonomy.ancestors("category=dress") == []


def test_a_bare_value_may_belong_to_several_dimensions(taxonomy):
    assert taxonomy.candidates("denim") == [("category", "jeans"), ("material", "denim")]
    assert taxonomy.candidates("linen") == [("material", "linen")]


def test_suggestion_is_the_closest_canonical_item(taxonomy):
    assert taxonomy.suggest("navvy", "colour") == "colour=navy"
    assert taxonomy.suggest("zzzz", "colour") is None


def _problems(data) -> list[str]:
    with pytest.raises(tk.errors.TaxonomyError) as info:
        tk.Taxonomy.from_dict(data, source="t.yml")
    return info.value.problems


def test_alias_shared_by_two_values_names_both_places(write):
    text = """dimensions:
  - name: colour
    values:
      - name: navy
        aliases: [dark blue]
      - name: blue
        aliases: [Dark-Blue]
"""
    path = write("t.yml", text)
    with pytest.raises(tk.errors.TaxonomyError) as info:
        tk.read_taxonomy(path)
    message = str(info.value)
    assert "'Dark-Blue' (of value 'blue')" in message and "'dark blue' (of value 'navy', line 5)" in message
    assert "line 7" in message


def test_unknown_parent_is_reported_with_a_suggestion():
    data = {
        "dimensions": [{"name": "category", "values": [{"name": "dress"}, {"name": "midi-dress", "parent": "dres"}]}]
    }
    (problem,) = _problems(data)
    assert "the parent 'dres' of category=midi-dress is not a value" in problem and "Did you mean 'dress'?" in problem


def test_parent_in_another_dimension_and_cycles():
    ok = {
        "dimensions": [
            {"name": "group", "values": ["dresses"]},
            {"name": "category", "values": [{"name": "midi", "parent": "group=dresses"}]},
        ]
    }
    assert tk.Taxonomy.from_dict(ok).ancestors("category=midi") == ["group=dresses"]
    cyclic = {"dimensions": [{"name": "c", "values": [{"name": "a", "parent": "b"}, {"name": "b", "parent": "a"}]}]}
    assert any("form a cycle" in p for p in _problems(cyclic))


def test_empty_dimension_and_several_problems_at_once():
    data = {
        "dimensions": [
            {"name": "colour", "values": []},
            {"name": "Bad Name", "values": ["x"]},
            {"name": "fit", "mutli": True, "values": ["slim"]},
        ]
    }
    problems = _problems(data)
    assert any("dimension 'colour' is empty" in p for p in problems)
    assert any("'Bad Name' must be lower-case" in p for p in problems)
    assert any("unknown key 'mutli'" in p and "Did you mean 'multi'?" in p for p in problems)


def test_separators_are_not_allowed_in_values():
    problems = _problems({"dimensions": [{"name": "colour", "values": [{"name": "black", "aliases": ["blk,black"]}]}]})
    assert any("contains ','" in p for p in problems)


def test_dimension_alias_colliding_with_another_dimension():
    problems = _problems(
        {"dimensions": [{"name": "colour", "values": ["a"]}, {"name": "shade", "aliases": ["Colour"], "values": ["b"]}]}
    )
    assert any("already names dimension 'colour'" in p for p in problems)


def test_duplicate_yaml_key_is_an_error(write):
    path = write("t.yml", "dimensions:\n  - name: colour\n    name: color\n    values: [a]\n")
    with pytest.raises(tk.InputError, match=r"'name' on line 3 was already given on line 2"):
        tk.read_taxonomy(path)


def test_invalid_yaml_names_the_line(write):
    path = write("t.yml", "dimensions:\n  - name: [colour\n")
    with pytest.raises(tk.InputError, match=r"t.yml: line \d+, column \d+: not valid YAML"):
        tk.read_taxonomy(path)


def test_demo_taxonomy_loads():
    from tagkit.paths import DEMO_DATA

    taxonomy = tk.read_taxonomy(DEMO_DATA / "taxonomy.yml")
    assert len(taxonomy.dimensions) >= 10
    assert taxonomy.resolve_value("colour", "黑色") == "black"
    assert yaml.safe_load((DEMO_DATA / "taxonomy.yml").read_text(encoding="utf-8"))["dimensions"]


def test_dimension_roles_declared_or_from_the_taxonomy(taxonomy):
    roles = taxonomy.roles
    # the test taxonomy has category, colour and material: they make the look, colour by family
    assert roles.category == "category" and roles.look == ("category", "colour", "material")
    assert roles.look_top_level == ("colour",) and not roles.declared
    no_fashion = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {"name": "brand", "values": ["a", "b"]},
                {
                    "name": "department",
                    "required": True,
                    "values": [{"name": "food"}, {"name": "bread", "parent": "food"}],
                },
                {"name": "size", "values": ["s", "m"]},
                {"name": "flags", "multi": True, "values": ["x"]},
            ]
        }
    )
    # no dimension named category: the required one with a hierarchy plans the range
    assert no_fashion.roles.category == "department" and no_fashion.roles.look == ("department", "brand", "size")
    declared = no_fashion.with_roles({"category": "brand", "look": ["brand", "size"], "look_top_level": []})
    assert (declared.roles.category, declared.roles.look, declared.roles.declared) == ("brand", ("brand", "size"), True)
    assert declared.roles.describe_look(declared) == "Brand and Size"
    with pytest.raises(tk.errors.TaxonomyError) as info:
        no_fashion.with_roles({"category": "departmnt", "look": "brand", "looks": []})
    text = str(info.value)
    assert "analysis.category names 'departmnt'" in text and "Did you mean 'department'?" in text
    assert "analysis.look must be a list of dimension names" in text and "unknown key 'looks'" in text


def test_tag_sets_read_in_their_values_words():
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {"name": "category", "values": [{"name": "trench-coat"}, {"name": "coat", "label": "Coats"}]},
                {"name": "pattern", "values": ["check", "stripe"]},
            ]
        }
    )
    assert taxonomy.words("category=trench-coat & pattern=check") == "Trench coat + Check"
    assert taxonomy.words("category=coat") == "Coats"  # a label the taxonomy gives wins
    assert (
        taxonomy.words("category=coat & pattern=stripe (12 of 40 hits); pattern=check")
        == "Coats + Stripe (12 of 40 hits); Check"
    )
    # text that is not a tag set of this taxonomy stays as it is
    for text in ("Socks & Tigh", "pattern=tartan", "colour=navy", "pattern=check=x", "xpattern=check", 3.5):
        assert taxonomy.words(text) == text


def test_a_table_shows_tag_sets_in_words_when_given_the_taxonomy(taxonomy, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj.data))
    value = taxonomy.dimension("category").values[0].name
    tk.show_table(pd.DataFrame({"rule": [f"category={value}"], "lift": [2.0]}), taxonomy=taxonomy)
    assert f"<td>{taxonomy.value_words('category', value)}</td>" in shown[0] and f"category={value}" not in shown[0]


def test_a_value_holding_an_ampersand_reads_whole():
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {"name": "department", "values": ["bag snacks & chips", "bag snacks", "chips"]},
                {"name": "pattern", "values": ["check"]},
            ]
        }
    )
    assert taxonomy.words("department=bag snacks & chips & pattern=check") == "Bag snacks & chips + Check"
    assert taxonomy.words("department=bag snacks & department=chips") == "Bag snacks + Chips"
