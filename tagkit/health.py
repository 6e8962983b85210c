"""Every catalogue input of a dataset, read with its tags resolved, and what their health says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tagkit._inert import plain
from tagkit._progress import step
from tagkit.catalogue import Catalogue
from tagkit.encode import encode_tags
from tagkit.io.dataset import CATALOGUE_INPUTS, Dataset
from tagkit.io.sales import Sales
from tagkit.language import sentences as join_sentences
from tagkit.language import translate as _
from tagkit.tags import NOT_RESOLVED, USABLE, missing_required, normalise_tags, tag_coverage, tag_health
from tagkit.taxonomy import Taxonomy

INPUT_LABELS = {
    "catalogue": "own catalogue",
    "competitors": "competitor best sellers",
    "candidates": "candidate pipeline",
}


@dataclass(frozen=True)
class TaggedCatalogue:
    """A catalogue and its resolved tags (one row per raw tag, see :func:`normalise_tags`)."""

    catalogue: Catalogue
    tags: pd.DataFrame

    @property
    def products(self) -> pd.DataFrame:
        return self.catalogue.products

    @property
    def file(self) -> str:
        return self.catalogue.file

    def matrix(self, taxonomy: Taxonomy, *, sparse: bool = False) -> pd.DataFrame:
        return encode_tags(self.tags, taxonomy, products=self.products, sparse=sparse)

    def __repr__(self) -> str:
        return f"TaggedCatalogue({self.catalogue!r})"


def read_inputs(dataset: Dataset, taxonomy: Taxonomy, *, unknown: str = "report") -> dict[str, TaggedCatalogue]:
    """The dataset's catalogue inputs (own catalogue, competitors, candidates, when present)."""
    out = {}
    for which in CATALOGUE_INPUTS:
        if dataset.has(which):
            with step(
                f"Reading and normalising the tags of the {INPUT_LABELS[which]} ({dataset.inputs[which]['path']})"
            ):
                catalogue = dataset.read_catalogue(which, taxonomy=taxonomy)
                out[which] = TaggedCatalogue(catalogue, normalise_tags(catalogue.raw_tags, taxonomy, unknown=unknown))
    return out


def input_overview(inputs: dict[str, TaggedCatalogue], taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per input file: rows, products, tags understood, problems."""
    rows = []
    for which, tagged in inputs.items():
        tags, products = tagged.tags, tagged.products
        missing = missing_required(tags, products, taxonomy)
        rows.append(
            {
                "input": INPUT_LABELS.get(which, which),
                "file": tagged.file,
                "shape": tagged.catalogue.shape,
                "rows_read": tagged.catalogue.rows_read,
                "rows_set_aside": tagged.catalogue.rows_set_aside,
                "products": len(products),
                "raw_tags": len(tags),
                "tags_understood": round(float(tags["status"].isin(USABLE).mean()), 4) if len(tags) else 0.0,
                "unresolved_tags": int(tags["status"].isin(NOT_RESOLVED).sum()),
                "products_missing_required": len(missing),
                "cell_problems": len(tagged.catalogue.problems),
                "placeholder_values": tagged.catalogue.placeholders,
                "ids_given_zeros_back": tagged.catalogue.ids_padded,
            }
        )
    return pd.DataFrame(rows)


def health_by_input(inputs: dict[str, TaggedCatalogue], taxonomy: Taxonomy) -> pd.DataFrame:
    """The tag-health tables of all inputs, one under the other, with the input they come from."""
    frames = [
        tag_health(t.tags, t.products, taxonomy).assign(input=INPUT_LABELS.get(w, w), file=t.file)
        for w, t in inputs.items()
    ]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return frame[["input", "file", *[c for c in frame.columns if c not in ("input", "file")]]]


def cell_problems(inputs: dict[str, TaggedCatalogue]) -> pd.DataFrame:
    """Every catalogue cell or row that could not be used, from all inputs."""
    frames = [t.catalogue.problems for t in inputs.values()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def outside_note(dataset: Dataset) -> str | None:
    """A sentence naming the input files that lie outside the dataset folder (None when there are none)."""
    outside = dataset.outside_files()
    if not outside:
        return None
    return (
        f"{len(outside)} input file(s) lie outside the dataset folder {dataset.folder}: "
        f"{', '.join(str(Path(f).resolve()) for f in outside[:5])}. They are read as dataset.yml says; "
        "manifest.json records each with its checksum."
    )


def season_products(products: pd.DataFrame, season: str) -> pd.DataFrame:
    return products[products["launch_season"] == season]


def tag_health_summary(
    inputs: dict[str, TaggedCatalogue], sales: Sales | None, taxonomy: Taxonomy, season: str
) -> tuple[str, dict]:
    """A few sentences for the top of the tag-health report, and the key figures behind them."""
    own = inputs["catalogue"]
    products, tags = own.products, own.tags
    launched = season_products(products, season)
    missing = missing_required(tags, products, taxonomy)
    complete = 1 - len(missing) / len(products) if len(products) else 0.0
    unresolved = tags[tags["status"].isin(NOT_RESOLVED)]
    coverage = tag_coverage(tags, products, taxonomy)
    weakest = coverage.sort_values(["coverage", "dimension"]).iloc[0]
    figures = {
        "products": int(len(products)),
        "products_launched_in_season": int(len(launched)),
        "share_fully_tagged": round(complete, 4),
        "unresolved_tags": int(len(unresolved)),
        "unresolved_distinct_values": int(unresolved[["dimension", "raw_value"]].drop_duplicates().shape[0]),
    }
    known_launch = products["launch_season"].notna().mean() >= 0.5 if len(products) else False
    launched_text = (
        _("{launched} launched in {season}", launched=f"{len(launched):,}", season=season)
        if known_launch
        else _("launch dates unknown: launch is taken to be the first sale")
    )
    sentences = [
        _(
            "**{products} products** in the own catalogue ({launched}); **{complete}** carry every required "
            "dimension ({required}).",
            products=f"{len(products):,}",
            launched=launched_text,
            complete=f"{complete:.1%}",
            required=plain(_(", ").join(taxonomy.dimension_words(d.name) for d in taxonomy.dimensions if d.required)),
        ),
        _(
            "{unresolved} raw tags ({share}) could not be matched to the taxonomy: {distinct} distinct values, listed "
            "below with the closest canonical value where there is one.",
            unresolved=f"{len(unresolved):,}",
            share=f"{len(unresolved) / max(len(tags), 1):.1%}",
            distinct=f"{figures['unresolved_distinct_values']:,}",
        ),
        _(
            "The least covered dimension is **{dimension}** ({coverage} of products).",
            dimension=plain(taxonomy.dimension_words(weakest["dimension"])),
            coverage=f"{weakest['coverage']:.0%}",
        ),
    ]
    if sales is not None:
        figures.update(rows_read=sales.rows_read, rows_used=sales.rows_used, rows_set_aside=sales.rows_set_aside)
        sentences.append(
            _(
                "Sales: **{used} of {read} order lines used** ({share}); {aside} set aside with their reasons.",
                used=f"{sales.rows_used:,}",
                read=f"{sales.rows_read:,}",
                share=f"{sales.rows_used / max(sales.rows_read, 1):.1%}",
                aside=f"{sales.rows_set_aside:,}",
            )
        )
    return join_sentences(sentences), figures
