"""Rules X => hit against mlxtend, scipy and brute force; the demo brand's planted ground truth."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import yaml
from mlxtend.frequent_patterns import association_rules, fpgrowth
from scipy.stats import false_discovery_control, fisher_exact

import tagkit as tk


def _frame(seed, n=300, items=10):
    rng = np.random.default_rng(seed)
    matrix = pd.DataFrame(rng.random((n, items)) < 0.25, columns=[f"d{i % 3}=v{i}" for i in range(items)])
    planted = matrix.iloc[:, 0] & matrix.iloc[:, 1]
    hits = rng.random(n) < np.where(planted, 0.6, 0.1)
    return matrix, hits


@pytest.mark.parametrize("seed", [0, 1])
def test_measures_match_mlxtend_association_rules(seed):
    matrix, hits = _frame(seed)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=6, max_size=3)
    with_hit = matrix.assign(hit=hits)
    itemsets = fpgrowth(with_hit, min_support=5.5 / len(matrix), max_len=4, use_colnames=True)
    theirs = association_rules(itemsets, num_itemsets=len(matrix), metric="confidence", min_threshold=0.0)
    theirs = theirs[theirs["consequents"] == frozenset({"hit"})]
    theirs = theirs[theirs["support"] * len(matrix) >= 6 - 1e-9].set_index(
        theirs["antecedents"].map(lambda a: frozenset(a))
    )
    ours = rules.set_index(rules["items"].map(frozenset))
    assert set(ours.index) == set(theirs.index)
    joined = ours.join(theirs.add_suffix("_mlxtend"))
    for measure in ("support", "confidence", "lift", "leverage"):
        assert np.allclose(joined[measure], joined[f"{measure}_mlxtend"]), measure
    finite = np.isfinite(joined["conviction_mlxtend"]) & np.isfinite(joined["conviction"])
    assert np.allclose(joined.loc[finite, "conviction"], joined.loc[finite, "conviction_mlxtend"])
    assert np.allclose(joined["antecedent support_mlxtend"] * len(matrix), joined["n_products"])


def test_p_and_q_values_match_scipy():
    matrix, hits = _frame(3)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5, max_size=2)
    n, h = len(matrix), int(hits.sum())
    for r in rules.itertuples():
        table = [[r.n_hits, r.n_products - r.n_hits], [h - r.n_hits, n - h - (r.n_products - r.n_hits)]]
        assert r.p_value == pytest.approx(fisher_exact(table, alternative="greater")[1], rel=1e-9, abs=1e-300)
    assert np.allclose(rules["q_value"], false_discovery_control(rules["p_value"], method="bh"))
    assert np.allclose(
        tk.rules.benjamini_hochberg([0.01, 0.04, 0.03, 0.5]), false_discovery_control([0.01, 0.04, 0.03, 0.5])
    )


def test_statuses_follow_their_definitions():
    matrix, hits = _frame(4, n=500)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5, max_size=3, min_lift=1.2, max_q=0.05)
    conf = {frozenset(i): c for i, c in zip(rules["items"], rules["confidence"])}
    for r in rules.itertuples():
        items = frozenset(r.items)
        subsets = [frozenset(s) for k in range(1, len(items)) for s in combinations(items, k)]
        redundant = any(conf[s] >= r.confidence - 1e-12 for s in subsets)
        if r.lift < 1.2:
            assert r.status == "low lift"
        elif r.q_value > 0.05:
            assert r.status == "not significant"
        elif redundant:
            assert r.status == "redundant"
        elif r.q_improvement > 0.05:
            assert r.status == "no better than its parts"
        else:
            assert r.status == "kept"
    kept = rules[rules["status"] == "kept"]
    assert ("d0=v0", "d1=v1") in set(kept["items"])  # the planted pair
    assert tk.rules.status_counts(rules)["rules"].sum() == len(rules)


@pytest.mark.parametrize("wide", [False, True])
def test_improvement_is_the_weakest_tag_by_fisher_within_the_general_set(monkeypatch, wide):
    """q_improvement by brute force: for each tag left out, Fisher's test of the extra tag among the products of
    the rest (scipy), the largest p-value per set (a single tag: its own), then Benjamini-Hochberg; the
    statuses again. ``wide``: sets too wide for one 63-bit key take the frozenset path, with the same result."""
    if wide:
        monkeypatch.setattr(tk.rules, "_KEY_LIMIT", 0)
    matrix, hits = _frame(5, n=600, items=12)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=4, max_size=4, min_lift=1.2, max_q=0.05)
    assert rules["size"].max() == 4
    counts = {frozenset(i): (h, n) for i, h, n in zip(rules["items"], rules["n_hits"], rules["n_products"])}
    worst = []
    for r in rules.itertuples():
        if r.size == 1:
            worst.append(r.p_value)
            continue
        p_values = []
        for left_out in r.items:
            h_g, n_g = counts[frozenset(r.items) - {left_out}]
            table = [[r.n_hits, r.n_products - r.n_hits], [h_g - r.n_hits, (n_g - r.n_products) - (h_g - r.n_hits)]]
            p_values.append(fisher_exact(table, alternative="greater")[1])
        worst.append(max(p_values))
    np.testing.assert_allclose(rules["q_improvement"], false_discovery_control(worst, method="bh"), rtol=1e-7)
    conf = {frozenset(i): c for i, c in zip(rules["items"], rules["confidence"])}
    for r in rules.itertuples():
        items = frozenset(r.items)
        best = max((conf[frozenset(s)] for k in range(1, len(items)) for s in combinations(items, k)), default=-1)
        if r.lift >= 1.2 and r.q_value <= 0.05:
            assert (r.status == "redundant") == (best >= r.confidence - 1e-12)


def test_taxonomy_keeps_parents_and_children_apart(taxonomy):
    columns = taxonomy.items
    rng = np.random.default_rng(0)
    data = pd.DataFrame(False, index=range(200), columns=columns)
    data["category=midi-dress"] = rng.random(200) < 0.5
    data["category=dress"] = data["category=midi-dress"] | (rng.random(200) < 0.2)
    data["colour=black"] = rng.random(200) < 0.5
    hits = data["category=midi-dress"].to_numpy() & (rng.random(200) < 0.7)
    rules = tk.mine_hit_rules(data, hits, min_hits=3, taxonomy=taxonomy)
    assert not any({"category=dress", "category=midi-dress"} <= set(items) for items in rules["items"])


def test_describe_score_and_lift_table(taxonomy):
    matrix, hits = _frame(5)
    rules = tk.mine_hit_rules(matrix, hits, min_hits=5, max_size=2)
    top = rules.iloc[0]
    text = tk.rules.describe_rules(rules.head(1)).iloc[0]
    assert f"{top['n_hits']:,} of {top['n_products']:,}" in text and f"{top['lift']:.1f}×" in text
    other_matrix, other_hits = _frame(6)
    scored = tk.rules.score_rules(rules, other_matrix, other_hits)
    for r, s in zip(rules.itertuples(), scored.itertuples()):
        has = other_matrix[list(r.items)].all(axis=1).to_numpy()
        assert (s.n_products, s.n_hits) == (has.sum(), (has & other_hits).sum())
    table = tk.lift_table(matrix, hits, "d0", "d1", min_products=1)
    row = table[(table["d0"] == "v0") & (table["d1"] == "v1")].iloc[0]
    both = (matrix["d0=v0"] & matrix["d1=v1"]).to_numpy()
    assert row["n_products"] == both.sum() and row["lift"] == pytest.approx(
        (both & hits).sum() / both.sum() / hits.mean()
    )


def test_common_tags_tell_common_from_marking():
    rng = np.random.default_rng(7)
    n = 800
    matrix = pd.DataFrame(
        {"colour=black": rng.random(n) < 0.6, "pattern=check": rng.random(n) < 0.1, "fit=slim": rng.random(n) < 0.3}
    )
    hits = rng.random(n) < np.where(matrix["pattern=check"], 0.5, 0.08)
    tags = tk.common_tags(matrix, hits, competitors=matrix.head(100)).set_index("tags")
    assert tags.loc["pattern=check", "verdict"] == "marks hits"
    assert tags.loc["colour=black", "verdict"] == "common everywhere"
    assert tags.loc["colour=black", "share_of_competitor_bestsellers"] == matrix.head(100)["colour=black"].mean()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"min_hits": 0}, "The 'min_hits' parameter of mine_hit_rules must be an int >= 1"),
        ({"max_size": 9}, r"The 'max_size' parameter of mine_hit_rules must be an int in \[1, 6\]"),
        ({"max_q": 0}, "The 'max_q' parameter of mine_hit_rules must be a float in"),
        ({"min_lift": -1}, "The 'min_lift' parameter of mine_hit_rules must be a number >= 0"),
    ],
)
def test_parameter_errors(kwargs, message):
    matrix, hits = _frame(0, n=50)
    with pytest.raises(tk.ParameterError, match=message):
        tk.mine_hit_rules(matrix, hits, **kwargs)


def test_no_hits_is_explained():
    matrix, _ = _frame(0, n=50)
    with pytest.raises(tk.ParameterError, match="0 of 50 rows are hits"):
        tk.mine_hit_rules(matrix, np.zeros(50, bool))


@pytest.fixture(scope="module")
def demo_rules():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_hits(brand.sales.metrics, brand.own.products, calendar=dataset.calendar)
    truth = yaml.safe_load((dataset.folder / "ground_truth.yml").read_text(encoding="utf-8"))
    return brand, labels, truth


def test_kept_only_is_the_kept_rows_of_the_whole_table(demo_rules):
    """kept_only names the kept rules alone; the rows, their order, q-values and attrs are the whole table's."""
    matrix, hits = _frame(4, n=500)
    options = dict(min_hits=5, max_size=3, min_lift=1.2, max_q=0.05)
    brand, labels, _truth = demo_rules
    rows, demo_hits = tk.hits.ranked_rows(labels, brand.matrix, tk.seasons.history("2025Q4", 4))
    for m, h, extra in ((matrix, hits, {}), (rows, demo_hits, {"taxonomy": brand.taxonomy})):
        whole = tk.mine_hit_rules(m, h, **options, **extra)
        kept = tk.mine_hit_rules(m, h, kept_only=True, **options, **extra)
        expected = whole[whole["status"] == tk.vocabulary.KEPT].reset_index(drop=True)
        assert 0 < len(kept) < len(whole)
        pd.testing.assert_frame_equal(kept, expected)
        assert kept.attrs == whole.attrs


@pytest.mark.parametrize("year", ["2023", "2025"])
def test_demo_brand_planted_combinations_come_out_on_top_and_noise_does_not(demo_rules, year):
    brand, labels, truth = demo_rules
    matrix, hits = tk.hits.ranked_rows(labels, brand.matrix, [f"{year}Q{q}" for q in range(1, 5)])
    rules = tk.mine_hit_rules(matrix, hits, min_lift=1.5, taxonomy=brand.taxonomy)
    kept = rules[rules["status"] == "kept"]
    top = [set(items) for items in kept["items"].head(10)]  # forms of one finding along the hierarchy take several
    active = [
        rule
        for rule in truth["planted_hit_combinations"]
        if rule["trend"] == "steady" or (rule["trend"] == "fading") == (year == "2023")
    ]
    for rule in active:  # each planted combination (or a more specific form of it) is among the top rules
        assert any(set(rule["items"]) <= items or items <= set(rule["items"]) and len(items) > 1 for items in top), (
            rule["name"],
            top,
        )
    noise = tuple(f"{d}=" for d in truth["noise_dimensions"]["dimensions"])
    with_noise = [items for items in kept["items"] if any(i.startswith(noise) for i in items)]
    # noise tags never make a top rule; a few kept rules may pair one with a planted tag through the categories
    # that carry both (see ground_truth.yml), never more than a tenth of them
    assert not any(i.startswith(noise) for items in top for i in items)
    assert len(with_noise) <= max(1, len(kept) // 10), with_noise
    # alone, a noise tag never reaches both thresholds (it is only carried by some categories, so it can look
    # slightly better than average through them: see the note in ground_truth.yml)
    singles = rules[(rules["size"] == 1) & rules["rule"].str.startswith(noise)]
    assert len(singles) and not ((singles["lift"] >= 1.5) & (singles["q_value"] <= 0.05)).any()


def test_heatmap_dimensions_are_the_ones_that_tell_hits_apart():
    rng = np.random.default_rng(7)
    n = 2000
    frame = pd.DataFrame({"product_id": [str(i) for i in range(n)], "row": range(n), "column": "c"})
    values = {
        "category": rng.choice(["dress", "top", "coat"], n),
        "colour": rng.choice(["black", "navy"], n),
        "material": rng.choice(["linen", "wool", "denim"], n),
    }
    taxonomy = tk.Taxonomy.from_dict({"dimensions": [{"name": d, "values": sorted(set(v))} for d, v in values.items()]})
    raw = pd.concat([frame.assign(raw_dimension=d, raw_value=v) for d, v in values.items()], ignore_index=True)
    matrix = tk.encode_tags(tk.normalise_tags(raw, taxonomy), taxonomy, products=frame["product_id"])
    # hits depend on material strongly, on colour a little, not on category
    p = 0.03 + 0.2 * (values["material"] == "linen") + 0.04 * (values["colour"] == "navy")
    hits = rng.random(n) < p
    assert tk.rules.heatmap_dimensions(matrix, hits, taxonomy) == ("material", "colour")
    assert tk.rules.heatmap_dimensions(matrix, hits, taxonomy, rows="category") == ("category", "material")
    assert tk.rules.heatmap_dimensions(matrix, hits, taxonomy, rows="category", columns="colour") == (
        "category",
        "colour",
    )
    one = tk.Taxonomy.from_dict({"dimensions": [{"name": "material", "values": ["linen", "wool", "denim"]}]})
    assert tk.rules.heatmap_dimensions(matrix.filter(like="material="), hits, one) is None


@pytest.mark.parametrize("largest", [200_000, 4_000_000, 10_000_000])  # the log-factorial table, to its limit, beyond
def test_the_fisher_tail_agrees_with_scipy_everywhere(largest):
    """tagkit._fisher.upper_tail (the rules' p-values) against scipy's hypergeom.sf, edges included."""
    from scipy.stats import hypergeom

    from tagkit._fisher import _TABLE_LIMIT, upper_tail

    assert (largest < _TABLE_LIMIT) == (largest < 5_000_000)  # the last size takes the log-beta path
    rng = np.random.default_rng(3)
    population = rng.integers(1, largest, 4000)
    successes = (population * rng.uniform(0, 1, 4000)).astype(int)
    draws = (population * rng.uniform(0, 1, 4000)).astype(int)
    x = rng.integers(-2, np.minimum(successes, draws) + 3)
    edges = [(0, 10, 0, 5), (1, 10, 0, 5), (6, 10, 5, 5), (5, 10, 5, 5), (3, 10, 10, 3), (4, 10, 10, 3), (0, 1, 0, 0)]
    x, population, successes, draws = (
        np.concatenate([a, [e[i] for e in edges]]) for i, a in enumerate((x, population, successes, draws))
    )
    ours = upper_tail(x, population, successes, draws)
    theirs = hypergeom.sf(x - 1, population, successes, draws)
    assert np.allclose(ours, theirs, rtol=1e-7, atol=1e-13)
    small = theirs < 1e-3
    assert small.sum() > 100 and np.allclose(ours[small], theirs[small], rtol=1e-7, atol=1e-300)


def test_rules_along_one_hierarchy_are_one_finding():
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {
                    "name": "category",
                    "values": [
                        "outerwear",
                        {"name": "coat", "parent": "outerwear"},
                        {"name": "trench-coat", "parent": "coat"},
                        {"name": "jacket", "parent": "outerwear"},
                        "dress",
                    ],
                },
                {"name": "pattern", "values": ["check", "stripe"]},
            ]
        }
    )
    items = [
        ("category=trench-coat", "pattern=check"),
        ("category=coat", "pattern=check"),
        ("category=dress", "pattern=check"),
        ("category=jacket", "pattern=check"),
        ("category=coat", "pattern=stripe"),
    ]
    rules = pd.DataFrame(
        {
            "items": items,
            "rule": [" & ".join(i) for i in items],
            "n_products": [31, 40, 50, 20, 30],
            "n_hits": [27, 30, 20, 12, 9],
            "confidence": [0.87, 0.75, 0.4, 0.6, 0.3],
            "lift": [11.6, 10.0, 5.3, 8.0, 4.0],
            "q_value": [0.001] * 5,
            "status": ["kept"] * 5,
        }
    )
    findings = tk.rules.rule_findings(rules, taxonomy)
    assert findings.tolist() == [
        "category=outerwear & pattern=check",
        "category=outerwear & pattern=check",
        "category=dress & pattern=check",
        "category=outerwear & pattern=check",
        "category=outerwear & pattern=stripe",
    ]
    table = tk.narrative.rule_table(rules, taxonomy, grouped=True)
    assert table["rule"].tolist() == [
        items[0][0] + " & pattern=check",
        "category=dress & pattern=check",
        "category=coat & pattern=stripe",
    ]  # the strongest of each, in order
    assert table["same_finding"].tolist() == ["category=coat & pattern=check; category=jacket & pattern=check", "", ""]
    assert tk.rules.rule_findings(rules).tolist() == rules["rule"].tolist()  # no taxonomy: each rule alone


def test_the_products_behind_a_rule_are_its_counts(monkeypatch):
    rng = np.random.default_rng(7)
    tags = pd.DataFrame(rng.random((200, 4)) < 0.4, columns=["a=1", "a=2", "b=1", "b=2"])
    tags.index = pd.MultiIndex.from_arrays(
        [[f"P{i:03d}" for i in range(200)], ["2025Q1", "2025Q2"] * 100], names=["product_id", "season"]
    )
    hits = rng.random(200) < np.where(tags["a=1"] & tags["b=1"], 0.6, 0.1)
    rules = tk.mine_hit_rules(tags, hits, min_hits=3)
    rule = rules.iloc[0]
    products = pd.DataFrame({"product_id": [f"P{i:03d}" for i in range(200)], "name": [f"N{i}" for i in range(200)]})
    behind = tk.rules.rule_products(rule["rule"], tags, hits, products)
    carries = np.all([tags[i].to_numpy() for i in rule["items"]], axis=0)  # counted again, by hand
    assert len(behind) == carries.sum() == rule["n_products"] and behind["hit"].sum() == rule["n_hits"]
    assert behind["hit"].tolist() == sorted(behind["hit"], reverse=True)  # hits first
    assert (behind["name"] == "N" + behind["product_id"].str[1:].astype(int).astype(str)).all()
    with pytest.raises(tk.ParameterError, match=r"not in the matrix: a=3\. Did you mean 'a=[12]'\?"):
        tk.rules.rule_products("a=3 & b=1", tags, hits)
    # with labels, each row's units in its season; with pictures, each product's address
    labels = pd.DataFrame(
        {"product_id": tags.index.get_level_values(0), "season": tags.index.get_level_values(1), "units": range(200)}
    )
    products["image"] = "https://img.example/" + products["product_id"] + ".jpg"
    behind = tk.rules.rule_products(rule["rule"], tags, hits, products, labels=labels)
    assert (behind["units"] == behind["product_id"].str[1:].astype(int)).all()  # units i belong to row P{i}
    assert (behind["image"] == "https://img.example/" + behind["product_id"] + ".jpg").all()


def test_outside_jupyterlab_the_rule_explorer_is_the_strongest_rules_products(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(getattr(obj, "data", obj)))
    monkeypatch.setenv("TAGKIT_BATCH", "1")
    tags = pd.DataFrame({"a=1": [True, True, False], "b=1": [True, True, True]}, index=["P1", "P2", "P3"])
    tags.index.name = "product_id"
    rules = pd.DataFrame({"rule": ["a=1 & b=1"], "items": [("a=1", "b=1")]})
    tk.display.explore_rules(rules, tags, [True, False, False])
    assert not tk.display.interactive() and "<td>P1</td>" in shown[0] and "<td>P3</td>" not in shown[0]


def test_a_rule_is_redundant_when_any_smaller_set_not_only_one_tag_fewer_is_as_confident():
    """a+b+c hits 50% of the time, each pair of its tags about 25%, but a alone 53%: a+b+c says nothing a
    does not, although none of the sets one tag smaller is as confident."""
    groups = [  # (a, b, c, products, hits)
        (1, 0, 0, 160, 156),
        (1, 1, 0, 80, 8),
        (1, 0, 1, 80, 8),
        (1, 1, 1, 40, 20),
        (0, 1, 1, 40, 0),
        (0, 0, 0, 400, 20),
    ]
    rows, hits = [], []
    for a, b, c, n, h in groups:
        rows += [(a, b, c)] * n
        hits += [True] * h + [False] * (n - h)
    matrix = pd.DataFrame(np.array(rows, dtype=bool), columns=["a=1", "b=1", "c=1"])
    rules = tk.mine_hit_rules(matrix, np.array(hits), min_hits=5, max_size=3, min_lift=1.2, max_q=0.05)
    by_rule = rules.set_index("rule")
    conf = by_rule["confidence"]
    assert conf["a=1 & b=1 & c=1"] <= conf["a=1"]
    assert max(conf["a=1 & b=1"], conf["a=1 & c=1"], conf["b=1 & c=1"]) < conf["a=1 & b=1 & c=1"]
    assert by_rule.loc["a=1 & b=1 & c=1", "q_value"] <= 0.05 and by_rule.loc["a=1 & b=1 & c=1", "lift"] >= 1.2
    assert by_rule.loc["a=1 & b=1 & c=1", "status"] == "redundant"
