"""The notebooks' parameters: the contract of every tuning parameter, declared once, and their checks.

A notebook's validation cell calls :func:`check_parameters` and :func:`check_dimensions`; the batch runner checks
every notebook's parameters with the same contracts before the first one runs; ``docs/parameters.md`` is generated
from the notebooks' parameter cells with the allowed values from here (:mod:`tagkit.reference`).
"""

from __future__ import annotations

from tagkit._checks import check_choice, check_fraction, check_int, did_you_mean
from tagkit.choice import AUTO
from tagkit.errors import ParameterError
from tagkit.propensity import MODEL_KINDS
from tagkit.vocabulary import CATALOGUES, ENGINES, HIT_DEFINITIONS, MAX_TAG_SET_SIZE, METRICS, UNKNOWN_TAGS

SHARED_PARAMETERS = ("season", "data_dir", "output_dir")
DIMENSION_PARAMETERS = ("group_by", "heatmap_rows", "heatmap_columns")  # checked by check_dimensions
TEXT_PARAMETERS = {"category_limits": "text read by parse_category_limits", "wave_dates": "text read by waves_for"}
# The notebook parameters that make one hit definition (tagkit.HitDefinition's fields, in notebook words):
# a notebook that labels hits takes all of them, so every report of a batch has the same hits.
HIT_PARAMETERS = {
    "metric": "metric",
    "hit_definition": "definition",
    "top_share": "top_share",
    "hit_bar": "bar",
    "group_by": "group_by",
    "catalogue": "catalogue",
    "min_days_on_sale": "min_days_on_sale",
    "min_exposure_days": "min_exposure_days",
}
# The contract of every tuning parameter a notebook may declare: one place, one wording.
PARAMETER_CONTRACTS = {
    "unknown_tags": ("choice", UNKNOWN_TAGS),
    "engine": ("choice", ENGINES),
    "top_values": ("int", 1, 60),
    "table_rows": ("int", 1, 500),
    "metric": ("choice", METRICS),
    "top_share": ("fraction",),
    "catalogue": ("choice", CATALOGUES),
    "min_days_on_sale": ("int", 0, 365),
    "hit_definition": ("choice", HIT_DEFINITIONS),
    "hit_bar": ("number", 0, 1e12),
    "min_exposure_days": ("int", 1, 365),
    "history_seasons": ("int", 1, 40),
    "min_hits": ("int", 1, 100_000),
    "max_size": ("int", 1, MAX_TAG_SET_SIZE),
    "min_lift": ("number", 0, 100),
    "max_q": ("fraction",),
    "band_low": ("fraction",),
    "band_high": ("fraction",),
    "penalty": ("number", 0.001, 10_000),
    "time_of_year": ("bool",),
    "tag_momentum": ("bool",),
    "propensity_model": ("choice", (AUTO, *MODEL_KINDS)),
    "catalogue_size": ("int", 0, 1_000_000),
    "carry_over": ("choice", ("hits", "")),
    "min_bet_lift": ("number", 0, 100),
    "image_count": ("int", 0, 100_000),
    "image_share": ("number", 0, 1),
    "category_tolerance": ("number", 0, 1),
    "max_per_look": ("int", 0, 100_000),
    "max_bet_share_per_tag_set": ("fraction",),
    "backtest_seasons": ("int", 0, 40),
    "plan_share": ("fraction",),
}


def check_parameters(notebook: str, **values) -> None:
    """Check notebook parameters against :data:`PARAMETER_CONTRACTS`; explain a wrong value."""
    owner = f"the notebook {notebook}"
    for name, value in values.items():
        contract = PARAMETER_CONTRACTS.get(name)
        if contract is None:
            raise ParameterError(f"{owner} has no parameter {name!r}.{did_you_mean(name, PARAMETER_CONTRACTS)}")
        if contract[0] == "choice":
            check_choice(value, name=name, owner=owner, choices=contract[1])
        elif contract[0] == "int":
            check_int(value, name=name, owner=owner, low=contract[1], high=contract[2])
        elif contract[0] == "fraction":
            check_fraction(value, name=name, owner=owner)
        elif contract[0] == "bool" and not isinstance(value, bool):
            raise ParameterError(f"The {name!r} parameter of {owner} must be True or False. Got {value!r} instead.")
        elif contract[0] == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and contract[1] <= value <= contract[2]
            if not ok:
                raise ParameterError(
                    f"The {name!r} parameter of {owner} must be a number in [{contract[1]}, "
                    f"{contract[2]}]. Got {value!r} instead."
                )
    low, high = values.get("band_low"), values.get("band_high")
    if low is not None and high is not None and not low < high:
        raise ParameterError(
            f"The 'band_low' parameter of {owner} must be below 'band_high'. Got {low!r} and {high!r} instead."
        )


def check_dimensions(taxonomy, owner: str = "", **dimensions) -> None:
    """Check that parameters naming dimensions ("" allowed) name dimensions of the taxonomy."""
    of = f" of {owner}" if owner else ""
    for name, value in dimensions.items():
        if value and value not in taxonomy.dimension_names:
            raise ParameterError(
                f"The {name!r} parameter{of} must be a dimension of the taxonomy "
                f'({", ".join(taxonomy.dimension_names)}) or "". Got {value!r} instead.'
                f"{did_you_mean(value, taxonomy.dimension_names)}"
            )
