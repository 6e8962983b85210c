"""Numbers and codes as a reader reads them: one rule per measure, for every table of every page.

A column is shown by what it measures, decided from its name and values: shares as percentages ("12.5%",
"<0.1%" for a small non-zero share, never "0.0%"), lifts as "11.6×", p- and q-values to three decimals ("<
0.001"), counts with thousands separators, other numbers with a fixed number of decimals per column, bins as
"2–5%", dates without a midnight time, yes/no for booleans, and a missing value as blank. Headers are in words
(:data:`tagkit.vocabulary.HEADER_WORDS`, else the name with spaces).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tagkit.language import DEFAULT, current_language, translate_cell
from tagkit.language import translate as _
from tagkit.vocabulary import HEADER_WORDS, NO_VALUE

PERCENT_NAMES = (
    "probability",
    "raw_probability",
    "coverage",
    "precision_at_k",
    "base_rate",
    "hit_share",
    "hit_rate",
)


# columns whose text cells are tagkit's own words (statuses, verdicts, roles), shown in the page's language
WORD_COLUMNS = (
    "band",
    "verdict",
    "trend",
    "status",
    "within",
    "held_up",
    "role",
    "method",
    "model",
    "kind",
    "source",
    "problem",
    "action",
    "suggestion",
    "reason",
    "measure",
    "note",
    "target",
    "wave",
    "input",
)


def tagkit_words(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the text cells of its :data:`WORD_COLUMNS` in the page's language (a new frame; the same
    frame in English). Only cells that are exactly one of tagkit's words change: a user's text stays as it is."""
    if current_language() == DEFAULT:
        return frame
    columns = [c for c in frame.columns if str(c) in WORD_COLUMNS and not pd.api.types.is_numeric_dtype(frame[c])]
    out = frame.assign(**{str(c): _in_words(frame[c]) for c in columns}) if columns else frame
    text = [c for c in out.columns if pd.api.types.is_string_dtype(out[c]) or out[c].dtype == object]
    none = [c for c in text if (out[c] == NO_VALUE).any()]  # tagkit's placeholder, in any column
    return out.assign(**{str(c): out[c].replace(NO_VALUE, translate_cell(NO_VALUE)) for c in none}) if none else out


def _in_words(column: pd.Series) -> pd.Series:
    """Each distinct cell translated once (a labels sheet has a million rows and four statuses)."""
    try:
        distinct = column.dropna().unique()
    except TypeError:  # unhashable cells (a list): each one as it is
        return column
    return column.map({value: translate_cell(value) for value in distinct})


def header(name) -> str:
    """A column's header in words, in the page's language."""
    return _(HEADER_WORDS.get(str(name), str(name).replace("_", " ")))


def is_percent(name, values: pd.Series, percent=()) -> bool:
    """Whether a numeric column holds shares shown as percentages: listed in ``percent`` (by name or by its header
    in words, as a workbook read back has it), or named as a share and all in [0, 1]."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    name = str(name)
    if name in percent or header(name) in {header(p) for p in percent}:
        return True
    named = (
        name in PERCENT_NAMES
        or name.endswith(("_share", "_rate", "_probability"))
        or name.startswith("share_")
        or name == "share"
    )
    finite = pd.to_numeric(values, errors="coerce").dropna()
    return named and bool(((finite >= 0) & (finite <= 1)).all())


def measure(name, values: pd.Series, percent=()) -> str:
    """What a numeric column measures, which decides its format on a page and in a workbook: "probability" (p-
    and q-values), "lift", "percent" or "number"."""
    if is_probability_value(name):
        return "probability"
    if is_lift(name):
        return "lift"
    if is_percent(name, values, percent):
        return "percent"
    return "number"


def is_lift(name) -> bool:
    name = str(name)
    return (
        name == "lift"
        or name.endswith("_lift")
        or name.startswith("lift_")
        or name in ("mean_lift_at_k", "competitor_vs_own_range")
    )


def is_probability_value(name) -> bool:
    return str(name).endswith(("p_value", "q_value", "q_improvement"))


def percent_text(x) -> str:
    if x is None or pd.isna(x):
        return ""
    x = float(x)
    if x == 0:
        return "0%"
    if 0 < abs(x) < 0.0005:
        return "<0.1%" if x > 0 else ">-0.1%"
    if abs(x) > 0.9995 and abs(x) < 1:
        return ">99.9%"
    return f"{100 * x:,.1f}%"


def lift_text(x) -> str:
    if x is None or pd.isna(x):
        return ""
    if math.isinf(float(x)):
        return "∞"
    return f"{float(x):,.1f}×"


def probability_value_text(x) -> str:
    if x is None or pd.isna(x):
        return ""
    return "< 0.001" if x < 0.001 else f"{x:.3f}"


def decimals(values: pd.Series) -> int:
    finite = pd.to_numeric(values, errors="coerce").replace([np.inf, -np.inf], np.nan).dropna()
    if finite.empty or (finite == finite.round()).all():
        return 0
    largest = float(finite.abs().max())
    return 0 if largest >= 1000 else 1 if largest >= 10 else 2 if largest >= 0.1 else 4


def _number_text(decimals: int):
    def text(x) -> str:
        if x is None or pd.isna(x):
            return ""
        if isinstance(x, float) and math.isinf(x):
            return "∞" if x > 0 else "-∞"
        return f"{x:,.{decimals}f}"

    return text


def _interval_text(interval, as_percent: bool) -> str:
    if interval is None or (not isinstance(interval, pd.Interval) and pd.isna(interval)):
        return ""
    low, high = max(float(interval.left), 0.0) if as_percent else float(interval.left), float(interval.right)
    if as_percent:
        return f"{100 * low:g}–{100 * high:g}%"
    return f"{low:,g}–{high:,g}"


def column_text(name, values: pd.Series, percent=()) -> pd.Series:
    """The column as the reader reads it (a Series of strings, blank for missing)."""
    if isinstance(values.dtype, pd.IntervalDtype) or (
        isinstance(values.dtype, pd.CategoricalDtype) and isinstance(values.dtype.categories, pd.IntervalIndex)
    ):
        intervals = [v for v in values.dropna()]
        as_percent = (
            bool(intervals) and max(v.right for v in intervals) <= 1 and min(v.left for v in intervals) >= -0.01
        )
        return values.astype(object).map(lambda v: _interval_text(v, as_percent))
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: _("yes"), False: _("no")}).fillna("").astype(str)
    if pd.api.types.is_datetime64_any_dtype(values):
        with_time = bool((values.dropna().dt.normalize() != values.dropna()).any())
        return values.dt.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d").fillna("")
    if pd.api.types.is_numeric_dtype(values):
        text = {"probability": probability_value_text, "lift": lift_text, "percent": percent_text}
        return values.map(text.get(measure(name, values, percent)) or _number_text(decimals(values)))
    return _mixed_text(values)


def _mixed_text(values: pd.Series) -> pd.Series:
    """A column of text and numbers (a table of measures and their values): each number by its own size."""

    def text(v) -> str:
        if isinstance(v, (bool, np.bool_)):
            return "yes" if v else "no"
        if isinstance(v, (int, np.integer)):
            return f"{v:,}"
        if isinstance(v, (float, np.floating)):
            return "" if pd.isna(v) else _number_text(decimals(pd.Series([v])))(v)
        if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
            return ""
        return str(v)

    return pd.Series([text(v) for v in values], index=values.index, dtype=object)


def is_numeric_column(values: pd.Series) -> bool:
    """Right-aligned and sorted as numbers."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def table_text(frame: pd.DataFrame, percent=()) -> pd.DataFrame:
    """Every column as text, headers in words."""
    return pd.DataFrame({header(c): column_text(c, frame[c], percent).to_numpy() for c in frame.columns})
