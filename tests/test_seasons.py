import datetime as dt

import numpy as np
import pandas as pd
import pytest

import tagkit as tk

HALVES = tk.seasons.calendar_from_config(
    {
        "name": "halves",
        "seasons": [{"code": "SS", "start_month": 2, "end_month": 7}, {"code": "AW", "start_month": 8, "end_month": 1}],
    }
)


def _random_dates(n=3000, seed=1):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2019-01-01")
    return pd.Series(
        start
        + pd.to_timedelta(rng.integers(0, 365 * 8, n), unit="D")
        + pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
    )


def test_quarters_match_pandas_periods():
    dates = _random_dates()
    expected = dates.dt.to_period("Q").astype(str)  # '2024Q3'
    assert tk.seasons.QUARTERS.season_of(dates).tolist() == expected.tolist()


def _half_by_hand(d: dt.datetime) -> str:
    if 2 <= d.month <= 7:
        return f"{d.year}SS"
    return f"{d.year}AW" if d.month >= 8 else f"{d.year - 1}AW"


def test_named_calendar_labels_by_the_year_the_season_starts():
    dates = _random_dates()
    assert HALVES.season_of(dates).tolist() == [_half_by_hand(d) for d in dates]
    assert HALVES.season_of([pd.Timestamp("2026-01-15")]).iloc[0] == "2025AW"


@pytest.mark.parametrize(
    "calendar",
    [
        tk.seasons.QUARTERS,
        HALVES,
        tk.seasons.SeasonCalendar("years", (("Y", 1),)),
        tk.seasons.SeasonCalendar("odd", (("A", 3), ("B", 5), ("C", 11))),
    ],
    ids=lambda c: c.name,
)
def test_the_engines_place_dates_in_the_seasons_of_season_of(calendar):
    import duckdb

    dates = pd.concat([_random_dates(), pd.Series(pd.date_range("2019-01-01", "2026-12-31 23:59", freq="D"))])
    frame = pd.DataFrame({"ts": dates.to_numpy()})
    with duckdb.connect() as con:
        con.register("dates", frame)
        ordinals = con.execute(f"SELECT {calendar.ordinal_sql('ts')} FROM dates").df().iloc[:, 0]
    assert [calendar.from_ordinal(o) for o in ordinals] == calendar.season_of(dates).tolist()
    assert HALVES.from_ordinal(2024 * 2 - 1) == "2023AW"


def test_bounds_tile_time_without_gaps():
    seasons = HALVES.span("2023SS", "2026AW")
    for a, b in zip(seasons, seasons[1:]):
        assert HALVES.bounds(a)[1] + pd.Timedelta(days=1) == HALVES.bounds(b)[0]
    assert HALVES.bounds("2025AW") == (pd.Timestamp("2025-08-01"), pd.Timestamp("2026-01-31"))
    assert tk.seasons.QUARTERS.bounds("2024Q1") == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))


@pytest.mark.parametrize("text", ["2025Q3", "2025q3", "2025-Q3", "2025 Q3", "Q3 2025"])
def test_parse_is_lenient_about_spelling(text):
    assert tk.seasons.QUARTERS.parse(text) == "2025Q3"


def test_shift_and_span():
    assert tk.seasons.QUARTERS.shift("2025Q4", 1) == "2026Q1"
    assert tk.seasons.QUARTERS.shift("2025Q1", -1) == "2024Q4"
    assert tk.seasons.QUARTERS.span("2024Q3", "2025Q1") == ["2024Q3", "2024Q4", "2025Q1"]


def test_wrong_season_is_explained():
    with pytest.raises(tk.ParameterError, match=r"'2025Q5' is not a season of the 'quarters' calendar.*'2025Q1'"):
        tk.seasons.QUARTERS.parse("2025Q5")


def test_calendar_config_errors():
    with pytest.raises(tk.ParameterError, match="must tile the year, so SS must end in month 7"):
        tk.seasons.calendar_from_config(
            {"seasons": [{"code": "SS", "start_month": 2, "end_month": 6}, {"code": "AW", "start_month": 8}]}
        )
    with pytest.raises(tk.ParameterError, match="start months .* repeat"):
        tk.seasons.calendar_from_config({"seasons": [{"code": "A", "start_month": 2}, {"code": "B", "start_month": 2}]})
    with pytest.raises(tk.ParameterError, match="'quarters' or a mapping"):
        tk.seasons.calendar_from_config(["Q1"])
    assert tk.seasons.calendar_from_config("quarters") is tk.seasons.QUARTERS


@pytest.mark.parametrize(("typed", "meant"), [("25Q4", "2025Q4"), ("FY25Q4", "2025Q4"), ("fy 25 q3", "2025Q3")])
def test_a_two_digit_year_is_suggested_with_its_century(typed, meant):
    with pytest.raises(tk.ParameterError, match=rf"{typed!r} is not a season.*Did you mean '{meant}'\?$"):
        tk.seasons.QUARTERS.parse(typed)


def test_a_label_is_never_suggested_as_itself():
    with pytest.raises(tk.ParameterError) as caught:
        tk.seasons.QUARTERS.parse("Q4-25")
    assert "Did you mean" not in str(caught.value)
