"""How good are the hit bets? Every method scores each past season with what it learnt from the seasons
before it only, and its bets are measured against what happened.

Methods (:data:`METHODS`), side by side:

- ``tagkit``: what a plan would use. In each season, the kind of model (tags only, tags and rules, gradient
  boosting) that :func:`tagkit.choose_model` picks from the out-of-time predictions of the seasons scored
  before it (tags and rules in the first), recalibrated on those predictions (:mod:`tagkit.calibration`); its
  interval carries the calibration's uncertainty; ``tagkit, not recalibrated`` is the same before that step;
  ``tagkit with the time of year`` is the logistic regression on tags and rules with the season of the year
  and the tags' record in it (:class:`tagkit.TimeOfYear`), recalibrated the same way; ``tagkit with tag
  momentum`` the same with rising and fading tags instead (:class:`tagkit.TagMomentum`);
- the three kinds of model on their own (:data:`tagkit.propensity.MODEL_KINDS`): ``logistic regression on
  tags and rules`` (:func:`tagkit.fit_propensity`), ``logistic regression on tags`` (the same L2 logistic
  regression on the one-hot tags alone) and ``gradient boosting on tags`` (scikit-learn's
  ``HistGradientBoostingClassifier``);
- ``same quarter of earlier years``: each product scored by the hit rate of its tags in the same season of
  earlier years (shrunk toward the base rate), as a brand studies "each year's best sellers";
- ``random picks``: every product given the base rate, bets drawn at random.

Measures per season and method (:func:`decision_metrics`): precision@k and lift@k at k = the hit bets a
plan would place (``bet_share`` of the ranked products, the middle of the band by default), AUC, Brier
score and its skill against predicting the season's own base rate, calibration slope and intercept (a
logistic fit of the outcomes on the logit of the predictions: 1 and 0 when calibrated), and whether the
realised hits among the k bets fall inside the 90% interval the method's probabilities state. A paired
bootstrap over seasons (:func:`paired_bootstrap`) tells whether a difference between two methods is more
than the luck of the seasons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._progress import bar
from tagkit.calibration import recalibrate
from tagkit.choice import choose_model
from tagkit.hits import ranked_rows
from tagkit.plan import poisson_binomial_interval
from tagkit.propensity import TagMomentum, TimeOfYear, fit_propensity
from tagkit.rules import mine_hit_rules
from tagkit.seasons import QUARTERS, SeasonCalendar, seasons_before
from tagkit.trends import same_quarter_rates
from tagkit.vocabulary import BOOSTED as BOOSTED_KIND
from tagkit.vocabulary import MODEL_KINDS, TAGS_AND_RULES, TAGS_ONLY

TAGKIT, RAW, SEASONAL, MOMENTUM, SAME_QUARTER, RANDOM = (
    "tagkit",
    "tagkit, not recalibrated",
    "tagkit with the time of year",
    "tagkit with tag momentum",
    "same quarter of earlier years",
    "random picks",
)
RULES, LOGISTIC, BOOSTED = (MODEL_KINDS[k] for k in (TAGS_AND_RULES, TAGS_ONLY, BOOSTED_KIND))
METHODS = (TAGKIT, RAW, SEASONAL, MOMENTUM, RULES, LOGISTIC, BOOSTED, SAME_QUARTER, RANDOM)
CONTEXTUAL = (SEASONAL, MOMENTUM)  # tags and rules with what the model knows of the season, recalibrated
KIND_OF = {name: kind for kind, name in MODEL_KINDS.items()}
PREDICTION_COLUMNS = ["season", "method", "product_id", "probability", "hit", "model"]
METRIC_COLUMNS = [
    "season",
    "method",
    "products",
    "base_rate",
    "k",
    "precision_at_k",
    "lift_at_k",
    "auc",
    "brier",
    "brier_skill",
    "calibration_slope",
    "calibration_intercept",
    "expected_bet_hits",
    "bet_hits_low",
    "bet_hits_high",
    "realised_bet_hits",
    "inside_interval",
]


def score_past_seasons(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    *,
    seasons: list[str],
    train_seasons: int = 4,
    min_train_seasons: int | None = None,
    calendar: SeasonCalendar = QUARTERS,
    penalty: float = 3.0,
    rule_options: dict | None = None,
    methods=METHODS,
    seed: int = 0,
) -> pd.DataFrame:
    """Out-of-time predictions: for each season in ``seasons``, every method trained on (up to)
    ``train_seasons`` seasons before it scores that season's ranked products. Seasons with fewer than
    ``min_train_seasons`` seasons of history (by default all ``train_seasons``: a model trained on less would
    not be the model of a plan, nor its calibration), or without hits before or in them, are left out.
    Returns one row per season, method and product (:data:`PREDICTION_COLUMNS`; ``model`` is the kind of
    model tagkit chose, on its rows)."""
    rule_options = dict(rule_options or {})
    min_train_seasons = train_seasons if min_train_seasons is None else min_train_seasons
    present = set(labels["season"])
    rng = np.random.default_rng(seed)
    frames = []
    for season in bar(list(seasons), "Scoring past seasons out of time"):
        train = seasons_before(season, train_seasons, present, calendar)
        if len(train) < min_train_seasons or season not in present:
            continue
        train_rows, train_hits = ranked_rows(labels, matrix, train)
        test_rows, test_hits = ranked_rows(labels, matrix, [season])
        if not 0 < train_hits.sum() < len(train_hits) or not test_hits.any():
            continue
        order = np.argsort(test_rows.index.get_level_values(0).astype(str), kind="stable")  # by id, not by rank
        test_rows, test_hits = test_rows.iloc[order], test_hits[order]
        ids = test_rows.index.get_level_values(0).astype(str)
        base = float(train_hits.mean())
        scores = {}
        wanted = set(methods) | (set(KIND_OF) if {TAGKIT, RAW} & set(methods) else set())
        rules = (  # the models use the kept rules only
            mine_hit_rules(train_rows, train_hits, kept_only=True, **rule_options)
            if {RULES, *CONTEXTUAL} & wanted
            else None
        )
        for method in [m for m in METHODS if m in wanted]:
            if method in KIND_OF or method in CONTEXTUAL:
                seasonal = (
                    TimeOfYear(labels, matrix, calendar)
                    if method == SEASONAL
                    else TagMomentum(labels, matrix, calendar)
                    if method == MOMENTUM
                    else None
                )
                scores[method] = (
                    fit_propensity(
                        train_rows,
                        train_hits,
                        rules=rules,
                        penalty=penalty,
                        seed=seed,
                        kind=KIND_OF.get(method, TAGS_AND_RULES),
                        time_of_year=seasonal,
                    )
                    .predict(test_rows)
                    .to_numpy()
                )
            elif method in (TAGKIT, RAW):
                continue  # the kind chosen, once every season is scored
            elif method == SAME_QUARTER:
                scores[method] = same_quarter_rates(labels, matrix, season, test_rows, calendar=calendar)
            elif method == RANDOM:
                # the base rate for every product; the ranking among them is drawn at random
                scores[method] = base + 1e-9 * rng.random(len(test_rows))
        for method, p in scores.items():
            frames.append(
                pd.DataFrame(
                    {
                        "season": season,
                        "method": method,
                        "product_id": ids,
                        "probability": np.clip(p, 1e-6, 1 - 1e-6),
                        "hit": test_hits,
                        "model": "",
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=PREDICTION_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[PREDICTION_COLUMNS]
    added = []
    if {TAGKIT, RAW} & set(methods):
        kinds = out[out["method"].isin(KIND_OF)]
        for season in pd.unique(out["season"]):
            kind = choose_model(kinds, season, calendar=calendar).kind  # from the seasons scored before only
            raw = kinds[kinds["method"] == MODEL_KINDS[kind]]
            part = raw[raw["season"] == season].assign(model=kind)
            calibration = recalibrate(raw, season, calendar=calendar)
            added += [
                part.assign(method=RAW),
                part.assign(method=TAGKIT, probability=np.clip(calibration.apply(part["probability"]), 1e-6, 1 - 1e-6)),
            ]
    for contextual in (m for m in CONTEXTUAL if m in methods and m in set(out["method"])):
        raw = out[out["method"] == contextual]
        for season, part in raw.groupby("season", sort=False):
            calibration = recalibrate(raw, season, calendar=calendar)
            added.append(part.assign(probability=np.clip(calibration.apply(part["probability"]), 1e-6, 1 - 1e-6)))
        out = out[out["method"] != contextual]  # replaced by its recalibrated probabilities
    out = pd.concat([out[out["method"].isin(methods)], *added], ignore_index=True)[PREDICTION_COLUMNS]
    return out


def decision_metrics(
    predictions: pd.DataFrame, *, bet_share: float = 0.075, level: float = 0.9, calendar: SeasonCalendar = QUARTERS
) -> pd.DataFrame:
    """One row per season and method: the measures of the module docstring (see :data:`METRIC_COLUMNS`).
    tagkit's interval comes from its calibration (:meth:`tagkit.calibration.Calibration.interval`), the
    others' from their probabilities as stated (Poisson-binomial)."""
    from sklearn.metrics import roc_auc_score

    rows = []
    # ties are broken by product id, never by the order of the rows (labels come sorted by their rank)
    ordered = predictions.sort_values(["season", "method", "product_id"], kind="stable")
    raw = predictions[predictions["method"] == RAW]  # tagkit's interval comes from these, recalibrated
    raw_by_season = {season: part.set_index("product_id")["probability"] for season, part in raw.groupby("season")}
    kind_by_season = raw.groupby("season")["model"].first().to_dict() if "model" in raw else {}
    for (season, method), part in ordered.groupby(["season", "method"], sort=False):
        p = part["probability"].to_numpy(float)
        y = part["hit"].to_numpy(bool)
        n, base = len(p), float(y.mean())
        k = max(1, int(round(bet_share * n)))
        top = np.argsort(-p, kind="stable")[:k]
        realised = int(y[top].sum())
        if method == TAGKIT and season in raw_by_season:
            # the chosen model's calibration, from that model's own predictions of the seasons before
            chosen = MODEL_KINDS.get(kind_by_season.get(season))
            history_of = predictions[predictions["method"] == chosen]
            calibration = recalibrate(history_of if len(history_of) else raw, season, calendar=calendar)
            low, high = calibration.interval(
                raw_by_season[season].reindex(part["product_id"].iloc[top]).to_numpy(), level=level
            )
        else:
            low, high = poisson_binomial_interval(p[top], level=level)
        brier = float(np.mean((p - y) ** 2))
        reference = base * (1 - base)  # the Brier score of predicting the season's own base rate
        slope, intercept = calibration_line(p, y)
        rows.append(
            {
                "season": season,
                "method": method,
                "products": n,
                "base_rate": base,
                "k": k,
                "precision_at_k": realised / k,
                "lift_at_k": (realised / k) / base if base else np.nan,
                "auc": float(roc_auc_score(y, p)) if 0 < y.sum() < n else np.nan,
                "brier": brier,
                "brier_skill": 1 - brier / reference if reference else np.nan,
                "calibration_slope": slope,
                "calibration_intercept": intercept,
                "expected_bet_hits": float(p[top].sum()),
                "bet_hits_low": low,
                "bet_hits_high": high,
                "realised_bet_hits": realised,
                "inside_interval": bool(low <= realised <= high),
            }
        )
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def calibration_line(probabilities, outcomes) -> tuple[float, float]:
    """Slope and intercept of a logistic fit of the outcomes on the logit of the probabilities (1 and 0 for a
    calibrated model; a slope below 1 means over-confident predictions)."""
    from sklearn.linear_model import LogisticRegression

    p = np.clip(np.asarray(probabilities, float), 1e-6, 1 - 1e-6)
    y = np.asarray(outcomes, bool)
    if y.all() or not y.any() or np.ptp(p) < 1e-9:
        return np.nan, np.nan
    logit = np.log(p / (1 - p)).reshape(-1, 1)
    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])


def paired_bootstrap(
    metrics: pd.DataFrame, measure: str, *, against: str = TAGKIT, n_boot: int = 2000, seed: int = 0, level: float = 0.9
) -> pd.DataFrame:
    """For every other method: the mean over seasons of (``against`` minus the method) on ``measure``, with a
    ``level`` interval from resampling the seasons (paired: both methods on the same seasons)."""
    wide = metrics.pivot(index="season", columns="method", values=measure)
    rng = np.random.default_rng(seed)
    rows = []
    for method in [m for m in wide.columns if m != against]:
        diff = (wide[against] - wide[method]).dropna().to_numpy()
        if not len(diff):
            continue
        means = diff[rng.integers(0, len(diff), size=(n_boot, len(diff)))].mean(axis=1)
        tail = (1 - level) / 2
        rows.append(
            {
                "method": method,
                "measure": measure,
                "seasons": len(diff),
                "mean_difference": float(diff.mean()),
                "low": float(np.quantile(means, tail)),
                "high": float(np.quantile(means, 1 - tail)),
            }
        )
    return pd.DataFrame(rows, columns=["method", "measure", "seasons", "mean_difference", "low", "high"])


def summarise_decisions(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per method, the means over seasons, Brier skill above zero in how many seasons, and the share of
    seasons whose realised bet hits fell inside the stated interval."""
    out = metrics.groupby("method", sort=False).agg(
        seasons=("season", "nunique"),
        precision_at_k=("precision_at_k", "mean"),
        lift_at_k=("lift_at_k", "mean"),
        auc=("auc", "mean"),
        brier_skill=("brier_skill", "mean"),
        seasons_with_skill=("brier_skill", lambda s: int((s > 0).sum())),
        calibration_slope=("calibration_slope", "mean"),
        calibration_intercept=("calibration_intercept", "mean"),
        interval_coverage=("inside_interval", "mean"),
    )
    return out.reindex([m for m in METHODS if m in out.index]).reset_index()
