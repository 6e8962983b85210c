"""The hit-propensity model against scikit-learn used directly, and its calibration table against scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from sklearn.linear_model import LogisticRegression

import tagkit as tk


def _data(seed=0, n=1500):
    rng = np.random.default_rng(seed)
    matrix = pd.DataFrame(rng.random((n, 6)) < 0.3, columns=["a=1", "a=2", "b=1", "b=2", "c=1", "c=2"])
    p = 0.04 + 0.5 * (matrix["a=1"] & matrix["b=1"]) - 0.03 * matrix["c=2"]
    hits = rng.random(n) < p.clip(0.005)
    return matrix, hits


def test_predictions_match_scikit_learn_on_hand_built_features():
    matrix, hits = _data()
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5)
    model = tk.fit_propensity(matrix, hits, rules=rules, penalty=2.0)
    combos = rules[(rules["status"] == "kept") & (rules["size"] > 1)]
    assert ("a=1", "b=1") in set(combos["items"])
    features = np.hstack(
        [matrix.to_numpy(float)]
        + [matrix[list(items)].all(axis=1).to_numpy(float)[:, None] for items in combos["items"]]
    )
    reference = LogisticRegression(C=0.5, max_iter=5000).fit(features, hits).predict_proba(features)[:, 1]
    assert np.allclose(model.predict(matrix).to_numpy(), reference, atol=1e-6)
    assert model.base_rate == pytest.approx(hits.mean())


@pytest.mark.parametrize("kind", list(tk.vocabulary.MODEL_KINDS))
def test_explanations_cite_the_rules_matched_and_the_tags_holding_back_whichever_the_model(kind):
    matrix, hits = _data(1)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5)
    model = tk.fit_propensity(matrix, hits, rules=rules, kind=kind)
    explained = model.explain(matrix, rules)
    kept = rules[rules["status"] == "kept"]
    base = hits.mean()
    # each tag's record counted by hand: products carrying it, and hits among them
    record = {c: (int(matrix[c].sum()), int((matrix[c] & hits).sum())) for c in matrix.columns}
    below = {c: h / n for c, (n, h) in record.items() if n >= 20 and h / n < base}
    assert below  # c=2 was planted below the base rate
    for row in range(0, len(matrix), 97):
        tags = [c for c in matrix.columns if matrix.iloc[row][c]]
        matched = [r for r in kept.itertuples() if set(r.items) <= set(tags)]
        assert explained.iloc[row]["rules_matched"] == len(matched)
        for r in matched[:1]:
            assert explained.iloc[row]["matched_rules"].startswith(r.rule) or len(matched) > 1
        expected = sorted((c for c in tags if c in below), key=lambda c: below[c])[:2]
        assert explained.iloc[row]["held_back_by"] == ", ".join(
            f"{c} ({record[c][1]} of {record[c][0]} were hits)" for c in expected
        )


def test_gradient_boosting_and_tags_only_match_scikit_learn_used_directly():
    from sklearn.ensemble import HistGradientBoostingClassifier

    matrix, hits = _data(4)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5)
    boosted = tk.fit_propensity(matrix, hits, rules=rules, kind="gradient boosting", seed=3)
    reference = HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, l2_regularization=1.0, early_stopping=False, random_state=3
    )
    reference.fit(matrix.to_numpy(np.float32), hits)
    assert np.allclose(boosted.predict(matrix).to_numpy(), reference.predict_proba(matrix.to_numpy(np.float32))[:, 1])
    # the trees find the planted combination a=1 & b=1 without being given it
    both = (matrix["a=1"] & matrix["b=1"]).to_numpy()
    assert boosted.predict(matrix)[both].mean() > 5 * boosted.predict(matrix)[~both].mean()
    tags_only = tk.fit_propensity(matrix, hits, rules=rules, kind="tags only", penalty=2.0)
    plain = LogisticRegression(C=0.5, max_iter=5000).fit(matrix.to_numpy(float), hits)
    assert np.allclose(
        tags_only.predict(matrix).to_numpy(), plain.predict_proba(matrix.to_numpy(float))[:, 1], atol=1e-6
    )
    assert len(tags_only.rules) == 0 and "tags only" in repr(tags_only)


def test_reliability_bins_and_wilson_intervals():
    rng = np.random.default_rng(2)
    p = rng.random(3000) * 0.6
    y = rng.random(3000) < p
    table = tk.propensity.reliability(p, y, bins=(0, 0.1, 0.3, 0.6))
    for row, (lo, hi) in zip(table.itertuples(), [(0, 0.1), (0.1, 0.3), (0.3, 0.6)]):
        inside = (p > lo) & (p <= hi) if lo else (p <= hi)
        assert row.products == inside.sum() and row.predicted == pytest.approx(p[inside].mean())
        ci = binomtest(int(y[inside].sum()), int(inside.sum())).proportion_ci(confidence_level=0.9, method="wilson")
        assert (row.observed_low, row.observed_high) == pytest.approx((ci.low, ci.high), abs=1e-4)
    assert tk.propensity.brier_score([0.5, 1.0], [True, False]) == pytest.approx((0.25 + 1.0) / 2)


def test_model_errors():
    matrix, hits = _data()
    with pytest.raises(tk.ParameterError, match="The 'penalty' parameter of fit_propensity must be a number > 0"):
        tk.fit_propensity(matrix, hits, penalty=0)
    with pytest.raises(tk.ParameterError, match="needs both hits and other products"):
        tk.fit_propensity(matrix, np.zeros(len(matrix), bool))
    with pytest.raises(tk.ParameterError, match=r"The 'kind' parameter of fit_propensity must be one of \['tags only'"):
        tk.fit_propensity(matrix, hits, kind="forest")
    with pytest.raises(tk.ParameterError, match="the kind 'tags and rules' needs the rules"):
        tk.fit_propensity(matrix, hits, kind="tags and rules")
    model = tk.fit_propensity(matrix, hits)
    with pytest.raises(tk.ParameterError, match="lacks 1 tag column"):
        model.predict(matrix.drop(columns="c=2"))


def test_candidates_and_carry_over_on_the_demo():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_hits(brand.sales.metrics, brand.own.products)
    rows, hits = tk.hits.ranked_rows(labels, brand.matrix, ["2025Q3", "2025Q4"])
    model = tk.fit_propensity(rows, hits)
    scored = tk.propensity.score_candidates(
        model, brand.candidates.products.head(50), brand.candidates.tags, brand.taxonomy
    )
    assert len(scored) == 50 and scored["probability"].between(0, 1).all()
    assert set(scored["category"]) <= {"dress", "top", "knitwear", "bottoms", "outerwear", "accessories", "(none)"}
    assert scored["look"].str.count(r"\|").eq(4).all()
    carried = tk.propensity.carry_over(labels, "2025Q4", brand.own.products, brand.own.tags, brand.taxonomy)
    assert set(carried["product_id"]) == set(labels[(labels["season"] == "2025Q4") & labels["hit"]]["product_id"])
    assert tk.propensity.carry_over(
        labels, "2025Q4", brand.own.products, brand.own.tags, brand.taxonomy, which=""
    ).empty
    with pytest.raises(tk.ParameterError, match="must be 'hits' or"):
        tk.propensity.carry_over(labels, "2025Q4", brand.own.products, brand.own.tags, brand.taxonomy, which="all")


def test_tag_momentum_is_the_change_of_each_tags_advantage_by_hand():
    """Rising and fading tags (tk.propensity.TagMomentum): a tag's log-odds advantage over the base rate in the last two
    seasons minus the one in the two before, each rate pulled toward its window's base rate by 20 products."""
    from tagkit.hits import HIT, MISS
    from tagkit.trends import tag_momentum_scores

    rng = np.random.default_rng(4)
    seasons = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"]
    rows, tags = [], {}
    for t, season in enumerate(seasons):
        for i in range(300):
            pid = f"{season}-{i}"
            a, b = rng.random() < 0.4, rng.random() < 0.3
            p = 0.05 + (0.04 * t if a else 0.0) + (0.15 - 0.03 * t if b else 0.0)  # A rises, B fades
            hit = rng.random() < p
            rows.append({"product_id": pid, "season": season, "status": HIT if hit else MISS, "hit": hit})
            tags[pid] = (a, b)
    labels = pd.DataFrame(rows)
    matrix = pd.DataFrame.from_dict(tags, orient="index", columns=["tag=a", "tag=b"])

    def advantage(window):
        chosen = labels[labels["season"].isin(window)]
        base = chosen["hit"].mean()
        out = []
        for column in matrix.columns:
            mine = chosen[matrix.loc[chosen["product_id"], column].to_numpy()]
            rate = (mine["hit"].sum() + 20 * base) / (len(mine) + 20)
            out.append(math.log(rate / (1 - rate)) - math.log(base / (1 - base)))
        return np.array(out)

    momentum = advantage(seasons[2:4]) - advantage(seasons[0:2])
    assert momentum[0] > 0 > momentum[1]  # the planted trends come out
    test = matrix.loc[[f"2025Q1-{i}" for i in range(300)]]
    counts = test.sum(axis=1).to_numpy()
    expected = np.where(counts > 0, test.to_numpy(float) @ momentum / np.maximum(counts, 1), 0.0)
    got = tag_momentum_scores(labels, matrix, "2025Q1", test)
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert not tag_momentum_scores(labels, matrix, "2024Q3", test).any()  # two seasons of history: no momentum
    feature = tk.propensity.TagMomentum(labels, matrix).features(test, ["2025Q1"] * len(test))
    assert np.allclose(feature[:, 0], expected, rtol=1e-5, atol=1e-6)
    both = tk.propensity.season_context(
        tk.propensity.TimeOfYear(labels, matrix), tk.propensity.TagMomentum(labels, matrix)
    )
    assert both.names[-1] == "rising or fading tags" and len(both.names) == 6
    assert tk.propensity.season_context(None, None) is None
