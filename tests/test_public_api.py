"""The public namespace: about forty verbs at the top, building blocks in sub-namespaces named by stage."""

import re
from pathlib import Path
from types import ModuleType

import pytest

import tagkit as tk

ROOT = Path(__file__).resolve().parent.parent
USERS = sorted([*(ROOT / "notebooks").glob("*.py"), *(ROOT / "tests").glob("*.py"), *(ROOT / "bench").glob("*.py")])
CHAIN = re.compile(r"(?<![\w.])tk((?:\.\w+)+)")


def test_the_top_holds_verbs_and_sub_namespaces():
    verbs = [name for name in tk.__all__ if not isinstance(getattr(tk, name), ModuleType)]
    modules = [name for name in tk.__all__ if isinstance(getattr(tk, name), ModuleType)]
    assert len(verbs) <= 45, verbs
    assert len(set(tk.__all__)) == len(tk.__all__)
    assert all(getattr(tk, name).__name__ == f"tagkit.{name}" for name in modules)
    assert {"plots", "io", "rules", "plan", "vocabulary"} <= set(modules)


@pytest.mark.parametrize("path", USERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebooks_tests_and_benchmarks_use_public_names(path):
    for match in CHAIN.finditer(path.read_text(encoding="utf-8")):
        parts = match.group(1).strip(".").split(".")
        if parts[0].startswith("__"):
            continue  # tk.__all__, tk.__version__
        assert parts[0] in tk.__all__, f"{path.name}: tk.{parts[0]} is not public (see tagkit/__init__.py)"
        target = tk
        for part in parts:
            if not isinstance(target, ModuleType):
                break  # an attribute of a public object (tk.vocabulary.MODEL_KINDS.values)
            assert hasattr(target, part), f"{path.name}: tk{match.group(1)} does not exist"
            target = getattr(target, part)
