"""tagkit: structured product tags, hit mining and season release planning for merchandisers.

The public API is what ``__all__`` lists: the verbs a notebook author needs, in the order a season is
worked (read, tag, label, mine, compare, model, plan, report). The building blocks behind them are in
sub-namespaces named after their stage, each a module of the package:

``tk.io`` (files and datasets), ``tk.taxonomy``, ``tk.catalogue``, ``tk.seasons``, ``tk.tags``, ``tk.extract`` (tags read from titles and descriptions), ``tk.health``
(the tag-health report's tables), ``tk.hits``, ``tk.mining``, ``tk.rules``, ``tk.trends``, ``tk.compare`` (competitors), ``tk.looks``,
``tk.propensity``, ``tk.calibration``, ``tk.evaluate``, ``tk.plan``, ``tk.plots``, ``tk.narrative`` (summaries
in words), ``tk.display`` (tables and notes in a notebook), ``tk.parameters``, ``tk.errors`` and
``tk.vocabulary`` (status words and choices), ``tk.language`` (English or Chinese pages), ``tk.formats`` (numbers and headers as a reader reads them). Notebooks and tests use ``import tagkit as tk`` and these names.
"""

from tagkit import (  # the sub-namespaces: building blocks, by stage
    brand,
    calibration,
    catalogue,
    choice,
    compare,
    display,
    errors,
    evaluate,
    extract,
    formats,
    health,
    hits,
    io,
    language,
    looks,
    mining,
    narrative,
    parameters,
    paths,
    plots,
    propensity,
    rules,
    seasons,
    tags,
    taxonomy,
    trends,
    vocabulary,
)
from tagkit import plan as plan  # the module; plan_brand and plan_season are the verbs
from tagkit.backtest import backtest, backtest_calibration, backtest_reliability, backtest_summary
from tagkit.brand import load_brand, load_inputs
from tagkit.choice import choose_model
from tagkit.compare import competitor_comparison
from tagkit.display import output_folder, show_files, show_notes, show_summary, show_table, show_warnings
from tagkit.encode import encode_tags
from tagkit.errors import InputError, ParameterError, TagkitError
from tagkit.hits import HitDefinition, check_labels, hit_share, label_brand, label_hits
from tagkit.io import open_dataset, read_catalogue, read_sales, read_taxonomy
from tagkit.io.cache import cached
from tagkit.io.writers import write_csv, write_excel
from tagkit.parameters import check_parameters
from tagkit.plan import plan_brand, plan_season
from tagkit.propensity import fit_propensity
from tagkit.report import run_report
from tagkit.rules import common_tags, lift_table, mine_hit_rules
from tagkit.tags import normalise_tags, tag_health
from tagkit.taxonomy import Taxonomy, draft_taxonomy
from tagkit.trends import holdout, tag_trends, yearly_common_tags

__version__ = "0.1.0"

__all__ = [
    # read a dataset and its inputs
    "open_dataset",
    "read_catalogue",
    "read_sales",
    "read_taxonomy",
    "draft_taxonomy",
    "Taxonomy",
    "load_inputs",
    "load_brand",
    "cached",
    # tags
    "normalise_tags",
    "encode_tags",
    "tag_health",
    # hits
    "HitDefinition",
    "label_hits",
    "label_brand",
    "check_labels",
    "hit_share",
    # rules and their trends
    "mine_hit_rules",
    "lift_table",
    "common_tags",
    "holdout",
    "tag_trends",
    "yearly_common_tags",
    "competitor_comparison",
    # hit chances and their replay
    "fit_propensity",
    "choose_model",
    "backtest",
    "backtest_summary",
    "backtest_reliability",
    "backtest_calibration",
    # the plan
    "plan_brand",
    "plan_season",
    # notebooks and the batch
    "check_parameters",
    "output_folder",
    "show_table",
    "show_summary",
    "show_notes",
    "show_warnings",
    "show_files",
    "write_excel",
    "write_csv",
    "run_report",
    # errors a caller may catch
    "TagkitError",
    "InputError",
    "ParameterError",
    # the sub-namespaces
    "brand",
    "calibration",
    "catalogue",
    "choice",
    "compare",
    "display",
    "errors",
    "evaluate",
    "extract",
    "formats",
    "health",
    "hits",
    "io",
    "language",
    "looks",
    "mining",
    "narrative",
    "parameters",
    "paths",
    "plan",
    "plots",
    "propensity",
    "rules",
    "seasons",
    "tags",
    "taxonomy",
    "trends",
    "vocabulary",
]
