"""Everything that touches the disk on the way in: files, taxonomy, catalogues, sales, datasets."""

import importlib.util

from tagkit.io._files import atomic_write, detect_encoding, read_table
from tagkit.io.dataset import Dataset, open_dataset
from tagkit.io.readers import read_catalogue, read_taxonomy
from tagkit.io.sales import Sales, combine_sales, read_sales
from tagkit.io.yaml_files import read_yaml

__all__ = [
    "Dataset",
    "Sales",
    "atomic_write",
    "combine_sales",
    "detect_encoding",
    "open_dataset",
    "read_catalogue",
    "read_sales",
    "read_table",
    "read_taxonomy",
    "read_yaml",
]


def __getattr__(name: str):
    # tk.io.writers, tk.io.cache...: a module of this package is there when asked for, as it was when `import tagkit`
    # imported everything
    if not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
