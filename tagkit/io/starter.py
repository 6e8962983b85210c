"""``tagkit init``: a starting ``dataset.yml`` and a drafted ``taxonomy.yml`` from a catalogue export and
a sales file, so that a brand's first run reads its files as they are.

What it decides, and writes down where the user can change it: which columns are tags (single- or
multi-valued; values holding a comma are never split), which are tagkit fields, which were left out
and why; whether the sales are order lines or already aggregated, and their columns; and, when the ids
of the two files differ only by leading zeros, the ``id_width`` that gives them back on the side that
lost them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from tagkit.catalogue import FIELD_SYNONYMS, parse_dates, profile_columns
from tagkit.errors import InputError
from tagkit.io._files import atomic_write, detect_encoding, file_kind, read_table, sniff_delimiter
from tagkit.io.sales import AGGREGATED_FIELDS, ORDER_LINE_FIELDS
from tagkit.io.sales import _resolve as resolve_fields
from tagkit.taxonomy import VALUE_SEPARATORS, Taxonomy, dimension_name, draft_taxonomy

_SAMPLE_ROWS = 20_000
_TEXT_ROWS = 200_000  # texts read for the frequent words of a taxonomy drafted from text
_HEADER = (
    "# Written by `tagkit init` from {files}. Check it, then run `tagkit check --data {folder}`.\n"
    "# Every entry is explained in docs/your-data.md.\n"
)


@dataclass(frozen=True)
class InitResult:
    """The files written, and what was decided, in sentences."""

    dataset_file: Path
    taxonomy_file: Path
    notes: list = field(default_factory=list)


def init_dataset(catalogue, sales=None, *, out=None, name: str | None = None, force: bool = False) -> InitResult:
    """Draft ``dataset.yml`` and ``taxonomy.yml`` in ``out`` (default: the catalogue's folder) from a catalogue
    file and, optionally, a sales file (order lines or aggregated). Existing files are kept unless ``force``."""
    catalogue = Path(catalogue)
    out = Path(out) if out else catalogue.parent
    out.mkdir(parents=True, exist_ok=True)
    targets = out / "dataset.yml", out / "taxonomy.yml"
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise InputError(
            f"{', '.join(existing)} already exist(s); tagkit init does not overwrite a dataset. Choose "
            "another --out folder, or add --force."
        )
    frame = read_table(catalogue)
    profile = profile_columns(frame)
    notes = []
    if "product_id" not in profile.fields:
        raise InputError(
            f"{catalogue}: no product id column; the columns are {', '.join(map(repr, frame.columns))}. "
            "Rename the id column to product_id (or SKU), then run tagkit init again."
        )
    # product text (the title, free-text columns): read for tags when no column is tags
    text_columns = [profile.fields["name"]] if "name" in profile.fields else []
    text_columns += [c for c, why in profile.skipped.items() if why.startswith("free text") and c not in text_columns]
    if not profile.tags and not text_columns:
        raise InputError(
            f"{catalogue}: no column looks like tags (a few distinct short values per column), and there is no "
            f"title or other text to read tags from; left out: "
            f"{'; '.join(f'{c}: {why}' for c, why in profile.skipped.items())}."
        )
    names: dict[str, str] = {}
    reserved = {f for f in FIELD_SYNONYMS if f != "category"}  # a dimension is never named like a field
    for column in profile.tags:
        names[column] = dimension_name(column, set(names.values()) | reserved)
    from_text = not profile.tags
    draft = draft_taxonomy(
        {names[c]: frame[c].rename(c) for c in profile.tags},
        multi={names[c] for c in profile.multi},
        required={names[c] for c in profile.required},
        separators={names[c]: VALUE_SEPARATORS for c in profile.multi},
        text=pd.concat([frame[c] for c in text_columns], ignore_index=True).head(_TEXT_ROWS) if from_text else None,
    )
    taxonomy = Taxonomy.from_dict(draft, source=str(targets[1]))  # the draft must load as it is
    catalogue_spec: dict = {
        "path": _relative(catalogue, out),
        "shape": "wide",
        "columns": {**profile.fields, **{names[c]: c for c in profile.tags}},
    }
    if from_text:
        catalogue_spec["text"] = text_columns
        notes.append(
            f"No column looks like tags: tags are read from the text of {', '.join(text_columns)} (text: in "
            "dataset.yml). The taxonomy's one dimension, term, holds the text's frequent words and phrases with "
            "their counts: move each into the dimension it belongs to (colour, material...) and delete the rest "
            "(docs/your-data.md, 'Tags read from titles and descriptions')."
        )
    if profile.whole:
        catalogue_spec["separators"] = {c: "" for c in sorted(profile.whole)}
        notes.append(
            f"Values in {', '.join(sorted(profile.whole))} contain commas or other separators but are one "
            'value each (separators: "" keeps them whole).'
        )
    if profile.tags:
        notes.append(
            f"{len(profile.tags)} tag column(s) became dimensions: "
            + ", ".join(f"{c} -> {names[c]}{' (several values)' if c in profile.multi else ''}" for c in profile.tags)
            + "."
        )
    left_out = {c: why for c, why in profile.skipped.items() if not (from_text and c in text_columns)}
    if left_out:
        notes.append("Left out: " + "; ".join(f"{c} ({why})" for c, why in left_out.items()) + ".")
    if "launch_date" not in profile.fields and "launch_season" not in profile.fields:
        notes.append(
            "No launch date or season: a product's launch is taken to be its first sale (see "
            "docs/your-data.md, 'No launch dates')."
        )
    config: dict = {
        "name": name or catalogue.stem.replace("_", " ").title(),
        "calendar": "quarters",
        "taxonomy": "taxonomy.yml",
        "catalogue": catalogue_spec,
    }
    if sales is not None:
        catalogue_ids = frame[profile.fields["product_id"]].astype(str).str.strip()
        sales_spec, sales_notes, ids = _sales_spec(Path(sales), out, catalogue_ids)
        config["sales"] = sales_spec
        notes.extend(sales_notes)
        side, width = _lost_zeros(catalogue_ids, ids)
        if side:
            (catalogue_spec if side == "catalogue" else sales_spec)["id_width"] = width
            notes.append(
                f"The {side} ids lost their leading zeros (stored as numbers); id_width: {width} under "
                f"{side} gives them back."
            )
    _write_yaml(targets[1], draft, [catalogue.name], out)
    _write_yaml(targets[0], config, [catalogue.name] + ([Path(sales).name] if sales is not None else []), out)
    notes.append(
        f"The taxonomy has {len(taxonomy.dimensions)} dimensions and {len(taxonomy.items):,} values; add "
        "labels, parents (a hierarchy) and aliases in other languages."
    )
    return InitResult(targets[0], targets[1], notes)


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _sample(path: Path) -> pd.DataFrame:
    """The first rows of a sales file, every cell as text."""
    kind = file_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        batch = next(pq.ParquetFile(path).iter_batches(batch_size=_SAMPLE_ROWS), None)
        frame = batch.to_pandas() if batch is not None else pd.DataFrame()
        return frame.astype("string").fillna("").astype(object)
    if kind == "excel":
        return read_table(path)
    encoding = detect_encoding(path)
    opener = __import__("gzip").open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as fh:
        head = "".join(line for _, line in zip(range(5), fh))
    return pd.read_csv(
        path, nrows=_SAMPLE_ROWS, dtype=str, keep_default_na=False, sep=sniff_delimiter(head), encoding=encoding
    )


def _sales_spec(path: Path, out: Path, catalogue_ids: pd.Series) -> tuple[dict, list, pd.Series]:
    sample = _sample(path)
    header = [str(c) for c in sample.columns]
    known = set(catalogue_ids.str.lstrip("0"))

    def by_content() -> dict:
        """Columns told by what they hold: the ids that match the catalogue's, the dates."""
        found = {}
        overlap = {c: sample[c].astype(str).str.strip().str.lstrip("0").isin(known).mean() for c in header}
        best = max(overlap, key=overlap.get) if overlap else None
        if best is not None and overlap[best] >= 0.5:
            found["product_id"] = best
        for column in header:
            values = sample[column].astype(str).str.strip()
            values = values[values != ""]
            if len(values) and column != found.get("product_id") and not values.str.fullmatch(r"[\d.]+").all():
                dates, bad = parse_dates(values)
                if dates.notna().mean() >= 0.9:
                    found["date"] = column
                    break
        return found

    types = {c: "VARCHAR" for c in header}
    aggregated = resolve_fields(types, {}, AGGREGATED_FIELDS, (), path)  # by header, nothing required yet
    lines = resolve_fields(types, {}, ORDER_LINE_FIELDS, (), path)
    notes = []
    guessed = by_content()
    for fields in (aggregated, lines):
        for key, column in guessed.items():
            if key not in fields and column not in fields.values():
                fields[key] = column
                if fields is lines:
                    notes.append(f"{path.name}: {column!r} is read as the {key.replace('_', ' ')} (by its values).")
    if "season" in aggregated and "units" in aggregated:
        spec = {"path": _relative(path, out), "kind": "aggregated", "columns": aggregated}
        notes.append(f"{path.name}: sales already aggregated per product and season.")
    elif "date" in lines and "product_id" in lines:
        spec = {"path": _relative(path, out), "kind": "order_lines", "columns": lines}
        notes.append(
            f"{path.name}: order lines" + ("" if "quantity" in lines else ", one unit each (no quantity column)") + "."
        )
    else:
        raise InputError(
            f"{path}: cannot tell the product id and the date (or season) of its rows; its columns are "
            f"{', '.join(map(repr, header))}. Expected names such as product_id/SKU and date/order_date "
            "(order lines) or season and units (aggregated sales)."
        )
    ids = sample[spec["columns"]["product_id"]].astype(str).str.strip()
    return spec, notes, ids


def _lost_zeros(catalogue_ids: pd.Series, sales_ids: pd.Series) -> tuple[str | None, int]:
    """Which side lost leading zeros ('catalogue' or 'sales') and the width that restores them, when the
    ids match far better once padded."""

    def digits(ids):
        return ids[ids.str.fullmatch(r"\d+")]

    cat, sal = set(catalogue_ids), set(sales_ids)
    if not sal or len(cat & sal) >= 0.5 * len(sal):
        return None, 0
    for side, short, long in (
        ("catalogue", digits(catalogue_ids), digits(sales_ids)),
        ("sales", digits(sales_ids), digits(catalogue_ids)),
    ):
        if long.empty or short.empty:
            continue
        width = int(long.str.len().mode().iloc[0])
        padded = set(short.str.zfill(width))
        other = set(long)
        if len(padded & other) > 2 * len(set(short) & other) and len(padded & other) >= 0.5 * min(
            len(padded), len(other)
        ):
            return side, width
    return None, 0


def _write_yaml(path: Path, data: dict, files: list[str], out: Path):
    text = _HEADER.format(files=", ".join(files), folder=out) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=110
    )
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
