"""The house's lint rules and format (pyproject.toml, [tool.ruff]) hold on the package, the tests and the benchmarks."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is part of the test extra (pip install -e '.[test]')")
    done = subprocess.run([ruff, "check", "tagkit", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_ruff_format_leaves_everything_as_it_is():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is part of the test extra (pip install -e '.[test]')")
    done = subprocess.run(
        [ruff, "format", "--check", "tagkit", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, "run: ruff format tagkit tests bench\n" + done.stdout[-4000:] + done.stderr[-2000:]
