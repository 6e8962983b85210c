"""Rules across seasons and years: do they hold up on the next season, which tags are rising or
fading, and what each year's best sellers had in common."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from tagkit._checks import check_frame
from tagkit._progress import bar
from tagkit.hits import HIT, MISS, ranked_rows
from tagkit.language import translate as _
from tagkit.mining import count_itemsets, pack_columns
from tagkit.rules import benjamini_hochberg, common_tags, mine_hit_rules, score_rules
from tagkit.seasons import QUARTERS, SeasonCalendar, history, seasons_before
from tagkit.taxonomy import Taxonomy

_WORKERS = 2  # hold-out seasons mined at once


def holdout(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    *,
    test_seasons: list[str],
    train_seasons: int = 4,
    calendar: SeasonCalendar = QUARTERS,
    taxonomy: Taxonomy | None = None,
    **rule_options,
) -> pd.DataFrame:
    """For each test season, the rules kept on the ``train_seasons`` seasons before it, scored on it:
    their hit rate and lift there, with counts. ``held_up``: lift above 1 in the test season;
    ``confirmed``: also significant there on its own (one-sided Fisher p <= 0.05)."""
    check_frame(labels, "labels", name="labels", owner="holdout", source="label_hits")
    present = set(labels["season"])
    windows = [(test, seasons_before(test, train_seasons, present, calendar)) for test in test_seasons]
    windows = [(test, train) for test, train in windows if len(train) == train_seasons and test in present]

    def tested(window) -> pd.DataFrame | None:
        test, train = window
        train_rows, train_hits = ranked_rows(labels, matrix, train)
        rules = mine_hit_rules(train_rows, train_hits, taxonomy=taxonomy, kept_only=True, **rule_options)
        if rules.empty:
            return None
        test_rows, test_hits = ranked_rows(labels, matrix, [test])
        scored = score_rules(rules, test_rows, test_hits)
        return pd.DataFrame(
            {
                "test_season": test,
                "trained_on": f"{train[0]}-{train[-1]}",
                "rule": rules["rule"].values,
                "train_n_products": rules["n_products"].values,
                "train_n_hits": rules["n_hits"].values,
                "train_lift": rules["lift"].values,
                "test_n_products": scored["n_products"].values,
                "test_n_hits": scored["n_hits"].values,
                "test_hit_rate": scored["confidence"].values,
                "test_lift": scored["lift"].values,
                "test_p_value": scored["p_value"].values,
                "held_up": (scored["lift"] > 1).values,
                "confirmed": ((scored["lift"] > 1) & (scored["p_value"] <= 0.05)).values,
            }
        )

    # Two seasons at a time: most of the mining is NumPy, which lets go of the GIL (0.7x the time on two cores).
    # The frames come back in the order of the seasons whichever finishes first.
    with ThreadPoolExecutor(max_workers=min(_WORKERS, max(1, len(windows)))) as pool:
        found = list(bar(pool.map(tested, windows), "Hold-out: testing rules on later seasons", total=len(windows)))
    frames = [frame for frame in found if frame is not None]
    columns = [
        "test_season",
        "trained_on",
        "rule",
        "train_n_products",
        "train_n_hits",
        "train_lift",
        "test_n_products",
        "test_n_hits",
        "test_hit_rate",
        "test_lift",
        "test_p_value",
        "held_up",
        "confirmed",
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def holdout_gap(table: pd.DataFrame, season: str, *, train_seasons: int) -> str:
    """Why no rule was tested on ``season``, in words, when the hold-out (its table or its summary) has no row for
    it; "" when it has."""
    if (table["test_season"] == season).any():
        return ""
    return _(
        "No rule could be tested on {season}: that takes {seasons} earlier seasons with ranked products, and at least "
        "one rule kept on them.",
        season=season,
        seasons=train_seasons,
    )


def holdout_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per test season: rules tested, share that held up and share confirmed, median lift."""
    if table.empty:
        return pd.DataFrame(
            columns=[
                "test_season",
                "trained_on",
                "rules",
                "held_up",
                "confirmed",
                "median_train_lift",
                "median_test_lift",
            ]
        )
    grouped = table.groupby(["test_season", "trained_on"], sort=False)
    return (
        grouped.agg(
            rules=("rule", "size"),
            held_up=("held_up", "mean"),
            confirmed=("confirmed", "mean"),
            median_train_lift=("train_lift", "median"),
            median_test_lift=("test_lift", "median"),
        )
        .reset_index()
        .round(3)
    )


def tag_trends(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    *,
    seasons: list[str],
    rules: pd.DataFrame | None = None,
    min_products: int = 20,
    max_q: float = 0.05,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lift of each tag (or tag set) per season, and whether it is rising or fading.

    The test: a straight line is fitted to the tag's lift over the seasons (seasons where it has
    fewer than ``min_products`` products are left out; seasons with more products weigh more), and
    its slope is tested against zero (t-test, weighted least squares). Rising or fading means a
    positive or negative slope with a Benjamini-Hochberg q-value at most ``max_q`` across all tags
    tested. Every single tag is tested, and the tag sets of ``rules`` (e.g. the kept rules) too.
    Returns (lift per season, one row per tag or tag set with slope, p, q and trend).
    """
    check_frame(labels, "labels", name="labels", owner="tag_trends", source="label_hits")
    if rules is not None:
        check_frame(rules, "rules", name="rules", owner="tag_trends", source="mine_hit_rules")
    tag_sets = [(str(c),) for c in matrix.columns]
    if rules is not None:
        tag_sets += [tuple(items) for items in rules["items"] if len(items) > 1]
    position = {str(c): i for i, c in enumerate(matrix.columns)}
    indexes = [tuple(position[t] for t in tags) for tags in tag_sets]
    names = [" & ".join(tags) for tags in tag_sets]
    frames = []
    for season in seasons:
        rows, hits = ranked_rows(labels, matrix, [season])
        if not len(rows):
            continue
        n_products = count_itemsets(pack_columns(rows), indexes)
        n_hits = count_itemsets(pack_columns(rows.iloc[np.flatnonzero(hits)]), indexes)
        base = hits.mean()
        frames.append(
            pd.DataFrame(
                {
                    "tags": names,
                    "season": season,
                    "n_products": n_products,
                    "n_hits": n_hits,
                    "lift": np.where(n_products > 0, n_hits / np.maximum(n_products, 1) / base, np.nan),
                }
            )
        )
    per_season = pd.concat(frames, ignore_index=True)
    # every tag set at once: a row per tag set, a column per season with products (frames are in season order)
    order = {s: i for i, s in enumerate(seasons)}
    x = np.array([order[f["season"].iloc[0]] for f in frames], dtype=float)
    n_products = np.stack([f["n_products"].to_numpy(float) for f in frames], axis=1)
    lift = np.stack([f["lift"].to_numpy(float) for f in frames], axis=1)
    use = n_products >= min_products
    slope, p = _weighted_slopes(x, lift, n_products, use)
    used = use.sum(axis=1)
    first = np.argmax(use, axis=1)
    last = use.shape[1] - 1 - np.argmax(use[:, ::-1], axis=1)
    rows = np.arange(len(names))
    summary = {
        "tags": names,
        "seasons_used": used,
        "first_lift": np.where(used > 0, lift[rows, first], np.nan),
        "last_lift": np.where(used > 0, lift[rows, last], np.nan),
        "slope_per_season": slope,
        "p_value": p,
    }
    summary = pd.DataFrame(summary)
    tested = summary["p_value"].notna()
    summary["q_value"] = np.nan
    summary.loc[tested, "q_value"] = benjamini_hochberg(summary.loc[tested, "p_value"])
    summary["trend"] = np.select(
        [
            ~tested,
            (summary["q_value"] <= max_q) & (summary["slope_per_season"] > 0),
            (summary["q_value"] <= max_q) & (summary["slope_per_season"] < 0),
        ],
        ["too little data", "rising", "fading"],
        default="steady",
    )
    summary = summary.sort_values(["trend", "q_value", "tags"], kind="stable").reset_index(drop=True)
    return per_season, summary


def _weighted_slopes(x: np.ndarray, y: np.ndarray, w: np.ndarray, use: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``y`` (weights ``w``) over the seasons ``x`` where ``use`` holds: the slope of the weighted
    least-squares line and the two-sided p-value of its t-test against zero; NaN for a row with fewer than four
    seasons or a single one. Rows at once (the seasons left out weigh nothing), as one row at a time would."""
    from scipy.special import stdtr  # Student's t, as scipy.stats.t.sf computes it, without scipy.stats' import

    xs = np.broadcast_to(x[None, :], y.shape)
    count = use.sum(axis=1)
    spread = np.where(use, xs, -np.inf).max(axis=1) - np.where(use, xs, np.inf).min(axis=1)
    fitted = (count >= 4) & (spread > 0)
    slope, p = np.full(len(y), np.nan), np.full(len(y), np.nan)
    if not fitted.any():
        return slope, p
    xs, y, use, count = xs[fitted], y[fitted], use[fitted], count[fitted]
    w = np.where(use, w[fitted], 0.0)
    w = w / (w.sum(axis=1) / count)[:, None]  # weights of mean one over the seasons used
    with np.errstate(invalid="ignore", divide="ignore"):
        xm = (w * xs).sum(axis=1) / w.sum(axis=1)
        ym = (w * np.where(use, y, 0.0)).sum(axis=1) / w.sum(axis=1)
        dx = np.where(use, xs - xm[:, None], 0.0)
        dy = np.where(use, y - ym[:, None], 0.0)
        sxx = (w * dx**2).sum(axis=1)
        b = (w * dx * dy).sum(axis=1) / sxx
        residuals = np.where(use, dy - b[:, None] * dx, 0.0)
        dof = count - 2
        variance = (w * residuals**2).sum(axis=1) / dof
        t = b / np.sqrt(variance / sxx)
        tail = np.where(variance == 0, np.where(b != 0, 0.0, 1.0), 2 * stdtr(dof, -np.abs(t)))
    slope[fitted], p[fitted] = b, tail
    return slope, p


def yearly_common_tags(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    *,
    seasons: list[str],
    top: int = 10,
    min_hits: int = 5,
    min_lift: float = 1.0,
    max_q: float = 0.05,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """The tags that mark each year's best sellers, as the brand reviews them once a year: per year,
    the ``top`` single tags by lift among those marking hits (lift >= min_lift, q <= max_q)."""
    check_frame(labels, "labels", name="labels", owner="yearly_common_tags", source="label_hits")
    frames = []
    years = sorted({s[:4] for s in seasons})
    for year in years:
        in_year = [s for s in seasons if s.startswith(year)]
        rows, hits = ranked_rows(labels, matrix, in_year)
        if not hits.any() or hits.all():
            continue
        tags = common_tags(rows, hits, min_hits=min_hits, min_lift=min_lift, max_q=max_q, taxonomy=taxonomy)
        best = tags[tags["verdict"] == "marks hits"].sort_values(["lift", "tags"], ascending=[False, True]).head(top)
        frames.append(best.assign(year=year, seasons=f"{in_year[0]}-{in_year[-1]}", rank=range(1, len(best) + 1)))
    if not frames:
        return pd.DataFrame(
            columns=["year", "seasons", "rank", "tags", "share_of_hits", "share_of_catalogue", "lift", "q_value"]
        )
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "seasons", "rank", "tags", "share_of_hits", "share_of_catalogue", "lift", "q_value"]]


def same_quarter_rates(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    season: str,
    rows: pd.DataFrame,
    *,
    calendar: SeasonCalendar = QUARTERS,
    prior: float = 20.0,
    years: int = 3,
) -> np.ndarray:
    """Each row's chance of a hit from its tags' hit rate in the same season of the ``years`` earlier years:
    per tag, (hits + prior x base rate) / (products + prior); a row's score is the mean of its tags' rates.
    The base rate of those seasons for every row when there is no earlier year."""
    present = set(labels["season"])
    earlier = [calendar.shift(season, -len(calendar.seasons) * y) for y in range(1, years + 1)]
    earlier = [s for s in earlier if s in present]
    if not earlier:
        base = float(labels.loc[labels["status"].isin([HIT, MISS]), "hit"].mean())
        return np.full(len(rows), base)
    past, hits = ranked_rows(labels, matrix, earlier)
    values = past.to_numpy(dtype=np.float32)
    base = float(hits.mean())
    n = values.sum(axis=0)
    h = values[hits].sum(axis=0)
    rate = (h + prior * base) / (n + prior)
    tags = rows.to_numpy(dtype=np.float32)
    counts = tags.sum(axis=1)
    return np.where(counts > 0, tags @ rate / np.maximum(counts, 1), base)


def tag_momentum_scores(
    labels: pd.DataFrame,
    matrix: pd.DataFrame,
    season: str,
    rows: pd.DataFrame,
    *,
    calendar: SeasonCalendar = QUARTERS,
    recent: int = 2,
    earlier: int = 2,
    prior: float = 20.0,
) -> np.ndarray:
    """Are a row's tags rising or fading before ``season``? Per tag, its hit rate against the base rate (log
    odds, each rate pulled toward the base rate by ``prior`` products) in the ``recent`` seasons before
    ``season``, minus the same in the ``earlier`` seasons before those; a row's score is the mean over its tags.
    Zero for every row without both windows of history."""
    present = set(labels["season"])
    before = [s for s in history(season, recent + earlier, calendar, include=False) if s in present]
    if len(before) < recent + earlier:
        return np.zeros(len(rows))
    advantage = []
    for window in (before[:earlier], before[earlier:]):
        past, hits = ranked_rows(labels, matrix, window)
        if not 0 < hits.sum() < len(hits):
            return np.zeros(len(rows))
        values = past.to_numpy(dtype=np.float32)
        base = float(hits.mean())
        rate = (values[hits].sum(axis=0) + prior * base) / (values.sum(axis=0) + prior)
        advantage.append(np.log(rate / (1 - rate)) - np.log(base / (1 - base)))
    momentum = advantage[1] - advantage[0]
    tags = rows.to_numpy(dtype=np.float32)
    counts = tags.sum(axis=1)
    return np.where(counts > 0, tags @ momentum / np.maximum(counts, 1), 0.0)
