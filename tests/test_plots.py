"""Every figure has a title and labelled axes."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import tagkit as tk  # noqa: E402


def _labelled(fig):
    """A title, and a label on every visible axes, colour bars included (their label names the scale)."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    titles = ([fig._suptitle.get_text()] if fig._suptitle else []) + [ax.get_title() for ax in axes]
    assert any(titles), "no title"
    for ax in axes:
        if not (ax.get_xlabel() or ax.get_ylabel()):
            raise AssertionError(f"axes without labels: {ax.get_label()!r} {ax.get_title()!r}")


@pytest.fixture
def rules():
    rng = np.random.default_rng(0)
    matrix = pd.DataFrame(rng.random((300, 6)) < 0.3, columns=["a=1", "a=2", "b=1", "b=2", "c=1", "c=2"])
    hits = rng.random(300) < np.where(matrix["a=1"] & matrix["b=1"], 0.6, 0.1)
    return matrix, hits, tk.mine_hit_rules(matrix, hits, min_hits=3)


def test_every_figure_is_titled_and_labelled(rules):
    matrix, hits, mined = rules
    coverage = pd.DataFrame(
        {"label": ["Colour"], "required": [True], "n_products": [10], "n_tagged": [8], "n_only_unresolved": [1]}
    )
    counts = pd.DataFrame(
        {"dimension": ["colour"] * 2, "dimension_label": ["Colour"] * 2, "value": ["a", "b"], "n_products": [3, 1]}
    )
    accounting = pd.DataFrame({"reason": ["rows read", "rows used", "set aside: zero quantity"], "rows": [10, 9, 1]})
    share = pd.DataFrame({"season": ["2025Q1", "2025Q2"], "hit_share": [0.07, 0.12], "band": ["inside", "above"]})
    per_season = pd.DataFrame({"tags": ["a=1"] * 4, "season": ["S1", "S2", "S3", "S4"], "lift": [1, 1.5, 2, 2.5]})
    trends = pd.DataFrame({"tags": ["a=1"], "trend": ["rising"]})
    comparison = pd.DataFrame(
        {
            "tags": ["a=1"],
            "share_of_competitor_bestsellers": [0.3],
            "share_of_own_hits": [0.2],
            "share_of_own_range": [0.1],
        }
    )
    candidates = pd.DataFrame(
        {
            "product_id": [f"N{i:02d}" for i in range(40)],
            "name": "",
            "role": "core",
            "category": ["dress", "top"] * 20,
            "look": [f"look{i % 7}" for i in range(40)],
            "probability": np.linspace(0.02, 0.4, 40),
        }
    )
    plan = tk.plan_season(
        candidates,
        season="2026Q1",
        catalogue_size=20,
        base_rate=0.08,
        max_per_look=5,
        waves=tk.plan.waves_for("2026Q1"),
    )
    replayed = pd.DataFrame(
        {
            "season": ["2025Q3", "2025Q3", "2025Q4", "2025Q4"],
            "method": [tk.vocabulary.BACKTEST_METHODS[0], "random picks"] * 2,
            "lift_at_k": [2.1, 1.0, 1.8, 0.9],
        }
    )
    rng = np.random.default_rng(1)
    probabilities = rng.random(400) * 0.3
    figures = {
        "plot_tag_coverage": tk.plots.plot_tag_coverage(coverage),
        "plot_value_distribution": tk.plots.plot_value_distribution(counts),
        "plot_set_aside": tk.plots.plot_set_aside(accounting),
        "plot_hit_share": tk.plots.plot_hit_share(share),
        "plot_rule_scatter": tk.plots.plot_rule_scatter(mined),
        "plot_lift_heatmap": tk.plots.plot_lift_heatmap(tk.lift_table(matrix, hits, "a", "b", min_products=1)),
        "plot_trends": tk.plots.plot_trends(per_season, trends),
        "plot_competitor_shares": tk.plots.plot_competitor_shares(comparison),
        "plot_reliability": tk.plots.plot_reliability(
            tk.propensity.reliability(probabilities, rng.random(400) < probabilities)
        ),
        "plot_plan_waves": tk.plots.plot_plan_waves(plan.table),
        "plot_plan_categories": tk.plots.plot_plan_categories(plan.categories),
        "plot_plan_looks": tk.plots.plot_plan_looks(plan.looks),
        "plot_backtest": tk.plots.plot_backtest(replayed),
    }
    assert set(figures) == {name for name in dir(tk.plots) if name.startswith("plot_")}  # a new figure is checked too
    for name, fig in figures.items():
        assert fig is not None, name
        _labelled(fig)


def test_in_the_rule_scatter_darker_points_are_more_certain(rules):
    """The page reads the scatter as 'darker points are more certain' (notebooks/02_hit_tags.py)."""
    _, _, mined = rules
    points = tk.plots.plot_rule_scatter(mined).axes[0].collections[0]

    def luminance(log_q):
        r, g, b, _ = points.to_rgba(log_q)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert luminance(-12) < luminance(-6) < luminance(0)  # q = 1e-12 darkest, q = 1 lightest
    assert "darker points are more certain" in (tk.paths.NOTEBOOKS / "02_hit_tags.py").read_text(encoding="utf-8")


def test_the_rule_scatter_draws_each_point_once_as_opaque_as_its_stack_of_rules(rules):
    """Rules with the same support, lift and q-value are one marker whose opacity is that of the markers it stands
    for drawn on top of each other (alpha 0.75 each): counted here with a plain loop over the rules."""
    _, _, mined = rules
    stacked = pd.concat([mined, mined.iloc[:5], mined.iloc[:2]], ignore_index=True)  # some points three times over
    points = tk.plots.plot_rule_scatter(stacked).axes[0].collections[0]
    counts = {}
    for support, lift, q in zip(stacked["support"], stacked["lift"], stacked["q_value"].clip(lower=1e-12)):
        key = (round(100 * support, 9), round(lift, 9), round(float(np.log10(q)), 9))
        counts[key] = counts.get(key, 0) + 1
    drawn = {
        (round(x, 9), round(y, 9), round(float(c), 9)): alpha
        for (x, y), c, alpha in zip(points.get_offsets(), points.get_array(), points.get_alpha(), strict=True)
    }
    assert len(drawn) == len(points.get_offsets()) == len(counts) < len(stacked)
    assert max(counts.values()) >= 3
    for key, n in counts.items():
        assert drawn[key] == pytest.approx(1 - 0.25**n)


def _pixels(figure):
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def test_a_chinese_taxonomy_is_drawn_in_chinese(recwarn, monkeypatch):
    """A catalogue tagged in Chinese, end to end: read, normalised, counted and drawn, with every glyph."""
    import matplotlib.pyplot as plt

    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {"name": "category", "label": "品类", "required": True, "values": ["连衣裙", "衬衫", "阔腿裤"]},
                {"name": "colour", "label": "颜色", "values": ["米色", "藏青"]},
            ]
        }
    )
    frame = pd.DataFrame(
        {"product_id": ["1", "2", "3"], "品类": ["连衣裙", "衬衫", "阔腿裤"], "颜色": ["米色", "藏青", "米色"]},
        index=[2, 3, 4],
    )
    catalogue = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    resolved = tk.normalise_tags(catalogue.raw_tags, taxonomy)
    coverage = tk.tags.tag_coverage(resolved, catalogue.products, taxonomy)
    counts = tk.tags.value_counts(resolved, taxonomy)
    assert set(counts["value"]) == {"连衣裙", "衬衫", "阔腿裤", "米色", "藏青"}
    figures = [tk.plots.plot_tag_coverage(coverage), tk.plots.plot_value_distribution(counts)]
    drawn = [_pixels(f) for f in figures]
    assert not [w for w in recwarn if "Glyph" in str(w.message)]  # no empty boxes for a missing glyph
    # the same charts without the CJK font: glyphs missing, and the pictures differ
    monkeypatch.setattr(tk.plots, "_cjk_font", lambda: None)
    with plt.rc_context():
        bare = [tk.plots.plot_tag_coverage(coverage), tk.plots.plot_value_distribution(counts)]
        bare_drawn = [_pixels(f) for f in bare]
    assert [w for w in recwarn if "Glyph" in str(w.message)], "the comparison did draw empty boxes"
    assert all(a.shape != b.shape or (a != b).any() for a, b in zip(drawn, bare_drawn))
    plt.close("all")
