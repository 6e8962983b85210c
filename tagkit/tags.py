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

import pandas as pd

from tagkit._checks import check_choice
from tagkit._checks import suggest as _suggest
from tagkit.errors import UnknownTagError
from tagkit.taxonomy import Taxonomy, item_name

OK, REPEATED, UNKNOWN_VALUE, UNKNOWN_DIMENSION, AMBIGUOUS, EXTRA = (
    "ok", "repeated", "unknown value", "unknown dimension", "ambiguous", "extra value")
USABLE = (OK, REPEATED)
NOT_RESOLVED = (UNKNOWN_VALUE, UNKNOWN_DIMENSION, AMBIGUOUS)
RESOLVED_COLUMNS = ["product_id", "row", "column", "raw_dimension", "raw_value", "dimension", "value", "item",
                    "status", "suggestion"]
HEALTH_COLUMNS = ["problem", "dimension", "raw_value", "n_products", "n_tags", "example_products", "suggestion"]
_PROBLEM_ORDER = {UNKNOWN_VALUE: 0, AMBIGUOUS: 1, UNKNOWN_DIMENSION: 2, "missing required": 3, EXTRA: 4}
_EXAMPLES = 5


def normalise_tags(raw_tags: pd.DataFrame, taxonomy: Taxonomy, *, unknown: str = "report") -> pd.DataFrame:
    """Resolve each raw tag through the taxonomy's aliases; returns one row per raw tag.

    ``unknown='report'`` keeps unresolved tags with their status and a suggestion (see
    :func:`tag_health`); ``unknown='raise'`` raises :class:`UnknownTagError` listing all of them.
    """
    check_choice(unknown, name="unknown", owner="normalise_tags", choices=("report", "raise"))
    out = raw_tags.copy()
    out["row"] = out["row"].astype("int64")
    raw_dim = [d if isinstance(d, str) and d.strip() else None for d in out["raw_dimension"]]
    dims = {d: taxonomy.resolve_dimension(d) for d in set(raw_dim) - {None}}
    dimension = [dims[d] if d is not None else None for d in raw_dim]

    values, statuses, suggestions, dimensions = [], [], [], []
    keys = list(zip(raw_dim, dimension, out["raw_value"].astype(str)))
    counts: dict[tuple, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    cache = {key: _resolve(taxonomy, *key, suggest=False) for key in counts}
    # a suggestion (the closest canonical value) for the most frequent unresolved values: finding one is a
    # fuzzy search over the taxonomy, too slow to run for hundreds of thousands of distinct values
    unresolved = sorted((k for k, r in cache.items() if r[2] in NOT_RESOLVED), key=lambda k: (-counts[k], k[2]))
    for key in unresolved[:MAX_SUGGESTIONS]:
        cache[key] = _resolve(taxonomy, *key)
    for key in keys:
        d, v, status, hint = cache[key]
        dimensions.append(d)
        values.append(v)
        statuses.append(status)
        suggestions.append(hint)
    out["dimension"] = pd.Series(dimensions, index=out.index, dtype="object")
    out["value"] = pd.Series(values, index=out.index, dtype="object")
    out["status"] = statuses
    out["suggestion"] = pd.Series(suggestions, index=out.index, dtype="object")
    ok = out["status"] == OK
    out["item"] = None
    out.loc[ok, "item"] = out.loc[ok, "dimension"] + "=" + out.loc[ok, "value"]
    out.loc[ok & out.duplicated(["product_id", "item"], keep="first"), "status"] = REPEATED
    out = _single_valued(out, taxonomy)
    if unknown == "raise":
        bad = out[out["status"].isin(NOT_RESOLVED)]
        if len(bad):
            health = tag_health(out, None, taxonomy)
            health = health[health["problem"].isin(NOT_RESOLVED)]
            raise UnknownTagError([_describe(r) for r in health.itertuples()])
    return out[RESOLVED_COLUMNS].reset_index(drop=True)


MAX_SUGGESTIONS = 2000


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


def _single_valued(out: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Keep one value per single-valued dimension; values on one parent chain are one value."""
    single = {d.name for d in taxonomy.dimensions if not d.multi}
    ok = out[(out["status"] == OK) & out["dimension"].isin(single)]
    several = ok.groupby(["product_id", "dimension"])["item"].transform("size") > 1
    for (_, dimension), rows in ok[several].groupby(["product_id", "dimension"], sort=False):
        items = list(rows["item"])
        # the deepest item whose ancestors include every other item wins; otherwise the first given
        chain = [i for i in items if set(items) - {i} <= set(taxonomy.ancestors(i))]
        kept = chain[0] if chain else items[0]
        if chain:
            continue
        extra = rows.index[rows["item"] != kept]
        out.loc[extra, "status"] = EXTRA
        out.loc[extra, "suggestion"] = f"kept {kept} (dimension {dimension!r} takes one value)"
    return out


def _describe(row) -> str:
    where = f"{row.dimension}: " if isinstance(row.dimension, str) and row.dimension else ""
    hint = f"; did you mean {row.suggestion}?" if isinstance(row.suggestion, str) and row.suggestion else ""
    return (f"{where}{row.raw_value!r} is {row.problem} ({row.n_products} product(s), e.g. "
            f"{row.example_products}){hint}")


def tag_health(resolved: pd.DataFrame, products: pd.DataFrame | None, taxonomy: Taxonomy) -> pd.DataFrame:
    """Every tag problem, largest first: unknown and ambiguous values (with their count, example
    products and the closest canonical value), unknown dimensions, products missing a required
    dimension, and single-valued dimensions given several values."""
    bad = resolved[resolved["status"].isin(NOT_RESOLVED + (EXTRA,))].copy()
    bad["dimension"] = bad["dimension"].where(bad["dimension"].notna(), bad["raw_dimension"]).fillna("")
    bad["product_id"] = bad["product_id"].astype(str)
    keys = ["status", "dimension", "raw_value"]
    unresolved = bad[bad["status"] != EXTRA]
    rows = []
    if len(unresolved):  # grouped at once: a catalogue may hold hundreds of thousands of unknown values
        grouped = unresolved.groupby(keys, sort=False)
        table = grouped.agg(n_products=("product_id", "nunique"), n_tags=("product_id", "size"),
                            suggestion=("suggestion", "first")).reset_index()
        ids = unresolved[keys + ["product_id"]].drop_duplicates().sort_values(keys + ["product_id"], kind="stable")
        ids = ids[ids.groupby(keys, sort=False).cumcount() < _EXAMPLES]
        examples = ids.groupby(keys, sort=False)["product_id"].agg(", ".join).rename("example_products")
        table = table.merge(examples.reset_index(), on=keys, how="left")
        more = table["n_products"] - _EXAMPLES
        table["example_products"] = table["example_products"] + more.map(lambda n: f" (+{n} more)" if n > 0 else "")
        rows = table.rename(columns={"status": "problem"}).to_dict("records")
    extra = bad[bad["status"] == EXTRA]
    for dimension, group in extra.groupby("dimension", sort=False):
        rows.append({"problem": EXTRA, "dimension": dimension, "raw_value": "",
                     "n_products": group["product_id"].nunique(), "n_tags": len(group),
                     "example_products": _examples(group["product_id"]),
                     "suggestion": "the first value given is kept; fix the others"})
    if products is not None:
        missing = missing_required(resolved, products, taxonomy)
        for dimension in [d.name for d in taxonomy.dimensions if d.required]:
            lacking = missing[missing["missing"].str.split(", ").map(lambda m, d=dimension: d in m)]
            if len(lacking):
                rows.append({"problem": "missing required", "dimension": dimension, "raw_value": "",
                             "n_products": len(lacking), "n_tags": 0,
                             "example_products": _examples(lacking["product_id"]),
                             "suggestion": "tag these products (a required dimension)"})
    health = pd.DataFrame(rows, columns=HEALTH_COLUMNS)
    health["raw_value"] = health["raw_value"].map(_shorten)
    health = health.assign(_order=health["problem"].map(_PROBLEM_ORDER))
    health = health.sort_values(["_order", "n_products", "dimension", "raw_value"],
                                ascending=[True, False, True, True], kind="stable")
    return health.drop(columns="_order").reset_index(drop=True)


def _shorten(text: str, limit: int = 100) -> str:
    """A raw value short enough to read in a table (a pasted description can be thousands of characters)."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _examples(ids: pd.Series) -> str:
    unique = sorted(ids.astype(str).unique())
    text = ", ".join(unique[:_EXAMPLES])
    return text + (f" (+{len(unique) - _EXAMPLES} more)" if len(unique) > _EXAMPLES else "")


def missing_required(resolved: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Products without a usable value in one or more required dimensions."""
    required = [d.name for d in taxonomy.dimensions if d.required]
    usable = resolved[resolved["status"].isin(USABLE)]
    have = usable.groupby("product_id")["dimension"].agg(set)
    rows = []
    for product in products["product_id"].astype(str):
        lacking = [d for d in required if d not in have.get(product, set())]
        if lacking:
            rows.append((product, ", ".join(lacking)))
    out = pd.DataFrame(rows, columns=["product_id", "missing"])
    keep = [c for c in ("name", "launch_season", "source") if c in products.columns]
    return out.merge(products[["product_id", *keep]].astype({"product_id": str}), on="product_id", how="left")[
        ["product_id", *keep, "missing"]]


def tag_coverage(resolved: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Per dimension: how many products carry a usable value, and how many raw tags failed."""
    n = products["product_id"].nunique()
    usable = resolved[resolved["status"].isin(USABLE)]
    failed = resolved[resolved["status"].isin(NOT_RESOLVED)]
    rows = []
    for d in taxonomy.dimensions:
        mine = usable[usable["dimension"] == d.name]
        unmatched = set(failed.loc[failed["dimension"] == d.name, "product_id"]) - set(mine["product_id"])
        rows.append({
            "dimension": d.name, "label": d.label, "required": d.required, "multi": d.multi,
            "n_products": n, "n_tagged": mine["product_id"].nunique(),
            "coverage": round(mine["product_id"].nunique() / n, 4) if n else 0.0,
            "n_values_used": mine["value"].nunique(), "n_values_defined": len(d.values),
            "n_unresolved_tags": int((failed["dimension"] == d.name).sum()),
            "n_only_unresolved": len(unmatched),
        })
    return pd.DataFrame(rows)


def value_counts(resolved: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Products per canonical value, in taxonomy order within each dimension."""
    usable = resolved[resolved["status"].isin(USABLE)]
    counts = usable.groupby("item")["product_id"].nunique()
    frame = taxonomy.to_frame()[["item", "dimension", "dimension_label", "value"]]
    frame["n_products"] = frame["item"].map(counts).fillna(0).astype("int64")
    per_dimension = usable.groupby("dimension")["product_id"].nunique()
    frame["share"] = (frame["n_products"] / frame["dimension"].map(per_dimension)).fillna(0.0).round(4)
    return frame


def tag_values(resolved: pd.DataFrame, dimension: str) -> pd.Series:
    """Each product's value in one dimension (the first kept one), indexed by product_id."""
    usable = resolved[resolved["status"].isin(USABLE) & (resolved["dimension"] == dimension)]
    return usable.groupby("product_id", sort=False)["value"].first().rename(dimension)
