"""Replaying the planner on past seasons, against plain baselines.

For each past season: mine the rules and fit the model on the seasons before it, take the products
actually launched that season as the candidates, plan, and compare with what happened: the
realised hit rate of the hit bets (precision at k) against the season's base rate (lift at k),
the realised hit share of the plan, and calibration (Brier score; reliability of the pooled
predictions). This is done for every kind of model (:data:`tagkit.vocabulary.MODEL_KINDS`: tags
only, tags and rules, gradient boosting), each planned with the same limits, and for random picks (the
average of ``random_draws`` draws). The row "tagkit" is what tagkit itself would have done: in each
season, the kind of model :func:`tagkit.choose_model` picks from the seasons replayed before it (the
default, tags and rules, in the first).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._checks import check_frame
from tagkit._progress import bar
from tagkit.calibration import recalibrate
from tagkit.choice import AUTO, choose_model
from tagkit.encode import encode_tags
from tagkit.hits import HIT, MISS, ranked_rows
from tagkit.language import translate as _
from tagkit.plan import CORE, HIT_BET, IMAGE, PlanInfeasible, limits_from_mix, plan_season
from tagkit.propensity import brier_score, fit_propensity, reliability, score_candidates
from tagkit.rules import mine_hit_rules, rule_membership
from tagkit.seasons import QUARTERS, SeasonCalendar, history
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import BACKTEST_METHODS, BACKTEST_RANDOM, BACKTEST_TAGKIT, MODEL_KINDS, TAGS_AND_RULES
from tagkit.vocabulary import IMAGE_PRODUCT as IMAGE_STATUS

BACKTEST_COLUMNS = [
    "season",
    "method",
    "model",
    "candidates",
    "planned",
    "hit_bets",
    "base_rate",
    "bet_hit_rate",
    "lift_at_k",
    "plan_hit_share",
    "expected_bet_hits",
    "realised_bet_hits",
    "brier",
    "note",
]


def backtest(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    products: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    seasons: list[str],
    train_seasons: int = 4,
    calendar: SeasonCalendar = QUARTERS,
    plan_share: float = 0.6,
    band: tuple[float, float] = (0.05, 0.10),
    min_bet_lift: float = 1.5,
    max_per_look: int | None = None,
    max_bet_share_per_tag_set: float = 1.0,
    category_tolerance: float = 0.5,
    penalty: float = 3.0,
    rule_options: dict | None = None,
    random_draws: int = 20,
    seed: int = 0,
    time_of_year=None,
    model: str = AUTO,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (one row per season and method, the out-of-time predictions of every launched product by every
    kind of model, with ``hit_bet`` marking the products the replayed plan bet on). ``model``: the kind tagkit
    uses, or ``"auto"`` to choose it season by season."""
    check_frame(labels, "labels", name="labels", owner="backtest", source="label_hits")
    check_frame(products, "products", name="products", owner="backtest")
    check_frame(tags, "resolved tags", name="tags", owner="backtest", source="normalise_tags")
    rule_options = dict(rule_options or {})
    rule_options.setdefault("taxonomy", taxonomy)
    rng = np.random.default_rng(seed)
    present = set(labels["season"])
    rows, predictions = [], []
    for season in bar(list(seasons), "Backtest: replaying past seasons"):
        train = history(season, train_seasons, calendar, include=False)
        if not set(train) <= present or season not in present:
            continue
        train_rows, train_hits = ranked_rows(labels, matrix, train)
        kept = mine_hit_rules(train_rows, train_hits, kept_only=True, **rule_options)  # the models use no other
        models = {
            name: fit_propensity(
                train_rows,
                train_hits,
                rules=kept,
                kind=kind,
                penalty=penalty,
                trained_on=train,
                time_of_year=time_of_year,
                seed=seed,
            )
            for kind, name in MODEL_KINDS.items()
        }
        done = pd.concat(predictions, ignore_index=True) if predictions else None
        chosen = (
            choose_model(done, season, model=model, calendar=calendar).kind
            if done is not None
            else (TAGS_AND_RULES if model == AUTO else model)
        )
        season_rows = []
        launched = labels[labels["season"] == season]
        ids = launched["product_id"].astype(str)
        truth = launched.set_index(ids)["status"]
        ranked = truth.isin([HIT, MISS])
        hit = truth == HIT
        base = float(hit[ranked].mean())
        candidate_products = products[products["product_id"].astype(str).isin(set(ids))]
        candidate_tags = tags[tags["product_id"].astype(str).isin(set(ids))]
        size = int(round(plan_share * len(ids)))
        image_count = int(round(plan_share * int((truth == IMAGE_STATUS).sum())))
        for method, fitted in models.items():
            scored = score_candidates(fitted, candidate_products, candidate_tags, taxonomy, rules=kept, season=season)
            scored["role"] = np.where(scored["product_id"].map(truth).eq(IMAGE_STATUS), IMAGE, CORE)  # as launched
            predicted = pd.DataFrame(
                {
                    "season": season,
                    "method": method,
                    "product_id": scored["product_id"],
                    "probability": scored["probability"],
                    "hit": scored["product_id"].map(hit).fillna(False).astype(bool),
                    "ranked": scored["product_id"].map(ranked).fillna(False).astype(bool),
                    "hit_bet": False,
                }
            )
            predictions.append(predicted)
            cand_matrix = encode_tags(candidate_tags, taxonomy, products=list(scored["product_id"]))
            try:
                plan = plan_season(
                    scored,
                    season=season,
                    catalogue_size=size,
                    base_rate=fitted.base_rate,
                    band=band,
                    min_bet_lift=min_bet_lift,
                    image_count=image_count,
                    category_limits=limits_from_mix(scored["category"], size, tolerance=category_tolerance),
                    max_per_look=max_per_look,
                    bet_tag_sets=rule_membership(cand_matrix, kept),
                    max_bet_share_per_tag_set=max_bet_share_per_tag_set,
                )
            except PlanInfeasible as err:
                season_rows.append(
                    {"season": season, "method": method, "candidates": len(ids), "note": str(err.problems[0])}
                )
                continue
            table = plan.table
            bets = table[table["role"] == HIT_BET]
            predicted["hit_bet"] = predicted["product_id"].isin(set(bets["product_id"]))  # which the replay bet on
            planned = table[table["role"].isin([HIT_BET, CORE])]
            bet_hits = int(bets["product_id"].map(hit).sum())
            in_rank = scored["product_id"].map(ranked).to_numpy(bool)
            season_rows.append(
                {
                    "season": season,
                    "method": method,
                    "candidates": len(ids),
                    "planned": len(table),
                    "hit_bets": len(bets),
                    "base_rate": base,
                    "bet_hit_rate": bet_hits / len(bets) if len(bets) else np.nan,
                    "lift_at_k": (bet_hits / len(bets)) / base if len(bets) and base else np.nan,
                    "plan_hit_share": float(planned["product_id"].map(hit).mean()),
                    "expected_bet_hits": float(bets["probability"].sum()),
                    "realised_bet_hits": bet_hits,
                    "brier": brier_score(
                        scored.loc[in_rank, "probability"], scored.loc[in_rank, "product_id"].map(hit)
                    ),
                    "note": "",
                }
            )
        for row in season_rows:
            row["model"] = next(kind for kind, name in MODEL_KINDS.items() if name == row["method"])
        ours = next(r for r in season_rows if r["model"] == chosen)
        rows += [{**ours, "method": BACKTEST_TAGKIT}, *season_rows]
        k = int(np.median([r["hit_bets"] for r in season_rows if r.get("hit_bets")] or [0]))
        pool = np.flatnonzero(ranked.to_numpy())
        hits_in_pool = hit.to_numpy()[pool]
        draws = (
            [
                hits_in_pool[rng.choice(len(pool), size=min(k, len(pool)), replace=False)].mean()
                for _ in range(random_draws)
            ]
            if k
            else [np.nan]
        )
        plan_draws = [
            hits_in_pool[rng.choice(len(pool), size=min(size - image_count, len(pool)), replace=False)].mean()
            for _ in range(random_draws)
        ]
        rows.append(
            {
                "season": season,
                "method": BACKTEST_RANDOM,
                "model": "",
                "candidates": len(ids),
                "planned": size,
                "hit_bets": k,
                "base_rate": base,
                "bet_hit_rate": float(np.mean(draws)),
                "lift_at_k": float(np.mean(draws)) / base,
                "plan_hit_share": float(np.mean(plan_draws)),
                "expected_bet_hits": np.nan,
                "realised_bet_hits": np.nan,
                "brier": brier_score(np.full(len(pool), base), hits_in_pool),
                "note": _("average of {draws} draws; brier of predicting the base rate", draws=random_draws),
            }
        )
    table = pd.DataFrame(rows).reindex(columns=BACKTEST_COLUMNS)
    preds = (
        pd.concat(predictions, ignore_index=True)
        if predictions
        else pd.DataFrame(columns=["season", "method", "product_id", "probability", "hit", "ranked"])
    )
    return table, preds


def backtest_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per method, the average over the seasons replayed."""
    done = table[table["note"].fillna("").eq("") | table["method"].eq(BACKTEST_RANDOM)]
    out = done.groupby("method", sort=False).agg(
        seasons=("season", "nunique"),
        mean_bet_hit_rate=("bet_hit_rate", "mean"),
        mean_lift_at_k=("lift_at_k", "mean"),
        mean_plan_hit_share=("plan_hit_share", "mean"),
        mean_base_rate=("base_rate", "mean"),
        mean_brier=("brier", "mean"),
    )
    return out.reindex([m for m in BACKTEST_METHODS if m in out.index]).reset_index()


def backtest_calibration(
    predictions: pd.DataFrame,
    season: str,
    *,
    method: str = MODEL_KINDS[TAGS_AND_RULES],
    calendar: SeasonCalendar = QUARTERS,
):
    """The calibration of one method's probabilities for ``season`` (say the season planned), from the
    backtest's out-of-time predictions of the seasons before it (:func:`tagkit.calibration.recalibrate`)."""
    ours = predictions[(predictions["method"] == method) & predictions["ranked"].astype(bool)]
    return recalibrate(ours[["season", "probability", "hit"]], season, calendar=calendar)


def backtest_reliability(predictions: pd.DataFrame, method: str = MODEL_KINDS[TAGS_AND_RULES]) -> pd.DataFrame:
    """Calibration of one method's out-of-time predictions (ranked products of every replayed season)."""
    chosen = predictions[(predictions["method"] == method) & predictions["ranked"].astype(bool)]
    return reliability(chosen["probability"], chosen["hit"])
