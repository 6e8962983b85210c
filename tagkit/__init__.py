"""tagkit: structured product tags, hit mining and season release planning for merchandisers.

The public API is what ``__all__`` lists; notebooks and tests use ``import tagkit as tk``.
"""

from tagkit.catalogue import Catalogue, parse_catalogue
from tagkit.encode import encode_tags
from tagkit.health import (
    TaggedCatalogue,
    cell_problems,
    health_by_input,
    input_overview,
    read_inputs,
    tag_health_summary,
)
from tagkit.io.writers import write_csv, write_excel
from tagkit.plots import plot_set_aside, plot_tag_coverage, plot_value_distribution
from tagkit.report import (
    check_parameters,
    output_folder,
    run_report,
    show_files,
    show_notes,
    show_summary,
    show_table,
)
from tagkit.errors import InputError, ParameterError, ReportError, TagkitError, TaxonomyError, UnknownTagError
from tagkit.io import Dataset, Sales, open_dataset, read_catalogue, read_sales, read_table, read_taxonomy
from tagkit.seasons import QUARTERS, SeasonCalendar, calendar_from_config
from tagkit.tags import missing_required, normalise_tags, tag_coverage, tag_health, tag_values, value_counts
from tagkit.taxonomy import Dimension, TagValue, Taxonomy, tag_key

__version__ = "0.1.0"

__all__ = [
    "QUARTERS",
    "Catalogue",
    "Dataset",
    "Dimension",
    "InputError",
    "ParameterError",
    "ReportError",
    "Sales",
    "SeasonCalendar",
    "TagValue",
    "TaggedCatalogue",
    "TagkitError",
    "Taxonomy",
    "TaxonomyError",
    "UnknownTagError",
    "calendar_from_config",
    "cell_problems",
    "check_parameters",
    "encode_tags",
    "health_by_input",
    "input_overview",
    "missing_required",
    "normalise_tags",
    "open_dataset",
    "output_folder",
    "parse_catalogue",
    "plot_set_aside",
    "plot_tag_coverage",
    "plot_value_distribution",
    "read_catalogue",
    "read_inputs",
    "read_sales",
    "read_table",
    "read_taxonomy",
    "run_report",
    "show_files",
    "show_notes",
    "show_summary",
    "show_table",
    "tag_coverage",
    "tag_health",
    "tag_health_summary",
    "tag_key",
    "tag_values",
    "value_counts",
    "write_csv",
    "write_excel",
]
