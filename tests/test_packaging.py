"""An install that works outside a git clone: the wheel carries the notebooks and the bundled brands, and an
installed tagkit runs the quarterly batch from an empty folder, writing there and never into site-packages."""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_the_wheel_runs_the_batch_from_an_empty_folder(tmp_path):
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("tagkit_merch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n for n in names if n.startswith("tagkit/_bundled/notebooks/")) == [
        f"tagkit/_bundled/notebooks/{n}.ipynb" for n in ("01_tag_health", "02_hit_tags", "03_season_plan")
    ]
    assert {"tagkit/_bundled/data/demo/dataset.yml", "tagkit/_bundled/data/sparse/dataset.yml"} <= set(names)
    assert {"tagkit/locale/zh.yml", "tagkit/templates/tables.js"} <= set(names)  # the pages' words and script
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]

    # a fresh virtual environment with the wheel; its dependencies are this environment's (no download)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "tagkit_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    package = site / "tagkit"
    before = _files(package)

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"), "TAGKIT_PROGRESS": "off"}
    env.pop("TAGKIT_HOME", None)
    where = subprocess.run(
        [str(python), "-c", "import tagkit.paths as p; print(p.SOURCE_CHECKOUT, p.NOTEBOOKS)"],
        cwd=empty,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert where.split() == ["False", str(package / "_bundled" / "notebooks")]
    run = subprocess.run(
        [str(venv / "bin" / "tagkit"), "report", "--season", "2025Q4", "--quiet"],
        cwd=empty,
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert (empty / "reports" / "2025Q4" / "index.html").exists() and (
        empty / "reports" / "2025Q4" / "tagkit_2025Q4.xlsx"
    ).exists()
    copied = subprocess.run(
        [str(venv / "bin" / "tagkit"), "notebooks", "--language", "zh"],
        cwd=empty,
        capture_output=True,
        text=True,
        env=env,
    )
    assert copied.returncode == 0, copied.stderr[-3000:]
    assert sorted(p.name for p in (empty / "tagkit-notebooks-zh").glob("*.ipynb")) == [
        "01_tag_health.ipynb",
        "02_hit_tags.ipynb",
        "03_season_plan.ipynb",
    ]  # the notebooks to open in JupyterLab, in the working folder
    assert _files(package) == before  # nothing written into site-packages
    helped = subprocess.run(
        [str(venv / "bin" / "tagkit"), "demo", "--help"], cwd=empty, capture_output=True, text=True, env=env, check=True
    ).stdout
    assert f"(default:{empty.resolve() / 'data'}/<profile>)" in "".join(helped.split())  # tagkit demo writes here
