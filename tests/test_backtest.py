"""The backtest on the demo brand: its table is consistent with itself and with the labels."""

import pytest

import tagkit as tk


@pytest.fixture(scope="module")
def replay():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_hits(brand.sales.metrics, brand.own.products)
    table, predictions = tk.backtest(
        labels,
        brand.matrix,
        brand.own.products,
        brand.own.tags,
        brand.taxonomy,
        seasons=["2025Q3", "2025Q4"],
        max_per_look=6,
        max_bet_share_per_tag_set=0.35,
        rule_options=dict(min_lift=1.5),
    )
    return labels, table, predictions


def test_one_row_per_season_and_method(replay):
    _, table, _ = replay
    assert set(zip(table["season"], table["method"])) == {
        (s, m) for s in ("2025Q3", "2025Q4") for m in tk.vocabulary.BACKTEST_METHODS
    }
    assert (table["note"].fillna("").str.len() == 0).sum() == 8  # tagkit and the three models planned both seasons


def test_measures_agree_with_the_labels(replay):
    labels, table, predictions = replay
    for row in table.itertuples():
        season = labels[labels["season"] == row.season]
        ranked = season[season["status"].isin(["hit", "not a hit"])]
        assert row.base_rate == pytest.approx(ranked["hit"].mean())
        if row.method in tk.vocabulary.MODEL_KINDS.values():  # counted again from the products the replay bet on
            bets = predictions[
                (predictions["season"] == row.season) & (predictions["method"] == row.method) & predictions["hit_bet"]
            ]
            bet_hits = bets.merge(season, on=["product_id", "season"])["hit_y"]
            assert len(bets) == row.hit_bets and len(bet_hits) == len(bets)
            assert row.realised_bet_hits == bet_hits.sum()
            assert row.lift_at_k == pytest.approx(bet_hits.mean() / ranked["hit"].mean())
    assert set(predictions["method"]) == set(tk.vocabulary.MODEL_KINDS.values())
    ours = predictions[predictions["method"] == tk.vocabulary.MODEL_KINDS["tags and rules"]]
    hits = ours.merge(labels, on="product_id")
    hits = hits[hits["season_x"] == hits["season_y"]]
    assert (hits["hit_x"] == hits["hit_y"]).all()


def test_tags_and_rules_beat_the_baselines_on_the_demo(replay):
    _, table, _ = replay
    summary = tk.backtest_summary(table).set_index("method")
    assert list(summary.index) == list(tk.vocabulary.BACKTEST_METHODS)
    ours, tags_only, random = (
        summary.loc[m, "mean_lift_at_k"]
        for m in (tk.vocabulary.BACKTEST_METHODS[0], tk.vocabulary.MODEL_KINDS["tags only"], "random picks")
    )
    assert ours > tags_only > random and 0.5 < random < 1.5
    assert summary.loc[tk.vocabulary.BACKTEST_METHODS[0], "mean_brier"] < summary.loc["random picks", "mean_brier"]
