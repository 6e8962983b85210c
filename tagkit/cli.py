"""The ``tagkit`` command: ``tagkit report``, ``tagkit check``, ``tagkit demo``."""

from __future__ import annotations

import argparse
import os
import sys

from tagkit._inert import terminal_text
from tagkit.errors import TagkitError
from tagkit.formats import table_text, tagkit_words
from tagkit.language import LANGUAGES
from tagkit.vocabulary import ENGINES


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _report(args) -> int:
    from tagkit.report import run_report

    index = run_report(
        args.season,
        data_dir=args.data,
        params_file=args.params,
        out_dir=args.out,
        only=args.only,
        engine=args.engine,
        progress=not args.quiet,
        jobs=args.jobs,
        language=args.language,
    )
    print(f"Report: {index}")
    return 0


def _check(args) -> int:
    """Tag health and sales row accounting in the terminal, without rendering reports."""
    import pandas as pd

    from tagkit._progress import step
    from tagkit.extract import text_summary
    from tagkit.health import health_by_input, input_overview, read_inputs
    from tagkit.io.dataset import open_dataset
    from tagkit.language import set_language, translate_cell
    from tagkit.language import translate as _

    if args.quiet:
        os.environ["TAGKIT_PROGRESS"] = "off"
    dataset = open_dataset(args.data)
    set_language(args.language or dataset.language)
    taxonomy = dataset.read_taxonomy()
    inputs = read_inputs(dataset, taxonomy)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 50):
        print(terminal_text(_("Dataset: {name} ({folder})", name=dataset.name, folder=dataset.folder)) + "\n")
        print(_("Input files:"))
        print(_shown(input_overview(inputs, taxonomy), percent=("tags_understood",)), "\n")
        own = inputs["catalogue"].catalogue
        if own.text_columns:
            summary = text_summary(own, taxonomy, sample=0)
            print(terminal_text(_("Tags read from text: {note}", note=translate_cell(summary.note))))
            print(_shown(summary.coverage, percent=("share_read_from_text",)), "\n")
            print(
                _(
                    "Words in the text that name no value (the {count} most frequent):",
                    count=min(len(summary.words), args.rows),
                )
            )
            print(_shown(summary.words.head(args.rows)), "\n")
        with step(_("Checking the tags' health")):
            health = health_by_input(inputs, taxonomy)
        print(
            _(
                "Tag problems: {count} (the {shown} largest)",
                count=f"{len(health):,}",
                shown=min(len(health), args.rows),
            )
        )
        print(_shown(health.head(args.rows)), "\n")
        if dataset.has("sales"):
            with step(_("Adding up the sales")):
                sales = dataset.read_sales(
                    inputs["catalogue"].products, set_aside_path=args.set_aside, engine=args.engine
                )
            print(_("Order lines, every one accounted for:"))
            print(_shown(sales.accounting, percent=("share_of_rows_read",)))
            for warning in sales.warnings:
                print("\n" + terminal_text(_("note: {text}", text=translate_cell(warning))))
            if sales.set_aside_file:
                read, used = (
                    int(sales.accounting.set_index("reason").loc[r, "rows"]) for r in ("rows read", "rows used")
                )
                said = (
                    _(
                        "Set-aside order lines ({count}) written to {file}",
                        count=f"{read - used:,}",
                        file=sales.set_aside_file,
                    )
                    if read > used
                    else _("No order line was set aside; {file} holds only the header.", file=sales.set_aside_file)
                )
                print("\n" + terminal_text(said))
            _check_labels(dataset, inputs, sales, args)
    return 0


def _shown(frame, *, percent=()) -> str:
    """A table for the terminal, as on the pages: headers in words, shares as percentages, counts with
    separators, missing values blank (tagkit.formats), user text with its control characters (ANSI escapes)
    made harmless. A table too wide for a terminal is shown one record at a time, a line per column."""
    from tagkit.language import translate as _

    if frame.empty:
        return "  " + _("(none)")
    import pandas as pd

    text = table_text(tagkit_words(frame), percent).map(terminal_text)
    if len(text.columns) <= 7:
        with pd.option_context("display.unicode.east_asian_width", True):  # a Chinese character takes two columns
            return text.to_string(index=False)
    width = max(_columns(str(c)) for c in text.columns)
    records = [
        "\n".join(f"  {c}{' ' * (width - _columns(str(c)))}  {v}" for c, v in row.items())
        for _index, row in text.iterrows()
    ]
    return "\n\n".join(records)


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide (Chinese, Japanese, Korean) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _check_labels(dataset, inputs, sales, args) -> None:
    """Does the default hit label measure selling on the last seasons of data (the last one with four weeks of
    sales at least)?"""
    import pandas as pd

    from tagkit.hits import HitDefinition, check_labels, label_hits, launch_note
    from tagkit.language import translate as _
    from tagkit.language import translate_cell
    from tagkit.seasons import history

    products = inputs["catalogue"].products
    note = launch_note(products)
    if note:
        print("\n" + terminal_text(_("note: {text}", text=translate_cell(note))))
    if sales.data_end is None or sales.metrics.empty:
        return
    last = dataset.calendar.season_of([sales.data_end]).iloc[0]
    if sales.data_end < dataset.calendar.bounds(last)[0] + pd.Timedelta(days=28):  # a season just begun
        last = dataset.calendar.shift(last, -1)
    window = history(last, args.history_seasons, dataset.calendar)
    definition = HitDefinition().resolve_for(sales.metrics, products, calendar=dataset.calendar)
    labels = label_hits(
        sales.metrics, products, calendar=dataset.calendar, reference_seasons=window, **definition.options()
    )
    check = check_labels(labels, definition, seasons=window)
    said = _(
        "Hit label ({definition}), {first}-{last}:",
        definition=translate_cell(definition.describe(window)),
        first=window[0],
        last=window[-1],
    )
    print("\n" + terminal_text(said))
    print(_shown(check.table))
    for warning in check.warnings:
        print("\n" + terminal_text(_("warning: {text}", text=translate_cell(warning))))


def _init(args) -> int:
    from tagkit.io.starter import init_dataset

    result = init_dataset(args.catalogue, args.sales, out=args.out, name=args.name, force=args.force)
    print(f"Wrote {result.dataset_file} and {result.taxonomy_file}.")
    for note in result.notes:
        print(f"- {note}")
    print(f"Next: tagkit check --data {result.dataset_file.parent}")
    return 0


def _notebooks(args) -> int:
    from tagkit.language import LANGUAGES
    from tagkit.paths import HOME
    from tagkit.report import copy_notebooks

    language = args.language  # one of LANGUAGES (argparse's choices)
    out = args.out or HOME / ("tagkit-notebooks" + ("" if language == "en" else f"-{language}"))
    for path in copy_notebooks(out, language=language, force=args.force):
        print(path)
    print(f"Open them with: jupyter lab {out}  ({LANGUAGES[language]})")
    return 0


def _demo(args) -> int:
    from tagkit.demo import write_demo
    from tagkit.demo_complete_journey import write_complete_journey
    from tagkit.demo_sparse import write_sparse
    from tagkit.demo_titles import write_titles
    from tagkit.paths import USER_DATA

    if args.scale != 1 and args.profile != "demo":
        raise TagkitError("--scale applies to the demo profile only.")
    if not 0 < args.scale <= 200:
        raise TagkitError(f"--scale: expected a number above 0 and at most 200; got {args.scale:g}.")
    write = {
        "demo": write_demo,
        "sparse": write_sparse,
        "titles": write_titles,
        "complete-journey": write_complete_journey,
    }[args.profile]
    options = {"scale": args.scale} if args.profile == "demo" else {}
    for path in write(args.out or USER_DATA / args.profile.replace("-", "_"), seed=args.seed, **options):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from tagkit import __version__
    from tagkit.demo import SEED
    from tagkit.paths import USER_DATA

    parser = argparse.ArgumentParser(
        prog="tagkit", description="Structured product tags, hit mining and season planning for merchandisers."
    )
    parser.add_argument("--version", action="version", version=f"tagkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser(
        "report",
        help="run the quarterly batch of notebooks and render the HTML reports",
        description="Run every notebook in notebooks/ for a season with papermill, render "
        "each to self-contained HTML and write reports/<season>/index.html. The previous "
        "reports of the season stay in place unless every notebook succeeds.",
    )
    report.add_argument(
        "--season", required=True, help="season to report on, e.g. 2025Q4 (or 2025AW with a named calendar)"
    )
    report.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="dataset folder holding dataset.yml (default: the bundled demo brand)",
    )
    report.add_argument(
        "--params",
        default=None,
        metavar="FILE.yml",
        help="notebook parameters: a 'shared' section and one section per notebook name",
    )
    report.add_argument("--out", default=None, metavar="DIR", help="reports folder (default: reports/)")
    report.add_argument(
        "--only",
        action="append",
        metavar="NOTEBOOK",
        help="run only this notebook (repeatable), e.g. --only 01_tag_health",
    )
    report.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help="where order lines are "
        "aggregated: duckdb (embedded, the default) or spark (the active Spark session, e.g. under "
        "spark-submit, or a local one)",
    )
    report.add_argument("--quiet", action="store_true", help="no per-cell progress bars")
    report.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        default=None,
        help="language of the pages, charts and workbooks: en (English) or zh (简体中文); default: the "
        "dataset's (language: in dataset.yml), else English",
    )
    report.add_argument(
        "--jobs",
        type=_whole,
        default=None,
        metavar="N",
        help="notebooks run at once (default: one per core); each takes the memory of one notebook, so "
        "--jobs 1 for a brand that fills the memory",
    )
    report.set_defaults(func=_report)

    check = sub.add_parser(
        "check",
        help="print tag health and sales row accounting for a dataset",
        description="Read every input of a dataset, print the tag problems and the order-line "
        "accounting. Nothing is rendered.",
    )
    check.add_argument("--data", default=None, metavar="DIR", help="dataset folder (default: the demo brand)")
    check.add_argument("--rows", type=int, default=25, help="tag problems to print (default: 25)")
    check.add_argument(
        "--history-seasons",
        type=int,
        default=4,
        metavar="N",
        help="seasons the hit label is checked on, ending with the last season of data (default: 4)",
    )
    check.add_argument("--set-aside", default=None, metavar="FILE.csv", help="write the set-aside order lines here")
    check.add_argument("--quiet", action="store_true", help="no progress lines on long steps")
    check.add_argument(
        "--engine", choices=ENGINES, default="duckdb", help="where order lines are aggregated (default: duckdb)"
    )
    check.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        default=None,
        help="language of what is printed: en (English) or zh (简体中文); default: the dataset's, else English",
    )
    check.set_defaults(func=_check)

    notebooks = sub.add_parser(
        "notebooks",
        help="copy the notebooks into a folder to open in JupyterLab, in English or Chinese",
        description="Copy the notebooks (the ones the batch runs) into a folder of your own, to explore in "
        "JupyterLab: with --language zh their text cells are in Chinese and their language parameter is set. "
        "A folder that already holds notebooks is left alone unless --force.",
    )
    notebooks.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="folder to write (default: tagkit-notebooks/, or tagkit-notebooks-zh/ in Chinese)",
    )
    notebooks.add_argument(
        "--language", choices=sorted(LANGUAGES), default="en", help="en (English, the default) or zh (简体中文)"
    )
    notebooks.add_argument("--force", action="store_true", help="overwrite the notebooks already in --out")
    notebooks.set_defaults(func=_notebooks)

    init = sub.add_parser(
        "init",
        help="draft dataset.yml and taxonomy.yml from a catalogue and a sales file",
        description="Read a catalogue export (and a sales file), decide which columns are tags and "
        "how to read them, draft a taxonomy from their values, and write dataset.yml and "
        "taxonomy.yml to start from.",
    )
    init.add_argument("--catalogue", required=True, metavar="FILE", help="catalogue export (CSV, Excel or Parquet)")
    init.add_argument("--sales", default=None, metavar="FILE", help="order lines or aggregated sales (optional)")
    init.add_argument("--out", default=None, metavar="DIR", help="folder to write to (default: the catalogue's)")
    init.add_argument("--name", default=None, help="the brand's name in the reports")
    init.add_argument("--force", action="store_true", help="overwrite an existing dataset.yml and taxonomy.yml")
    init.set_defaults(func=_init)

    demo = sub.add_parser(
        "demo",
        help="regenerate a bundled brand's data (seeded, byte-identical)",
        description="Generate a bundled brand: 'demo' (catalogue, order lines, competitor best "
        "sellers, candidate pipeline, taxonomy and ground truth) or 'sparse' (a brand shaped like "
        "a real retailer's export: sparse one-unit order lines, no launch dates, integer ids, "
        "values with commas, placeholders, a marketplace shop's monthly figures).",
    )
    demo.add_argument(
        "--profile",
        choices=["demo", "sparse", "titles", "complete-journey"],
        default="demo",
        help="which brand (default: demo); titles writes the demo brand with no tag columns, only an English "
        "title, a Chinese title and a description, and its true tags; complete-journey writes dunnhumby's real transactions (about "
        "20 MB, not kept in the repository) and drafts their dataset with tagkit init",
    )
    demo.add_argument("--out", default=None, metavar="DIR", help=f"target folder (default: {USER_DATA}/<profile>)")
    demo.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    demo.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the demo profile with this many times the products "
        "a quarter, for benchmarks (default: 1, the bundled brand)",
    )
    demo.set_defaults(func=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TagkitError as err:
        print(terminal_text(f"error: {err}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def console() -> int:
    """The ``tagkit`` command: :func:`main` in a process that keeps freed memory for reuse (tagkit._memory)."""
    from tagkit._memory import keep_freed_memory

    keep_freed_memory()
    return main()


if __name__ == "__main__":
    sys.exit(console())
