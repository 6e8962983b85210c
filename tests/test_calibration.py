"""Recalibration out of time, against simulated seasons whose true probabilities are known."""

import numpy as np
import pytest

import tagkit as tk


def _season(rng, n=3000, shift=0.0, distortion=2.0):
    """True probabilities, what happened, and a model's raw probabilities: over-confident (logit x distortion)."""
    true_logit = rng.normal(-2.6, 0.9, n) + shift
    truth = 1 / (1 + np.exp(-true_logit))
    outcome = rng.random(n) < truth
    raw = 1 / (1 + np.exp(-(distortion * (true_logit + 2.6) - 2.6)))
    return raw, outcome, truth


def test_platt_scaling_recovers_the_distortion_and_improves_the_brier_score():
    rng = np.random.default_rng(1)
    raw, outcome, truth = _season(rng, n=20000)
    calibration = tk.calibration.fit_calibration(raw, outcome)
    # raw logit = 2 x (true logit + 2.6) - 2.6, so true logit = 0.5 x raw logit - 1.3
    assert calibration.slope == pytest.approx(0.5, abs=0.05) and calibration.intercept == pytest.approx(-1.3, abs=0.15)
    fixed = calibration.apply(raw)
    assert np.mean((fixed - outcome) ** 2) < np.mean((raw - outcome) ** 2)
    assert np.abs(fixed - truth).mean() < 0.25 * np.abs(raw - truth).mean()
    slope, intercept = tk.evaluate.calibration_line(fixed, outcome)
    assert slope == pytest.approx(1, abs=0.1) and intercept == pytest.approx(0, abs=0.3)


def test_too_little_data_is_not_recalibrated():
    calibration = tk.calibration.fit_calibration([0.1, 0.2, 0.3], [False, True, False])
    assert not calibration.fitted and np.allclose(calibration.apply([0.1, 0.2]), [0.1, 0.2])


def test_the_interval_covers_the_realised_hits_about_as_often_as_it_says():
    """Seasons differ (a strong quarter has more hits): calibrated on four past seasons, the 90% interval of the
    hits among the top 7.5% covers the realised hits in about 90% of 200 simulated seasons (82-98%: 200 seasons
    measure a coverage to a few points); the Poisson-binomial
    interval of the raw probabilities, which knows neither the distortion nor the seasons, covers far fewer."""
    rng = np.random.default_rng(7)
    inside, naive = 0, 0
    trials = 200
    for trial in range(trials):
        past = [_season(rng, n=2000, shift=rng.normal(0, 0.25)) for _ in range(4)]
        raw = np.concatenate([p[0] for p in past])
        outcome = np.concatenate([p[1] for p in past])
        seasons = np.repeat([f"s{i}" for i in range(4)], 2000)
        calibration = tk.calibration.fit_calibration(raw, outcome, seasons)
        now_raw, now_outcome, _ = _season(rng, n=2000, shift=rng.normal(0, 0.25))
        top = np.argsort(-now_raw)[:150]
        low, high = calibration.interval(now_raw[top], seed=trial)
        inside += low <= now_outcome[top].sum() <= high
        naive_low, naive_high = tk.plan.poisson_binomial_interval(now_raw[top])
        naive += naive_low <= now_outcome[top].sum() <= naive_high
    assert 0.82 <= inside / trials <= 0.98
    assert naive / trials < 0.5


def _history(rng, distortion, seasons=("2025Q1", "2025Q2", "2025Q3", "2025Q4")):
    import pandas as pd

    frames = []
    for season in seasons:
        raw, outcome, _ = _season(rng, n=3000, shift=rng.normal(0, 0.15), distortion=distortion)
        frames.append(pd.DataFrame({"season": season, "probability": raw, "hit": outcome}))
    return pd.concat(frames, ignore_index=True)


def test_a_recalibration_is_used_only_when_it_beats_the_raw_probabilities_out_of_time():
    rng = np.random.default_rng(11)
    honest = tk.calibration.recalibrate(_history(rng, distortion=1.0), "2026Q1")
    assert not honest.fitted and honest.seasons == ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
    assert 0.05 < honest.season_spread < 0.5  # a season's own shift still widens every interval
    assert "did not predict them better out of time" in tk.calibration.calibration_note(honest)
    distorted = tk.calibration.recalibrate(_history(rng, distortion=2.0), "2026Q1")
    assert distorted.fitted and distorted.slope == pytest.approx(0.5, abs=0.1)
    assert "were recalibrated on the past seasons (2025Q1–2025Q4)" in tk.calibration.calibration_note(distorted)
    # no chance beyond what was seen: the ceiling is the highest hit rate among products given high chances
    assert 0 < distorted.ceiling() < 1


def test_no_stated_chance_goes_beyond_the_calibration():
    from tagkit.plan import chance_text

    assert chance_text(0.98, 0.92) == "over 92% chance of a hit (the most the past seasons can vouch for)"
    assert chance_text(0.41, 0.92) == "41% chance of a hit"
