"""What a notebook shows its reader: the summary in words, tables, warnings, notes and the files it wrote.

Every helper escapes the text it is given (user text never becomes markup), and :func:`show_summary` leaves the
summary and key figures in the output's metadata, where the batch runner finds them for the index page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from tagkit._inert import html_text, summary_html
from tagkit.errors import ParameterError
from tagkit.formats import header, is_numeric_column, table_text, tagkit_words
from tagkit.hits import hit_share, label_brand, ranked_rows
from tagkit.language import translate as _
from tagkit.language import translate_cell
from tagkit.narrative import rule_table
from tagkit.paths import REPORTS
from tagkit.rules import mine_hit_rules, rule_products
from tagkit.seasons import history
from tagkit.vocabulary import KEPT

SCRATCH = "scratch"
NUMERIC = ' class="num"'
MEMBER_COLUMNS = ("same_finding", "pairs_with_it")  # the other members of a finding, folded on a page
PAGE_ROWS = 5_000  # rows a table on a page holds; the exports hold every row
BATCH_VARIABLE = "TAGKIT_BATCH"  # set by the runner for its kernels: pages are static
SUMMARY_KEY = "tagkit"  # the output metadata key of a notebook's summary and key figures
PERCENT_COLUMNS = (
    "hit_share",
    "hit_rate",
    "share_of_hits",
    "share_of_catalogue",
    "share_of_competitor_bestsellers",
    "probability",
)


def output_folder(output_dir: str, season: str) -> Path:
    """Where a notebook writes its exports: ``output_dir``, or reports/scratch/<season> when empty."""
    folder = Path(output_dir) if output_dir else REPORTS / SCRATCH / season
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show_summary(
    text: str, figures: dict | None = None, *, key_figures: list[tuple[str, str, str]] | tuple = ()
) -> None:
    """Show the summary in words at the top of a report; the runner copies it to the index page. The text is
    escaped and only tagkit's own **bold** becomes markup: user text never becomes a link or emphasis.

    ``key_figures`` are this report's figures on the index, next to the previous season's: (label, key of
    ``figures``, format), for example ``("hit share", "hit_share", "{:.1%}")``; a figure the summary does not give
    this time is left blank. A notebook declares its own, so a new notebook needs no change to the runner."""
    from IPython.display import HTML, display

    for item in key_figures:
        if len(item) != 3 or not all(isinstance(part, str) for part in item):
            raise ParameterError(
                f"show_summary: each key figure is (label, figure, format), three words, for "
                f"example ('hit share', 'hit_share', '{{:.1%}}'). Got {item!r}."
            )
    display(
        HTML(f'<p class="tk-summary">{summary_html(text)}</p>'),
        metadata={
            SUMMARY_KEY: {
                "summary": text,
                "figures": figures or {},
                "key_figures": [[_(label), key, fmt] for label, key, fmt in key_figures],
            }
        },
    )


def show_table(
    frame: pd.DataFrame | None,
    *,
    max_rows: int = 20,
    note: str | None = None,
    percent: tuple[str, ...] = (),
    empty: str | None = None,
    taxonomy=None,
) -> None:
    """A table for the report: every row (up to :data:`PAGE_ROWS`; the exports hold them all) in a box about
    ``max_rows`` rows high that scrolls, headers in words, each column shown by what it measures
    (:mod:`tagkit.formats`; the ``percent`` columns are shares shown as percentages), numbers right-aligned,
    everything escaped; with ``taxonomy``, tag sets ('category=outerwear & pattern=check') in their values'
    words ('Outerwear + Check'). A status column that says the same on every row is left out and said once below.
    When there is no table (None) or no row, ``empty`` says why in words instead."""
    from IPython.display import HTML, display

    if frame is None or (empty is not None and frame.empty):
        display(HTML(f'<p class="tk-note">{html_text(_(empty or "Nothing to show."))}</p>'))
        return
    shown = tagkit_words(frame.head(PAGE_ROWS))
    if taxonomy is not None:
        text = [c for c in shown.columns if pd.api.types.is_string_dtype(shown[c]) or shown[c].dtype == object]
        shown = shown.assign(**{c: shown[c].map(taxonomy.words) for c in text})
    same = []
    if "status" in shown.columns and len(shown) > 1 and shown["status"].nunique(dropna=False) == 1:
        same.append(_("Every row's status: {status}.", status=shown["status"].iloc[0]))
        shown = shown.drop(columns="status")
    rest = (
        _("Showing {shown} of {total} rows.", shown=f"{len(shown):,}", total=f"{len(frame):,}")
        if len(frame) > len(shown)
        else _("{total} rows.", total=f"{len(frame):,}")
    )
    caption = " ".join(p for p in (rest, *same, _(note) if note else "") if p)
    if interactive():  # JupyterLab: sort, search and page through the table (itables); the pages stay static
        _interactive_table(shown, caption, max_rows)
        return
    display(HTML(f'{table_html(shown, percent=percent, height=max_rows)}<p class="tk-note">{html_text(caption)}</p>'))


_ITABLES_READY = []


def _interactive_table(frame: pd.DataFrame, caption: str, max_rows: int) -> None:
    """An itables DataTable (offline: its script is embedded once per kernel), headers in words, numbers kept
    as numbers so that they sort as numbers, text escaped by itables."""
    import itables

    if not _ITABLES_READY:
        itables.init_notebook_mode(all_interactive=False, connected=False)
        _ITABLES_READY.append(True)
    words = frame.rename(columns={c: header(c) for c in frame.columns})
    itables.show(words, caption=caption, pageLength=max(int(max_rows), 5), allow_html=False)


def table_html(frame: pd.DataFrame, *, percent=(), height: int = 20) -> str:
    """The table as HTML: escaped text, numeric columns right-aligned and carrying their values for sorting; the
    other members of a finding (:data:`MEMBER_COLUMNS`) folded, opened by a click, without a script."""
    text = table_text(frame, percent)
    numeric = [is_numeric_column(frame[c]) for c in frame.columns]
    members = [str(c) in MEMBER_COLUMNS for c in frame.columns]
    head = "".join(f'<th scope="col"{NUMERIC if n else ""}>{html_text(h)}</th>' for h, n in zip(text.columns, numeric))
    values = [frame[c].to_numpy() for c in frame.columns]
    rows = []
    for i, cells in enumerate(text.itertuples(index=False, name=None)):
        tds = []
        for cell, n, column, folded in zip(cells, numeric, values, members):
            if folded and cell:
                tds.append(f"<td>{_members(cell)}</td>")
            elif n:
                raw = column[i]
                sort = "" if pd.isna(raw) else f' data-value="{float(raw)!r}"'
                tds.append(f"<td{NUMERIC}{sort}>{html_text(cell)}</td>")
            else:
                tds.append(f"<td>{html_text(cell)}</td>")
        rows.append(f"<tr>{''.join(tds)}</tr>")
    style = f' style="max-height: {2 * int(height) + 3}em"'
    return (
        f'<div class="tk-table-wrap"{style}><table class="tk-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _members(text: str) -> str:
    """A finding's other members ('3: a, b, c' or 'a; b'): how many, and the list behind a click (<details>); a
    printed page shows the list itself (a closed <details> prints closed)."""
    count, _colon, listed = text.partition(": ")
    if not (count.isdigit() and listed):
        count, listed = str(text.count("; ") + 1), text
    said = _("{count} more", count=f"{int(count):,}")
    listed = html_text(listed)
    return (
        f"<details><summary>{html_text(said)}</summary>{listed}</details>"
        f'<span class="tk-print-only">{html_text(said)}: {listed}</span>'
    )


def show_warnings(warnings, *, title: str = "Read this first") -> None:
    """Warnings that change how the whole page must be read, in a box at the top (nothing when none)."""
    from IPython.display import HTML, display

    warnings = [w for w in warnings if w]
    if warnings:
        items = "".join(f"<li>{html_text(translate_cell(str(w)))}</li>" for w in warnings)
        display(HTML(f'<div class="tk-warning"><p><strong>{html_text(_(title))}</strong></p><ul>{items}</ul></div>'))


def show_notes(notes) -> None:
    """Warnings a reader must see (e.g. why order lines were set aside), as a list; the text is escaped."""
    from IPython.display import HTML, display

    notes = [n for n in notes if n]
    if notes:
        said = html_text(_("Note:"))
        items = "".join(f"<li><strong>{said}</strong> {html_text(translate_cell(n))}</li>" for n in notes)
        display(HTML(f'<ul class="tk-notes">{items}</ul>'))


def show_files(paths, *, folder: Path, season_sheets: dict[str, str] | None = None) -> None:
    """Links to the exports written beside the report.

    ``season_sheets`` names the sheets of this report's workbook (the one ``.xlsx`` among ``paths``) that the
    runner copies into the season's workbook: {sheet there: sheet here}, in order."""
    from IPython.display import HTML, display

    metadata = {}
    if season_sheets:
        workbooks = [Path(p) for p in paths if p is not None and Path(p).suffix == ".xlsx"]
        if len(workbooks) != 1:
            raise ParameterError(
                f"show_files: season_sheets come from one workbook among the files; got {len(workbooks)} .xlsx file(s)."
            )
        metadata = {
            SUMMARY_KEY: {
                "season_sheets": [[sheet, workbooks[0].name, source] for sheet, source in season_sheets.items()]
            }
        }
    items = []
    for path in paths:
        if path is None:
            continue
        path = Path(path)
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        size = path.stat().st_size if path.exists() else 0
        items.append(f'<li><a href="{html_text(name)}">{html_text(name)}</a> ({size / 1024:,.0f} KB)</li>')
    display(HTML(f"<ul>{''.join(items)}</ul>"), metadata=metadata)


def interactive() -> bool:
    """Whether the notebook runs in JupyterLab for a person (widgets shown), not in the batch (static pages):
    the runner sets TAGKIT_BATCH for its kernels."""
    return os.environ.get(BATCH_VARIABLE, "") == "" and _in_kernel()


def _in_kernel() -> bool:
    import sys

    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and type(shell).__name__ == "ZMQInteractiveShell"


def explore_rules(
    rules: pd.DataFrame,
    matrix: pd.DataFrame,
    hits,
    products: pd.DataFrame | None = None,
    *,
    labels: pd.DataFrame | None = None,
    taxonomy=None,
    max_rows: int = 20,
) -> None:
    """The products behind a rule. In JupyterLab, a list of the rules to pick from, and the products of the
    one picked (name, season, units, hit or not, and its picture when the catalogue has an ``image`` column of
    web addresses); in the batch and on the shared page, the products of the first rule (the strongest), as a
    static table without pictures (a shared page loads nothing from the web)."""
    from IPython.display import HTML, display

    if rules is None or rules.empty:
        display(HTML(f'<p class="tk-note">{html_text(_("No rule, so no products behind one."))}</p>'))
        return
    names = list(rules["rule"])
    if not interactive():
        show_table(
            rule_products(names[0], matrix, hits, products, labels=labels).drop(columns="image", errors="ignore"),
            max_rows=max_rows,
            taxonomy=taxonomy,
            note=_("The products behind the strongest rule. In JupyterLab, pick any rule above this table."),
        )
        return
    import ipywidgets as widgets

    words = (lambda r: taxonomy.words(r)) if taxonomy is not None else (lambda r: r)
    picker = widgets.Dropdown(options=[(words(r), r) for r in names], description=_("Rule"), layout={"width": "90%"})
    shown = widgets.Output()

    def draw(change=None):
        shown.clear_output()
        with shown:
            table = rule_products(picker.value, matrix, hits, products, labels=labels)
            if "image" in table.columns:
                display(HTML(picture_strip(table.head(max_rows))))
            show_table(table.drop(columns="image", errors="ignore"), max_rows=max_rows, taxonomy=taxonomy)

    picker.observe(draw, names="value")
    draw()
    display(widgets.VBox([picker, shown]))


def show_text_summary(summary, *, max_rows: int = 20) -> None:
    """The tag-health page's section on tags read from text (:func:`tagkit.extract.text_summary`): its note,
    then, when the catalogue has text columns, the coverage per dimension, the words that named no value and
    the products to review."""
    show_notes([summary.note])
    if summary.coverage.empty:
        return
    show_table(summary.coverage, percent=["share_read_from_text"])
    show_table(
        summary.words,
        max_rows=max_rows,
        empty=_("Every word of the text named a value."),
        note=_("Candidates for aliases. All rows are in tag_health.xlsx (sheet: words in text)."),
    )
    show_table(
        summary.sample, max_rows=max_rows, note=_("A sample of products, with the tags read and the words matched.")
    )


def picture_strip(table: pd.DataFrame) -> str:
    """The pictures of a table's products (its ``image`` column of http(s) addresses, checked when the catalogue
    was read), each with its product id: HTML for JupyterLab only, every address and id escaped."""
    cells = [
        f'<figure style="display:inline-block;margin:4px;text-align:center"><img src="{html_text(url)}" '
        f'alt="{html_text(pid)}" loading="lazy" referrerpolicy="no-referrer" style="height:96px">'
        f"<figcaption>{html_text(pid)}{' · hit' if hit else ''}</figcaption></figure>"
        for pid, url, hit in zip(table["product_id"], table["image"], table.get("hit", [False] * len(table)))
        if isinstance(url, str) and url.lower().startswith(("http://", "https://"))
    ]
    return f'<div class="tk-pictures">{"".join(cells)}</div>' if cells else ""


def explore_hit_definition(
    brand, definition, *, season: str, window: list[str], rule_options: dict, band=(0.05, 0.10), taxonomy=None
) -> None:
    """In JupyterLab, a season to look at and sliders for ``top_share`` and ``min_lift``: each change labels the
    loaded brand again (the bar on as many seasons as the page's window, ending with the season picked) and mines
    its rules again (seconds), then shows the season's hit share and the strongest findings. In the batch
    and on the shared page, a line saying so (the page reports the parameters it was run with)."""
    from IPython.display import HTML, display

    if not interactive():
        said = _(
            "In JupyterLab, sliders here try another top_share and min_lift on the loaded brand; this page was made "
            "with the parameters above."
        )
        display(HTML(f'<p class="tk-note">{html_text(said)}</p>'))
        return
    import dataclasses

    import ipywidgets as widgets

    top = widgets.FloatSlider(
        value=definition.top_share,
        min=0.01,
        max=max(0.30, definition.top_share),  # a slider clamps its value to its range: never below the page's
        step=0.005,
        description="top_share",
        readout_format=".1%",
        continuous_update=False,
    )
    lift = widgets.FloatSlider(
        value=rule_options.get("min_lift", 1.5),
        min=1.0,
        max=5.0,
        step=0.1,
        description="min_lift",
        continuous_update=False,
    )
    calendar = brand.dataset.calendar
    sold = sorted(set(brand.sales.metrics["season"].dropna().astype(str)), key=calendar.ordinal)
    choices = [s for s in sold if calendar.ordinal(s) <= calendar.ordinal(season)] or [season]
    picked = widgets.Dropdown(
        options=choices, value=season if season in choices else choices[-1], description=_("Season")
    )
    shown = widgets.Output()

    def draw(change=None):
        shown.clear_output()
        with shown:
            chosen = picked.value
            seasons = history(chosen, len(window), calendar)  # as many seasons as the page's, ending there
            trial = dataclasses.replace(definition, top_share=top.value)
            labels = label_brand(brand, trial, reference=seasons)
            share = hit_share(labels, band=band, calendar=calendar)
            matrix, hits = ranked_rows(labels, brand.matrix, seasons)
            rules = mine_hit_rules(matrix, hits, **{**rule_options, "min_lift": lift.value})
            kept = rules[rules["status"] == KEPT]
            row = share[share["season"] == chosen]
            measured = f"{float(row['hit_share'].iloc[0]):.1%}" if len(row) else _("not measured")
            show_notes(
                [
                    _(
                        "With top_share {top_share} and min_lift {min_lift}, rules mined on {first}–{last}: the hit "
                        "share of {season} is {measured}, and {kept} rules are kept.",
                        top_share=f"{top.value:.1%}",
                        min_lift=f"{lift.value:.1f}",
                        first=seasons[0],
                        last=seasons[-1],
                        season=chosen,
                        measured=measured,
                        kept=f"{len(kept):,}",
                    )
                ]
            )
            show_table(rule_table(kept, taxonomy, grouped=True), max_rows=10, percent=["hit_rate"], taxonomy=taxonomy)

    for control in (top, lift, picked):
        control.observe(draw, names="value")
    with shown:  # the page above already shows these parameters: mine again only when one changes
        show_notes(
            [
                _(
                    "Move a slider or pick a season to label and mine again here; the page above was made with "
                    "top_share {top_share} and min_lift {min_lift}.",
                    top_share=f"{top.value:.1%}",
                    min_lift=f"{lift.value:.1f}",
                )
            ]
        )
    display(widgets.VBox([widgets.HBox([picked, top, lift]), shown]))
