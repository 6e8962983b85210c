"""tagkit: structured product tags, hit mining and season release planning for merchandisers.

The public API is what ``__all__`` lists; notebooks and tests use ``import tagkit as tk``.
"""

from tagkit import vocabulary  # the status words and choices, declared once (tk.vocabulary.KEPT, ...)
from tagkit.backtest import (
    METHODS as BACKTEST_METHODS,
)
from tagkit.backtest import (
    backtest,
    backtest_calibration,
    backtest_reliability,
    backtest_summary,
)
from tagkit.brand import Brand, load_brand, load_inputs
from tagkit.calibration import Calibration, calibration_note, fit_calibration, recalibrate
from tagkit.catalogue import Catalogue, ColumnProfile, parse_catalogue, profile_columns
from tagkit.choice import ModelChoice, choose_model
from tagkit.compare import competitor_comparison
from tagkit.display import output_folder, show_files, show_notes, show_summary, show_table, show_warnings
from tagkit.encode import encode_tags
from tagkit.errors import InputError, ParameterError, ReportError, TagkitError, TaxonomyError, UnknownTagError
from tagkit.evaluate import (
    METHODS as DECISION_METHODS,
)
from tagkit.evaluate import (
    calibration_line,
    decision_metrics,
    paired_bootstrap,
    same_quarter_rates,
    score_past_seasons,
    summarise_decisions,
)
from tagkit.health import (
    TaggedCatalogue,
    cell_problems,
    health_by_input,
    input_overview,
    outside_note,
    read_inputs,
    tag_health_summary,
)
from tagkit.hits import (
    HitDefinition,
    LabelCheck,
    check_labels,
    choose_catalogue,
    hit_share,
    label_brand,
    label_hits,
    launch_note,
    ranked_rows,
    seasons_up_to,
)
from tagkit.io import Dataset, Sales, combine_sales, open_dataset, read_catalogue, read_sales, read_table, read_taxonomy
from tagkit.io.cache import cached
from tagkit.io.writers import write_csv, write_excel
from tagkit.looks import describe_products, homogeneity, homogeneity_by_season, look_alike_groups, tag_signatures
from tagkit.mining import count_itemsets, frequent_hit_itemsets, pack_columns
from tagkit.narrative import hit_tags_summary, plan_summary, rule_table
from tagkit.parameters import check_dimensions, check_parameters
from tagkit.plan import (
    PlanInfeasible,
    SeasonPlan,
    limits_from_mix,
    no_plan,
    parse_category_limits,
    plan_brand,
    plan_limits,
    plan_season,
    poisson_binomial,
    poisson_binomial_interval,
    waves_for,
)
from tagkit.plots import (
    plot_backtest,
    plot_competitor_shares,
    plot_hit_share,
    plot_lift_heatmap,
    plot_plan_categories,
    plot_plan_looks,
    plot_plan_waves,
    plot_reliability,
    plot_rule_scatter,
    plot_set_aside,
    plot_tag_coverage,
    plot_trends,
    plot_value_distribution,
)
from tagkit.propensity import (
    MODEL_KINDS,
    PropensityModel,
    SeasonContext,
    TagMomentum,
    TimeOfYear,
    brier_score,
    carry_over,
    fit_propensity,
    reliability,
    score_candidates,
    season_context,
)
from tagkit.report import run_report
from tagkit.rules import (
    benjamini_hochberg,
    common_tags,
    describe_rules,
    heatmap_dimensions,
    lift_table,
    mine_hit_rules,
    rule_membership,
    rule_statistics,
    score_rules,
    status_counts,
)
from tagkit.seasons import QUARTERS, SeasonCalendar, calendar_from_config, history
from tagkit.tags import missing_required, normalise_tags, tag_coverage, tag_health, tag_values, value_counts
from tagkit.taxonomy import Dimension, DimensionRoles, TagValue, Taxonomy, clean_tag, draft_taxonomy, tag_key
from tagkit.trends import holdout, holdout_summary, tag_trends, yearly_common_tags

__version__ = "0.1.0"

__all__ = [
    "cached", "Calibration", "DECISION_METHODS", "calibration_note", "calibration_line", "decision_metrics", "fit_calibration", "paired_bootstrap",
    "recalibrate", "same_quarter_rates", "ModelChoice", "choose_model", "MODEL_KINDS", "score_past_seasons", "summarise_decisions",
    "BACKTEST_METHODS", "PlanInfeasible", "PropensityModel", "SeasonContext", "TagMomentum", "TimeOfYear", "season_context", "backtest_calibration", "SeasonPlan",
    "backtest", "backtest_reliability", "backtest_summary", "brier_score", "carry_over", "describe_products",
    "fit_propensity", "limits_from_mix", "no_plan", "plan_brand", "parse_category_limits", "plan_limits", "plan_season", "plan_summary",
    "plot_backtest", "plot_plan_categories", "plot_plan_looks", "plot_plan_waves", "plot_reliability",
    "poisson_binomial", "poisson_binomial_interval", "reliability", "rule_membership", "score_candidates",
    "waves_for", "clean_tag", "draft_taxonomy",
    "QUARTERS", "Brand", "Catalogue", "DimensionRoles", "ColumnProfile", "profile_columns", "Dataset", "Dimension", "InputError", "ParameterError", "ReportError",
    "Sales", "SeasonCalendar", "TagValue", "TaggedCatalogue", "TagkitError", "Taxonomy", "TaxonomyError",
    "UnknownTagError", "HitDefinition", "LabelCheck", "check_labels", "choose_catalogue", "label_brand", "launch_note",
    "benjamini_hochberg", "calendar_from_config", "cell_problems", "check_dimensions", "check_parameters",
    "combine_sales", "common_tags", "competitor_comparison", "count_itemsets", "describe_rules", "encode_tags",
    "frequent_hit_itemsets", "health_by_input", "history", "hit_share", "hit_tags_summary", "holdout",
    "holdout_summary", "heatmap_dimensions", "homogeneity", "homogeneity_by_season", "input_overview", "label_hits", "lift_table",
    "load_brand", "load_inputs", "look_alike_groups", "mine_hit_rules", "missing_required", "normalise_tags", "open_dataset",
    "output_folder", "outside_note", "pack_columns", "parse_catalogue", "plot_competitor_shares", "plot_hit_share",
    "plot_lift_heatmap", "plot_rule_scatter", "plot_set_aside", "plot_tag_coverage", "plot_trends",
    "plot_value_distribution", "ranked_rows", "read_catalogue", "read_inputs", "read_sales", "read_table",
    "read_taxonomy", "rule_statistics", "rule_table", "run_report", "score_rules", "seasons_up_to", "show_files",
    "show_notes", "show_summary", "show_table", "show_warnings", "status_counts", "tag_coverage", "tag_health",
    "tag_health_summary", "tag_key", "tag_signatures", "tag_trends", "tag_values", "value_counts",
    "write_csv", "write_excel", "yearly_common_tags", "vocabulary",
]
