"""Everything the hit analysis and the planner need from a dataset, read once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tagkit.encode import encode_tags
from tagkit.health import TaggedCatalogue, read_inputs
from tagkit.io.dataset import Dataset
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
        return (f"Brand({self.dataset.name!r}: {len(self.own.products):,} products, "
                f"{self.sales.rows_used:,} order lines used, competitors={self.competitors is not None}, "
                f"candidates={self.candidates is not None})")


def load_brand(dataset: Dataset, *, unknown: str = "report", set_aside_path=None, engine: str | None = None,
               spark=None) -> Brand:
    """Read every input of ``dataset``; tags are normalised and encoded with the taxonomy, order lines
    aggregated by ``engine`` (``duckdb`` or ``spark``; Spark when only a ``spark`` session is given)."""
    taxonomy = dataset.read_taxonomy()
    inputs = read_inputs(dataset, taxonomy, unknown=unknown)
    own = inputs["catalogue"]
    own_products = own.products[own.products["source"] == "own"]
    sales = dataset.read_sales(own_products, set_aside_path=set_aside_path, engine=engine, spark=spark)
    competitors = inputs.get("competitors")
    return Brand(
        dataset=dataset, taxonomy=taxonomy, own=own, matrix=encode_tags(own.tags, taxonomy, products=own.products),
        sales=sales, competitors=competitors,
        competitor_matrix=encode_tags(competitors.tags, taxonomy, products=competitors.products) if competitors else None,
        candidates=inputs.get("candidates"),
    )
