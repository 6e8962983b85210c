"""Shared fixtures: a small taxonomy and helpers that write tiny input files."""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

import tagkit as tk
from tagkit.paths import DEMO_DATA

TAXONOMY = {
    "dimensions": [
        {
            "name": "category",
            "label": "Category",
            "aliases": ["品类"],
            "required": True,
            "values": [
                {"name": "dress", "aliases": ["dresses", "连衣裙"]},
                {"name": "midi-dress", "parent": "dress", "aliases": ["midi dress", "中长裙"]},
                {"name": "jeans", "aliases": ["denim"]},
                {"name": "top"},
            ],
        },
        {
            "name": "colour",
            "label": "Colour",
            "aliases": ["color", "颜色"],
            "required": True,
            "values": [
                {"name": "black", "aliases": ["黑色", "blk"]},
                {"name": "navy", "aliases": ["navy blue", "藏青"]},
                {"name": "earth-tone", "aliases": ["大地色"]},
                {"name": "beige", "parent": "earth-tone", "aliases": ["米色"]},
            ],
        },
        {
            "name": "material",
            "label": "Material",
            "aliases": ["材质"],
            "values": [{"name": "linen", "aliases": ["亚麻"]}, {"name": "denim"}, {"name": "wool"}],
        },
        {"name": "occasion", "label": "Occasion", "multi": True, "values": ["work", "party", "vacation"]},
    ]
}


def pytest_configure(config):
    # the suite's own disk cache (tagkit.io.cache), shared by its tests and notebook kernels, never the user's
    os.environ["TAGKIT_CACHE"] = tempfile.mkdtemp(prefix="tagkit-test-cache-")


def pytest_collection_modifyitems(config, items):
    """The 'notebooks' marker on every test that executes notebooks: nbval's cells, the batch runner's tests
    (the fixtures 'notebooks' and 'batch_runs'), tests/test_notebooks.py."""
    for item in items:
        path = str(getattr(item, "path", ""))
        if path.endswith((".ipynb", "test_notebooks.py")) or {"notebooks", "batch_runs"} & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.notebooks)


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
    pd.DataFrame(
        {
            "product_id": ["001", "002", "003", "004"],
            "name": ["Linen dress", "Black jeans", "<script>alert(1)</script>", "Navy top"],
            "category": ["midi dress", "denim", "dress", "top"],
            "colour": ["米色", "blk", "black", "navvy"],
            "material": ["linen", "denim", "wool", ""],
            "occasion": ["work, party", "", "party", "work"],
            "price": ["199", "299", "399", "99"],
            "launch_date": ["2025-01-10", "2025-02-01", "2025-04-02", "2025-04-15"],
        }
    ).to_csv(folder / "catalogue.csv", index=False)
    pd.DataFrame(
        {
            "product_id": ["001", "001", "002", "003", "004", "004", "1", "002"],
            "date": [
                "2025-01-12",
                "2025-02-03",
                "2025-02-05",
                "2025-04-03",
                "2025-05-01",
                "2025-05-02",
                "2025-05-03",
                "not a date",
            ],
            "quantity": ["1", "2", "1", "1", "-1", "3", "1", "1"],
            "revenue": ["199", "398", "299", "399", "-99", "297", "50", "299"],
        }
    ).to_csv(folder / "orders.csv", index=False)
    config = {
        "name": "Small brand",
        "taxonomy": "taxonomy.yml",
        "catalogue": {"path": "catalogue.csv", "shape": "wide"},
        "sales": {"path": "orders.csv", "latest_date": "2026-01-01", "min_id_match": 0.5},
    }
    (folder / "dataset.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


SCRIPT = "<script>document.body.setAttribute('data-xss','script')</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-xss','img')\">"
SVG = "<svg onload=alert(1)>"  # an unknown tag value: no ',' or ';' (they separate tags)
FILE = "<img src=x onerror=alert(3)>.csv"
LINK = "x [log in again](//evil.example/x)"  # Markdown that must never become a link
FORMULAS = ['=HYPERLINK("http://evil.example","click me")', "=1+1", "@SUM(A1)", "+2+2", "-3-3"]
KEEP = ("2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4")


def _hostile_dataset(folder, keep=KEEP):
    """Five quarters of the demo brand (or the seasons in ``keep``), with product names, a tag value, a taxonomy
    label, the dataset's name and a file name that are HTML."""
    catalogue = pd.read_csv(DEMO_DATA / "catalogue.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    start = tk.seasons.QUARTERS.bounds(keep[0])[0]
    catalogue = catalogue[pd.to_datetime(catalogue["Launch date"], errors="coerce") >= start]
    catalogue = catalogue.drop_duplicates("SKU").reset_index(drop=True)
    catalogue.loc[0:40, "Product name"] = SCRIPT
    catalogue.loc[41:80, "Product name"] = IMG
    catalogue.loc[81:90, "Details"] = SVG
    catalogue.loc[91:95, "颜色"] = ""  # missing required: the names show in that table
    catalogue.loc[96:97, "Product name"] = [SCRIPT, IMG]
    catalogue.loc[98:102, "Product name"] = FORMULAS  # formula injection in every export that names products
    catalogue.loc[103:107, "Details"] = ["=1+1", "@SUM(A1)", "+2+2", "-3-3", "=2*3"]  # unknown tag values
    catalogue.loc[108:120, "Product name"] = LINK
    catalogue.to_csv(folder / "catalogue.csv", index=False, encoding="utf-8-sig")
    skus = set(catalogue["SKU"])
    with (
        gzip.open(DEMO_DATA / "order_lines.csv.gz", "rt", encoding="utf-8") as src,
        gzip.open(folder / "order_lines.csv.gz", "wt", encoding="utf-8") as dst,
    ):
        dst.write(next(src))
        for line in src:
            if line.split(",")[1] in skus:
                dst.write(line)
    competitors = pd.read_csv(DEMO_DATA / "competitor_bestsellers.csv", dtype=str, encoding="gb18030")
    competitors = competitors[competitors["季度"].isin(keep)]
    competitors.loc[competitors.index[:5], "标题"] = SCRIPT
    competitors.to_csv(folder / FILE, index=False)
    shutil.copy(DEMO_DATA / "candidates_2026Q1.csv", folder / "candidates_2026Q1.csv")
    taxonomy = yaml.safe_load((DEMO_DATA / "taxonomy.yml").read_text(encoding="utf-8"))
    pattern = next(d for d in taxonomy["dimensions"] if d["name"] == "pattern")
    next(v for v in pattern["values"] if v["name"] == "check")["label"] = "<b>check</b>"
    next(d for d in taxonomy["dimensions"] if d["name"] == "neckline")["label"] = LINK  # the least covered one
    (folder / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    config = yaml.safe_load((DEMO_DATA / "dataset.yml").read_text(encoding="utf-8"))
    config["name"] = f"Brand {SCRIPT}"
    config["competitors"]["path"] = FILE
    config["competitors"].pop("encoding", None)
    (folder / "dataset.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    params = folder / "params.yml"
    params.write_text("03_season_plan:\n  backtest_seasons: 1\n", encoding="utf-8")
    return params


@pytest.fixture(scope="session")
def batch_runs(tmp_path_factory):
    """The quarterly batch run twice, on five quarters of the demo brand with hostile names: (data, runs)."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    data.mkdir()
    params = _hostile_dataset(data)
    folders = []
    for name in ("one", "two"):
        index = tk.run_report(
            "2025Q4", data_dir=data, params_file=params, out_dir=root / name, progress=False, echo=lambda _: None
        )
        folders.append(index.parent)
    return data, folders
