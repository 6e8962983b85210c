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
from functools import cache
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
            f"The {owner!r} parameter must be one of {', '.join(map(repr, LANGUAGES))} (or \"\" for English). "
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


def translate_cell(text):
    """A table cell of tagkit's own words (a status, a role, a verdict) in the current language; any other value,
    a user's text included, as it is."""
    if _state["language"] == DEFAULT or not isinstance(text, str):
        return text
    return catalogue(_state["language"]).get(text, text)


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
