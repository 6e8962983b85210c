"""Packaging: pyproject.toml holds everything but one step. A wheel also carries the notebooks and the bundled
brands (data/demo, data/sparse) as package data under tagkit/_bundled, so that an installed tagkit runs
`tagkit report` on the demo brand from any folder (tagkit/paths.py finds them there)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLE = {"notebooks": ROOT / "notebooks", "data/demo": ROOT / "data" / "demo", "data/sparse": ROOT / "data" / "sparse"}


class BuildWithBundle(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the repository's own folders
        target = Path(self.build_lib) / "tagkit" / "_bundled"
        for name, source in BUNDLE.items():
            shutil.copytree(
                source,
                target / name,
                ignore=shutil.ignore_patterns("*.py", "__pycache__", ".ipynb_checkpoints"),
                dirs_exist_ok=True,
            )


setup(cmdclass={"build_py": BuildWithBundle})
