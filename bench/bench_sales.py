"""Benchmark: order lines -> product x season metrics, three ways.

    python bench/bench_sales.py --lines 50000000

Generates (once, seeded) a Parquet file of order lines in bench/out/, then aggregates it with
(a) tagkit.read_sales, (b) the equivalent hand-written DuckDB query, which adds up its per-product
table inside DuckDB (the target's peer), (c) the same query handed back as a pandas frame, as
tagkit's table is, (d) plain pandas. Each runs in its own process, so that its peak memory (max
RSS) is its own. Prints a table, and checks that every method gives the same totals.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _measure import peak_rss_gb

OUT = Path(__file__).resolve().parent / "out"
N_PRODUCTS = 100_000


def generate(lines: int, seed: int = 7, n_products: int = N_PRODUCTS) -> tuple[Path, Path]:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    OUT.mkdir(exist_ok=True)
    tag = "" if n_products == N_PRODUCTS else f"_{n_products}"
    orders, catalogue = OUT / f"order_lines_{lines}{tag}.parquet", OUT / f"catalogue{tag}.parquet"
    if orders.exists() and catalogue.exists():
        return orders, catalogue
    rng = np.random.default_rng(seed)
    ids = np.array([f"{i:07d}" for i in range(n_products)])
    launch = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 900, n_products), unit="D")
    pd.DataFrame({"product_id": ids, "launch_date": launch}).to_parquet(catalogue, index=False)
    popularity = rng.lognormal(0, 1.2, n_products)
    popularity /= popularity.sum()
    schema = pa.schema(
        [
            ("product_id", pa.string()),
            ("ordered_at", pa.timestamp("us")),
            ("qty", pa.int32()),
            ("line_total", pa.float64()),
            ("channel", pa.string()),
        ]
    )
    chunk = 5_000_000
    with pq.ParquetWriter(orders.with_suffix(".tmp"), schema, compression="zstd") as writer:
        for start in range(0, lines, chunk):
            n = min(chunk, lines - start)
            who = rng.choice(n_products, n, p=popularity)
            days = rng.exponential(60, n).astype("int64")
            when = launch.values[who] + (days * 86400 + rng.integers(0, 86400, n)).astype("timedelta64[s]")
            qty = rng.choice(np.array([1, 1, 1, 2, 3, -1], dtype=np.int32), n)
            table = pa.table(
                {
                    "product_id": ids[who],
                    "ordered_at": when.astype("datetime64[us]"),
                    "qty": qty,
                    "line_total": np.round(qty * rng.uniform(50, 900, n), 2),
                    "channel": np.array(["web", "tmall", "store"])[rng.integers(0, 3, n)],
                },
                schema=schema,
            )
            writer.write_table(table)
            print(f"  generated {start + n:,} / {lines:,} lines", file=sys.stderr)
    orders.with_suffix(".tmp").rename(orders)
    return orders, catalogue


# --- the three methods, each run as `python bench_sales.py --run METHOD FILE CATALOGUE` -------------
def run_tagkit(orders: str, catalogue: str) -> dict:
    import pandas as pd

    import tagkit as tk

    products = pd.read_parquet(catalogue)
    sales = tk.read_sales(
        orders,
        products=products,
        latest_date="2030-01-01",
        columns={"date": "ordered_at", "quantity": "qty", "revenue": "line_total"},
    )
    m = sales.metrics[sales.metrics["lines"] > 0]
    return {
        "rows": len(m),
        "units": int(m["units"].sum()),
        "returns": int(m["returns"].sum()),
        "revenue": round(float(m["revenue"].sum()), 2),
    }


HAND_QUERY = """
    SELECT o.product_id, year(ordered_at) || 'Q' || quarter(ordered_at) AS season,
           sum(greatest(qty, 0)) AS units, sum(greatest(-qty, 0)) AS returns,
           sum(line_total) AS revenue, min(ordered_at) AS first_sale, max(ordered_at) AS last_sale
    FROM read_parquet('{orders}') o
    WHERE o.product_id IN (SELECT product_id FROM read_parquet('{catalogue}'))
    GROUP BY ALL"""


def run_duckdb(orders: str, catalogue: str) -> dict:
    import duckdb

    con = duckdb.connect()
    query = HAND_QUERY.format(orders=orders, catalogue=catalogue)
    totals = f"SELECT count(*), sum(units), sum(returns), round(sum(revenue), 2) FROM ({query})"
    rows = con.execute(totals).fetchall()[0]
    return {"rows": rows[0], "units": int(rows[1]), "returns": int(rows[2]), "revenue": float(rows[3])}


def run_duckdb_frame(orders: str, catalogue: str) -> dict:
    """The same query, its product x season table handed back as a pandas frame (what tagkit returns)."""
    import duckdb
    import pandas as pd  # noqa: F401  imported by .df() anyway; named so that its cost is plain

    frame = duckdb.connect().sql(HAND_QUERY.format(orders=orders, catalogue=catalogue)).df()
    return {
        "rows": len(frame),
        "units": int(frame["units"].sum()),
        "returns": int(frame["returns"].sum()),
        "revenue": round(float(frame["revenue"].sum()), 2),
    }


def run_pandas(orders: str, catalogue: str) -> dict:
    import pandas as pd

    lines = pd.read_parquet(orders, columns=["product_id", "ordered_at", "qty", "line_total"])
    known = set(pd.read_parquet(catalogue)["product_id"])
    lines = lines[lines["product_id"].isin(known)]
    lines["season"] = lines["ordered_at"].dt.to_period("Q").astype(str)
    lines["units"] = lines["qty"].clip(lower=0)
    lines["returns"] = (-lines["qty"]).clip(lower=0)
    agg = lines.groupby(["product_id", "season"]).agg(
        units=("units", "sum"),
        returns=("returns", "sum"),
        revenue=("line_total", "sum"),
        first=("ordered_at", "min"),
        last=("ordered_at", "max"),
    )
    return {
        "rows": len(agg),
        "units": int(agg["units"].sum()),
        "returns": int(agg["returns"].sum()),
        "revenue": round(float(agg["revenue"].sum()), 2),
    }


METHODS = {
    "tagkit read_sales": run_tagkit,
    "hand-written DuckDB": run_duckdb,
    "hand-written DuckDB, to a pandas frame": run_duckdb_frame,
    "plain pandas": run_pandas,
}


def measure(method: str, orders: Path, catalogue: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--run", method, str(orders), str(catalogue)], capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return {"method": method, "error": proc.stderr.strip().splitlines()[-1], "wall_s": wall}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"method": method, "wall_s": wall, **result}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=50_000_000, help="order lines to generate (default 50M)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; the fastest is reported")
    parser.add_argument("--skip", action="append", default=[], help="skip a method (e.g. 'plain pandas')")
    parser.add_argument("--run", nargs=3, metavar=("METHOD", "ORDERS", "CATALOGUE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        method, orders, catalogue = args.run
        result = METHODS[method](orders, catalogue)
        result["peak_rss_gb"] = peak_rss_gb()
        print(json.dumps(result))
        return
    orders, catalogue = generate(args.lines)
    print(
        f"{args.lines:,} order lines ({orders.stat().st_size / 2**20:,.0f} MB Parquet), {N_PRODUCTS:,} products; "
        f"machine: {__import__('os').cpu_count()} cores"
    )
    results = []
    for method in METHODS:
        if method in args.skip:
            continue
        runs = [measure(method, orders, catalogue) for _ in range(args.repeat)]
        results.append(min(runs, key=lambda r: r["wall_s"]))
    base = next((r["wall_s"] for r in results if r["method"] == "hand-written DuckDB"), None)
    print("\n| method | wall time (s) | vs hand-written DuckDB | peak memory (GB) | product x season rows | units |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        if "error" in r:
            print(f"| {r['method']} | failed: {r['error']} | | | | |")
            continue
        ratio = f"{r['wall_s'] / base:.2f}x" if base else ""
        print(
            f"| {r['method']} | {r['wall_s']:.1f} | {ratio} | {r['peak_rss_gb']:.2f} | {r['rows']:,} | {r['units']:,} |"
        )
    totals = {(r["rows"], r["units"], r["returns"], round(r["revenue"])) for r in results if "error" not in r}
    print("\nsame totals from every method:", "yes" if len(totals) == 1 else f"NO: {totals}")


if __name__ == "__main__":
    main()
