"""The console command, run as a user runs it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import tagkit as tk

TAGKIT = shutil.which("tagkit", path=str(Path(sys.executable).parent)) or "tagkit"


def _run(*args):
    return subprocess.run([TAGKIT, *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", [[], ["report"], ["check"], ["demo"], ["notebooks"]])
def test_help_on_every_subcommand(command):
    result = _run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tagkit")
    for word in {
        "": ["report", "check", "demo", "notebooks"],
        "report": ["--season", "--params", "--data", "--out", "--only", "--engine"],
        "check": ["--data", "--set-aside", "--engine"],
        "demo": ["--out", "--seed"],
        "notebooks": ["--out", "--language", "--force"],
    }[command[0] if command else ""]:
        assert word in result.stdout


def test_check_prints_health_and_accounting(small_dataset, tmp_path):
    result = _run("check", "--data", str(small_dataset), "--set-aside", str(tmp_path / "aside.csv"))
    assert result.returncode == 0, result.stderr
    assert "rows read" in result.stdout and "navvy" in result.stdout
    assert (tmp_path / "aside.csv").exists()
    aside = len(pd.read_csv(tmp_path / "aside.csv"))
    said = re.search(r"Set-aside order lines \(([\d,]+)\) written to", result.stdout)
    assert (int(said.group(1).replace(",", "")) if said else 0) == aside
    # as on the pages: headers in words, percentages, separators; no NaN, no raw pandas notation
    assert "share of rows read" in result.stdout and "100.0%" in result.stdout
    assert "NaN" not in result.stdout and "Empty DataFrame" not in result.stdout and "rows_read" not in result.stdout


def test_check_speaks_chinese_lines_up_wide_characters_and_keeps_the_users_words(small_dataset):
    import unicodedata

    english = _run("check", "--data", str(small_dataset), "--quiet")
    chinese = _run("check", "--data", str(small_dataset), "--quiet", "--language", "zh")
    assert english.returncode == 0 and chinese.returncode == 0, chinese.stderr
    headings = ["Input files:", "Tag problems:", "Order lines, every one accounted for:", "rows read"]
    assert all(h in english.stdout for h in headings) and not any(h in chinese.stdout for h in headings)
    assert {"输入文件：", "标签问题：", "订单行，每一行都有去向：", "读取的行"} <= set(
        re.findall(r"[^\s\d,(（]+", chinese.stdout)
    )
    assert "navvy" in chinese.stdout  # a raw value from the user's file, as typed

    def columns(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    # one record per block, a line per column: every value starts at the same terminal column
    block = chinese.stdout.split("输入文件：")[1].split("\n\n")[0].strip("\n").splitlines()
    starts = {columns(re.match(r"(\s+\S+\s+)", line).group(1)) for line in block}
    assert len(block) > 5 and len(starts) == 1


def test_check_says_when_no_order_line_was_set_aside(tmp_path):
    result = _run(
        "check", "--data", str(tk.paths.DATA / "sparse"), "--set-aside", str(tmp_path / "aside.csv"), "--quiet"
    )
    assert result.returncode == 0, result.stderr
    assert "No order line was set aside; " in result.stdout and "Set-aside order lines (" not in result.stdout


def test_user_errors_exit_with_a_message_not_a_traceback(small_dataset):
    result = _run("report", "--season", "2025Q9", "--data", str(small_dataset))
    assert result.returncode == 1
    assert result.stderr.startswith("error: '2025Q9' is not a season")
    assert "Traceback" not in result.stderr
    missing = _run("check", "--data", str(small_dataset / "nowhere"))
    assert missing.returncode == 1 and "no dataset config here" in missing.stderr


def test_check_shows_the_hit_label_check_on_the_sparse_brand():

    result = _run("check", "--data", str(tk.paths.DATA / "sparse"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Launch dates are missing" in out and "Hit label (a hit beats a bar fixed from history" in out
    assert "median units sold, net of returns" in out and "warning:" not in out


def test_init_and_demo_profiles_are_on_the_command_line():
    assert "--catalogue" in _run("init", "--help").stdout
    assert "complete-journey" in _run("demo", "--help").stdout


def test_version_is_the_packages():
    from importlib import metadata

    result = _run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"tagkit {metadata.version('tagkit-merch')}"


def test_check_shows_the_tags_read_from_text(small_dataset):
    config = yaml.safe_load((small_dataset / "dataset.yml").read_text(encoding="utf-8"))
    config["catalogue"]["text"] = ["name"]
    (small_dataset / "dataset.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = _run("check", "--data", str(small_dataset), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Tags read from text: Tags were read from name of catalogue.csv" in result.stdout
    assert "Words in the text that name no value" in result.stdout
    # the name '<script>alert(1)</script>' is a product's text: its words are listed, as text
    assert "alert" in result.stdout


def test_notebooks_are_copied_for_jupyterlab_in_chinese_and_never_over_a_users_notebooks(tmp_path):
    import nbformat

    out = tmp_path / "mine"
    result = _run("notebooks", "--language", "zh", "--out", str(out))
    assert result.returncode == 0, result.stderr
    sources = sorted(tk.paths.NOTEBOOKS.glob("*.ipynb"))
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in sources]
    for source in sources:
        original, copy = nbformat.read(source, as_version=4), nbformat.read(out / source.name, as_version=4)
        assert len(original.cells) == len(copy.cells)
        for before, after in zip(original.cells, copy.cells):
            if before.cell_type == "markdown":  # every text cell in Chinese
                assert re.search(r"[\u4e00-\u9fff]", after.source), (source.name, before.source[:60])
            elif "parameters" in before.metadata.get("tags", []):  # the language set, nothing else changed
                changed = set(after.source.splitlines()) - set(before.source.splitlines())
                assert [line.split("  #")[0] for line in changed] == ['language: str = "zh"']
            else:
                assert after.source == before.source
    (out / "02_hit_tags.ipynb").write_text("my edits", encoding="utf-8")
    again = _run("notebooks", "--language", "zh", "--out", str(out))
    assert again.returncode == 1 and "already holds notebooks" in again.stderr and "--force" in again.stderr
    assert (out / "02_hit_tags.ipynb").read_text(encoding="utf-8") == "my edits"
    assert _run("notebooks", "--out", str(out), "--force").returncode == 0
    english = nbformat.read(out / "02_hit_tags.ipynb", as_version=4)
    assert (
        english.cells[0].source == nbformat.read(tk.paths.NOTEBOOKS / "02_hit_tags.ipynb", as_version=4).cells[0].source
    )
