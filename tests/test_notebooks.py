"""The real notebooks, run through the batch runner (papermill) on five quarters of the demo brand (the
batch_runs fixture of conftest.py): their exports agree with the input files.

(nbval runs them a second time, on the whole demo brand with their default parameters: see testpaths.)"""

import gzip

import openpyxl
import pandas as pd

from tagkit.paths import NOTEBOOKS


def test_every_notebook_renders(batch_runs):
    _, (reports, _) = batch_runs
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        page = (reports / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert "<script" not in page.lower() and "Traceback" not in page
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
    assert files.loc["catalogue.csv", "rows_read"] == len(catalogue)
    assert files.loc["catalogue.csv", "products"] == catalogue["SKU"].nunique()


def test_hit_tags_exports(batch_runs):
    _, (reports, _) = batch_runs
    sheets = pd.read_excel(reports / "hit_tags.xlsx", sheet_name=None)
    assert {"hit share", "rules", "common tags", "trends", "holdout", "yearly", "labels", "competitors"} <= set(sheets)
    rules = sheets["rules"]
    assert (rules["status"] == "kept").sum() > 0
    share = sheets["hit share"].set_index("season")
    labels = sheets["labels"]
    counted = labels[labels["status"] == "hit"].groupby("season").size()
    assert (share.loc[counted.index, "hits"] == counted).all()
    assert (reports / "hit_rules.csv").exists()


def test_season_plan_exports_meet_the_plan_limits(batch_runs):
    _, (reports, _) = batch_runs
    sheets = pd.read_excel(reports / "season_plan.xlsx", sheet_name=None, dtype={"product_id": str})
    assert {"plan", "summary", "categories", "looks", "tag sets", "candidates", "backtest", "calibration"} <= set(sheets)
    plan = sheets["plan"]
    summary = sheets["summary"].set_index("measure")
    assert int(summary.loc["catalogue size", "value"]) == len(plan)
    bets = (plan["role"] == "hit bet").sum()
    assert 0.05 <= bets / len(plan) <= 0.10
    assert plan["look"].value_counts().max() <= 6
    assert summary["within"].all()
    csv = pd.read_csv(reports / "season_plan.csv", dtype={"product_id": str}, encoding="utf-8-sig")
    assert csv["product_id"].tolist() == plan["product_id"].tolist()


def test_season_workbook_has_one_sheet_per_table(batch_runs):
    _, (reports, _) = batch_runs
    book = openpyxl.load_workbook(reports / "tagkit_2025Q4.xlsx")
    assert book.sheetnames == ["hit share", "rules", "common tags", "plan", "plan summary", "tag problems"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        assert all(sheet.column_dimensions[c].width <= 60 for c in sheet.column_dimensions)
    plan = pd.read_excel(reports / "tagkit_2025Q4.xlsx", sheet_name="plan", dtype={"product_id": str})
    assert plan["product_id"].str.len().gt(0).all()


def test_every_notebook_that_labels_hits_takes_one_hit_definition():
    import dataclasses

    import papermill as pm

    import tagkit as tk
    from tagkit.report import HIT_PARAMETERS

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
    from nbformat.v4 import new_code_cell, new_notebook

    import pytest

    import tagkit as tk

    nb = new_notebook()
    cell = new_code_cell('season = "2025Q1"\ndata_dir = ""\noutput_dir = ""\nmetric = "units"\ntop_share = 0.1')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "01_partial.ipynb")
    with pytest.raises(tk.ReportError, match="'01_partial' labels hits but does not declare catalogue, group_by"):
        tk.run_report("2025Q1", data_dir=small_dataset, notebooks_dir=tmp_path / "nb", out_dir=tmp_path / "out",
                      progress=False, echo=lambda _: None)
