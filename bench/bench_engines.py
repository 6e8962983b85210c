"""Benchmark: the same aggregation on DuckDB (embedded) and Spark (local mode), as order lines grow.

    python bench/bench_engines.py                       # 1e6, 1e7, 1e8 lines x 1e4, 1e5 and 1e6 products
    python bench/bench_engines.py --lines 1000000 --products 10000

Generates (once, seeded) Parquet order lines with bench_sales.py's generator, then aggregates each file
into product x season metrics with tagkit.read_sales on each engine, each run in its own process. It
prints the wall time of the whole run (Python and, for Spark, the JVM starting), the time of the
read_sales call alone, and the peak memory of the process tree (Spark's JVM is a child process),
sampled every 0.2 s. It checks that both engines give the same table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import load_tagkit  # noqa: E402
from bench_sales import generate  # noqa: E402


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def run(engine: str, orders: str, catalogue: str) -> dict:
    import pandas as pd

    tk = load_tagkit()

    spark = None
    if engine == "spark":
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "8g")
            .config("spark.sql.shuffle.partitions", "16")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
    products = pd.read_parquet(catalogue)
    started = time.perf_counter()
    sales = tk.read_sales(
        orders,
        products=products,
        latest_date="2030-01-01",
        engine=engine,
        spark=spark,
        columns={"date": "ordered_at", "quantity": "qty", "revenue": "line_total"},
    )
    seconds = time.perf_counter() - started
    digest = hashlib.sha256(sales.metrics.to_csv(index=False).encode()).hexdigest()
    return {"seconds": seconds, "rows": len(sales.metrics), "digest": digest, "lines": sales.rows_read}


def measure(engine: str, orders: Path, catalogue: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--run", engine, str(orders), str(catalogue)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode:
        return {"engine": engine, "error": err.strip().splitlines()[-1] if err.strip() else "failed", "wall": wall}
    return {"engine": engine, "wall": wall, "peak_gb": peak / 2**30, **json.loads(out.strip().splitlines()[-1])}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 10_000_000, 100_000_000])
    parser.add_argument("--products", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["duckdb", "spark"])
    parser.add_argument("--run", nargs=3, metavar=("ENGINE", "ORDERS", "CATALOGUE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(*args.run)))
        return
    print(f"machine: {os.cpu_count()} cores\n")
    print(
        "| order lines | products | engine | whole run (s) | read_sales (s) | peak memory (GB) | product x season rows "
        "| same table |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for lines in args.lines:
        for n_products in args.products:
            orders, catalogue = generate(lines, n_products=n_products)
            results = [measure(e, orders, catalogue) for e in args.engines]
            digests = {r.get("digest") for r in results if "digest" in r}
            for r in results:
                if "error" in r:
                    print(f"| {lines:,} | {n_products:,} | {r['engine']} | failed: {r['error']} | | | | |", flush=True)
                    continue
                print(
                    f"| {lines:,} | {n_products:,} | {r['engine']} | {r['wall']:.1f} | {r['seconds']:.1f} | "
                    f"{r['peak_gb']:.2f} | {r['rows']:,} | {'yes' if len(digests) == 1 else 'NO'} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
