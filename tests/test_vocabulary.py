"""Contracts declared once: the choices the notebooks check are the vocabulary's, and a wrong frame given to
a public function is named, with its missing columns, instead of failing inside pandas."""

import pandas as pd
import pytest

import tagkit as tk
from tagkit.parameters import PARAMETER_CONTRACTS
from tagkit.vocabulary import CATALOGUES, ENGINES, FRAMES, HIT_DEFINITIONS, MAX_TAG_SET_SIZE, METRIC_WORDS, METRICS


def test_the_notebook_parameters_take_their_choices_from_the_vocabulary():
    assert PARAMETER_CONTRACTS["metric"] == ("choice", METRICS)
    assert PARAMETER_CONTRACTS["catalogue"] == ("choice", CATALOGUES)
    assert PARAMETER_CONTRACTS["hit_definition"] == ("choice", HIT_DEFINITIONS)
    assert PARAMETER_CONTRACTS["engine"] == ("choice", ENGINES)
    assert PARAMETER_CONTRACTS["max_size"] == ("int", 1, MAX_TAG_SET_SIZE)
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
