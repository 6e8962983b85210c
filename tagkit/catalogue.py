"""A raw catalogue table in, products and raw tags out, in any of three shapes.

- ``wide``: one or more columns per dimension (e.g. product group and product type); a cell may hold
  several values separated by , ; | 、 ， (``separators`` sets them per column, or none)
- ``long``: rows of ``product_id, dimension, value``;
- ``tag_string``: one delimited tag string per product (as in a Shopify export's ``Tags``):
  items are ``dimension:value`` or bare values.

Every cell that cannot be used is written to ``Catalogue.problems`` with its row, column, what
was found and what was done about it; nothing is dropped silently. Placeholder values such as
``Unknown`` or ``未知`` are missing values (counted in ``Catalogue.placeholders``), never tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tagkit._arrays import ragged_take, text_from_codes
from tagkit._checks import Choice, Whole, check_date_format, did_you_mean, validate_params
from tagkit.errors import InputError
from tagkit.extract import EXTRACTED_COLUMNS, WORD_COLUMNS, given_dimensions, read_text_tags
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.taxonomy import PLACEHOLDERS, VALUE_SEPARATORS, Taxonomy, tag_key, value_key
from tagkit.vocabulary import CATALOGUE_ROLES, TEXT_AMBIGUOUS, TEXT_READ

SHAPES = ("auto", "wide", "long", "tag_string")
SOURCES = ("own", "competitor", "market")
ROLES = CATALOGUE_ROLES

# tagkit's field -> spellings recognised in a header without any mapping
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "product_id": (
        "product_id",
        "product id",
        "productid",
        "sku",
        "id",
        "item_id",
        "style_id",
        "style",
        "article_id",
        "variant_sku",
        "handle",
        "product_code",
        "item_code",
        "商品id",
        "商品编号",
        "款号",
        "货号",
    ),
    "name": ("name", "title", "product_name", "product name", "prod_name", "商品名称", "标题", "名称"),
    "price": ("price", "unit_price", "retail_price", "售价", "价格", "吊牌价"),
    "launch_date": ("launch_date", "launch date", "release_date", "launched", "上市日期", "上新日期"),
    "launch_season": ("launch_season", "season", "launch season", "上市季节", "季度", "季节"),
    "source": ("source", "来源"),
    "role": ("role", "product_role", "角色"),
    "stock": ("stock", "inventory", "stock_units", "库存"),
    "rank": ("rank", "bestseller_rank", "sales_rank", "排名", "销量排名"),
    "tags": ("tags", "tag", "tag_string", "标签"),
    "dimension": ("dimension", "tag_dimension", "维度"),
    "value": ("value", "tag_value", "标签值"),
    "category": ("category", "品类", "类目"),
    "image": ("image", "image_src", "image src", "image_url", "image url", "picture", "主图", "图片", "商品图片"),
}
ATTRIBUTES = ("name", "price", "launch_date", "launch_season", "source", "role", "stock", "rank", "category", "image")
_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>`]+", re.IGNORECASE)
_UNIT = re.compile(r"\s*[(\[（【][^)\]）】]*[)\]）】]\s*$")
_SPLIT = re.compile("[" + re.escape(VALUE_SEPARATORS) + "]")
_DIMENSION_VALUE = re.compile(r"^\s*([^:：=]+?)\s*[:：=]\s*(.*)$")
_ROLE_ALIASES = {
    tag_key(a): r
    for r, aliases in {
        "core": ("core", "regular", "常规", "常规款", "hit bet", "hit-bet"),
        "image": ("image", "image product", "brand image", "形象款", "形象"),
    }.items()
    for a in aliases
}
_SOURCE_ALIASES = {
    tag_key(a): s
    for s, aliases in {
        "own": ("own", "brand", "ours", "自有", "本品牌"),
        "competitor": ("competitor", "competition", "竞品", "竞争对手"),
        "market": ("market", "marketplace", "市场", "大盘"),
    }.items()
    for a in aliases
}
DATE_FORMATS = ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
PROBLEM_COLUMNS = ["file", "row", "column", "found", "problem", "action"]
# The one definition of a sane number from a file, by field: finite and in range, or set aside with a reason
# (catalogue attributes here; aggregated sales and order lines in tagkit.io.sales use the same table).
NUMBER_RANGES = {
    "price": (0, 1e9),
    "stock": (0, 1e9),
    "rank": (1, 1e9),
    "units": (0, 1e9),
    "returns": (0, 1e9),
    "revenue": (-1e13, 1e13),
    "days_on_sale": (0, 400),
    "line_quantity": (-1e6, 1e6),
    "line_revenue": (-1e10, 1e10),
}
CATALOGUE_NUMBERS = ("price", "stock", "rank")
RAW_TAG_COLUMNS = ["product_id", "row", "column", "raw_dimension", "raw_value"]
SET_ASIDE = "row set aside"


@dataclass(frozen=True)
class Catalogue:
    """Products (one row each), their raw tags (one row per tag) and every problem met."""

    products: pd.DataFrame
    raw_tags: pd.DataFrame
    problems: pd.DataFrame
    file: str
    shape: str
    columns: dict = field(default_factory=dict)
    rows_read: int = 0
    placeholders: int = 0  # tag values and attribute cells read as missing (Unknown, n/a, 未知...)
    ids_padded: int = 0  # product ids given their leading zeros back (id_width)
    text_columns: tuple = ()  # the columns tags were read from (``text``)
    extracted: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXTRACTED_COLUMNS))
    text_words: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WORD_COLUMNS))

    @property
    def rows_set_aside(self) -> int:
        aside = self.problems[self.problems["action"] == SET_ASIDE]
        return int(aside["row"].nunique())

    def __repr__(self) -> str:
        return (
            f"Catalogue({self.file!r}, shape={self.shape!r}, {len(self.products)} products, "
            f"{len(self.raw_tags)} raw tags, {len(self.problems)} problems)"
        )


@validate_params(shape=Choice(SHAPES), default_source=Choice(SOURCES), id_width=Whole(1, 64))
def parse_catalogue(
    frame: pd.DataFrame,
    *,
    taxonomy: Taxonomy,
    calendar: SeasonCalendar = QUARTERS,
    shape: str = "auto",
    columns: dict | None = None,
    default_source: str = "own",
    date_format: str | None = None,
    file: str = "<table>",
    separators=None,
    placeholders=PLACEHOLDERS,
    id_width: int | None = None,
    text=None,
) -> Catalogue:
    """Turn a table of text cells (index = row numbers) into a :class:`Catalogue`.

    ``columns`` maps tagkit's names (``product_id``, ``name``, ``price``, ``launch_date``,
    ``launch_season``, ``source``, ``role``, ``stock``, ``rank``, ``tags``, ``dimension``,
    ``value``, or a dimension of the taxonomy: one column or a list) to the column names of the file.
    ``separators``: the characters that separate several values in one tag cell, for every column
    (a string; ``""`` for none) or per column (a mapping of column names; other columns keep the
    default ``, ; | 、 ，``). ``placeholders``: cell values that mean "no value". ``id_width``: product
    ids made only of digits get their leading zeros back up to this width (ids stored as numbers). ``text``: a
    column, or a list of columns in order of trust (``[Title, Body]``), whose text tags are read from
    (:mod:`tagkit.extract`); a tag column of the file wins over the text.
    """
    owner = "parse_catalogue"
    check_date_format(date_format, owner=owner)
    fields, dimension_columns = _resolve_columns(list(frame.columns), columns or {}, taxonomy, file)
    text_columns = _text_columns(text, list(frame.columns), file)
    shape = _decide_shape(shape, fields, dimension_columns, file, list(frame.columns), bool(text_columns))
    split = _splitters(separators, list(frame.columns), file)
    log = _ProblemLog(file)
    frame = frame.astype(str)
    # placeholders in the attribute columns are empty cells; in tag cells, each placeholder part is dropped
    placeholder = _Placeholders(placeholders)
    tag_columns = {c for cols in dimension_columns.values() for c in cols} | {fields.get("tags"), fields.get("value")}
    for column in (c for c in frame.columns if c not in tag_columns):
        frame[column] = placeholder.blank(frame[column])
    pid = frame[fields["product_id"]].str.strip()
    padded = 0
    if id_width:
        short = pid.str.fullmatch(r"\d+") & (pid.str.len() < id_width)
        padded = int(short.sum())
        pid = pid.where(~short, pid.str.zfill(id_width))
    missing_id = pid == ""
    for row in frame.index[missing_id]:
        log.add(row, fields["product_id"], "", "missing product_id", SET_ASIDE)
    frame, pid = frame[~missing_id], pid[~missing_id]

    if shape == "long":
        products, raw_tags = _long(frame, pid, fields, log, split, placeholder)
    else:
        duplicated = pid.duplicated(keep="first")
        first_row = pd.Series(pid.index, index=pid.values).groupby(level=0).first()
        for row, value in pid[duplicated].items():
            log.add(
                row, fields["product_id"], value, f"duplicate product_id (first on row {first_row[value]})", SET_ASIDE
            )
        frame, pid = frame[~duplicated], pid[~duplicated]
        products = _attributes(frame, pid, fields)
        raw_tags = _wide_and_string_tags(frame, pid, fields, dimension_columns, split, placeholder)
    from_text = {}
    if text_columns:
        extracted, text_words = read_text_tags(
            frame, pid, text_columns, taxonomy, given=given_dimensions(raw_tags, taxonomy)
        )
        raw_tags = _concat_tags([raw_tags, _text_raw_tags(extracted)])
        _log_ambiguous(extracted, log)
        from_text = {"text_columns": tuple(text_columns), "extracted": extracted, "text_words": text_words}

    products = _clean_attributes(products, fields, calendar, default_source, date_format, log)
    tag_columns = {c for cols in dimension_columns.values() for c in cols}
    extra = [c for c in frame.columns if c not in set(fields.values()) | tag_columns]
    if shape != "long" and extra:
        passthrough = frame[extra].set_axis(pid.values).groupby(level=0, sort=False).first()
        passthrough = passthrough.rename(columns={c: f"{c} (file)" for c in extra if c in products.columns})
        products = products.join(passthrough, on="product_id")
    return Catalogue(
        products=products.reset_index(drop=True),
        raw_tags=raw_tags.reset_index(drop=True),
        problems=log.frame(),
        file=file,
        shape=shape,
        columns={**fields, **{f"dimension {d}": ", ".join(c) for d, c in dimension_columns.items()}},
        rows_read=int(len(missing_id)),
        placeholders=placeholder.count,
        ids_padded=padded,
        **from_text,
    )


def _text_columns(text, header: list[str], file: str) -> list[str]:
    if text is None or text == []:
        return []
    chosen = [text] if isinstance(text, str) else list(text) if isinstance(text, (list, tuple)) else None
    if chosen is None or not all(isinstance(c, str) for c in chosen):
        raise InputError(f"{file}: text must name a column or a list of columns, such as [Title, Body]; got {text!r}.")
    missing = [c for c in chosen if c not in header]
    if missing:
        raise InputError(
            f"{file}: the text column {missing[0]!r} is not in the file; {_columns_are(missing[0], header)}"
        )
    return list(dict.fromkeys(chosen))


def _columns_are(column: str, header: list[str]) -> str:
    """The end of a message about a column that is not in the file: the file's columns, and the closest."""
    return f"its columns are {', '.join(map(repr, header))}.{did_you_mean(column, header)}"


def _text_raw_tags(extracted: pd.DataFrame) -> pd.DataFrame:
    """The tags read from text, as raw tags of their text column (the values are canonical already)."""
    read = extracted[["product_id", "row", "column", "dimension", "value"]][
        (extracted["status"] == TEXT_READ).to_numpy()
    ]
    return read.rename(columns={"dimension": "raw_dimension", "value": "raw_value"})


def _log_ambiguous(extracted: pd.DataFrame, log: _ProblemLog):
    """A single-valued dimension the text names twice, or words that could be two values: one problem per
    product and dimension, with the words found."""
    ambiguous = extracted[["row", "column", "dimension", "matched", "note"]][
        (extracted["status"] == TEXT_AMBIGUOUS).to_numpy()
    ]
    if ambiguous.empty:
        return
    grouped = ambiguous.groupby(["row", "dimension"], sort=True)
    words = grouped["matched"].agg(lambda m: ", ".join(dict.fromkeys(m)))
    first = grouped[["column", "note"]].first()
    for (row, dimension), found, column, note in zip(words.index, words, first["column"], first["note"]):
        log.add(row, column, found, note, f"no {dimension} read from the text")


class _ProblemLog:
    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def add(self, row, column, found, problem, action):
        self.rows.append(
            {
                "file": self.file,
                "row": int(row),
                "column": column,
                "found": str(found)[:200],
                "problem": problem,
                "action": action,
            }
        )

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)
        return out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)


def _resolve_columns(header: list[str], mapping: dict, taxonomy: Taxonomy, file: str):
    problems, fields, dimensions = [], {}, {}
    pairs = [
        (key, c) for key, value in mapping.items() for c in (value if isinstance(value, (list, tuple)) else [value])
    ]
    for key, column in pairs:
        column = str(column)
        if column not in header:
            problems.append(f"column {column!r} (given for {key!r}) is not in the file; {_columns_are(column, header)}")
            continue
        if key in FIELD_SYNONYMS and not (key == "category" and taxonomy.resolve_dimension(key) is not None):
            fields[key] = column
        elif taxonomy.resolve_dimension(key) is not None:
            dimensions.setdefault(taxonomy.resolve_dimension(key), []).append(column)
        else:
            allowed = list(FIELD_SYNONYMS) + list(taxonomy.dimension_names)
            problems.append(
                f"{key!r} in the column mapping is neither a tagkit field nor a dimension of the "
                f"taxonomy; allowed are {', '.join(allowed)}.{did_you_mean(key, allowed)}"
            )
    if problems:
        raise InputError(f"{file}: the column mapping does not fit the file:", problems)
    taken = set(fields.values()) | {c for cols in dimensions.values() for c in cols}
    mapped = set(dimensions)
    for column in header:
        if column in taken:
            continue
        key = tag_key(column)
        found = next(
            (
                f
                for f, names in FIELD_SYNONYMS.items()
                if f != "category" and f not in fields and key in {tag_key(n) for n in names}
            ),
            None,
        )
        if found:
            fields[found] = column
            continue
        dimension = taxonomy.resolve_dimension(column)
        if dimension is not None and dimension not in mapped:  # every column named after it (e.g. two levels)
            dimensions.setdefault(dimension, []).append(column)
        elif "category" not in fields and key in {tag_key(n) for n in FIELD_SYNONYMS["category"]}:
            fields["category"] = column
    if "product_id" not in fields:
        raise InputError(
            f"{file}: no product id column. Expected one named {', '.join(FIELD_SYNONYMS['product_id'][:5])}…, "
            f"or a column mapping such as columns: {{product_id: <your column>}}. The file's columns are "
            f"{', '.join(map(repr, header))}."
        )
    return fields, dimensions


def _decide_shape(shape: str, fields: dict, dimensions: dict, file: str, header: list[str], text: bool = False) -> str:
    has_long = "dimension" in fields and "value" in fields
    if shape == "auto":
        shape = "long" if has_long else "tag_string" if "tags" in fields else "wide"
    if shape == "long" and text:
        raise InputError(
            f"{file}: tags are read from text columns in a catalogue with one row per product (shape wide or "
            f"tag_string); this one has a row per tag (long)."
        )
    needs = {
        "long": (has_long, "'dimension' and 'value' columns"),
        "tag_string": ("tags" in fields, "a 'tags' column"),
        "wide": (
            bool(dimensions) or "tags" in fields or text,
            "at least one column named after a dimension of the taxonomy, or text columns to read tags from "
            "(text: [Title])",
        ),
    }[shape]
    if not needs[0]:
        raise InputError(
            f"{file}: a {shape!r} catalogue needs {needs[1]}; the file's columns are "
            f"{', '.join(map(repr, header))}. Map your column names with columns: {{...}}."
        )
    return shape


def _attributes(frame: pd.DataFrame, pid: pd.Series, fields: dict) -> pd.DataFrame:
    products = pd.DataFrame({"product_id": pid.values}, index=frame.index)
    for name in ATTRIBUTES:
        if name in fields:
            products[name] = frame[fields[name]].str.strip().values
    return products


def _splitters(separators, header: list[str], file: str) -> dict:
    """Per column, the compiled pattern that splits a cell (None: the cell is one value)."""

    def compile_(chars) -> re.Pattern | None:
        if not isinstance(chars, str):
            raise InputError(f"{file}: separators must be text such as ',;' (or \"\" for none); got {chars!r}.")
        return re.compile("[" + re.escape(chars) + "]") if chars else None

    if separators is None:
        return {"*": _SPLIT}
    if isinstance(separators, str):
        return {"*": compile_(separators)}
    if not isinstance(separators, dict):
        raise InputError(f"{file}: separators must be text, or a mapping of column names to text; got {separators!r}.")
    unknown = [c for c in separators if c not in header]
    if unknown:
        raise InputError(
            f"{file}: separators name the column {unknown[0]!r}, which is not in the file; "
            f"{_columns_are(str(unknown[0]), header)}"
        )
    out = {str(c): compile_(chars) for c, chars in separators.items()}
    out["*"] = _SPLIT
    return out


class _Placeholders:
    """Recognises cells that mean "no value" (on each distinct text once) and counts them."""

    def __init__(self, placeholders):
        self.keys = {tag_key(p) for p in placeholders or ()}
        self.count = 0

    def mask(self, values: pd.Series) -> pd.Series:
        if not self.keys or values.empty:
            return pd.Series(False, index=values.index)
        uniques = pd.Series(values.unique(), dtype="str")
        longest = 4 * max(len(k) for k in self.keys) + 8  # no placeholder is longer, spaces and all
        uniques = uniques[(uniques.str.len() <= longest).to_numpy()]
        # printable ASCII (ids, prices, most names) is matched at once: its key is its lower case without
        # spaces, '-' or '_'; any other text goes through tag_key
        plain = uniques.str.fullmatch(r"[\x20-\x7e]*")
        folded = uniques[plain].str.replace(r"[ \-_]+", "", regex=True).str.lower()
        found = folded.isin(self.keys) & (uniques[plain].str.strip() != "")
        other = uniques[~plain]
        hits = set(uniques[plain][found]) | set(other[other.map(self.is_one)])
        found = values.isin(hits) if hits else pd.Series(False, index=values.index)
        self.count += int(found.sum())
        return found

    def is_one(self, text: str) -> bool:
        return text.strip() != "" and tag_key(text) in self.keys

    def blank(self, values: pd.Series) -> pd.Series:
        return values.mask(self.mask(values), "")


def _split_cells(
    values: pd.Series, pattern: re.Pattern | None = _SPLIT, placeholder: _Placeholders | None = None
) -> pd.Series:
    """Each cell split on the separators; index repeated per part, empty parts (and placeholders) removed."""
    positions, ids, vocabulary = _split_codes(values, pattern, placeholder)
    return pd.Series(np.array(vocabulary or [""], dtype=object)[ids], index=values.index[positions], dtype=object)


def _split_codes(
    values: pd.Series, pattern: re.Pattern | None = _SPLIT, placeholder: _Placeholders | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The parts of every cell as codes into a vocabulary of distinct parts, and the position of the cell
    each part comes from; empty parts and placeholders removed, the cells' order and the parts' order kept.

    Each distinct cell is split once (a tag column of a million rows holds a few thousand distinct cells),
    and no Python object is made per row."""
    codes, uniques = pd.factorize(values)
    parts = [[p.strip() for p in (pattern.split(u) if pattern is not None else [u])] for u in uniques]
    parts = [[p for p in cell if p] for cell in parts]
    if placeholder is not None and placeholder.keys:
        occurrences = np.bincount(codes[codes >= 0], minlength=len(uniques))
        kept = [[p for p in cell if not placeholder.is_one(p)] for cell in parts]
        placeholder.count += int(sum((len(a) - len(b)) * n for a, b, n in zip(parts, kept, occurrences)))
        parts = kept
    vocabulary: dict[str, int] = {}
    cells = [[vocabulary.setdefault(p, len(vocabulary)) for p in cell] for cell in parts]
    lengths = np.array([len(cell) for cell in cells], dtype=np.int64)
    flat = np.array([i for cell in cells for i in cell] or [0], dtype=np.int32)
    positions = np.flatnonzero(codes >= 0)
    codes = codes[positions]
    if lengths.max(initial=0) <= 1:  # one value per cell at most (most tag columns): no repeating
        kept = lengths[codes] == 1
        return positions[kept], flat[(np.cumsum(lengths) - lengths)[codes[kept]]], list(vocabulary)
    repeat, ids = ragged_take(lengths, flat, codes)
    return np.repeat(positions, repeat), ids, list(vocabulary)


def _wide_and_string_tags(frame, pid, fields, dimension_columns, split, placeholder) -> pd.DataFrame:
    vocabulary: dict[str, int] = {}
    positions, values, sources, names, dimensions = [], [], [], [], []
    for dimension, columns in dimension_columns.items():
        for column in columns:
            where, ids, local = _split_codes(frame[column], split.get(column, split["*"]), placeholder)
            into = np.array([vocabulary.setdefault(p, len(vocabulary)) for p in local] or [0], dtype=np.int32)
            positions.append(where)
            values.append(into[ids])
            sources.append(np.full(len(where), len(names), dtype=np.int32))
            names.append(column)
            dimensions.append(dimension)
    pieces = []
    if names:
        where, ids, source = (np.concatenate(a) for a in (positions, values, sources))
        rank = np.argsort(np.argsort(np.array(names, dtype=object), kind="stable"), kind="stable")
        # by row, then by column name, as every shape: a stable sort of sorted runs (one per column), a merge
        order = np.argsort(where * len(names) + rank[source], kind="stable")
        where, ids, source = where[order], ids[order], source[order]
        pieces.append(
            pd.DataFrame(
                {
                    "product_id": pid.iloc[where].reset_index(drop=True).astype("str"),
                    "row": frame.index.to_numpy()[where].astype("int64"),
                    "column": text_from_codes(source, names),
                    "raw_dimension": text_from_codes(source, dimensions),
                    "raw_value": text_from_codes(ids, list(vocabulary)),
                }
            )
        )
    if "tags" in fields:
        pieces.append(_tag_string_parts(frame[fields["tags"]], pid, fields["tags"], split, placeholder))
        return _concat_tags(pieces)
    if not pieces or not len(pieces[0]):
        return _concat_tags([])
    return pieces[0][RAW_TAG_COLUMNS]


def _tag_string_parts(
    cells: pd.Series, pid: pd.Series, column: str, split: dict, placeholder: _Placeholders
) -> pd.DataFrame:
    parts = _split_cells(cells, split.get(column, split["*"]))
    split = parts.str.extract(_DIMENSION_VALUE)
    has_dimension = split[0].notna() & (split[1].str.strip() != "")
    out = pd.DataFrame(
        {
            "product_id": pid.loc[parts.index].values,
            "row": parts.index,
            "column": column,
            "raw_dimension": split[0].where(has_dimension).str.strip().values,
            "raw_value": split[1].where(has_dimension, parts).str.strip().values,
        }
    )
    return out[~placeholder.mask(out["raw_value"]).to_numpy()]


def _concat_tags(pieces) -> pd.DataFrame:
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in RAW_TAG_COLUMNS})
    out = pd.concat(pieces, ignore_index=True)
    out["row"] = out["row"].astype("int64")
    column_order, _ = pd.factorize(out["column"], sort=True)
    return out.take(np.lexsort((column_order, out["row"].to_numpy())))[RAW_TAG_COLUMNS]


def _long(frame: pd.DataFrame, pid: pd.Series, fields: dict, log: _ProblemLog, split: dict, placeholder: _Placeholders):
    attributes = _attributes(frame, pid, fields)
    present = [c for c in ATTRIBUTES if c in attributes.columns]
    first_rows = pd.Series(frame.index, index=pid.values).groupby(level=0, sort=False).first()
    for name in present:
        values = attributes[["product_id", name]][attributes[name] != ""]
        counts = values.groupby("product_id")[name].nunique()
        for product in counts[counts > 1].index:
            rows = values[values["product_id"] == product]
            kept = rows[name].iloc[0]
            for row, value in rows[name].items():
                if value != kept:
                    log.add(
                        row,
                        fields[name],
                        value,
                        f"{name} of product {product} differs from row {rows.index[0]} ({kept!r})",
                        f"kept {kept!r}",
                    )
    blank = attributes[present].replace("", np.nan) if present else attributes[[]]
    products = pd.concat([attributes[["product_id"]], blank], axis=1).groupby("product_id", sort=False).first()
    products = products.reindex(first_rows.index).fillna("").reset_index(names="product_id")
    products.index = first_rows.values

    dimension_text = frame[fields["dimension"]].str.strip()
    value_text = frame[fields["value"]]
    missing = placeholder.mask(value_text)  # a placeholder value is a missing value, not a problem
    empty = (value_text.str.strip() == "") | missing
    for row in frame.index[empty & ~missing & (dimension_text != "")]:
        log.add(row, fields["value"], "", f"no tag value for dimension {dimension_text[row]!r}", SET_ASIDE)
    parts = _split_cells(value_text[~empty], split.get(fields["value"], split["*"]), placeholder)
    raw_dimension = dimension_text.loc[parts.index]
    raw_tags = pd.DataFrame(
        {
            "product_id": pid.loc[parts.index].values,
            "row": parts.index,
            "column": fields["value"],
            "raw_dimension": raw_dimension.where(raw_dimension != "").values,
            "raw_value": parts.values,
        }
    )
    return products, _concat_tags([raw_tags])


def parse_dates(text: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates from text; returns (dates, unparseable mask). Day/month order is never guessed. Each distinct text
    once."""
    return _once_per_text(text, lambda distinct: _parse_dates(distinct, date_format), "datetime64[ns]")


def _parse_dates(text: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    text = text.astype(str).str.strip()
    given = text != ""
    dates = pd.to_datetime(text.where(given), format=date_format or "ISO8601", errors="coerce")
    for fmt in ("ISO8601", *DATE_FORMATS) if date_format else DATE_FORMATS:  # then the unambiguous formats
        todo = given & dates.isna()
        if not todo.any():
            break
        dates = dates.where(~todo, pd.to_datetime(text.where(todo), format=fmt, errors="coerce"))
    years = dates.dt.year
    dates = dates.where(years.between(1900, 2200))  # far outside any season: refused, never an overflow
    return dates.astype("datetime64[ns]"), given & dates.isna()


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from text such as '¥1,299.00'; returns (values, unparseable mask). Each distinct text once."""
    return _once_per_text(text, _parse_numbers, "float64")


def _once_per_text(text: pd.Series, parse, dtype: str) -> tuple[pd.Series, pd.Series]:
    """``parse`` (distinct texts -> (values, unparseable mask)) run on each distinct text once, spread back."""
    codes, uniques = pd.factorize(text.astype(str), use_na_sentinel=False)
    values, bad = parse(pd.Series(uniques, dtype="str"))
    return (
        pd.Series(values.to_numpy()[codes], index=text.index, dtype=dtype),
        pd.Series(bad.to_numpy()[codes], index=text.index, dtype=bool),
    )


def _parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = text.astype(str).str.strip()
    cleaned = text.str.replace(r"^[¥￥$€£]|\s|(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
    values = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce").astype("float64")
    return values, (text != "") & values.isna()


def _clean_attributes(products, fields, calendar, default_source, date_format, log) -> pd.DataFrame:
    out = pd.DataFrame({"product_id": products["product_id"].astype(str).values}, index=products.index)
    out["name"] = products["name"].replace("", np.nan) if "name" in products else np.nan

    for name in CATALOGUE_NUMBERS:
        low, high = NUMBER_RANGES[name]
        if name in products:
            values, bad = parse_numbers(products[name])
            wild = values.notna() & ~values.between(low, high)  # inf and absurd figures too, never only negatives
            for row in products.index[bad]:
                log.add(row, fields[name], products.at[row, name], f"{name}: expected a number", "value left empty")
            for row in products.index[wild]:
                log.add(
                    row,
                    fields[name],
                    products.at[row, name],
                    f"{name}: expected a number from {low:,} to {high:,.0f}",
                    "value left empty",
                )
            out[name] = values.where(~wild)
        else:
            out[name] = np.nan

    if "launch_date" in products:
        dates, bad = parse_dates(products["launch_date"], date_format)
        out_of_range = dates.notna() & ((dates.dt.year < 1990) | (dates.dt.year > 2100))
        for row in products.index[bad]:
            text = str(products.at[row, "launch_date"])
            far = re.match(r"^\s*(\d{4})\D", text)  # a year far outside any season, say 2500-01-01
            problem = (
                "launch_date: expected a year between 1990 and 2100"
                if far and not 1900 <= int(far[1]) <= 2200
                else "launch_date: expected a date such as 2025-03-14"
                + ("" if date_format else " (day/month order is never guessed; set date_format)")
            )
            log.add(row, fields["launch_date"], text, problem, "value left empty")
        for row in products.index[out_of_range]:
            log.add(
                row,
                fields["launch_date"],
                products.at[row, "launch_date"],
                "launch_date: expected a year between 1990 and 2100",
                "value left empty",
            )
        out["launch_date"] = dates.where(~out_of_range)
    else:
        out["launch_date"] = pd.Series(pd.NaT, index=products.index, dtype="datetime64[ns]")
    from_date = calendar.season_of(out["launch_date"])

    season = pd.Series(pd.NA, index=products.index, dtype="string")
    if "launch_season" in products:
        parsed = {}
        for text in products["launch_season"].unique():  # each distinct text once
            try:
                parsed[text] = calendar.parse(text) if text != "" else None
            except Exception:
                parsed[text] = None
        season = products["launch_season"].map(parsed).astype("string")
        unparsed = products["launch_season"].map(lambda t: t != "" and parsed[t] is None).astype(bool)
        for row, text in products.loc[unparsed, "launch_season"].items():
            log.add(
                row,
                fields["launch_season"],
                text,
                f"launch_season: expected a season of the {calendar.name!r} calendar such as 2025{calendar.codes[0]}",
                "value left empty",
            )
        disagree = season.notna() & from_date.notna() & (season != from_date)
        for row in products.index[disagree.fillna(False)]:
            log.add(
                row,
                fields["launch_season"],
                season[row],
                f"launch_season {season[row]} disagrees with launch_date "
                f"{out.at[row, 'launch_date']:%Y-%m-%d} ({from_date[row]})",
                "kept the date's season",
            )
    out["launch_season"] = from_date.fillna(season).astype("string")

    out["source"] = _choice(products, fields, "source", _SOURCE_ALIASES, SOURCES, default_source, log)
    out["role"] = _choice(products, fields, "role", _ROLE_ALIASES, ROLES, "core", log)
    if "category" in products:
        out["category"] = products["category"].replace("", np.nan)
    if "image" in products:  # a picture's web address, shown in JupyterLab only; anything else is left out
        text = products["image"].str.strip()
        good = text.str.fullmatch(_WEB_ADDRESS).fillna(False).astype(bool)
        for row in products.index[(text != "") & ~good]:
            log.add(
                row,
                fields["image"],
                text[row],
                "image: expected a web address (http:// or https://)",
                "value left empty",
            )
        out["image"] = text.where(good, "")
    return out


def _choice(products, fields, name, aliases, allowed, default, log) -> pd.Series:
    if name not in products:
        return pd.Series(default, index=products.index, dtype="str")
    text = products[name]
    meaning = {t: aliases.get(tag_key(t)) if t != "" else default for t in text.unique()}  # each text once
    values = text.map(meaning)
    for row in products.index[values.isna()]:
        log.add(
            row,
            fields[name],
            text[row],
            f"{name}: expected one of {', '.join(allowed)}{did_you_mean(text[row], allowed)}",
            f"used {default!r}",
        )
    return values.fillna(default).astype("str")


@dataclass(frozen=True)
class ColumnProfile:
    """What the columns of a catalogue file look like, for drafting a dataset: tagkit's fields, the tag
    columns (single- or multi-valued), and the columns left out with the reason."""

    fields: dict
    tags: list
    multi: set
    whole: set  # single-valued tag columns whose values contain separator characters: never split them
    required: set
    skipped: dict


def profile_columns(frame: pd.DataFrame, *, placeholders=PLACEHOLDERS) -> ColumnProfile:
    """Sort the columns of a catalogue table (text cells) into fields, tag columns and others.

    A tag column has a few distinct short values (not codes of digits, not free text such as names or
    descriptions). It is multi-valued when its cells with separators are mostly made of values that also
    stand alone in other cells ('work, party'); otherwise a comma is part of the value ('Nightwear, Socks &
    Tights') and the column is never split. Tag columns filled for 90% of the products are required."""
    empty = {tag_key(p) for p in placeholders or ()}
    header = [str(c) for c in frame.columns]
    fields: dict[str, str] = {}
    for column in header:
        # 'Price (CNY)', 'Stock [units]': a field's name with its unit
        keys = {tag_key(column), tag_key(_UNIT.sub("", column))}
        found = next(
            (
                f
                for f, names in FIELD_SYNONYMS.items()
                if f not in fields
                and f not in ("category", "dimension", "value", "tags")
                and keys & {tag_key(n) for n in names}
            ),
            None,
        )
        if found:
            fields[found] = column
    tags, multi, whole, required, skipped = [], set(), set(), set(), {}
    n = len(frame)
    for column in header:
        if column in fields.values():
            continue
        cells = frame[column].astype(str).str.strip()
        counts = cells[cells != ""].value_counts()
        counts = counts[[tag_key(v) not in empty for v in counts.index]]
        filled = int(counts.sum())
        if not filled:
            skipped[column] = "empty"
            continue
        distinct = len(counts)
        lengths = pd.Series(counts.index).str.len()
        if distinct == 1:
            skipped[column] = f"one value for every product ({counts.index[0]!r})"
        elif counts[pd.Series(counts.index).str.fullmatch(r"[\d.,\s\-+¥$€£]+").to_numpy()].sum() >= 0.95 * filled:
            skipped[column] = "numbers or codes, not tags"
        elif (distinct > 50 and distinct > 0.5 * filled) or float((lengths * counts.values).sum() / filled) > 60:
            skipped[column] = f"free text ({distinct:,} distinct values in {filled:,} cells)"
        else:
            tags.append(column)
            if filled >= 0.9 * n:
                required.add(column)
            kind = _separated(counts)
            if kind == "multi":
                multi.add(column)
            elif kind == "whole":
                whole.add(column)
    return ColumnProfile(fields, tags, multi, whole, required, skipped)


def _separated(counts: pd.Series) -> str:
    """'multi' when cells with separators are lists of values that also stand alone, 'whole' when the
    separators are part of the values, '' when no cell holds one."""
    split = counts[[bool(_SPLIT.search(v)) for v in counts.index]]
    if split.empty:
        return ""
    alone = {value_key(v) for v in counts.index if not _SPLIT.search(v)}
    lists = sum(n for v, n in split.items() if all(value_key(p) in alone for p in _SPLIT.split(v) if p.strip()))
    return "multi" if lists >= 0.5 * split.sum() else "whole"
