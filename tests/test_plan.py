"""The season planner: every limit checked on the returned plan, optimality against brute force,
and a clear explanation for every limit that cannot hold."""

from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest

import tagkit as tk


def _candidates(n=200, seed=0, images=6):
    rng = np.random.default_rng(seed)
    categories = rng.choice(["dress", "top", "coat"], n, p=[0.4, 0.4, 0.2])
    looks = [f"{c}|look{rng.integers(0, 12)}" for c in categories]
    frame = pd.DataFrame(
        {
            "product_id": [f"N{i:04d}" for i in range(n)],
            "name": [f"Product {i}" for i in range(n)],
            "role": "core",
            "category": categories,
            "look": looks,
            "probability": np.round(rng.beta(0.8, 8, n), 4),
        }
    )
    frame.loc[rng.choice(n, images, replace=False), "role"] = "image"
    return frame


def _tag_sets(candidates, seed=1):
    rng = np.random.default_rng(seed)
    strong = (candidates["probability"] > candidates["probability"].quantile(0.7)).to_numpy()
    frame = pd.DataFrame(
        {"t=a": strong & (rng.random(len(candidates)) < 0.7), "t=b": rng.random(len(candidates)) < 0.3},
        index=candidates["product_id"],
    )
    assert frame.notna().all().all()  # built from arrays: a Series would align on its own index
    return frame


def _plan(candidates, **kwargs):
    options = dict(
        season="2026Q1",
        catalogue_size=100,
        base_rate=0.075,
        image_count=3,
        max_per_look=12,
        category_limits={"dress": (30, 50), "top": (25, 50), "coat": (10, 30)},
        bet_tag_sets=_tag_sets(candidates),
        max_bet_share_per_tag_set=0.5,
        waves=tk.plan.waves_for("2026Q1"),
    )
    options.update(kwargs)
    return tk.plan_season(candidates, **options)


def test_every_limit_holds_on_the_returned_plan():
    candidates = _candidates()
    carried = pd.DataFrame(
        {
            "product_id": ["C1", "C2"],
            "name": ["Old 1", "Old 2"],
            "category": ["coat", "dress"],
            "look": ["coat|look1", "dress|look1"],
        }
    )
    plan = _plan(candidates, carry_over=carried)
    t = plan.table
    assert len(t) == 100 and t["product_id"].is_unique
    assert set(t.loc[t["role"] == "carry-over", "product_id"]) == {"C1", "C2"}
    bets = t[t["role"] == "hit bet"]
    assert 5 <= len(bets) <= 10 and (bets["probability"] >= 1.5 * 0.075 - 1e-12).all()
    assert len(bets) == 10  # as many bets as the band allows when there are enough strong candidates
    images = t[t["role"] == "image"]
    assert len(images) == 3 and set(images["product_id"]) <= set(
        candidates.loc[candidates["role"] == "image", "product_id"]
    )
    assert not set(bets["product_id"]) & set(candidates.loc[candidates["role"] == "image", "product_id"])
    for category, (low, high) in {"dress": (30, 50), "top": (25, 50), "coat": (10, 30)}.items():
        assert low <= (t["category"] == category).sum() <= high
    assert t["look"].value_counts().max() <= 12
    sets = _tag_sets(candidates).reindex(bets["product_id"])
    assert (sets.sum() <= np.floor(0.5 * len(bets))).all()
    new = t[t["role"] != "carry-over"]
    assert new["wave"].value_counts().max() - new["wave"].value_counts().min() <= 1
    assert (t.loc[t["role"] == "carry-over", "wave"] == "on sale").all()
    assert plan.summary["within"].all()


def test_the_plan_is_reproducible():
    candidates = _candidates(seed=3)
    sets = _tag_sets(candidates)
    one = _plan(candidates, bet_tag_sets=sets)
    two = _plan(candidates.sample(frac=1, random_state=1), bet_tag_sets=sets.sample(frac=1, random_state=2))
    assert one.table.equals(two.table)


def test_optimal_against_brute_force_on_small_cases():
    checked = 0
    for seed in range(8):
        rng = np.random.default_rng(seed)
        candidates = pd.DataFrame(
            {
                "product_id": [f"P{i}" for i in range(9)],
                "role": "core",
                "category": rng.choice(["a", "b"], 9),
                "look": rng.choice(["x", "y", "z"], 9),
                "probability": np.round(rng.random(9) * 0.5, 3),
            }
        )
        base, size, limits, cap = 0.1, 5, {"a": (1, 4), "b": (1, 4)}, 2
        p = dict(zip(candidates["product_id"], candidates["probability"]))
        best = None  # band 0.2-0.4 of 5 products: 1 or 2 hit bets, as many as there are strong products
        for picked in combinations(candidates["product_id"], size):
            part = candidates[candidates["product_id"].isin(picked)]
            if any(not (lo <= (part["category"] == c).sum() <= hi) for c, (lo, hi) in limits.items()):
                continue
            if part["look"].value_counts().max() > cap:
                continue
            strong = sorted((i for i in picked if p[i] >= 1.5 * base), key=lambda i: -p[i])[:2]
            if not strong:
                continue
            value = sum(p[i] for i in picked) + sum(p[i] - base for i in strong)
            key = (len(strong), value)
            best = key if best is None or key > best else best
        options = dict(
            season="2026Q1",
            catalogue_size=size,
            base_rate=base,
            band=(0.2, 0.4),
            min_bet_lift=1.5,
            category_limits=limits,
            max_per_look=cap,
        )
        if best is None:
            with pytest.raises(tk.plan.PlanInfeasible):
                tk.plan_season(candidates, **options)
            continue
        plan = tk.plan_season(candidates, **options)
        chosen = set(plan.table["product_id"])
        bets = set(plan.table.loc[plan.table["role"] == "hit bet", "product_id"])
        value = sum(p[i] for i in chosen) + sum(p[i] - base for i in bets)
        assert (len(bets), value) == pytest.approx(best, abs=1e-4)
        checked += 1
    assert checked >= 4


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"min_bet_lift": 8.0}, r"hit-bet band: .* strong candidates .* lower min_bet_lift or band_low"),
        ({"catalogue_size": 500}, r"catalogue size: only .* of the 500 products can be released"),
        ({"image_count": 20}, r"image products: the quota is 20 but only 6 fit"),
        ({"category_limits": {"coat": (90, 100)}}, r"category 'coat': needs at least 90 products but only"),
        ({"max_per_look": 1, "catalogue_size": 60, "category_limits": {}}, r"catalogue size: only 3\d of the 60"),
    ],
)
def test_limits_that_cannot_hold_are_explained(kwargs, message):
    with pytest.raises(tk.plan.PlanInfeasible, match=message):
        _plan(_candidates(), **kwargs)


def test_carry_over_never_breaks_a_cap_by_itself():
    candidates = _candidates()
    carried = pd.DataFrame({"product_id": [f"C{i}" for i in range(12)], "category": "coat", "look": "coat|look1"})
    plan = _plan(
        candidates,
        carry_over=carried,
        max_per_look=5,
        category_limits={"dress": (30, 50), "top": (25, 50), "coat": (0, 10)},
    )
    table = plan.table
    # the look and the category the carry-over alone fills get no new product; every other cap holds
    assert (table["look"] == "coat|look1").sum() == 12 and not (
        (table["look"] == "coat|look1") & (table["role"] != "carry-over")
    ).any()
    assert (table["category"] == "coat").sum() == 12
    others = table[table["look"] != "coat|look1"]["look"].value_counts()
    assert others.max() <= 5
    text = " ".join(plan.notes)
    assert "The carry-over alone has 12 coat products, above its maximum of 10" in text
    assert "1 look(s) are shared by more than 5 carried-over products (up to 12): they get no new product" in text


def test_plan_limits_fit_what_the_brand_gave():
    launched = pd.DataFrame({"product_id": [f"P{i}" for i in range(300)], "season": "2025Q4", "hit": False})
    products = pd.DataFrame({"product_id": launched["product_id"], "role": "core"})
    tags = pd.DataFrame(
        {
            "product_id": launched["product_id"],
            "dimension": "category",
            "value": ["dress"] * 200 + ["coat"] * 100,
            "status": "ok",
        }
    )
    taxonomy = tk.Taxonomy.from_dict({"dimensions": [{"name": "category", "values": ["dress", "coat"]}]})
    candidates = pd.DataFrame(
        {"product_id": [f"N{i}" for i in range(120)], "role": "core", "category": ["dress"] * 110 + ["coat"] * 10}
    )
    limits = tk.plan.plan_limits(launched, "2025Q4", products, tags, taxonomy, candidates=candidates)
    # 300 launches last season, but only 120 candidates: the plan takes every candidate; no image candidates:
    # no image quota; too few coats for a third of the plan: the coats' minimum is the coats there are
    assert limits["catalogue_size"] == 120 and limits["image_count"] == 0
    assert limits["category_limits"]["coat"][0] == 10
    text = " ".join(limits["notes"])
    assert "more than the 120 candidates and the carry-over can fill" in text
    assert "No candidate is flagged as an image product" in text and "(coat)" in text
    given = tk.plan.plan_limits(
        launched, "2025Q4", products, tags, taxonomy, candidates=candidates, catalogue_size=90, image_count=2
    )
    assert (given["catalogue_size"], given["image_count"]) == (90, 2)  # what the user gives is kept


def test_no_candidates_no_plan_and_the_reason_in_words():
    plan = tk.plan.no_plan("2026Q1", "the dataset has no candidate pipeline")
    assert not plan.made and plan.hit_bets().empty and plan.summary.loc[0, "value"] == "not made"
    model = type("Model", (), {"base_rate": 0.08})()
    summary, figures = tk.narrative.plan_summary(
        plan,
        history=["2025Q1", "2025Q4"],
        model=model,
        backtest=pd.DataFrame(
            {
                "method": [tk.vocabulary.BACKTEST_METHODS[0], "random picks"],
                "seasons": [4, 4],
                "mean_lift_at_k": [1.05, 0.98],
                "mean_bet_hit_rate": [0.08, 0.075],
                "mean_base_rate": [0.077, 0.077],
            }
        ),
    )
    assert summary.startswith("**No plan for 2026Q1**: the dataset has no candidate pipeline")
    assert "the hit bets were hits about as often as random picks" in summary and "plan_size" not in figures


def _replayed(lifts: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "method": list(lifts),
            "seasons": 4,
            "mean_lift_at_k": list(lifts.values()),
            "mean_bet_hit_rate": [0.077 * v for v in lifts.values()],
            "mean_base_rate": 0.077,
        }
    )


@pytest.mark.parametrize(
    "lifts, says, never",
    [
        (
            {"tags only": 2.1, "tags and rules": 2.0, "gradient boosting": 1.9},
            "tagkit did no better than a simple model on tags alone",
            "would have done better",
        ),
        (
            {"tags only": 1.6, "tags and rules": 2.1, "gradient boosting": 3.0},
            "Always using the gradient boosting on tags would have done better",
            "no better than a simple model",
        ),
        ({"tags only": 1.6, "tags and rules": 2.1, "gradient boosting": 2.0}, "", "better"),
    ],
)
def test_the_plan_summary_compares_with_each_model_and_warns_in_words(lifts, says, never):
    plan = tk.plan.no_plan("2026Q1", "no candidates")
    model = type("Model", (), {"base_rate": 0.08})()
    choice = tk.choice.ModelChoice(
        "tags and rules", "the best out-of-time log loss over the last 4 seasons", pd.DataFrame(), best=True
    )
    backtest = _replayed(
        {
            tk.vocabulary.BACKTEST_METHODS[0]: 2.1,
            **{tk.vocabulary.MODEL_KINDS[k]: v for k, v in lifts.items()},
            "random picks": 1.0,
        }
    )
    summary, figures = tk.narrative.plan_summary(
        plan, history=["2025Q1", "2025Q4"], model=model, backtest=backtest, choice=choice
    )
    assert (
        "With candidates, tagkit would score them with the **tags and rules** model, chosen for the best "
        "out-of-time log loss"
        in summary
        and "The candidates were scored" not in summary
    )
    assert "hits **2.1×** as often as the season's average product" in summary
    assert f"logistic regression on tags {lifts['tags only']:.1f}×" in summary
    assert says in summary and (never not in summary)
    assert figures["backtest_lift_at_k"] == 2.1


def test_a_plan_says_which_model_scored_its_candidates():
    plan = _plan(_candidates())
    model = type("Model", (), {"base_rate": 0.075})()
    choice = tk.choice.ModelChoice(
        "gradient boosting", "the best out-of-time log loss over the last 4 seasons", pd.DataFrame(), best=True
    )
    summary, _ = tk.narrative.plan_summary(
        plan, history=["2025Q1", "2025Q4"], model=model, backtest=None, choice=choice
    )
    assert "The candidates were scored with the **gradient boosting** model, chosen for the best" in summary
    assert "would score" not in summary


def test_poisson_binomial_against_enumeration():
    p = [0.1, 0.5, 0.3, 0.9, 0.05]
    brute = np.zeros(len(p) + 1)
    for outcome in product([0, 1], repeat=len(p)):
        brute[sum(outcome)] += np.prod([q if o else 1 - q for q, o in zip(p, outcome)])
    assert np.allclose(tk.plan.poisson_binomial(p), brute)
    low, high = tk.plan.poisson_binomial_interval(p, level=0.8)
    cdf = np.cumsum(brute)
    assert cdf[low] >= 0.1 and (low == 0 or cdf[low - 1] < 0.1) and cdf[high] >= 0.9


def test_category_limits_waves_and_defaults():
    assert tk.plan.parse_category_limits("dress:200-450, knitwear=100-300") == {
        "dress": (200, 450),
        "knitwear": (100, 300),
    }
    with pytest.raises(tk.ParameterError, match="minimum before maximum"):
        tk.plan.parse_category_limits("dress:450-200")
    waves = tk.plan.waves_for("2026Q1")
    assert [w for w, _ in waves] == ["W1", "W2", "W3"] and waves[0][1] == pd.Timestamp("2026-01-01")
    assert tk.plan.waves_for("2026Q1", "2026-02-02, 2026-01-05")[0] == ("W1", pd.Timestamp("2026-01-05"))
    with pytest.raises(tk.ParameterError, match="must fall in 2026Q1"):
        tk.plan.waves_for("2026Q1", "2026-05-01")
    assert tk.plan.limits_from_mix(pd.Series(["a"] * 3 + ["b"]), 100, tolerance=0.5) == {"a": (37, 113), "b": (12, 38)}


def test_an_automatic_look_cap_grows_with_the_catalogue():
    """max_per_look=0: 0.3% of the catalogue, at least 6 (a fixed cap made a 10x brand's plan infeasible)."""
    assert [tk.plan.look_cap(n) for n in (100, 1974, 2001, 19744)] == [6, 6, 7, 60]
    candidates = _candidates()
    candidates.loc[candidates.index[:40], "look"] = candidates["category"] + "|the same look"
    assert _plan(candidates, max_per_look=None).table["look"].value_counts().max() > 6  # uncapped: crowded
    plan = _plan(candidates, max_per_look=0)
    assert plan.looks["cap"].eq(6).all() and plan.table["look"].value_counts().max() <= 6
    assert (
        tk.plots.plot_plan_looks(plan.looks).axes[0].get_legend().get_texts()[0].get_text()
        == "cap: 6 products per look"
    )


def test_alike_strong_candidates_are_named_when_the_band_cannot_be_reached():
    candidates = _candidates()
    strong = candidates["probability"] >= 1.5 * 0.075
    sets = pd.DataFrame(
        {"t=alike": strong.to_numpy(), "t=rare": (strong & (np.arange(len(candidates)) % 9 == 0)).to_numpy()},
        index=candidates["product_id"],
    )
    share = strong[strong & (candidates["role"] != "image")].mean()  # every strong candidate carries t=alike
    with pytest.raises(
        tk.plan.PlanInfeasible,
        match=rf"hit-bet band: .*alike: {share:.0%} of them carry t=alike, while .* up to max_bet_share_per_tag_set \(30%\)",
    ):
        _plan(candidates, bet_tag_sets=sets, max_bet_share_per_tag_set=0.3)


@pytest.fixture(scope="module")
def demo_brand_model():
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_hits(brand.sales.metrics, brand.own.products)
    window = tk.seasons.history("2025Q4", 4, dataset.calendar)
    matrix, hits = tk.hits.ranked_rows(labels, brand.matrix, window)
    rules = tk.mine_hit_rules(matrix, hits, min_lift=1.5, taxonomy=brand.taxonomy)
    model = tk.fit_propensity(matrix, hits, rules=rules, trained_on=window)
    return brand, labels, rules, model


def test_a_brand_whose_limits_cannot_hold_gets_no_plan_and_the_reason(demo_brand_model):
    brand, labels, rules, model = demo_brand_model
    options = dict(season="2025Q4", plan_for="2026Q1", max_per_look=0)
    plan, scored = tk.plan_brand(brand, labels, rules, model, max_bet_share_per_tag_set=0.35, **options)
    assert plan.made and (plan.table["role"] == "hit bet").mean() >= 0.05
    plan, scored = tk.plan_brand(brand, labels, rules, model, max_bet_share_per_tag_set=0.01, **options)
    assert not plan.made and len(scored) == len(brand.candidates.products)  # the candidates are still scored
    assert plan.notes[0].startswith("its limits cannot all hold together: hit-bet band: ")
    assert "The strong candidates are alike" in plan.notes[0]
    summary, _ = tk.narrative.plan_summary(plan, history=["2025Q1", "2025Q4"], model=model, backtest=None)
    assert summary.startswith("**No plan for 2026Q1**: its limits cannot all hold together: hit-bet band")
    assert "(35%). The candidates were scored with" not in summary  # no choice given here
    assert plan.candidates == len(scored)
    summary, _ = tk.narrative.plan_summary(
        plan,
        history=["2025Q1", "2025Q4"],
        model=model,
        backtest=None,
        choice=tk.choice.ModelChoice("tags only", "chosen by hand", pd.DataFrame()),
    )
    assert "max_bet_share_per_tag_set (1%). The candidates were scored with the **tags only** model" in summary


def test_the_plan_as_a_shopify_product_import():
    taxonomy = tk.Taxonomy.from_dict(
        {
            "dimensions": [
                {"name": "category", "required": True, "values": ["trench-coat", "dress"]},
                {"name": "colour", "label": "Colour", "values": [{"name": "navy", "label": "Navy / dark"}]},
            ]
        }
    )
    plan = pd.DataFrame(
        {
            "product_id": ["N01", "N02", "C01"],
            "name": ["Navy Trench Coat", "", "Old dress"],
            "role": ["hit bet", "image", "carry-over"],
            "category": ["trench-coat", "dress", "dress"],
        }
    )
    tags = pd.DataFrame(
        {
            "product_id": ["N01", "N01", "N02", "C01"],
            "dimension": ["category", "colour", "category", "category"],
            "value": ["trench-coat", "navy", "dress", "dress"],
            "item": ["category=trench-coat", "colour=navy", "category=dress", "category=dress"],
            "status": ["ok", "ok", "ok", "ok"],
        }
    )
    products = pd.DataFrame({"product_id": ["N01", "N02"], "price": [1299.0, None]})
    out = tk.plan.shopify_products(plan, tags, taxonomy, products=products, vendor="My brand")
    assert list(out.columns) == tk.plan.SHOPIFY_COLUMNS and out["Variant SKU"].tolist() == [
        "N01",
        "N02",
    ]  # no carry-over
    assert out["Handle"].tolist() == ["navy-trench-coat-n01", "n02"]
    assert out["Title"].tolist() == ["Navy Trench Coat", "N02"]
    assert (
        out.loc[0, "Tags"] == "Category: Trench coat, Colour: Navy / dark, tagkit: hit bet"
    )  # a comma would split a tag
    assert out["Type"].tolist() == ["Trench coat", "Dress"] and out["Status"].eq("draft").all()
    assert out.loc[0, "Variant Price"] == 1299.0 and pd.isna(out.loc[1, "Variant Price"])


def test_a_plan_cut_short_by_time_limit_says_so_and_no_answer_is_an_error(monkeypatch):
    """CBC's solution file decides: "Stopped on time - objective value" is a plan, not proven optimal;
    no solution file is no plan."""
    import subprocess

    real_run = subprocess.run

    def stopped_on_time(command, **kwargs):
        done = real_run(command, **kwargs)
        solution = command[command.index("-solution") + 1]
        with open(solution) as fh:
            first, rest = fh.readline(), fh.read()
        assert first.startswith("Optimal - objective value")
        with open(solution, "w") as fh:
            fh.write(first.replace("Optimal", "Stopped on time", 1) + rest)
        return done

    candidates = _candidates(seed=4)
    proven = _plan(candidates)
    monkeypatch.setattr(subprocess, "run", stopped_on_time)
    cut_short = _plan(candidates)
    assert cut_short.table.equals(proven.table)
    solver = cut_short.summary.set_index("measure").loc["solver"]
    assert "not proven optimal" in str(solver["value"])
    assert str(proven.summary.set_index("measure").loc["solver", "value"]) == "optimal"

    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(command, 1, b"", b""))
    with pytest.raises(tk.plan.PlanInfeasible, match=r"the solver stopped without a plan \(CBC ended with code 1\)"):
        _plan(candidates)
