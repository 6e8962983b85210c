"""Benchmark: writing a table of N rows to an Excel workbook, tagkit against pandas' own writers.

    python bench/bench_exports.py                 # 200,000 rows
    python bench/bench_exports.py --rows 50000

The table looks like the label sheet of hit_tags.xlsx: ids, season, four numbers, a share, a flag and a
tag text. tagkit writes formatted sheets (bold frozen header, widths, percentages, filters, text never a
formula, reproducible bytes) with its own SpreadsheetML writer; pandas' ``to_excel`` with openpyxl and with
XlsxWriter (``make bench`` installs it; tagkit used each before) write plain sheets. Each writer runs in turn,
the best of --repeat runs is shown. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import load_tagkit

import tagkit as tk

load_tagkit()  # every module of tagkit imported before any clock starts


def table(rows: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "product_id": np.char.mod("%07d", rng.integers(0, 10**7, rows)).astype(object),
            "season": rng.choice(["2025Q1", "2025Q2", "2025Q3", "2025Q4"], rows),
            "units": rng.poisson(3, rows),
            "revenue": rng.gamma(2, 300, rows).round(2),
            "units_per_week": rng.gamma(1, 0.4, rows).round(3),
            "days_on_sale": rng.integers(1, 92, rows),
            "share": rng.uniform(0, 1, rows),
            "is_hit": rng.uniform(0, 1, rows) < 0.075,
            "tags": rng.choice(
                ["category=dress, colour=black", "category=coat, pattern=check", "=1+1 (not a formula)"], rows
            ),
        }
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = table(args.rows)
    folder = Path(tempfile.mkdtemp())
    writers = {
        "tagkit write_excel (formatted)": lambda p: tk.write_excel({"labels": frame}, p, percent=["share"]),
        "pandas to_excel, openpyxl": lambda p: frame.to_excel(p, sheet_name="labels", index=False, engine="openpyxl"),
        "pandas to_excel, XlsxWriter": lambda p: frame.to_excel(
            p, sheet_name="labels", index=False, engine="xlsxwriter"
        ),
    }
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        print("XlsxWriter is not installed (make bench installs it): its row is left out.")
        del writers["pandas to_excel, XlsxWriter"]
    best = {}
    try:
        for _ in range(args.repeat):
            for name, write in writers.items():
                started = time.perf_counter()
                write(folder / "out.xlsx")
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"| writer ({args.rows:,} rows x {frame.shape[1]} columns) | best of {args.repeat} (s) | rows per second |")
    print("|---|---:|---:|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.2f} | {args.rows / seconds:,.0f} |")


if __name__ == "__main__":
    main()
