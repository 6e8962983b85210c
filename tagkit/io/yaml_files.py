"""YAML files (taxonomy, dataset config, report parameters), with the line of every entry."""

from __future__ import annotations

from pathlib import Path

import yaml

from tagkit.errors import InputError
from tagkit.io._files import check_file, read_text


def read_yaml(path) -> tuple[object, dict[tuple, int]]:
    """The parsed file and a map from each entry's path (keys and indexes) to its line.

    Unlike plain ``yaml.safe_load``, a key given twice in one mapping is an error rather than
    silently keeping the last one.
    """
    path = check_file(path)
    text, _ = read_text(path)
    if len(text) > MAX_YAML_BYTES:
        raise InputError(f"{path}: {len(text) / 2**20:,.1f} MB is too large for a tagkit settings file (at most "
                         f"{MAX_YAML_BYTES // 2**20} MB). Is it the right file?")
    try:
        _refuse_aliases(path, text)
        loader = yaml.SafeLoader(text)  # parsed once: the node (for lines) and the data from it
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError(f"{path}: {where}not valid YAML ({getattr(err, 'problem', err)}).") from err
    lines: dict[tuple, int] = {}
    duplicates: list[str] = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    if duplicates:
        raise InputError(f"{path}: a key is given twice in the same mapping:", duplicates)
    return data, lines


MAX_YAML_BYTES = 32 * 2**20


def _refuse_aliases(path: Path, text: str) -> None:
    """Anchors and aliases (&a, *a) are refused: nested ones expand exponentially ('billion laughs') and a
    recursive one never ends, and tagkit's files never need them."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise InputError(f"{path}: line {mark.line + 1}, column {mark.column + 1}: YAML anchors and aliases "
                             f"(&name, *name) are not allowed in tagkit's files; write the values out in full.")


def _walk(node, path: tuple, lines: dict, duplicates: list):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                duplicates.append(f"{key!r} on line {line} was already given on line {seen[key]}")
            seen[key] = line
            _walk(value_node, path + (key,), lines, duplicates)
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, duplicates)


def write_yaml(data, path) -> Path:
    from tagkit.io._files import atomic_write

    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
