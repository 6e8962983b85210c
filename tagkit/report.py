"""The quarterly batch: check everything first, run every notebook with papermill, render each page
(:mod:`tagkit.render`), write the index, the manifest, the key figures and the season's workbook.

The notebooks' own helpers live in :mod:`tagkit.display` (what a page shows) and :mod:`tagkit.parameters`
(their parameter contracts and checks).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from tagkit._checks import did_you_mean
from tagkit.display import BATCH_VARIABLE, PERCENT_COLUMNS
from tagkit.errors import ParameterError, ReportError
from tagkit.hits import HitDefinition
from tagkit.io.cache import file_digest
from tagkit.io.dataset import open_dataset
from tagkit.io.writers import sheet_name, write_excel
from tagkit.io.yaml_files import read_yaml
from tagkit.language import check_language, translate_in, using_language
from tagkit.language import translate as _
from tagkit.parameters import (
    DIMENSION_PARAMETERS,
    HIT_PARAMETERS,
    PARAMETER_CONTRACTS,
    SHARED_PARAMETERS,
    check_dimensions,
    check_parameters,
)
from tagkit.paths import NOTEBOOKS, REPORTS
from tagkit.render import MANIFEST, render_notebook, write_index

DISTRIBUTIONS = {"tagkit": "tagkit-merch"}  # the name each is installed under, where it differs
PACKAGES = (
    "tagkit",
    "pandas",
    "numpy",
    "scipy",
    "duckdb",
    "pyarrow",
    "mlxtend",
    "scikit-learn",
    "pulp",
    "matplotlib",
    "seaborn",
    "openpyxl",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "pyyaml",
)


# --- the batch ----------------------------------------------------------------------------------
def notebooks_in(folder: Path) -> list[Path]:
    found = sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))
    if not found:
        raise ReportError(f"{folder}: no notebooks to run.")
    return found


def copy_notebooks(out_dir, *, language: str | None = None, force: bool = False) -> list[Path]:
    """The notebooks, to open in JupyterLab, copied into ``out_dir`` (a new folder, or one holding no notebook
    unless ``force``): in ``language``, their markdown cells are translated from the catalogue and their
    ``language`` parameter is set; their code is the same. Each file is written whole or not at all."""
    import nbformat

    from tagkit.io._files import atomic_write
    from tagkit.language import markdown

    language = check_language(language, owner="copy_notebooks")
    out_dir = Path(out_dir)
    sources = notebooks_in(NOTEBOOKS)
    clash = sorted(p.name for p in out_dir.glob("*.ipynb")) if out_dir.is_dir() else []
    if clash and not force:
        raise ParameterError(
            f"{out_dir} already holds notebooks ({', '.join(clash)}); edits in them would be lost. Choose another "
            "folder, or pass --force to overwrite them."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with using_language(language):
        for source in sources:
            notebook = nbformat.read(source, as_version=4)
            for cell in notebook.cells:
                if cell.cell_type == "markdown":
                    cell["source"] = markdown(cell.source)
                elif "parameters" in cell.metadata.get("tags", []) and language != "en":
                    cell["source"] = re.sub(
                        r'^language: str = ""', f'language: str = "{language}"', cell.source, flags=re.M
                    )
            text = nbformat.writes(notebook)
            written.append(atomic_write(out_dir / source.name, lambda tmp, t=text: tmp.write_text(t, encoding="utf-8")))
    return written


def run_report(
    season: str,
    *,
    data_dir=None,
    params_file=None,
    out_dir=None,
    notebooks_dir=None,
    only: list[str] | None = None,
    engine: str | None = None,
    progress: bool = True,
    jobs: int | None = None,
    language: str | None = None,
    echo=print,
) -> Path:
    """Run the quarterly batch for ``season``; returns the path of ``<out_dir>/<season>/index.html``.

    Before the first notebook starts, every notebook's parameters, the dataset and the season are checked
    (:func:`preflight`), so a wrong value stops the batch in seconds. ``engine`` (``duckdb`` or ``spark``) is
    given to every notebook that takes it. A notebook that fails does not throw the others away: the season
    gets every report that could be made, the index says which one failed and why, and that one's last good
    page and exports are kept; :class:`ReportError` then names the notebook and the cell (exit status 1), and
    the executed notebook is kept in ``<out_dir>/.failed/<season>/``.

    ``jobs`` notebooks run at once (default: one per core), each kernel on one thread, the longest of the last
    run first; each writes into its own folder of the build, so its exports are known to be its own. The pages,
    the index and the manifest list them in the batch's order, whatever order they finished in.

    ``language`` (``en`` or ``zh``) is the language of every page, chart and workbook of the batch; by default the
    parameters file's shared ``language``, else the dataset's (``language:`` in dataset.yml), else English.
    """
    import papermill as pm

    dataset = open_dataset(data_dir)
    given_season, season = season, dataset.calendar.parse(season)
    if re.sub(r"[\s_\-/]+", "", str(given_season)).upper() != season:
        echo(f"Season {given_season!r} is read as {season}.")
    out_dir = Path(out_dir).resolve() if out_dir else REPORTS  # a relative --out is relative to where it is typed
    notebooks = notebooks_in(Path(notebooks_dir) if notebooks_dir else NOTEBOOKS)
    if only:
        names = {p.stem: p for p in notebooks}
        unknown = [o for o in only if Path(o).stem not in names]
        if unknown:
            raise ParameterError(
                f"--only {unknown[0]!r} is not a notebook of the batch; they are "
                f"{', '.join(names)}.{did_you_mean(Path(unknown[0]).stem, names)}"
            )
        notebooks = [names[Path(o).stem] for o in only]
    jobs = _jobs(jobs, len(notebooks))
    declared = {p.stem: pm.inspect_notebook(str(p)) for p in notebooks}
    parameters = _parameters(params_file, declared)
    language = check_language(language or parameters.get("shared", {}).get("language") or dataset.language)
    given_all = {}
    for notebook in notebooks:
        given = {"season": season, "data_dir": str(dataset.folder), "output_dir": ""}
        given.update(parameters.get("shared", {}))
        given.update(parameters.get(notebook.stem, {}))
        if engine:  # --engine wins over the parameters file
            given["engine"] = engine
        given["language"] = language  # one language for the whole batch: its pages, index and workbooks
        given_all[notebook.stem] = {k: v for k, v in given.items() if k in declared[notebook.stem]}
    echo(f"Checking the dataset, the season and the parameters of {len(notebooks)} notebook(s)")
    preflight(
        dataset,
        season,
        {
            stem: {**{k: _literal(v["default"]) for k, v in declared[stem].items()}, **given}
            for stem, given in given_all.items()
        },
    )

    build = _build_folder(out_dir, season, echo)
    previous_folder = out_dir / season
    previous_pages = _index_entries(previous_folder)
    started = time.monotonic()
    run = {"season": season, "started": _now(), "notebooks": [], "parameters": {}, "jobs": jobs, "language": language}
    pages, failures = [], []
    kernels = _Kernels()  # the running kernels, killed if the batch is stopped
    try:
        with _kernel_settings(progress), using_language(language):
            order = _longest_first(notebooks, previous_folder)
            numbers = {notebook.stem: i for i, notebook in enumerate(notebooks, start=1)}

            def execute(notebook: Path) -> dict:
                tag = f"[{numbers[notebook.stem]}/{len(notebooks)}] {notebook.stem}"
                echo(f"{tag}: running")
                outcome = _execute(
                    pm,
                    notebook,
                    build,
                    given_all[notebook.stem],
                    season=season,
                    brand=dataset.name,
                    progress=progress and jobs == 1,  # one progress bar at a time on a terminal
                    kernels=kernels,
                )
                if outcome["status"] == "ok":
                    echo(f"{tag}: done in {outcome['seconds']:.1f} s")
                else:
                    echo(f"{tag}: FAILED ({outcome['error']})")
                return outcome

            if jobs == 1:
                outcomes = {notebook.stem: execute(notebook) for notebook in order}
            else:
                outcomes = _in_parallel(execute, order, jobs, kernels)
        for notebook in notebooks:  # in the batch's order, whatever order they finished in
            outcome = outcomes[notebook.stem]
            run["parameters"][notebook.stem] = {k: v for k, v in given_all[notebook.stem].items() if k != "output_dir"}
            run["notebooks"].append(
                {"notebook": notebook.stem, **{k: outcome[k] for k in ("started", "finished", "seconds", "status")}}
                | ({"error": outcome["error"]} if outcome["status"] == "failed" else {})
            )
            if outcome["status"] == "failed":
                kept = _keep_failed(outcome["executed"], out_dir, season, outcome["kernel_log"])
                failures.append((notebook.stem, outcome["error"], kept))
                pages.append(_last_good(notebook.stem, previous_pages, previous_folder, build, outcome["error"]))
            else:
                for name in outcome["page"]["outputs"]:
                    os.replace(outcome["folder"] / name, build / name)
                os.replace(outcome["folder"] / f"{notebook.stem}.html", build / f"{notebook.stem}.html")
                pages.append(outcome["page"])
            shutil.rmtree(outcome["folder"], ignore_errors=True)
        if len(failures) == len(notebooks) and not any(p.get("kept_from") for p in pages):
            raise ReportError(
                "Every notebook failed; the reports in "
                f"{out_dir / season} were not changed:\n  - "
                + "\n  - ".join(f"{reason}\n    (executed notebook kept at {kept})" for _, reason, kept in failures)
            )
        if only:
            pages = _keep_other_reports(previous_folder, build, pages)
        figures = {Path(p["file"]).stem: p.get("figures", {}) for p in pages if p.get("status", "ok") == "ok"}
        previous = _previous_figures(out_dir, dataset.calendar.shift(season, -1))
        with using_language(language):
            season_workbook(build, season, pages)
            write_index(
                pages,
                build / "index.html",
                season=season,
                brand=dataset.name,
                key_figures=key_figures(pages, previous, season, dataset.calendar.shift(season, -1)),
            )
        (build / "index.json").write_text(
            json.dumps(pages, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        run.update(
            finished=_now(),
            total_seconds=round(time.monotonic() - started, 1),
            figures=figures,
            dataset={"name": dataset.name, "folder": str(dataset.folder)},
            inputs=[_file_record(f) for f in dataset.files() + ([Path(params_file)] if params_file else [])],
            params_file=str(params_file) if params_file else None,
            packages=_versions(spark=any(p.get("engine") == "spark" for p in run["parameters"].values())),
            python=platform.python_version(),
        )
        (build / MANIFEST).write_text(
            json.dumps(run, indent=1, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8"
        )
        final = _replace(build, out_dir / season)
    except OSError as err:  # a full disk, a folder taken away: a message, and the previous reports as they were
        shutil.rmtree(build, ignore_errors=True)
        raise ReportError(
            f"Writing the reports of {season} failed ({err.strerror or err}"
            f"{': ' + str(err.filename) if err.filename else ''}); the reports in {out_dir / season} "
            "were not changed."
        ) from None
    except BaseException:
        kernels.stop()
        shutil.rmtree(build, ignore_errors=True)
        raise
    if failures:
        raise ReportError(
            f"{len(failures)} of {len(notebooks)} notebook(s) failed; the other reports of {season} were made "
            f"({final / 'index.html'}), and the index shows the last good version of each failed one:\n  - "
            + "\n  - ".join(f"{reason}\n    (executed notebook kept at {kept})" for _, reason, kept in failures)
        )
    echo(f"All {len(notebooks)} report(s) built in {time.monotonic() - started:.1f} s.")
    return final / "index.html"


def _jobs(jobs: int | None, n_notebooks: int) -> int:
    if jobs is None:  # the cores this process may use (a container or `taskset` may give it fewer)
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(
            f"The 'jobs' parameter of run_report must be a whole number of at least 1. Got {jobs!r} instead."
        )
    return max(1, min(jobs, n_notebooks))


def _longest_first(notebooks: list[Path], previous_folder: Path) -> list[Path]:
    """The notebooks in the order to start them: the longest of the last run of this season first (so that the
    lanes finish close together); on a first run, the batch's last notebook first (the plan, which builds on
    everything before it, is the longest)."""
    try:
        last = json.loads((previous_folder / MANIFEST).read_text(encoding="utf-8"))
        seconds = {n["notebook"]: float(n["seconds"]) for n in last.get("notebooks", [])}
    except (OSError, ValueError, TypeError, KeyError):
        seconds = {}
    if not seconds:
        return notebooks[::-1]
    return sorted(notebooks, key=lambda p: -seconds.get(p.stem, 0.0))


def _execute(
    pm, notebook: Path, build: Path, given: dict, *, season: str, brand: str, progress: bool, kernels: _Kernels
) -> dict:
    """Run one notebook with papermill in its own folder of the build (its exports are the files it leaves
    there) and render its page there; a failure is returned, not raised, except Ctrl-C."""
    if kernels.stopped:  # the batch was stopped while this one waited for its turn
        raise KeyboardInterrupt
    folder = build / f".run-{notebook.stem}"
    folder.mkdir()
    t0, notebook_started = time.monotonic(), _now()
    executed = folder / notebook.name
    kernel_log = folder / f".{notebook.stem}.kernel.log"
    outcome = {"started": notebook_started, "folder": folder, "executed": executed, "kernel_log": kernel_log}
    try:
        pm.execute_notebook(
            str(notebook),
            str(executed),
            parameters={**given, "output_dir": str(folder)},
            kernel_name="python3",
            progress_bar=progress,
            log_output=False,
            # the kernel starts in the notebook's folder; papermill's own cwd= would change this whole process's
            # working folder, which two notebooks side by side would take from each other
            kernel_manager_class=_kernel_logged_to(
                kernel_log, lambda process: kernels.started(notebook.stem, process), cwd=folder
            ),
        )
    except pm.PapermillExecutionError as err:
        if err.ename == "KeyboardInterrupt":
            raise KeyboardInterrupt from None  # Ctrl-C reached the kernel: stop the batch, not just this notebook
        first_line = next((line for line in (err.source or "").splitlines() if line.strip()), "")
        reason = (
            f"{notebook.name}, cell {err.cell_index + 1} ({first_line.strip()[:80]!r}) failed with "
            f"{err.ename}: {err.evalue}"
        )
        return {
            **outcome,
            "status": "failed",
            "error": reason,
            "finished": _now(),
            "seconds": round(time.monotonic() - t0, 1),
        }
    finally:
        kernels.ended(notebook.stem)
    kernel_log.unlink(missing_ok=True)
    written = sorted(p.name for p in folder.iterdir() if p.name != executed.name)
    page = render_notebook(executed, folder / f"{notebook.stem}.html", season=season, brand=brand)
    executed.unlink()
    page["outputs"] = [name for name in written if name != page["file"]]
    return {
        **outcome,
        "status": "ok",
        "page": page,
        "finished": _now(),
        "seconds": round(time.monotonic() - t0, 1),
    }


def _in_parallel(execute, notebooks: list[Path], jobs: int, kernels: _Kernels) -> dict:
    """``execute`` each notebook, ``jobs`` at a time; the first Ctrl-C (or error) stops the kernels still
    running and is raised."""
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="tagkit-notebook")
    futures = {pool.submit(execute, notebook): notebook.stem for notebook in notebooks}
    papermill_log = logging.getLogger("papermill")
    level = papermill_log.level
    try:
        pending = set(futures)
        while pending:  # a timeout, so that Ctrl-C reaches this thread at once
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    raise future.exception()
        return {futures[f]: f.result() for f in futures}
    except BaseException:
        papermill_log.setLevel(logging.CRITICAL)  # not "Kernel died while waiting…" for each kernel stopped here
        kernels.stop()
        for future in futures:
            future.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        papermill_log.setLevel(level)


class _Kernels:
    """The running kernels' processes by notebook; once stopped, it kills every kernel, the ones still
    starting included (a notebook that was starting when Ctrl-C came must not run on)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: dict = {}
        self.stopped = False

    def started(self, stem: str, process) -> None:
        with self._lock:
            self._running[stem] = process
            if self.stopped:
                _kill(process)

    def ended(self, stem: str) -> None:
        with self._lock:
            self._running.pop(stem, None)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            for process in self._running.values():
                _kill(process)


def _kill(process) -> None:
    try:
        process.kill()
    except (OSError, AttributeError):
        pass


def preflight(dataset, season: str, parameters: dict[str, dict]) -> None:
    """Everything that can be checked before the first notebook starts, in seconds: the taxonomy, every
    notebook's parameters (contracts, dimension names, the hit definition) and that the season has sales.
    Every problem is listed at once."""
    problems = []
    taxonomy = dataset.read_taxonomy()
    for notebook, values in parameters.items():
        contracted = {k: v for k, v in values.items() if k in PARAMETER_CONTRACTS}
        try:
            check_parameters(notebook, **contracted)
        except ParameterError as err:
            problems.append(str(err))
        for name in DIMENSION_PARAMETERS:
            try:
                check_dimensions(taxonomy, f"the notebook {notebook}", **{name: values.get(name)})
            except ParameterError as err:
                problems.append(str(err))
        if set(HIT_PARAMETERS) <= set(values):
            try:
                HitDefinition(**{field: values[name] for name, field in HIT_PARAMETERS.items()})
            except (ParameterError, TypeError) as err:
                problems.append(f"the notebook {notebook}: {err}")
    span = dataset.sales_span()
    if span is not None:
        first, last = (dataset.calendar.season_of([d]).iloc[0] for d in span)
        ordinal = dataset.calendar.ordinal
        if ordinal(season) > ordinal(last) or ordinal(season) < ordinal(first):
            problems.append(
                f"The season {season} has no sales: the sales run from {span[0]:%Y-%m-%d} ({first}) to "
                f"{span[1]:%Y-%m-%d} ({last}). Choose a season from {first} to {last}."
            )
    if problems:
        raise ParameterError(
            f"The batch for {season} was not started ({len(problems)} problem(s)):\n  - " + "\n  - ".join(problems)
        )


def _build_folder(out_dir: Path, season: str, echo) -> Path:
    """A new build folder for this run, after removing those left by runs that were killed (their process is
    gone); a clear error when the reports folder cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.glob(".build-*"):
            pid = stale.name.split("-")[-2] if stale.name.count("-") >= 3 else ""
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
                echo(f"Removed {stale.name}, left by a run that was stopped.")
        build = out_dir / f".build-{season}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        build.mkdir()
        probe = build / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        return build
    except FileExistsError:
        raise ReportError(f"--out {out_dir}: a file has that name; give a folder for the reports.") from None
    except NotADirectoryError:
        raise ReportError(f"--out {out_dir}: part of that path is a file; give a folder for the reports.") from None
    except PermissionError:
        raise ReportError(
            f"--out {out_dir}: this folder cannot be written to (no permission); give another folder with --out."
        ) from None
    except OSError as err:
        raise ReportError(f"--out {out_dir}: cannot write there ({err.strerror or err}).") from None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _literal(source):
    """A notebook parameter's default, from the source text papermill reports ('"bar"', '0.075')."""
    import ast

    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError):
        return source


def _index_entries(folder: Path) -> dict[str, dict]:
    index = folder / "index.json"
    if not index.exists():
        return {}
    try:
        return {Path(p["file"]).stem: p for p in json.loads(index.read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _last_good(stem: str, previous: dict[str, dict], folder: Path, build: Path, reason: str) -> dict:
    """The index entry of a failed notebook: its last good page and exports, copied from the previous
    reports of the season, or a page-less entry when there is none."""
    entry = previous.get(stem)
    page = folder / f"{stem}.html"
    if entry and page.exists():
        for name in [entry["file"], *entry.get("outputs", [])]:
            if (folder / name).exists() and not (build / name).exists():
                shutil.copy2(folder / name, build / name)
        kept_from = entry.get("kept_from") or _manifest_time(folder)
        return {**entry, "status": "failed", "error": reason, "kept_from": kept_from}
    return {
        "file": f"{stem}.html",
        "title": stem,
        "summary": "",
        "figures": {},
        "outputs": [],
        "status": "failed",
        "error": reason,
        "kept_from": None,
    }


_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _kernel_settings(progress: bool):
    """What the kernels inherit: the batch flag (notebooks show static tables, no widgets: the pages are static)
    and, with ``--quiet``, the notebooks' own progress lines (tagkit._progress) off. Each kernel computes on one
    thread (OpenMP, BLAS): the batch runs notebooks side by side instead, where threads that outnumber the cores
    spin and wait on each other (the plan notebook's gradient boosting took twice as long beside another
    notebook), and the tables are the same to the last digit whatever the number of notebooks at once (a sum
    over two threads is added in another order)."""
    settings = {BATCH_VARIABLE: "1", **({} if progress else {"TAGKIT_PROGRESS": "off"})}
    settings.update({name: "1" for name in _THREAD_VARIABLES})
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _manifest_time(folder: Path) -> str | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("finished")
    except (OSError, ValueError):
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _file_record(path: Path) -> dict:
    return {"file": str(path), "bytes": path.stat().st_size, "sha256": file_digest(path)}


def _versions(*, spark: bool = False) -> dict:
    from importlib import metadata

    out = {}
    for name in PACKAGES + (("pyspark",) if spark else ()):
        try:
            out[name] = metadata.version(DISTRIBUTIONS.get(name, name))
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _previous_figures(out_dir: Path, season: str) -> dict | None:
    manifest = out_dir / season / MANIFEST
    if not manifest.exists():
        return None
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("figures", {})
    except (OSError, ValueError):
        return None


def key_figures(pages: list[dict], previous: dict | None, season: str, previous_season: str) -> pd.DataFrame:
    """The key figures each report declared (:func:`tagkit.display.show_summary`), in the order of the reports,
    next to the previous season's (from its manifest; without one, no such column). A failed report's figures are
    blank."""
    rows = []
    for page in pages:
        notebook = Path(page["file"]).stem
        figures = page.get("figures", {}) if page.get("status", "ok") == "ok" else {}
        for label, key, fmt in page.get("key_figures", []):
            rows.append(
                _key_figure(
                    label, figures.get(key), (previous or {}).get(notebook, {}).get(key), fmt, season, previous_season
                )
            )
    table = pd.DataFrame([row for row in rows if row], columns=["figure", season, previous_season])
    table = table.rename(columns={"figure": _("figure")})
    return table if previous is not None else table.drop(columns=previous_season)  # no empty column on a first run


def _key_figure(label: str, now, before, fmt: str, season: str, previous_season: str) -> dict | None:
    if now is None and before is None:
        return None
    return {
        "figure": _(label),
        season: fmt.format(now) if now is not None else "",
        previous_season: fmt.format(before) if before is not None else _("not run"),
    }


def season_workbook(folder: Path, season: str, pages: list[dict]) -> Path | None:
    """One workbook with the season's key tables (rules, common tags, plan, hit share...), collected from the
    notebooks' exports in ``folder``: the sheets each report declared (:func:`tagkit.display.show_files`)."""
    sheets = {}
    for sheet, file, source in (item for page in pages for item in page.get("season_sheets", [])):
        path = folder / file
        if path.exists():
            try:
                sheets[translate_in("sheet", sheet)] = pd.read_excel(
                    path, sheet_name=sheet_name(translate_in("sheet", source))
                )
            except ValueError:  # an export without that sheet
                continue
    if not sheets:
        return None
    return write_excel(sheets, folder / f"tagkit_{season}.xlsx", percent=PERCENT_COLUMNS)


def _parameters(params_file, declared: dict[str, dict]) -> dict[str, dict]:
    for notebook, params in declared.items():
        partial = sorted(set(HIT_PARAMETERS) - set(params)) if set(HIT_PARAMETERS) & set(params) else []
        if partial:
            raise ReportError(
                f"The notebook {notebook!r} labels hits but does not declare {', '.join(partial)}: "
                "every notebook that labels hits takes the whole hit definition, so that every report "
                "of the batch has the same hits."
            )
    if params_file is None:
        return {}
    data, lines = read_yaml(params_file)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{params_file}: expected a mapping of 'shared' and notebook names to parameters.")
    problems = []
    allowed_sections = ["shared", *declared]
    everything = {name for params in declared.values() for name in params}
    for section, values in data.items():
        where = f"{params_file}, line {lines.get((section,), '?')}"
        if section not in allowed_sections:
            problems.append(
                f"{where}: {section!r} is neither 'shared' nor a notebook of the batch "
                f"({', '.join(declared)}).{did_you_mean(str(section), allowed_sections)}"
            )
            continue
        if not isinstance(values, dict):
            problems.append(f"{where}: {section!r} must map parameter names to values.")
            continue
        names = everything if section == "shared" else set(declared[section])
        for name in values:
            if name in SHARED_PARAMETERS:
                problems.append(
                    f"{where}: {name!r} is set by the command line (--season/--data/--out), not in the parameters file."
                )
            elif name not in names:
                problems.append(
                    f"{where}: {name!r} is not a parameter of {section!r}; it takes "
                    f"{', '.join(sorted(names - set(SHARED_PARAMETERS)))}.{did_you_mean(name, names)}"
                )
    if problems:
        raise ParameterError(f"{params_file} does not fit the notebooks:\n  - " + "\n  - ".join(problems))
    return data


def _keep_other_reports(previous: Path, build: Path, pages: list[dict]) -> list[dict]:
    """With --only: the season's other reports and exports stay, and stay in the index."""
    index = previous / "index.json"
    if not index.exists():
        return pages
    for path in previous.iterdir():
        if path.is_file() and not (build / path.name).exists():
            shutil.copy2(path, build / path.name)
    rerun = {p["file"] for p in pages}
    kept = [p for p in json.loads(index.read_text(encoding="utf-8")) if p["file"] not in rerun]
    return sorted(kept + pages, key=lambda p: p["file"])


def _keep_failed(executed: Path, out_dir: Path, season: str, kernel_log: Path | None = None) -> Path:
    """The failed notebook as executed, and what its kernel said on stderr (beside it, ``<name>.kernel.log``)."""
    target = out_dir / ".failed" / season / executed.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if executed.exists():
        shutil.copyfile(executed, target)
    if kernel_log is not None and kernel_log.exists():
        shutil.move(kernel_log, target.with_suffix(".kernel.log"))
    return target


def _kernel_logged_to(log: Path, on_start, cwd: Path):
    """A kernel manager whose kernel writes its own stderr to ``log``: ipykernel's start-up warning ("running over
    TCP without encryption", which holds for a kernel on this machine's loopback only) and its traceback when
    Ctrl-C stops it stay out of the terminal. Cell output is not affected; a failed notebook's log is kept."""
    from jupyter_client.manager import AsyncKernelManager

    class LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            with open(log, "ab") as handle:  # the kernel holds its own copy of the descriptor
                kw["stderr"] = handle
                kw["cwd"] = str(cwd)
                await super()._async_launch_kernel(kernel_cmd, **kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                on_start(process)

    return LoggedKernelManager


def _replace(build: Path, final: Path) -> Path:
    """Swap the new build in for the previous reports of the season."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(build, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final
