"""The documents generated from the notebooks: the parameter reference (docs/parameters.md) and the guide to
reading the reports (docs/reports.md).

Each notebook's ``parameters`` cell is the single source of its parameters: its annotated literals give the
name, type and default, their trailing comments the help (papermill reads them the same way for
``--help-notebook``), and the allowed values come from :data:`tagkit.parameters.PARAMETER_CONTRACTS`. Each
notebook's markdown cells are the single source of how to read its page: the guide is those cells, in order.
``make docs`` writes both files; a test checks that they match the notebooks.
"""

from __future__ import annotations

from pathlib import Path

from tagkit.parameters import DIMENSION_PARAMETERS, PARAMETER_CONTRACTS, SHARED_PARAMETERS, TEXT_PARAMETERS
from tagkit.paths import NOTEBOOKS
from tagkit.report import notebooks_in

DOCS = Path(__file__).resolve().parent.parent / "docs"
REFERENCE = DOCS / "parameters.md"
GUIDE = DOCS / "reports.md"


def parameter_reference(notebooks_dir=None) -> str:
    """The Markdown reference of every notebook's parameters."""
    import papermill

    lines = [
        "# Notebook parameters",
        "",
        "Generated from the notebooks' `parameters` cells by `make docs` (do not edit by hand; a test checks it).",
        "Set them in a `--params` file for `tagkit report` (a `shared` section and one section per notebook), "
        "with `papermill -p NAME VALUE`, or by editing the cell in JupyterLab.",
        "",
    ]
    for notebook in notebooks_in(Path(notebooks_dir) if notebooks_dir else NOTEBOOKS):
        lines += [
            f"## `{notebook.stem}`",
            "",
            "| parameter | type | default | allowed | what it does |",
            "|---|---|---|---|---|",
        ]
        for name, spec in papermill.inspect_notebook(str(notebook)).items():
            allowed = "shared by every notebook" if name in SHARED_PARAMETERS else _allowed(name)
            lines.append(
                f"| `{name}` | {spec['inferred_type_name']} | `{spec['default']}` | {allowed} | {_cell(spec['help'])} |"
            )
        lines.append("")
    return "\n".join(lines)


def reading_guide(notebooks_dir=None) -> str:
    """The merchandiser's guide to the reports: every notebook's markdown cells, in order, one level down."""
    import nbformat

    lines = [
        "# Reading the reports",
        "",
        "Generated from the notebooks' own text by `make docs` (do not edit by hand; a test checks it): what "
        "each page of a season's reports shows and how to read it, in the order of the page. The index page "
        "and the exports are described in the README.",
        "",
    ]
    for notebook in notebooks_in(Path(notebooks_dir) if notebooks_dir else NOTEBOOKS):
        texts = [cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "markdown"]
        for i, text in enumerate(texts):
            lines += ["\n".join(f"#{line}" if line.startswith("#") else line for line in text.splitlines()), ""]
            if i == 0:
                lines += [
                    f"*The page `{notebook.stem}.html` of a season's reports; the notebook "
                    f"`notebooks/{notebook.name}`.*",
                    "",
                ]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_docs(reference=REFERENCE, guide=GUIDE) -> list[Path]:
    """Write the parameter reference and the reading guide (``make docs``)."""
    written = []
    for path, text in ((Path(reference), parameter_reference()), (Path(guide), reading_guide())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _allowed(name: str) -> str:
    if name in DIMENSION_PARAMETERS:
        return 'a dimension of the taxonomy, or `""`'
    if name in TEXT_PARAMETERS:
        return TEXT_PARAMETERS[name]
    contract = PARAMETER_CONTRACTS.get(name)
    return contract.words() if contract is not None else ""


def _cell(text: str) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")
