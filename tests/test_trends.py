"""Hold-out scoring, trend tests and yearly views against direct computations."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import linregress

import tagkit as tk


def _history(n_seasons=8, per_season=400, seed=0):
    """Labels and a matrix where tag a&b drives hits in every season and tag 'up' grows stronger."""
    rng = np.random.default_rng(seed)
    seasons = tk.seasons.QUARTERS.span("2023Q1", tk.seasons.QUARTERS.shift("2023Q1", n_seasons - 1))
    rows, labels = [], []
    for t, season in enumerate(seasons):
        for i in range(per_season):
            pid = f"{season}-{i:04d}"
            tags = {
                "d=a": rng.random() < 0.3,
                "e=b": rng.random() < 0.3,
                "f=up": rng.random() < 0.2,
                "g=noise": rng.random() < 0.4,
            }
            p = 0.05 + 0.45 * (tags["d=a"] and tags["e=b"]) + 0.06 * t * tags["f=up"]
            rows.append({"product_id": pid, **tags})
            labels.append(
                {"product_id": pid, "season": season, "status": "hit", "hit": True}
                if rng.random() < p
                else {"product_id": pid, "season": season, "status": "not a hit", "hit": False}
            )
    matrix = pd.DataFrame(rows).set_index("product_id")
    return pd.DataFrame(labels), matrix, seasons


def test_ranked_rows_and_history():
    labels, matrix, seasons = _history(3, 50)
    labels.loc[0, "status"] = "image product"
    rows, hits = tk.hits.ranked_rows(labels, matrix, seasons[:2])
    assert len(rows) == 99 and rows.index.names == ["product_id", "season"]
    assert hits.sum() == labels[(labels["status"] == "hit") & labels["season"].isin(seasons[:2])].shape[0]
    assert tk.seasons.history("2025Q2", 3) == ["2024Q4", "2025Q1", "2025Q2"]
    assert tk.seasons.history("2025Q2", 2, include=False) == ["2024Q4", "2025Q1"]
    with pytest.raises(tk.ParameterError, match="have no row in the tag matrix"):
        tk.hits.ranked_rows(labels.assign(product_id="missing"), matrix)


def test_holdout_scores_rules_on_the_next_season():
    labels, matrix, seasons = _history()
    table = tk.holdout(labels, matrix, test_seasons=seasons, train_seasons=4, min_lift=1.5)
    assert set(table["test_season"]) == set(seasons[4:])
    row = table[(table["test_season"] == seasons[5]) & (table["rule"] == "d=a & e=b")].iloc[0]
    test = labels[labels["season"] == seasons[5]].set_index("product_id")
    has = matrix.loc[test.index, "d=a"] & matrix.loc[test.index, "e=b"]
    assert (row["test_n_products"], row["test_n_hits"]) == (has.sum(), (has & test["hit"]).sum())
    assert row["test_lift"] == pytest.approx((has & test["hit"]).sum() / has.sum() / test["hit"].mean())
    assert row["held_up"] and row["confirmed"]
    # the seasons are mined two at a time; each comes back in its place, with its own window's kept rules
    assert list(dict.fromkeys(table["test_season"])) == seasons[4:]
    for k, test in enumerate(seasons[4:], start=4):
        mined = tk.mine_hit_rules(*tk.hits.ranked_rows(labels, matrix, seasons[k - 4 : k]), min_lift=1.5)
        kept = mined[mined["status"] == tk.vocabulary.KEPT]
        assert table.loc[table["test_season"] == test, "rule"].tolist() == kept["rule"].tolist()
        assert table.loc[table["test_season"] == test, "trained_on"].eq(f"{seasons[k - 4]}-{seasons[k - 1]}").all()
    summary = tk.trends.holdout_summary(table)
    assert list(summary["test_season"]) == seasons[4:] and summary["held_up"].between(0, 1).all()


def test_a_season_the_holdout_could_not_test_is_said_in_words():
    """The first seasons have too few seasons before them; the hold-out has no row for them, and the page says
    why instead of showing an empty table alone."""
    labels, matrix, seasons = _history(6, 300)
    table = tk.holdout(labels, matrix, test_seasons=seasons, train_seasons=4, min_lift=1.5)
    tested = set(table["test_season"])
    assert tested == set(seasons[4:])
    for season in seasons:
        said = tk.trends.holdout_gap(table, season, train_seasons=4)
        assert (said == "") == (season in tested)
        assert said == "" or f"No rule could be tested on {season}: that takes 4 earlier seasons" in said
    assert tk.trends.holdout_gap(tk.trends.holdout_summary(table), seasons[2], train_seasons=4)
    empty = tk.holdout(labels, matrix, test_seasons=seasons[:3], train_seasons=4)
    assert empty.empty and tk.trends.holdout_gap(empty, seasons[2], train_seasons=4)


def test_trend_slopes_match_ordinary_and_weighted_least_squares_row_by_row():
    from scipy.stats import t as student

    from tagkit.trends import _weighted_slopes

    x = np.arange(6, dtype=float)
    y = np.array([[1.0, 1.3, 1.2, 1.8, 2.1, 2.0], [2.0, 1.7, 1.9, 1.1, 1.2, 0.4], [1.0, 2.0, 3.0, 1.0, 2.0, 5.0]])
    w = np.array([[1.0] * 6, [40.0, 25.0, 60.0, 5.0, 33.0, 90.0], [20.0] * 6])
    use = np.array([[True] * 6, [True, True, True, False, True, True], [True, True, True, False, False, False]])
    slope, p = _weighted_slopes(x, y, w, use)
    reference = linregress(x, y[0])  # equal weights: ordinary least squares
    assert slope[0] == pytest.approx(reference.slope) and p[0] == pytest.approx(reference.pvalue)
    # unequal weights, one season left out: weighted least squares by hand
    xs, ys, ws = x[use[1]], y[1][use[1]], w[1][use[1]]
    design = np.column_stack([np.ones(len(xs)), xs])
    (intercept, b), *_ = np.linalg.lstsq(design * np.sqrt(ws)[:, None], ys * np.sqrt(ws), rcond=None)
    residuals = ys - intercept - b * xs
    variance = np.sum(ws * residuals**2) / (len(xs) - 2)
    error = np.sqrt(variance * np.linalg.inv(design.T @ (design * ws[:, None]))[1, 1])
    assert slope[1] == pytest.approx(b) and p[1] == pytest.approx(2 * student.sf(abs(b / error), len(xs) - 2))
    assert np.isnan(slope[2]) and np.isnan(p[2])  # three seasons are too few


def test_rising_tag_is_found_and_noise_is_steady():
    labels, matrix, seasons = _history(per_season=600)
    per_season, summary = tk.tag_trends(labels, matrix, seasons=seasons)
    trend = summary.set_index("tags")["trend"]
    assert trend["f=up"] == "rising" and trend["g=noise"] == "steady"
    row = per_season[(per_season["tags"] == "f=up") & (per_season["season"] == seasons[0])].iloc[0]
    season_rows = labels[labels["season"] == seasons[0]].set_index("product_id")
    has = matrix.loc[season_rows.index, "f=up"]
    assert row["n_products"] == has.sum() and row["n_hits"] == (has & season_rows["hit"]).sum()


def test_yearly_common_tags():
    labels, matrix, seasons = _history()
    yearly = tk.yearly_common_tags(labels, matrix, seasons=seasons, min_lift=1.3)
    assert set(yearly["year"]) == {"2023", "2024"}
    assert (yearly.groupby("year")["rank"].min() == 1).all()
    assert "g=noise" not in set(yearly["tags"])


def test_a_product_on_sale_in_several_seasons_is_one_row():
    labels = pd.DataFrame(
        {
            "product_id": ["a", "a", "a", "b", "b", "c"],
            "season": ["2025Q1", "2025Q2", "2025Q3", "2025Q1", "2025Q2", "2025Q2"],
            "status": ["hit", "hit", "not a hit", "hit", "not a hit", "not a hit"],
            "hit": [True, True, False, True, False, False],
        }
    )
    matrix = pd.DataFrame({"t=x": [True, False, True]}, index=pd.Index(["a", "b", "c"], name="product_id"))
    rows, hits = tk.hits.ranked_rows(labels, matrix, ["2025Q1", "2025Q2", "2025Q3"])
    # a: hit in 2 of 3 seasons; b: in 1 of 2 (half: a hit); c: never
    assert list(rows.index) == [("a", "2025Q3"), ("b", "2025Q2"), ("c", "2025Q2")]
    assert hits.tolist() == [True, True, False]
    one, one_hits = tk.hits.ranked_rows(labels, matrix, ["2025Q2"])
    assert len(one) == 3 and one_hits.tolist() == [True, False, False]


def test_the_hit_tags_summary_says_when_the_season_could_not_be_tested():
    labels, matrix, seasons = _history(6, 300)
    table = tk.holdout(labels, matrix, test_seasons=seasons, train_seasons=4, min_lift=1.5)
    rules = tk.mine_hit_rules(*tk.hits.ranked_rows(labels, matrix, seasons[-4:]), min_lift=1.5)
    no_trends = pd.DataFrame({"tags": pd.Series(dtype=str), "trend": pd.Series(dtype=str)})
    said = {
        season: tk.narrative.hit_tags_summary(
            season=season,
            window=seasons[-4:],
            share=pd.DataFrame(columns=["season"]),
            rules=rules,
            holdout_summary=tk.trends.holdout_summary(table),
            trends=no_trends,
            comparison=None,
        )[0]
        for season in (seasons[2], seasons[-1])
    }
    assert f"No rule could be tested on {seasons[2]}" in said[seasons[2]] and "held up" not in said[seasons[2]]
    assert "No rule could be tested" not in said[seasons[-1]] and "held up" in said[seasons[-1]]
