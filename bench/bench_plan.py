"""Benchmark: the planner's backtest on the demo brand, and its solve time on 5,000 candidates.

    python bench/bench_plan.py

1. Replays the planner on every past season of the demo brand with four seasons of history before
   it (the model and rules learn from those four; the plan keeps 60% of the season's launches) and
   prints the backtest table: tagkit against a logistic regression on tags and random picks.
2. Generates 5,000 candidates with the demo brand's product generator (seeded), scores them with a
   model trained on 2025, and times `plan_season` for a 3,000-product catalogue with every limit on
   (target: under 10 seconds). The time is the median of three runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
from _measure import load_tagkit

import tagkit as tk
from tagkit import demo

load_tagkit()  # every module of tagkit imported before any clock starts


def candidate_tags(n: int, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    products = demo.make_products(rng, n, 1)
    ids = [f"B{i:06d}" for i in range(n)]
    rows = [
        (pid, pid, dim, value)
        for pid, (_, p) in zip(ids, products.iterrows())
        for dim, *_ in demo._DIMENSIONS
        for value in demo._values(p[dim])
    ]
    raw = pd.DataFrame(rows, columns=["product_id", "row", "raw_dimension", "raw_value"])
    raw["row"] = np.arange(len(raw)) + 2
    raw["column"] = raw["raw_dimension"]
    roles = np.where(rng.random(n) < 0.02, "image", "core")
    return pd.DataFrame({"product_id": ids, "name": demo._names(products), "role": roles}), raw


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--catalogue-size", type=int, default=3000)
    parser.add_argument("--skip-backtest", action="store_true")
    args = parser.parse_args()

    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    # the batch's default hit definition: a bar fixed on the four seasons ending 2025Q4
    labels = tk.label_brand(brand, tk.HitDefinition().resolve(brand), reference=tk.seasons.history("2025Q4", 4))
    options = dict(min_bet_lift=1.5, max_per_look=6, max_bet_share_per_tag_set=0.35)
    if not args.skip_backtest:
        seasons = tk.hits.seasons_up_to(labels, "2025Q4")[4:]
        started = time.perf_counter()
        table, _ = tk.backtest(
            labels,
            brand.matrix,
            brand.own.products,
            brand.own.tags,
            brand.taxonomy,
            seasons=seasons,
            rule_options=dict(min_lift=1.5),
            **options,
        )
        print(
            f"Backtest on {len(seasons)} seasons ({seasons[0]}-{seasons[-1]}), {time.perf_counter() - started:.0f} s:\n"
        )
        print(
            "| method | seasons | mean hit rate of the hit bets | mean lift at k | mean plan hit share | "
            "mean base rate | mean Brier score |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in tk.backtest_summary(table).itertuples():
            print(
                f"| {r.method} | {r.seasons} | {r.mean_bet_hit_rate:.1%} | {r.mean_lift_at_k:.2f} | "
                f"{r.mean_plan_hit_share:.1%} | {r.mean_base_rate:.1%} | {r.mean_brier:.4f} |"
            )
        print()

    window = tk.seasons.history("2025Q4", 4)
    rows, hits = tk.hits.ranked_rows(labels, brand.matrix, window)
    rules = tk.mine_hit_rules(rows, hits, min_lift=1.5, taxonomy=brand.taxonomy)
    model = tk.fit_propensity(rows, hits, rules=rules, trained_on=window)
    products, raw = candidate_tags(args.candidates)
    tags = tk.normalise_tags(raw, brand.taxonomy)
    started = time.perf_counter()
    scored = tk.propensity.score_candidates(model, products, tags, brand.taxonomy, rules=rules)
    scoring = time.perf_counter() - started
    kept = rules[rules["status"] == "kept"]
    bet_sets = tk.rules.rule_membership(tk.encode_tags(tags, brand.taxonomy, products=products), kept)
    limits = tk.plan.limits_from_mix(scored["category"][scored["category"] != "(none)"], args.catalogue_size)
    times, plan = [], None
    for _ in range(3):
        started = time.perf_counter()
        plan = tk.plan_season(
            scored,
            season="2026Q1",
            catalogue_size=args.catalogue_size,
            base_rate=model.base_rate,
            image_count=int(0.015 * args.catalogue_size),
            category_limits=limits,
            bet_tag_sets=bet_sets,
            waves=tk.plan.waves_for("2026Q1"),
            **options,
        )
        times.append(time.perf_counter() - started)
    bets = (plan.table["role"] == "hit bet").sum()
    print(
        "| candidates | catalogue size | kept rules | scoring (s) | plan_season, median of 3 (s) | hit bets | solver |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|")
    solver = plan.summary.set_index("measure").loc["solver", "value"]
    print(
        f"| {len(scored):,} | {len(plan.table):,} | {len(kept)} | {scoring:.1f} | {statistics.median(times):.2f} | "
        f"{bets} | {solver} |"
    )


if __name__ == "__main__":
    main()
