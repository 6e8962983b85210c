"""Benchmark: every rule ``X => hit`` with support >= 0.1% and up to 4 tags, three ways.

    python bench/bench_rules.py --products 100000 1000000

Generates (seeded, once per size, in bench/out/) a catalogue with 12 dimensions and about 450
tag values, 7% hits driven by a few tag combinations, then mines it with
(a) the plain mlxtend pipeline: fpgrowth over the one-hot matrix with a hit column, then
    association_rules, keeping the rules whose consequent is the hit (only up to --mlxtend-max);
(b) pyfim's arules with the hit as the only head item (rule support = body and head), when pyfim
    is installed (`pip install pyfim`; it is not a dependency of tagkit);
(c) tagkit.mine_hit_rules;
(e) the practical limit (bench/_limit.py): the bitset search on the hit rows and a log-space Fisher tail,
    compiled with numba, nothing else (numba is installed for the benchmark only);
(d) tagkit.mine_hit_rules(engine="spark"): Spark MLlib's FPGrowth on the hit rows, in local mode
    (local[*]), when pyspark is installed (the session is started before the clock).
Each runs in its own process (pyfim, the limit and tagkit --repeat times, in turn, the median shown; tagkit's time
over the limit's is the median of the rounds' ratios); the time is the
mining call alone (inputs already in memory, in
the form each method takes) and the memory is the process's peak resident set minus what it
held before mining (for Spark, the peak of the Python process and of Spark's JVM together). The
script checks that every method finds the same rules with the same counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _measure import load_tagkit, peak_rss_gb

OUT = Path(__file__).resolve().parent / "out"
DIMENSION_SIZES = [20, 60, 45, 30, 25, 50, 35, 40, 30, 25, 40, 50]  # 450 tag values
MIN_SUPPORT, MAX_TAGS = 0.001, 4


def generate(n: int, seed: int = 11) -> Path:
    path = OUT / f"rules_{n}.npz"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(seed)
    offsets = np.cumsum([0] + DIMENSION_SIZES)
    codes = np.empty((n, len(DIMENSION_SIZES)), dtype=np.int32)
    for d, size in enumerate(DIMENSION_SIZES):
        popularity = 1 / np.arange(1, size + 1) ** 0.9  # a few values are common, most are rare
        codes[:, d] = rng.choice(size, n, p=popularity / popularity.sum())
    logit = np.full(n, -2.7)
    for combo, effect in [
        (((0, 1), (2, 3)), 2.2),
        (((1, 0), (4, 2), (5, 1)), 2.6),
        (((6, 4), (7, 0)), 1.8),
        (((3, 2), (8, 5)), 1.6),
    ]:
        logit += effect * np.logical_and.reduce([codes[:, d] == v for d, v in combo])
    hits = rng.random(n) < 1 / (1 + np.exp(-logit))
    items = codes + offsets[:-1]
    np.savez_compressed(path, items=items, hits=hits, n_items=offsets[-1])
    return path


def _load(path: Path):
    data = np.load(path)
    items, hits, n_items = data["items"], data["hits"], int(data["n_items"])
    matrix = np.zeros((len(items), n_items), dtype=bool)
    matrix[np.arange(len(items))[:, None], items] = True
    names = []
    for d, size in enumerate(DIMENSION_SIZES):
        names += [f"d{d:02d}=v{v:02d}" for v in range(size)]
    return matrix, hits, names


def _rss_gb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**30


def _jvm_peak_gb() -> float:
    """The peak resident set of this process's children (Spark's JVM), 0 without any."""
    total = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "VmHWM" in fields:
            total += int(fields["VmHWM"].split()[0]) / 2**20
    return total


def run(method: str, path: str) -> dict:
    import pandas as pd
    import scipy.stats  # noqa: F401  every library is imported before the clock starts

    matrix, hits, names = _load(Path(path))
    n = len(matrix)
    min_count = int(np.ceil(MIN_SUPPORT * n - 1e-9))
    if method == "mlxtend":
        from mlxtend.frequent_patterns import association_rules, fpgrowth

        frame = pd.DataFrame(matrix, columns=names).assign(hit=hits)
        before = _rss_gb()
        start = time.perf_counter()
        itemsets = fpgrowth(frame, min_support=MIN_SUPPORT, max_len=MAX_TAGS + 1, use_colnames=True)
        rules = association_rules(itemsets, num_itemsets=n, metric="confidence", min_threshold=0.0)
        rules = rules[rules["consequents"] == frozenset({"hit"})]
        seconds = time.perf_counter() - start
        found = {
            ",".join(sorted(a)): (int(round(s * n)), int(round(b * n)))
            for a, s, b in zip(rules["antecedents"], rules["support"], rules["antecedent support"])
        }
    elif method == "pyfim":
        import fim

        transactions = [
            [names[j] for j in np.flatnonzero(row)] + (["hit"] if h else []) for row, h in zip(matrix, hits)
        ]
        before = _rss_gb()
        start = time.perf_counter()
        rules = fim.arules(
            transactions,
            supp=-min_count,
            conf=0,
            zmin=2,
            zmax=MAX_TAGS + 1,
            report="ab",
            mode="o",
            appear={None: "a", "hit": "c"},
        )
        seconds = time.perf_counter() - start
        found = {",".join(sorted(body)): (int(a), int(b)) for head, body, a, b in rules if head == "hit"}
    elif method == "limit":
        import _limit

        _limit.warm_up()  # compiled before the clock starts
        frame = pd.DataFrame(matrix, columns=names)  # the input tagkit takes
        before = _rss_gb()
        start = time.perf_counter()
        items, n_hits, n_all, _ = _limit.mine(frame.to_numpy(dtype=bool), hits, min_hits=min_count, max_size=MAX_TAGS)
        seconds = time.perf_counter() - start
        found = {
            ",".join(sorted(names[i] for i in row if i >= 0)): (int(h), int(a))
            for row, h, a in zip(items, n_hits, n_all)
        }
    else:
        tk = load_tagkit()

        spark = None
        if method == "spark":
            from tagkit.io.engines import spark_session

            spark = spark_session()
            spark.range(1).count()  # the JVM is up before the clock starts
        frame = pd.DataFrame(matrix, columns=names)
        before = _rss_gb() + _jvm_peak_gb()
        start = time.perf_counter()
        rules = tk.mine_hit_rules(
            frame, hits, min_hits=1, min_support=MIN_SUPPORT, max_size=MAX_TAGS, min_lift=0, max_q=1, spark=spark
        )
        seconds = time.perf_counter() - start
        found = {
            ",".join(sorted(items)): (int(h), int(p))
            for items, h, p in zip(rules["items"], rules["n_hits"], rules["n_products"])
        }
    peak = peak_rss_gb() + _jvm_peak_gb()
    digest = hashlib.sha256(json.dumps(sorted(found.items())).encode()).hexdigest()
    return {
        "seconds": seconds,
        "extra_gb": max(peak - before, 0.0),
        "peak_gb": peak,
        "rules": len(found),
        "digest": str(digest),
        "hit_share": float(hits.mean()),
    }


def _run_child(method: str, path: Path) -> dict | str:
    """One method in a fresh process: its result, or the last line of its error."""
    proc = subprocess.run([sys.executable, __file__, "--run", method, str(path)], capture_output=True, text=True)
    if proc.returncode:
        return proc.stderr.strip().splitlines()[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--mlxtend-max", type=int, default=100_000, help="largest catalogue given to mlxtend")
    parser.add_argument("--spark-max", type=int, default=1_000_000, help="largest catalogue given to Spark")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of pyfim, the practical limit and tagkit (fresh processes); the median is shown",
    )
    parser.add_argument("--run", nargs=2, metavar=("METHOD", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(*args.run)))
        return
    methods = ["mlxtend", "pyfim", "limit", "tagkit", "spark"]
    for method, module, how in (
        ("pyfim", "fim", "pip install pyfim"),
        ("limit", "numba", "pip install numba"),
        ("spark", "pyspark", "pip install 'tagkit[spark]'"),
    ):
        try:
            __import__(module)
        except ImportError:
            print(f"{module} is not installed ({how}): its rows are left out.", file=sys.stderr)
            methods.remove(method)
    print(
        "| products | hit share | method | mining time (s) | extra memory (GB) | peak memory (GB) | rules | "
        "same rules and counts as tagkit |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---|")
    for n in args.products:
        path = generate(n)
        chosen = [
            m
            for m in methods
            if not ((m == "mlxtend" and n > args.mlxtend_max) or (m == "spark" and n > args.spark_max))
        ]
        repeated = [m for m in chosen if m in ("pyfim", "limit", "tagkit")]
        # the repeated methods in turn (pyfim, limit, tagkit, pyfim, ...), so that a drift of the shared machine's
        # speed falls on all of them alike; tagkit's time over the limit's is then taken round by round
        order = [m for m in chosen if m not in repeated] + repeated * args.repeat
        runs: dict[str, list[dict]] = {}
        failed: set[str] = set()
        for method in order:
            if method in failed:
                continue
            result = _run_child(method, path)
            if isinstance(result, str):
                print(f"| {n:,} | | {method} | failed: {result} | | | | |")
                failed.add(method)
            else:
                runs.setdefault(method, []).append(result)
        results = {  # the run of median time
            m: sorted(runs[m], key=lambda r: r["seconds"])[(len(runs[m]) - 1) // 2]
            for m in chosen
            if m in runs and m not in failed
        }
        reference = results.get("tagkit", {}).get("digest")
        for method, r in results.items():
            same = "yes" if r["digest"] == reference else "NO"
            print(
                f"| {n:,} | {r['hit_share']:.1%} | {method} | {r['seconds']:.3f} | {r['extra_gb']:.2f} | "
                f"{r['peak_gb']:.2f} | {r['rules']:,} | {same if method != 'tagkit' else '-'} |",
                flush=True,
            )
        if "tagkit" in results:
            for method in ("mlxtend", "pyfim"):
                if method in results:
                    print(
                        f"|  |  | tagkit vs {method} | {results[method]['seconds'] / results['tagkit']['seconds']:.1f}x "
                        "faster | | | | |"
                    )
            if "limit" in results:
                ratios = sorted(t["seconds"] / lim["seconds"] for t, lim in zip(runs["tagkit"], runs["limit"]))
                print(
                    f"|  |  | tagkit vs the practical limit | {ratios[(len(ratios) - 1) // 2]:.2f}x its time "
                    f"(median of {len(ratios)} rounds; {ratios[0]:.2f}-{ratios[-1]:.2f}x) | | | | |"
                )


if __name__ == "__main__":
    main()
