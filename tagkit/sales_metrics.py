"""What a season's sales of a product are: from the order lines added up per product and season, the row of
zeros of a launched product that did not sell (a miss, not a missing row), and the days it was on sale.

Every way sales come in (order lines on DuckDB or Spark, sales already aggregated, several files combined)
ends here, so that "days on sale" and "a miss" are decided once: in one SQL query, run by DuckDB. Order lines
aggregated by DuckDB never leave its connection before this step; other inputs are handed to it as frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit.seasons import SeasonCalendar

METRIC_COLUMNS = [
    "product_id",
    "season",
    "lines",
    "units",
    "returns",
    "net_units",
    "revenue",
    "first_sale",
    "last_sale",
    "days_on_sale",
    "units_per_week",
]
USED_COLUMNS = ["product_id", "season", "lines", "units", "returns", "revenue", "first_sale", "last_sale"]


def _no_metrics() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in METRIC_COLUMNS})


def _timestamp(value: pd.Timestamp) -> str:
    return f"TIMESTAMP '{value.isoformat(sep=' ')}'"


def finish_metrics(
    used,
    products: pd.DataFrame,
    calendar: SeasonCalendar,
    data_end: pd.Timestamp | None,
    *,
    has_revenue: bool,
    connection=None,
) -> pd.DataFrame:
    """Per product x season metrics from the aggregated lines (one row per product and season).

    ``used`` holds the columns of ``USED_COLUMNS``: a frame, or the name of a table in ``connection`` (a DuckDB
    connection; by default a new one).
    Products launched in a season without any sale in it get a row of zeros, so that a season's
    catalogue includes its misses. Days on sale run from the launch date (or the first sale, if
    earlier or if no launch date is known) to the season's end or the last day of data.
    """
    if connection is None:
        import duckdb  # here, not at import: a notebook that reads a cached brand never needs it

        with duckdb.connect() as con:
            return finish_metrics(used, products, calendar, data_end, has_revenue=has_revenue, connection=con)
    con = connection
    if isinstance(used, pd.DataFrame):
        con.register("tk_used", used[USED_COLUMNS] if len(used) else pd.DataFrame(columns=USED_COLUMNS))
        used = "tk_used"
    launch_date = (
        pd.to_datetime(products["launch_date"], errors="coerce")
        if "launch_date" in products
        else pd.Series(pd.NaT, index=products.index, dtype="datetime64[ns]")
    )
    launch_season = calendar.season_of(launch_date)
    if "launch_season" in products:
        launch_season = launch_season.fillna(products["launch_season"].astype("string"))
    launch = pd.DataFrame(
        {
            "product_id": products["product_id"].astype(str).values,
            "launch_date": launch_date.values,
            "launch_season": launch_season.values,
        }
    )
    if not launch["product_id"].is_unique:
        launch = launch.drop_duplicates("product_id")
    con.register("tk_launch_frame", launch)
    # a table, not the frame: the query reads it twice, and DuckDB reads its own tables faster than a frame
    con.execute("CREATE OR REPLACE TEMP TABLE tk_launch AS SELECT * FROM tk_launch_frame")
    con.unregister("tk_launch_frame")
    # the calendar, once per season that occurs: its place in time and its first and last day
    seasons = {s for (s,) in con.execute(f"SELECT DISTINCT season FROM {used}").fetchall()}
    if data_end is not None:
        seasons |= set(launch_season.dropna().unique())
    if not seasons:  # no sale, and no launch to show as a miss
        return _no_metrics()
    seasons = sorted(seasons, key=calendar.ordinal)
    info = pd.DataFrame(
        [(s, calendar.ordinal(s), *calendar.bounds(s)) for s in seasons],
        columns=["season", "ordinal", "season_start", "season_end"],
    )
    con.register("tk_season_info", info.astype({"ordinal": "int64"}))
    if data_end is None:
        zeros, end_day = "", "s.season_end"
    else:
        data_end = pd.Timestamp(data_end)
        end_ordinal = calendar.ordinal(calendar.season_of([data_end]).iloc[0])
        zeros = f"""
            UNION ALL
            SELECT l.product_id, l.launch_season, 0, 0.0, 0.0, {"0.0" if has_revenue else "NULL"}, NULL, NULL
            FROM tk_launch l JOIN tk_season_info s ON l.launch_season = s.season
            WHERE s.ordinal <= {end_ordinal} AND NOT coalesce(l.launch_date > {_timestamp(data_end)}, FALSE)
              AND NOT EXISTS (SELECT 1 FROM {used} u WHERE u.product_id = l.product_id AND u.season = l.launch_season)"""
        end_day = f"least(s.season_end, {_timestamp(data_end.normalize())})"
    rows = (  # through Arrow: faster than .df() for text columns
        con.sql(f"""
        WITH rows AS (
            SELECT CAST(product_id AS VARCHAR) AS product_id, CAST(season AS VARCHAR) AS season,
                   CAST(lines AS BIGINT) AS lines, CAST(units AS DOUBLE) AS units, CAST(returns AS DOUBLE) AS returns,
                   CAST(revenue AS DOUBLE) AS revenue, CAST(first_sale AS TIMESTAMP) AS first_sale,
                   CAST(last_sale AS TIMESTAMP) AS last_sale
            FROM {used}{zeros}),
        on_sale AS (  -- from the launch date, or the first sale if earlier or if no launch date is known
            SELECT r.product_id, date_trunc('day', least(min(r.first_sale), any_value(l.launch_date))) AS since
            FROM rows r LEFT JOIN tk_launch l ON r.product_id = l.product_id
            GROUP BY r.product_id)
        SELECT r.*, greatest(datediff('day', greatest(s.season_start, o.since), {end_day}) + 1, 1) AS days_on_sale
        FROM rows r JOIN tk_season_info s ON r.season = s.season JOIN on_sale o ON r.product_id = o.product_id
        ORDER BY s.ordinal, r.product_id""")
        .to_arrow_table()
        .to_pandas()
    )
    if rows.empty:
        return _no_metrics()
    rows["days_on_sale"] = rows["days_on_sale"].astype("int64")
    for col in ("first_sale", "last_sale"):
        rows[col] = rows[col].astype("datetime64[ns]")
    for col in ("units", "returns"):
        rows[col] = rows[col].round().astype("int64")
    rows["net_units"] = rows["units"] - rows["returns"]
    rows["revenue"] = rows["revenue"].round(2) if has_revenue else np.nan
    rows["units_per_week"] = (rows["net_units"] / (rows["days_on_sale"] / 7)).round(4)
    return rows[METRIC_COLUMNS]
