"""Reading a taxonomy file and catalogue files (own range, competitors, market, candidates)."""

from __future__ import annotations

from pathlib import Path

from tagkit._memory import freed_memory_kept
from tagkit.catalogue import PLACEHOLDERS, Catalogue, parse_catalogue
from tagkit.errors import InputError
from tagkit.io._files import read_table
from tagkit.io.yaml_files import read_yaml
from tagkit.seasons import QUARTERS, SeasonCalendar
from tagkit.taxonomy import Taxonomy


def read_taxonomy(path) -> Taxonomy:
    """Load and validate a taxonomy YAML file; every problem is reported with its line."""
    data, lines = read_yaml(path)
    return Taxonomy.from_dict(data, source=str(path), lines=lines)


@freed_memory_kept
def read_catalogue(
    path,
    *,
    taxonomy: Taxonomy,
    calendar: SeasonCalendar = QUARTERS,
    shape: str = "auto",
    columns: dict | None = None,
    source: str = "own",
    encoding: str | None = None,
    sheet=None,
    header_row: int | None = None,
    date_format: str | None = None,
    separators=None,
    placeholders=None,
    id_width: int | None = None,
    text=None,
) -> Catalogue:
    """Read a catalogue file (CSV, Excel or Parquet) in the wide, long or tag-string shape.

    See :func:`tagkit.catalogue.parse_catalogue` for ``shape`` and ``columns``; ``source`` is
    the source given to products whose row does not say (``own``, ``competitor``, ``market``);
    ``separators``, ``placeholders``, ``id_width`` and ``text`` as in :func:`tagkit.parse_catalogue` (placeholders:
    None for the default list).
    """
    if not isinstance(taxonomy, Taxonomy):
        raise InputError(f"read_catalogue needs the taxonomy (from tk.read_taxonomy); got {type(taxonomy).__name__}.")
    frame = read_table(path, encoding=encoding, sheet=sheet, header_row=header_row)
    return parse_catalogue(
        frame,
        taxonomy=taxonomy,
        calendar=calendar,
        shape=shape,
        columns=columns,
        default_source=source,
        date_format=date_format,
        file=Path(path).name,
        separators=separators,
        placeholders=PLACEHOLDERS if placeholders is None else placeholders,
        id_width=id_width,
        text=text,
    )
