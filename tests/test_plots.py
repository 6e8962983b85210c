"""Every figure has a title and labelled axes."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import tagkit as tk  # noqa: E402


def _labelled(fig):
    titles = [fig._suptitle.get_text()] if fig._suptitle else []
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    titles += [ax.get_title() for ax in axes]
    assert any(titles), "no title"
    for ax in axes:
        if ax.get_xlabel() or ax.get_ylabel():
            continue
        if ax in fig.axes[-1:] and not ax.get_title():  # colour bars carry their own label
            continue
        raise AssertionError(f"axes without labels: {ax.get_title()!r}")


@pytest.fixture
def rules():
    rng = np.random.default_rng(0)
    matrix = pd.DataFrame(rng.random((300, 6)) < 0.3, columns=["a=1", "a=2", "b=1", "b=2", "c=1", "c=2"])
    hits = rng.random(300) < np.where(matrix["a=1"] & matrix["b=1"], 0.6, 0.1)
    return matrix, hits, tk.mine_hit_rules(matrix, hits, min_hits=3)


def test_every_figure_is_titled_and_labelled(rules):
    matrix, hits, mined = rules
    coverage = pd.DataFrame({"label": ["Colour"], "required": [True], "n_products": [10], "n_tagged": [8],
                             "n_only_unresolved": [1]})
    counts = pd.DataFrame({"dimension": ["colour"] * 2, "dimension_label": ["Colour"] * 2, "value": ["a", "b"],
                           "n_products": [3, 1]})
    accounting = pd.DataFrame({"reason": ["rows read", "rows used", "set aside: zero quantity"], "rows": [10, 9, 1]})
    share = pd.DataFrame({"season": ["2025Q1", "2025Q2"], "hit_share": [0.07, 0.12], "band": ["inside", "above"]})
    per_season = pd.DataFrame({"tags": ["a=1"] * 4, "season": ["S1", "S2", "S3", "S4"], "lift": [1, 1.5, 2, 2.5]})
    trends = pd.DataFrame({"tags": ["a=1"], "trend": ["rising"]})
    comparison = pd.DataFrame({"tags": ["a=1"], "share_of_competitor_bestsellers": [0.3], "share_of_own_hits": [0.2],
                               "share_of_own_range": [0.1]})
    figures = [tk.plot_tag_coverage(coverage), tk.plot_value_distribution(counts), tk.plot_set_aside(accounting),
               tk.plot_hit_share(share), tk.plot_rule_scatter(mined),
               tk.plot_lift_heatmap(tk.lift_table(matrix, hits, "a", "b", min_products=1)),
               tk.plot_trends(per_season, trends), tk.plot_competitor_shares(comparison)]
    for fig in figures:
        _labelled(fig)
