"""The parameter reference in docs/ is the notebooks' parameter cells, as they are now."""

import nbformat
import papermill

from tagkit.parameters import DIMENSION_PARAMETERS, PARAMETER_CONTRACTS, SHARED_PARAMETERS, TEXT_PARAMETERS
from tagkit.paths import NOTEBOOKS
from tagkit.reference import GUIDE, REFERENCE, parameter_reference, reading_guide


def test_the_reference_in_docs_is_current():
    assert REFERENCE.read_text(encoding="utf-8") == parameter_reference(), (
        "run `make docs` and commit docs/parameters.md"
    )


def test_every_parameter_of_every_notebook_is_listed_with_its_default_and_help():
    text = parameter_reference()
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        section = text.split(f"## `{notebook.stem}`", 1)[1].split("\n## ", 1)[0]
        for name, spec in papermill.inspect_notebook(str(notebook)).items():
            row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
            assert f"`{spec['default']}`" in row and spec["help"].replace("|", "\\|") in row
            assert (
                name in PARAMETER_CONTRACTS
                or name in SHARED_PARAMETERS
                or name in DIMENSION_PARAMETERS
                or name in TEXT_PARAMETERS
            ), name  # every parameter has its allowed values


def test_the_reading_guide_in_docs_is_the_notebooks_text():
    assert GUIDE.read_text(encoding="utf-8") == reading_guide(), "run `make docs` and commit docs/reports.md"
    guide = reading_guide()
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "markdown":  # every paragraph of every notebook's text is in the guide, once
                for paragraph in cell.source.split("\n\n"):
                    if not paragraph.startswith("#"):
                        assert guide.count(paragraph) >= 1, paragraph[:80]
    assert guide.count("\n## ") == len(sorted(NOTEBOOKS.glob("*.ipynb")))  # one section per report
