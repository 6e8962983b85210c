"""The real notebooks, run by papermill through the batch runner on the demo brand.

(nbval runs them a second time with their default parameters: see testpaths in pyproject.toml.)
"""

import gzip

import openpyxl
import pandas as pd
import pytest

import tagkit as tk
from tagkit.paths import DEMO_DATA


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    index = tk.run_report("2025Q4", out_dir=out, progress=False, echo=lambda _: None)
    return index.parent


def test_every_notebook_renders(demo_reports):
    from tagkit.paths import NOTEBOOKS

    for notebook in NOTEBOOKS.glob("*.ipynb"):
        page = (demo_reports / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert "<script" not in page.lower() and "Traceback" not in page
        assert f'href="{notebook.stem}.html"' in (demo_reports / "index.html").read_text(encoding="utf-8")


def test_tag_health_exports_agree_with_the_files(demo_reports):
    with gzip.open(DEMO_DATA / "order_lines.csv.gz", "rt", encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1  # every line but the header is a row read, malformed ones included
    book = openpyxl.load_workbook(demo_reports / "tag_health.xlsx", read_only=True)
    assert set(book.sheetnames) >= {"input files", "tag problems", "sales accounting"}
    accounting = pd.read_excel(demo_reports / "tag_health.xlsx", sheet_name="sales accounting")
    counts = dict(zip(accounting["reason"], accounting["rows"]))
    assert counts["rows read"] == lines
    assert counts["rows used"] + sum(v for k, v in counts.items() if k.startswith("set aside")) == lines
    aside = pd.read_csv(demo_reports / "sales_set_aside.csv", dtype=str, encoding="utf-8-sig")
    assert len(aside) == lines - counts["rows used"]
    catalogue = pd.read_csv(DEMO_DATA / "catalogue.csv", dtype=str, encoding="utf-8-sig")
    files = pd.read_excel(demo_reports / "tag_health.xlsx", sheet_name="input files").set_index("file")
    assert files.loc["catalogue.csv", "rows_read"] == len(catalogue)
    assert files.loc["catalogue.csv", "products"] == catalogue["SKU"].nunique()


def test_hit_tags_exports(demo_reports):
    sheets = pd.read_excel(demo_reports / "hit_tags.xlsx", sheet_name=None)
    assert {"hit share", "rules", "common tags", "trends", "holdout", "yearly", "labels", "competitors"} <= set(sheets)
    rules = sheets["rules"]
    assert (rules["status"] == "kept").sum() > 0
    share = sheets["hit share"].set_index("season")
    labels = sheets["labels"]
    counted = labels[labels["status"] == "hit"].groupby("season").size()
    assert (share.loc[counted.index, "hits"] == counted).all()
    assert (demo_reports / "hit_rules.csv").exists()


def test_season_plan_exports_meet_the_plan_limits(demo_reports):
    sheets = pd.read_excel(demo_reports / "season_plan.xlsx", sheet_name=None, dtype={"product_id": str})
    assert {"plan", "summary", "categories", "looks", "tag sets", "candidates", "backtest", "calibration"} <= set(sheets)
    plan = sheets["plan"]
    summary = sheets["summary"].set_index("measure")
    assert int(summary.loc["catalogue size", "value"]) == len(plan)
    bets = (plan["role"] == "hit bet").sum()
    assert 0.05 <= bets / len(plan) <= 0.10
    assert plan["look"].value_counts().max() <= 6
    assert summary["within"].all()
    csv = pd.read_csv(demo_reports / "season_plan.csv", dtype={"product_id": str}, encoding="utf-8-sig")
    assert csv["product_id"].tolist() == plan["product_id"].tolist()
