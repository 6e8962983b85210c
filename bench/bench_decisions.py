"""Benchmark of decision quality: are the hit bets worth betting on, and can their expected hits be believed?

    python bench/bench_decisions.py                      # demo, sparse, complete-journey (about 25 minutes)
    python bench/bench_decisions.py --datasets demo sparse

For every backtest season of each dataset, every method learns from the seasons before it only (a window
of --train-seasons; with fewer seasons of history a season is not scored) and scores the season's ranked
products; the hits are labelled with the batch's default hit definition. The methods and measures are those
of tagkit.evaluate: precision@k and lift@k at k = 7.5% of the ranked products (the middle of the 5-10% band),
AUC, Brier skill against predicting the season's own base rate, calibration slope and intercept, and
whether the realised hits among the k bets fell inside the stated 90% interval. A paired bootstrap over the
seasons gives tagkit's difference with every other method. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _measure import load_tagkit

import tagkit as tk
from tagkit import evaluate as ev
from tagkit.paths import DATA

load_tagkit()  # every module of tagkit imported before any clock starts

# dataset: (folder, last season, window of training seasons)
DATASETS = {
    "demo": (DATA / "demo", "2025Q4", 4),
    "sparse": (DATA / "sparse", "2025Q4", 4),
    # four quarters of 2017 only: a window of one season, so that three seasons can be scored
    "complete-journey": (DATA / "complete_journey", "2017Q4", 1),
}


def run(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder, last, window = DATASETS[name]
    if name == "complete-journey" and not (folder / "dataset.yml").exists():
        from tagkit.demo_complete_journey import write_complete_journey

        folder = Path(tempfile.mkdtemp()) / "complete_journey"
        write_complete_journey(folder)
    dataset = tk.open_dataset(folder)
    brand = tk.load_brand(dataset)
    definition = tk.HitDefinition().resolve(brand)
    labels = tk.label_brand(brand, definition, reference=tk.seasons.history(last, 4, dataset.calendar))
    seasons = tk.hits.seasons_up_to(labels, last, dataset.calendar)
    started = time.perf_counter()
    predictions = ev.score_past_seasons(
        labels,
        brand.matrix,
        seasons=seasons,
        train_seasons=window,
        calendar=dataset.calendar,
        rule_options=dict(min_lift=1.5, taxonomy=brand.taxonomy),
    )
    metrics = ev.decision_metrics(predictions, calendar=dataset.calendar)
    chosen = predictions[predictions["method"] == ev.TAGKIT].groupby("season")["model"].first()
    metrics.attrs["chosen"] = ", ".join(
        f"{season}: {tk.vocabulary.MODEL_KINDS.get(kind, kind)}" for season, kind in chosen.items()
    )
    print(
        f"{name}: {metrics['season'].nunique()} seasons scored "
        f"({', '.join(sorted(metrics['season'].unique()))}), {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return metrics, ev.summarise_decisions(metrics)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    args = parser.parse_args()
    for name in args.datasets:
        metrics, summary = run(name)
        print(f"\n#### {name}\n")
        print(f"Model tagkit chose in each season (from the seasons scored before it): {metrics.attrs['chosen']}.\n")
        print(
            "| method | seasons | precision@k | lift@k | AUC | Brier skill | seasons with skill > 0 | "
            "calibration slope | intercept | bet hits inside the 90% interval |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in summary.itertuples():
            print(
                f"| {r.method} | {r.seasons} | {r.precision_at_k:.3f} | {r.lift_at_k:.2f} | {r.auc:.3f} | "
                f"{r.brier_skill:+.3f} | {r.seasons_with_skill} of {r.seasons} | {r.calibration_slope:.2f} | "
                f"{r.calibration_intercept:+.2f} | {r.interval_coverage:.0%} |"
            )
        print("\ntagkit minus each method, mean over seasons with a 90% paired-bootstrap interval:\n")
        print("| method | precision@k | Brier skill |")
        print("|---|---|---|")
        precision = ev.paired_bootstrap(metrics, "precision_at_k").set_index("method")
        skill = ev.paired_bootstrap(metrics, "brier_skill").set_index("method")
        for method in precision.index:
            p, s = precision.loc[method], skill.loc[method]
            print(
                f"| {method} | {p.mean_difference:+.3f} ({p.low:+.3f} to {p.high:+.3f}) | "
                f"{s.mean_difference:+.3f} ({s.low:+.3f} to {s.high:+.3f}) |"
            )


if __name__ == "__main__":
    main()
