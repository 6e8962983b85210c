"""The batch runner on tiny notebooks: success, failure, parameters, escaping."""

from __future__ import annotations

import hashlib
import json
import os
import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import tagkit as tk
from tagkit.render import SCRIPT

PARAMS = (
    'season: str = "2025Q1"  # season\ndata_dir: str = ""  # data\noutput_dir: str = ""  # out\n'
    "top_values: int = 12  # values"
)


def _notebook(folder, name, *cells):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(new_markdown_cell(f"# {name.split('_', 1)[1].capitalize()} report\n\nWhat it is for."))
    params = new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells.append(params)
    nb.cells.extend(new_code_cell(c) for c in cells)
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    _notebook(
        folder,
        "01_first",
        "import tagkit as tk\nimport pandas as pd\nfrom pathlib import Path",
        "tk.show_summary(f'**{season}** has <script>alert(1)</script> products; top_values={top_values}', {'n': 3})",
        "tk.show_table(pd.DataFrame({'name': ['<img src=x onerror=alert(2)>'], 'share': [0.25]}), percent=['share'])",
        "Path(output_dir, 'export.csv').write_text('a,b\\n')",
        "import sys; print('a warning', file=sys.stderr)",
    )
    return folder


def _batch(notebooks, dataset, out, *, jobs=None, echo=lambda _: None):
    """The batch of season 2025Q1 on the small brand, quiet."""
    return tk.run_report(
        "2025Q1", data_dir=dataset, out_dir=out, notebooks_dir=notebooks, progress=False, jobs=jobs, echo=echo
    )


def _tree(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_batch_renders_an_index_and_self_contained_pages(notebooks, small_dataset, tmp_path):
    out = tmp_path / "reports"
    lines = []
    index = tk.run_report(
        "2025q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lines.append
    )
    assert index == out / "2025Q1" / "index.html"
    assert sorted(p.name for p in index.parent.iterdir()) == [
        "01_first.html",
        "export.csv",
        "index.html",
        "index.json",
        "manifest.json",
    ]
    assert lines[0].startswith("Checking the dataset, the season and the parameters")
    assert lines[1] == "[1/1] 01_first: running" and lines[-1].startswith("All 1 report(s) built in")

    page = (index.parent / "01_first.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S | re.I)
    assert scripts == [SCRIPT]  # the one vendored script, allowed by its hash; no other
    assert not re.search(r'(src|href)="https?://', page)
    assert "tk.show_table" not in page  # no code cells
    assert "a warning" not in page  # stderr is not part of the report
    assert "25.0%" in page
    home = index.read_text(encoding="utf-8")
    assert '<a href="01_first.html">First report</a>' in home
    assert "<strong>2025Q1</strong> has &lt;script&gt;" in home
    assert not list(out.glob(".build-*"))


def test_a_failing_notebook_keeps_its_last_good_version_and_the_others_are_made(notebooks, small_dataset, tmp_path):
    out = tmp_path / "reports"
    _notebook(
        notebooks,
        "02_second",
        "import tagkit as tk\nfrom pathlib import Path",
        "tk.show_summary('second, first version')",
        "Path(output_dir, 'second.csv').write_text('v1')",
    )
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    good_page = (out / "2025Q1" / "02_second.html").read_bytes()
    _notebook(
        notebooks,
        "02_second",
        "import tagkit as tk\nfrom pathlib import Path",
        "Path(output_dir, 'second.csv').write_text('half-writ')",
        "raise ValueError('boom in the data')",
    )
    with pytest.raises(
        tk.errors.ReportError,
        match=r"(?s)1 of 2 notebook\(s\) failed; the other reports of 2025Q1 were made.*"
        r"02_second.ipynb, cell 6 \(\"raise ValueError\('boom in the data'\)\"\) "
        r"failed with ValueError: boom in the data",
    ):
        tk.run_report(
            "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
        )
    season = out / "2025Q1"
    assert (season / "02_second.html").read_bytes() == good_page  # the last good version
    assert (season / "second.csv").read_text() == "v1"  # its export too, never the half-written one
    assert (season / "01_first.html").exists() and (season / "export.csv").exists()
    home = (season / "index.html").read_text(encoding="utf-8")
    assert "This report failed in this run." in home and "boom in the data" in home
    assert "last good version, from" in home and 'href="02_second.html"' in home
    assert (out / ".failed" / "2025Q1" / "02_second.ipynb").exists()
    assert (out / ".failed" / "2025Q1" / "02_second.kernel.log").exists()  # what the kernel said, kept beside it
    assert not list(out.glob(".build-*")) and not list(season.glob(".*.kernel.log"))
    # a first run that fails has no earlier version to show
    fresh = tmp_path / "fresh"
    with pytest.raises(tk.errors.ReportError, match="1 of 2 notebook"):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=fresh,
            notebooks_dir=notebooks,
            progress=False,
            echo=lambda _: None,
        )
    home = (fresh / "2025Q1" / "index.html").read_text(encoding="utf-8")
    assert "There is no earlier version of this report." in home and 'href="02_second.html"' not in home


def test_when_every_notebook_fails_nothing_changes(notebooks, small_dataset, tmp_path):
    out = tmp_path / "reports"
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    before = _tree(out / "2025Q1")
    _notebook(notebooks, "01_first", "raise ValueError('boom')")
    fresh = tmp_path / "fresh"
    with pytest.raises(tk.errors.ReportError, match="Every notebook failed"):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=fresh,
            notebooks_dir=notebooks,
            progress=False,
            echo=lambda _: None,
        )
    assert not (fresh / "2025Q1").exists() and _tree(out / "2025Q1") == before


def test_parameters_and_the_season_are_checked_before_any_notebook_runs(notebooks, small_dataset, tmp_path, write):
    _notebook(notebooks, "02_hits", "x = 1")  # a notebook that would take minutes
    bad = write("p.yml", "shared:\n  top_values: 0\n")
    with pytest.raises(
        tk.ParameterError,
        match=r"(?s)The batch for 2025Q1 was not started \(2 problem\(s\)\).*"
        r"'top_values' parameter of the notebook 01_first must be an int in "
        r"\[1, 60\]. Got 0",
    ):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=tmp_path / "r",
            notebooks_dir=notebooks,
            params_file=bad,
            progress=False,
            echo=lambda _: None,
        )
    with pytest.raises(
        tk.ParameterError,
        match=r"The season 2027Q1 has no sales: the sales run from 2025-01-12 "
        r"\(2025Q1\) to 2025-05-03 \(2025Q2\)",
    ):
        tk.run_report(
            "2027Q1",
            data_dir=small_dataset,
            out_dir=tmp_path / "r",
            notebooks_dir=notebooks,
            progress=False,
            echo=lambda _: None,
        )
    assert not (tmp_path / "r" / "2025Q1").exists() and not (tmp_path / "r" / "2027Q1").exists()


def test_parameters_file(notebooks, small_dataset, tmp_path, write):
    out = tmp_path / "reports"
    good = write("p.yml", "shared:\n  top_values: 7\n")
    index = tk.run_report(
        "2025Q1",
        data_dir=small_dataset,
        out_dir=out,
        notebooks_dir=notebooks,
        params_file=good,
        progress=False,
        echo=lambda _: None,
    )
    assert "top_values=7" in (index.parent / "01_first.html").read_text(encoding="utf-8")
    bad = write("bad.yml", "01_frist:\n  top_values: 7\n01_first:\n  top_valus: 3\n  season: 2025Q2\n")
    with pytest.raises(tk.ParameterError) as info:
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=out,
            notebooks_dir=notebooks,
            params_file=bad,
            progress=False,
            echo=lambda _: None,
        )
    text = str(info.value)
    assert "'01_frist' is neither 'shared' nor a notebook" in text and "Did you mean '01_first'?" in text
    assert "'top_valus' is not a parameter of '01_first'" in text and "Did you mean 'top_values'?" in text
    assert "'season' is set by the command line" in text


def test_only_and_season_errors(notebooks, small_dataset, tmp_path):
    with pytest.raises(tk.ParameterError, match=r"--only '01_frst' is not a notebook.*Did you mean '01_first'\?"):
        tk.run_report("2025Q1", data_dir=small_dataset, notebooks_dir=notebooks, only=["01_frst"], out_dir=tmp_path)
    with pytest.raises(tk.ParameterError, match="'2025Q5' is not a season"):
        tk.run_report("2025Q5", data_dir=small_dataset, notebooks_dir=notebooks, out_dir=tmp_path)


def test_check_parameters_explains_a_wrong_value():
    with pytest.raises(
        tk.ParameterError,
        match=r"The 'unknown_tags' parameter of the notebook 01_tag_health must "
        r"be one of 'report', 'raise'. Got 'repot' instead. Did you mean",
    ):
        tk.check_parameters("01_tag_health", unknown_tags="repot")
    with pytest.raises(tk.ParameterError, match=r"'top_values' .* must be an int in \[1, 60\]. Got 0 instead"):
        tk.check_parameters("01_tag_health", top_values=0)
    with pytest.raises(tk.ParameterError, match="has no parameter 'top_value'. Did you mean 'top_values'"):
        tk.check_parameters("01_tag_health", top_value=3)


def test_only_reruns_one_notebook_and_keeps_the_others(notebooks, small_dataset, tmp_path):
    out = tmp_path / "reports"
    _notebook(notebooks, "02_second", "import tagkit as tk", "tk.show_summary('second summary')")
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    first_page = (out / "2025Q1" / "01_first.html").read_bytes()
    index = tk.run_report(
        "2025Q1",
        data_dir=small_dataset,
        out_dir=out,
        notebooks_dir=notebooks,
        only=["02_second"],
        progress=False,
        echo=lambda _: None,
    )
    assert (index.parent / "01_first.html").read_bytes() == first_page
    assert (index.parent / "export.csv").exists()
    home = index.read_text(encoding="utf-8")
    assert home.index("01_first.html") < home.index("02_second.html") and "second summary" in home


def test_a_relative_out_folder_and_a_season_typed_with_other_digits(notebooks, small_dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = []
    index = tk.run_report(
        "２０２５Q1",
        data_dir=small_dataset,
        out_dir="out/x",
        notebooks_dir=notebooks,
        progress=False,
        echo=lines.append,
    )
    assert index == tmp_path / "out" / "x" / "2025Q1" / "index.html"
    assert "Season '２０２５Q1' is read as 2025Q1." in lines
    folder = index.parent
    assert (folder / "export.csv").exists() and 'href="01_first.html"' in index.read_text(encoding="utf-8")
    assert not list((tmp_path / "out" / "x").glob(".build-*")) and not (folder / "out").exists()
    with pytest.raises(tk.ParameterError, match="the year must be from 1990 to 2100. Got 9999"):
        tk.run_report("9999Q4", data_dir=small_dataset, out_dir="out/x", notebooks_dir=notebooks)


def test_an_out_folder_that_is_a_file_or_read_only_gets_a_message(notebooks, small_dataset, tmp_path, monkeypatch):
    from pathlib import Path

    a_file = tmp_path / "reports.txt"
    a_file.write_text("not a folder")
    with pytest.raises(tk.errors.ReportError, match=r"--out .*reports.txt: a file has that name; give a folder"):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=a_file,
            notebooks_dir=notebooks,
            progress=False,
            echo=lambda _: None,
        )
    mkdir = Path.mkdir

    def refused(self, *args, **kwargs):  # a read-only folder (this machine runs the tests as root, who writes anywhere)
        if self.name.startswith(".build-"):
            raise PermissionError(13, "Permission denied")
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refused)
    with pytest.raises(tk.errors.ReportError, match="locked: this folder cannot be written to"):
        tk.run_report(
            "2025Q1",
            data_dir=small_dataset,
            out_dir=tmp_path / "locked",
            notebooks_dir=notebooks,
            progress=False,
            echo=lambda _: None,
        )


def test_build_folders_of_stopped_runs_are_removed(notebooks, small_dataset, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "reports"
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = out / f".build-2025Q1-{int(gone.stdout)}-deadbeef"
    stale.mkdir()
    (stale / "01_first.ipynb").write_text("{}")
    lines = []
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lines.append
    )
    assert not stale.exists() and f"Removed {stale.name}, left by a run that was stopped." in lines


def test_a_full_disk_leaves_the_previous_reports_and_says_so(notebooks, small_dataset, tmp_path, monkeypatch):
    import errno

    import tagkit.report as report

    out = tmp_path / "reports"
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    before = _tree(out / "2025Q1")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "x"))

    monkeypatch.setattr(report, "write_index", full)
    with pytest.raises(
        tk.errors.ReportError,
        match=r"Writing the reports of 2025Q1 failed \(No space left on device: .*\); "
        r"the reports in .* were not changed",
    ):
        tk.run_report(
            "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
        )
    assert _tree(out / "2025Q1") == before and not list(out.glob(".build-*"))


def test_notebooks_declare_their_key_figures_and_season_sheets(notebooks, small_dataset, tmp_path):
    out = tmp_path / "reports"
    _notebook(
        notebooks,
        "02_second",
        "import tagkit as tk\nimport pandas as pd\nfrom pathlib import Path",
        "n = {'2025Q1': 1234, '2025Q2': 5678}[season]\n"
        "tk.show_summary('second', {'n': n, 'share': n / 10000}, key_figures=[('products counted', 'n', '{:,}'), "
        "('a share', 'share', '{:.1%}'), ('not given this time', 'absent', '{:,}')])",
        "book = tk.write_excel({'one': pd.DataFrame({'x': [n]}), 'two': pd.DataFrame({'y': [1]})}, "
        "Path(output_dir, 'second.xlsx'))\n"
        "tk.show_files([book], folder=Path(output_dir), season_sheets={'the count': 'one'})",
    )
    first = tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    ).read_text(encoding="utf-8")
    assert "not run" not in first and "2024Q4" not in first  # no previous season: no column for it
    assert re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*</tr>", first)[0] == ("products counted", "1,234")
    index = tk.run_report(
        "2025Q2", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    home = index.read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", home)
    assert rows == [("products counted", "5,678", "1,234"), ("a share", "56.8%", "12.3%")]
    workbook = pd.read_excel(index.parent / "tagkit_2025Q2.xlsx", sheet_name=None)
    assert list(workbook) == ["the count"] and workbook["the count"]["x"].tolist() == [5678]


def test_a_key_figure_or_season_sheet_declared_wrongly_gets_a_message(tmp_path):
    with pytest.raises(
        tk.ParameterError, match=r"each key figure is \(label, figure, format\).*Got \('hits', 'hits'\)"
    ):
        tk.show_summary("text", {"hits": 3}, key_figures=[("hits", "hits")])
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    with pytest.raises(tk.ParameterError, match=r"season_sheets come from one workbook among the files; got 2"):
        tk.show_files(paths, folder=tmp_path, season_sheets={"x": "y"})


def test_the_kernels_own_warnings_stay_out_of_the_terminal(notebooks, small_dataset, tmp_path, capfd):
    tk.run_report(
        "2025Q1",
        data_dir=small_dataset,
        out_dir=tmp_path / "reports",
        notebooks_dir=notebooks,
        progress=False,
        echo=lambda _: None,
    )
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err + captured.out  # ipykernel's start-up warning


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_in_a_notebook_stops_the_batch_and_leaves_the_reports_as_they_were(
    notebooks, small_dataset, tmp_path, jobs
):
    out = tmp_path / "reports"
    tk.run_report(
        "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
    )
    before = _tree(out / "2025Q1")
    _notebook(notebooks, "02_second", "raise KeyboardInterrupt")
    _notebook(notebooks, "03_third", "import time", "time.sleep(60)", "import tagkit as tk", "tk.show_summary('x')")
    lines = []
    with pytest.raises(KeyboardInterrupt):
        _batch(notebooks, small_dataset, out, jobs=jobs, echo=lines.append)
    if jobs == 1:
        assert not any("03_third" in line for line in lines)  # the batch stopped; the next notebook never started
    else:  # it may have started beside the other: its kernel was stopped, not waited for
        assert not any("03_third: done" in line for line in lines)
    assert _tree(out / "2025Q1") == before and not list(out.glob(".build-*"))


def test_every_chart_has_a_description_for_its_alt_text(notebooks, small_dataset, tmp_path):
    _notebook(
        notebooks,
        "02_chart",
        "import matplotlib.pyplot as plt",
        "fig, ax = plt.subplots()\nax.plot([1, 2])",
    )
    index = tk.run_report(
        "2025Q1",
        data_dir=small_dataset,
        out_dir=tmp_path / "r",
        notebooks_dir=notebooks,
        progress=False,
        echo=lambda _: None,
    )
    page = (index.parent / "02_chart.html").read_text(encoding="utf-8")
    assert re.findall(r'<img alt="([^"]*)"', page) == ["Chart: Chart report. What it is for."]
    assert "No description has been provided" not in page


def test_a_notebook_shows_a_tagkit_error_as_its_message_without_internal_frames(notebooks, small_dataset, tmp_path):
    _notebook(notebooks, "02_wrong", "import tagkit as tk", "tk.open_dataset('no/such/folder')")
    out = tmp_path / "reports"
    with pytest.raises(tk.errors.ReportError, match=r"02_wrong.ipynb, cell 5 .* failed with InputError: "):
        tk.run_report(
            "2025Q1", data_dir=small_dataset, out_dir=out, notebooks_dir=notebooks, progress=False, echo=lambda _: None
        )
    failed = nbformat.read(out / ".failed" / "2025Q1" / "02_wrong.ipynb", as_version=4)
    (error,) = [
        o for c in failed.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert error.ename == "InputError" and len(error.traceback) == 1
    assert error.traceback[0].startswith("InputError: ") and "no/such/folder" in error.traceback[0]


def test_ctrl_c_at_the_terminal_stops_notebooks_running_side_by_side(notebooks, small_dataset, tmp_path):
    """A real SIGINT to the batch's process group while two notebooks run: both kernels stop, the command ends
    (without waiting for a notebook that sleeps a minute) and leaves no reports and no build folder."""
    import os
    import signal
    import subprocess
    import sys
    import time

    _notebook(notebooks, "02_second", "import time", "time.sleep(60)")
    _notebook(notebooks, "03_third", "import time", "time.sleep(60)")
    out = tmp_path / "reports"
    script = (
        "import tagkit as tk\n"
        f"tk.run_report('2025Q1', data_dir={str(small_dataset)!r}, out_dir={str(out)!r}, "
        f"notebooks_dir={str(notebooks)!r}, progress=False, jobs=2)\n"
    )
    log = tmp_path / "batch.log"
    with open(log, "w") as handle:
        batch = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as typed at a terminal
        )
    try:
        for _ in range(600):  # until both sleeping notebooks run
            text = log.read_text()
            if ("02_second: running" in text and "03_third: running" in text) or batch.poll() is not None:
                break
            time.sleep(0.1)
        time.sleep(2)
        os.killpg(batch.pid, signal.SIGINT)
        batch.wait(timeout=45)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    text = log.read_text()
    assert batch.returncode != 0 and "KeyboardInterrupt" in text, text
    assert "02_second: done" not in text and "03_third: done" not in text
    assert not list(out.glob("*/index.html")) and not list(out.glob(".build-*"))


def test_notebooks_side_by_side_compute_on_one_thread_each_as_when_run_alone(notebooks, small_dataset, tmp_path):
    """The tables must not depend on how many notebooks run at once: every kernel gets one OpenMP/BLAS
    thread, with --jobs 1 as with --jobs 2 (a sum split over threads is added in another order)."""
    _notebook(
        notebooks,
        "02_threads",
        "import os, json\nfrom pathlib import Path",
        "names = ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']",
        "Path(output_dir, 'threads.json').write_text(json.dumps({n: os.environ.get(n) for n in names}))",
        "Path('relative.txt').write_text('a file named without a folder lands with the exports')",
    )
    seen = []
    here = os.getcwd()
    for jobs in (1, 2):
        out = tmp_path / f"reports{jobs}"
        _batch(notebooks, small_dataset, out, jobs=jobs)
        seen.append(json.loads((out / "2025Q1" / "threads.json").read_text()))
        assert (out / "2025Q1" / "relative.txt").exists() and os.getcwd() == here  # the runner's folder unchanged
        manifest = json.loads((out / "2025Q1" / "manifest.json").read_text())
        assert manifest["jobs"] == jobs and [n["notebook"] for n in manifest["notebooks"]] == ["01_first", "02_threads"]
    assert seen[0] == seen[1] == {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with pytest.raises(tk.errors.ParameterError, match="'jobs' parameter of run_report must be a whole number"):
        tk.run_report("2025Q1", data_dir=small_dataset, out_dir=tmp_path / "x", notebooks_dir=notebooks, jobs=0)
