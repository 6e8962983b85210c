"""Benchmark: tag intake at catalogue scale, from a Parquet export to the tag matrix.

    python bench/bench_intake.py                          # 10,000, 100,000 and 1,000,000 products
    python bench/bench_intake.py --products 100000

Generates (once, seeded) a wide Parquet catalogue of N products by resampling the demo catalogue's rows
(its 12 tag columns with their aliases, mixed case, Chinese values, several values per cell, unknown values
and empty cells) under new numeric ids, with the demo taxonomy. Then, in a fresh process per size (so that
its peak memory is its own), times each step a ``tagkit check`` or a notebook runs on it: reading and parsing
the catalogue, normalising the tags through the taxonomy, the tag-health table, and the one-hot tag matrix.
Each size runs three times: with ``TAGKIT_KEEP_MEMORY=off`` (glibc's and Arrow's defaults throughout); in a plain
Python process, as a notebook opened in JupyterLab, where each step keeps freed memory while it runs; and in a process
that keeps it from start to end, as the ``tagkit`` command and the batch's notebook kernels do (tagkit/_memory.py).
Prints a Markdown table, with the exponent of time against size between consecutive sizes (1 = linear), and the
steps' CPU time split into user and kernel: the kernel's share is mostly zeroing pages the process touches for the first
time, which on a virtual machine whose host takes freed memory back varies from day to day.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _measure import load_tagkit, peak_rss_gb

OUT = Path(__file__).resolve().parent / "out"
DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"
SIZES = (10_000, 100_000, 1_000_000)
STEPS = ("read", "normalise", "health", "encode")


def generate(n_products: int, seed: int = 11) -> Path:
    """A dataset folder whose catalogue is N resampled demo products in Parquet."""
    import pandas as pd
    import yaml

    folder = OUT / f"intake_{n_products}"
    if (folder / "dataset.yml").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    demo = yaml.safe_load((DEMO / "dataset.yml").read_text(encoding="utf-8"))
    columns = pd.read_csv(DEMO / "catalogue.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rng = np.random.default_rng(seed)
    frame = columns.iloc[rng.integers(0, len(columns), n_products)].reset_index(drop=True)
    frame[demo["catalogue"]["columns"]["product_id"]] = np.char.mod("%07d", np.arange(n_products) + 1_000_000)
    frame.to_parquet(folder / "catalogue.parquet", index=False)
    shutil.copy(DEMO / "taxonomy.yml", folder / "taxonomy.yml")
    (folder / "orders.csv").write_text("sku,ordered_at,qty\n1000000,2025-01-02,1\n", encoding="utf-8")
    spec = {
        "name": f"intake benchmark ({n_products:,} products)",
        "calendar": "quarters",
        "taxonomy": "taxonomy.yml",
        "catalogue": {**demo["catalogue"], "path": "catalogue.parquet"},
        "sales": {
            "path": "orders.csv",
            "kind": "order_lines",
            "columns": {"product_id": "sku", "date": "ordered_at", "quantity": "qty"},
        },
    }
    (folder / "dataset.yml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def measure(folder: str) -> dict:
    """Run in a child process: each step's seconds and the process's peak memory."""
    tk = load_tagkit()

    seconds = {}
    cpu = os.times()
    started = time.perf_counter()
    dataset = tk.open_dataset(folder)
    taxonomy = dataset.read_taxonomy()
    catalogue = dataset.read_catalogue("catalogue", taxonomy=taxonomy)
    seconds["read"] = time.perf_counter() - started
    started = time.perf_counter()
    tags = tk.normalise_tags(catalogue.raw_tags, taxonomy)
    seconds["normalise"] = time.perf_counter() - started
    started = time.perf_counter()
    health = tk.tag_health(tags, catalogue.products, taxonomy)
    seconds["health"] = time.perf_counter() - started
    started = time.perf_counter()
    matrix = tk.encode_tags(tags, taxonomy, products=catalogue.products)
    seconds["encode"] = time.perf_counter() - started
    done = os.times()
    return {
        "user_s": done.user - cpu.user,
        "kernel_s": done.system - cpu.system,
        "seconds": seconds,
        "products": len(catalogue.products),
        "raw_tags": len(tags),
        "problems": len(health),
        "items": matrix.shape[1],
        "peak_gb": peak_rss_gb(),
    }


PROCESSES = {
    "off": "TAGKIT_KEEP_MEMORY=off, glibc's and Arrow's defaults throughout",
    "plain": "a plain Python process (a notebook in JupyterLab), freed memory kept while each step runs",
    "kept": "freed memory kept, as the tagkit command and the batch's kernels run",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--process", choices=list(PROCESSES), nargs="+", default=list(PROCESSES), help="which kinds of process to time"
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--keep-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.keep_memory:  # first, as the tagkit command does: before pandas and Arrow are imported
            from tagkit._memory import keep_freed_memory

            keep_freed_memory()
        print(json.dumps(measure(args.child)))
        return
    results = []
    for n in args.products:
        folder = generate(n)
        for process in args.process:
            command = [sys.executable, __file__, "--child", str(folder)] + (["--keep-memory"] * (process == "kept"))
            env = {**os.environ, "TAGKIT_KEEP_MEMORY": "off"} if process == "off" else None
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            if done.returncode:
                sys.exit(done.stderr)
            results.append({"process": process, **json.loads(done.stdout.strip().splitlines()[-1])})
            total = sum(results[-1]["seconds"].values())
            print(f"  {n:,} products, {PROCESSES[process]}: {total:.1f} s", file=sys.stderr)
    print(
        "| products | process | raw tags | read (s) | normalise (s) | health (s) | encode (s) | total (s) | "
        "exponent vs previous size | CPU user / kernel (s) | peak memory (GB) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous = {}
    for r in results:
        total = sum(r["seconds"].values())
        before = previous.get(r["process"])
        exponent = f"{math.log(total / before[1]) / math.log(r['products'] / before[0]):.2f}" if before else ""
        print(
            f"| {r['products']:,} | {r['process']} | {r['raw_tags']:,} | "
            + " | ".join(f"{r['seconds'][s]:.2f}" for s in STEPS)
            + f" | {total:.2f} | {exponent} | {r['user_s']:.2f} / {r['kernel_s']:.2f} | {r['peak_gb']:.2f} |"
        )
        previous[r["process"]] = (r["products"], total)
    print("\nprocess: " + "; ".join(f"{k} = {v}" for k, v in PROCESSES.items() if k in args.process))


if __name__ == "__main__":
    main()
