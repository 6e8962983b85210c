"""Benchmark: the demo generator and the whole quarterly batch as the brand grows (1x, 10x, 50x the demo).

    python bench/bench_scale.py                   # scales 1 and 10
    python bench/bench_scale.py --scales 1 10 50  # 50x writes a brand of about a million products (long)

For each scale, in fresh processes: ``tagkit demo --scale S`` writes the brand into bench/out/demo_S (timed;
kept for the next run), then ``tagkit report --quiet`` runs the three notebooks on it with an empty disk cache
(a cold batch: the first notebook that loads the brand reads every input) and again with the cache it left (a
warm batch, as a re-run with unchanged inputs, into the same reports folder). The runner's default: one
notebook per core at once. Prints a Markdown table, and the exponent of a power law
fitted to time against products (1 = linear).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent / "out"
TAGKIT = Path(sys.executable).with_name("tagkit")


def run(command: list[str], env: dict | None = None, *, may_fail: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if done.returncode and not may_fail:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return time.perf_counter() - started, done.stdout


def generate(scale: float) -> tuple[Path, float | None]:
    folder = OUT / f"demo_{scale:g}"
    if (folder / "dataset.yml").exists():
        return folder, None
    seconds, _ = run([str(TAGKIT), "demo", "--scale", f"{scale:g}", "--out", str(folder)])
    return folder, seconds


def batch(folder: Path, cache: Path, out: Path) -> tuple[float, dict]:
    seconds, stdout = run(
        [str(TAGKIT), "report", "--season", "2025Q4", "--data", str(folder), "--out", str(out), "--quiet"],
        env={"TAGKIT_CACHE": str(cache)},
        may_fail=True,
    )
    # a notebook that fails (say a plan the limits make infeasible) is shown as such, the others still timed
    notebooks = {m[1]: f"{float(m[2]):.0f}" for m in re.finditer(r"\] (\d\d_\w+): done in ([\d.]+) s", stdout)}
    notebooks.update({m[1]: "failed" for m in re.finditer(r"\] (\d\d_\w+): FAILED", stdout)})
    return seconds, dict(sorted(notebooks.items()))


def slope(points: list[tuple[float, float]]) -> float:
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--cold-only", action="store_true", help="skip the second (warm cache) batch")
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        folder, generated = generate(scale)
        truth = yaml.safe_load((folder / "ground_truth.yml").read_text(encoding="utf-8"))
        cache = Path(tempfile.mkdtemp(prefix="tagkit-bench-cache-"))
        out = Path(tempfile.mkdtemp(prefix="tagkit-bench-reports-"))
        try:
            cold, per_notebook = batch(folder, cache, out)
            # the warm batch is a re-run: the same reports folder (the runner starts the longest notebook first)
            warm, warm_notebooks = (None, {}) if args.cold_only else batch(folder, cache, out)
        finally:  # the cache of a 50x brand is about 10 GB
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        rows.append(
            {
                "scale": scale,
                "products": truth["products"],
                "lines": truth["order_lines_before_faults"],
                "generator": generated,
                "cold": cold,
                "warm": warm,
                "notebooks": per_notebook,
                "warm_notebooks": warm_notebooks,
                "peak_gb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2,
            }
        )
        print(f"  {scale:g}x: batch {cold:.0f} s cold" + (f", {warm:.0f} s warm" if warm else ""), file=sys.stderr)
    print(
        "| scale | products | order lines | generator (s) | batch, cold cache (s) | 01 / 02 / 03 (s) | "
        "batch, warm cache (s) | 01 / 02 / 03 warm (s) | peak memory of a child so far (GB) |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for r in rows:
        generator = f"{r['generator']:.0f}" if r["generator"] is not None else "(kept)"
        print(
            f"| {r['scale']:g}x | {r['products']:,} | {r['lines']:,} | {generator} | {r['cold']:.0f} | "
            + " / ".join(r["notebooks"].values())
            + (f" | {r['warm']:.0f} | " if r["warm"] else " | not run | ")
            + " / ".join(r["warm_notebooks"].values())
            + f" | {r['peak_gb']:.1f} |"
        )
    if len(rows) > 1:
        batch_fit = slope([(r["products"], r["cold"]) for r in rows])
        timed = [(r["products"], r["generator"]) for r in rows if r["generator"] is not None]
        generator_fit = f"{slope(timed):.2f}" if len(timed) > 1 else "n/a (kept from an earlier run)"
        print(f"\nFitted exponent of time against products: batch (cold) {batch_fit:.2f}, generator {generator_fit}.")


if __name__ == "__main__":
    main()
