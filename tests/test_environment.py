"""Project hygiene: environment.yml agrees with pyproject.toml; notebooks are thin and stored clean."""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"duckdb": "python-duckdb", "matplotlib": "matplotlib-base"}
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [_split(r) for r in project["dependencies"] + extras["test"] + extras["spark"]]
    expected = {CONDA_NAMES.get(name, name): spec for name, spec in wanted}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = dict(_split(d) for d in listed if not d.startswith(("python", "pip", "openjdk")))
    conda.update(_split(d) for d in listed if d.startswith("python-"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda.update(_split(d) for d in pip if d != "-e .")
    assert conda == expected
    assert pip[-1] == "-e ." and any(d.startswith("openjdk>=17") for d in listed)
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python>"))
    assert python.removeprefix("python") == project["requires-python"]


def test_lock_pins_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    extras = project["optional-dependencies"]
    for name, _ in (_split(r) for r in project["dependencies"] + extras["test"] + extras["spark"]):
        assert name.replace("_", "-") in pinned


def test_the_readme_gives_every_step_of_the_makefile_without_make():
    """The README's lines for a machine without make (Windows) are the Makefile's own recipes, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").replace("'", '"')
    recipes, target = {}, None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if re.match(r"^[\w-]+:", line):
            target = line.split(":")[0]
        elif line.startswith("\t") and target and "$(BIN)/" in line and "pip install" not in line:
            command = line.strip().replace("$(BIN)/", ".venv/bin/").replace("$(SEASON)", "2025Q4")
            recipes.setdefault(target, []).append(command.replace("'", '"'))
    lines = {line.split("  #")[0].strip() for line in readme.splitlines()}  # a command, without its comment
    for target in ("report", "test", "demo", "docs", "screenshot", "bench"):
        assert any(c in lines for c in recipes[target]), f"make {target}: none of {recipes[target]} is in the README"
    for target in ("report", "test", "demo", "docs"):
        assert all(c in lines for c in recipes[target]), (target, recipes[target])


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_clean_and_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "stored with outputs"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one 'parameters' cell"
    for line in "".join(tagged[0]["source"]).splitlines():
        assert re.match(r"^\w+: \w+ = .+  # .+$", line), f"annotated literal with a comment: {line!r}"
    for cell in code:
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class|for|while)\s", source, re.M), source
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][0]["source"][0].startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_reads_every_parameter_with_its_help(path):
    import papermill as pm

    parameters = pm.inspect_notebook(str(path))
    source = next(
        "".join(c["source"])
        for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    assert len(parameters) == len(source.splitlines())
    for name, info in parameters.items():
        assert info["inferred_type_name"] != "None" and info["help"], name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_paired_with_their_text_form(path):
    """notebooks/*.py (jupytext percent format) holds the same cells: review the .py, run the .ipynb."""
    import jupytext

    text = jupytext.read(path.with_suffix(".py"))
    notebook = jupytext.read(path)

    def cells(nb):
        return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(text) == cells(notebook), f"run: jupytext --sync {path.relative_to(ROOT)}"


def test_every_relative_link_of_the_readme_and_docs_resolves():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name}: the link {target} leads nowhere"
