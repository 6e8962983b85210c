"""label_hits, hit_share and check_labels against hand-made seasons and brute force."""

import numpy as np
import pandas as pd
import pytest

import tagkit as tk


def _metrics(values: dict[str, list[float]], days: int = 90) -> pd.DataFrame:
    rows = []
    for season, per_product in values.items():
        for i, v in enumerate(per_product):
            rows.append(
                {
                    "product_id": f"{season}-{i:02d}",
                    "season": season,
                    "lines": 1,
                    "units": v,
                    "returns": 0,
                    "net_units": v,
                    "revenue": 10.0 * v,
                    "days_on_sale": days,
                    "units_per_week": v,
                }
            )
    return pd.DataFrame(rows)


def _products(metrics: pd.DataFrame, **extra) -> pd.DataFrame:
    products = (
        metrics[["product_id", "season"]].drop_duplicates("product_id").rename(columns={"season": "launch_season"})
    )
    products["role"] = "core"
    for key, values in extra.items():
        products[key] = values
    return products.reset_index(drop=True)


def _sparse(rng, seasons=("2025Q1", "2025Q2", "2025Q3"), n=60) -> pd.DataFrame:
    """Sparse sales: few units, many ties on units, revenue and lines telling some of them apart."""
    rows = []
    for season in seasons:
        for i in range(n):
            units = int(rng.choice([0, 1, 1, 1, 2, 2, 3, 5]))
            rows.append(
                {
                    "product_id": f"{season}-{i:02d}",
                    "season": season,
                    "lines": int(min(units, rng.integers(0, 3))),
                    "units": units,
                    "returns": 0,
                    "net_units": units,
                    "revenue": float(units * rng.choice([10, 20])),
                    "days_on_sale": int(rng.integers(1, 91)),
                    "units_per_week": 0.0,
                }
            )
    return pd.DataFrame(rows)


def _expected_hits(pool: pd.DataFrame, judged: pd.DataFrame, share: float, value) -> set:
    """Brute force with Python tuples: the bar is the k-th best (value, revenue, lines) of the pool."""
    key = {r.product_id: (value(r), r.revenue, r.lines) for r in pd.concat([pool, judged]).itertuples()}
    ordered = sorted((key[p] for p in pool["product_id"]), reverse=True)
    bar = ordered[max(1, int(np.floor(share * len(ordered) + 0.5))) - 1]
    return {p for p in judged["product_id"] if key[p] >= bar and key[p][0] > 0}


def _per_week(days_floor):
    return lambda r: round(r.net_units / (max(r.days_on_sale, days_floor) / 7), 6)


def test_share_definition_per_season_with_tie_break_brute_force():
    metrics = _sparse(np.random.default_rng(0))
    labels = tk.label_hits(metrics, _products(metrics), definition="share", top_share=0.1)
    for season, part in metrics.groupby("season"):
        got = set(labels.loc[(labels["season"] == season) & labels["hit"], "product_id"])
        assert got == _expected_hits(part, part, 0.1, _per_week(14))


def test_bar_fixed_on_reference_seasons_brute_force():
    metrics = _sparse(np.random.default_rng(1))
    reference = metrics[metrics["season"].isin(["2025Q1", "2025Q2"])]
    labels = tk.label_hits(metrics, _products(metrics), top_share=0.1, reference_seasons=["2025Q1", "2025Q2"])
    assert set(labels.loc[labels["hit"], "product_id"]) == _expected_hits(reference, metrics, 0.1, _per_week(14))
    # one bar for every season: the later season's share is measured, not set
    assert labels["bar"].nunique() == 1
    by_units = tk.label_hits(metrics, _products(metrics), metric="units", top_share=0.2)
    assert set(by_units.loc[by_units["hit"], "product_id"]) == _expected_hits(
        metrics, metrics, 0.2, lambda r: float(r.net_units)
    )


def test_a_rate_never_divides_by_less_than_the_minimum_exposure():
    metrics = _metrics({"2025Q1": [1, 6, 3]})
    metrics["days_on_sale"] = [1, 90, 10]  # one unit on the last day would be 7 a week
    labels = tk.label_hits(metrics, _products(metrics), top_share=0.34, min_exposure_days=14).set_index("product_id")
    assert labels.loc["2025Q1-00", "value"] == pytest.approx(0.5) and not labels.loc["2025Q1-00", "hit"]
    assert labels.loc["2025Q1-02", "value"] == pytest.approx(1.5) and labels.loc["2025Q1-02", "hit"]
    assert labels.loc[["2025Q1-00", "2025Q1-01", "2025Q1-02"], "short_exposure"].tolist() == [True, False, True]


def test_ties_are_broken_by_revenue_then_lines_and_exact_ties_are_counted():
    metrics = _metrics({"2025Q1": [9, 5, 5, 5, 5, 1, 0, 0, 0, 0]})
    metrics["revenue"] = [90, 70, 50, 50, 50, 10, 0, 0, 0, 0]
    metrics["lines"] = [1, 1, 3, 2, 2, 1, 0, 0, 0, 0]
    labels = tk.label_hits(metrics, _products(metrics), definition="share", top_share=0.3).set_index("product_id")
    # k = 3: 9, then 5 with the most revenue, then among the three at 5/50 the one with 3 lines
    assert set(labels.index[labels["hit"]]) == {"2025Q1-00", "2025Q1-01", "2025Q1-02"}
    assert labels["at_cut_off"].sum() == 3  # the other products at 5 (the one setting the bar is not a tie)
    labels = tk.label_hits(metrics.assign(lines=1), _products(metrics), definition="share", top_share=0.3).set_index(
        "product_id"
    )
    assert labels["hit"].sum() == 5 and labels["exact_tie"].sum() == 2  # level on every key: all hits
    all_zero = _metrics({"2025Q1": [0] * 10})
    assert not tk.label_hits(all_zero, _products(all_zero)).hit.any()


def test_a_season_where_every_product_ties_shows_outside_the_band():
    metrics = _metrics({"2025Q1": [3] * 50})
    share = tk.hit_share(tk.label_hits(metrics, _products(metrics)))
    assert share.loc[0, "hit_share"] == 1.0 and share.loc[0, "band"] == "above"


def test_hit_share_and_revenue_share_counted_by_hand():
    metrics = _sparse(np.random.default_rng(3))
    labels = tk.label_hits(metrics, _products(metrics))
    share = tk.hit_share(labels).set_index("season")
    for season, part in labels.groupby("season"):
        hits = part[part["hit"]]
        assert share.loc[season, "hits"] == len(hits)
        assert share.loc[season, "hit_share"] == round(len(hits) / len(part), 4)
        assert share.loc[season, "revenue_share"] == round(hits["revenue"].sum() / part["revenue"].sum(), 4)


def test_check_labels_warns_when_hits_do_not_sell_more():
    # the real-data failure: one unit per product, the "hits" sold one unit on the last days of a season
    metrics = _metrics({"2025Q1": [1] * 200})
    metrics["days_on_sale"] = np.r_[np.full(15, 2), np.full(185, 60)]
    metrics["revenue"] = 10.0
    definition = tk.HitDefinition(min_exposure_days=1)
    labels = tk.label_hits(metrics, _products(metrics), **definition.options())
    check = tk.check_labels(labels, definition)
    text = " ".join(check.warnings)
    assert "may not measure selling" in text and "a median of 1.0 units against 1.0" in text
    assert "min_exposure_days" in text and "Only 15 hits" in text and "on sale fewer than 1 days" not in text
    table = check.table.set_index("measure")
    assert table.loc["sold one unit or none", "hits"] == 15
    # a label that measures selling: no warning
    rng = np.random.default_rng(5)
    units = np.r_[rng.integers(20, 40, 60), rng.integers(0, 4, 740)]
    healthy = _metrics({"2025Q1": list(units)})
    labels = tk.label_hits(healthy, _products(healthy), top_share=0.075)
    assert tk.check_labels(labels).warnings == ()


def test_launch_note_says_how_launch_was_inferred():
    products = pd.DataFrame(
        {
            "product_id": ["a", "b", "c", "d"],
            "source": "own",
            "launch_date": pd.to_datetime(["2025-01-02", None, None, None]),
            "launch_season": ["2025Q1", "2025Q1", None, None],
        }
    )
    note = tk.hits.launch_note(products)
    assert "1 of 4 products have a launch date and 1 more a launch season" in note and "other 2" in note
    assert tk.hits.launch_note(products.assign(launch_date=pd.Timestamp("2025-01-02"))) is None


def test_image_products_and_short_stays_are_not_ranked():
    metrics = _metrics({"2025Q1": [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]})
    metrics.loc[1, "days_on_sale"] = 5
    products = _products(metrics, role=["image"] + ["core"] * 9)
    labels = tk.label_hits(metrics, products, top_share=0.2, min_days_on_sale=7).set_index("product_id")
    assert labels.loc["2025Q1-00", "status"] == "image product" and not labels.loc["2025Q1-00", "hit"]
    assert labels.loc["2025Q1-01", "status"] == "too few days on sale"
    assert labels["hit"].sum() == 2 and labels.loc["2025Q1-02", "hit"] and labels.loc["2025Q1-03", "hit"]
    share = tk.hit_share(labels.reset_index())
    assert (share.loc[0, "catalogue"], share.loc[0, "image_products"], share.loc[0, "too_few_days"]) == (8, 1, 1)


def test_ranking_within_groups(taxonomy):
    metrics = _metrics({"2025Q1": [10, 9, 8, 7, 2, 1, 1, 1]})
    products = _products(metrics)
    raw = pd.DataFrame(
        {
            "product_id": products["product_id"],
            "row": range(2, 10),
            "column": "c",
            "raw_dimension": "category",
            "raw_value": ["midi dress", "dress", "dress", "dress", "top", "top", "top", "top"],
        }
    )
    tags = tk.normalise_tags(raw, taxonomy)
    labels = tk.label_hits(metrics, products, top_share=0.25, group_by="category", tags=tags, taxonomy=taxonomy)
    hits = labels[labels["hit"]].set_index("product_id")["group"].to_dict()
    assert hits == {"2025Q1-00": "dress", "2025Q1-04": "top"}  # midi-dress ranks with the dresses


def test_launched_and_on_sale_catalogues():
    metrics = pd.concat(
        [_metrics({"2025Q1": [5, 4]}), _metrics({"2025Q2": [3]}).assign(product_id="2025Q1-00")], ignore_index=True
    )
    products = _products(metrics.iloc[:2])
    launched = tk.label_hits(metrics, products)
    on_sale = tk.label_hits(metrics, products, catalogue="on_sale")
    assert set(launched["season"]) == {"2025Q1"} and len(on_sale) == 3


def test_threshold_and_metrics():
    metrics = _metrics({"2025Q1": [10, 5, 1]})
    labels = tk.label_hits(metrics, _products(metrics), metric="units", threshold=5)
    assert labels["hit"].sum() == 2
    stocked = _products(metrics, stock=[100, 5, 1])
    by_sell_through = tk.label_hits(metrics, stocked, metric="sell_through", threshold=0.9).set_index("product_id")
    assert by_sell_through["hit"].to_dict() == {"2025Q1-00": False, "2025Q1-01": True, "2025Q1-02": True}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"metric": "sales"}, "The 'metric' parameter of label_hits must be one of"),
        ({"top_share": 1.5}, r"The 'top_share' parameter of label_hits must be a float in \(0, 1\]. Got 1.5"),
        ({"threshold": -1}, "The 'threshold' parameter of label_hits must be a number > 0"),
        ({"metric": "sell_through"}, "needs the stock of each product"),
        ({"group_by": "colr"}, "must be a dimension of the taxonomy or a column"),
        ({"catalogue": "all"}, "The 'catalogue' parameter of label_hits must be one of"),
        ({"definition": "top"}, "The 'definition' parameter of label_hits must be one of 'bar', 'share'"),
        ({"definition": "share", "threshold": 3}, "is a bar: it needs definition='bar'"),
        ({"min_exposure_days": 0}, r"The 'min_exposure_days' parameter of label_hits must be an int in \[1, 365\]"),
    ],
)
def test_parameter_errors(kwargs, message):
    metrics = _metrics({"2025Q1": [1, 2]})
    with pytest.raises(tk.ParameterError, match=message):
        tk.label_hits(metrics, _products(metrics), **kwargs)


def test_hit_definition_checks_itself():
    with pytest.raises(tk.ParameterError, match="The 'bar' parameter of HitDefinition is used with definition='bar'"):
        tk.HitDefinition(definition="share", bar=2.0)
    with pytest.raises(tk.ParameterError, match="The 'bar' parameter of HitDefinition must be a number >= 0"):
        tk.HitDefinition(bar=float("inf"))
    assert "the same bar for every season" in tk.HitDefinition().describe(["2025Q1", "2025Q4"])


def test_band_must_be_ordered():
    metrics = _metrics({"2025Q1": [1, 2]})
    with pytest.raises(tk.ParameterError, match="0 <= low < high <= 1"):
        tk.hit_share(tk.label_hits(metrics, _products(metrics)), band=(0.1, 0.05))
