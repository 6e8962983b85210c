"""Everything the hit analysis and the planner need from a dataset, read once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from tagkit._memory import freed_memory_kept
from tagkit._progress import step
from tagkit.encode import encode_tags
from tagkit.health import TaggedCatalogue, read_inputs
from tagkit.io import cache as disk_cache
from tagkit.io.dataset import CONFIG_NAME, Dataset
from tagkit.io.sales import Sales
from tagkit.taxonomy import Taxonomy


@dataclass(frozen=True)
class Brand:
    """A brand's taxonomy, own catalogue with its tag matrix, sales, competitors and candidates."""

    dataset: Dataset
    taxonomy: Taxonomy
    own: TaggedCatalogue
    matrix: pd.DataFrame
    sales: Sales
    competitors: TaggedCatalogue | None = None
    competitor_matrix: pd.DataFrame | None = None
    candidates: TaggedCatalogue | None = None

    def competitors_in(self, seasons) -> pd.DataFrame:
        """The tag rows of the competitor best sellers of the given seasons (their ``launch_season``)."""
        if self.competitors is None:
            return self.matrix.iloc[0:0]
        products = self.competitors.products
        chosen = products.loc[products["launch_season"].isin(list(seasons)), "product_id"]
        return self.competitor_matrix.loc[chosen.astype(str)]

    def __repr__(self) -> str:
        return (
            f"Brand({self.dataset.name!r}: {len(self.own.products):,} products, "
            f"{self.sales.rows_used:,} order lines used, competitors={self.competitors is not None}, "
            f"candidates={self.candidates is not None})"
        )


@freed_memory_kept
def load_brand(
    dataset: Dataset,
    *,
    unknown: str = "report",
    set_aside_path=None,
    engine: str | None = None,
    spark=None,
    cache: bool = True,
) -> Brand:
    """Read every input of ``dataset``; tags are normalised and encoded with the taxonomy, order lines
    aggregated by ``engine`` (``duckdb`` or ``spark``; Spark when only a ``spark`` session is given).

    With ``cache`` (the default) the loaded brand is kept on disk (see :mod:`tagkit.io.cache`), keyed by the
    content of every input file, the dataset's configuration and these parameters: the next notebook, or a
    re-run, with the same inputs reads it back in a fraction of the time. Not cached: a load that writes the
    set-aside order lines, that runs on Spark, or whose inputs are not local files."""
    key = (
        _cache_key(dataset, unknown=unknown, engine=engine)
        if cache and set_aside_path is None and spark is None
        else None
    )
    if key is not None:
        with step(f"Reading the brand {dataset.name!r} from the cache"):
            found = disk_cache.load(key)
        if isinstance(found, Brand):
            return replace(found, dataset=dataset)
    taxonomy = dataset.read_taxonomy()
    inputs = _inputs(dataset, taxonomy, unknown=unknown, cache=cache)
    own = inputs["catalogue"]
    own_products = own.products[own.products["source"] == "own"]
    with step(f"Adding up the sales of {dataset.name!r}"):
        sales = dataset.read_sales(own_products, set_aside_path=set_aside_path, engine=engine, spark=spark)
    competitors = inputs.get("competitors")
    brand = Brand(
        dataset=dataset,
        taxonomy=taxonomy,
        own=own,
        matrix=encode_tags(own.tags, taxonomy, products=own.products),
        sales=sales,
        competitors=competitors,
        competitor_matrix=encode_tags(competitors.tags, taxonomy, products=competitors.products)
        if competitors
        else None,
        candidates=inputs.get("candidates"),
    )
    if key is not None:
        disk_cache.store(key, brand)
    return brand


def load_inputs(dataset: Dataset, *, unknown: str = "report", cache: bool = True) -> dict[str, TaggedCatalogue]:
    """The dataset's catalogue inputs, read and normalised with its own taxonomy (:func:`read_inputs`), kept in
    the disk cache like :func:`load_brand`: the tag-health notebook's read is the brand loader's too."""
    return _inputs(dataset, None, unknown=unknown, cache=cache)


def _inputs(dataset: Dataset, taxonomy: Taxonomy | None, *, unknown: str, cache: bool) -> dict[str, TaggedCatalogue]:
    """:func:`load_inputs`, with the dataset's taxonomy when the caller has already read it."""
    key = _cache_key(dataset, "inputs", unknown=unknown) if cache else None
    found = disk_cache.load(key) if key is not None else None
    if isinstance(found, dict) and all(isinstance(v, TaggedCatalogue) for v in found.values()):
        return found
    inputs = read_inputs(dataset, taxonomy or dataset.read_taxonomy(), unknown=unknown)
    if key is not None:
        disk_cache.store(key, inputs)
    return inputs


def _cache_key(dataset: Dataset, kind: str = "brand", **parameters) -> str | None:
    """The brand's cache key: every local input file by content, the configuration, the parameters; None when
    an input is not a local file (a bucket's objects cannot be digested cheaply) or the cache is off."""
    if disk_cache.cache_folder() is None or dataset.remote_inputs():
        return None
    files = [dataset.folder / CONFIG_NAME, *dataset.files()]
    try:
        digests = [(str(Path(f).resolve()), disk_cache.file_digest(f)) for f in files]
    except OSError:  # a file that cannot be read now fails the load itself, with its own message
        return None
    return disk_cache.key_of(
        kind,
        {
            "files": digests,
            "inputs": dataset.inputs,
            "analysis": dataset.analysis,
            "calendar": repr(dataset.calendar),
            **parameters,
        },
    )
