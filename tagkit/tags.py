"""Raw tags into canonical ``dimension=value`` items, and the health of a catalogue's tags.

:func:`normalise_tags` keeps every raw tag and says what became of it in ``status``:

=================  ==============================================================
``ok``             a canonical item
``repeated``       the same item again for the same product (harmless)
``unknown value``  not a value (nor an alias) of its dimension
``unknown dimension``  a ``dimension:value`` whose dimension the taxonomy lacks
``ambiguous``      a bare value that several dimensions share
``extra value``    a further value of a single-valued dimension (the first is kept)
=================  ==============================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tagkit._arrays import text_from_codes
from tagkit._checks import Choice, check_frame, validate_params
from tagkit._checks import suggest as _suggest
from tagkit._memory import freed_memory_kept
from tagkit.errors import UnknownTagError
from tagkit.language import translate as _
from tagkit.taxonomy import Taxonomy, item_name
from tagkit.vocabulary import UNKNOWN_TAGS

OK, REPEATED, UNKNOWN_VALUE, UNKNOWN_DIMENSION, AMBIGUOUS, EXTRA = (
    "ok",
    "repeated",
    "unknown value",
    "unknown dimension",
    "ambiguous",
    "extra value",
)
USABLE = (OK, REPEATED)
NOT_RESOLVED = (UNKNOWN_VALUE, UNKNOWN_DIMENSION, AMBIGUOUS)
RESOLVED_COLUMNS = [
    "product_id",
    "row",
    "column",
    "raw_dimension",
    "raw_value",
    "dimension",
    "value",
    "item",
    "status",
    "suggestion",
]
HEALTH_COLUMNS = ["problem", "dimension", "raw_value", "n_products", "n_tags", "example_products", "suggestion"]
_PROBLEM_ORDER = {UNKNOWN_VALUE: 0, AMBIGUOUS: 1, UNKNOWN_DIMENSION: 2, "missing required": 3, EXTRA: 4}
_EXAMPLES = 5


@validate_params(unknown=Choice(UNKNOWN_TAGS))
@freed_memory_kept
def normalise_tags(raw_tags: pd.DataFrame, taxonomy: Taxonomy, *, unknown: str = "report") -> pd.DataFrame:
    """Resolve each raw tag through the taxonomy's aliases; returns one row per raw tag.

    ``unknown='report'`` keeps unresolved tags with their status and a suggestion (see
    :func:`tag_health`); ``unknown='raise'`` raises :class:`UnknownTagError` listing all of them.
    """
    out = raw_tags.copy()
    out["row"] = out["row"].astype("int64")
    # each distinct (dimension, value) pair is resolved once: a catalogue of a million products holds a few
    # thousand distinct tags, so the work is linear in the raw tags with a small constant
    given_codes, given_uniques = _text_codes(out["raw_dimension"], lambda v: v if v.strip() else "", missing="")
    value_codes, value_uniques = _text_codes(out["raw_value"], str, missing="nan")
    codes, pairs = pd.factorize(given_codes * max(len(value_uniques), 1) + value_codes)
    counts = np.bincount(codes, minlength=len(pairs))
    keys = [
        (given_uniques[p // max(len(value_uniques), 1)] or None, value_uniques[p % max(len(value_uniques), 1)])
        for p in pairs
    ]
    dims = {d: taxonomy.resolve_dimension(d) for d in {d for d, _ in keys} - {None}}
    keys = [(d, dims[d] if d is not None else None, v) for d, v in keys]
    resolved = [_resolve(taxonomy, *key, suggest=False) for key in keys]
    # a suggestion (the closest canonical value) for the most frequent unresolved values: finding one is a
    # fuzzy search over the taxonomy, too slow to run for hundreds of thousands of distinct values
    unresolved = sorted(
        (i for i, r in enumerate(resolved) if r[2] in NOT_RESOLVED), key=lambda i: (-counts[i], keys[i][2])
    )
    for i in unresolved[:MAX_SUGGESTIONS]:
        resolved[i] = _resolve(taxonomy, *keys[i])
    # from here on every raw tag is a code into `resolved`, and products are integer codes too
    product = pd.factorize(out["product_id"])[0].astype(np.int64, copy=False)
    status = [r[2] for r in resolved]
    suggestion = [r[3] for r in resolved]
    status_of, suggestion_of = codes.copy(), codes.copy()  # into `status` and `suggestion`, which grow below
    items = [item_name(d, v) if r == OK else None for d, v, r, _ in resolved]
    ok = np.array([r == OK for r in status] or [False])[codes]
    item_code = pd.factorize(pd.Series(items, dtype=object))[0].astype(np.int64)[codes] if len(items) else codes
    repeated = _duplicated(ok, product, item_code)
    status.append(REPEATED)
    status_of[repeated] = len(status) - 1
    status.append(EXTRA)
    notes: dict[str, int] = {}
    for rows, note in _extra_values(ok & ~repeated, product, codes, resolved, taxonomy):
        if note not in notes:
            notes[note] = len(suggestion)
            suggestion.append(note)
        status_of[rows], suggestion_of[rows] = len(status) - 1, notes[note]
    columns = {
        "dimension": ([r[0] for r in resolved], codes),
        "value": ([r[1] for r in resolved], codes),
        "item": (items, codes),
        "status": (status, status_of),
        "suggestion": (suggestion, suggestion_of),
    }
    for column, (vocabulary, index) in columns.items():
        out[column] = text_from_codes(index, vocabulary).set_axis(out.index)
    if unknown == "raise":
        bad = out[out["status"].isin(NOT_RESOLVED)]
        if len(bad):
            health = tag_health(out, None, taxonomy)
            health = health[health["problem"].isin(NOT_RESOLVED)]
            raise UnknownTagError([_describe(r) for r in health.itertuples()])
    return out[RESOLVED_COLUMNS].reset_index(drop=True)


MAX_SUGGESTIONS = 2000


def _text_codes(values: pd.Series, clean, *, missing: str) -> tuple[np.ndarray, list]:
    """``pd.factorize`` of ``values`` as text cleaned by ``clean`` (a missing value is ``missing``), cleaning
    each distinct value once instead of every row."""
    codes, uniques = pd.factorize(values)
    cleaned = [clean(str(v)) for v in uniques] + [missing]
    merged, distinct = pd.factorize(pd.Index(cleaned, dtype=object))
    return merged.astype(np.int64)[codes], list(distinct)


def _resolve(taxonomy: Taxonomy, given, dimension, raw, *, suggest: bool = True):
    if given is not None and dimension is None:
        hint = _suggest(given, taxonomy.dimension_names) if suggest else None
        return given, None, UNKNOWN_DIMENSION, (f"dimension {hint}" if hint else None)
    if dimension is not None:
        value = taxonomy.resolve_value(dimension, raw)
        if value is not None:
            return dimension, value, OK, None
        if not suggest:
            return dimension, None, UNKNOWN_VALUE, None
        hint = taxonomy.suggest(raw, dimension)
        if hint is None:
            elsewhere = taxonomy.candidates(raw)
            hint = " or ".join(item_name(d, v) for d, v in elsewhere) + " (another dimension)" if elsewhere else None
        return dimension, None, UNKNOWN_VALUE, hint
    found = taxonomy.candidates(raw)
    if len(found) == 1:
        return found[0][0], found[0][1], OK, None
    if len(found) > 1:
        return None, None, AMBIGUOUS, " or ".join(item_name(d, v) for d, v in found)
    return None, None, UNKNOWN_VALUE, taxonomy.suggest(raw) if suggest else None


def _duplicated(mask: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Rows under ``mask`` whose pair of non-negative integer keys repeats an earlier such row's."""
    rows = np.flatnonzero(mask)
    out = np.zeros(len(mask), dtype=bool)
    order, same = _sorted_pairs(first[rows], second[rows])
    out[rows[order[1:][same]]] = True
    return out


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pairs of non-negative integers as one int64 key each."""
    keys = first * (int(second.max(initial=0)) + 1)
    keys += second
    return keys


def _sorted_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of the pairs, and whether each pair in that order equals the one before it. A stable
    sort is nearly linear here: the products' tags come in runs, so the keys are nearly sorted."""
    keys = _pairs(first, second)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    return order, keys[1:] == keys[:-1]


def _extra_values(ok: np.ndarray, product: np.ndarray, codes: np.ndarray, resolved: list, taxonomy: Taxonomy):
    """Single-valued dimensions given several values: the rows of the further values with their note. The
    first value given is kept; values on one parent chain (dress, midi-dress) are one value."""
    single = {d.name for d in taxonomy.dimensions if not d.multi}
    dimension = pd.factorize(pd.Series([r[0] for r in resolved], dtype=object))[0].astype(np.int64)
    in_single = np.array([r[0] in single for r in resolved] or [False])[codes]
    rows = np.flatnonzero(ok & in_single)
    order, same = _sorted_pairs(product[rows], dimension[codes[rows]])
    sorted_rows = rows[order]
    starts = np.flatnonzero(np.concatenate([[True], ~same])) if len(rows) else np.array([], dtype=np.int64)
    sizes = np.diff(np.append(starts, len(rows)))
    out: dict[str, list] = {}  # the further values' rows, by note
    # each (product, dimension) together, its rows in the order given; only those with several values
    verdicts: dict[tuple, tuple | None] = {}  # the same values given together share one verdict
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        members = sorted_rows[start : start + size]
        given = tuple(codes[members].tolist())
        if given not in verdicts:
            items = [item_name(resolved[c][0], resolved[c][1]) for c in given]
            if any(set(items) - {i} <= set(taxonomy.ancestors(i)) for i in items):
                verdicts[given] = None
            else:
                note = f"kept {items[0]} (dimension {resolved[given[0]][0]!r} takes one value)"
                verdicts[given] = (np.array([i != items[0] for i in items]), note)
        if verdicts[given] is not None:
            further, note = verdicts[given]
            out.setdefault(note, []).append(members[further])
    return [(np.concatenate(parts), note) for note, parts in out.items()]


def _describe(row) -> str:
    where = f"{row.dimension}: " if isinstance(row.dimension, str) and row.dimension else ""
    hint = f"; did you mean {row.suggestion}?" if isinstance(row.suggestion, str) and row.suggestion else ""
    return f"{where}{row.raw_value!r} is {row.problem} ({row.n_products} product(s), e.g. {row.example_products}){hint}"


@freed_memory_kept
def tag_health(resolved: pd.DataFrame, products: pd.DataFrame | None, taxonomy: Taxonomy) -> pd.DataFrame:
    """Every tag problem, largest first: unknown and ambiguous values (with their count, example
    products and the closest canonical value), unknown dimensions, products missing a required
    dimension, and single-valued dimensions given several values."""
    check_frame(resolved, "resolved tags", name="resolved", owner="tag_health", source="normalise_tags")
    bad = resolved[resolved["status"].isin(NOT_RESOLVED + (EXTRA,))].copy()
    bad["dimension"] = bad["dimension"].where(bad["dimension"].notna(), bad["raw_dimension"]).fillna("")
    bad["product_id"] = bad["product_id"].astype(str)
    keys = ["status", "dimension", "raw_value"]
    unresolved = bad[bad["status"] != EXTRA]
    rows = []
    if len(unresolved):  # grouped at once: a catalogue may hold hundreds of thousands of unknown values
        grouped = unresolved.groupby(keys, sort=False)
        table = grouped.agg(
            n_products=("product_id", "nunique"), n_tags=("product_id", "size"), suggestion=("suggestion", "first")
        ).reset_index()
        ids = unresolved[keys + ["product_id"]].drop_duplicates().sort_values(keys + ["product_id"], kind="stable")
        ids = ids[ids.groupby(keys, sort=False).cumcount() < _EXAMPLES]
        examples = ids.groupby(keys, sort=False)["product_id"].agg(", ".join).rename("example_products")
        table = table.merge(examples.reset_index(), on=keys, how="left")
        more = table["n_products"] - _EXAMPLES
        table["example_products"] = table["example_products"] + more.map(
            lambda n: _(" (+{n} more)", n=f"{n:,}") if n > 0 else ""
        )
        rows = table.rename(columns={"status": "problem"}).to_dict("records")
    extra = bad[bad["status"] == EXTRA]
    for dimension, group in extra.groupby("dimension", sort=False):
        rows.append(
            {
                "problem": EXTRA,
                "dimension": dimension,
                "raw_value": "",
                "n_products": group["product_id"].nunique(),
                "n_tags": len(group),
                "example_products": _examples(group["product_id"]),
                "suggestion": "the first value given is kept; fix the others",
            }
        )
    if products is not None:
        lacking = _lacking_required(resolved, products, taxonomy)
        for dimension in lacking.columns:
            ids = lacking.index[lacking[dimension].to_numpy()]
            if len(ids):
                rows.append(
                    {
                        "problem": "missing required",
                        "dimension": dimension,
                        "raw_value": "",
                        "n_products": len(ids),
                        "n_tags": 0,
                        "example_products": _examples(pd.Series(ids)),
                        "suggestion": "tag these products (a required dimension)",
                    }
                )
    health = pd.DataFrame(rows, columns=HEALTH_COLUMNS)
    health["raw_value"] = health["raw_value"].map(_shorten)
    health = health.assign(_order=health["problem"].map(_PROBLEM_ORDER))
    health = health.sort_values(
        ["_order", "n_products", "dimension", "raw_value"], ascending=[True, False, True, True], kind="stable"
    )
    return health.drop(columns="_order").reset_index(drop=True)


def _shorten(text: str, limit: int = 100) -> str:
    """A raw value short enough to read in a table (a pasted description can be thousands of characters)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + _("… ({n} characters)", n=f"{len(text):,}")


def _examples(ids: pd.Series) -> str:
    unique = sorted(ids.astype(str).unique())
    text = ", ".join(unique[:_EXAMPLES])
    return text + (_(" (+{n} more)", n=f"{len(unique) - _EXAMPLES:,}") if len(unique) > _EXAMPLES else "")


def missing_required(resolved: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Products without a usable value in one or more required dimensions."""
    check_frame(resolved, "resolved tags", name="resolved", owner="missing_required", source="normalise_tags")
    check_frame(products, "products", name="products", owner="missing_required")
    lacking = _lacking_required(resolved, products, taxonomy)
    any_lacking = lacking.any(axis=1).to_numpy()
    missing = np.full(len(lacking), "", dtype=object)
    for dimension in lacking.columns:  # the names, comma-separated, in taxonomy order
        flag = lacking[dimension].to_numpy()
        missing[flag] = np.where(missing[flag] == "", dimension, missing[flag] + ", " + dimension)
    out = pd.DataFrame({"product_id": lacking.index.to_numpy()[any_lacking], "missing": missing[any_lacking]})
    keep = [c for c in ("name", "launch_season", "source") if c in products.columns]
    return out.merge(products[["product_id", *keep]].astype({"product_id": str}), on="product_id", how="left")[
        ["product_id", *keep, "missing"]
    ]


def _lacking_required(resolved: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per product (in the products' order), one boolean column per required dimension: True when
    the product has no usable value in it."""
    required = [d.name for d in taxonomy.dimensions if d.required]
    keep = (resolved["status"].isin(USABLE) & resolved["dimension"].isin(required)).to_numpy()
    usable = resolved.loc[keep, ["product_id", "dimension"]]
    ids = products["product_id"].astype(str)
    # products as integer codes: one pass over the tags, whatever the size of the catalogue
    codes, _ = pd.factorize(pd.concat([ids, usable["product_id"].astype(str)], ignore_index=True))
    dimension = pd.Categorical(usable["dimension"], categories=required).codes
    have = np.zeros((codes.max() + 1 if len(codes) else 0, len(required)), dtype=bool)
    have[codes[len(ids) :], dimension] = True
    return pd.DataFrame(
        ~have[codes[: len(ids)]], index=pd.Index(ids.to_numpy(dtype=object), name="product_id"), columns=required
    )


def tag_coverage(resolved: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Per dimension: how many products carry a usable value, and how many raw tags failed."""
    n = products["product_id"].nunique()
    usable = resolved[resolved["status"].isin(USABLE)]
    failed = resolved[resolved["status"].isin(NOT_RESOLVED)]
    rows = []
    for d in taxonomy.dimensions:
        mine = usable[usable["dimension"] == d.name]
        unmatched = set(failed.loc[failed["dimension"] == d.name, "product_id"]) - set(mine["product_id"])
        rows.append(
            {
                "dimension": d.name,
                "label": taxonomy.dimension_words(d.name),
                "required": d.required,
                "multi": d.multi,
                "n_products": n,
                "n_tagged": mine["product_id"].nunique(),
                "coverage": round(mine["product_id"].nunique() / n, 4) if n else 0.0,
                "n_values_used": mine["value"].nunique(),
                "n_values_defined": len(d.values),
                "n_unresolved_tags": int((failed["dimension"] == d.name).sum()),
                "n_only_unresolved": len(unmatched),
            }
        )
    return pd.DataFrame(rows)


def value_counts(resolved: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Products per canonical value, in taxonomy order within each dimension."""
    usable = resolved[resolved["status"].isin(USABLE)]
    counts = usable.groupby("item")["product_id"].nunique()
    frame = taxonomy.to_frame()[["item", "dimension", "dimension_label", "value"]]
    frame["dimension_label"] = frame["dimension"].map(taxonomy.dimension_words)  # in the page's language
    frame["value_words"] = [taxonomy.value_words(d, v) for d, v in zip(frame["dimension"], frame["value"])]
    frame["n_products"] = frame["item"].map(counts).fillna(0).astype("int64")
    per_dimension = usable.groupby("dimension")["product_id"].nunique()
    frame["share"] = (frame["n_products"] / frame["dimension"].map(per_dimension)).fillna(0.0).round(4)
    return frame


def tag_values(resolved: pd.DataFrame, dimension: str) -> pd.Series:
    """Each product's value in one dimension (the first kept one), indexed by product_id."""
    usable = resolved[resolved["status"].isin(USABLE) & (resolved["dimension"] == dimension)]
    return usable.groupby("product_id", sort=False)["value"].first().rename(dimension)
