"""Checks shared by every module: parameter contracts, frame contracts and 'did you mean' suggestions."""

from __future__ import annotations

import difflib
import functools
import inspect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral, Real

import pandas as pd

from tagkit.errors import ParameterError
from tagkit.language import translate as _
from tagkit.vocabulary import FRAMES


def suggest(found: str, allowed: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The allowed string closest to ``found``, or None when nothing is close."""
    allowed = [a for a in allowed if isinstance(a, str)]
    by_key = {a.casefold(): a for a in allowed}
    match = difflib.get_close_matches(str(found).casefold(), list(by_key), n=1, cutoff=cutoff)
    return by_key[match[0]] if match else None


def did_you_mean(found: str, allowed: Iterable[str]) -> str:
    hint = suggest(found, allowed)
    return " " + _("Did you mean {hint}?", hint=repr(hint)) if hint else ""


def check_choice(value, *, name: str, owner: str, choices: Iterable[str]):
    choices = list(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        said = _(
            "The {name} parameter of {owner} must be one of {listed}. Got {got} instead.",
            name=repr(name),
            owner=owner,
            listed=listed,
            got=repr(value),
        )
        raise ParameterError(said + hint)
    return value


def check_engine(engine, spark, *, owner: str, choices: Iterable[str], default: str) -> str:
    """The engine to use: Spark when a Spark session is given and no engine is named, else ``default``."""
    if engine is None:
        return "spark" if spark is not None else default
    check_choice(engine, name="engine", owner=owner, choices=choices)
    if spark is not None and engine != "spark":
        raise ParameterError(
            f"The 'spark' parameter of {owner} is a Spark session, used only with engine='spark'. "
            f"Got engine={engine!r} with a session: drop one of them."
        )
    return engine


def check_int(value, *, name: str, owner: str, low: int | None = None, high: int | None = None):
    wrong = isinstance(value, bool) or not isinstance(value, Integral)
    if wrong or (low is not None and value < low) or (high is not None and value > high):
        raise ParameterError(
            _(
                "The {name} parameter of {owner} must be an int{range}. Got {got} instead.",
                name=repr(name),
                owner=owner,
                range=_range(low, high),
                got=repr(value),
            )
        )
    return int(value)


def check_fraction(value, *, name: str, owner: str, closed_low: bool = False, closed_high: bool = True):
    """A float in (0, 1] by default."""
    interval = ("[" if closed_low else "(") + "0, 1" + ("]" if closed_high else ")")
    ok = isinstance(value, Real) and not isinstance(value, bool)
    if ok:
        value = float(value)
        ok = (value >= 0 if closed_low else value > 0) and (value <= 1 if closed_high else value < 1)
    if not ok:
        raise ParameterError(
            _(
                "The {name} parameter of {owner} must be a float in {interval}. Got {got} instead.",
                name=repr(name),
                owner=owner,
                interval=interval,
                got=repr(value),
            )
        )
    return value


def check_date_format(value, *, owner: str):
    """A strftime format such as '%d/%m/%Y' (None allowed): text, with at least a day, a month and a year, and
    only directives Python knows."""
    if value is None:
        return None
    from datetime import datetime

    problem = None
    if not isinstance(value, str) or "%" not in value:
        problem = "a format such as '%d/%m/%Y'"
    else:
        try:
            datetime.strptime("", value)
        except ValueError as err:
            if "directive" in str(err) or "stray %" in str(err):
                problem = f"a format with the directives of Python's strftime ({err})"
        if problem is None and not all(d in value for d in ("%d", "%m")) and "%b" not in value and "%B" not in value:
            problem = "a format that names the day and the month (%d, %m)"
    if problem:
        raise ParameterError(f"The 'date_format' parameter of {owner} must be {problem}. Got {value!r} instead.")
    return value


def _range(low, high) -> str:
    if low is not None and high is not None:
        return " " + _("in [{low}, {high}]", low=low, high=high)
    if low is not None:
        return " " + _(">= {low}", low=low)
    if high is not None:
        return " " + _("<= {high}", high=high)
    return ""


def check_frame(frame, kind: str, *, name: str, owner: str, source: str = ""):
    """A frame given to ``owner`` as ``name`` has the columns of its kind (:data:`tagkit.vocabulary.FRAMES`);
    otherwise a ParameterError names the function, the missing columns and what was passed. ``source`` says
    which tagkit function makes such a frame."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"The {name!r} parameter of {owner} must be a DataFrame of {kind}. Got {type(frame).__name__} instead."
        )
    missing = [c for c in FRAMES[kind] if c not in frame.columns]
    if missing:
        given = ", ".join(map(str, list(frame.columns)[:12])) + (", ..." if frame.shape[1] > 12 else "")
        made = f" (as {source} makes it)" if source else ""
        raise ParameterError(
            f"The {name!r} parameter of {owner} must be a frame of {kind}{made}, with the columns "
            f"{', '.join(FRAMES[kind])}. Missing: {', '.join(missing)}; the frame passed has "
            f"{given or 'no columns'}."
        )


# --- parameter constraints, declared once per public function (as scikit-learn's _param_validation) ----------
@dataclass(frozen=True)
class Choice:
    """One of ``choices``."""

    choices: tuple

    def check(self, value, *, name: str, owner: str):
        return check_choice(value, name=name, owner=owner, choices=self.choices)

    def words(self) -> str:
        return ", ".join(f'`"{c}"`' for c in self.choices)


@dataclass(frozen=True)
class Whole:
    """An int from ``low`` to ``high`` (either may be open)."""

    low: int | None = None
    high: int | None = None

    def check(self, value, *, name: str, owner: str):
        return check_int(value, name=name, owner=owner, low=self.low, high=self.high)

    def words(self) -> str:
        if self.high is None:
            return f"a whole number, at least {_number(self.low)}" if self.low is not None else "a whole number"
        return f"a whole number from {_number(self.low)} to {_number(self.high)}"


@dataclass(frozen=True)
class Share:
    """A float in (0, 1], or [0, 1] with ``closed_low``."""

    closed_low: bool = False

    def check(self, value, *, name: str, owner: str):
        return check_fraction(value, name=name, owner=owner, closed_low=self.closed_low)

    def words(self) -> str:
        return "a share in [0, 1]" if self.closed_low else "a share in (0, 1]"


@dataclass(frozen=True)
class Number:
    """A finite number from ``low`` to ``high`` (no upper end when None)."""

    low: float
    high: float | None = None

    def check(self, value, *, name: str, owner: str):
        ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value) and self.low <= value
        if not ok or (self.high is not None and value > self.high):
            within = _range(self.low, self.high).strip()
            raise ParameterError(
                _(
                    "The {name} parameter of {owner} must be a number {within}. Got {got} instead.",
                    name=repr(name),
                    owner=owner,
                    within=within,
                    got=repr(value),
                )
            )
        return value

    def words(self) -> str:
        if self.high is None:
            return f"a number, at least {_number(self.low)}"
        return f"a number from {_number(self.low)} to {_number(self.high)}"


@dataclass(frozen=True)
class Flag:
    """True or False."""

    def check(self, value, *, name: str, owner: str):
        if not isinstance(value, bool):
            raise ParameterError(
                _(
                    "The {name} parameter of {owner} must be True or False. Got {got} instead.",
                    name=repr(name),
                    owner=owner,
                    got=repr(value),
                )
            )
        return value

    def words(self) -> str:
        return "`True` or `False`"


def _number(value) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def validate_params(**constraints):
    """Declare a public function's parameter constraints: checked on every call, before the body runs, and
    kept as ``function.parameter_constraints`` for the notebooks' checks and the parameter reference."""

    def wrap(function):
        signature = inspect.signature(function)
        optional = {name for name, p in signature.parameters.items() if p.default is None}

        @functools.wraps(function)
        def checked(*args, **kwargs):
            bound = signature.bind_partial(*args, **kwargs).arguments
            for name, constraint in constraints.items():
                if name in bound and not (bound[name] is None and name in optional):
                    constraint.check(bound[name], name=name, owner=function.__name__)
            return function(*args, **kwargs)

        checked.parameter_constraints = dict(constraints)
        return checked

    return wrap
