"""Text from a user's file stays text in every output: the one place where it is made inert.

- CSV: a cell that starts like a formula (``= + - @``, tab, carriage return, and their full-width forms)
  gets a leading apostrophe, as the OWASP guidance on CSV injection says; Excel shows the text, never runs it.
- Excel: every text cell is written as a string (never a formula), with the characters a workbook cannot
  hold (control characters) replaced by U+FFFD.
- HTML: escaped, quotes included; summaries keep only tagkit's own bold, never a link or other markup.
- Terminal: control characters (ANSI escapes) replaced by U+FFFD.
- Charts: matplotlib's math text is switched off where the figures are drawn (see :mod:`tagkit.plots`).
"""

from __future__ import annotations

import html
import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
APOSTROPHE = "'"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # none has a place in XML 1.0
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text (OWASP: prefix a formula-like start with an apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return APOSTROPHE + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell (and header) of a table made inert for CSV; numbers are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out


def excel_text(value):
    """Text a workbook can hold: control characters become U+FFFD."""
    return _CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


def excel_texts(values: list[str]) -> list[str]:
    """:func:`excel_text` of each text: one search over them all when none holds a character to replace (the
    usual case; a column's tens of thousands of distinct ids, say)."""
    return [excel_text(v) for v in values] if _CONTROL.search("".join(values)) else list(values)


def html_text(value) -> str:
    return html.escape(str(value), quote=True)


def plain(value) -> str:
    """User text to put in a summary: the asterisks that would make tagkit's bold become look-alikes."""
    return str(value).replace("*", "\u2217")


def summary_html(text: str) -> str:
    """A summary as HTML: everything escaped, then tagkit's **bold** (and nothing else) as <strong>."""
    return BOLD.sub(r"<strong>\1</strong>", html.escape(str(text), quote=True))


def terminal_text(value):
    return _TERMINAL_CONTROL.sub("\ufffd", value) if isinstance(value, str) else value
