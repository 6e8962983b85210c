"""The model choice against a hand computation of the one-standard-error rule, and on the demo's planted hits."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import log_loss

import tagkit as tk

KINDS = list(tk.vocabulary.MODEL_KINDS)


def _predictions(rng, noise: dict, seasons=("2024Q1", "2024Q2", "2024Q3", "2024Q4"), n=600):
    """Every kind predicts the true probability blurred by its own noise on the logit scale."""
    frames = []
    for season in seasons:
        truth = rng.beta(1, 9, n)
        y = rng.random(n) < truth
        for kind in KINDS:
            z = np.log(truth / (1 - truth)) + noise[kind] * rng.standard_normal(n)
            frames.append(
                pd.DataFrame(
                    {
                        "season": season,
                        "method": tk.vocabulary.MODEL_KINDS[kind],
                        "product_id": [f"p{i}" for i in range(n)],
                        "probability": 1 / (1 + np.exp(-z)),
                        "hit": y,
                        "ranked": True,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _by_hand(predictions, seasons):
    """The simplest kind whose mean log loss is within one standard error of the best kind's."""
    loss = {
        kind: np.array(
            [
                log_loss(part["hit"], part["probability"], labels=[False, True])
                for s in seasons
                for part in [
                    predictions[
                        (predictions["season"] == s) & (predictions["method"] == tk.vocabulary.MODEL_KINDS[kind])
                    ]
                ]
            ]
        )
        for kind in KINDS
    }
    best = min(KINDS, key=lambda k: loss[k].mean())
    for kind in KINDS:
        diff = loss[kind] - loss[best]
        if diff.mean() <= diff.std(ddof=1) / np.sqrt(len(diff)) + 1e-12:
            return kind, loss


@pytest.mark.parametrize(
    "noise, expected",
    [
        ({"tags only": 1.5, "tags and rules": 0.2, "gradient boosting": 0.8}, "tags and rules"),
        ({"tags only": 0.5, "tags and rules": 0.5, "gradient boosting": 0.5}, "tags only"),
        ({"tags only": 1.5, "tags and rules": 1.2, "gradient boosting": 0.1}, "gradient boosting"),
    ],
)
def test_the_simplest_model_within_one_standard_error_of_the_best(noise, expected):
    predictions = _predictions(np.random.default_rng(7), noise)
    choice = tk.choose_model(predictions, "2025Q1")
    kind, loss = _by_hand(predictions, ["2024Q1", "2024Q2", "2024Q3", "2024Q4"])
    assert choice.kind == kind == expected
    table = choice.table.set_index("model")
    for k in KINDS:
        assert table.loc[k, "log_loss"] == pytest.approx(loss[k].mean(), rel=1e-4)
        assert table.loc[k, "seasons"] == 4
    assert table["chosen"].sum() == 1 and table.loc[expected, "chosen"]
    assert choice.method == tk.vocabulary.MODEL_KINDS[expected]


def test_only_the_seasons_before_count_and_too_few_give_the_default():
    rng = np.random.default_rng(1)
    good = _predictions(rng, {"tags only": 1.5, "tags and rules": 0.2, "gradient boosting": 0.8})
    # a later season where tags and rules fail badly must not change the choice for 2025Q1
    later = _predictions(rng, {"tags only": 0.1, "tags and rules": 3.0, "gradient boosting": 3.0}, seasons=("2025Q2",))
    assert tk.choose_model(pd.concat([good, later]), "2025Q1").kind == "tags and rules"
    one = tk.choose_model(good, "2024Q2")  # only 2024Q1 before it
    assert one.kind == "tags and rules" and "the default: 1 past season(s)" in one.reason
    assert tk.choose_model(good.iloc[0:0], "2025Q1").table["seasons"].eq(0).all()
    by_hand = tk.choose_model(good, "2025Q1", model="gradient boosting")
    assert by_hand.kind == "gradient boosting" and "set by hand" in by_hand.reason
    assert by_hand.table["log_loss"].notna().all()  # the comparison is still shown
    with pytest.raises(tk.ParameterError, match=r"The 'model' parameter must be \"auto\" or one of \['tags only'"):
        tk.choose_model(good, "2025Q1", model="forest")


@pytest.mark.slow  # the demo brand replayed or regenerated: tens of seconds
def test_on_the_demo_the_planted_combinations_earn_the_rules_their_place():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_brand(brand, tk.HitDefinition().resolve(brand), reference=tk.seasons.history("2025Q4", 4))
    table, predictions = tk.backtest(
        labels,
        brand.matrix,
        brand.own.products,
        brand.own.tags,
        brand.taxonomy,
        seasons=tk.seasons.history("2025Q4", 3),
        max_per_look=6,
        max_bet_share_per_tag_set=0.35,
        rule_options=dict(min_lift=1.5),
    )
    choice = tk.choose_model(predictions, "2026Q1")
    assert choice.kind == "tags and rules" and choice.reason.startswith("the best out-of-time log loss")
    # tagkit's row of each replayed season is the row of the model chosen from the seasons before it
    ours = table[table["method"] == tk.vocabulary.BACKTEST_METHODS[0]].set_index("season")
    for season, row in ours.iterrows():
        expected = tk.choose_model(predictions, season).kind
        assert row["model"] == expected
        same = table[(table["season"] == season) & (table["method"] == tk.vocabulary.MODEL_KINDS[expected])].iloc[0]
        assert row["bet_hit_rate"] == same["bet_hit_rate"]
