# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tag health
#
# How clean are the product tags that the hit analysis and the season plan rely on? This report reads every
# input file of the dataset, matches each raw tag to the taxonomy (aliases, other languages and spellings
# included), and lists what it could not match with the closest canonical value, the products missing a
# required dimension, and how many order lines were usable. Nothing is dropped silently: every problem is
# counted here and exported beside this page.

# %% tags=["parameters"]
season: str = "2025Q4"  # season reported on, e.g. "2025Q4" (or "2025AW" with a named calendar)
data_dir: str = ""  # folder holding dataset.yml; "" means the bundled demo brand
output_dir: str = ""  # where the exports are written; "" means reports/scratch/<season>
language: str = ""  # language of the page and exports: "en" or "zh" (简体中文); "" means the dataset's, else English
engine: str = "duckdb"  # where order lines are aggregated: "duckdb" (embedded) or "spark" (a Spark session)
unknown_tags: str = "report"  # "report" lists tags not in the taxonomy below; "raise" stops with the list instead
top_values: int = 12  # values shown per dimension in the distribution chart (1-60)
table_rows: int = 25  # rows shown per table on this page; the exports hold all rows (1-500)

# %%
import tagkit as tk

dataset = tk.open_dataset(data_dir)
tk.language.set_language(language or dataset.language)
season = dataset.calendar.parse(season)
out = tk.output_folder(output_dir, season)
settings = tk.check_parameters("01_tag_health", engine=engine, unknown_tags=unknown_tags, top_values=top_values, table_rows=table_rows)

# %%
taxonomy = dataset.read_taxonomy()
inputs = tk.load_inputs(dataset, unknown=unknown_tags)  # read once: the other notebooks reuse it (disk cache)
own = inputs["catalogue"]
sales = dataset.read_sales(own.products, set_aside_path=out / "sales_set_aside.csv", engine=engine)

# %%
summary, figures = tk.health.tag_health_summary(inputs, sales, taxonomy, season)
tk.show_summary(summary, figures, key_figures=[("products in the catalogue", "products", "{:,}"),
                                               ("order lines used", "rows_used", "{:,}")])
tk.show_notes([tk.hits.launch_note(own.products), tk.health.outside_note(dataset)])

# %% [markdown]
# ## Input files
#
# One row per catalogue file: how many rows were read and set aside, how many products and raw tags it
# holds, the share of tags matched to the taxonomy, and how many products miss a required dimension.

# %%
tk.show_table(tk.health.input_overview(inputs, taxonomy), percent=["tags_understood"])

# %% [markdown]
# ## Tag coverage by dimension
#
# **How to read it:** one bar per dimension of the own catalogue. Green is the share of products with a
# usable value; amber, products whose only tags in that dimension could not be matched (fix them in the
# table below); grey, products without any tag there. Required dimensions carry a star.

# %%
coverage = tk.tags.tag_coverage(own.tags, own.products, taxonomy)
fig = tk.plots.plot_tag_coverage(coverage)

# %% [markdown]
# ## Tags read from text
#
# When the catalogue names text columns (`text: [Title, Body]` in dataset.yml), tagkit reads tags from the titles
# and descriptions through the taxonomy: whole words in any case, plurals, hyphens and multi-word values in
# English, the longest alias in Chinese; a word one letter from a single value ("Leathher") is read as it, with
# less confidence. A value after a negation ("not wool", "不含羊毛") is not read; a
# single-valued dimension named twice ("black and navy") is *ambiguous* and read as nothing, never guessed; a
# tag column of the file wins over the text. The first table shows, per dimension, how many products got a
# value from text; the second, the words that named no value, most products first: candidates for new aliases
# (add one to its value's `aliases` in the taxonomy and run again); the third, a sample of products with the
# tags read and the words matched, to check by eye.

# %%
from_text = tk.extract.text_summary(own.catalogue, taxonomy, sample=table_rows)
tk.display.show_text_summary(from_text, max_rows=table_rows)

# %% [markdown]
# ## Tags tagkit could not match
#
# Every raw value that is not a canonical value or an alias of its dimension, with the number of products
# carrying it, a few example products and the closest canonical value. *Ambiguous* values are bare tags that
# several dimensions share; *missing required* counts products without a value in a required dimension;
# *extra value* counts products given several values in a single-valued dimension (the first is kept).
# To fix a value, add it as an alias in the taxonomy or correct it in the source file.

# %%
health = tk.health.health_by_input(inputs, taxonomy)
tk.show_table(health, max_rows=table_rows, note="All rows are in tag_health.xlsx and tag_health.csv.")

# %% [markdown]
# ## Value distributions
#
# **How to read it:** for each dimension, the number of own products carrying each canonical value (the most
# used values first). A value that dominates its dimension is a sign of a homogeneous range; values with
# almost no products are candidates for merging in the taxonomy.

# %%
fig = tk.plots.plot_value_distribution(tk.tags.value_counts(own.tags, taxonomy), top=top_values)

# %% [markdown]
# ## Products missing a required dimension
#
# These products cannot be fully used in the hit analysis until they are tagged.

# %%
missing = tk.tags.missing_required(own.tags, own.products, taxonomy)
tk.show_table(missing, max_rows=table_rows, note="All rows are in tag_health.xlsx.")

# %% [markdown]
# ## Catalogue cells and rows set aside
#
# Cells that could not be read (a price that is not a number, a date in an unknown format) and rows that
# were set aside (no product id, a duplicated id), with the file, row and column to fix.

# %%
problems = tk.health.cell_problems(inputs)
tk.show_table(problems, max_rows=table_rows, note="All rows are in tag_health.xlsx.")

# %% [markdown]
# ## Sales: every order line accounted for
#
# Rows read = rows used + rows set aside. Each set-aside line is written with its file, row and reason to
# `sales_set_aside.csv`, so it can be fixed at the source.

# %%
tk.show_table(sales.accounting, percent=["share_of_rows_read"])
tk.show_notes(sales.warnings)

# %% [markdown]
# **How to read it:** one bar per reason an order line was set aside, by number of lines.

# %%
fig = tk.plots.plot_set_aside(sales.accounting)

# %% [markdown]
# ## Exports
#
# Everything above in full, for Excel.

# %%
workbook = tk.write_excel({
    "input files": tk.health.input_overview(inputs, taxonomy), "tag problems": health, "coverage": coverage,
    "missing required": missing, "catalogue problems": problems, "sales accounting": sales.accounting,
    "read from text": own.catalogue.extracted, "words in text": from_text.words,
}, out / "tag_health.xlsx", about={"season": season, "dataset": dataset.name, **settings})
tk.show_files([workbook, tk.write_csv(health, out / "tag_health.csv"), sales.set_aside_file], folder=out,
              season_sheets={"tag problems": "tag problems"})
