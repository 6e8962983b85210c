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
        if not self.fitted or not len(z):
            p = np.clip(np.asarray(raw_probabilities, float), 0, 1)
            hits = (rng.random((draws, len(p))) < p).sum(axis=1)
        else:
            params = rng.multivariate_normal([self.intercept, self.slope], self.covariance, size=draws,
                                             check_valid="ignore", method="eigh")
            shift = rng.normal(0, self.season_spread, draws) if self.season_spread > 0 else 0.0
            p = 1 / (1 + np.exp(-((params[:, :1] + np.reshape(shift, (-1, 1))) + params[:, 1:] * z)))
            hits = (rng.random(p.shape) < p).sum(axis=1)
        tail = (1 - level) / 2
        return int(np.quantile(hits, tail, method="lower")), int(np.quantile(hits, 1 - tail, method="higher"))

    def ceiling(self) -> float:
        """The highest probability the calibration data support: no page states a chance above it."""
        return self.highest_observed


def fit_calibration(probabilities, outcomes, seasons=None, *, min_products: int = 200,
                    min_hits: int = 10) -> Calibration:
    """Platt scaling on out-of-time predictions (raw ``probabilities`` and what happened), with the covariance
    of its two parameters and, given the ``seasons`` of the rows, the spread of a season's own intercept.
    Too few products or hits to fit: the identity (no recalibration), marked as not fitted."""
    from sklearn.linear_model import LogisticRegression

    p = np.asarray(probabilities, float)
    y = np.asarray(outcomes, bool)
    if len(p) < min_products or y.sum() < min_hits or (~y).sum() < min_hits or np.ptp(p) < 1e-9:
        return Calibration()
    z = _logit(p)
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), y)
    intercept, slope = float(fit.intercept_[0]), float(fit.coef_[0, 0])
    q = 1 / (1 + np.exp(-(intercept + slope * z)))
    design = np.column_stack([np.ones_like(z), z])
    information = design.T @ (design * (q * (1 - q))[:, None])
    covariance = np.linalg.pinv(information)
    spread = 0.0
    labels = np.asarray(seasons) if seasons is not None else None
    if labels is not None and len(set(labels)) >= 2:
        offsets, weights = [], []
        for season in sorted(set(labels)):
            part = labels == season
            if y[part].any() and (~y[part]).any():
                offsets.append(_intercept_offset(z[part], y[part], intercept, slope))
                weights.append(part.sum())
        if len(offsets) >= 2:
            offsets, weights = np.array(offsets), np.array(weights, float)
            # the between-season part of the spread (the noise of each season's own fit taken out, roughly)
            variance = float(np.average(offsets ** 2, weights=weights)) - float(covariance[0, 0]) * len(offsets)
            spread = float(np.sqrt(max(variance, 0.0)))
    bins = pd.cut(q, [0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0], include_lowest=True)
    rates = pd.DataFrame({"bin": bins, "y": y}).groupby("bin", observed=True)["y"].agg(["mean", "size"])
    supported = rates[rates["size"] >= 20]
    highest = float(supported["mean"].max()) if len(supported) else float(y.mean())
    return Calibration(slope, intercept, covariance, spread, tuple(sorted(set(labels))) if labels is not None else (),
                       len(p), max(highest, float(y.mean())))


def _intercept_offset(z, y, intercept, slope) -> float:
    """The intercept shift that makes one season's expected hits match its observed hits (slope fixed)."""
    target = float(y.sum())
    low, high = -6.0, 6.0
    for _ in range(60):  # bisection: expected hits grow with the shift
        mid = (low + high) / 2
        expected = float((1 / (1 + np.exp(-(intercept + mid + slope * z)))).sum())
        low, high = (mid, high) if expected < target else (low, mid)
    return (low + high) / 2


def recalibrate(predictions: pd.DataFrame, season: str, *, seasons_used: int = 4, calendar=None) -> Calibration:
    """The calibration for ``season`` from the out-of-time predictions of the (up to) ``seasons_used`` seasons
    before it (``predictions``: season, probability, hit; raw probabilities of one method)."""
    from tagkit.seasons import QUARTERS

    calendar = calendar or QUARTERS
    before = sorted((s for s in predictions["season"].unique() if calendar.ordinal(s) < calendar.ordinal(season)),
                    key=calendar.ordinal)[-seasons_used:]
    used = predictions[predictions["season"].isin(before)]
    return fit_calibration(used["probability"], used["hit"], used["season"])
