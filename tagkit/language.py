"""The language a reader reads: pages, summaries, charts, table headers and workbook headers in English (the
default) or in Simplified Chinese (``language: zh`` in dataset.yml, the notebooks' ``language`` parameter or
``tagkit report --language zh``).

Every text tagkit writes for a reader passes through :func:`translate` with its English words as the key; the
translations live in one catalogue per language, ``tagkit/locale/<language>.yml`` (a list of ``en``/``zh``
pairs, so a translator edits one file). A text the catalogue does not hold is shown in English, and a test lists
every English word left on a Chinese page. Text from a user's file (tag values, product names) is never
translated; a taxonomy value is shown by its Chinese alias when the taxonomy gives one.

This module imports nothing of tagkit's but its errors: every module may use it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

from tagkit.errors import ParameterError

LANGUAGES = {"en": "English", "zh": "简体中文 (Simplified Chinese)"}
DEFAULT = "en"
CATALOGUES = Path(__file__).resolve().parent / "locale"
HTML_LANG = {"en": "en", "zh": "zh-CN"}
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_state = {"language": DEFAULT}


def check_language(language, owner: str = "language") -> str:
    """``language`` as a code of :data:`LANGUAGES` ("" is the default), or a ParameterError naming ``owner``."""
    code = DEFAULT if language in (None, "") else str(language).strip().lower().replace("_", "-")
    code = {"zh-cn": "zh", "zh-hans": "zh", "cn": "zh", "chinese": "zh", "english": "en"}.get(code, code)
    if code not in LANGUAGES:
        raise ParameterError(
            f'The {owner!r} parameter must be one of {", ".join(map(repr, LANGUAGES))} (or "" for English). '
            f"Got {language!r} instead."
        )
    return code


def set_language(language) -> str:
    """Write every page, summary, chart and workbook of this process in ``language`` from now on; returns its code."""
    _state["language"] = check_language(language)
    return _state["language"]


def current_language() -> str:
    return _state["language"]


@contextmanager
def using_language(language):
    """``language`` inside the block, the previous one after it."""
    before = _state["language"]
    set_language(language)
    try:
        yield _state["language"]
    finally:
        _state["language"] = before


def translate(text: str, /, **values) -> str:
    """``text`` in the current language, with ``values`` filled into its ``{names}`` (str.format): the English
    words are the key, so a missing translation shows the English text, never a key."""
    language = _state["language"]
    if language != DEFAULT:
        text = catalogue(language).get(text, text)
    return text.format(**values) if values else text


def translate_in(context: str, text: str) -> str:
    """``text`` where the same English word means something else elsewhere: the catalogue's entry for
    '<context>: <text>' (say 'sheet: rules', a sheet of every rule, where the header 'rules' counts them), else
    the entry for ``text``."""
    if _state["language"] == DEFAULT:
        return text
    words = catalogue(_state["language"])
    return words.get(f"{context}: {text}", words.get(text, text))


def translate_cell(text):
    """A text tagkit wrote earlier, in English (a table cell of its own words such as a status, a role or a verdict;
    a note made when the brand was loaded and cached), in the current language: the catalogue's entry for it, or
    the entry whose pattern it fits ('duplicate product_id (first on row {row})'), its values translated in turn.
    Any other value, a user's text included, is returned as it is."""
    if _state["language"] == DEFAULT or not isinstance(text, str):
        return text
    return _cell(_state["language"], text)


@lru_cache(maxsize=65_536)  # a table's distinct cells, in a long JupyterLab session
def _cell(language: str, text: str) -> str:
    found = catalogue(language).get(text)
    if found is not None:
        return found
    for pattern, translation in _patterns(language):
        match = pattern.fullmatch(text)
        if match:
            return translation.format(
                **{k: v if k in _AS_GIVEN else _cell(language, v) for k, v in match.groupdict().items()}
            )
    return text


# values a pattern keeps as they are: names of files, columns, settings and ids, never tagkit's words
_AS_GIVEN = {"where", "file", "files", "folder", "name", "sales_id", "catalogue_id", "examples", "row", "dimension"}
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns(language: str) -> list:
    """The catalogue's entries with {names}, as patterns a finished text is matched against (the most literal
    text first, so that the most specific entry wins)."""
    out = []
    for english, translation in catalogue(language).items():
        parts = _FIELD.split(english)
        if len(parts) < 3 or len(set(parts[1::2])) != len(parts[1::2]):
            continue
        if len(re.findall(r"\w", "".join(parts[::2]))) < 4:  # '{share} {tags}' would fit any text: not a pattern
            continue
        # a text that opens with a value (a sentence made of sentences, '{head} Examples: ...') takes the longest
        # opening; every other value the shortest
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+)" if i == 1 and not parts[0] else f"(?P<{p}>.+?)"
            for i, p in enumerate(parts)
        )
        out.append((len("".join(parts[::2])), re.compile(regex, re.S), translation))
    return [(pattern, translation) for _, pattern, translation in sorted(out, key=lambda e: -e[0])]


def sentences(parts) -> str:
    """Sentences one after the other: with a space in English, without one in Chinese."""
    return ("" if _state["language"] == "zh" else " ").join(parts)


def has_cjk(text) -> bool:
    return isinstance(text, str) and bool(_CJK.search(text))


@cache
def catalogue(language: str) -> dict[str, str]:
    """The catalogue of ``language``: English text -> translation (read once)."""
    import yaml

    path = CATALOGUES / f"{language}.yml"
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {_key(e["en"]): e[language] for e in entries or []}


def _key(text: str) -> str:
    return text.strip("\n")


def markdown(text: str) -> str:
    """A notebook's markdown cell in the current language (the whole cell is one entry of the catalogue)."""
    if _state["language"] == DEFAULT:
        return text
    return catalogue(_state["language"]).get(_key(text), text)
