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

import importlib
import sys
import types

# Where each verb lives. Nothing is imported until it is first used, so that `import tagkit` is quick for the
# command line and for a script that only reads sales; a notebook sees no difference.
_VERBS = {
    "tagkit.backtest": ("backtest", "backtest_calibration", "backtest_reliability", "backtest_summary"),
    "tagkit.brand": ("load_brand", "load_inputs"),
    "tagkit.choice": ("choose_model",),
    "tagkit.compare": ("competitor_comparison",),
    "tagkit.display": ("output_folder", "show_files", "show_notes", "show_summary", "show_table", "show_warnings"),
    "tagkit.encode": ("encode_tags",),
    "tagkit.errors": ("InputError", "ParameterError", "TagkitError"),
    "tagkit.hits": ("HitDefinition", "check_labels", "hit_share", "label_brand", "label_hits"),
    "tagkit.io": ("open_dataset", "read_catalogue", "read_sales", "read_taxonomy"),
    "tagkit.io.cache": ("cached",),
    "tagkit.io.writers": ("write_csv", "write_excel"),
    "tagkit.parameters": ("check_parameters",),
    "tagkit.plan": ("plan_brand", "plan_season"),  # tk.plan is the module
    "tagkit.propensity": ("fit_propensity",),
    "tagkit.report": ("run_report",),
    "tagkit.rules": ("common_tags", "lift_table", "mine_hit_rules"),
    "tagkit.tags": ("normalise_tags", "tag_health"),
    "tagkit.taxonomy": ("Taxonomy", "draft_taxonomy"),
    "tagkit.trends": ("holdout", "tag_trends", "yearly_common_tags"),
}
_HOME = {name: module for module, names in _VERBS.items() for name in names}

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
_NAMESPACES = frozenset(__all__) - set(_HOME)


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
    elif name in _NAMESPACES:
        value = importlib.import_module(f"tagkit.{name}")
    else:
        raise AttributeError(f"module 'tagkit' has no attribute {name!r}")
    globals()[name] = value  # looked up once
    return value


def __dir__():
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    def __setattr__(self, name, value):
        # importing the module tagkit.backtest sets tagkit.backtest to it; the verb tk.backtest stays the verb
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
