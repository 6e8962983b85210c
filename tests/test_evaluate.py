"""Decision quality: the measures against hand computation, and the methods on the demo's planted ground truth."""

from itertools import product

import numpy as np
import pandas as pd
import pytest

import tagkit as tk


def _predictions(rng, seasons=("2025Q1", "2025Q2"), n=200):
    rows = []
    for season in seasons:
        p = rng.beta(1, 10, n)
        y = rng.random(n) < p
        for method in ("tagkit, not recalibrated", "random picks"):
            q = p if method != "random picks" else np.full(n, p.mean()) + 1e-9 * rng.random(n)
            rows.append(
                pd.DataFrame(
                    {
                        "season": season,
                        "method": method,
                        "product_id": [f"{i:04d}" for i in range(n)],
                        "probability": q,
                        "hit": y,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_measures_against_hand_computation():
    rng = np.random.default_rng(3)
    predictions = _predictions(rng)
    metrics = tk.evaluate.decision_metrics(predictions, bet_share=0.1).set_index(["season", "method"])
    for (season, method), part in predictions.groupby(["season", "method"]):
        row = metrics.loc[(season, method)]
        p, y = part["probability"].to_numpy(), part["hit"].to_numpy()
        k = 20
        top = sorted(range(len(p)), key=lambda i: (-p[i], part["product_id"].iloc[i]))[:k]
        assert row["k"] == k and row["precision_at_k"] == pytest.approx(y[top].mean())
        assert row["lift_at_k"] == pytest.approx(y[top].mean() / y.mean())
        pairs = [(i, j) for i, j in product(range(len(p)), repeat=2) if y[i] and not y[j]]
        auc = np.mean([1.0 if p[i] > p[j] else 0.5 if p[i] == p[j] else 0.0 for i, j in pairs])
        assert row["auc"] == pytest.approx(auc)
        brier = np.mean((p - y) ** 2)
        assert row["brier_skill"] == pytest.approx(1 - brier / (y.mean() * (1 - y.mean())))
        low, high = tk.plan.poisson_binomial_interval(p[top])
        assert (row["bet_hits_low"], row["bet_hits_high"]) == (low, high)
        assert row["inside_interval"] == (low <= y[top].sum() <= high)


def test_paired_bootstrap_centres_on_the_mean_difference():
    metrics = pd.DataFrame(
        {
            "season": ["a", "b", "c", "a", "b", "c"],
            "method": ["tagkit"] * 3 + ["other"] * 3,
            "precision_at_k": [0.3, 0.4, 0.5, 0.1, 0.3, 0.2],
        }
    )
    out = tk.evaluate.paired_bootstrap(metrics, "precision_at_k").iloc[0]
    assert out["mean_difference"] == pytest.approx(0.2) and out["low"] <= 0.2 <= out["high"] and out["low"] >= 0.1


@pytest.fixture(scope="module")
def demo_decisions():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_brand(brand, tk.HitDefinition().resolve(brand), reference=tk.seasons.history("2025Q4", 4))
    seasons = tk.hits.seasons_up_to(labels, "2025Q4")
    predictions = tk.evaluate.score_past_seasons(
        labels, brand.matrix, seasons=seasons, rule_options=dict(min_lift=1.5, taxonomy=brand.taxonomy)
    )
    return predictions, tk.evaluate.decision_metrics(predictions)


@pytest.mark.slow  # the demo brand replayed or regenerated: tens of seconds
def test_on_the_demo_tagkit_finds_the_planted_hits_and_knows_how_sure_it_is(demo_decisions):
    predictions, metrics = demo_decisions
    assert set(metrics["season"]) == {f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5)}  # 4 seasons of history
    summary = tk.evaluate.summarise_decisions(metrics).set_index("method")
    ours = summary.loc["tagkit"]
    # the planted combinations make tagkit's bets far better than random, and than tags alone
    assert ours["precision_at_k"] > 4 * summary.loc["random picks", "precision_at_k"]
    assert ours["precision_at_k"] >= summary.loc["logistic regression on tags", "precision_at_k"]
    assert ours["seasons_with_skill"] == ours["seasons"]  # Brier skill above zero in every season
    assert abs(ours["calibration_slope"] - 1) < 0.25
    # every method scored the same products of each season
    sizes = predictions.groupby(["season", "method"]).size().unstack()
    assert (sizes.nunique(axis=1) == 1).all()
