"""What a notebook shows its reader: the summary in words, tables, warnings, notes and the files it wrote.

Every helper escapes the text it is given (user text never becomes markup), and :func:`show_summary` leaves the
summary and key figures in the output's metadata, where the batch runner finds them for the index page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tagkit._inert import html_text, summary_html
from tagkit.paths import REPORTS

SCRATCH = "scratch"
SUMMARY_KEY = "tagkit"  # the output metadata key of a notebook's summary and key figures
PERCENT_COLUMNS = ("hit_share", "hit_rate", "share_of_hits", "share_of_catalogue", "share_of_competitor_bestsellers",
                   "probability")


def output_folder(output_dir: str, season: str) -> Path:
    """Where a notebook writes its exports: ``output_dir``, or reports/scratch/<season> when empty."""
    folder = Path(output_dir) if output_dir else REPORTS / SCRATCH / season
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show_summary(text: str, figures: dict | None = None) -> None:
    """Show the summary in words at the top of a report; the runner copies it to the index page. The text is
    escaped and only tagkit's own **bold** becomes markup: user text never becomes a link or emphasis."""
    from IPython.display import HTML, display

    display(HTML(f'<p class="tk-summary">{summary_html(text)}</p>'),
            metadata={SUMMARY_KEY: {"summary": text, "figures": figures or {}}})


def show_table(frame: pd.DataFrame | None, *, max_rows: int = 20, note: str | None = None,
               percent: tuple[str, ...] = (), empty: str | None = None) -> None:
    """A table for the report: the first ``max_rows`` rows, escaped, headers in words, the
    ``percent`` columns (shares in [0, 1]) as percentages, and the count of the rows not shown.
    When there is no table (None) or no row, ``empty`` says why in words instead."""
    from IPython.display import HTML, display

    if frame is None or (empty is not None and frame.empty):
        display(HTML(f'<p class="tk-note">{html_text(empty or "Nothing to show.")}</p>'))
        return
    shown = frame.head(max_rows).copy()
    for column in (c for c in percent if c in shown.columns):
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{100 * x:.1f}%")
    for column in shown.columns:
        if str(column).endswith(("p_value", "q_value", "q_improvement")):
            shown[column] = shown[column].map(_probability)
        elif pd.api.types.is_bool_dtype(shown[column]):
            shown[column] = shown[column].map({True: "yes", False: "no"})
    shown.columns = [str(c).replace("_", " ") for c in shown.columns]
    body = shown.to_html(index=False, escape=True, na_rep="", classes="tk-table", border=0,
                         float_format=lambda x: f"{x:,.4g}")
    rest = f"Showing {len(shown):,} of {len(frame):,} rows." if len(frame) > len(shown) else f"{len(frame):,} rows."
    caption = html_text(" ".join(p for p in (rest, note or "") if p))
    display(HTML(f'{body}<p class="tk-note">{caption}</p>'))


def show_warnings(warnings, *, title: str = "Read this first") -> None:
    """Warnings that change how the whole page must be read, in a box at the top (nothing when none)."""
    from IPython.display import HTML, display

    warnings = [w for w in warnings if w]
    if warnings:
        items = "".join(f"<li>{html_text(str(w))}</li>" for w in warnings)
        display(HTML(f'<div class="tk-warning"><p><strong>{html_text(title)}</strong></p><ul>{items}</ul></div>'))


def show_notes(notes) -> None:
    """Warnings a reader must see (e.g. why order lines were set aside), as a list; the text is escaped."""
    from IPython.display import HTML, display

    notes = [n for n in notes if n]
    if notes:
        items = "".join(f"<li><strong>Note:</strong> {html_text(n)}</li>" for n in notes)
        display(HTML(f'<ul class="tk-notes">{items}</ul>'))


def show_files(paths, *, folder: Path) -> None:
    """Links to the exports written beside the report."""
    from IPython.display import HTML, display

    items = []
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        size = path.stat().st_size if path.exists() else 0
        items.append(f'<li><a href="{html_text(name)}">{html_text(name)}</a> ({size / 1024:,.0f} KB)</li>')
    display(HTML(f"<ul>{''.join(items)}</ul>"))


def _probability(x) -> str:
    if pd.isna(x):
        return ""
    return "< 0.001" if x < 0.001 else f"{x:.3f}"
