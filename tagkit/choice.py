"""Which model scores next season: chosen by out-of-time validation, the rules earning their place.

Every kind of model (:data:`tagkit.vocabulary.MODEL_KINDS`: tags only, tags and rules, gradient boosting)
predicted each past season from the seasons before it only (:func:`tagkit.backtest`). The choice compares
them on the last ``seasons_used`` of those seasons by their mean log loss (a proper score: it rewards both
putting hits first and stating believable probabilities), and applies the one-standard-error rule of
cross-validation: the simplest kind whose mean log loss is within one standard error (of the paired
season-by-season differences) of the best kind's. So the rules are used only when they did measurably
better than the tags alone, and gradient boosting only when it did measurably better than both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tagkit.calibration import log_loss
from tagkit.errors import ParameterError
from tagkit.language import translate as _
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.vocabulary import MODEL_KINDS, TAGS_AND_RULES

AUTO = "auto"
CHOICE_COLUMNS = [
    "model",
    "method",
    "seasons",
    "log_loss",
    "log_loss_vs_best",
    "standard_error",
    "bet_hit_rate",
    "chosen",
]
BET_SHARE = 0.075  # the share of a season's ranked products taken as its hit bets in the comparison


@dataclass(frozen=True, eq=False)
class ModelChoice:
    """The kind of model chosen (one of :data:`MODEL_KINDS`), its name in comparisons, why in words, and the
    comparison (:data:`CHOICE_COLUMNS`)."""

    kind: str
    reason: str
    table: pd.DataFrame
    best: bool = False  # chosen because it scored best out of time (the reason gives the scores)

    @property
    def method(self) -> str:
        return MODEL_KINDS[self.kind]


def _bet_hit_rate(part: pd.DataFrame) -> float:
    k = max(1, int(round(BET_SHARE * len(part))))
    top = part.sort_values(["probability", "product_id"], ascending=[False, True], kind="stable").head(k)
    return float(top["hit"].mean())


def choose_model(
    predictions: pd.DataFrame,
    season: str,
    *,
    model: str = AUTO,
    seasons_used: int = 4,
    calendar: SeasonCalendar = QUARTERS,
    names: dict | None = None,
) -> ModelChoice:
    """The kind of model for ``season``, from the out-of-time ``predictions`` (columns season, method,
    product_id, probability, hit, and optionally ranked) of the seasons before it; ``names`` maps each kind to
    its method name in ``predictions`` (:data:`MODEL_KINDS` by default). ``model`` other than ``"auto"``
    is a kind chosen by hand: the comparison is still made and shown."""
    if model != AUTO and model not in MODEL_KINDS:
        raise ParameterError(
            f"The 'model' parameter must be \"auto\" or one of {list(MODEL_KINDS)}. Got {model!r} instead."
        )
    names = names or MODEL_KINDS
    if "ranked" in predictions:  # the backtest's predictions: only ranked products have an outcome
        predictions = predictions[predictions["ranked"].astype(bool)]
    method_kind = {names[kind]: kind for kind in MODEL_KINDS}
    earlier = [s for s in pd.unique(predictions["season"]) if calendar.ordinal(s) < calendar.ordinal(season)]
    before = predictions[predictions["method"].isin(method_kind) & predictions["season"].isin(earlier)]
    scored = before.groupby("season")["method"].nunique()
    seasons = sorted(scored.index[scored == len(MODEL_KINDS)], key=calendar.ordinal)[-seasons_used:]
    part = before[before["season"].isin(seasons)]
    per_season = (
        part.groupby(["method", "season"])
        .apply(
            lambda g: pd.Series({"loss": log_loss(g["probability"], g["hit"]), "bets": _bet_hit_rate(g)}),
            include_groups=False,
        )
        .reset_index()
        if len(part)
        else pd.DataFrame(columns=["method", "season", "loss", "bets"])
    )
    losses = per_season.pivot(index="season", columns="method", values="loss").reindex(columns=list(names.values()))
    bets = per_season.groupby("method")["bets"].mean()
    rows = []
    best = losses.mean().idxmin() if len(seasons) else None
    for kind in MODEL_KINDS:
        method = names[kind]
        diff = (losses[method] - losses[best]).to_numpy() if best else np.array([])
        se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else np.nan
        rows.append(
            {
                "model": kind,
                "method": method,
                "seasons": len(seasons),
                "log_loss": float(losses[method].mean()) if len(seasons) else np.nan,
                "log_loss_vs_best": float(diff.mean()) if len(diff) else np.nan,
                "standard_error": se,
                "bet_hit_rate": float(bets.get(method, np.nan)),
                "chosen": False,
            }
        )
    table = pd.DataFrame(rows, columns=CHOICE_COLUMNS)
    scored_best = False
    if model != AUTO:
        kind, reason = model, _("set by hand (the propensity_model parameter)")
    elif len(seasons) < 2:
        kind = TAGS_AND_RULES
        reason = _(
            "the default: {seasons} past season(s) were predicted out of time by every kind of model, too few to "
            "choose among them (replay more seasons with backtest_seasons)",
            seasons=len(seasons),
        )
    else:
        within = table[table["log_loss_vs_best"] <= table["standard_error"].fillna(0) + 1e-12]
        kind = str(within["model"].iloc[0])  # the simplest within one standard error of the best
        best_kind = method_kind[best]
        others = _(", ").join(
            _("{loss} for {model}", loss=f"{r.log_loss:.4f}", model=_(r.model))
            for r in table.itertuples()
            if r.model != kind
        )
        chosen_loss = float(table.loc[table["model"] == kind, "log_loss"].iloc[0])
        scored_best = kind == best_kind
        if scored_best:
            reason = _(
                "the best out-of-time log loss over the last {seasons} seasons ({loss}, against {others})",
                seasons=len(seasons),
                loss=f"{chosen_loss:.4f}",
                others=others,
            ) + (
                _(", by more than the seasons' noise over every simpler model")
                if kind != next(iter(MODEL_KINDS))
                else ""
            )
        else:
            reason = _(
                "over the last {seasons} seasons its out-of-time log loss ({loss}) was within one standard error of "
                "the best model's ({best}); the simpler model is preferred ({others})",
                seasons=len(seasons),
                loss=f"{chosen_loss:.4f}",
                best=_(best_kind),
                others=others,
            )
    table["chosen"] = table["model"] == kind
    return ModelChoice(kind, reason, table, best=scored_best)
