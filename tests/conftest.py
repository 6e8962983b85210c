"""Shared fixtures: a small taxonomy and helpers that write tiny input files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import tagkit as tk

TAXONOMY = {
    "dimensions": [
        {"name": "category", "label": "Category", "aliases": ["品类"], "required": True, "values": [
            {"name": "dress", "aliases": ["dresses", "连衣裙"]},
            {"name": "midi-dress", "parent": "dress", "aliases": ["midi dress", "中长裙"]},
            {"name": "jeans", "aliases": ["denim"]},
            {"name": "top"},
        ]},
        {"name": "colour", "label": "Colour", "aliases": ["color", "颜色"], "required": True, "values": [
            {"name": "black", "aliases": ["黑色", "blk"]},
            {"name": "navy", "aliases": ["navy blue", "藏青"]},
            {"name": "earth-tone", "aliases": ["大地色"]},
            {"name": "beige", "parent": "earth-tone", "aliases": ["米色"]},
        ]},
        {"name": "material", "label": "Material", "aliases": ["材质"], "values": [
            {"name": "linen", "aliases": ["亚麻"]}, {"name": "denim"}, {"name": "wool"}]},
        {"name": "occasion", "label": "Occasion", "multi": True, "values": ["work", "party", "vacation"]},
    ]
}


@pytest.fixture
def taxonomy() -> tk.Taxonomy:
    return tk.Taxonomy.from_dict(TAXONOMY, source="test-taxonomy")


@pytest.fixture
def write(tmp_path):
    """write(name, text, encoding='utf-8') -> path of a file in a fresh folder."""
    def _write(name: str, content, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path
    return _write


@pytest.fixture
def small_dataset(tmp_path) -> Path:
    """A complete dataset folder: taxonomy, wide catalogue, order lines."""
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "taxonomy.yml").write_text(yaml.safe_dump(TAXONOMY, allow_unicode=True), encoding="utf-8")
    pd.DataFrame({
        "product_id": ["001", "002", "003", "004"],
        "name": ["Linen dress", "Black jeans", "<script>alert(1)</script>", "Navy top"],
        "category": ["midi dress", "denim", "dress", "top"],
        "colour": ["米色", "blk", "black", "navvy"],
        "material": ["linen", "denim", "wool", ""],
        "occasion": ["work, party", "", "party", "work"],
        "price": ["199", "299", "399", "99"],
        "launch_date": ["2025-01-10", "2025-02-01", "2025-04-02", "2025-04-15"],
    }).to_csv(folder / "catalogue.csv", index=False)
    pd.DataFrame({
        "product_id": ["001", "001", "002", "003", "004", "004", "1", "002"],
        "date": ["2025-01-12", "2025-02-03", "2025-02-05", "2025-04-03", "2025-05-01", "2025-05-02", "2025-05-03",
                 "not a date"],
        "quantity": ["1", "2", "1", "1", "-1", "3", "1", "1"],
        "revenue": ["199", "398", "299", "399", "-99", "297", "50", "299"],
    }).to_csv(folder / "orders.csv", index=False)
    config = {"name": "Small brand", "taxonomy": "taxonomy.yml",
              "catalogue": {"path": "catalogue.csv", "shape": "wide"},
              "sales": {"path": "orders.csv", "latest_date": "2026-01-01", "min_id_match": 0.5}}
    (folder / "dataset.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder
