"""What a season's sales of a product are: from the order lines added up per product and season, the row of
zeros of a launched product that did not sell (a miss, not a missing row), and the days it was on sale.

Every way sales come in (order lines on DuckDB or Spark, sales already aggregated, several files combined)
ends here, so that "days on sale" and "a miss" are decided once.
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


def finish_metrics(
    used: pd.DataFrame,
    products: pd.DataFrame,
    calendar: SeasonCalendar,
    data_end: pd.Timestamp | None,
    *,
    has_revenue: bool,
) -> pd.DataFrame:
    """Per product x season metrics from the aggregated lines (one row per product and season).

    Products launched in a season without any sale in it get a row of zeros, so that a season's
    catalogue includes its misses. Days on sale run from the launch date (or the first sale, if
    earlier or if no launch date is known) to the season's end or the last day of data.
    """
    cols = ["product_id", "season", "lines", "units", "returns", "revenue", "first_sale", "last_sale"]
    rows = used[cols].copy() if len(used) else pd.DataFrame(columns=cols)
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
    ).drop_duplicates("product_id")
    if data_end is not None:
        end_ordinal = calendar.ordinal(calendar.season_of([data_end]).iloc[0])
        launched = launch[launch["launch_season"].notna()]
        ordinals = {s: calendar.ordinal(s) for s in launched["launch_season"].unique()}
        launched = launched[
            (launched["launch_season"].map(ordinals) <= end_ordinal).to_numpy(bool)
            & ~(launched["launch_date"] > data_end).to_numpy(bool)
        ]
        keys = launched[["product_id", "launch_season"]].rename(columns={"launch_season": "season"}).astype(str)
        found = keys.merge(rows[["product_id", "season"]].astype(str).drop_duplicates(), how="left", indicator=True)
        missing = found[found["_merge"] == "left_only"]
        zeros = pd.DataFrame(
            {
                "product_id": missing["product_id"].values,
                "season": missing["season"].values,
                "lines": 0,
                "units": 0.0,
                "returns": 0.0,
                "revenue": 0.0 if has_revenue else np.nan,
                "first_sale": pd.NaT,
                "last_sale": pd.NaT,
            }
        )
        rows = pd.concat([rows, zeros], ignore_index=True) if len(zeros) else rows
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in METRIC_COLUMNS})
    rows["first_sale"] = pd.to_datetime(rows["first_sale"])
    rows["last_sale"] = pd.to_datetime(rows["last_sale"])
    first_ever = rows.groupby("product_id")["first_sale"].transform("min")
    rows = rows.merge(launch[["product_id", "launch_date"]], on="product_id", how="left")
    on_sale_from = pd.concat([rows["launch_date"], first_ever], axis=1).min(axis=1)
    seasons = sorted(rows["season"].astype(str).unique(), key=calendar.ordinal)
    bounds = pd.DataFrame([(s, *calendar.bounds(s)) for s in seasons], columns=["season", "season_start", "season_end"])
    rows = rows.merge(bounds, on="season", how="left")
    start = pd.concat([rows["season_start"], on_sale_from.dt.normalize()], axis=1).max(axis=1)
    end = rows["season_end"].where(rows["season_end"] <= data_end.normalize(), data_end.normalize())
    rows["days_on_sale"] = ((end - start).dt.days + 1).clip(lower=1).astype("int64")
    rows["lines"] = rows["lines"].astype("int64")
    for col in ("units", "returns"):
        rows[col] = rows[col].astype("float64").round().astype("int64")
    rows["net_units"] = rows["units"] - rows["returns"]
    rows["revenue"] = rows["revenue"].astype("float64").round(2) if has_revenue else np.nan
    rows["units_per_week"] = (rows["net_units"] / (rows["days_on_sale"] / 7)).round(4)
    order = rows["season"].map({s: i for i, s in enumerate(seasons)})
    rows = rows.assign(_order=order).sort_values(["_order", "product_id"], kind="stable")
    return rows[METRIC_COLUMNS].reset_index(drop=True)
