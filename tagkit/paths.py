"""Project folders, computed from the package so that nothing depends on the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEMO_DATA = DATA / "demo"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
