"""The notebooks' parameters: the contract of every tuning parameter, declared once, and their checks.

A parameter that a notebook passes on to a public function has the contract that function declares
(:func:`tagkit._checks.validate_params`); only the notebooks' own parameters are declared here.

A notebook's validation cell calls :func:`check_parameters` and :func:`check_dimensions`; the batch runner checks
every notebook's parameters with the same contracts before the first one runs; ``docs/parameters.md`` is generated
from the notebooks' parameter cells with the allowed values from here (:mod:`tagkit.reference`).
"""

from __future__ import annotations

from tagkit._checks import Choice, Flag, Number, Share, Whole, did_you_mean
from tagkit.choice import AUTO
from tagkit.errors import ParameterError
from tagkit.hits import HIT_CONSTRAINTS
from tagkit.language import LANGUAGES
from tagkit.language import translate as _
from tagkit.plan import plan_season
from tagkit.rules import mine_hit_rules
from tagkit.tags import normalise_tags
from tagkit.vocabulary import ENGINES, MODEL_KINDS

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
# The contract of every tuning parameter a notebook may declare. A parameter passed on to a public function takes
# that function's own declaration (validate_params); the others, which only the notebooks have, are declared here.
_HITS, _RULES, _PLAN = HIT_CONSTRAINTS, mine_hit_rules.parameter_constraints, plan_season.parameter_constraints
PARAMETER_CONTRACTS = {
    "unknown_tags": normalise_tags.parameter_constraints["unknown"],
    "engine": Choice(ENGINES),
    "language": Choice(("", *LANGUAGES)),  # "": the dataset's language, else English
    "top_values": Whole(1, 60),  # how many values a chart or table shows
    "table_rows": Whole(1, 500),
    "metric": _HITS["metric"],
    "top_share": _HITS["top_share"],
    "catalogue": _HITS["catalogue"],
    "min_days_on_sale": _HITS["min_days_on_sale"],
    "hit_definition": _HITS["definition"],
    "hit_bar": Number(0, 1e12),  # 0: from the reference seasons
    "min_exposure_days": _HITS["min_exposure_days"],
    "history_seasons": Whole(1, 40),
    "min_hits": _RULES["min_hits"],
    "max_size": _RULES["max_size"],
    "min_lift": _RULES["min_lift"],
    "max_q": _RULES["max_q"],
    "band_low": Share(),
    "band_high": Share(),
    "penalty": Number(0.001, 10_000),
    "time_of_year": Flag(),
    "tag_momentum": Flag(),
    "propensity_model": Choice((AUTO, *MODEL_KINDS)),
    "catalogue_size": Whole(0, 1_000_000),  # 0: fitted to the candidates and the carry-over
    "carry_over": Choice(("hits", "")),
    "min_bet_lift": Number(0, 100),
    "image_count": _PLAN["image_count"],
    "image_share": Number(0, 1),
    "category_tolerance": Number(0, 1),
    "max_per_look": _PLAN["max_per_look"],
    "max_bet_share_per_tag_set": _PLAN["max_bet_share_per_tag_set"],
    "backtest_seasons": Whole(0, 40),
    "plan_share": Share(),
}


def check_parameters(notebook: str, **values) -> dict:
    """Check notebook parameters against :data:`PARAMETER_CONTRACTS`; explain a wrong value. Returns them, for
    the "about" sheet of the notebook's workbook."""
    owner = _("the notebook {notebook}", notebook=notebook)
    for name, value in values.items():
        contract = PARAMETER_CONTRACTS.get(name)
        if contract is None:
            said = _("{owner} has no parameter {name}.", owner=owner, name=repr(name))
            raise ParameterError(said + did_you_mean(name, PARAMETER_CONTRACTS))
        contract.check(value, name=name, owner=owner)
    low, high = values.get("band_low"), values.get("band_high")
    if low is not None and high is not None and not low < high:
        raise ParameterError(
            _(
                "The 'band_low' parameter of {owner} must be below 'band_high'. Got {low} and {high} instead.",
                owner=owner,
                low=repr(low),
                high=repr(high),
            )
        )
    return dict(values)


def check_dimensions(taxonomy, owner: str = "", **dimensions) -> None:
    """Check that parameters naming dimensions ("" allowed) name dimensions of the taxonomy."""
    for name, value in dimensions.items():
        if value and value not in taxonomy.dimension_names:
            values = dict(name=repr(name), owner=owner, dimensions=", ".join(taxonomy.dimension_names), got=repr(value))
            said = (
                _(
                    'The {name} parameter of {owner} must be a dimension of the taxonomy ({dimensions}) or "". '
                    "Got {got} instead.",
                    **values,
                )
                if owner
                else _(
                    'The {name} parameter must be a dimension of the taxonomy ({dimensions}) or "". Got {got} instead.',
                    **values,
                )
            )
            raise ParameterError(said + did_you_mean(value, taxonomy.dimension_names))
