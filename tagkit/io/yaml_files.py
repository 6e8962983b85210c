"""YAML files (taxonomy, dataset config, report parameters), with the line of every entry."""

from __future__ import annotations

from pathlib import Path

import yaml

from tagkit.errors import InputError
from tagkit.io._files import atomic_write, check_file, read_text


def read_yaml(path) -> tuple[object, dict[tuple, int]]:
    """The parsed file and a map from each entry's path (keys and indexes) to its line.

    Unlike plain ``yaml.safe_load``, a key given twice in one mapping is an error rather than
    silently keeping the last one.
    """
    path = check_file(path)
    text, _ = read_text(path)
    if len(text) > MAX_YAML_BYTES:
        raise InputError(
            f"{path}: {len(text) / 2**20:,.1f} MB is too large for a tagkit settings file (at most "
            f"{MAX_YAML_BYTES // 2**20} MB). Is it the right file?"
        )
    try:
        loader = _LOADER(text)  # parsed once (by libyaml when installed): the node, for lines, and the data from it
        try:
            node = loader.get_single_node()
            lines: dict[tuple, int] = {}
            duplicates: list[str] = []
            if node is not None:
                _walk(node, (), lines, duplicates, set(), path)  # refuses aliases before anything is built
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError(f"{path}: {where}not valid YAML ({getattr(err, 'problem', err)}).") from err
    if duplicates:
        raise InputError(f"{path}: a key is given twice in the same mapping:", duplicates)
    return data, lines


MAX_YAML_BYTES = 32 * 2**20


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node, path: tuple, lines: dict, duplicates: list, seen: set, file: Path):
    """Lines of every entry, keys given twice; a node met twice is an alias (*name), refused: nested aliases
    expand exponentially ('billion laughs'), a recursive one never ends, and tagkit's files never need them."""
    if id(node) in seen:
        mark = node.start_mark
        raise InputError(
            f"{file}: line {mark.line + 1}, column {mark.column + 1}: YAML anchors and aliases "
            f"(&name, *name) are not allowed in tagkit's files; write the values out in full."
        )
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in keys:
                duplicates.append(f"{key!r} on line {line} was already given on line {keys[key]}")
            keys[key] = line
            _walk(value_node, path + (key,), lines, duplicates, seen, file)
            lines[path + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, duplicates, seen, file)


def write_yaml(data, path) -> Path:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
