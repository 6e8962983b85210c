"""Tags read from product text: titles and descriptions matched against the taxonomy's values.

A catalogue may name text columns (``text: [Title, Body]`` in dataset.yml); each distinct text is matched once
against every value's name, label and aliases:

- English and other space-separated languages match whole words only ("red" is not read in "tailored"), in any
  case, with hyphens, spaces or nothing between the words of a value ("wide-leg", "wide leg", "wideleg") and in
  the plural ("dresses", "trousers", "accessories"); the longest value wins ("midi dress" before "dress");
- Chinese (and Japanese, Korean) text without spaces is matched by the longest alias at each character
  ("中长裙" before "长裙");
- a word of five letters or more one slip (a letter left out, added, changed, or two swapped) from exactly one
  value's word is read as that value, with less confidence ("Leathher" is leather);
- markup is not text (a Shopify "Body (HTML)");
- a value after a negation in the same clause ("not wool", "no pockets", "without sleeves", "wool-free",
  "不含羊毛", "无口袋") is not read (its status says so);
- per product and dimension, the first text column that names the dimension decides; a tag a column of the
  catalogue already gives wins over the text; a single-valued dimension the text gives two values of (not on one
  parent chain, such as "dress" and "midi dress") is *ambiguous* and read as nothing, never guessed.

Every finding keeps the column and the words it came from and a confidence (:data:`CONFIDENCE`), and the words
no value matched are counted, as candidates for new aliases.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from tagkit._arrays import ragged_take, text_from_codes
from tagkit.language import translate as _
from tagkit.taxonomy import Taxonomy, item_name
from tagkit.vocabulary import TEXT_AMBIGUOUS, TEXT_IN_COLUMN, TEXT_NEGATED, TEXT_READ, TEXT_STATUSES

EXTRACTED_COLUMNS = ["product_id", "row", "column", "dimension", "value", "matched", "confidence", "status", "note"]
WORD_COLUMNS = ["word", "n_products", "example_products"]
# How sure a finding is, by how it matched; a column after the first text column is 0.1 less sure (descriptions
# talk about other products too). bench/bench_extract.py measures the precision of each level on the demo titles.
CONFIDENCE = {"exact": 0.95, "whole alias in Chinese": 0.9, "variant": 0.85, "close spelling": 0.7}
TYPO_LENGTH = 5  # the shortest word read as a misspelt value (one letter left out, added, changed or swapped)
LATER_COLUMN = 0.1
STATUS_CODE = {status: code for code, status in enumerate(TEXT_STATUSES)}
NEGATIONS = frozenset({"no", "not", "non", "without", "zero", "never"})
NEGATION_AFTER = frozenset({"free", "less"})  # "wool-free", "sleeveless" is a value of its own when an alias
CJK_NEGATIONS = ("不含", "不是", "没有", "无", "非", "免", "不")
NEGATION_WINDOW = 2  # words between a negation and the value it negates
MAX_WORDS = 6  # the longest value, in words
# Words that never name a value and say nothing as an alias candidate.
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or our so the this to with you your".split()
)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}|\"“”。，；：！？（）【】《》、\n\r\t–—·•]+")
_WORD = re.compile(rf"[^\W_{_CJK}]+|[{_CJK}]+")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN_WORD = re.compile(rf"[^\W_{_CJK}]+")
_POSSESSIVE = re.compile(r"['’]s\b")
_MARKUP = re.compile(r"<[^>]*>")


def _stem(word: str) -> str:
    """A light English plural stem, applied alike to the text and to the values (dresses, dress -> dress)."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _one_edit(a: str, b: str) -> bool:
    """Whether two different words are one letter left out, added, changed, or two neighbours swapped apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (
        i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    )


def _fold(text: str) -> str:
    """The text as it is matched: markup removed (a Shopify 'Body (HTML)': '<span style="color:red">' names no
    colour), entities decoded, NFKC-folded, case-folded, possessives dropped."""
    if "<" in text or "&" in text:
        text = html.unescape(_MARKUP.sub(" ", text))
    return _POSSESSIVE.sub("", unicodedata.normalize("NFKC", text).casefold())


class _Found(NamedTuple):
    dimension: str
    value: str
    matched: str
    kind: str
    status: str
    note: str
    others: tuple = ()  # the other dimensions the same words could be a value of


class TextMatcher:
    """The taxonomy's values as word sequences (and Chinese strings), built once; :meth:`read` matches a text."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        exact: dict[tuple, set] = {}
        stemmed: dict[tuple, set] = {}
        cjk: dict[str, set] = {}
        for dimension in taxonomy.dimensions:
            for value in dimension.values:
                item = (dimension.name, value.name)
                for phrase in {value.name, value.label, *value.aliases}:
                    folded = _fold(phrase).strip()
                    if not folded:
                        continue
                    if _HAS_CJK.search(folded):
                        cjk.setdefault(re.sub(r"[\s\-_]+", "", folded), set()).add(item)
                        continue
                    words = tuple(_WORD.findall(folded))
                    if not words or len(words) > MAX_WORDS:
                        continue
                    for form in {words, ("".join(words),)}:
                        exact.setdefault(form, set()).add(item)
                        stemmed.setdefault(tuple(map(_stem, form)), set()).add(item)
        self.exact = {k: tuple(sorted(v)) for k, v in exact.items()}
        # a plural stem that two values share is no evidence of either; their exact forms still match
        self.stemmed = {k: tuple(sorted(v)) for k, v in stemmed.items() if len(v) == 1 or k in exact}
        self.cjk = {k: tuple(sorted(v)) for k, v in cjk.items()}
        self.cjk_lengths = sorted({len(k) for k in self.cjk}, reverse=True)
        self.cjk_first = {k[0] for k in self.cjk}
        # the longest value starting with a word (or its stem): most words start none, and are passed at once
        self.longest_exact: dict[str, int] = {}
        for k in self.exact:
            self.longest_exact[k[0]] = max(self.longest_exact.get(k[0], 0), len(k))
        self.longest_stem: dict[str, int] = {}
        for k in self.stemmed:
            self.longest_stem[k[0]] = max(self.longest_stem.get(k[0], 0), len(k))
        self.single = {d.name for d in taxonomy.dimensions if not d.multi}
        # one-word values by their spellings with a letter left out: a misspelt word finds its value through them
        self.near: dict[str, set] = {}
        for key, items in self.exact.items():
            word = key[0]
            if len(key) == 1 and len(word) >= TYPO_LENGTH and word.isascii() and word.isalpha():
                for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                    self.near.setdefault(variant, set()).add((word, items))
        self._typos: dict[str, tuple] = {}
        self._words: dict[str, tuple] = {}
        self._found_cache: dict[tuple, list] = {}

    def read(self, text: str) -> tuple[list[_Found], list[str], list[str]]:
        """Every value the text names (with its status), the words no value matched, and the runs of Chinese
        text no alias matched."""
        folded = _fold(text)
        found, leftover, runs = [], [], []
        has_cjk = _HAS_CJK.search(folded) is not None
        for clause in _CLAUSE.split(folded):
            if has_cjk:
                self._read_cjk(clause, found, runs)
            self._read_words(clause, found, leftover, has_cjk)
        return self._settle(found) if found else found, leftover, runs

    def _describe(self, word: str) -> tuple[int, str, int]:
        """What the reader needs of a word, worked out once per distinct word: the most words a value starting
        with it has (0: none), its plural stem, and whether it is listed if left over (0), a negation (1) or
        neither (2: a stop word, a number, 'free', Chinese)."""
        stem = _stem(word)
        most = max(self.longest_exact.get(word, 0), self.longest_stem.get(stem, 0))
        if _HAS_CJK.match(word):
            described = self._words[word] = (0, stem, 2)
            return described
        kind = 1 if word in NEGATIONS else 2 if word in STOP_WORDS or word in NEGATION_AFTER or word.isdigit() else 0
        if not most and kind == 0 and self.near and len(word) >= TYPO_LENGTH and word.isascii() and word.isalpha():
            meant = self._misspelt(word)
            if meant is not None:
                self._typos[word] = meant
                kind = 3
        described = self._words[word] = (most, stem, kind)
        return described

    def _misspelt(self, word: str) -> tuple | None:
        """The value a word is a misspelling of, when exactly one value's word is one edit away (a letter left
        out, added, changed, or two swapped) and the word's plural stem is no value."""
        near = self.near
        found = set(near.get(word, ()))
        for i in range(len(word)):
            found |= near.get(word[:i] + word[i + 1 :], set())
        matches = {items for value, items in found if _one_edit(word, value)}
        return next(iter(matches)) if len(matches) == 1 and len(next(iter(matches))) == 1 else None

    def _read_words(self, clause: str, found: list, leftover: list, has_cjk: bool = True):
        words = _WORD.findall(clause)
        known, describe = self._words, self._describe
        infos = [known.get(w) or describe(w) for w in words]
        i, n, negation = 0, len(words), None  # the position of a negation not yet spent on a value
        located, end_of = -1, 0  # the words' places in the clause, found as far as a value needed them
        while i < n:
            most, _unused, kind = infos[i]
            items = None
            if kind == 3:  # a misspelt value
                items, size, match_kind = self._typos[words[i]], 1, "close spelling"
            for size in range(min(most, n - i), 0, -1):
                items, match_kind = self.exact.get(tuple(words[i : i + size])), "exact"
                if items is None:
                    items, match_kind = self.stemmed.get(tuple(x[1] for x in infos[i : i + size])), "variant"
                if items is not None:
                    break
            if items is None:  # no value starts with this word
                if kind == 1:
                    negation = i
                elif kind == 0:
                    leftover.append(words[i])
                i += 1
                continue
            while located < i + size - 1:  # a word's first place after the words before it
                located += 1
                start_of = clause.find(words[located], end_of)
                end_of = start_of + len(words[located])
                if located == i:
                    start = start_of
            # a negation applies to the one value that follows it closely, or a value followed by "free"
            negated = (negation is not None and i - negation <= NEGATION_WINDOW) or (
                i + size < n and words[i + size] in NEGATION_AFTER
            )
            negation = None
            found.extend(self._found(items, clause[start:end_of], match_kind, negated))
            i += size

    def _read_cjk(self, clause: str, found: list, leftovers: list):
        i, n, rest_start = 0, len(clause), None
        while i < n:
            match = None
            if clause[i] in self.cjk_first:
                match = next((clause[i : i + k] for k in self.cjk_lengths if clause[i : i + k] in self.cjk), None)
            if match is None:
                if _HAS_CJK.match(clause[i]):
                    rest_start = i if rest_start is None else rest_start
                elif rest_start is not None:
                    leftovers.append(clause[rest_start:i])
                    rest_start = None
                i += 1
                continue
            if rest_start is not None:
                leftovers.append(clause[rest_start:i])
                rest_start = None
            before = clause[max(0, i - 2) : i]
            negated = any(before.endswith(word) for word in CJK_NEGATIONS)
            found.extend(self._found(self.cjk[match], match, "whole alias in Chinese", negated))
            i += len(match)
        if rest_start is not None:
            leftovers.append(clause[rest_start:])

    def _found(self, items: tuple, matched: str, kind: str, negated: bool) -> list[_Found]:
        key = (items, matched, kind, negated)
        found = self._found_cache.get(key)
        if found is None:
            found = self._found_cache[key] = self._new_found(items, matched, kind, negated)
        return found

    def _new_found(self, items: tuple, matched: str, kind: str, negated: bool) -> list[_Found]:
        if negated:
            return [_Found(d, v, matched, kind, TEXT_NEGATED, "after a negation") for d, v in items]
        if len(items) > 1:
            names = " or ".join(item_name(d, v) for d, v in items)
            return [
                _Found(
                    d,
                    v,
                    matched,
                    kind,
                    TEXT_AMBIGUOUS,
                    f"{matched!r} could be {names}",
                    tuple(sorted({o for o, _ in items} - {d})),
                )
                for d, v in items
            ]
        d, v = items[0]
        return [_Found(d, v, matched, kind, TEXT_READ, "")]

    def _settle(self, found: list[_Found]) -> list[_Found]:
        """One finding per value; a single-valued dimension named with values on two parent chains is ambiguous,
        on one chain the most specific value is read."""
        if all(f.status == TEXT_READ for f in found):
            dims = [f.dimension for f in found]
            if len(set(dims)) == len(dims):  # one value per dimension, nothing ambiguous: nothing to settle
                return found
        out: dict[tuple, _Found] = {}
        for f in found:
            key = (f.dimension, f.value)
            if key not in out or (out[key].status != TEXT_READ and f.status == TEXT_READ):
                out[key] = f
        findings = list(out.values())
        # words that could be values of two dimensions ('denim': jeans or the material) mean the one whose
        # single-valued dimension no other word of the text has settled ('denim jeans': the material)
        settled = {f.dimension for f in findings if f.status == TEXT_READ and f.dimension in self.single}
        for matched in {f.matched for f in findings if f.status == TEXT_AMBIGUOUS}:
            options = [f for f in findings if f.matched == matched and f.status == TEXT_AMBIGUOUS]
            open_ = [f for f in options if f.dimension not in settled]
            if len(open_) == 1 and len({f.dimension for f in options}) > 1:
                findings = [f for f in findings if f not in options] + [
                    _Found(open_[0].dimension, open_[0].value, matched, "variant", TEXT_READ, "")
                ]
        by_dimension: dict[str, list[_Found]] = {}
        for f in findings:
            if f.status == TEXT_READ and f.dimension in self.single:
                by_dimension.setdefault(f.dimension, []).append(f)
        for dimension, read in by_dimension.items():
            if len(read) < 2:
                continue
            items = [item_name(dimension, f.value) for f in read]
            deepest = max(items, key=lambda i: len(self.taxonomy.ancestors(i)))
            chain = {deepest, *self.taxonomy.ancestors(deepest)}
            if set(items) <= chain:
                findings = [f for f in findings if not (f in read and item_name(dimension, f.value) != deepest)]
                continue
            words = " and ".join(repr(f.matched) for f in read)
            note = f"{dimension} takes one value; the text names {words}"
            findings = [
                _Found(f.dimension, f.value, f.matched, f.kind, TEXT_AMBIGUOUS, note) if f in read else f
                for f in findings
            ]
        return findings


def read_text_tags(
    frame: pd.DataFrame,
    product_ids: pd.Series,
    columns: list[str],
    taxonomy: Taxonomy,
    *,
    given: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tags the ``columns`` of ``frame`` (one row per product, index = row numbers) name, as
    :data:`EXTRACTED_COLUMNS` (one row per finding, every status), and the words no value matched
    (:data:`WORD_COLUMNS`, most products first). ``given``: the products' (product_id, dimension) pairs a tag
    column already gives; the text does not add to those."""
    matcher = TextMatcher(taxonomy)
    vocab = _Vocabulary()
    parts, words = [], {}
    rows = frame.index.to_numpy()
    ids_of = product_ids.to_numpy()
    for order, column in enumerate(columns):
        codes, uniques = pd.factorize(frame[column].fillna("").astype(str))
        uses = np.bincount(codes[codes >= 0], minlength=len(uniques))
        first_of = np.full(len(uniques), -1, dtype=np.int64)
        first_of[codes[::-1]] = np.arange(len(codes))[::-1]
        lengths, flat = _read_distinct(
            matcher, np.asarray(uniques, dtype=object).tolist(), uses.tolist(), ids_of[first_of], vocab, words
        )
        flat = np.asarray(flat, dtype=np.int64)
        lengths = np.array(lengths, dtype=np.int64)
        repeat, ids = ragged_take(lengths, flat if len(flat) else np.zeros(1, np.int64), codes)
        position = np.repeat(np.arange(len(codes)), repeat)
        parts.append((position, ids, np.full(len(ids), order)))
    position, ids, order = (np.concatenate(a) if a else np.array([], dtype=np.int64) for a in zip(*parts))
    table = vocab.table()
    # every column of the findings is a code into a small vocabulary until the result is built
    dimension_of, dimensions = pd.factorize(table["dimension"])
    status_of = np.array([STATUS_CODE[s] for s in table["status"]], dtype=np.int8)
    dimension, status = dimension_of[ids], status_of[ids]
    # per product and dimension, the first column that names it (read or ambiguous) decides
    naming = status != STATUS_CODE[TEXT_NEGATED]
    key = position.astype(np.int64) * max(len(dimensions), 1) + dimension
    first = np.full(len(key), -1, dtype=np.int64)
    if naming.any():
        first[naming] = pd.Series(order[naming]).groupby(key[naming]).transform("min").to_numpy()
    keep = ~naming | (order == first)
    position, ids, order, dimension, status, key = (a[keep] for a in (position, ids, order, dimension, status, key))
    note = ids.copy()  # into the findings' notes, and one more: a tag column gives this dimension
    _settle_across_columns(key, position, dimension, status, note, table, dimensions, -1)
    if given is not None and len(given) and len(ids):
        in_column = _given_pairs(given, ids_of[position], dimensions.to_numpy()[dimension])
        moved = in_column & (status == STATUS_CODE[TEXT_READ])
        status[moved], note[moved] = STATUS_CODE[TEXT_IN_COLUMN], len(table)
    confidence = np.array([CONFIDENCE[k] for k in table["kind"]])[ids] - LATER_COLUMN * (order > 0)
    notes = [*table["note"].tolist(), "a tag column gives this dimension", ""]
    result = pd.DataFrame(
        {
            "product_id": product_ids.iloc[position].astype("str").reset_index(drop=True),
            "row": rows[position].astype("int64"),
            "column": text_from_codes(order, list(columns)),
            "dimension": text_from_codes(dimension, dimensions.tolist()),
            "value": text_from_codes(ids, table["value"].tolist()),
            "matched": text_from_codes(ids, table["matched"].tolist()),
            "confidence": np.round(confidence, 2),
            "status": text_from_codes(status, list(STATUS_CODE)),
            "note": text_from_codes(np.where(note < 0, len(notes) - 1, note), notes),
        }
    )
    word_table = pd.DataFrame([(w, n, ", ".join(ex)) for w, (n, ex) in words.items()], columns=WORD_COLUMNS).astype(
        {"word": "str", "n_products": "int64", "example_products": "str"}
    )
    word_table = word_table.sort_values(["n_products", "word"], ascending=[False, True], kind="stable")
    return result.reset_index(drop=True), word_table.reset_index(drop=True)


def _read_distinct(matcher: TextMatcher, texts: list[str], uses: list[int], examples, vocab, words: dict):
    """Each distinct text read once: how many findings each has and their codes in ``vocab``; the words no
    value matched are added to ``words`` (word -> [products, up to three ``examples``], weighted by ``uses``)."""
    read, code = matcher.read, vocab.code
    lengths, flat = [], []
    for u, text in enumerate(texts):
        findings, leftover, runs = read(text)
        lengths.append(len(findings))
        flat.extend(map(code, findings))
        if leftover or runs:
            for word in _phrases(leftover, runs):
                entry = words.get(word)
                if entry is None:
                    entry = words[word] = [0, []]
                entry[0] += uses[u]
                if len(entry[1]) < 3:
                    entry[1].append(str(examples[u]))
    return lengths, flat


def _settle_across_columns(key, position, dimension, status, note, table, dimensions, cleared: int):
    """Words that could be values of two dimensions, left ambiguous in their own text, mean the one the
    product's other texts have not settled: 'denim' in a description is the material when the title read the
    category ('jeans'). Changes ``status`` and ``note`` (to ``cleared``) in place."""
    has_others = np.array([bool(o) for o in table["others"]] or [False])
    open_ = np.flatnonzero((status == STATUS_CODE[TEXT_AMBIGUOUS]) & has_others[note])
    if not len(open_):
        return
    width = max(len(dimensions), 1)
    read = (status == STATUS_CODE[TEXT_READ]) & np.isin(position, position[open_])
    settled = set(key[read].tolist())
    code_of = {d: i for i, d in enumerate(dimensions)}
    others = table["others"].tolist()
    for i in open_.tolist():
        if key[i] not in settled and all(position[i] * width + code_of.get(o, -1) in settled for o in others[note[i]]):
            status[i], note[i] = STATUS_CODE[TEXT_READ], cleared


def _given_pairs(given: pd.DataFrame, product: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """Whether each (product, dimension) is among ``given``'s pairs, by one hash join on codes."""
    both = pd.concat([given["product_id"].astype(str), pd.Series(product, dtype="str")], ignore_index=True)
    product_code, _uniques = pd.factorize(both)
    dims = pd.concat([given["dimension"].astype(str), pd.Series(dimension, dtype="str")], ignore_index=True)
    dimension_code, dimension_names = pd.factorize(dims)
    keys = product_code.astype(np.int64) * max(len(dimension_names), 1) + dimension_code
    return np.isin(keys[len(given) :], keys[: len(given)])


def _phrases(leftover: list[str], runs: list[str]) -> set[str]:
    """The words a text left unmatched, each once; a Chinese run left over is itself a phrase (up to four
    characters) or its two-character pieces."""
    out = set(leftover)
    for run in runs:
        run = run.strip()
        if len(run) < 2:
            continue
        if len(run) <= 4:
            out.add(run)
        else:
            out.update(run[k : k + 2] for k in range(len(run) - 1))
    return out


class _Vocabulary:
    """Distinct findings, each with a code."""

    def __init__(self):
        self.codes: dict[_Found, int] = {}

    def code(self, found: _Found) -> int:
        return self.codes.setdefault(found, len(self.codes))

    def table(self) -> pd.DataFrame:
        columns = ["dimension", "value", "matched", "kind", "status", "note", "others"]
        rows = [(f.dimension, f.value, f.matched, f.kind, f.status, f.note, f.others) for f in self.codes]
        return pd.DataFrame(rows or [("", "", "", "exact", TEXT_READ, "", ())], columns=columns)


def given_dimensions(raw_tags: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """The (product_id, dimension) pairs that a catalogue's tag columns give, from its raw tags: a named
    dimension, or a bare value that only one dimension has."""
    if raw_tags.empty:
        return pd.DataFrame({"product_id": pd.Series(dtype="str"), "dimension": pd.Series(dtype="str")})
    named = raw_tags["raw_dimension"].fillna("").astype(str)
    pairs = pd.DataFrame({"named": named, "value": raw_tags["raw_value"].astype(str)})
    distinct = pairs.drop_duplicates()
    resolved = {}
    for n, v in zip(distinct["named"], distinct["value"]):
        if n.strip():
            resolved[(n, v)] = taxonomy.resolve_dimension(n)
        else:
            found = {d for d, _ in taxonomy.candidates(v)}
            resolved[(n, v)] = found.pop() if len(found) == 1 else None
    dimension = [resolved[k] for k in zip(pairs["named"], pairs["value"])]
    out = pd.DataFrame({"product_id": raw_tags["product_id"].astype(str), "dimension": dimension})
    return out.dropna().drop_duplicates().reset_index(drop=True)


def text_coverage(extracted: pd.DataFrame, products: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Per dimension: the products whose tag was read from text, given in a column, ambiguous in the text, or
    neither; shares of all products."""
    total = max(len(products), 1)
    rows = []
    for dimension in taxonomy.dimensions:
        mine = extracted[extracted["dimension"] == dimension.name]
        read = mine.loc[mine["status"] == TEXT_READ, "product_id"].nunique()
        in_column = mine.loc[mine["status"] == TEXT_IN_COLUMN, "product_id"].nunique()
        ambiguous = mine.loc[mine["status"] == TEXT_AMBIGUOUS, "product_id"]
        ambiguous = ambiguous[~ambiguous.isin(mine.loc[mine["status"] == TEXT_READ, "product_id"])].nunique()
        rows.append(
            {
                "dimension": dimension.label,
                "read_from_text": read,
                "share_read_from_text": read / total,
                "ambiguous_in_text": ambiguous,
                "named_but_given_in_a_column": in_column,
                "products_without_a_value_from_text": len(products) - read - ambiguous,
            }
        )
    return pd.DataFrame(rows)


REVIEW_COLUMNS = ["product_id", "text", "tags_read", "not_read"]


@dataclass(frozen=True)
class TextSummary:
    """What the tag-health report shows of the tags read from text: a note in words, the coverage per dimension,
    the words no value matched (candidates for aliases) and a sample of products to review."""

    note: str
    coverage: pd.DataFrame
    words: pd.DataFrame
    sample: pd.DataFrame


def text_summary(catalogue, taxonomy: Taxonomy, *, sample: int = 20, seed: int = 0) -> TextSummary:
    """:class:`TextSummary` of a :class:`~tagkit.catalogue.Catalogue` (its ``text_columns``, ``extracted``,
    ``text_words``); the sample is ``sample`` products drawn with ``seed`` among those with text."""
    if not catalogue.text_columns:
        empty = pd.DataFrame(columns=REVIEW_COLUMNS)
        note = _(
            "{file} names no text columns, so every tag comes from its tag columns. A catalogue with titles or "
            "descriptions can have its tags read from them: add text: [Title] to its entry in dataset.yml.",
            file=catalogue.file,
        )
        return TextSummary(note, empty, catalogue.text_words, empty)
    extracted, products = catalogue.extracted, catalogue.products
    read = extracted[extracted["status"] == TEXT_READ]
    counts = extracted["status"].value_counts()
    with_any = read["product_id"].nunique()
    note = (
        f"Tags were read from {', '.join(catalogue.text_columns)} of {catalogue.file}: {len(read):,} tags on "
        f"{with_any:,} of {len(products):,} products. {counts.get(TEXT_AMBIGUOUS, 0):,} findings were ambiguous "
        f"and not read (each is listed with its row among the catalogue's cell problems), "
        f"{counts.get(TEXT_NEGATED, 0):,} came after a negation, and {counts.get(TEXT_IN_COLUMN, 0):,} were "
        "given by a tag column already, which wins. Words that name no value are listed as candidates for "
        "aliases: add one to its value's aliases in the taxonomy and run again."
    )
    return TextSummary(
        note,
        text_coverage(extracted, products, taxonomy),
        catalogue.text_words,
        _review_sample(catalogue, taxonomy, sample, seed),
    )


def _review_sample(catalogue, taxonomy: Taxonomy, size: int, seed: int) -> pd.DataFrame:
    first = catalogue.text_columns[0]
    source = catalogue.extracted
    with_text = source["product_id"].drop_duplicates()
    if with_text.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    chosen = with_text.sample(min(size, len(with_text)), random_state=seed).sort_values(kind="stable")
    rows = []
    for product in chosen:
        mine = source[source["product_id"] == product]
        read = mine[mine["status"] == TEXT_READ]
        other = mine[mine["status"] != TEXT_READ]
        words = [
            f"{taxonomy.value_words(d, v)} ({m!r})"
            for d, v, m in zip(read["dimension"], read["value"], read["matched"])
        ]
        rows.append(
            {
                "product_id": product,
                "text": _text_of(catalogue, product, first),
                "tags_read": "; ".join(words),
                "not_read": "; ".join(dict.fromkeys(f"{m!r}: {s}" for m, s in zip(other["matched"], other["status"]))),
            }
        )
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def _text_of(catalogue, product: str, column: str) -> str:
    products = catalogue.products
    for candidate in (column, f"{column} (file)", "name"):
        if candidate in products.columns:
            found = products.loc[products["product_id"] == product, candidate]
            if len(found):
                return str(found.iloc[0])
    return ""


TERM_COLUMNS = ["term", "n_products", "other_forms", "example"]


def text_terms(texts, *, min_products: int = 5, top: int = 300) -> pd.DataFrame:
    """The words and phrases frequent in product text, to start a taxonomy where none exists: English words and
    two-word phrases (a phrase when it carries at least half the uses of its rarer word and comes twice as often
    as its words' frequencies would give by chance, as 'wide leg'), plurals
    counted with their singular; Chinese runs of two to four characters, a shorter one kept only when it is not
    mostly part of a longer one (for '阔腿裤' and '阔腿', '阔腿' is kept if it also stands alone often). Returns
    :data:`TERM_COLUMNS`, most products first: the term, the products whose text has it, the other spellings
    met, an example text."""
    counts: dict[str, int] = {}
    forms: dict[str, dict[str, int]] = {}
    example: dict[str, str] = {}
    texts_read = 0
    for text in pd.Series(texts, dtype="str").fillna(""):
        texts_read += 1
        folded = _fold(text)
        seen: set[str] = set()
        for clause in _CLAUSE.split(folded):
            words = [w for w in _LATIN_WORD.findall(clause) if not w.isdigit()]
            keys = [_stem(w) for w in words]
            for k, (word, key) in enumerate(zip(words, keys)):
                if word in STOP_WORDS or len(word) < 2:
                    continue
                seen.add(key)
                forms.setdefault(key, {}).setdefault(word, 0)
                forms[key][word] += 1
                if k + 1 < len(words) and words[k + 1] not in STOP_WORDS and len(words[k + 1]) >= 2:
                    pair = f"{key} {keys[k + 1]}"
                    seen.add(pair)
                    forms.setdefault(pair, {}).setdefault(f"{word} {words[k + 1]}", 0)
                    forms[pair][f"{word} {words[k + 1]}"] += 1
            for run in _CJK_RUN.findall(clause):
                for size in (2, 3, 4):
                    seen.update(run[i : i + size] for i in range(len(run) - size + 1))
        for key in seen:
            counts[key] = counts.get(key, 0) + 1
            example.setdefault(key, text)
    # the Chinese runs one character longer than each run, by the run they extend
    extends: dict[str, list[str]] = {}
    for key in counts:
        if len(key) > 2 and _HAS_CJK.match(key):
            extends.setdefault(key[:-1], []).append(key)
            extends.setdefault(key[1:], []).append(key)
    kept = {}
    for key, n in counts.items():
        if n < min_products:
            continue
        if " " in key:  # a phrase: most uses of its rarer word, and twice as often together as by chance
            first, second = key.split(" ", 1)
            alone = counts.get(first, n), counts.get(second, n)
            if n < 0.5 * min(alone) or n * texts_read < 2 * alone[0] * alone[1]:
                continue
        elif any(counts[longer] >= 0.8 * n for longer in extends.get(key, ())):
            continue  # a Chinese run mostly inside a longer one
        kept[key] = n
    rows = []
    for key, n in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        spellings = sorted(forms.get(key, {key: 1}).items(), key=lambda kv: (-kv[1], kv[0]))
        name = spellings[0][0]
        rows.append((name, n, ", ".join(s for s, _ in spellings[1:4]), example[key][:120]))
    return pd.DataFrame(rows, columns=TERM_COLUMNS).astype({"n_products": "int64"})
