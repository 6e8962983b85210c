"""The disk cache: a cached load is the same brand as a fresh one, and any change to what shapes it is a miss."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import tagkit as tk
from tagkit.io import cache as disk_cache
from tagkit.paths import DEMO_DATA


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TAGKIT_CACHE", str(folder))
    return folder


def _same_brand(one: tk.brand.Brand, two: tk.brand.Brand):
    pd.testing.assert_frame_equal(one.matrix, two.matrix)
    pd.testing.assert_frame_equal(one.own.tags, two.own.tags)
    pd.testing.assert_frame_equal(one.own.products, two.own.products)
    pd.testing.assert_frame_equal(one.sales.metrics, two.sales.metrics)
    pd.testing.assert_frame_equal(one.sales.accounting, two.sales.accounting)
    assert (one.competitor_matrix is None) == (two.competitor_matrix is None)
    if one.competitor_matrix is not None:
        pd.testing.assert_frame_equal(one.competitor_matrix, two.competitor_matrix)
        pd.testing.assert_frame_equal(one.candidates.tags, two.candidates.tags)


def test_a_cached_load_gives_the_same_tables_and_labels_as_a_fresh_one(cache):
    dataset = tk.open_dataset(DEMO_DATA)
    first = tk.load_brand(dataset)
    assert len(list(cache.glob("brand-*.pickle"))) == 1
    again = tk.load_brand(dataset)  # read back
    fresh = tk.load_brand(dataset, cache=False)
    assert again is not first and again.dataset is dataset
    _same_brand(again, fresh)
    definition = tk.HitDefinition().resolve(fresh)
    window = tk.seasons.history("2025Q4", 4, dataset.calendar)
    pd.testing.assert_frame_equal(
        tk.label_brand(again, definition, reference=window), tk.label_brand(fresh, definition, reference=window)
    )


def test_a_change_to_an_input_or_a_parameter_is_a_new_entry(cache, small_dataset):
    dataset = tk.open_dataset(small_dataset)
    before = tk.load_brand(dataset)
    tk.load_brand(dataset)
    assert len(list(cache.glob("brand-*.pickle"))) == 1  # unchanged inputs: read back, nothing new
    catalogue = small_dataset / "catalogue.csv"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Navy top", "Navy shirt"), encoding="utf-8")
    after = tk.load_brand(dataset)
    assert len(list(cache.glob("brand-*.pickle"))) == 2
    assert "Navy shirt" in set(after.own.products["name"]) and "Navy shirt" not in set(before.own.products["name"])
    tk.load_brand(dataset, unknown="report", engine="duckdb")  # another parameter: another key
    assert len(list(cache.glob("brand-*.pickle"))) == 3
    config = small_dataset / "dataset.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("Small brand", "Renamed"), encoding="utf-8")
    tk.load_brand(tk.open_dataset(small_dataset))
    assert len(list(cache.glob("brand-*.pickle"))) == 4


def test_a_copy_of_the_inputs_elsewhere_is_read_from_its_own_folder(cache, small_dataset, tmp_path):
    tk.load_brand(tk.open_dataset(small_dataset))
    moved = tmp_path / "moved"
    shutil.copytree(small_dataset, moved)
    dataset = tk.open_dataset(moved)
    brand = tk.load_brand(dataset)
    assert brand.dataset is dataset and len(list(cache.glob("brand-*.pickle"))) == 2  # its own entry


def test_no_cache_when_it_is_off_or_would_skip_a_written_file(cache, small_dataset, monkeypatch, tmp_path):
    dataset = tk.open_dataset(small_dataset)
    aside = tmp_path / "aside.csv"
    tk.load_brand(dataset, set_aside_path=aside)
    assert aside.exists() and not list(cache.glob("brand-*.pickle"))  # the set-aside file is always written
    monkeypatch.setenv("TAGKIT_CACHE", "off")
    tk.load_brand(dataset)
    assert not cache.exists() or not list(cache.glob("brand-*.pickle"))


def test_a_damaged_entry_is_computed_again(cache, small_dataset):
    dataset = tk.open_dataset(small_dataset)
    fresh = tk.load_brand(dataset)
    (entry,) = cache.glob("brand-*.pickle")
    entry.write_bytes(b"not a pickle")
    _same_brand(tk.load_brand(dataset), fresh)


def test_a_cached_call_runs_once_per_content_of_its_arguments(cache):
    calls = []

    def total(frame, *, scale=1):
        calls.append(1)
        return frame["x"].sum() * scale

    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert tk.cached(total, frame, scale=2) == 12
    assert tk.cached(total, frame.copy(), scale=2) == 12  # same content, another object: read back
    assert len(calls) == 1
    assert tk.cached(total, frame, scale=3) == 18  # another parameter
    assert tk.cached(total, frame.assign(x=[1, 2, 4]), scale=2) == 14  # another content
    assert len(calls) == 3


def test_digests_are_of_content():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert disk_cache.value_digest(frame) == disk_cache.value_digest(frame.copy())
    assert disk_cache.value_digest(frame) != disk_cache.value_digest(frame[["b", "a"]])
    assert disk_cache.value_digest(frame) != disk_cache.value_digest(frame.set_axis([1, 0]))
    assert disk_cache.value_digest({"k": 1}) != disk_cache.value_digest({"k": 1.5})


def test_the_tag_health_read_is_the_brand_loaders_read(cache, small_dataset):
    dataset = tk.open_dataset(small_dataset)
    cached = tk.load_inputs(dataset)
    assert len(list(cache.glob("inputs-*.pickle"))) == 1
    fresh = tk.health.read_inputs(dataset, dataset.read_taxonomy())
    again = tk.load_inputs(dataset)
    assert set(again) == set(fresh) == set(cached)
    for which in fresh:
        pd.testing.assert_frame_equal(again[which].tags, fresh[which].tags)
        pd.testing.assert_frame_equal(again[which].products, fresh[which].products)
    tk.load_brand(dataset)  # reads the inputs from the cache: no second entry
    assert len(list(cache.glob("inputs-*.pickle"))) == 1
    catalogue = small_dataset / "catalogue.csv"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Navy top", "Navy shirt"), encoding="utf-8")
    assert "Navy shirt" in set(tk.load_inputs(dataset)["catalogue"].products["name"])
    assert len(list(cache.glob("inputs-*.pickle"))) == 2
    taxonomy = small_dataset / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    tk.load_inputs(dataset)
    assert len(list(cache.glob("inputs-*.pickle"))) == 3


def test_the_taxonomy_is_parsed_once_per_content_of_its_file(cache, small_dataset, monkeypatch):
    import tagkit.io.dataset as dataset_module

    parsed = []
    real = dataset_module.read_taxonomy
    monkeypatch.setattr(dataset_module, "read_taxonomy", lambda path: parsed.append(path) or real(path))
    dataset = tk.open_dataset(small_dataset)
    first = dataset.read_taxonomy()
    again = tk.open_dataset(small_dataset).read_taxonomy()  # another notebook of the batch
    assert len(parsed) == 1 and again is not first
    assert disk_cache.value_digest(again.to_frame()) == disk_cache.value_digest(real(dataset.taxonomy_file).to_frame())
    assert again.resolve_value("colour", "navvy") is None

    taxonomy = small_dataset / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("navy blue", "navvy"), encoding="utf-8")
    changed = dataset.read_taxonomy()
    assert len(parsed) == 2 and changed.resolve_value("colour", "navvy") == "navy"

    monkeypatch.setenv("TAGKIT_CACHE", "off")
    dataset.read_taxonomy()
    dataset.read_taxonomy()
    assert len(parsed) == 4
