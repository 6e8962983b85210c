"""The season release plan: which candidates to release, which are the hit bets, in which wave.

An integer programme solved with CBC (the build PuLP ships): choose ``x_i`` (release candidate i) and
``b_i`` (make it a hit bet) to maximise the expected hits of the range, plus each hit bet's margin
over the base rate, subject to

- the catalogue size (released candidates plus carry-over products);
- hit bets inside the band (5-10% of the catalogue), each with a propensity of at least
  ``min_bet_lift`` x the base rate, image products never among them;
- the image-product quota (from the candidates flagged as image products);
- minimum and maximum products per category;
- at most ``max_per_look`` products sharing a look (a tag signature, see
  :func:`tagkit.tag_signatures`);
- at most ``max_bet_share_per_tag_set`` of the hit bets carrying any one tag set, so that the bets
  do not all ride one combination.

Every limit has a slack variable with a large penalty, so the solver always answers; a slack left
above zero is a limit that cannot hold, and :class:`PlanInfeasible` says which one, by how much, and
what to relax. A plan is never returned with a limit broken.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tagkit._checks import Share, Whole, check_frame, did_you_mean, validate_params
from tagkit.errors import ParameterError, TagkitError
from tagkit.language import translate as _
from tagkit.looks import describe_products
from tagkit.propensity import carry_over as carried_products
from tagkit.propensity import score_candidates
from tagkit.rules import KEPT, rule_membership
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.tags import USABLE
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import CARRY_OVER, CORE, HIT_BET, IMAGE, NO_VALUE

ROLE_ORDER = {HIT_BET: 0, CORE: 1, IMAGE: 2, CARRY_OVER: 3}
# Costs of breaking a limit, per product: caps are hard; falling short of a target is cheaper, so an
# impossible plan is explained by what is missing; fewer hit bets is cheapest (the band's minimum is
# checked afterwards).
_PENALTY = {"cap": 1000.0, "short": 100.0, "bets": 10.0}
_CAPS = {"size over", "image over", "category over", "look over", "concentration"}
PLAN_COLUMNS = [
    "product_id",
    "name",
    "role",
    "wave",
    "wave_date",
    "category",
    "look",
    "probability",
    "lift",
    "matched_rules",
    "held_back_by",
    "reason",
]


class PlanInfeasible(TagkitError):
    """The plan's limits cannot all hold; ``problems`` says which, and what to relax."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The season plan cannot meet all its limits:\n  - " + "\n  - ".join(problems))


@dataclass(frozen=True)
class SeasonPlan:
    """A release plan: one row per product in ``table``, and how it measures up in the others."""

    season: str
    table: pd.DataFrame
    summary: pd.DataFrame
    categories: pd.DataFrame
    looks: pd.DataFrame
    concentration: pd.DataFrame
    expected_hits: dict = field(default_factory=dict)
    solve_seconds: float = 0.0
    notes: tuple = ()  # how the limits were fitted to what the brand gave
    ceiling: float = 1.0  # the highest chance the calibration behind the plan supports
    candidates: int = 0  # the candidates scored for it (also when no plan could be made from them)

    @property
    def made(self) -> bool:
        return not self.table.empty

    def hit_bets(self, *, rules_shown: int = 2) -> pd.DataFrame:
        """The hit bets for reading: product, category, wave, chance of a hit, its strongest rules and
        what holds it back."""
        bets = self.table[self.table["role"] == HIT_BET]
        strongest = bets["matched_rules"].fillna("").map(lambda t: "; ".join(t.split("; ")[:rules_shown]))
        chance = bets["probability"].map(lambda p: f"over {self.ceiling:.0%}" if p > self.ceiling else f"{p:.0%}")
        return pd.DataFrame(
            {
                "product_id": bets["product_id"],
                "name": bets["name"],
                "category": bets["category"],
                "wave": bets["wave"],
                "chance_of_a_hit": chance,
                "lift": bets["lift"],
                "strongest_rules": strongest,
                "held_back_by": bets["held_back_by"],
            }
        ).reset_index(drop=True)

    def __repr__(self) -> str:
        roles = self.table["role"].value_counts().to_dict()
        return f"SeasonPlan({self.season}: {len(self.table)} products, {roles}, solved in {self.solve_seconds:.1f} s)"


def no_plan(season: str, reason: str, *, candidates: int = 0) -> SeasonPlan:
    """The plan that was not made, with the reason in words (e.g. no candidate pipeline): every table empty;
    ``candidates`` says how many were scored (0 without a candidate pipeline)."""
    summary = pd.DataFrame([("plan", _("not made"), reason, False)], columns=["measure", "value", "target", "within"])
    return SeasonPlan(
        season,
        pd.DataFrame(columns=PLAN_COLUMNS),
        summary,
        pd.DataFrame(columns=["category", "carry_over", "hit_bets", "core", "image", "total", "min", "max", "within"]),
        pd.DataFrame(columns=["look", "products", "cap"]),
        pd.DataFrame(columns=["tags", "hit_bets", "share_of_hit_bets", "cap"]),
        {},
        0.0,
        (reason,),
        candidates=candidates,
    )


def poisson_binomial(probabilities) -> np.ndarray:
    """The distribution of the number of hits among independent products with these probabilities."""
    pmf = np.array([1.0])
    for p in np.asarray(probabilities, dtype=float):
        pmf = np.convolve(pmf, [1.0 - p, p])
    return pmf


def poisson_binomial_interval(probabilities, *, level: float = 0.9) -> tuple[int, int]:
    """The central ``level`` interval of the number of hits (inclusive bounds)."""
    cdf = np.cumsum(poisson_binomial(probabilities))
    tail = (1 - level) / 2
    return int(np.searchsorted(cdf, tail)), int(np.searchsorted(cdf, 1 - tail))


def parse_category_limits(text: str) -> dict[str, tuple[int, int]]:
    """'dress:200-450, knitwear:100-300' (or with '=' and ';') -> {'dress': (200, 450), 'knitwear': (100, 300)}."""
    limits = {}
    for part in re.split(r"[;,]", text or ""):
        if not part.strip():
            continue
        m = re.match(r"^\s*([^=:]+?)\s*[=:]\s*(\d+)\s*-\s*(\d+)\s*$", part)
        if not m or int(m.group(2)) > int(m.group(3)):
            raise ParameterError(
                f"Category limits must read like 'dress:200-450, knitwear:100-300' (minimum "
                f"before maximum). Got {part.strip()!r} instead."
            )
        limits[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return limits


def limits_from_mix(reference: pd.Series, catalogue_size: int, *, tolerance: float = 0.5) -> dict[str, tuple[int, int]]:
    """Limits per category around a reference mix (e.g. last season's launches): each category's share
    of ``catalogue_size``, give or take ``tolerance`` of it."""
    shares = reference.value_counts(normalize=True)
    return {
        str(c): (
            int(math.floor((1 - tolerance) * s * catalogue_size)),
            int(math.ceil((1 + tolerance) * s * catalogue_size)),
        )
        for c, s in shares.items()
    }


@validate_params(n_waves=Whole(1, 12))
def waves_for(
    season: str, dates: str = "", *, n_waves: int = 3, calendar: SeasonCalendar = QUARTERS
) -> list[tuple[str, pd.Timestamp]]:
    """Release waves: the dates given ('2026-01-05, 2026-02-02'), or ``n_waves`` drops spread evenly
    from the start of the season."""
    if dates and dates.strip():
        parsed = []
        for text in (d.strip() for d in dates.split(",") if d.strip()):
            try:
                parsed.append(pd.Timestamp(text))
            except ValueError:
                raise ParameterError(
                    f"Wave dates must be dates such as 2026-01-05, separated by commas. Got {text!r} instead."
                ) from None
        start, end = calendar.bounds(season)
        outside = [d for d in parsed if not start <= d <= end]
        if outside:
            raise ParameterError(
                f"Wave dates must fall in {season} ({start:%Y-%m-%d} to {end:%Y-%m-%d}). Got {outside[0]:%Y-%m-%d}."
            )
        return [(f"W{i + 1}", d) for i, d in enumerate(sorted(parsed))]
    start, end = calendar.bounds(season)
    days = (end - start).days + 1
    return [(f"W{i + 1}", start + pd.Timedelta(days=int(i * days / n_waves))) for i in range(n_waves)]


LOOK_SHARE, MIN_LOOK_CAP = 0.003, 6


def look_cap(catalogue_size: int) -> int:
    """The automatic ``max_per_look`` (a ``max_per_look`` of 0): 0.3% of the catalogue, at least 6 products, so
    that the cap means the same for a brand of 2,000 products (6) and one of 20,000 (60), whose looks are as
    many but each ten times as full."""
    return max(MIN_LOOK_CAP, math.ceil(LOOK_SHARE * catalogue_size))


@validate_params(
    catalogue_size=Whole(1),
    image_count=Whole(0),
    base_rate=Share(),
    max_bet_share_per_tag_set=Share(),
    max_per_look=Whole(0),
)
def plan_season(
    candidates: pd.DataFrame,
    *,
    season: str,
    catalogue_size: int,
    base_rate: float,
    carry_over: pd.DataFrame | None = None,
    band: tuple[float, float] = (0.05, 0.10),
    min_bet_lift: float = 1.5,
    image_count: int = 0,
    category_limits: dict[str, tuple[int, int]] | None = None,
    max_per_look: int | None = None,
    bet_tag_sets: pd.DataFrame | None = None,
    max_bet_share_per_tag_set: float = 1.0,
    waves: list[tuple[str, pd.Timestamp]] | None = None,
    time_limit: int = 60,
    notes=(),
    calibration=None,
) -> SeasonPlan:
    """Plan a season from ``candidates`` (columns ``product_id``, ``role`` (core/image), ``category``,
    ``look``, ``probability``; optionally ``name``, ``matched_rules``, ``held_back_by``). ``max_per_look``: the
    most products sharing a look, 0 for :func:`look_cap` of the catalogue size, None for no cap.

    ``carry_over`` (``product_id``, ``category``, ``look``, optional ``name``) stays on sale and
    counts toward the size, the categories and the looks; it never breaks a cap by itself: a look or a
    category that the carry-over alone fills beyond its cap gets no new product, and the plan says so in
    ``notes``. ``bet_tag_sets`` is a boolean table (candidates x tag sets, indexed by product_id) for the
    concentration cap. With a ``calibration`` (:class:`tagkit.Calibration`; the candidates then carry
    ``raw_probability``), the intervals of the expected hits carry its uncertainty and no reason states a
    chance above what it supports. Raises :class:`PlanInfeasible` when the limits cannot all hold.
    """
    owner = "plan_season"
    check_frame(candidates, "candidates", name="candidates", owner=owner, source="score_candidates")
    if carry_over is not None:
        check_frame(carry_over, "carry-over", name="carry_over", owner=owner, source="carry_over")
    if not 0 <= band[0] <= band[1] <= 1:
        raise ParameterError(f"The 'band' parameter of {owner} must be two shares with low <= high. Got {band!r}.")
    if max_per_look is not None:
        max_per_look = max_per_look or look_cap(catalogue_size)
    required = {"product_id", "role", "category", "look", "probability"}
    if required - set(candidates.columns):
        raise ParameterError(
            f"{owner}: the candidates lack the column(s) {sorted(required - set(candidates.columns))}."
        )
    cand = candidates.reset_index(drop=True).copy()
    cand["product_id"] = cand["product_id"].astype(str)
    if cand["product_id"].duplicated().any():
        raise ParameterError(
            f"{owner}: candidate ids repeat, e.g. {cand.loc[cand['product_id'].duplicated(), 'product_id'].iloc[0]!r}."
        )
    carry = (
        carry_over.reset_index(drop=True).copy()
        if carry_over is not None
        else pd.DataFrame(columns=["product_id", "category", "look"])
    )
    carry["product_id"] = carry["product_id"].astype(str)
    overlap = set(carry["product_id"]) & set(cand["product_id"])
    if overlap:
        raise ParameterError(
            f"{owner}: {len(overlap)} product(s) are both candidates and carry-over, e.g. {sorted(overlap)[:3]}."
        )
    notes = list(notes)
    category_limits = dict(category_limits or {})
    if len(carry):
        for category, count in carry["category"].value_counts().items():
            low, high = category_limits.get(category, (None, None))
            if high is not None and count > high:
                category_limits[category] = (min(low, count), int(count))
                notes.append(
                    _(
                        "The carry-over alone has {count} {category} products, above its maximum of {high}: no new "
                        "{category} product is planned.",
                        count=f"{count:,}",
                        category=category,
                        high=f"{high:,}",
                    )
                )
        if max_per_look is not None:
            full = carry["look"].value_counts()
            full = full[(full > max_per_look) & ~full.index.map(_unknown_look)]
            if len(full):
                notes.append(
                    _(
                        "{looks} look(s) are shared by more than {cap} carried-over products (up to {most}): they get "
                        "no new product.",
                        looks=f"{len(full):,}",
                        cap=max_per_look,
                        most=int(full.max()),
                    )
                )
    n = len(cand)
    p = cand["probability"].to_numpy(dtype=float)
    is_image = (cand["role"] == IMAGE).to_numpy()
    min_bet_p = min_bet_lift * base_rate
    eligible = (~is_image) & (p >= min_bet_p)
    low_bets, high_bets = math.ceil(band[0] * catalogue_size - 1e-9), math.floor(band[1] * catalogue_size + 1e-9)
    sets = (
        bet_tag_sets.reindex(cand["product_id"]).fillna(False).astype(bool)
        if bet_tag_sets is not None and max_bet_share_per_tag_set < 1
        else None
    )
    setup = dict(
        cand=cand,
        carry=carry,
        p=p,
        is_image=is_image,
        eligible=eligible,
        sets=sets,
        catalogue_size=catalogue_size,
        base_rate=base_rate,
        image_count=image_count,
        category_limits=category_limits,
        max_per_look=max_per_look,
        share_cap=max_bet_share_per_tag_set,
        min_bet_p=min_bet_p,
        time_limit=time_limit,
    )
    # Every hit bet adds its margin over the base rate, so the best plan has as many bets as fit: start at
    # the most the band allows; if the caps cannot hold with that many, find the largest number that works.
    started = time.perf_counter()
    solution = _best_plan(setup, low_bets, min(high_bets, int(eligible.sum())))
    seconds = time.perf_counter() - started
    problems = [
        _explain(kind, amount, context, catalogue_size, n, len(carry))
        for amount, kind, context in solution["broken"]
        if kind != "bets short"
    ]
    bets_found = int(solution["bet"].sum())
    if bets_found < low_bets:  # the solver's own shortfall is measured against fewer bets: explain it on the band
        problems.append(
            _explain(
                "bets short",
                low_bets - bets_found,
                {"need": low_bets, "eligible": int(eligible.sum()), "min_p": min_bet_p},
                catalogue_size,
                n,
                len(carry),
            )
            + (_crowded(sets, eligible, max_bet_share_per_tag_set) if sets is not None else "")
        )
    if problems:
        raise PlanInfeasible(problems)
    chosen, bet = solution["chosen"], solution["bet"]
    plan = _assemble(
        cand,
        carry,
        chosen,
        bet,
        is_image,
        season=season,
        base_rate=base_rate,
        band=band,
        image_count=image_count,
        catalogue_size=catalogue_size,
        category_limits=category_limits,
        max_per_look=max_per_look,
        bet_tag_sets=bet_tag_sets,
        max_bet_share_per_tag_set=max_bet_share_per_tag_set,
        waves=waves or [("W1", None)],
        seconds=seconds,
        proven_optimal=solution["optimal"],
        calibration=calibration,
    )
    return dataclasses.replace(plan, notes=tuple(notes))


def _best_plan(setup: dict, low_bets: int, most: int) -> dict:
    """The plan with the most hit bets (up to ``most``) that meets every cap."""
    solution = _solve(setup, max(most, 0))
    while True:
        short = sum(amount for amount, kind, _ in solution["broken"] if kind == "bets short")
        caps_broken = any(kind == "concentration" for _, kind, _ in solution["broken"])
        if not short and not caps_broken:
            return solution
        if caps_broken:  # the concentration caps cannot hold with this many bets: find the most that works
            lo, hi, best = low_bets, solution["n_bets"] - 1, None
            while lo <= hi:
                k = (lo + hi) // 2
                attempt = _solve(setup, k)
                if any(kind == "concentration" for _, kind, _ in attempt["broken"]):
                    hi = k - 1
                else:
                    best, lo = attempt, k + 1
            return best or _solve(setup, min(low_bets, solution["n_bets"]))
        # fewer bets fit than asked for: ask for exactly that many, so the caps are sized on them
        fewer = solution["n_bets"] - int(round(short))
        if fewer <= 0 or fewer == solution["n_bets"]:
            return solution
        solution = _solve(setup, fewer)


def _solve(setup: dict, n_bets: int) -> dict:
    """One integer programme with exactly ``n_bets`` hit bets (fewer only through a slack), solved by CBC.

    The columns are every candidate's "in the plan" (x), every eligible candidate's "hit bet" (b), then the
    slacks that let a limit give way at a price, which say afterwards which limit could not hold. Rows are
    built as arrays: at ten times the demo, building the same programme term by term took longer than solving it.
    """
    # the programme is written in id order, whatever the candidates' order, and a tiny bonus decreasing in id
    # order makes the optimum unique: the same candidates give the same plan
    canon = np.argsort(setup["cand"]["product_id"].to_numpy().astype(str), kind="stable")
    cand = setup["cand"].iloc[canon]
    p, is_image, eligible = (setup[k][canon] for k in ("p", "is_image", "eligible"))
    carry, n = setup["carry"], len(cand)
    n_carry, size, base_rate = len(carry), setup["catalogue_size"], setup["base_rate"]
    tie = 1e-6 * (1 - np.arange(n) / max(n, 1))
    bettable = np.flatnonzero(eligible)
    bet_column = np.full(n, -1, dtype=np.int64)
    bet_column[bettable] = n + np.arange(len(bettable))
    first_slack = n + len(bettable)
    slacks: list[tuple[str, dict]] = []
    cells: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row, column, coefficient) blocks
    lower: list[float] = []
    upper: list[float] = []

    def slack(kind: str, **context) -> int:
        slacks.append((kind, context))
        return first_slack + len(slacks) - 1

    def row(columns, coefficients, low: float = -np.inf, high: float = np.inf) -> None:
        columns = np.asarray(columns, dtype=np.int64)
        cells.append((np.full(len(columns), len(lower)), columns, np.asarray(coefficients, dtype=float)))
        lower.append(low)
        upper.append(high)

    def chosen_plus(members: np.ndarray, *extra: tuple[int, float]):
        return np.r_[members, [c for c, _ in extra]], np.r_[np.ones(len(members)), [v for _, v in extra]]

    row(
        *chosen_plus(np.arange(n), (slack("size short", target=size), 1), (slack("size over", target=size), -1)),
        size - n_carry,
        size - n_carry,
    )
    short = slack("bets short", need=n_bets, eligible=int(eligible.sum()), min_p=setup["min_bet_p"])
    row(*chosen_plus(bet_column[bettable], (short, 1)), n_bets, n_bets)
    # a hit bet is in the plan: b - x <= 0, one row each
    n_bettable = len(bettable)
    rows = len(lower) + np.arange(n_bettable)
    cells.append(
        (np.r_[rows, rows], np.r_[bet_column[bettable], bettable], np.r_[np.ones(n_bettable), -np.ones(n_bettable)])
    )
    lower += [-np.inf] * n_bettable
    upper += [0.0] * n_bettable
    quota = setup["image_count"]
    row(
        *chosen_plus(
            np.flatnonzero(is_image),
            (slack("image short", quota=quota, available=int(is_image.sum())), 1),
            (slack("image over", quota=quota), -1),
        ),
        quota,
        quota,
    )
    category = cand["category"].to_numpy()
    for name, (low, high) in setup["category_limits"].items():
        members = np.flatnonzero(category == name)
        carried = int((carry["category"] == name).sum()) if n_carry else 0
        available = len(members) + carried
        row(
            *chosen_plus(members, (slack("category short", category=name, low=low, available=available), 1)),
            low=low - carried,
        )
        row(
            *chosen_plus(members, (slack("category over", category=name, high=high, carried=carried), -1)),
            high=high - carried,
        )
    cap = setup["max_per_look"]
    if cap is not None:
        codes, looks = pd.factorize(cand["look"])
        carried_looks = carry["look"].value_counts() if n_carry else pd.Series(dtype=int)
        carried = pd.Series(looks).map(carried_looks).fillna(0).astype(int).to_numpy()
        by_look = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[by_look], np.arange(len(looks) + 1))
        for u in np.flatnonzero(np.diff(bounds) + carried > cap):
            if _unknown_look(looks[u]):
                continue
            room = max(cap - int(carried[u]), 0)  # the carry-over alone never breaks the cap
            over = slack("look over", look=looks[u], cap=cap, carried=int(carried[u]))
            row(*chosen_plus(by_look[bounds[u] : bounds[u + 1]], (over, -1)), high=room)
    if setup["sets"] is not None:
        limit = math.floor(setup["share_cap"] * n_bets + 1e-9)
        held = setup["sets"].to_numpy(dtype=bool)[canon]
        for j, name in enumerate(setup["sets"].columns):
            members = bet_column[held[:, j] & eligible]
            if len(members) > limit:
                over = slack("concentration", tags=name, cap=setup["share_cap"])
                row(*chosen_plus(members, (over, -1)), high=limit)

    def cost(kind: str) -> float:
        return _PENALTY["bets"] if kind == "bets short" else _PENALTY["cap"] if kind in _CAPS else _PENALTY["short"]

    gain = np.r_[np.where(is_image, 0.0, p) + tie, p[bettable] - base_rate, [-cost(kind) for kind, _ in slacks]]
    r, c, v = (np.concatenate(part) for part in zip(*cells))
    binary = np.arange(len(gain)) < first_slack
    # the hit bets' columns first: CBC took 0.5 s with them first and 18 s with the candidates' first (24,000
    # candidates, ten times the demo), the same plan
    column_order = np.r_[n : len(gain), 0:n]
    x, optimal = _cbc(gain, (r, c, v), np.array(lower), np.array(upper), binary, column_order, setup["time_limit"])
    chosen, bet = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)  # in the candidates' own order
    chosen[canon] = x[:n] > 0.5
    bet[canon[bettable]] = x[bet_column[bettable]] > 0.5
    values = x[first_slack:]
    broken = [(float(values[k]), kind, context) for k, (kind, context) in enumerate(slacks) if values[k] > 1e-6]
    return {"chosen": chosen, "bet": bet, "broken": broken, "n_bets": n_bets, "optimal": optimal}


def _cbc(
    gain, cells, lower, upper, binary: np.ndarray, column_order: np.ndarray, time_limit
) -> tuple[np.ndarray, bool]:
    """Maximise ``gain @ x`` subject to ``lower <= A x <= upper`` (A given as row, column, coefficient), the
    columns marked in ``binary`` 0 or 1, the others non-negative: the MPS file is written from the arrays, the
    columns in ``column_order``, and solved by the CBC that PuLP ships. Returns the values of the columns and
    whether CBC proved them optimal."""
    import subprocess
    import tempfile

    import pulp

    rows, columns, coefficients = cells
    n_columns = len(gain)
    place = np.empty(n_columns, dtype=np.int64)
    place[column_order] = np.arange(n_columns)
    # the objective is row -1 of each column, so that every column has an entry and comes first in its own
    column = np.r_[np.arange(n_columns), columns]
    row = np.r_[np.full(n_columns, -1), rows]
    order = np.lexsort((row, place[column]))
    column, row, value = column[order], row[order], np.r_[gain, coefficients][order]
    names = np.char.mod("C%07d", column)
    targets = np.where(row < 0, "OBJ", np.char.mod("R%07d", np.maximum(row, 0)))
    entries = [f"    {a}  {b}  {x:.12e}" for a, b, x in zip(names.tolist(), targets.tolist(), value.tolist())]
    # integer columns between markers: one pair around each run of binary columns
    flag = binary[column]
    changes = np.flatnonzero(np.diff(np.r_[False, flag, False].astype(np.int8)))
    for at in changes[::-1].tolist():
        opened = at < len(flag) and flag[at]  # a change into a binary run, else out of one
        entries.insert(at, f"    MARKER                 'MARKER'                 '{'INTORG' if opened else 'INTEND'}'")
    kind = np.where(lower == upper, "E", np.where(np.isinf(lower), "L", "G"))
    rhs = np.where(np.isinf(lower), upper, lower)
    lines = [
        "NAME          season_plan",
        "ROWS",
        " N  OBJ",
        *(f" {k}  R{i:07d}" for i, k in enumerate(kind.tolist())),
        "COLUMNS",
        *entries,
        "RHS",
        *(f"    RHS       R{i:07d}  {b:.12e}" for i, b in enumerate(rhs.tolist()) if b != 0),
        "BOUNDS",
        *(f" BV BND       C{j:07d}" for j in np.flatnonzero(binary).tolist()),
        "ENDATA",
    ]
    with warnings.catch_warnings():  # PuLP 3 announces that its bundled CBC moves to an extra in PuLP 4
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.PULP_CBC_CMD(msg=False).path
    with tempfile.TemporaryDirectory(prefix="tagkit-plan-") as folder:
        model, solution = f"{folder}/plan.mps", f"{folder}/plan.sol"
        with open(model, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        command = [cbc, model, "-max", "-sec", str(time_limit), "-threads", "1", "-solve"]
        done = subprocess.run([*command, "-printingOptions", "all", "-solution", solution], capture_output=True)
        status = ""
        if done.returncode == 0 and os.path.exists(solution):
            with open(solution) as fh:
                status, values = fh.readline(), np.zeros(n_columns)
                for line in fh:
                    parts = line.split()
                    if parts and parts[0] == "**":  # CBC marks values outside a bound
                        parts = parts[1:]
                    if len(parts) >= 3 and parts[1].startswith("C"):
                        values[int(parts[1][1:])] = float(parts[2])
    words = status.split()
    # "Optimal - objective value …", or "Stopped on time - objective value …" with the best plan found
    if not words or words[0] not in ("Optimal", "Stopped") or "objective" not in words:
        found = status.strip() or f"CBC ended with code {done.returncode}"
        raise PlanInfeasible([f"the solver stopped without a plan ({found}): raise time_limit, or loosen the limits"])
    return values, words[0] == "Optimal"


def _crowded(sets: pd.DataFrame, eligible: np.ndarray, cap: float, shown: int = 3) -> str:
    """The tag sets that more than ``cap`` of the strong candidates carry, which the concentration cap binds."""
    if not eligible.any():
        return ""
    share = sets.to_numpy()[eligible].mean(axis=0)
    over = np.flatnonzero(share > cap)
    if not len(over):
        return ""
    over = over[np.lexsort((sets.columns[over].astype(str), -share[over]))][:shown]
    first, then = _("{share} of them carry {tags}"), _("{share} {tags}")
    listed = _(", ").join(
        (first if k == 0 else then).format(share=f"{share[i]:.0%}", tags=sets.columns[i]) for k, i in enumerate(over)
    )
    return _(
        ". The strong candidates are alike: {listed}, while the hit bets may share a tag set only up to "
        "max_bet_share_per_tag_set ({cap})",
        listed=listed,
        cap=f"{cap:.0%}",
    )


def _unknown_look(look: str) -> bool:
    parts = str(look).split("|")
    return sum(part == "?" for part in parts) > len(parts) / 2


def _explain(kind: str, amount: float, c: dict, size: int, n_candidates: int, n_carry: int) -> str:
    amount = int(round(amount))
    if kind == "size short":
        return _(
            "catalogue size: only {fit} of the {target} products can be released within the other limits "
            "({candidates} candidates, {carried} carry-over); lower catalogue_size, add candidates, or loosen the "
            "category, look and quota limits",
            fit=f"{c['target'] - amount:,}",
            target=f"{c['target']:,}",
            candidates=f"{n_candidates:,}",
            carried=f"{n_carry:,}",
        )
    if kind == "size over":
        return _(
            "catalogue size: the carry-over products and the minimums already need {need} products, {amount} more "
            "than catalogue_size={target}; raise it or lower the minimums",
            need=f"{c['target'] + amount:,}",
            amount=f"{amount:,}",
            target=f"{c['target']:,}",
        )
    if kind == "bets short":
        return _(
            "hit-bet band: {need} hit bets are needed, but only {fit} strong candidates fit the other limits "
            "({eligible} candidates reach the minimum hit propensity of {min_p}); lower min_bet_lift or band_low, "
            "relax max_bet_share_per_tag_set, or add candidates with the tags that mark hits",
            need=f"{c['need']:,}",
            fit=f"{c['need'] - amount:,}",
            eligible=f"{c['eligible']:,}",
            min_p=f"{c['min_p']:.1%}",
        )
    if kind == "image short":
        return _(
            "image products: the quota is {quota} but only {fit} fit ({available} candidates are flagged as image "
            "products); lower the quota or add image candidates",
            quota=f"{c['quota']:,}",
            fit=f"{c['quota'] - amount:,}",
            available=f"{c['available']:,}",
        )
    if kind == "image over":
        return _(
            "image products: {amount} more than the quota of {quota} would be needed; raise the quota",
            amount=f"{amount:,}",
            quota=f"{c['quota']:,}",
        )
    if kind == "category short":
        return _(
            "category {name}: needs at least {low} products but only {fit} fit ({available} candidates and "
            "carry-over); lower its minimum or add {category} candidates",
            name=repr(c["category"]),
            category=c["category"],
            low=f"{c['low']:,}",
            fit=f"{c['low'] - amount:,}",
            available=f"{c['available']:,}",
        )
    if kind == "category over":
        return _(
            "category {name}: the maximum is {high} but {need} are needed ({carried} carried over); raise its "
            "maximum or carry over fewer",
            name=repr(c["category"]),
            high=f"{c['high']:,}",
            need=f"{c['high'] + amount:,}",
            carried=f"{c['carried']:,}",
        )
    if kind == "look over":
        return _(
            "look {look}: at most {cap} products may share it but {need} are needed ({carried} carried over); raise "
            "max_per_look",
            look=repr(c["look"]),
            cap=f"{c['cap']:,}",
            need=f"{c['cap'] + amount:,}",
            carried=f"{c['carried']:,}",
        )
    return _(
        "tag set {tags}: the hit bets would carry it more than the cap of {cap}; raise max_bet_share_per_tag_set or "
        "add strong candidates without it",
        tags=repr(c["tags"]),
        cap=f"{c['cap']:.0%}",
    )


def _assemble(
    cand,
    carry,
    chosen,
    bet,
    is_image,
    *,
    season,
    base_rate,
    band,
    image_count,
    catalogue_size,
    category_limits,
    max_per_look,
    bet_tag_sets,
    max_bet_share_per_tag_set,
    waves,
    seconds,
    proven_optimal=True,
    calibration=None,
) -> SeasonPlan:
    picked = cand[chosen].copy()
    ceiling = calibration.ceiling() if calibration is not None else 1.0
    picked["role"] = np.where(bet[chosen], HIT_BET, np.where(is_image[chosen], IMAGE, CORE))
    for column in ("name", "matched_rules", "held_back_by"):
        if column not in picked:
            picked[column] = ""
    picked["lift"] = picked["probability"] / base_rate
    picked = picked.assign(_r=picked["role"].map(ROLE_ORDER)).sort_values(
        ["_r", "category", "probability", "product_id"], ascending=[True, True, False, True], kind="stable"
    )
    picked["wave"] = [waves[k % len(waves)][0] for k in range(len(picked))]
    dates = dict(waves)
    picked["wave_date"] = picked["wave"].map(dates)
    picked["reason"] = [_reason(r, ceiling) for r in picked.itertuples()]
    carried = carry.copy()
    if len(carried):
        carried["role"], carried["wave"], carried["wave_date"] = CARRY_OVER, "on sale", waves[0][1]
        carried["reason"] = "stays on sale from the last season"
        for column in ("name", "matched_rules", "held_back_by"):
            carried[column] = carried[column] if column in carried else ""
        carried["probability"] = carried["probability"] if "probability" in carried else np.nan
        carried["lift"] = carried["probability"] / base_rate
    table = pd.concat([picked, carried], ignore_index=True) if len(carried) else picked
    table = table.assign(_r=table["role"].map(ROLE_ORDER)).sort_values(
        ["_r", "probability", "product_id"], ascending=[True, False, True], kind="stable", na_position="last"
    )
    table = table[PLAN_COLUMNS].reset_index(drop=True)

    size = len(table)
    bets = table[table["role"] == HIT_BET]
    new_non_image = table[table["role"].isin([HIT_BET, CORE])]
    if calibration is not None and "raw_probability" in cand:
        raw = cand.set_index("product_id")["raw_probability"]
        low, high = calibration.interval(raw.reindex(new_non_image["product_id"]).to_numpy())
        bet_low, bet_high = calibration.interval(raw.reindex(bets["product_id"]).to_numpy())
    else:
        low, high = poisson_binomial_interval(new_non_image["probability"])
        bet_low, bet_high = poisson_binomial_interval(bets["probability"])
    expected = {
        "all": float(new_non_image["probability"].sum()),
        "all_low": low,
        "all_high": high,
        "bets": float(bets["probability"].sum()),
        "bets_low": bet_low,
        "bets_high": bet_high,
    }
    looks = table["look"].value_counts().rename_axis("look").reset_index(name="products")
    looks["cap"] = max_per_look
    concentration = _concentration(bets, bet_tag_sets, max_bet_share_per_tag_set)
    categories = _categories(table, category_limits)
    summary = pd.DataFrame(
        [
            ("catalogue size", size, catalogue_size, size == catalogue_size),
            ("carry-over products", int((table["role"] == CARRY_OVER).sum()), "", True),
            ("new launches", int(table["role"].isin([HIT_BET, CORE, IMAGE]).sum()), "", True),
            (
                "hit bets",
                len(bets),
                f"{math.ceil(band[0] * catalogue_size - 1e-9)}-{math.floor(band[1] * catalogue_size + 1e-9)}",
                band[0] <= len(bets) / catalogue_size <= band[1] + 1e-9,
            ),
            (
                "hit-bet share of the catalogue",
                f"{len(bets) / size:.1%}",
                f"{band[0]:.0%}-{band[1]:.0%}",
                band[0] <= len(bets) / size <= band[1] + 1e-9,
            ),
            (
                "image products",
                int((table["role"] == IMAGE).sum()),
                image_count,
                int((table["role"] == IMAGE).sum()) == image_count,
            ),
            ("expected hits, new non-image products (90% interval)", f"{expected['all']:.1f} ({low}-{high})", "", True),
            (
                "expected hits among the hit bets (90% interval)",
                f"{expected['bets']:.1f} ({bet_low}-{bet_high})",
                "",
                True,
            ),
            ("distinct looks", int(len(looks)), "", True),
            (
                "largest look group",
                int(looks["products"].max()) if len(looks) else 0,
                f"<= {max_per_look}" if max_per_look else "",
                True,
            ),
            (
                "largest tag-set share of the hit bets",
                f"{concentration['share_of_hit_bets'].max():.0%}" if len(concentration) else "",
                f"<= {max_bet_share_per_tag_set:.0%}",
                True,
            ),
            (
                "categories within their limits",
                int(categories["within"].sum()),
                len(categories),
                bool(categories["within"].all()),
            ),
            (
                "solver",
                _("optimal") if proven_optimal else _("best plan found within time_limit (not proven optimal)"),
                "",
                True,
            ),
        ],
        columns=["measure", "value", "target", "within"],
    )
    for column in ("value", "target"):  # counts with thousands separators, like every other table
        summary[column] = [_counted(v) for v in summary[column]]
    return SeasonPlan(
        season, table, summary, categories, looks, concentration, expected, seconds, (), ceiling, len(cand)
    )


def _counted(value) -> str:
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    return f"{value:,}" if whole else str(value)


def chance_text(probability: float, ceiling: float = 1.0) -> str:
    """A chance of a hit in words, never beyond what the calibration behind it supports."""
    if probability > ceiling:
        return _("over {ceiling} chance of a hit (the most the past seasons can vouch for)", ceiling=f"{ceiling:.0%}")
    return _("{probability} chance of a hit", probability=f"{probability:.0%}")


def _reason(r, ceiling: float = 1.0) -> str:
    if r.role == HIT_BET:
        why = (
            str(r.matched_rules).split(";")[0]
            if isinstance(r.matched_rules, str) and r.matched_rules
            else _("its tags")
        )
        return _(
            "hit bet: {chance} ({lift} average); matches {why}",
            chance=chance_text(r.probability, ceiling),
            lift=f"{r.lift:.1f}×",
            why=why,
        )
    if r.role == IMAGE:
        return _("image product: carries the brand's style, not meant to be a hit")
    return _(
        "core: {chance} ({lift} average), fills {category}",
        chance=chance_text(r.probability, ceiling),
        lift=f"{r.lift:.1f}×",
        category=r.category,
    )


def _categories(table: pd.DataFrame, limits: dict) -> pd.DataFrame:
    counts = table.groupby(["category", "role"]).size().unstack(fill_value=0)
    rows = []
    for category in sorted(set(counts.index) | set(limits)):
        row = counts.loc[category] if category in counts.index else pd.Series(dtype=int)
        total = int(row.sum())
        low, high = limits.get(category, (None, None))
        rows.append(
            {
                "category": category,
                "carry_over": int(row.get(CARRY_OVER, 0)),
                "hit_bets": int(row.get(HIT_BET, 0)),
                "core": int(row.get(CORE, 0)),
                "image": int(row.get(IMAGE, 0)),
                "total": total,
                "min": low,
                "max": high,
                "within": (low is None or total >= low) and (high is None or total <= high),
            }
        )
    return pd.DataFrame(rows)


def _concentration(bets: pd.DataFrame, bet_tag_sets: pd.DataFrame | None, cap: float) -> pd.DataFrame:
    if bet_tag_sets is None or bets.empty:
        return pd.DataFrame(columns=["tags", "hit_bets", "share_of_hit_bets", "cap"])
    sets = bet_tag_sets.reindex(bets["product_id"]).fillna(False).astype(bool)
    counts = sets.sum()
    out = pd.DataFrame(
        {
            "tags": counts.index,
            "hit_bets": counts.to_numpy(),
            "share_of_hit_bets": counts.to_numpy() / len(bets),
            "cap": cap,
        }
    )
    out = out[out["hit_bets"] > 0]
    return out.sort_values(["hit_bets", "tags"], ascending=[False, True]).reset_index(drop=True)


def plan_limits(
    labels: pd.DataFrame,
    season: str,
    products: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy,
    *,
    carried: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
    catalogue_size: int = 0,
    image_count: int = 0,
    image_share: float = 0.015,
    category_limits: str = "",
    category_tolerance: float = 0.5,
) -> dict:
    """The plan's size, image quota and category limits: as given, or fitted to what the brand gave.

    - ``catalogue_size`` 0: as many products as launched in ``season``, plus the carry-over, but never more
      than the ``candidates`` and the carry-over can fill;
    - ``image_count`` 0: ``image_share`` of the catalogue, rounded, but no more than the candidates flagged
      as image products (none flagged: no image quota);
    - ``category_limits`` "": each category within ``category_tolerance`` of its share of the launches
      of ``season`` (e.g. 0.5: from half to one and a half times that share of the catalogue), each
      minimum no more than the category's candidates and carry-over.

    Returns the keyword arguments of :func:`plan_season`, with ``notes`` saying what was fitted and why.
    """
    launched = labels.loc[labels["season"] == season, "product_id"]
    n_carried = 0 if carried is None else len(carried)
    notes = []
    size = catalogue_size or len(launched) + n_carried
    if size <= 0:
        raise ParameterError(f"No products were launched in {season} to size the plan on; give catalogue_size.")
    if candidates is not None and not catalogue_size and size > len(candidates) + n_carried:
        notes.append(
            _(
                "The catalogue size would be {size} ({launched} launches in {season} plus {carried} carried over), "
                "more than the {candidates} candidates and the carry-over can fill: the plan releases {releases}, "
                "every candidate. Give catalogue_size to choose fewer.",
                size=f"{size:,}",
                launched=f"{len(launched):,}",
                season=season,
                carried=f"{n_carried:,}",
                candidates=f"{len(candidates):,}",
                releases=f"{len(candidates) + n_carried:,}",
            )
        )
        size = len(candidates) + n_carried
    images = image_count or int(round(image_share * size))
    if candidates is not None and not image_count:
        available = int((candidates["role"] == IMAGE).sum())
        if images > available:
            notes.append(
                _(
                    "No candidate is flagged as an image product: there is no image quota (flag candidates with role: "
                    "image to plan some)."
                )
                if not available
                else _(
                    "Only {available} candidates are flagged as image products: the image quota is {available} rather "
                    "than {images}.",
                    available=f"{available:,}",
                    images=f"{images:,}",
                )
            )
            images = available
    if category_limits:
        limits = parse_category_limits(category_limits)
        known = set(describe_products(products, tags, taxonomy, product_ids=launched)["category"])
        unknown = sorted(set(limits) - known)
        if unknown:
            raise ParameterError(
                f"Category limits name {unknown[0]!r}, not a category of the launches of {season} "
                f"({', '.join(sorted(known))}).{did_you_mean(unknown[0], known)}"
            )
    else:
        mix = describe_products(products, tags, taxonomy, product_ids=launched)["category"]
        limits = limits_from_mix(mix[mix != NO_VALUE], size, tolerance=category_tolerance)
        if candidates is not None:
            have = candidates.loc[candidates["role"] != IMAGE, "category"].value_counts()
            if carried is not None and len(carried):
                have = have.add(carried["category"].value_counts(), fill_value=0)
            short = {c: (low, high) for c, (low, high) in limits.items() if low > have.get(c, 0)}
            for category, (_low, high) in short.items():
                limits[category] = (int(have.get(category, 0)), high)
            if short:
                notes.append(
                    _(
                        "{count} category has fewer candidates than its share of last season asks for ({categories}): "
                        "its minimum is what the candidates and the carry-over hold."
                        if len(short) == 1
                        else "{count} categories have fewer candidates than their share of last season asks for "
                        "({categories}): their minimum is what the candidates and the carry-over hold.",
                        count=len(short),
                        categories=", ".join(sorted(short)[:5]),
                    )
                )
    return {"catalogue_size": int(size), "image_count": int(images), "category_limits": limits, "notes": notes}


def plan_brand(
    brand,
    labels: pd.DataFrame,
    rules: pd.DataFrame,
    model,
    *,
    season: str,
    plan_for: str,
    carry_over: str = "hits",
    catalogue_size: int = 0,
    image_count: int = 0,
    image_share: float = 0.015,
    category_limits: str = "",
    category_tolerance: float = 0.5,
    calibration=None,
    **planning,
) -> tuple[SeasonPlan, pd.DataFrame]:
    """Next season's plan for a brand: its candidates scored by ``model`` and explained by ``rules``, the
    carry-over of ``season``, limits fitted to what the brand gave (:func:`plan_limits`), then
    :func:`plan_season` (``planning``: band, min_bet_lift, max_per_look, max_bet_share_per_tag_set,
    waves). Without a candidate pipeline, no plan is made and the plan says why.
    Returns (plan, scored candidates)."""
    if brand.candidates is None or brand.candidates.products.empty:
        reason = _(
            "the dataset has no candidate pipeline (a candidates entry in dataset.yml: the products proposed for "
            "{season}, tagged like the catalogue), so there is nothing to choose from. The backtest and the "
            "calibration below still show how well hits can be foreseen.",
            season=plan_for,
        )
        return no_plan(plan_for, reason), pd.DataFrame(
            columns=["product_id", "name", "role", "category", "look", "probability", "lift"]
        )
    taxonomy = brand.taxonomy
    candidates = score_candidates(
        model, brand.candidates.products, brand.candidates.tags, taxonomy, rules=rules, season=plan_for
    )
    if calibration is not None:  # out of time (see tagkit.calibration): what the past seasons vouch for
        candidates["raw_probability"] = candidates["probability"]
        candidates["probability"] = calibration.apply(candidates["raw_probability"])
    base_rate = model.base_rate  # a hit bet is a bet against the average product of the seasons learnt from
    candidates["lift"] = candidates["probability"] / base_rate
    carried = carried_products(labels, season, brand.own.products, brand.own.tags, taxonomy, which=carry_over)
    limits = plan_limits(
        labels,
        season,
        brand.own.products,
        brand.own.tags,
        taxonomy,
        carried=carried,
        candidates=candidates,
        catalogue_size=catalogue_size,
        image_count=image_count,
        image_share=image_share,
        category_limits=category_limits,
        category_tolerance=category_tolerance,
    )
    bet_tag_sets = rule_membership(brand.candidates.matrix(taxonomy), rules[rules["status"] == KEPT])
    try:
        plan = plan_season(
            candidates,
            season=plan_for,
            base_rate=base_rate,
            carry_over=carried,
            bet_tag_sets=bet_tag_sets,
            calibration=calibration,
            **planning,
            **limits,
        )
    except PlanInfeasible as err:  # the report still shows the scored candidates, and why no plan holds
        plan = no_plan(
            plan_for,
            "its limits cannot all hold together: " + "; ".join(err.problems) + ".",
            candidates=len(candidates),
        )
    return plan, candidates


SHOPIFY_COLUMNS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Variant SKU",
    "Variant Price",
    "Status",
]


def shopify_products(
    plan: pd.DataFrame,
    tags: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    products: pd.DataFrame | None = None,
    vendor: str = "",
) -> pd.DataFrame:
    """The plan's new products (carry-over left out: it is in the shop already) as a Shopify product import
    (the classic template's columns), each a draft with its planned tags ("Colour: Navy", "tagkit: hit bet"), its
    category as the product type and its id as the SKU; ``products`` (the candidates' catalogue) gives the
    price when it has one. Upload it in Shopify under Products, Import."""
    check_frame(tags, "resolved tags", name="tags", owner="shopify_products", source="normalise_tags")
    new = plan[plan["role"] != CARRY_OVER]
    usable = tags[tags["status"].isin(USABLE) & tags["product_id"].isin(new["product_id"])]
    words = usable.assign(
        tag=[
            f"{taxonomy.dimension(d).label}: {taxonomy.value_words(d, v)}".replace(",", " ")
            for d, v in zip(usable["dimension"], usable["value"])
        ]
    )
    by_product = words.drop_duplicates(["product_id", "tag"]).groupby("product_id", sort=False)["tag"].agg(", ".join)
    price = (
        products.drop_duplicates("product_id").set_index("product_id")["price"]
        if products is not None and "price" in products.columns
        else pd.Series(dtype=float)
    )
    ids = new["product_id"].astype(str)
    category = taxonomy.roles.category
    handles = [_handle(i, n) for i, n in zip(ids, new["name"].fillna(""))]
    return pd.DataFrame(
        {
            "Handle": handles,
            "Title": [n if str(n).strip() else i for i, n in zip(ids, new["name"].fillna(""))],
            "Body (HTML)": "",
            "Vendor": vendor,
            "Type": [taxonomy.value_words(category, c) if category and c else c for c in new["category"].fillna("")],
            "Tags": [
                ", ".join(t for t in (by_product.get(i, ""), f"tagkit: {role}") if t)
                for i, role in zip(ids, new["role"])
            ],
            "Published": "FALSE",
            "Option1 Name": "Title",
            "Option1 Value": "Default Title",
            "Variant SKU": ids.to_numpy(),
            "Variant Price": [price.get(i, np.nan) for i in ids],
            "Status": "draft",
        },
        columns=SHOPIFY_COLUMNS,
    )


def _handle(product_id: str, name: str) -> str:
    """A URL handle: lower-case letters, digits and hyphens, from the name and the id (unique by the id)."""
    text = f"{name} {product_id}".lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", product_id.lower()).strip("-") or "product"
