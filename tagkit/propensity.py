"""How likely is each candidate to become a hit, and why.

Three kinds of model (:data:`MODEL_KINDS`, simplest first), chosen among by out-of-time validation
(:mod:`tagkit.choice`):

- ``tags only``: a regularised logistic regression (scikit-learn) on the one-hot tags;
- ``tags and rules``: the same on every tag and every kept rule of two or more tags (the combinations
  the hit-tags report lists), so that combinations count as combinations;
- ``gradient boosting``: scikit-learn's ``HistGradientBoostingClassifier`` on the tags, which finds
  combinations by itself.

The L2 penalty shrinks every weight toward zero, that is every prediction toward the base hit rate, the
less data there is behind it. Whichever model scores a product, its prediction is explained by counts a
merchandiser can check: the kept rules the product matches (with their counts and lift, as in the hit-tags
report) and the tags that hold it back (its tags that were hits less often than average in the seasons
learnt from, with their counts).

Calibration is checked out of time: a model trained on the seasons before a season predicts that
season (see :func:`reliability` and :mod:`tagkit.backtest`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tagkit._checks import check_frame
from tagkit.encode import encode_tags
from tagkit.errors import ParameterError
from tagkit.language import translate as _
from tagkit.looks import describe_products
from tagkit.rules import KEPT
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.taxonomy import Taxonomy
from tagkit.trends import same_quarter_rates, tag_momentum_scores
from tagkit.vocabulary import BOOSTED, MODEL_KINDS, TAGS_AND_RULES, TAGS_ONLY


@dataclass(frozen=True, eq=False)
class TimeOfYear:
    """What the model knows of the time of year: which season of the year a row belongs to (one feature per
    season code, so a brand's strong quarter has its own base rate) and how its tags did in the same season of
    earlier years (:func:`tagkit.trends.same_quarter_rates`: swimwear in summer, wool in winter)."""

    labels: pd.DataFrame
    matrix: pd.DataFrame
    calendar: SeasonCalendar = QUARTERS

    @property
    def names(self) -> list[str]:
        return [f"season of year: {code}" for code in self.calendar.codes] + [
            "tags in the same season of earlier years"
        ]

    def features(self, rows: pd.DataFrame, seasons) -> np.ndarray:
        seasons = np.asarray(seasons, dtype=object)
        out = np.zeros((len(rows), len(self.calendar.codes) + 1))
        for season in pd.unique(seasons):
            where = np.flatnonzero(seasons == season)
            code = self.calendar.parse(season)[4:]
            out[where, self.calendar.codes.index(code)] = 1.0
            rate = np.clip(
                same_quarter_rates(self.labels, self.matrix, season, rows.iloc[where], calendar=self.calendar),
                1e-4,
                1 - 1e-4,
            )
            out[where, -1] = np.log(rate / (1 - rate))
        return out


@dataclass(frozen=True, eq=False)
class TagMomentum:
    """Rising and fading tags: for the season a row is in, the mean over its tags of how much their hit rate
    (against the base rate) rose from the two seasons before the last two to the last two
    (:func:`tagkit.trends.tag_momentum_scores`)."""

    labels: pd.DataFrame
    matrix: pd.DataFrame
    calendar: SeasonCalendar = QUARTERS

    @property
    def names(self) -> list[str]:
        return ["rising or fading tags"]

    def features(self, rows: pd.DataFrame, seasons) -> np.ndarray:
        seasons = np.asarray(seasons, dtype=object)
        out = np.zeros((len(rows), 1))
        for season in pd.unique(seasons):
            where = np.flatnonzero(seasons == season)
            out[where, 0] = tag_momentum_scores(
                self.labels, self.matrix, self.calendar.parse(season), rows.iloc[where], calendar=self.calendar
            )
        return out


@dataclass(frozen=True, eq=False)
class SeasonContext:
    """Several kinds of what a model knows of a row's season (say the time of year and tag momentum)."""

    parts: tuple

    @property
    def names(self) -> list[str]:
        return [name for part in self.parts for name in part.names]

    def features(self, rows: pd.DataFrame, seasons) -> np.ndarray:
        return np.hstack([part.features(rows, seasons) for part in self.parts])


def season_context(*parts):
    """What a model knows of a row's season, from :class:`TimeOfYear`, :class:`TagMomentum` (None: left out);
    None when nothing is given."""
    parts = tuple(p for p in parts if p is not None)
    return None if not parts else parts[0] if len(parts) == 1 else SeasonContext(parts)


MIN_TAG_PRODUCTS = 20  # a tag "holds a product back" only with at least this many products behind its record


@dataclass(frozen=True, eq=False)
class PropensityModel:
    """A fitted hit-propensity model: its kind, tag columns, the rules it uses, its weights (or its trees), and
    each tag's record in the rows it learnt from (products and hits), which explains its predictions."""

    items: tuple[str, ...]
    rules: pd.DataFrame
    coefficients: pd.Series
    intercept: float
    base_rate: float
    trained_on: tuple[str, ...] = ()
    time_of_year: TimeOfYear | TagMomentum | SeasonContext | None = None
    kind: str = TAGS_AND_RULES
    tag_products: tuple[int, ...] = ()
    tag_hits: tuple[int, ...] = ()
    estimator: object = None  # the fitted trees of a gradient-boosted model

    def __repr__(self) -> str:
        return (
            f"PropensityModel({self.kind}: {len(self.items)} tags, {len(self.rules)} rules, base rate "
            f"{self.base_rate:.1%}, trained on {', '.join(self.trained_on) or 'the rows given'})"
        )

    def _features(self, matrix: pd.DataFrame, season=None) -> np.ndarray:
        missing = [c for c in self.items if c not in matrix.columns]
        if missing:
            raise ParameterError(
                f"The matrix lacks {len(missing)} tag column(s) the model was trained on, e.g. "
                f"{missing[:3]}; encode candidates with the same taxonomy."
            )
        values = matrix.loc[:, list(self.items)].to_numpy(dtype=np.float64)
        position = {c: i for i, c in enumerate(self.items)}
        combos = [values[:, [position[i] for i in items]].all(axis=1) for items in self.rules["items"]]
        out = np.hstack([values, np.column_stack(combos)]) if combos else values
        if self.time_of_year is not None:
            if season is None and isinstance(matrix.index, pd.MultiIndex) and "season" in matrix.index.names:
                seasons = matrix.index.get_level_values("season")
            elif season is not None:
                seasons = np.full(len(matrix), season, dtype=object)
            else:
                raise ParameterError(
                    "This model knows the season of a row (the time of year or tag momentum): "
                    "say which season the rows are for (season=...)."
                )
            out = np.hstack([out, self.time_of_year.features(matrix, seasons)])
        return out

    def predict(self, matrix: pd.DataFrame, season: str | None = None) -> pd.Series:
        """The probability of each row becoming a hit (in ``season``, for a model that knows the time of year;
        rows indexed by product and season carry their own)."""
        features = self._features(matrix, season)
        if self.estimator is not None:
            p = self.estimator.predict_proba(features.astype(np.float32))[:, 1]
        else:
            p = 1 / (1 + np.exp(-(features @ self.coefficients.to_numpy() + self.intercept)))
        return pd.Series(p, index=matrix.index, name="probability")

    def explain(self, matrix: pd.DataFrame, all_rules: pd.DataFrame | None = None, *, top: int = 3) -> pd.DataFrame:
        """For each row: the kept rules it matches (strongest first, with counts and lift) and the tags
        holding it back: its tags (with at least :data:`MIN_TAG_PRODUCTS` products learnt from) that were hits
        less often than the base rate, lowest first, with their counts. Counts, not weights, so that the
        explanation is the same whichever kind of model scored the row, and can be checked."""
        rules = all_rules if all_rules is not None else self.rules
        if "lift" in rules:
            rules = rules[rules["status"] == KEPT].sort_values(["lift", "rule"], ascending=[False, True])
        else:  # a model trained without rules explains by its tags only
            rules = rules.iloc[0:0]
        values = matrix.loc[:, list(self.items)].to_numpy(dtype=bool)
        position = {c: i for i, c in enumerate(self.items)}
        membership = (
            np.column_stack([values[:, [position[i] for i in items]].all(axis=1) for items in rules["items"]])
            if len(rules)
            else np.zeros((len(matrix), 0), dtype=bool)
        )
        said = _("{rule} ({hits} of {products} hits, {lift})")
        labels = [
            said.format(rule=r.rule, hits=f"{r.n_hits:,}", products=f"{r.n_products:,}", lift=f"{r.lift:.1f}×")
            for r in rules.itertuples()
        ]
        products = np.asarray(self.tag_products, dtype=float)
        tag_hits = np.asarray(self.tag_hits, dtype=float)
        rate = np.divide(tag_hits, products, out=np.full(len(products), np.inf), where=products > 0)
        below = (products >= MIN_TAG_PRODUCTS) & (rate < self.base_rate)
        said = _("{tag} ({hits} of {products} were hits)")
        held_label = [
            said.format(tag=item, hits=f"{int(h):,}", products=f"{int(n):,}")
            for item, h, n in zip(self.items, tag_hits, products)
        ]
        matched, held, counts = [], [], []
        for row in range(len(matrix)):
            hits = np.flatnonzero(membership[row])
            counts.append(len(hits))
            matched.append(_("; ").join(labels[k] for k in hits[:top]))
            present = np.flatnonzero(values[row] & below)  # in item order, so ties of rate go by the taxonomy
            worst = present[np.argsort(rate[present], kind="stable")][:2]
            held.append(_(", ").join(held_label[k] for k in worst))
        return pd.DataFrame(
            {"matched_rules": matched, "rules_matched": counts, "held_back_by": held}, index=matrix.index
        )


def fit_propensity(
    matrix: pd.DataFrame,
    hits,
    *,
    rules: pd.DataFrame | None = None,
    kind: str | None = None,
    penalty: float = 3.0,
    trained_on=(),
    time_of_year: TimeOfYear | TagMomentum | SeasonContext | None = None,
    seed: int = 0,
) -> PropensityModel:
    """Fit the model on tag rows (e.g. from :func:`tagkit.ranked_rows`) and their hit flags.

    ``kind`` is one of :data:`MODEL_KINDS`; by default ``"tags and rules"`` when ``rules`` are given, else
    ``"tags only"``. ``rules`` (from :func:`tagkit.mine_hit_rules` on the same rows): with ``"tags and
    rules"``, its kept rules of two or more tags become features; with every kind, they explain the
    predictions. ``penalty`` is the L2 penalty of the logistic regressions (scikit-learn's ``1 / C``): larger
    values shrink predictions harder toward the base rate. ``time_of_year`` adds what the model knows of each
    row's season (rows indexed by product and season): :class:`TimeOfYear` (the season of the year and the
    tags' record in the same season of earlier years), :class:`TagMomentum` (rising and fading tags), or both
    with :func:`season_context`. ``seed`` fixes the gradient-boosted model's random state.
    """
    hits = np.asarray(hits, dtype=bool)
    kind = kind if kind is not None else (TAGS_AND_RULES if rules is not None else TAGS_ONLY)
    if kind not in MODEL_KINDS:
        raise ParameterError(
            f"The 'kind' parameter of fit_propensity must be one of {list(MODEL_KINDS)}. Got {kind!r} instead."
        )
    if kind == TAGS_AND_RULES and rules is None:
        raise ParameterError("fit_propensity: the kind 'tags and rules' needs the rules (rules=...).")
    if isinstance(penalty, bool) or not isinstance(penalty, (int, float)) or penalty <= 0:
        raise ParameterError(
            f"The 'penalty' parameter of fit_propensity must be a number > 0. Got {penalty!r} instead."
        )
    if hits.all() or not hits.any():
        raise ParameterError(
            f"fit_propensity: {int(hits.sum())} of {len(hits)} rows are hits; the model needs both "
            "hits and other products."
        )
    empty = pd.DataFrame({"rule": [], "items": [], "status": [], "size": []})
    combos = (
        rules[(rules["status"] == KEPT) & (rules["size"] > 1)].reset_index(drop=True)
        if kind == TAGS_AND_RULES
        else empty
    )
    values = matrix.to_numpy(dtype=bool)
    record = dict(
        tag_products=tuple(int(n) for n in values.sum(axis=0)), tag_hits=tuple(int(n) for n in values[hits].sum(axis=0))
    )
    model = PropensityModel(
        tuple(str(c) for c in matrix.columns),
        combos,
        pd.Series(dtype=float),
        0.0,
        float(hits.mean()),
        tuple(trained_on),
        time_of_year,
        kind,
        **record,
    )
    features = model._features(matrix)
    if kind == BOOSTED:
        from sklearn.ensemble import HistGradientBoostingClassifier

        trees = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, l2_regularization=1.0, early_stopping=False, random_state=seed
        )
        return replace(model, estimator=trees.fit(features.astype(np.float32), hits))
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1.0 / penalty, max_iter=5000).fit(features, hits)
    names = list(model.items) + [f"rule: {r}" for r in combos["rule"]] + (time_of_year.names if time_of_year else [])
    return replace(model, coefficients=pd.Series(fitted.coef_[0], index=names), intercept=float(fitted.intercept_[0]))


RELIABILITY_BINS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 1.0)


def reliability(probabilities, outcomes, *, bins=RELIABILITY_BINS) -> pd.DataFrame:
    """Predicted against observed hit rates per probability bin, with a 90% Wilson interval of the
    observed rate: a calibrated model has the predicted mean inside the interval."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(outcomes, dtype=bool)
    labels = [f"{100 * low:g}–{100 * high:g}%" for low, high in zip(bins[:-1], bins[1:])]  # "2–5%"
    cut = pd.cut(p, list(bins), include_lowest=True, labels=labels)
    frame = pd.DataFrame({"bin": cut, "p": p, "y": y})
    out = (
        frame.groupby("bin", observed=True)
        .agg(products=("y", "size"), predicted=("p", "mean"), observed=("y", "mean"))
        .reset_index()
    )
    z = 1.6449
    n, rate = out["products"], out["observed"]
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    out["observed_low"], out["observed_high"] = (centre - half).clip(0, 1), (centre + half).clip(0, 1)
    out["bin"] = out["bin"].astype(str)
    return out


def brier_score(probabilities, outcomes) -> float:
    p = np.asarray(probabilities, dtype=float)
    return float(np.mean((p - np.asarray(outcomes, dtype=float)) ** 2))


def score_candidates(
    model: PropensityModel,
    products: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    rules: pd.DataFrame | None = None,
    category_dimension: str | None = None,
    season: str | None = None,
) -> pd.DataFrame:
    """Every candidate's hit propensity with its explanation, top-level category and look: the input
    of :func:`tagkit.plan_season`."""
    check_frame(products, "products", name="products", owner="score_candidates")
    check_frame(tags, "resolved tags", name="tags", owner="score_candidates", source="normalise_tags")
    matrix = encode_tags(tags, taxonomy, products=products)
    out = describe_products(products, tags, taxonomy, product_ids=matrix.index, category_dimension=category_dimension)
    out["probability"] = model.predict(matrix, season).values
    out["lift"] = out["probability"] / model.base_rate
    explained = model.explain(matrix, rules)
    for column in explained.columns:
        out[column] = explained[column].values
    return out


def carry_over(
    labels: pd.DataFrame,
    season: str,
    products: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    which: str = "hits",
) -> pd.DataFrame:
    """The products that stay on sale into the next season: the hits of ``season`` (``which="hits"``),
    or none (``which=""``)."""
    if not which:
        return describe_products(products, tags, taxonomy, product_ids=[])
    if which != "hits":
        raise ParameterError(f"The 'carry_over' parameter must be 'hits' or \"\". Got {which!r} instead.")
    check_frame(labels, "labels", name="labels", owner="carry_over", source="label_hits")
    ids = labels.loc[(labels["season"] == season) & labels["hit"], "product_id"]
    return describe_products(products, tags, taxonomy, product_ids=ids)
