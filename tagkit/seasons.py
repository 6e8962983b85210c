"""Season calendars: quarters by default, or named seasons such as SS (Feb-Jul) and AW (Aug-Jan).

A season is labelled by the year in which it starts and its code: ``2025Q3``, ``2025AW``
(August 2025 to January 2026). This module is the only definition of seasons: the sales engines
group order lines by the season this module writes in SQL (``ordinal_sql``), which a test checks against
``season_of``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tagkit._checks import Whole, did_you_mean, validate_params
from tagkit.errors import ParameterError

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class SeasonCalendar:
    """Seasons that tile the year, each given by a code and the month it starts in."""

    name: str
    seasons: tuple[tuple[str, int], ...]

    def __post_init__(self):
        problems = []
        if not self.seasons:
            problems.append("it declares no seasons")
        codes = [c for c, _ in self.seasons]
        months = [m for _, m in self.seasons]
        for code in codes:
            if not isinstance(code, str) or not _CODE.match(code):
                problems.append(f"season code {code!r} must be letters and digits starting with a letter")
        if len({str(c).upper() for c in codes}) != len(codes):
            problems.append(f"season codes {codes} repeat")
        for m in months:
            if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12:
                problems.append(f"start month {m!r} must be an integer from 1 to 12")
        if len(set(months)) != len(months):
            problems.append(f"start months {months} repeat")
        if problems:
            raise ParameterError(f"The season calendar {self.name!r} is not valid: " + "; ".join(problems) + ".")
        ordered = tuple(sorted(((c.upper(), m) for c, m in self.seasons), key=lambda s: s[1]))
        object.__setattr__(self, "seasons", ordered)

    # --- labels -----------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.seasons)

    @property
    def start_months(self) -> tuple[int, ...]:
        return tuple(m for _, m in self.seasons)

    def parse(self, label) -> str:
        """The canonical label for ``label`` ('2025 q3', '2025-Q3', 'Q3 2025' and '２０２５Q3' typed with a
        Chinese input method give '2025Q3'). Years run from 1990 to 2100."""
        text = unicodedata.normalize("NFKC", str(label))
        text = "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)
        text = re.sub(r"[\s_\-/]+", "", text).upper()
        for code in self.codes:
            for pattern in (rf"^([0-9]{{4}}){code}$", rf"^{code}([0-9]{{4}})$"):
                m = re.match(pattern, text)
                if m:
                    year = int(m.group(1))
                    if not 1990 <= year <= 2100:
                        raise ParameterError(
                            f"{label!r} is not a season tagkit can report on: the year must be from "
                            f"1990 to 2100. Got {year}."
                        )
                    return f"{year}{code}"
        examples = ", ".join(repr(f"2025{c}") for c in self.codes)
        raise ParameterError(
            f"{label!r} is not a season of the {self.name!r} calendar; expected a year and a code such as "
            f"{examples}.{did_you_mean(text, self._near(text))}"
        )

    def _near(self, text: str) -> list[str]:
        """Seasons a mistyped label may mean: its four-digit year, or 20yy for a two-digit one ('25Q4', 'FY25Q4'),
        with the calendar's codes it holds (every code when it holds none)."""
        years = [d if len(d) == 4 else f"20{d}" for d in re.findall(r"(?<![0-9])([0-9]{4}|[0-9]{2})(?![0-9])", text)]
        codes = [c for c in self.codes if c in text] or list(self.codes)
        return [f"{year}{code}" for year in years for code in codes if f"{year}{code}" != text]

    def ordinal(self, label) -> int:
        """Seasons numbered in time order, so that ordinal(next season) = ordinal(season) + 1."""
        canonical = self.parse(label)
        return int(canonical[:4]) * len(self.seasons) + self.codes.index(canonical[4:])

    def from_ordinal(self, ordinal: int) -> str:
        year, index = divmod(int(ordinal), len(self.seasons))
        return f"{year}{self.codes[index]}"

    def shift(self, label, n: int = 1) -> str:
        return self.from_ordinal(self.ordinal(label) + n)

    def span(self, first, last) -> list[str]:
        """Every season from ``first`` to ``last``, both included, in time order."""
        a, b = self.ordinal(first), self.ordinal(last)
        return [self.from_ordinal(o) for o in range(a, b + 1)]

    def bounds(self, label) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the season (both included)."""
        canonical = self.parse(label)
        year, index = int(canonical[:4]), self.codes.index(canonical[4:])
        start = pd.Timestamp(year=year, month=self.start_months[index], day=1)
        nxt = self.from_ordinal(self.ordinal(canonical) + 1)
        n_year, n_index = int(nxt[:4]), self.codes.index(nxt[4:])
        end = pd.Timestamp(year=n_year, month=self.start_months[n_index], day=1) - pd.Timedelta(days=1)
        return start, end

    # --- dates to seasons -------------------------------------------------------------------
    def ordinal_sql(self, timestamp: str) -> str:
        """SQL (DuckDB and Spark) for the ordinal of the season a timestamp falls in, the same as
        ``ordinal(season_of(date))``: the engines group order lines by season without a lookup table."""
        cases = " ".join(
            f"WHEN month({timestamp}) >= {m} THEN {i}" for i, m in reversed(list(enumerate(self.start_months)))
        )
        # months before the first start belong to the previous year's last season: year * n - 1
        return f"(year({timestamp}) * {len(self.seasons)} + CASE {cases} ELSE -1 END)"

    def season_of(self, dates) -> pd.Series:
        """The season label of each date; missing dates give <NA>."""
        dates = pd.to_datetime(pd.Series(dates), errors="raise")
        out = pd.Series(pd.NA, index=dates.index, dtype="string")
        ok = dates.notna()
        if not ok.any():
            return out
        month = dates[ok].dt.month.to_numpy()
        year = dates[ok].dt.year.to_numpy()
        index = np.searchsorted(np.array(self.start_months), month, side="right") - 1
        # months before the first start belong to the previous year's last season
        year = np.where(index < 0, year - 1, year)
        index = np.where(index < 0, len(self.seasons) - 1, index)
        # one label per distinct (year, season), not one string built per date
        key = year.astype(np.int64) * len(self.seasons) + index
        distinct, where = np.unique(key, return_inverse=True)
        labels = np.array(
            [f"{k // len(self.seasons)}{self.codes[k % len(self.seasons)]}" for k in distinct.tolist()], dtype=object
        )
        out[ok] = labels[where.ravel()]
        return out


QUARTERS = SeasonCalendar("quarters", (("Q1", 1), ("Q2", 4), ("Q3", 7), ("Q4", 10)))


def calendar_from_config(config) -> SeasonCalendar:
    """A calendar from a dataset config: ``quarters`` (or nothing), or a mapping

    ``{name: halves, seasons: [{code: SS, start_month: 2}, {code: AW, start_month: 8}]}``.
    An optional ``end_month`` per season is checked against the next season's start.
    """
    if config is None or (isinstance(config, str) and config.strip().lower() in ("quarters", "quarter", "q")):
        return QUARTERS
    if not isinstance(config, dict):
        raise ParameterError(
            f"The calendar must be 'quarters' or a mapping with 'name' and 'seasons'. Got {config!r} instead."
        )
    unknown = set(config) - {"name", "seasons"}
    if unknown:
        raise ParameterError(f"The calendar has unknown key(s) {sorted(unknown)}; allowed are 'name' and 'seasons'.")
    entries = config.get("seasons")
    if not isinstance(entries, list) or not entries:
        raise ParameterError("The calendar must list its seasons under 'seasons', each with 'code' and 'start_month'.")
    seasons = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "code" not in entry or "start_month" not in entry:
            raise ParameterError(
                f"Season {i + 1} of the calendar must be a mapping with 'code' and 'start_month'. Got {entry!r} instead."
            )
        seasons.append((entry["code"], entry["start_month"]))
    calendar = SeasonCalendar(str(config.get("name", "named")), tuple(seasons))
    starts = dict(calendar.seasons)
    for entry in entries:
        if "end_month" in entry:
            code = str(entry["code"]).upper()
            following = calendar.codes[(calendar.codes.index(code) + 1) % len(calendar.codes)]
            expected = (starts[following] - 2) % 12 + 1
            if entry["end_month"] != expected:
                raise ParameterError(
                    f"Season {code} of the calendar ends in month {entry['end_month']}, but the next season "
                    f"{following} starts in month {starts[following]}; seasons must tile the year, so {code} "
                    f"must end in month {expected}."
                )
    return calendar


@validate_params(n_seasons=Whole(0))
def history(season: str, n_seasons: int, calendar: SeasonCalendar = QUARTERS, *, include: bool = True) -> list[str]:
    """The ``n_seasons`` seasons ending with ``season`` (or just before it, with include=False)."""
    if n_seasons == 0:
        return []
    last = calendar.shift(season, 0 if include else -1)
    return calendar.span(calendar.shift(last, -(n_seasons - 1)), last)


def seasons_before(season: str, n_seasons: int, present, calendar: SeasonCalendar = QUARTERS) -> list[str]:
    """The (up to) ``n_seasons`` seasons just before ``season`` that have data (are in ``present``): the seasons
    a model may learn from when it predicts ``season``."""
    return [s for s in history(season, n_seasons, calendar, include=False) if s in present]
