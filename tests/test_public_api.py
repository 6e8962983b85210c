"""The public namespace: about forty verbs at the top, building blocks in sub-namespaces named by stage."""

import re
import subprocess
import sys
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


def test_every_public_name_resolves_and_is_listed():
    assert set(tk.__all__) <= set(dir(tk))
    with pytest.raises(AttributeError, match="no attribute 'read_sale'"):
        getattr(tk, "read_sale")  # noqa: B009


def test_import_is_lazy_and_the_backtest_verb_survives_its_module():
    """`import tagkit` loads no module of the package until a name is used; importing the module
    tagkit.backtest (as the report runner does) does not turn the verb tk.backtest into that module."""
    script = (
        "import sys, types; import tagkit as tk\n"
        "print(sorted(m for m in sys.modules if m.startswith('tagkit.')))\n"
        "import tagkit.report\n"
        "print(isinstance(tk.backtest, types.FunctionType), tk.backtest.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "True tagkit.backtest"]


def test_every_name_the_notebooks_tests_and_benchmarks_use_resolves_in_a_fresh_interpreter():
    """The walk above runs where other tests have imported much of tagkit already; a lazy import must not depend
    on that (tk.io.writers once resolved only when some other module had imported it)."""
    chains = sorted({m.group(1) for path in USERS for m in CHAIN.finditer(path.read_text(encoding="utf-8"))})
    chains = [c for c in chains if not c.strip(".").startswith("__")]
    script = (
        "import sys, types; import tagkit as tk\n"
        "for chain in sys.argv[1:]:\n"
        "    target = tk\n"
        "    for part in chain.strip('.').split('.'):\n"
        "        if not isinstance(target, types.ModuleType):\n"
        "            break\n"
        "        if not hasattr(target, part):\n"
        "            print('tk' + chain)\n"
        "            break\n"
        "        target = getattr(target, part)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *chains], capture_output=True, text=True, check=True)
    assert len(chains) > 100 and done.stdout.splitlines() == []
