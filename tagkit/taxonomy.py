"""The tag taxonomy: dimensions, their canonical values, aliases in any language, and parents.

Matching ignores case, surrounding spaces, full-width forms and the differences between
``-``, ``_`` and spaces, so ``Off White``, ``off-white`` and ``OFF_WHITE`` are one tag.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from tagkit._checks import did_you_mean
from tagkit._memory import freed_memory_kept
from tagkit.errors import TagkitError, TaxonomyError
from tagkit.language import current_language, has_cjk
from tagkit.language import translate as _

# Characters that separate several values in one cell, or a dimension from its value.
VALUE_SEPARATORS = ",;|、，；"
# Cells that mean "no value": read as missing, never as a tag (match ignores case, spaces, '-' and '_').
PLACEHOLDERS = (
    "unknown",
    "undefined",
    "not defined",
    "n/a",
    "#n/a",
    "na",
    "none",
    "null",
    "nil",
    "nan",
    "-",
    "?",
    "未知",
    "无",
    "不详",
    "暂无",
)
_FORBIDDEN = set(VALUE_SEPARATORS) | {":", "=", "：", "\n", "\r", "\t"}
_DIMENSION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_IGNORED = re.compile(r"[\s\-_\u200b\ufeff]+")

_DIMENSION_KEYS = {"name", "label", "aliases", "multi", "required", "values", "description"}
_VALUE_KEYS = {"name", "label", "aliases", "parent", "description"}


def tag_key(text) -> str:
    """The matching key of a tag: NFKC-folded, case-folded, without spaces, '-' or '_'."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def value_key(text) -> str:
    """The matching key of a tag value: as :func:`tag_key`, separator characters ignored too, so that a value
    read whole from a file ('Nightwear, Socks & Tights') matches its canonical form ('Nightwear- Socks & Tights')."""
    return tag_key(clean_tag(text))


@dataclass(frozen=True)
class TagValue:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # an item, 'dimension=value'


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    values: tuple[TagValue, ...]
    multi: bool = False
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)


def item_name(dimension: str, value: str) -> str:
    return f"{dimension}={value}"


# The dimensions a look is made of when the dataset does not say, if the taxonomy has at least two of them.
LOOK_DIMENSIONS = ("category", "colour", "material", "pattern", "silhouette")
ROLE_KEYS = ("category", "look", "look_top_level")


@dataclass(frozen=True)
class DimensionRoles:
    """What the analysis uses dimensions for: the planning ``category`` (category limits of the plan,
    ranking within groups), the ``look`` (products sharing the values of these dimensions look alike: the
    homogeneity measure and the plan's cap), and the look dimensions compared at their top-level value."""

    category: str | None
    look: tuple[str, ...]
    look_top_level: tuple[str, ...] = ()
    declared: bool = False  # from dataset.yml, rather than the fallback

    def describe_look(self, taxonomy: Taxonomy) -> str:
        family = _(" (family)")
        labels = [taxonomy.dimension_words(d) + (family if d in self.look_top_level else "") for d in self.look]
        if not labels:
            return _("nothing")
        return _(", ").join(labels[:-1]) + (_(" and ") if len(labels) > 1 else "") + labels[-1]


def _said(label: str, aliases) -> str:
    """``label``, or in Chinese the first Chinese alias when the label is not Chinese."""
    if current_language() == "zh" and not has_cjk(label):
        return next((a for a in aliases if has_cjk(a)), label)
    return label


def _humanised(value: str) -> str:
    text = value.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


class Taxonomy:
    """A validated taxonomy. Build it with :func:`tagkit.read_taxonomy` or :meth:`from_dict`."""

    def __init__(self, dimensions: tuple[Dimension, ...], *, source: str = "<taxonomy>", roles: dict | None = None):
        self.dimensions = tuple(dimensions)
        self.source = source
        self._roles_config = dict(roles or {})
        self._by_name = {d.name: d for d in self.dimensions}
        self._dimension_keys: dict[str, str] = {}
        self._value_keys: dict[str, dict[str, str]] = {}
        self._bare: dict[str, list[tuple[str, str]]] = {}
        self._parent: dict[str, str | None] = {}
        self._words = {}  # per language: each item's words and the tag-set patterns, built on first use (_spoken)
        for d in self.dimensions:
            for text in (d.name, d.label, *d.aliases):
                self._dimension_keys.setdefault(tag_key(text), d.name)
            keys: dict[str, str] = {}
            for v in d.values:
                self._parent[item_name(d.name, v.name)] = v.parent
                for text in (v.name, v.label, *v.aliases):
                    keys.setdefault(value_key(text), v.name)
            self._value_keys[d.name] = keys
            for key, value in keys.items():
                self._bare.setdefault(key, []).append((d.name, value))

    def __repr__(self) -> str:
        return f"Taxonomy({len(self.dimensions)} dimensions, {len(self.items)} items, source={self.source!r})"

    # --- what dimensions are used for ---------------------------------------------------------------
    def with_roles(self, config: dict | None, *, source: str = "dataset.yml") -> Taxonomy:
        """The same taxonomy with the roles declared in a dataset's ``analysis`` section (every problem listed)."""
        config = dict(config or {})
        problems = []
        for key, value in config.items():
            if key not in ROLE_KEYS:
                problems.append(
                    f"analysis has an unknown key {key!r}; allowed are {', '.join(ROLE_KEYS)}."
                    f"{did_you_mean(str(key), ROLE_KEYS)}"
                )
                continue
            names = [value] if key == "category" else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                problems.append(
                    f"analysis.{key} must be {'a dimension name' if key == 'category' else 'a list of dimension names'}; found {value!r}"
                )
                continue
            for name in names:
                if name not in self.dimension_names:
                    problems.append(
                        f"analysis.{key} names {name!r}, not a dimension of the taxonomy "
                        f"({', '.join(self.dimension_names)}).{did_you_mean(name, self.dimension_names)}"
                    )
        if problems:
            raise TaxonomyError(f"{source} (against {self.source})", problems)
        return Taxonomy(self.dimensions, source=self.source, roles=config)

    @property
    def roles(self) -> DimensionRoles:
        """The declared roles (see :meth:`with_roles`), the rest from the fallback: the category is the
        dimension named 'category', else the first required single-valued dimension with a hierarchy, else the
        first required (or any) single-valued one; the look is category, colour, material, pattern and
        silhouette, those of them the taxonomy has (with its category first), else the category and up to four
        other single-valued dimensions (required first); colour is compared by family when it has a hierarchy."""
        config = self._roles_config
        single = [d for d in self.dimensions if not d.multi]
        ranked = sorted(single, key=lambda d: (not d.required, not any(v.parent for v in d.values)))
        category = config.get("category") or (
            "category" if "category" in self.dimension_names else ranked[0].name if ranked else None
        )
        look = config.get("look")
        if not look:
            known = [d for d in LOOK_DIMENSIONS if d in self.dimension_names and d != category]
            if not known:
                known = [d.name for d in sorted(single, key=lambda d: not d.required) if d.name != category][:4]
            look = ([category] if category else []) + known
        top = config.get("look_top_level")
        if top is None:
            top = [d for d in ("colour", "color") if d in look and any(v.parent for v in self.dimension(d).values)]
        return DimensionRoles(category, tuple(look), tuple(top), declared=bool(config))

    # --- lookups ----------------------------------------------------------------------------
    @property
    def dimension_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)

    @property
    def items(self) -> list[str]:
        """Every tag item, ``dimension=value``, in taxonomy order: the columns of every encoding."""
        return [item_name(d.name, v.name) for d in self.dimensions for v in d.values]

    def dimension(self, name: str) -> Dimension:
        try:
            return self._by_name[name]
        except KeyError:
            raise TagkitError(
                f"{name!r} is not a dimension of the taxonomy {self.source}; it has "
                f"{', '.join(self.dimension_names)}.{did_you_mean(name, self.dimension_names)}"
            ) from None

    def value_words(self, dimension: str, value: str) -> str:
        """A value as a reader reads it: its label when the taxonomy gives one, else its name with spaces and a
        capital ('trench-coat' is 'Trench coat')."""
        spoken = self._spoken()[0].get(item_name(dimension, value))
        if spoken is None:
            self.dimension(dimension)  # an unknown dimension is an error; an unknown value reads as its name
            spoken = _humanised(value)
        return spoken

    def words(self, text: str) -> str:
        """Every tag set in ``text`` ('category=outerwear & pattern=check') in its values' words ('Outerwear +
        Check'); other text is left as it is."""
        if not isinstance(text, str) or "=" not in text:
            return text
        spoken, tag_sets, one_item = self._spoken()

        def said(match) -> str:
            # item by item, longest first: a value may itself hold ' & ' ('Socks & Tights')
            found, text, at = [], match.group(0), 0
            while at < len(text):
                item = one_item.match(text, at)
                found.append(spoken[item.group(0)])
                at = item.end() + (3 if text.startswith(" & ", item.end()) else 0)
            return " + ".join(found)

        return tag_sets.sub(said, text)

    def _spoken(self):
        """Every item's words in the page's language, and the patterns of a tag set and of one item (built once
        per language, on first use). In Chinese, a value is said by its first Chinese alias when its label is not
        Chinese already."""
        language = current_language()
        if language not in self._words:
            spoken = {
                item_name(d.name, v.name): _said(v.label if v.label != v.name else _humanised(v.name), v.aliases)
                for d in self.dimensions
                for v in d.values
            }
            item = "|".join(re.escape(i) for i in sorted(spoken, key=len, reverse=True)) or "(?!)"
            tag_sets = re.compile(rf"(?<![\w=-])(?:{item})(?: & (?:{item}))*(?![\w=-])")
            self._words[language] = (spoken, tag_sets, re.compile(item))
        return self._words[language]

    def dimension_words(self, name: str) -> str:
        """A dimension as a reader reads it: its label (in Chinese, its first Chinese alias when the label is not
        Chinese)."""
        dimension = self.dimension(name)
        return _said(dimension.label, dimension.aliases)

    def resolve_dimension(self, raw) -> str | None:
        """The dimension named by ``raw`` (its name, label or an alias), or None."""
        return self._dimension_keys.get(tag_key(raw))

    def resolve_value(self, dimension: str, raw) -> str | None:
        """The canonical value of ``dimension`` that ``raw`` spells, or None."""
        return self._value_keys[dimension].get(value_key(raw))

    def candidates(self, raw) -> list[tuple[str, str]]:
        """Every (dimension, value) that a bare ``raw`` value could mean, in taxonomy order."""
        return list(self._bare.get(value_key(raw), []))

    def parent(self, item: str) -> str | None:
        return self._parent[item]

    def ancestors(self, item: str) -> list[str]:
        """Parents of ``item``, nearest first."""
        out, current = [], self._parent[item]
        while current is not None:
            out.append(current)
            current = self._parent[current]
        return out

    def top_value(self, dimension: str, value: str) -> str:
        """The top-level value above ``value`` in the same dimension (midi-dress -> dress)."""
        chain = [item_name(dimension, value), *self.ancestors(item_name(dimension, value))]
        return [i for i in chain if i.startswith(f"{dimension}=")][-1].split("=", 1)[1]

    def suggest(self, raw, dimension: str | None = None) -> str | None:
        """The closest canonical item to ``raw``, within ``dimension`` when given."""
        key = value_key(raw)
        if not key:
            return None
        pool: dict[str, str] = {}
        for d in [self._by_name[dimension]] if dimension in self._by_name else self.dimensions:
            for k, value in self._value_keys[d.name].items():
                pool.setdefault(k, item_name(d.name, value))
        match = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.7)
        return pool[match[0]] if match else None

    def to_frame(self) -> pd.DataFrame:
        """One row per item: dimension, value, labels, parent, aliases, flags."""
        rows = [
            {
                "item": item_name(d.name, v.name),
                "dimension": d.name,
                "dimension_label": d.label,
                "value": v.name,
                "value_label": v.label,
                "parent": v.parent,
                "aliases": ", ".join(v.aliases),
                "multi": d.multi,
                "required": d.required,
            }
            for d in self.dimensions
            for v in d.values
        ]
        return pd.DataFrame(rows)

    # --- building ---------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data, *, source: str = "<taxonomy>", lines: Mapping[tuple, int] | None = None) -> Taxonomy:
        """Validate a parsed taxonomy file; every problem is collected before raising.

        ``lines`` maps a path in ``data`` (a tuple of keys and indexes) to its line in the file,
        so that messages can point at both places of a contradiction.
        """
        return _Builder(source, lines or {}).build(data)


class _Builder:
    def __init__(self, source: str, lines: Mapping[tuple, int]):
        self.source = source
        self.lines = lines
        self.problems: list[str] = []

    def where(self, path: tuple) -> str:
        for cut in range(len(path), 0, -1):
            if path[:cut] in self.lines:
                return f"line {self.lines[path[:cut]]}"
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")

    def problem(self, path: tuple, text: str):
        self.problems.append((self._line(path), f"{self.where(path)}: {text}"))

    def _line(self, path: tuple) -> int:
        for cut in range(len(path), 0, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 0

    def _text(self, value, path: tuple, what: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or str(value).strip() == "":
            self.problem(path, f"{what} must be a non-empty text; found {value!r}")
            return None
        text = str(value).strip()
        bad = sorted({c for c in text if c in _FORBIDDEN})
        if bad:
            self.problem(
                path, f"{what} {text!r} contains {' '.join(repr(c) for c in bad)}, which separate tags in input files"
            )
            return None
        return text

    def _flag(self, spec: dict, key: str, path: tuple) -> bool:
        value = spec.get(key, False)
        if not isinstance(value, bool):
            self.problem(path + (key,), f"'{key}' must be true or false; found {value!r}")
            return False
        return value

    def _aliases(self, spec: dict, path: tuple, what: str) -> list[tuple[str, tuple]]:
        raw = spec.get("aliases", []) or []
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            raw = [raw]
        if not isinstance(raw, list):
            self.problem(path + ("aliases",), f"the aliases of {what} must be a list; found {raw!r}")
            return []
        out = []
        for j, alias in enumerate(raw):
            text = self._text(alias, path + ("aliases", j), f"alias of {what}")
            if text is not None:
                out.append((text, path + ("aliases", j)))
        return out

    def _unknown_keys(self, spec: dict, allowed: set[str], path: tuple, what: str):
        for key in spec:
            if key not in allowed:
                self.problem(
                    path + (key,),
                    f"{what} has an unknown key {key!r}; allowed are {', '.join(sorted(allowed))}."
                    f"{did_you_mean(str(key), allowed)}",
                )

    def build(self, data) -> Taxonomy:
        if not isinstance(data, dict) or not isinstance(data.get("dimensions"), list) or not data["dimensions"]:
            raise TaxonomyError(self.source, ["the file must hold a non-empty list under 'dimensions'"])
        dimension_places: dict[str, tuple[str, tuple]] = {}  # key -> (dimension name, path)
        parsed = []
        for i, spec in enumerate(data["dimensions"]):
            path = ("dimensions", i)
            if isinstance(spec, str):
                spec = {"name": spec}
            if not isinstance(spec, dict):
                self.problem(path, f"a dimension must be a mapping with 'name' and 'values'; found {spec!r}")
                continue
            self._unknown_keys(spec, _DIMENSION_KEYS, path, "a dimension")
            name = self._text(spec.get("name"), path + ("name",), "a dimension name")
            if name is None:
                continue
            if not _DIMENSION_NAME.match(name):
                self.problem(
                    path + ("name",),
                    f"dimension name {name!r} must be lower-case letters, digits and '_' (it becomes a column name)",
                )
            label = (
                self._text(
                    spec.get("label", name.replace("_", " ").capitalize()), path + ("label",), f"the label of {name!r}"
                )
                or name
            )
            aliases = self._aliases(spec, path, f"dimension {name!r}")
            for text, where in [(name, path + ("name",)), (label, path + ("label",)), *aliases]:
                key = tag_key(text)
                other = dimension_places.get(key)
                if other and other[0] != name:
                    self.problem(
                        where,
                        f"dimension {name!r} is also called {text!r}, which already names dimension {other[0]!r} ({self.where(other[1])})",
                    )
                dimension_places.setdefault(key, (name, where))
            values_spec = spec.get("values")
            if not isinstance(values_spec, list) or not values_spec:
                self.problem(path + ("values",), f"dimension {name!r} is empty: list at least one value under 'values'")
                values_spec = []
            parsed.append(
                (
                    i,
                    name,
                    label,
                    tuple(t for t, _ in aliases),
                    self._flag(spec, "multi", path),
                    self._flag(spec, "required", path),
                    values_spec,
                )
            )

        value_names = {name: set() for _, name, *_ in parsed}
        for _index, name, *_rest, values_spec in parsed:
            for spec in values_spec:
                if isinstance(spec, dict) and spec.get("name") is not None:
                    value_names[name].add(str(spec["name"]).strip())
                elif isinstance(spec, (str, int, float)) and not isinstance(spec, bool):
                    value_names[name].add(str(spec).strip())

        dimensions = []
        parents: dict[str, tuple[str | None, tuple]] = {}
        for i, name, label, aliases, multi, required, values_spec in parsed:
            key_places: dict[str, tuple[str, str, tuple]] = {}  # key -> (value, spelling, path)
            seen_values: dict[str, tuple] = {}
            values = []
            for j, spec in enumerate(values_spec):
                path = ("dimensions", i, "values", j)
                if not isinstance(spec, dict):
                    spec = {"name": spec}
                self._unknown_keys(spec, _VALUE_KEYS, path, f"a value of {name!r}")
                value = self._text(spec.get("name"), path + ("name",), f"a value name of {name!r}")
                if value is None:
                    continue
                if value in seen_values:
                    self.problem(
                        path + ("name",),
                        f"value {value!r} of dimension {name!r} is declared twice (also {self.where(seen_values[value])})",
                    )
                    continue
                seen_values[value] = path + ("name",)
                vlabel = self._text(spec.get("label", value), path + ("label",), f"the label of {value!r}") or value
                valiases = self._aliases(spec, path, f"{name}={value}")
                for text, where in [(value, path + ("name",)), (vlabel, path + ("label",)), *valiases]:
                    key = tag_key(text)
                    other = key_places.get(key)
                    if other and other[0] != value:
                        self.problem(
                            where,
                            f"in dimension {name!r}, {text!r} (of value {value!r}) and {other[1]!r} (of value "
                            f"{other[0]!r}, {self.where(other[2])}) are the same tag once case, spaces, '-' and '_' "
                            "are ignored, so an input tag could not be told apart",
                        )
                    key_places.setdefault(key, (value, text, where))
                parent = self._parent(spec.get("parent"), name, value, value_names, path + ("parent",))
                parents[item_name(name, value)] = (parent, path + ("parent",))
                values.append(TagValue(value, vlabel, tuple(t for t, _ in valiases), parent))
            dimensions.append(Dimension(name, label, tuple(values), multi, required, aliases))

        for item, (_parent, path) in parents.items():
            seen, current = [item], parents[item][0]
            while current is not None and current in parents:
                if current in seen:
                    self.problem(path, f"the parents of {item!r} form a cycle: {' -> '.join(seen + [current])}")
                    break
                seen.append(current)
                current = parents[current][0]
        if self.problems:  # in the order of the file
            raise TaxonomyError(self.source, [text for _, text in sorted(self.problems, key=lambda p: p[0])])
        return Taxonomy(tuple(dimensions), source=self.source)

    def _parent(self, raw, dimension: str, value: str, value_names: dict, path: tuple) -> str | None:
        if raw is None:
            return None
        text = str(raw).strip()
        parent_dim, _sep, parent_value = text.rpartition("=")
        parent_dim = parent_dim.strip() or dimension
        parent_value = parent_value.strip()
        if parent_dim not in value_names or parent_value not in value_names[parent_dim]:
            pool = value_names.get(parent_dim, set())
            self.problem(
                path,
                f"the parent {text!r} of {dimension}={value} is not a value of "
                f"{'dimension ' + repr(parent_dim) if parent_dim in value_names else 'the taxonomy (no dimension ' + repr(parent_dim) + ')'}"
                f".{did_you_mean(parent_value, pool)}",
            )
            return None
        if (parent_dim, parent_value) == (dimension, value):
            self.problem(path, f"{dimension}={value} cannot be its own parent")
            return None
        return item_name(parent_dim, parent_value)


def clean_tag(text) -> str:
    """A raw value usable as a tag: the characters that separate tags (',' ';' '|' ':' '=' …) become '-'."""
    cleaned = "".join("-" if c in _FORBIDDEN else c for c in str(text))
    return re.sub(r"\s+", " ", cleaned).strip(" -")


def dimension_name(header, taken=()) -> str:
    """A dimension name from a column header: lower case, digits and '_' ('Colour Group Name' -> 'colour_group');
    a header without Latin letters (颜色) becomes 'dimension_1', 'dimension_2'..."""
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    name = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    name = re.sub(r"_name$", "", name) or name
    if name and not name[0].isalpha():
        name = f"dimension_{name}"
    if not name:
        k = 1
        while f"dimension_{k}" in taken:
            k += 1
        return f"dimension_{k}"
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name}_{k}", k + 1
    return candidate


@freed_memory_kept
def draft_taxonomy(
    columns: dict,
    *,
    multi=(),
    required=(),
    separators: dict | None = None,
    placeholders=PLACEHOLDERS,
    text=None,
    min_products: int = 5,
) -> dict:
    """A first taxonomy from the values a catalogue already has, for a brand starting out: ``columns`` maps
    each dimension name to its values (a column of the catalogue; its header becomes an alias of the
    dimension, so the draft reads the catalogue as it is). Cells are split on ``separators`` (per
    dimension; none by default, as a value such as 'Nightwear, Socks & Tights' is one value), placeholders
    ('Unknown', 'n/a', '未知'...) are skipped, and values are cleaned with :func:`clean_tag`; values that
    differ only in case, spaces, '-' or '_' become aliases of the first. ``text``: product titles or
    descriptions; their frequent words and phrases (held by at least ``min_products`` products, see
    :func:`tagkit.extract.text_terms`) become the values of one multi-valued dimension ``term``, each with its
    count in its description, to be moved into real dimensions by hand. Returns a dict to save as YAML, then to
    edit (labels, parents, aliases in other languages)."""
    empty = {tag_key(p) for p in placeholders or ()}
    dimensions = []
    for name, values in columns.items():
        chars = (separators or {}).get(name) or ""
        pattern = re.compile("[" + re.escape(chars) + "]") if chars else None
        seen: dict[str, dict] = {}
        for raw in values:
            if raw is None or (isinstance(raw, float) and raw != raw) or not str(raw).strip():
                continue
            for part in pattern.split(str(raw)) if pattern else [str(raw)]:
                if not part.strip() or tag_key(part) in empty:
                    continue
                value = clean_tag(part)
                if not value:
                    continue
                key = value_key(value)
                if key not in seen:
                    seen[key] = {"name": value, "aliases": []}
                elif value != seen[key]["name"] and value not in seen[key]["aliases"]:
                    seen[key]["aliases"].append(value)
        values_spec = [
            {"name": v["name"], **({"aliases": v["aliases"]} if v["aliases"] else {})}
            for v in sorted(seen.values(), key=lambda v: v["name"])
        ]
        header = getattr(values, "name", None)
        aliases = (
            [clean_tag(header)]
            if header is not None and clean_tag(header) and tag_key(clean_tag(header)) != tag_key(name)
            else []
        )
        dimensions.append(
            {
                "name": name,
                **({"aliases": aliases} if aliases else {}),
                "multi": name in multi,
                "required": name in required,
                "values": values_spec,
            }
        )
    if text is not None:
        dimensions.append(_text_dimension(text, min_products, {d["name"] for d in dimensions}))
    return {"dimensions": dimensions}


def _text_dimension(text, min_products: int, taken: set) -> dict:
    from tagkit.extract import text_terms  # reads text with the extraction's own word rules

    terms = text_terms(text, min_products=min_products)
    used: set[str] = set()
    values = []
    for term, n, other, _more in terms.itertuples(index=False):
        name = clean_tag(term)
        if not name or value_key(name) in used:
            continue
        used.add(value_key(name))
        aliases = [a for a in (clean_tag(o) for o in other.split(", ") if o) if a and value_key(a) not in used]
        used.update(value_key(a) for a in aliases)
        values.append(
            {"name": name, **({"aliases": aliases} if aliases else {}), "description": f"in {n:,} products' text"}
        )
    name = "term" if "term" not in taken else "text_term"
    return {
        "name": name,
        "label": "Terms from text",
        "description": "Frequent words and phrases of the product text: move each into the dimension it "
        "belongs to (colour, material...), delete the rest.",
        "multi": True,
        "required": False,
        "values": values,
    }
