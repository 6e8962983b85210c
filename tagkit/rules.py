"""Class association rules ``tag set => hit``: how much more likely a product with the tags is to
be a hit, whether that is more than chance, and which tags mark hits rather than being common.

For each tag set X held by at least ``min_hits`` hits:

- ``n_products``: products (product-season rows) with X; ``n_hits``: hits among them;
- ``support`` = n_hits / N; ``confidence`` (the hit rate) = n_hits / n_products;
- ``lift`` = confidence / base hit rate; ``leverage`` = support - P(X) P(hit);
  ``conviction`` = (1 - P(hit)) / (1 - confidence);
- ``p_value``: one-sided Fisher's exact test that hits are over-represented among products with X
  (the hypergeometric upper tail); ``q_value``: Benjamini-Hochberg over every rule mined.

Every mined rule is returned with a ``status``, the first that applies:

- ``low lift``: lift below ``min_lift``;
- ``not significant``: q-value above ``max_q``;
- ``redundant``: a more general rule (a subset of its tags) has at least its hit rate, as in
  R arules' ``is.redundant``;
- ``no better than its parts``: some tag of the set does not raise the hit rate significantly
  over the rule without it (Webb's *productive rules*: a one-sided Fisher test among the products
  of the more general tag set; ``q_improvement`` is its Benjamini-Hochberg q-value, compared with
  ``max_q``). This keeps ``outerwear & check`` and drops ``outerwear & check & pockets`` when
  pockets add nothing but noise;
- ``kept``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tagkit._checks import Number, Share, Whole, check_engine, check_frame, did_you_mean, validate_params
from tagkit._fisher import upper_tail
from tagkit.errors import ParameterError
from tagkit.language import translate as _
from tagkit.mining import as_tuples, count_itemsets, frequent_hit_itemsets, pack_columns, set_sizes
from tagkit.taxonomy import Taxonomy
from tagkit.vocabulary import KEPT, LOW_LIFT, MAX_TAG_SET_SIZE, MINING_ENGINES, NOT_SIGNIFICANT, REDUNDANT, UNPRODUCTIVE
from tagkit.vocabulary import RULE_STATUSES as STATUSES

RULE_COLUMNS = [
    "rule",
    "size",
    "n_products",
    "n_hits",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "p_value",
    "q_value",
    "q_improvement",
    "status",
    "items",
]


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def _measures(n_products, n_hits, n_rows: int, n_hit_rows: int) -> dict[str, np.ndarray]:
    n_products = np.asarray(n_products, dtype=np.int64)
    n_hits = np.asarray(n_hits, dtype=np.int64)
    base = n_hit_rows / n_rows
    confidence = n_hits / np.maximum(n_products, 1)
    with np.errstate(divide="ignore"):
        conviction = np.where(confidence < 1, (1 - base) / (1 - np.minimum(confidence, 1 - 1e-300)), np.inf)
    return {
        "n_products": n_products,
        "n_hits": n_hits,
        "support": n_hits / n_rows,
        "confidence": confidence,
        "lift": confidence / base if base > 0 else np.full(len(n_hits), np.nan),
        "leverage": n_hits / n_rows - (n_products / n_rows) * base,
        "conviction": conviction,
        "p_value": upper_tail(n_hits, n_rows, n_hit_rows, n_products),
    }


def rule_statistics(n_products, n_hits, n_rows: int, n_hit_rows: int) -> pd.DataFrame:
    """The measures of rules X => hit from their counts (vectorised)."""
    return pd.DataFrame(_measures(n_products, n_hits, n_rows, n_hit_rows))


def tag_exclusions(columns: list[str], taxonomy: Taxonomy | None) -> np.ndarray:
    """Pairs of tags that never make a useful tag set: a tag and its parent, two values of one
    single-valued dimension."""
    n = len(columns)
    exclude = np.zeros((n, n), dtype=bool)
    if taxonomy is None:
        return exclude
    position = {c: i for i, c in enumerate(columns)}
    known = set(taxonomy.items)
    single = {d.name for d in taxonomy.dimensions if not d.multi}
    dims = [c.split("=", 1)[0] for c in columns]
    for i, c in enumerate(columns):
        if c in known:
            for ancestor in taxonomy.ancestors(c):
                if ancestor in position:
                    exclude[i, position[ancestor]] = exclude[position[ancestor], i] = True
    dims = np.array(dims)
    for d in single:
        idx = np.flatnonzero(dims == d)
        exclude[np.ix_(idx, idx)] = True
    np.fill_diagonal(exclude, False)
    return exclude


@validate_params(
    min_hits=Whole(1),
    max_size=Whole(1, MAX_TAG_SET_SIZE),
    min_support=Share(closed_low=True),
    min_lift=Number(0),
    max_q=Share(),
)
def mine_hit_rules(
    matrix: pd.DataFrame,
    hits,
    *,
    min_hits: int = 5,
    min_support: float = 0.0,
    max_size: int = 3,
    min_lift: float = 1.0,
    max_q: float = 0.05,
    taxonomy: Taxonomy | None = None,
    engine: str | None = None,
    spark=None,
    kept_only: bool = False,
) -> pd.DataFrame:
    """Every rule ``tag set => hit`` whose tag set is held by at least ``min_hits`` hits (and
    ``min_support`` of all rows), with its measures and status; kept rules first, by lift.

    ``matrix`` is a boolean product x tag DataFrame (one row per product and season; sparse
    columns are fine), ``hits`` says which rows are hits. With ``taxonomy``, a tag and its parent,
    or two values of a single-valued dimension, never stand in one tag set. With ``kept_only``, only the
    kept rules, the same rows as the kept rules of the whole table (their q-values are still over every rule
    mined), in less time: the others are never named (a hold-out or a backtest mines a season at a time and
    needs the kept rules only).
    """
    owner = "mine_hit_rules"
    engine = check_engine(engine, spark, owner=owner, choices=MINING_ENGINES, default="tagkit")
    hits = np.asarray(hits, dtype=bool)
    if len(hits) != len(matrix):
        raise ParameterError(f"{owner}: 'hits' has {len(hits)} rows but the matrix has {len(matrix)}.")
    n_rows, n_hit_rows = len(matrix), int(hits.sum())
    if n_hit_rows == 0 or n_hit_rows == n_rows:
        raise ParameterError(
            f"{owner}: {n_hit_rows} of {n_rows} rows are hits; rules need both hits and other "
            "products. Check the season and the hit labelling."
        )
    columns = [str(c) for c in matrix.columns]
    threshold = max(min_hits, math.ceil(min_support * n_rows - 1e-9))
    sets, n_hits, n_products = frequent_hit_itemsets(
        matrix,
        hits,
        min_hits=threshold,
        max_size=max_size,
        exclude=tag_exclusions(columns, taxonomy),
        engine=engine,
        spark=spark,
        as_array=True,
    )
    # the columns as arrays, made into a table once, in its final order (a table of a few hundred rules built
    # column by column cost more than the search at 100,000 products)
    table = _measures(n_products, n_hits, n_rows, n_hit_rows)
    table["size"] = set_sizes(sets)
    table["q_value"] = benjamini_hochberg(table["p_value"])
    subsets = _direct_subsets(sets)
    table["q_improvement"] = _improvement(table, subsets)
    status = _status(table, min_lift, max_q, subsets)
    if kept_only:
        chosen = np.flatnonzero(status == KEPT)
        table = {key: values[chosen] for key, values in table.items()}
        sets, status = sets[chosen], status[chosen]
    name = columns.__getitem__  # map() over it: tens of thousands of tag sets per call, a hold-out mines eight times
    itemsets = as_tuples(sets)
    table["rule"] = [" & ".join(map(name, items)) for items in itemsets]
    table["items"] = [tuple(map(name, items)) for items in itemsets]
    table["status"] = status.tolist()
    rules = pd.DataFrame(table, columns=RULE_COLUMNS)
    order = _order(rules)
    rules = rules.take(order).reset_index(drop=True)
    rules.attrs.update(
        n_rows=n_rows,
        n_hits=n_hit_rows,
        base_rate=n_hit_rows / n_rows,
        min_hits=threshold,
        max_size=max_size,
        min_lift=min_lift,
        max_q=max_q,
    )
    return rules


_KEY_LIMIT = 2**62  # a set's key (its items as digits) must fit in int64


def _direct_subsets(sets: np.ndarray) -> np.ndarray:
    """For each tag set (a row of a set array: column positions, then -1), the row of each set with one of its
    tags left out: an (n, largest size) array, -1 where there is none (past a set's size, or a single tag).
    Every such subset was mined too (a subset has at least the hits of its set, and no excluded pair). Found by
    integer keys, one sorted search per left-out tag; sets too wide for a 63-bit key by a dictionary of
    frozensets."""
    n, width = sets.shape
    out = np.full((n, max(width, 1)), -1, dtype=np.int64)
    if n == 0 or width < 2:
        return out
    sizes = set_sizes(sets)
    base = int(sets.max()) + 2  # item + 1 in each digit, 0 for none
    if base**width >= _KEY_LIMIT:
        itemsets = as_tuples(sets)
        index = {frozenset(items): k for k, items in enumerate(itemsets)}
        for k, items in enumerate(itemsets):
            if len(items) > 1:
                out[k, : len(items)] = [index[frozenset(items[:q] + items[q + 1 :])] for q in range(len(items))]
        return out
    digits = sets + 1
    powers = base ** np.arange(width, dtype=np.int64)
    keys = digits @ powers  # each set's key: its sorted items as digits
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    for q in range(width):  # leave out the q-th item: the digits after it move down one place
        has = (sizes > q) & (sizes > 1)  # a q-th item, and at least two items
        sub = (digits[:, :q] @ powers[:q] + digits[:, q + 1 :] @ powers[q : width - 1])[has]
        found = np.minimum(np.searchsorted(sorted_keys, sub), n - 1)
        if not np.array_equal(sorted_keys[found], sub):  # cannot happen: every subset of a mined set is mined
            raise AssertionError("_direct_subsets: a subset of a mined tag set is not among the mined sets")
        out[has, q] = order[found]
    return out


def _improvement(stats: dict[str, np.ndarray], subsets: np.ndarray) -> np.ndarray:
    """q-value of the weakest tag of each set: does adding it to the rest raise the hit rate?"""
    n_products = stats["n_products"]
    n_hits = stats["n_hits"]
    worst = stats["p_value"].copy()  # a single tag improves on the empty rule: its own test
    rows, columns = np.nonzero(subsets >= 0)
    general = subsets[rows, columns]
    if len(rows):
        # among the products of the general set, are hits over-represented among those with the extra tag?
        p = upper_tail(n_hits[rows], n_products[general], n_hits[general], n_products[rows])
        weakest = np.full(len(worst), -np.inf)
        np.maximum.at(weakest, rows, p)
        multi = np.isfinite(weakest)
        worst[multi] = weakest[multi]
    return benjamini_hochberg(worst)


def _status(stats: dict[str, np.ndarray], min_lift: float, max_q: float, subsets: np.ndarray) -> np.ndarray:
    confidence = stats["confidence"]
    # the highest confidence among all proper subsets, built up one size at a time
    best = np.full(len(confidence), -1.0)
    sizes = np.maximum((subsets >= 0).sum(axis=1), 1)
    for size in range(2, subsets.shape[1] + 1):
        rows = np.flatnonzero(sizes == size)
        direct = subsets[rows, :size]
        best[rows] = np.maximum(confidence[direct], best[direct]).max(axis=1)
    lift, q, qi = stats["lift"], stats["q_value"], stats["q_improvement"]
    return np.select(
        [lift < min_lift, q > max_q, best >= confidence - 1e-12, qi > max_q],
        [LOW_LIFT, NOT_SIGNIFICANT, REDUNDANT, UNPRODUCTIVE],
        default=KEPT,
    )


def _order(rules: pd.DataFrame) -> np.ndarray:
    """The rows in order: kept rules first (the order of STATUSES), then by lift and hits (highest first), then
    by rule."""
    by_rule = np.empty(len(rules), dtype=np.int64)
    by_rule[rules["rule"].argsort(kind="stable").to_numpy()] = np.arange(len(rules))  # Arrow's sort, not Python's
    rank = pd.Categorical(rules["status"], categories=STATUSES).codes  # vectorised (a loop over Arrow strings is slow)
    return np.lexsort(
        (
            by_rule,
            -rules["n_hits"].to_numpy(dtype=np.float64),
            -rules["lift"].to_numpy(dtype=np.float64),
            rank,
        )
    )


def status_counts(rules: pd.DataFrame) -> pd.DataFrame:
    """How many mined rules were kept, and why the others were not."""
    check_frame(rules, "rules", name="rules", owner="status_counts", source="mine_hit_rules")
    counts = rules["status"].value_counts()
    return pd.DataFrame({"status": STATUSES, "rules": [int(counts.get(s, 0)) for s in STATUSES]})


def describe_rules(rules: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.Series:
    """Each rule in words, in the page's language: 'midi-dress + earth-tone + linen were hits 4.1× as often as the average
    product: 23 of 61, q = 0.002'."""
    check_frame(rules, "rules", name="rules", owner="describe_rules", source="mine_hit_rules")

    known = set(taxonomy.dimension_names) if taxonomy is not None else set()
    words: dict[str, str] = {}  # each distinct tag looked up once (tens of thousands of rules share a few hundred)

    def label(item: str) -> str:
        if item not in words:
            dimension, value = item.split("=", 1)
            words[item] = taxonomy.value_words(dimension, value) if dimension in known else value
        return words[item]

    def q_text(q: float) -> str:
        return "q < 0.001" if q < 0.001 else f"q = {q:.3f}"

    said = _("{tags} were hits {lift} as often as the average product: {hits} of {products}, {q}")
    return pd.Series(
        [
            said.format(
                tags=" + ".join(label(i) for i in items),
                lift=f"{lift:.1f}×",
                hits=f"{hits:,}",
                products=f"{n:,}",
                q=q_text(q),
            )
            for items, lift, hits, n, q in zip(
                rules["items"], rules["lift"], rules["n_hits"], rules["n_products"], rules["q_value"]
            )
        ],
        index=rules.index,
        name="reading",
        dtype="object",
    )


def rule_findings(rules: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.Series:
    """The finding each rule belongs to: its tag set with every tag raised to the top of its hierarchy in the
    taxonomy ('trench-coat + check', 'coat + check' and 'jacket + check' are all 'outerwear + check'), as the
    sorted items joined by ' & '. Without a taxonomy each rule is its own finding."""
    check_frame(rules, "rules", name="rules", owner="rule_findings", source="mine_hit_rules")

    def top(item: str) -> str:
        if taxonomy is None or "=" not in item or item.split("=", 1)[0] not in taxonomy.dimension_names:
            return item
        try:
            return ([item, *taxonomy.ancestors(item)])[-1]
        except KeyError:  # a tag the taxonomy does not hold
            return item

    return pd.Series(
        [" & ".join(sorted({top(i) for i in items})) for items in rules["items"]],
        index=rules.index,
        name="finding",
        dtype="object",
    )


def rule_products(
    rule: str, matrix: pd.DataFrame, hits, products: pd.DataFrame | None = None, *, labels: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The products behind a rule: every ranked row (:func:`tagkit.hits.ranked_rows`) carrying its tag set
    ('category=coat & pattern=check'), with its name (and picture address) when ``products`` has one, the season,
    its units sold in that season when ``labels`` (:func:`tagkit.label_hits`) are given, and whether it was a
    hit; hits first. The counts of the rule are this table's rows and hits."""
    hits = np.asarray(hits, dtype=bool)
    if len(hits) != len(matrix):
        raise ParameterError(f"rule_products: 'hits' has {len(hits)} rows but the matrix has {len(matrix)}.")
    items = [i.strip() for i in str(rule).split(" & ") if i.strip()]
    unknown = [i for i in items if i not in matrix.columns]
    if not items or unknown:
        raise ParameterError(
            f"The 'rule' parameter of rule_products must be tags of the matrix joined by ' & ' (as the rules' "
            f"'rule' column). Got {rule!r}; not in the matrix: {', '.join(unknown) or 'no tag'}."
            f"{did_you_mean(unknown[0], [str(c) for c in matrix.columns]) if unknown else ''}"
        )
    carries = matrix[items].to_numpy(dtype=bool).all(axis=1)
    index = matrix.index[carries]
    out = pd.DataFrame(
        {
            "product_id": index.get_level_values("product_id") if "product_id" in (index.names or []) else index,
            "season": index.get_level_values("season") if "season" in (index.names or []) else "",
            "hit": hits[carries],
        }
    )
    if products is not None and "name" in products.columns:
        names = products.drop_duplicates("product_id").set_index("product_id")["name"]
        out.insert(1, "name", out["product_id"].map(names).fillna(""))
    if labels is not None and {"product_id", "season", "units"} <= set(labels.columns):
        units = labels.drop_duplicates(["product_id", "season"]).set_index(["product_id", "season"])["units"]
        keys = pd.MultiIndex.from_arrays([out["product_id"].astype(str), out["season"].astype(str)])
        out.insert(out.columns.get_loc("hit"), "units", units.reindex(keys).to_numpy())
    if products is not None and "image" in products.columns and products["image"].fillna("").ne("").any():
        images = products.drop_duplicates("product_id").set_index("product_id")["image"]
        out["image"] = out["product_id"].map(images).fillna("")
    return out.sort_values(["hit", "season", "product_id"], ascending=[False, False, True], kind="stable").reset_index(
        drop=True
    )


def score_rules(rules: pd.DataFrame, matrix: pd.DataFrame, hits) -> pd.DataFrame:
    """The given rules' counts and measures on other data (e.g. the next season): n_products, n_hits,
    hit rate, lift against that data's base rate, p-value."""
    check_frame(rules, "rules", name="rules", owner="score_rules", source="mine_hit_rules")
    hits = np.asarray(hits, dtype=bool)
    position = {str(c): i for i, c in enumerate(matrix.columns)}
    itemsets = [tuple(position[i] for i in items) for items in rules["items"]]
    n_products = count_itemsets(pack_columns(matrix), itemsets)
    n_hits = (
        count_itemsets(pack_columns(matrix.iloc[np.flatnonzero(hits)]), itemsets)
        if hits.any()
        else np.zeros(len(itemsets), dtype=np.int64)
    )
    stats = rule_statistics(n_products, n_hits, len(matrix), int(hits.sum()))
    return pd.DataFrame(
        {
            "rule": rules["rule"].values,
            "n_products": n_products,
            "n_hits": n_hits,
            "confidence": stats["confidence"].values,
            "lift": stats["lift"].values,
            "p_value": stats["p_value"].values,
        },
        index=rules.index,
    )


def common_tags(
    matrix: pd.DataFrame,
    hits,
    *,
    competitors: pd.DataFrame | None = None,
    max_size: int = 1,
    min_hits: int = 5,
    max_q: float = 0.05,
    min_lift: float = 1.0,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """The tags (and tag sets up to ``max_size``) common among hits, against their share in the whole
    catalogue and among competitor best sellers, so that tags merely common everywhere (black) are
    told apart from tags that mark hits.

    ``verdict``: ``marks hits`` (lift >= min_lift and q <= max_q), ``common everywhere`` (held by at
    least 20% of hits without marking them), or empty.
    """
    rules = mine_hit_rules(
        matrix, hits, min_hits=min_hits, max_size=max_size, min_lift=0.0, max_q=1.0, taxonomy=taxonomy
    )
    n_hit_rows = int(np.asarray(hits, dtype=bool).sum())
    out = pd.DataFrame(
        {
            "tags": rules["rule"],
            "size": rules["size"],
            "share_of_hits": rules["n_hits"] / n_hit_rows,
            "share_of_catalogue": rules["n_products"] / len(matrix),
            "lift": rules["lift"],
            "q_value": rules["q_value"],
            "n_hits": rules["n_hits"],
            "n_products": rules["n_products"],
            "items": rules["items"],
        }
    )
    if competitors is not None and len(competitors):
        position = {str(c): i for i, c in enumerate(competitors.columns)}
        counts = count_itemsets(
            pack_columns(competitors), [tuple(position[i] for i in items) for items in out["items"]]
        )
        out.insert(4, "share_of_competitor_bestsellers", counts / len(competitors))
    marks = (out["lift"] >= min_lift) & (out["q_value"] <= max_q)
    out["verdict"] = np.where(marks, "marks hits", np.where(out["share_of_hits"] >= 0.2, "common everywhere", ""))
    out = out.sort_values(["share_of_hits", "lift", "tags"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)


def lift_table(matrix: pd.DataFrame, hits, rows: str, columns: str, *, min_products: int = 10) -> pd.DataFrame:
    """The lift of every pair of values of two dimensions (``rows`` x ``columns``): products with both,
    hits among them, lift against the base rate (empty below ``min_products`` products)."""
    names = [str(c) for c in matrix.columns]
    a_cols = [i for i, c in enumerate(names) if c.split("=", 1)[0] == rows]
    b_cols = [i for i, c in enumerate(names) if c.split("=", 1)[0] == columns]
    if not a_cols or not b_cols:
        missing = rows if not a_cols else columns
        raise ParameterError(f"lift_table: no tag column of dimension {missing!r} in the matrix.")
    hits = np.asarray(hits, dtype=bool)
    a_values, b_values = _dense(matrix.iloc[:, a_cols]), _dense(matrix.iloc[:, b_cols])
    n = a_values.T @ b_values
    h = a_values[hits].T @ b_values[hits]
    base = hits.mean()
    out = pd.DataFrame(
        [
            (names[a].split("=", 1)[1], names[b].split("=", 1)[1], int(n[i, j]), int(h[i, j]))
            for i, a in enumerate(a_cols)
            for j, b in enumerate(b_cols)
        ],
        columns=[rows, columns, "n_products", "n_hits"],
    )
    out["lift"] = np.where(
        out["n_products"] >= min_products, out["n_hits"] / out["n_products"].clip(lower=1) / base, np.nan
    )
    return out


def _dense(columns: pd.DataFrame) -> np.ndarray:
    if any(isinstance(d, pd.SparseDtype) for d in columns.dtypes):
        columns = columns.sparse.to_dense()
    return columns.to_numpy(dtype=np.float32)


def heatmap_dimensions(
    matrix: pd.DataFrame,
    hits,
    taxonomy: Taxonomy,
    *,
    rows: str = "",
    columns: str = "",
    min_products: int = 10,
    max_values: int = 40,
) -> tuple[str, str] | None:
    """The two dimensions whose values tell hits from the rest best, for the lift heatmap: each dimension is
    scored by how far the hit rates of its values (those with at least ``min_products`` products) spread
    around the average, weighted by their products (a chi-square per product). Dimensions with more than
    ``max_values`` such values would not make a readable heatmap and are passed over. ``rows`` and
    ``columns``, when given, are kept and only the other is chosen. None when fewer than two dimensions
    qualify."""
    if rows and columns:
        return rows, columns
    hits = np.asarray(hits, dtype=bool)
    n_rows, base = len(matrix), hits.mean() if len(hits) else 0.0
    if not 0 < base < 1:
        return None
    names = [str(c) for c in matrix.columns]
    scores = {}
    for dimension in taxonomy.dimension_names:
        cols = [i for i, c in enumerate(names) if c.split("=", 1)[0] == dimension]
        if not cols:
            continue
        values = _dense(matrix.iloc[:, cols])
        n, h = values.sum(axis=0), values[hits].sum(axis=0)
        keep = n >= min_products
        if not 2 <= keep.sum() <= max_values:
            continue
        rate = h[keep] / n[keep]
        scores[dimension] = float((n[keep] * (rate - base) ** 2).sum() / (n_rows * base * (1 - base)))
    best = iter(
        d
        for d in sorted(scores, key=lambda d: (-scores[d], taxonomy.dimension_names.index(d)))
        if d not in (rows, columns)
    )
    first = rows or next(best, "")
    second = columns or next(best, "")
    return (first, second) if first and second else None


def rule_membership(matrix: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Which rows carry which rule's tag set: a boolean table, one column per rule."""
    check_frame(rules, "rules", name="rules", owner="rule_membership", source="mine_hit_rules")
    position = {str(c): i for i, c in enumerate(matrix.columns)}
    values = matrix.to_numpy(dtype=bool)
    columns = {r.rule: values[:, [position[i] for i in r.items]].all(axis=1) for r in rules.itertuples()}
    return pd.DataFrame(columns, index=matrix.index, dtype=bool)
