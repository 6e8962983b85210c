"""Executed notebooks as self-contained HTML pages without code, and the season's index page.

The page and its styles are template files (``tagkit/templates/page.html`` and ``page.css``); every text that
comes from a notebook or a user's file is escaped on the way in.
"""

from __future__ import annotations

import base64
import hashlib
import html
import platform
import re
from pathlib import Path

import pandas as pd

from tagkit._inert import html_text, summary_html
from tagkit.display import SUMMARY_KEY
from tagkit.language import HTML_LANG, current_language, markdown
from tagkit.language import translate as _

READING_MARK = r"How to read it:\*\*|读图方法：\*\*"  # the line a chart's alt text is taken from
TEMPLATES = Path(__file__).resolve().parent / "templates"
MANIFEST = "manifest.json"
_PAGE = (TEMPLATES / "page.html").read_text(encoding="utf-8")
_CSS = (TEMPLATES / "page.css").read_text(encoding="utf-8")
# The one script a page carries: ours, vendored, allowed by its hash in the content security policy (no other
# script, inline handler or source can run).
SCRIPT = (TEMPLATES / "tables.js").read_text(encoding="utf-8")
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def render_notebook(executed: Path, target: Path, *, season: str, brand: str) -> dict:
    """Render an executed notebook as one self-contained HTML page without code; returns its entry
    for the index (title, summary, file) with what the notebook declared for the index and the season's
    workbook (figures, key figures, season sheets)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    # the parameter cells show nothing, and papermill gives its injected cell a random id
    nb.cells = [c for c in nb.cells if not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        if cell.cell_type == "markdown":
            cell["source"] = markdown(cell.source)  # the page's language (tagkit.language)
    found = {"summary": "", "figures": {}, "key_figures": [], "season_sheets": []}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(SUMMARY_KEY)
            if meta:
                found.update(meta)  # the summary and its key figures; the sheets for the season's workbook
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue  # warnings and progress bars belong to the log, not to the report
            outputs.append(output)
        cell["outputs"] = outputs
    title = _title(nb)
    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _resources = exporter.from_notebook_node(nb)
    body = re.sub(r'<a class="anchor-link" href="#[^"]*">¶</a>', "", body)
    alts = iter(_chart_descriptions(nb))
    body = re.sub(
        r'alt="No description has been provided for this image"',
        lambda m: f'alt="{html_text(next(alts, _("A chart of this report")))}"',
        body,
    )
    contents, first = _contents(body), body.find("<h2")
    body = body[:first] + contents + body[first:] if first >= 0 else contents + body  # after the title and summary
    page = _PAGE.format(
        lang=HTML_LANG[current_language()],
        words=_script_words(),
        title=html_text(f"{title} · {season}"),
        brand=html_text(brand),
        season=html_text(season),
        heading="",
        css=_CSS,
        script=SCRIPT,
        script_hash=SCRIPT_HASH,
        body=body,
        back=f'<a href="index.html">{html_text(_("All reports of this season"))}</a>' + _ran_on(),
    )
    target.write_text(page, encoding="utf-8")
    return {"file": target.name, "title": title, **found}


def _script_words() -> str:
    """The words of the page's script (tables.js), in the page's language, as attributes of <body>."""
    words = {
        "filter": _("Filter rows"),
        "filter-label": _("Filter the rows of the table below"),
        "sort": _("Sort by this column (again: the other way)"),
        "match": _("{shown} of {total} rows match"),
    }
    return "".join(f' data-tk-{name}="{html_text(text)}"' for name, text in words.items())


def _chart_descriptions(nb) -> list[str]:
    """A description of every chart, in order, for its alt text: the section it is in and the notebook's own
    "How to read it" line above it (markdown marks removed)."""
    heading, reading, out = "", "", []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            heading = next((line.lstrip("#").strip() for line in lines if line.startswith("#")), heading)
            text = " ".join(line for line in lines if not line.startswith("#")).strip()
            reading = re.sub(r"[*_`]", "", re.split(READING_MARK, text, maxsplit=1)[-1]).strip() if text else ""
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                sentence = re.split(r"(?<=[.。])\s*", reading)[0].rstrip(".。")
                out.append(_("Chart: {heading}.", heading=heading) + (f" {sentence}." if sentence else ""))
    return out


def _contents(body: str) -> str:
    """A table of contents from the page's section headings (the notebook's own), linking within the page."""
    sections = [
        (anchor, html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for anchor, text in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', body, re.S)
    ]
    if len(sections) < 2:
        return ""
    items = "".join(f'<li><a href="#{html_text(a)}">{html_text(text)}</a></li>' for a, text in sections)
    said = html_text(_("On this page"))
    return f'<nav class="tk-contents" aria-label="{said}"><strong>{said}</strong><ol>{items}</ol></nav>'


def _ran_on() -> str:
    """What made the page (the same on every run on one machine; times and input digests are in the manifest)."""
    from tagkit import __version__

    made = _(
        "Made by tagkit {version} on Python {python}; when it ran, how long it took and the inputs it read are in",
        version=__version__,
        python=platform.python_version(),
    )
    return f'<p class="tk-note">{html_text(made)} <a href="{MANIFEST}">{MANIFEST}</a>.</p>'


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return _("Report")


def _index_item(page: dict, folder: Path) -> str:
    """One report on the index: its title and summary; a failed one says why, and which version is shown."""
    failed = page.get("status") == "failed"
    has_page = (folder / page["file"]).exists()
    title = html_text(page["title"])
    head = f'<a href="{html_text(page["file"])}">{title}</a>' if has_page else title
    box = ""
    if failed:
        kept = (
            _("The page linked is the last good version, from {kept_from}.", kept_from=str(page["kept_from"]))
            if page.get("kept_from") and has_page
            else _("There is no earlier version of this report.")
        )
        box = (
            f'<div class="tk-warning"><p><strong>{html_text(_("This report failed in this run."))}</strong> '
            f"{html_text(page.get('error', ''))} {html_text(kept)}</p></div>"
        )
    return f"<li><h2>{head}</h2>{box}<p>{summary_html(page['summary']) or '&nbsp;'}</p></li>"


def write_index(
    pages: list[dict], target: Path, *, season: str, brand: str, key_figures: pd.DataFrame | None = None
) -> Path:
    items = "\n".join(_index_item(p, target.parent) for p in pages)
    body = f'<ul class="tk-index">{items}</ul>'
    if key_figures is not None and len(key_figures):
        table = key_figures.to_html(index=False, escape=True, border=0, classes="tk-table")
        body = (
            f"<h2>{html_text(_('Key figures'))}</h2>{table}"
            f'<p class="tk-note">{html_text(_("Next to the previous season, when it was run."))}</p>' + body
        )
    workbook = target.parent / f"tagkit_{season}.xlsx"
    if workbook.exists():
        one_workbook = html_text(_("All the season's key tables in one workbook:"))
        body += (
            f'<p>{one_workbook} <a href="{html_text(workbook.name)}">'
            f"{html_text(workbook.name)}</a>. {html_text(_('How this run was made:'))} "
            f'<a href="{MANIFEST}">{MANIFEST}</a>.</p>'
        )
    page = _PAGE.format(
        lang=HTML_LANG[current_language()],
        words=_script_words(),
        title=html_text(_("tagkit reports · {season}", season=season)),
        brand=html_text(brand),
        season=html_text(season),
        heading=f"<h1>{html_text(_('Quarterly reports, {season}', season=season))}</h1>",
        css=_CSS,
        script=SCRIPT,
        script_hash=SCRIPT_HASH,
        body=body,
        back=_ran_on(),
    )
    target.write_text(page, encoding="utf-8")
    return target
