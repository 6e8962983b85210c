"""The parameter reference (docs/parameters.md), generated from the notebooks' own parameter cells.

Each notebook's ``parameters`` cell is the single source: its annotated literals give the name, type and
default, their trailing comments the help (papermill reads them the same way for ``--help-notebook``), and
the allowed values come from :data:`tagkit.parameters.PARAMETER_CONTRACTS`. ``make docs`` writes the file; a test
checks that it matches the notebooks.
"""

from __future__ import annotations

from pathlib import Path

from tagkit.parameters import DIMENSION_PARAMETERS, PARAMETER_CONTRACTS, SHARED_PARAMETERS, TEXT_PARAMETERS
from tagkit.paths import NOTEBOOKS
from tagkit.report import notebooks_in

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"


def parameter_reference(notebooks_dir=None) -> str:
    """The Markdown reference of every notebook's parameters."""
    import papermill

    lines = ["# Notebook parameters", "",
             "Generated from the notebooks' `parameters` cells by `make docs` (do not edit by hand; a test checks it).",
             "Set them in a `--params` file for `tagkit report` (a `shared` section and one section per notebook), "
             "with `papermill -p NAME VALUE`, or by editing the cell in JupyterLab.", ""]
    for notebook in notebooks_in(Path(notebooks_dir) if notebooks_dir else NOTEBOOKS):
        lines += [f"## `{notebook.stem}`", "", "| parameter | type | default | allowed | what it does |",
                  "|---|---|---|---|---|"]
        for name, spec in papermill.inspect_notebook(str(notebook)).items():
            allowed = "shared by every notebook" if name in SHARED_PARAMETERS else _allowed(name)
            lines.append(f"| `{name}` | {spec['inferred_type_name']} | `{spec['default']}` | {allowed} | "
                         f"{_cell(spec['help'])} |")
        lines.append("")
    return "\n".join(lines)


def write_parameter_reference(path=REFERENCE) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(parameter_reference(), encoding="utf-8")
    return path


def _allowed(name: str) -> str:
    if name in DIMENSION_PARAMETERS:
        return 'a dimension of the taxonomy, or `""`'
    if name in TEXT_PARAMETERS:
        return TEXT_PARAMETERS[name]
    contract = PARAMETER_CONTRACTS.get(name)
    if contract is None:
        return ""
    kind = contract[0]
    if kind == "choice":
        return ", ".join(f'`"{c}"`' for c in contract[1])
    if kind == "fraction":
        return "a share in (0, 1]"
    if kind == "bool":
        return "`True` or `False`"
    noun = "a whole number" if kind == "int" else "a number"
    return f"{noun} from {_number(contract[1])} to {_number(contract[2])}"


def _number(value) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _cell(text: str) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")
