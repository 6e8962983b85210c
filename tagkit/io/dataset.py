"""A dataset folder: ``dataset.yml`` says which file is what and how to read it.

```yaml
name: My brand
calendar: quarters                 # or {name: halves, seasons: [{code: SS, start_month: 2}, ...]}
taxonomy: taxonomy.yml
catalogue:   {path: products.csv, shape: wide, columns: {product_id: SKU}}
sales:       {path: orders/*.csv, kind: order_lines, columns: {date: Order date}}
competitors: {path: competitors.csv, shape: tag_string, source: competitor}   # optional
candidates:  {path: pipeline.xlsx, shape: long}                                # optional
language: zh                       # optional: pages and workbooks in Simplified Chinese (default en)
```
Paths are relative to the folder holding ``dataset.yml``.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tagkit._checks import did_you_mean
from tagkit.catalogue import Catalogue
from tagkit.errors import InputError, ParameterError
from tagkit.io import cache as disk_cache
from tagkit.io.engines import is_uri
from tagkit.io.readers import read_catalogue, read_taxonomy
from tagkit.io.sales import Sales, combine_sales, read_sales, sales_span
from tagkit.io.yaml_files import read_yaml
from tagkit.language import check_language
from tagkit.paths import DEMO_DATA
from tagkit.seasons import SeasonCalendar, calendar_from_config
from tagkit.taxonomy import Taxonomy

CONFIG_NAME = "dataset.yml"
_TOP_KEYS = {
    "name",
    "calendar",
    "taxonomy",
    "catalogue",
    "sales",
    "competitors",
    "candidates",
    "description",
    "analysis",
    "language",
}
_CATALOGUE_KEYS = {
    "path",
    "shape",
    "columns",
    "source",
    "encoding",
    "sheet",
    "header_row",
    "date_format",
    "separators",
    "placeholders",
    "id_width",
    "text",
}
_SALES_KEYS = {
    "path",
    "kind",
    "columns",
    "encoding",
    "date_format",
    "latest_date",
    "min_id_match",
    "memory_limit",
    "id_width",
    "sheet",
}
CATALOGUE_INPUTS = ("catalogue", "competitors", "candidates")
_DEFAULT_SOURCE = {"catalogue": "own", "competitors": "competitor", "candidates": "own"}


@dataclass(frozen=True)
class Dataset:
    """A brand's input files and how to read them; read them through its methods."""

    folder: Path
    name: str
    calendar: SeasonCalendar
    taxonomy_file: Path
    inputs: dict = field(default_factory=dict)
    analysis: dict = field(default_factory=dict)  # which dimensions make the planning category and a look
    language: str = "en"  # the language of the pages and workbooks (tagkit.language)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, folder={str(self.folder)!r}, inputs={sorted(self.inputs)})"

    def has(self, which: str) -> bool:
        return which in self.inputs

    def files(self) -> list[Path]:
        """Every input file, for the run manifest."""
        out = [self.taxonomy_file]
        for key, spec in self.inputs.items():
            for one in spec if key == "sales" else [spec]:
                out.extend(p for p in _paths(self.folder, one["path"]) if not is_uri(p))
        return out

    def remote_inputs(self) -> list[str]:
        """Inputs given as URIs (a bucket or a web address), not local files."""
        return [
            str(p)
            for key, spec in self.inputs.items()
            for one in (spec if key == "sales" else [spec])
            for p in _as_list(one["path"])
            if is_uri(str(p))
        ]

    def outside_files(self) -> list[Path]:
        """Input files that lie outside the dataset folder (allowed: the reports say so, and the manifest lists
        every input file with its path and checksum)."""
        return [f for f in self.files() if not Path(f).resolve().is_relative_to(self.folder)]

    def read_taxonomy(self) -> Taxonomy:
        """The taxonomy, with the roles of its dimensions from the ``analysis`` section of dataset.yml.

        Kept in the disk cache (:mod:`tagkit.io.cache`) by the file's content and the analysis section: every
        notebook of a batch reads the taxonomy, and a large one takes seconds to parse and check."""
        key = None
        if disk_cache.cache_folder() is not None:
            try:
                file = self.taxonomy_file.resolve()
                parts = {"file": str(file), "digest": disk_cache.file_digest(file), "analysis": self.analysis}
                key = disk_cache.key_of("taxonomy", parts)
            except OSError:  # an unreadable file fails the read below, with its own message
                pass
        found = disk_cache.load(key) if key else None
        if isinstance(found, Taxonomy):
            return found
        taxonomy = read_taxonomy(self.taxonomy_file)
        if self.analysis:
            taxonomy = taxonomy.with_roles(self.analysis, source=str(self.folder / CONFIG_NAME))
        if key:
            disk_cache.store(key, taxonomy)
        return taxonomy

    def read_catalogue(self, which: str = "catalogue", *, taxonomy: Taxonomy | None = None) -> Catalogue:
        """Read the ``catalogue``, ``competitors`` or ``candidates`` file."""
        if which not in CATALOGUE_INPUTS:
            raise InputError(f"{which!r} is not a catalogue input; choose one of {', '.join(CATALOGUE_INPUTS)}.")
        if which not in self.inputs:
            raise InputError(f"{self.folder / CONFIG_NAME} has no {which!r} entry.")
        spec = dict(self.inputs[which])
        path = self.folder / spec.pop("path")
        spec.setdefault("source", _DEFAULT_SOURCE[which])
        return read_catalogue(path, taxonomy=taxonomy or self.read_taxonomy(), calendar=self.calendar, **spec)

    def sales_span(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last day of usable sales over every local sales input (None when none can be told, e.g.
        files on shared storage)."""
        spans = []
        for spec in self.inputs.get("sales", []):
            spec = dict(spec)
            paths = _as_list(spec.pop("path"))
            if any(is_uri(p) for p in paths):
                return None
            span = sales_span([str(self.folder / p) for p in paths], calendar=self.calendar, **spec)
            if span is not None:
                spans.append(span)
        return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None

    def read_sales(
        self,
        products: pd.DataFrame,
        *,
        set_aside_path=None,
        progress: bool = False,
        engine: str | None = None,
        spark=None,
    ) -> Sales:
        """The sales, aggregated by ``engine``: ``duckdb`` (embedded) or ``spark`` (chosen when only a ``spark``
        session is given). Several sales inputs (say a web shop's order lines and a marketplace's aggregated
        figures) are read one by one and added up per product and season."""
        specs = self.inputs["sales"]
        parts = []
        for i, spec in enumerate(specs):
            spec = dict(spec)
            paths = [p if is_uri(p) else str(self.folder / p) for p in _as_list(spec.pop("path"))]
            aside = None
            if set_aside_path is not None:
                aside = (
                    Path(set_aside_path)
                    if len(specs) == 1
                    else Path(set_aside_path).with_name(f".{Path(set_aside_path).stem}.part{i}.csv")
                )
            parts.append(
                read_sales(
                    paths,
                    products=products,
                    calendar=self.calendar,
                    set_aside_path=aside,
                    progress=progress,
                    engine=engine,
                    spark=spark,
                    **spec,
                )
            )
        if len(parts) == 1:
            return parts[0]
        return combine_sales(parts, calendar=self.calendar, set_aside_path=set_aside_path)


def open_dataset(folder=None) -> Dataset:
    """The dataset in ``folder`` (the bundled demo brand when ``folder`` is None or empty)."""
    folder = Path(folder) if folder not in (None, "") else DEMO_DATA
    config_file = folder / CONFIG_NAME if folder.is_dir() else folder
    if not config_file.exists():
        raise InputError(
            f"{config_file}: no dataset config here. A dataset folder holds a {CONFIG_NAME} that "
            "names its taxonomy, catalogue and sales files (see README, 'Data formats')."
        )
    folder = config_file.parent
    data, lines = read_yaml(config_file)
    problems = []

    def where(*path):
        return f"line {lines.get(path, '?')}"

    if not isinstance(data, dict):
        raise InputError(f"{config_file}: expected a mapping with 'taxonomy', 'catalogue' and 'sales'.")
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(
                f"{where(key)}: unknown entry {key!r}; allowed are {', '.join(sorted(_TOP_KEYS))}."
                f"{did_you_mean(key, _TOP_KEYS)}"
            )
    for key in ("taxonomy", "catalogue", "sales"):
        if key not in data:
            problems.append(f"the {key!r} entry is missing")
    try:
        calendar = calendar_from_config(data.get("calendar"))
    except Exception as err:
        problems.append(f"{where('calendar')}: {err}")
        calendar = calendar_from_config(None)
    inputs = {}
    for key in ("catalogue", "sales", "competitors", "candidates"):
        if key not in data:
            continue
        several = key == "sales" and isinstance(data[key], list)
        specs = data[key] if several else [data[key]]
        kept = []
        for i, spec in enumerate(specs):
            at = (key, i) if several else (key,)
            if isinstance(spec, str):
                spec = {"path": spec}
            allowed = _SALES_KEYS if key == "sales" else _CATALOGUE_KEYS
            if not isinstance(spec, dict) or "path" not in spec:
                problems.append(
                    f"{where(*at)}: {key!r} must be a file name or a mapping with 'path'"
                    f"{' (or a list of them)' if key == 'sales' else ''}; found {spec!r}"
                )
                continue
            for option in spec:
                if option not in allowed:
                    problems.append(
                        f"{where(*at, option)}: {key} has an unknown option {option!r}; allowed are "
                        f"{', '.join(sorted(allowed))}.{did_you_mean(option, allowed)}"
                    )
            problems.extend(f"{where(*at, option)}: {key}: {text}" for option, text in _option_problems(spec))
            for pattern in _as_list(spec["path"]):
                if not _paths(folder, pattern):
                    problems.append(f"{where(*at, 'path')}: {key} file {pattern!r} not found in {folder}")
            kept.append({k: v for k, v in spec.items() if k in allowed})
        if key == "sales":
            if not kept and not problems:
                problems.append(f"{where(key)}: 'sales' lists no sales input")
            inputs[key] = kept
        elif kept:
            inputs[key] = kept[0]
    analysis = data.get("analysis") or {}
    if not isinstance(analysis, dict):
        problems.append(
            f"{where('analysis')}: 'analysis' must be a mapping such as {{category: product_type, look: "
            f"[product_type, colour, pattern]}}; found {analysis!r}"
        )
        analysis = {}
    try:
        language = check_language(data.get("language"))
    except ParameterError as err:
        problems.append(f"{where('language')}: {err}")
        language = "en"
    taxonomy_file = folder / str(data.get("taxonomy", "taxonomy.yml"))
    if "taxonomy" in data and not taxonomy_file.exists():
        problems.append(f"{where('taxonomy')}: taxonomy file {str(data['taxonomy'])!r} not found in {folder}")
    if problems:
        raise InputError(f"{config_file} does not describe a usable dataset:", problems)
    return Dataset(
        folder.resolve(),
        str(data.get("name", folder.name)),
        calendar,
        taxonomy_file.resolve(),
        inputs,
        analysis,
        language,
    )


def _option_problems(spec: dict):
    """(option, problem) for option values of the wrong kind."""
    columns = spec.get("columns")
    if columns is not None and not isinstance(columns, dict):
        yield (
            "columns",
            (
                "columns must map tagkit's names to your column names, e.g. columns: {product_id: SKU, "
                f"date: Order date}}; found {columns!r}"
            ),
        )
    for option in ("encoding", "date_format", "latest_date", "memory_limit", "kind", "shape", "source"):
        value = spec.get(option)
        if value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
            yield option, f"{option} must be a single value; found {value!r}"
    width = spec.get("id_width")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= 64):
        yield "id_width", f"id_width must be a whole number of digits (1-64), e.g. id_width: 10; found {width!r}"
    separators = spec.get("separators")
    if (
        separators is not None
        and not isinstance(separators, str)
        and not (isinstance(separators, dict) and all(isinstance(v, str) for v in separators.values()))
    ):
        yield (
            "separators",
            (
                'separators must be text such as ",;" ("" for none) or a mapping of column names to '
                f"such text; found {separators!r}"
            ),
        )
    placeholders = spec.get("placeholders")
    if placeholders is not None and not (
        isinstance(placeholders, list) and all(isinstance(p, (str, int, float)) for p in placeholders)
    ):
        yield "placeholders", f"placeholders must be a list of values such as [Unknown, n/a]; found {placeholders!r}"


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _paths(folder: Path, patterns) -> list[Path]:
    out = []
    for pattern in _as_list(patterns):
        if is_uri(pattern):  # on shared storage: Spark reads it, nothing to check here
            out.append(pattern)
            continue
        full = folder / pattern
        # a file whose name holds [ ] (say 'orders [2025].csv') is that file, not a pattern
        out.extend(
            sorted(Path(p) for p in glob.glob(str(full)))
            if any(c in pattern for c in "*?[") and not full.exists()
            else ([full] if full.exists() else [])
        )
    return out
