"""Project folders, computed from the package so that nothing depends on where a command is typed.

In a source checkout (a clone of the repository) the notebooks, the bundled brands and the reports are the
repository's folders. In an installed wheel the notebooks and the bundled brands are package data
(``tagkit/_bundled``, read only), and what tagkit writes for the user (reports, regenerated brands) goes to the
working directory, or to ``$TAGKIT_HOME`` when it is set: never into site-packages.
"""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
SOURCE_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "notebooks").is_dir()
BUNDLED = PACKAGE / "_bundled"  # in a wheel: notebooks/ and data/ (see setup.py)

if SOURCE_CHECKOUT:
    DATA = ROOT / "data"
    NOTEBOOKS = ROOT / "notebooks"
    HOME = ROOT
else:
    DATA = BUNDLED / "data"
    NOTEBOOKS = BUNDLED / "notebooks"
    HOME = Path(os.environ.get("TAGKIT_HOME") or Path.cwd())
DEMO_DATA = DATA / "demo"
REPORTS = HOME / "reports"
USER_DATA = HOME / "data"  # where `tagkit demo` writes a brand: the repository's data/, or ./data when installed
