"""The real notebooks, run through the batch runner (papermill) on five quarters of the demo brand (the
batch_runs fixture of conftest.py): their exports agree with the input files.

(nbval runs them a second time, on the whole demo brand with their default parameters: see testpaths.)"""

import gzip
import re

import openpyxl
import pandas as pd
import pytest
import yaml

from tagkit.paths import NOTEBOOKS
from tagkit.render import SCRIPT


def test_every_notebook_renders(batch_runs):
    _, (reports, _) = batch_runs
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        page = (reports / f"{notebook.stem}.html").read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S | re.I)
        assert scripts == [SCRIPT] and "Traceback" not in page  # no script but the vendored, hash-pinned one
        assert f'href="{notebook.stem}.html"' in (reports / "index.html").read_text(encoding="utf-8")


def test_tag_health_exports_agree_with_the_files(batch_runs):
    data, (reports, _) = batch_runs
    with gzip.open(data / "order_lines.csv.gz", "rt", encoding="utf-8") as fh:
        lines = sum(1 for _ in fh) - 1  # every line but the header is a row read, malformed ones included
    book = openpyxl.load_workbook(reports / "tag_health.xlsx", read_only=True)
    assert set(book.sheetnames) >= {"input files", "tag problems", "sales accounting"}
    accounting = pd.read_excel(reports / "tag_health.xlsx", sheet_name="sales accounting")
    counts = dict(zip(accounting["reason"], accounting["rows"]))
    assert counts["rows read"] == lines
    assert counts["rows used"] + sum(v for k, v in counts.items() if k.startswith("set aside")) == lines
    aside = pd.read_csv(reports / "sales_set_aside.csv", dtype=str, encoding="utf-8-sig")
    assert len(aside) == lines - counts["rows used"]
    catalogue = pd.read_csv(data / "catalogue.csv", dtype=str, encoding="utf-8-sig")
    files = pd.read_excel(reports / "tag_health.xlsx", sheet_name="input files").set_index("file")
    assert files.loc["catalogue.csv", "rows read"] == len(catalogue)  # headers in words
    assert files.loc["catalogue.csv", "products"] == catalogue["SKU"].nunique()


def test_hit_tags_exports(batch_runs):
    _, (reports, _) = batch_runs
    sheets = pd.read_excel(reports / "hit_tags.xlsx", sheet_name=None)
    assert {"about", "hit share", "kept rules", "rules", "common tags", "trends", "holdout", "yearly", "labels"} <= set(
        sheets
    )
    rules = sheets["rules"]
    assert (rules["status"] == "kept").sum() == len(sheets["kept rules"]) > 0  # the kept rules on their own sheet
    assert str(sheets["about"].set_index("setting").loc["top_share", "value"]) == "0.075"  # the run's parameters
    share = sheets["hit share"].set_index("season")
    labels = sheets["labels"]
    counted = labels[labels["status"] == "hit"].groupby("season").size()
    assert (share.loc[counted.index, "hits"] == counted).all()
    assert (reports / "hit_rules.csv").exists()


def test_season_plan_exports_meet_the_plan_limits(batch_runs):
    _, (reports, _) = batch_runs
    sheets = pd.read_excel(reports / "season_plan.xlsx", sheet_name=None, dtype={"product id": str})
    assert {"plan", "summary", "categories", "looks", "tag sets", "candidates", "backtest", "calibration"} <= set(
        sheets
    )
    plan = sheets["plan"]
    summary = sheets["summary"].set_index("measure")
    assert int(str(summary.loc["catalogue size", "value"]).replace(",", "")) == len(plan)
    bets = (plan["role"] == "hit bet").sum()
    assert 0.05 <= bets / len(plan) <= 0.10
    assert plan["look"].value_counts().max() <= 6
    assert summary["within"].all()
    csv = pd.read_csv(reports / "season_plan.csv", dtype={"product_id": str}, encoding="utf-8-sig")
    assert csv["product_id"].tolist() == plan["product id"].tolist()


def test_season_workbook_has_one_sheet_per_table(batch_runs):
    _, (reports, _) = batch_runs
    book = openpyxl.load_workbook(reports / "tagkit_2025Q4.xlsx")
    # the sheets each notebook declared (show_files season_sheets), in the order of the notebooks
    assert book.sheetnames == ["tag problems", "hit share", "kept rules", "common tags", "plan", "plan summary"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        assert all(sheet.column_dimensions[c].width <= 60 for c in sheet.column_dimensions)
    plan = pd.read_excel(reports / "tagkit_2025Q4.xlsx", sheet_name="plan", dtype={"product id": str})
    assert plan["product id"].str.len().gt(0).all()


def test_every_notebook_that_labels_hits_takes_one_hit_definition():
    import dataclasses

    import papermill as pm

    import tagkit as tk
    from tagkit.parameters import HIT_PARAMETERS

    defaults = {f.name: f.default for f in dataclasses.fields(tk.HitDefinition)}
    labelling = 0
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        declared = pm.inspect_notebook(str(notebook))
        if not set(HIT_PARAMETERS) & set(declared):
            continue
        labelling += 1
        for name, field in HIT_PARAMETERS.items():
            assert name in declared, f"{notebook.stem} lacks {name}"
            default = declared[name]["default"]
            assert eval(default) == defaults[field], (notebook.stem, name, default)  # noqa: S307 (a literal)
    assert labelling == 2


def test_a_notebook_with_part_of_the_hit_definition_is_refused(tmp_path, small_dataset):
    import nbformat
    import pytest
    from nbformat.v4 import new_code_cell, new_notebook

    import tagkit as tk

    nb = new_notebook()
    cell = new_code_cell('season = "2025Q1"\ndata_dir = ""\noutput_dir = ""\nmetric = "units"\ntop_share = 0.1')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "01_partial.ipynb")
    with pytest.raises(
        tk.errors.ReportError, match="'01_partial' labels hits but does not declare catalogue, group_by"
    ):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            notebooks_dir=tmp_path / "nb",
            out_dir=tmp_path / "out",
            progress=False,
            echo=lambda _: None,
        )


# --- the whole batch, default parameters, on data tagkit did not design ----------------------------------
def _text(page) -> str:
    """A page's words, tags removed (what a reader sees)."""
    import html
    import re

    text = re.sub(r"<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture(scope="module")
def sparse_batch(tmp_path_factory):
    import tagkit as tk
    from tagkit.paths import DATA

    out = tmp_path_factory.mktemp("sparse_reports")
    return tk.run_report("2025Q4", data_dir=DATA / "sparse", out_dir=out, progress=False, echo=lambda _: None).parent


@pytest.fixture(scope="module")
def complete_journey_batch(tmp_path_factory):
    import tagkit as tk
    from tagkit.demo_complete_journey import write_complete_journey

    data = tmp_path_factory.mktemp("complete_journey")
    write_complete_journey(data)
    out = tmp_path_factory.mktemp("complete_journey_reports")
    return tk.run_report("2017Q4", data_dir=data, out_dir=out, progress=False, echo=lambda _: None).parent


@pytest.mark.real_data
def test_sparse_brand_batch_is_complete_and_honest(sparse_batch):
    health, hits, plan, index = (
        _text(sparse_batch / f"{n}.html") for n in ("01_tag_health", "02_hit_tags", "03_season_plan", "index")
    )
    assert "This report failed" not in index and "Traceback" not in hits + plan + health
    # missing launch dates are said where they matter, and how launch was inferred
    assert "Launch dates are missing" in health and "Launch dates are missing" in hits
    assert "launch is taken to be the first sale" in health
    # the label measures selling on this brand: the check is shown, no warning
    assert "Does the hit label measure selling?" in hits and "may not measure selling" not in hits
    assert "Read this first" not in hits
    # no competitors, no candidates: said in words, the backtest still runs
    assert "no competitor best sellers" in hits
    assert "No plan for 2026Q1" in plan and "no candidate pipeline" in plan and "Backtest" in plan
    # the heatmap and the looks fit this taxonomy (no material, no silhouette)
    assert "Here a look is Product type, Colour (family) and Pattern" in hits
    files = pd.read_excel(sparse_batch / "tag_health.xlsx", sheet_name="input files")
    assert files.loc[0, "placeholder values"] > 0 and files.loc[0, "ids given zeros back"] == files.loc[0, "products"]
    rules = pd.read_csv(sparse_batch / "hit_rules.csv")
    kept = rules[rules["status"] == "kept"]["rule"]
    assert kept.str.contains("product_type=trousers").any() and kept.str.contains("department=divided").any()


@pytest.mark.real_data
def test_complete_journey_batch_is_complete_and_honest(complete_journey_batch):
    hits, plan, index = (
        _text(complete_journey_batch / f"{n}.html") for n in ("02_hit_tags", "03_season_plan", "index")
    )
    assert "This report failed" not in index and "Traceback" not in hits + plan
    # a grocery assortment sold all year: ranked in every season it sells in, and the page says why
    assert "a season's catalogue is every product on sale in it (chosen from the data" in hits
    assert "may not measure selling" not in hits
    share = pd.read_excel(complete_journey_batch / "hit_tags.xlsx", sheet_name="hit share").set_index("season")
    assert share.loc["2017Q4", "band"] == "inside" and share.loc["2017Q4", "revenue share"] > 0.3
    rules = pd.read_csv(complete_journey_batch / "hit_rules.csv")
    kept = rules[rules["status"] == "kept"]
    assert len(kept) > 20 and (kept["n_hits"] >= 5).all()
    # one row per product: a rule's products are never more than the products of the catalogue
    assert kept["n_products"].max() <= 92_331
    assert "No plan for 2018Q1" in plan and "No past season could be replayed" in plan


@pytest.fixture(scope="module")
def titles_batch(tmp_path_factory):
    import tagkit as tk
    from tagkit.demo_titles import write_titles

    data = tmp_path_factory.mktemp("titles")
    write_titles(data, scale=0.4)  # a smaller brand: the same rules, a shorter batch
    # a catalogue with only a title column (and price, launch date, role): the other texts dropped
    catalogue = pd.read_csv(data / "catalogue.csv", dtype=str, keep_default_na=False)
    catalogue.drop(columns=["标题", "Description"]).to_csv(data / "catalogue.csv", index=False)
    config = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    config["catalogue"]["text"] = ["Title"]
    (data / "dataset.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("titles_reports")
    return data, tk.run_report("2025Q4", data_dir=data, out_dir=out, progress=False, echo=lambda _: None).parent


def test_a_catalogue_with_only_titles_runs_through_the_whole_batch(titles_batch):
    data, reports = titles_batch
    health, hits, plan, index = (
        _text(reports / f"{n}.html") for n in ("01_tag_health", "02_hit_tags", "03_season_plan", "index")
    )
    assert "This report failed" not in index and "Traceback" not in health + hits + plan
    assert "Tags read from text" in health and "Tags were read from Title of catalogue.csv" in health
    # the tags read are the true tags: checked against the generator's record, independently of the reader
    read = pd.read_excel(reports / "tag_health.xlsx", sheet_name="read from text", dtype={"product id": str})
    read = read[read["status"] == "read"]
    truth = pd.read_csv(data / "true_tags.csv", dtype={"product_id": str})
    pairs = set(zip(truth["product_id"], truth["dimension"], truth["value"]))
    found = [(p, d, v) in pairs for p, d, v in zip(read["product id"], read["dimension"], read["value"])]
    assert len(read) > 30_000 and sum(found) / len(found) > 0.95
    # the hit rules come from the tags read: the planted trench coat and check rule is found from text
    rules = pd.read_csv(reports / "hit_rules.csv")
    kept = rules.loc[rules["status"] == "kept", "rule"]
    assert kept.str.contains("pattern=check").any()
    assert "The plan for 2026Q1 releases" in plan and "hit bets" in plan
