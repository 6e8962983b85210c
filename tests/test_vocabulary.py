"""Contracts declared once: the choices the notebooks check are the vocabulary's, and a wrong frame given to
a public function is named, with its missing columns, instead of failing inside pandas."""

import pandas as pd
import pytest

import tagkit as tk
from tagkit.parameters import PARAMETER_CONTRACTS
from tagkit.vocabulary import CATALOGUES, ENGINES, FRAMES, HIT_DEFINITIONS, MAX_TAG_SET_SIZE, METRIC_WORDS, METRICS


def test_the_notebook_parameters_take_their_choices_from_the_vocabulary():
    assert PARAMETER_CONTRACTS["metric"].choices == METRICS
    assert PARAMETER_CONTRACTS["catalogue"].choices == CATALOGUES
    assert PARAMETER_CONTRACTS["hit_definition"].choices == HIT_DEFINITIONS
    assert PARAMETER_CONTRACTS["engine"].choices == ENGINES
    assert (PARAMETER_CONTRACTS["max_size"].low, PARAMETER_CONTRACTS["max_size"].high) == (1, MAX_TAG_SET_SIZE)
    assert set(METRIC_WORDS) == set(METRICS)  # every metric has its words for the pages
    with pytest.raises(tk.ParameterError, match=r"'max_size' parameter of frequent_hit_itemsets .* \[1, 6\]"):
        tk.mining.frequent_hit_itemsets(pd.DataFrame({"a": [True]}), [True], min_hits=1, max_size=MAX_TAG_SET_SIZE + 1)


WRONG = pd.DataFrame({"sku": ["A1"], "qty": [3]})


@pytest.mark.parametrize(
    "call, owner, kind",
    [
        (lambda t: tk.label_hits(WRONG, pd.DataFrame({"product_id": ["A1"]})), "label_hits", "metrics"),
        (lambda t: tk.label_hits(pd.DataFrame(columns=list(FRAMES["metrics"])), WRONG), "label_hits", "products"),
        (lambda t: tk.encode_tags(WRONG, t), "encode_tags", "resolved tags"),
        (lambda t: tk.tag_health(WRONG, None, t), "tag_health", "resolved tags"),
        (lambda t: tk.tags.missing_required(WRONG, WRONG, t), "missing_required", "resolved tags"),
        (lambda t: tk.hits.ranked_rows(WRONG, pd.DataFrame()), "ranked_rows", "labels"),
        (lambda t: tk.hit_share(WRONG), "hit_share", "labels"),
        (lambda t: tk.check_labels(WRONG), "check_labels", "labels"),
        (lambda t: tk.rules.rule_membership(pd.DataFrame(), WRONG), "rule_membership", "rules"),
        (
            lambda t: tk.plan_season(WRONG, season="2026Q1", catalogue_size=10, base_rate=0.1),
            "plan_season",
            "candidates",
        ),
        (lambda t: tk.holdout(WRONG, pd.DataFrame(), test_seasons=["2025Q4"]), "holdout", "labels"),
        (lambda t: tk.tag_trends(WRONG, pd.DataFrame(), seasons=["2025Q4"]), "tag_trends", "labels"),
        (lambda t: tk.yearly_common_tags(WRONG, pd.DataFrame(), seasons=["2025Q4"]), "yearly_common_tags", "labels"),
        (lambda t: tk.looks.homogeneity_by_season(WRONG, pd.Series(dtype=object)), "homogeneity_by_season", "labels"),
        (lambda t: tk.rules.status_counts(WRONG), "status_counts", "rules"),
        (lambda t: tk.rules.describe_rules(WRONG), "describe_rules", "rules"),
        (lambda t: tk.narrative.rule_table(WRONG), "describe_rules", "rules"),
        (lambda t: tk.rules.score_rules(WRONG, pd.DataFrame(), []), "score_rules", "rules"),
        (lambda t: tk.backtest(WRONG, pd.DataFrame(), WRONG, WRONG, t, seasons=["2025Q4"]), "backtest", "labels"),
        (lambda t: tk.propensity.carry_over(WRONG, "2025Q4", WRONG, WRONG, t), "carry_over", "labels"),
    ],
)
def test_a_wrong_frame_is_named_with_its_missing_columns(taxonomy, call, owner, kind):
    missing = ", ".join(c for c in FRAMES[kind] if c not in WRONG.columns)
    with pytest.raises(
        tk.ParameterError,
        match=rf"of {owner} must be a frame of {kind}.*Missing: {missing}; "
        rf"the frame passed has sku, qty\.",
    ):
        call(taxonomy)


def test_a_frame_that_is_not_a_frame_is_named():
    with pytest.raises(
        tk.ParameterError,
        match=r"'labels' parameter of hit_share must be a DataFrame of labels\. "
        r"Got list instead",
    ):
        tk.hit_share([1, 2])


def test_a_notebook_parameter_passed_on_to_a_function_has_that_functions_contract():
    contracts = tk.parameters.PARAMETER_CONTRACTS
    assert contracts["top_share"] is tk.label_hits.parameter_constraints["top_share"]
    assert contracts["hit_definition"] is tk.label_hits.parameter_constraints["definition"]
    assert contracts["max_size"] is tk.mine_hit_rules.parameter_constraints["max_size"]
    assert contracts["max_per_look"] is tk.plan_season.parameter_constraints["max_per_look"]
    assert contracts["unknown_tags"] is tk.normalise_tags.parameter_constraints["unknown"]
    # one wording: the notebook's message is the function's, with the owner changed
    messages = []
    for call in (
        lambda: tk.check_parameters("02_hit_tags", max_size=7),
        lambda: tk.mine_hit_rules(pd.DataFrame(), [], max_size=7),
    ):
        with pytest.raises(tk.ParameterError) as caught:
            call()
        messages.append(str(caught.value))
    assert messages == [
        "The 'max_size' parameter of the notebook 02_hit_tags must be an int in [1, 6]. Got 7 instead.",
        "The 'max_size' parameter of mine_hit_rules must be an int in [1, 6]. Got 7 instead.",
    ]


def test_declared_constraints_are_checked_however_the_argument_is_passed():
    with pytest.raises(tk.ParameterError, match=r"'n_seasons' parameter of history must be an int >= 0\. Got -1"):
        tk.seasons.history("2025Q4", -1)  # positionally
    with pytest.raises(tk.ParameterError, match=r"'n_seasons' parameter of history must be an int >= 0\. Got 'x'"):
        tk.seasons.history("2025Q4", n_seasons="x")
    with pytest.raises(
        tk.ParameterError, match=r"'min_lift' parameter of mine_hit_rules must be a number >= 0\. Got inf"
    ):
        tk.mine_hit_rules(pd.DataFrame(), [], min_lift=float("inf"))
    assert tk.seasons.history("2025Q4", 2) == ["2025Q3", "2025Q4"]
    assert tk.seasons.history.__name__ == "history" and "n_seasons" in tk.seasons.history.__doc__
