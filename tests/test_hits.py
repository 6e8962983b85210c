"""label_hits and hit_share against hand-made seasons."""

import numpy as np
import pandas as pd
import pytest

import tagkit as tk


def _metrics(values: dict[str, list[float]], days: int = 90) -> pd.DataFrame:
    rows = []
    for season, per_product in values.items():
        for i, v in enumerate(per_product):
            rows.append({"product_id": f"{season}-{i:02d}", "season": season, "lines": 1, "units": v, "returns": 0,
                         "net_units": v, "revenue": 10.0 * v, "days_on_sale": days, "units_per_week": v})
    return pd.DataFrame(rows)


def _products(metrics: pd.DataFrame, **extra) -> pd.DataFrame:
    products = metrics[["product_id", "season"]].drop_duplicates("product_id").rename(
        columns={"season": "launch_season"})
    products["role"] = "core"
    for key, values in extra.items():
        products[key] = values
    return products.reset_index(drop=True)


def test_top_share_per_season_brute_force():
    rng = np.random.default_rng(0)
    metrics = _metrics({"2025Q1": list(rng.integers(0, 50, 80)), "2025Q2": list(rng.integers(0, 50, 40))})
    labels = tk.label_hits(metrics, _products(metrics), top_share=0.1)
    for season, part in metrics.groupby("season"):
        k = max(1, int(np.floor(0.1 * len(part) + 0.5)))
        cut = sorted(part["units_per_week"], reverse=True)[k - 1]
        expected = set(part.loc[(part["units_per_week"] >= cut) & (part["units_per_week"] > 0), "product_id"])
        got = set(labels.loc[(labels["season"] == season) & labels["hit"], "product_id"])
        assert got == expected


def test_ties_at_the_cut_off_are_all_hits_and_zero_never_is():
    metrics = _metrics({"2025Q1": [9, 5, 5, 5, 1, 0, 0, 0, 0, 0]})
    labels = tk.label_hits(metrics, _products(metrics), top_share=0.2).set_index("product_id")
    assert labels["hit"].sum() == 4  # 9 and the three products tied at 5
    all_zero = _metrics({"2025Q1": [0] * 10})
    assert not tk.label_hits(all_zero, _products(all_zero)).hit.any()


def test_a_season_where_every_product_ties_shows_outside_the_band():
    metrics = _metrics({"2025Q1": [3] * 50})
    share = tk.hit_share(tk.label_hits(metrics, _products(metrics)))
    assert share.loc[0, "hit_share"] == 1.0 and share.loc[0, "band"] == "above"


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
    raw = pd.DataFrame({"product_id": products["product_id"], "row": range(2, 10), "column": "c",
                        "raw_dimension": "category",
                        "raw_value": ["midi dress", "dress", "dress", "dress", "top", "top", "top", "top"]})
    tags = tk.normalise_tags(raw, taxonomy)
    labels = tk.label_hits(metrics, products, top_share=0.25, group_by="category", tags=tags, taxonomy=taxonomy)
    hits = labels[labels["hit"]].set_index("product_id")["group"].to_dict()
    assert hits == {"2025Q1-00": "dress", "2025Q1-04": "top"}  # midi-dress ranks with the dresses


def test_launched_and_on_sale_catalogues():
    metrics = pd.concat([_metrics({"2025Q1": [5, 4]}),
                         _metrics({"2025Q2": [3]}).assign(product_id="2025Q1-00")], ignore_index=True)
    products = _products(metrics.iloc[:2])
    launched = tk.label_hits(metrics, products)
    on_sale = tk.label_hits(metrics, products, catalogue="on_sale")
    assert set(launched["season"]) == {"2025Q1"} and len(on_sale) == 3


def test_threshold_and_metrics():
    metrics = _metrics({"2025Q1": [10, 5, 1]})
    labels = tk.label_hits(metrics, _products(metrics), threshold=5)
    assert labels["hit"].sum() == 2
    stocked = _products(metrics, stock=[100, 5, 1])
    by_sell_through = tk.label_hits(metrics, stocked, metric="sell_through", threshold=0.9).set_index("product_id")
    assert by_sell_through["hit"].to_dict() == {"2025Q1-00": False, "2025Q1-01": True, "2025Q1-02": True}


@pytest.mark.parametrize("kwargs, message", [
    ({"metric": "sales"}, "The 'metric' parameter of label_hits must be one of"),
    ({"top_share": 1.5}, r"The 'top_share' parameter of label_hits must be a float in \(0, 1\]. Got 1.5"),
    ({"threshold": -1}, "The 'threshold' parameter of label_hits must be a number > 0"),
    ({"metric": "sell_through"}, "needs the stock of each product"),
    ({"group_by": "colr"}, "must be a dimension of the taxonomy or a column"),
    ({"catalogue": "all"}, "The 'catalogue' parameter of label_hits must be one of"),
])
def test_parameter_errors(kwargs, message):
    metrics = _metrics({"2025Q1": [1, 2]})
    with pytest.raises(tk.ParameterError, match=message):
        tk.label_hits(metrics, _products(metrics), **kwargs)


def test_band_must_be_ordered():
    metrics = _metrics({"2025Q1": [1, 2]})
    with pytest.raises(tk.ParameterError, match="0 <= low < high <= 1"):
        tk.hit_share(tk.label_hits(metrics, _products(metrics)), band=(0.1, 0.05))
