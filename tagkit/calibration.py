"""Probabilities that hold out of time, and intervals that say how sure they are.

A model's raw probabilities are recalibrated on seasons it did not train on (rolling origin: each earlier
season predicted by a model trained only on the seasons before it): a logistic fit of the outcomes on the
logit of the raw probabilities (Platt scaling) gives a slope and an intercept, with their covariance. The
seasons differ too (a fixed bar makes a strong quarter's hit share higher), so the spread of each
calibration season's own intercept around the pooled one is measured as well.

The expected hits among a plan's bets then come with an interval that carries all three uncertainties:
which products hit (Poisson-binomial), how well the calibration is known, and how much a season differs
(simulated: :meth:`Calibration.interval`). And a probability is shown only as far as the calibration data
support it (:meth:`Calibration.ceiling`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tagkit.language import translate as _
from tagkit.seasons import QUARTERS

_EPS = 1e-6


def _logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, float), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


@dataclass(frozen=True)
class Calibration:
    """p' = sigmoid(intercept + slope * logit(p)), fitted on out-of-time predictions of ``seasons``."""

    slope: float = 1.0
    intercept: float = 0.0
    covariance: np.ndarray = field(default_factory=lambda: np.zeros((2, 2)))
    season_spread: float = 0.0  # the spread (sd) of a season's own intercept around the pooled one
    seasons: tuple[str, ...] = ()
    products: int = 0
    highest_observed: float = 1.0  # the highest hit rate observed among products given high probabilities

    @property
    def fitted(self) -> bool:
        return self.products > 0

    def apply(self, probabilities) -> np.ndarray:
        z = self.intercept + self.slope * _logit(probabilities)
        return 1 / (1 + np.exp(-z))

    def interval(self, raw_probabilities, *, level: float = 0.9, draws: int = 4000, seed: int = 0) -> tuple[int, int]:
        """The central ``level`` interval of the number of hits among products with these raw probabilities:
        the calibration's parameters and the season's own intercept drawn from their uncertainty, the hits
        of each draw from the recalibrated probabilities."""
        rng = np.random.default_rng(seed)
        z = _logit(raw_probabilities)
        if self.fitted:
            params = rng.multivariate_normal(
                [self.intercept, self.slope], self.covariance, size=draws, check_valid="ignore", method="eigh"
            )
        else:  # the probabilities as they are; a season still differs from the others
            params = np.tile([0.0, 1.0], (draws, 1))
        shift = rng.normal(0, self.season_spread, (draws, 1)) if self.season_spread > 0 else 0.0
        p = 1 / (1 + np.exp(-((params[:, :1] + shift) + params[:, 1:] * z)))
        hits = (rng.random(p.shape) < p).sum(axis=1)
        tail = (1 - level) / 2
        return int(np.quantile(hits, tail, method="lower")), int(np.quantile(hits, 1 - tail, method="higher"))

    def ceiling(self) -> float:
        """The highest probability the calibration data support: no page states a chance above it."""
        return self.highest_observed


# Seasons differ by more than chance among products: a season's own shift of the logit (sd ``tau``) is
# estimated from the calibration seasons, pulled toward TAU_PRIOR as if PRIOR_SEASONS more seasons had shown
# it (one or two seasons cannot measure a spread); a systematic correction is trusted in proportion to the
# seasons behind it (prior sd SYSTEMATIC_PRIOR on the logit scale).
TAU_PRIOR, PRIOR_SEASONS, SYSTEMATIC_PRIOR = 0.25, 2, 0.5


def fit_calibration(
    probabilities, outcomes, seasons=None, *, min_products: int = 200, min_hits: int = 10
) -> Calibration:
    """Platt scaling on out-of-time predictions (raw ``probabilities`` and what happened) from the ``seasons``
    given for each row: the correction is shrunk toward none in proportion to how few seasons stand behind it,
    and the spread of a season's own shift is estimated, so that intervals carry both. Too few products or
    hits to fit: the identity (no recalibration), marked as not fitted."""
    from sklearn.linear_model import LogisticRegression

    p = np.asarray(probabilities, float)
    y = np.asarray(outcomes, bool)
    if len(p) < min_products or y.sum() < min_hits or (~y).sum() < min_hits or np.ptp(p) < 1e-9:
        return Calibration()
    z = _logit(p)
    labels = np.asarray(seasons).astype(str) if seasons is not None else np.zeros(len(p)).astype(str)
    names = [s for s in pd.unique(labels) if y[labels == s].any() and (~y[labels == s]).any()]
    keep = np.isin(labels, names)
    # the slope from within each season (one intercept per season), so that seasons that differ as a whole do
    # not flatten it; the seasons' own intercepts then give the correction and their spread
    design = np.column_stack([(labels[keep] == s).astype(float) for s in names] + [z[keep]])
    fit = LogisticRegression(C=1e6, max_iter=2000, fit_intercept=False).fit(design, y[keep])
    slope, own = float(fit.coef_[0, -1]), fit.coef_[0, :-1]
    sizes = np.array([(labels == s).sum() for s in names], float)
    intercept = float(np.average(own, weights=sizes))
    q = 1 / (1 + np.exp(-(design @ fit.coef_[0])))
    information = design.T @ (design * (q * (1 - q))[:, None])
    slope_variance = float(np.linalg.pinv(information)[-1, -1])
    offsets = own - intercept
    m = len(names)
    tau = float(np.sqrt((np.sum(offsets**2) + PRIOR_SEASONS * TAU_PRIOR**2) / (m + PRIOR_SEASONS)))
    weight = SYSTEMATIC_PRIOR**2 / (SYSTEMATIC_PRIOR**2 + tau**2 / m)
    shrunk_intercept, shrunk_slope = weight * intercept + (1 - weight) * 0.0, slope
    # a correction that keeps the mean logit where it was when the slope alone changes
    shrunk_intercept += (1 - weight) * (1 - slope) * float(np.average(z))
    covariance = np.diag([weight**2 * tau**2 / m, slope_variance])
    calibrated = 1 / (1 + np.exp(-(shrunk_intercept + shrunk_slope * z)))
    return Calibration(
        shrunk_slope,
        shrunk_intercept,
        covariance,
        tau,
        tuple(sorted(names)) if seasons is not None else (),
        len(p),
        highest_observed(calibrated, y),
    )


def highest_observed(probabilities, outcomes, *, min_products: int = 20) -> float:
    """The highest hit rate seen among products given similar probabilities (bins of at least ``min_products``):
    the most a stated chance can claim."""
    p, y = np.asarray(probabilities, float), np.asarray(outcomes, bool)
    if not len(p):
        return 1.0
    bins = pd.cut(p, [0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0], include_lowest=True)
    rates = pd.DataFrame({"bin": bins, "y": y}).groupby("bin", observed=True)["y"].agg(["mean", "size"])
    supported = rates[rates["size"] >= min_products]
    return max(float(supported["mean"].max()) if len(supported) else 0.0, float(y.mean()))


def _intercept_offset(z, y, intercept, slope) -> float:
    """The intercept shift that makes one season's expected hits match its observed hits (slope fixed)."""
    target = float(y.sum())
    low, high = -6.0, 6.0
    for _step in range(60):  # bisection: expected hits grow with the shift
        mid = (low + high) / 2
        expected = float((1 / (1 + np.exp(-(intercept + mid + slope * z)))).sum())
        low, high = (mid, high) if expected < target else (low, mid)
    return (low + high) / 2


def season_spread(probabilities, outcomes, seasons) -> float:
    """The spread (sd) of a season's own logit shift around probabilities taken as they are, pulled toward
    TAU_PRIOR as if PRIOR_SEASONS more seasons had shown it."""
    p, y, labels = np.asarray(probabilities, float), np.asarray(outcomes, bool), np.asarray(seasons).astype(str)
    z = _logit(p)
    offsets = [
        _intercept_offset(z[labels == s], y[labels == s], 0.0, 1.0)
        for s in pd.unique(labels)
        if y[labels == s].any() and (~y[labels == s]).any()
    ]
    return float(np.sqrt((np.sum(np.square(offsets)) + PRIOR_SEASONS * TAU_PRIOR**2) / (len(offsets) + PRIOR_SEASONS)))


def recalibrate(predictions: pd.DataFrame, season: str, *, seasons_used: int = 4, calendar=None) -> Calibration:
    """The calibration for ``season`` from the out-of-time predictions of the (up to) ``seasons_used`` seasons
    before it (``predictions``: season, probability, hit; raw probabilities of one method).

    A recalibration is used only when it earns its place: fitted on the seasons before each of the last two, it
    must predict both better (log loss) than the raw probabilities do; otherwise the probabilities are kept as
    they are. Either way the calibration carries the seasons' spread, for the intervals."""
    calendar = calendar or QUARTERS
    before = sorted(
        (s for s in predictions["season"].unique() if calendar.ordinal(s) < calendar.ordinal(season)),
        key=calendar.ordinal,
    )[-seasons_used:]
    used = predictions[predictions["season"].isin(before)]
    identity = Calibration(
        season_spread=season_spread(used["probability"], used["hit"], used["season"]) if len(used) else TAU_PRIOR,
        seasons=tuple(before),
        highest_observed=highest_observed(used["probability"], used["hit"]) if len(used) else 1.0,
    )
    if len(before) < 2:
        return identity
    # rolling validation on the last two seasons (each recalibrated on the seasons before it): both must gain
    for last in before[-2:] if len(before) >= 3 else before[-1:]:
        earlier = [s for s in before if calendar.ordinal(s) < calendar.ordinal(last)]
        train, test = used[used["season"].isin(earlier)], used[used["season"] == last]
        trial = fit_calibration(train["probability"], train["hit"], train["season"])
        if not trial.fitted or log_loss(trial.apply(test["probability"]), test["hit"]) >= log_loss(
            test["probability"], test["hit"]
        ):
            return identity
    return fit_calibration(used["probability"], used["hit"], used["season"])


def log_loss(p, y) -> float:
    """The mean log loss of probabilities ``p`` for outcomes ``y`` (clipped away from 0 and 1)."""
    p = np.clip(np.asarray(p, float), _EPS, 1 - _EPS)
    y = np.asarray(y, bool)
    return float(-np.mean(np.where(y, np.log(p), np.log(1 - p))))


def calibration_note(calibration: Calibration) -> str:
    """How a plan's probabilities were calibrated, in a sentence."""
    seasons = (
        _(" ({first}–{last})", first=calibration.seasons[0], last=calibration.seasons[-1])
        if calibration.seasons
        else ""
    )
    spread = _(
        " A season's own shift (sd {spread} on the logit scale) is part of every interval.",
        spread=f"{calibration.season_spread:.2f}",
    )
    if not calibration.seasons:
        return _("No past season was replayed, so the probabilities could not be checked out of time.") + spread
    if calibration.fitted:
        return (
            _(
                "The probabilities were recalibrated on the past seasons{seasons} predicted out of time (slope "
                "{slope}, intercept {intercept} on the logit scale): that beat the raw probabilities on the last two "
                "of them. No chance above {ceiling} is stated: no higher rate was seen.",
                seasons=seasons,
                slope=f"{calibration.slope:.2f}",
                intercept=f"{calibration.intercept:+.2f}",
                ceiling=f"{calibration.ceiling():.0%}",
            )
            + spread
        )
    return (
        _(
            "The probabilities are the model's own: a recalibration on the past seasons{seasons} did not predict them "
            "better out of time. No chance above {ceiling} is stated: no higher rate was seen.",
            seasons=seasons,
            ceiling=f"{calibration.ceiling():.0%}",
        )
        + spread
    )
