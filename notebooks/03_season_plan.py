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
# # Season plan
#
# Next season's releases, planned from the candidate pipeline so that the designated **hit bets** make up
# 5–10% of the catalogue, a few **image products** carry the brand's style, and the range does not collapse
# into look-alikes. Each candidate's chance of becoming a hit is learned from past seasons' tags and hits and
# explained by the rules of the hit-tags report. Which model scores the candidates (tags only, tags and rules, or
# gradient boosting) is decided by how each did on past seasons it had not seen; the plan itself is an
# optimisation that meets every limit or says which one cannot hold. At the end, the planner is replayed on past
# seasons against plain baselines.

# %% tags=["parameters"]
season: str = "2025Q4"  # last season with sales; the plan is for the season after it
data_dir: str = ""  # folder holding dataset.yml; "" means the bundled demo brand
output_dir: str = ""  # where the exports are written; "" means reports/scratch/<season>
language: str = ""  # language of the page and exports: "en" or "zh" (简体中文); "" means the dataset's, else English
engine: str = "duckdb"  # where order lines are aggregated: "duckdb" (embedded) or "spark" (a Spark session)
metric: str = "units_per_week"  # what makes a hit: units_per_week, units, net_units, revenue or sell_through
hit_definition: str = "bar"  # "bar": beat a bar fixed from history, the same every season; "share": top share of each season
top_share: float = 0.075  # the bar is the metric of the top share of the history seasons pooled (or of each season), in (0, 1]
hit_bar: float = 0.0  # a bar on the metric given by hand (hit_definition "bar"); 0 fixes it from history
group_by: str = ""  # rank within the groups of this dimension (e.g. "category"); "" ranks the whole catalogue
catalogue: str = "auto"  # a season's catalogue: products "launched" in it, "on_sale" in it, or "auto" (from the data)
min_days_on_sale: int = 0  # products on sale fewer days in the season are not ranked (0-365)
min_exposure_days: int = 14  # weekly rates are taken over at least this many days on sale (1-365)
history_seasons: int = 4  # seasons the model learns from, ending with `season` (1-40)
min_hits: int = 5  # rules: fewest hits a tag set must have
max_size: int = 3  # rules: most tags in a tag set (1-6)
min_lift: float = 1.5  # rules: smallest lift of a kept rule
max_q: float = 0.05  # rules: largest q-value (false discovery rate) of a kept rule
propensity_model: str = "auto"  # the model scoring candidates: "auto" (chosen on past seasons), "tags only", "tags and rules" or "gradient boosting"
penalty: float = 3.0  # L2 penalty of the logistic models; larger pulls every prediction toward the base rate
time_of_year: bool = False  # the model also learns the season of the year and each tag's record in it (see docs/benchmarks.md)
tag_momentum: bool = False  # the model also learns whether a product's tags were rising or fading (see docs/benchmarks.md)
catalogue_size: int = 0  # products on sale next season; 0 means the launches of `season` plus the carry-over
carry_over: str = "hits"  # products that stay on sale: the "hits" of `season`, or "" for none
band_low: float = 0.05  # lowest share of the catalogue that are hit bets
band_high: float = 0.10  # highest share of the catalogue that are hit bets
min_bet_lift: float = 1.5  # a hit bet needs a hit propensity of at least this many times the base rate
image_count: int = 0  # image products to release; 0 means image_share of the catalogue
image_share: float = 0.015  # share of image products when image_count is 0, in [0, 1]
category_limits: str = ""  # limits per category such as "dress:200-450, knitwear:100-300", or "" for around the launches of `season`
category_tolerance: float = 0.5  # with category_limits "", each category within this share of its last-season share
max_per_look: int = 0  # most products sharing one look (the dimensions of analysis.look in dataset.yml); 0: 0.3% of the catalogue, at least 6
max_bet_share_per_tag_set: float = 0.35  # largest share of the hit bets that may carry any one kept tag set
wave_dates: str = ""  # release dates, e.g. "2026-01-05, 2026-02-02, 2026-03-02"; "" means three drops over the season
backtest_seasons: int = 4  # past seasons the planner is replayed on (0 for none)
plan_share: float = 0.6  # backtest: the share of a season's launches the replayed plan keeps, in (0, 1]
table_rows: int = 25  # rows shown per table on this page; the exports hold all rows (1-500)

# %%
import tagkit as tk

dataset = tk.open_dataset(data_dir)
tk.language.set_language(language or dataset.language)
season = dataset.calendar.parse(season)
plan_for = dataset.calendar.shift(season, 1)
out = tk.output_folder(output_dir, season)
settings = tk.check_parameters("03_season_plan", engine=engine, metric=metric, hit_definition=hit_definition, top_share=top_share,
                               hit_bar=hit_bar, catalogue=catalogue, min_days_on_sale=min_days_on_sale,
                               min_exposure_days=min_exposure_days, history_seasons=history_seasons, min_hits=min_hits, max_size=max_size, min_lift=min_lift, max_q=max_q, penalty=penalty,
                               propensity_model=propensity_model, time_of_year=time_of_year, tag_momentum=tag_momentum,
                               catalogue_size=catalogue_size, carry_over=carry_over, band_low=band_low, band_high=band_high,
                               min_bet_lift=min_bet_lift, image_count=image_count, image_share=image_share,
                               category_tolerance=category_tolerance, max_per_look=max_per_look,
                               max_bet_share_per_tag_set=max_bet_share_per_tag_set, backtest_seasons=backtest_seasons,
                               plan_share=plan_share, table_rows=table_rows)
tk.parameters.check_dimensions(dataset.read_taxonomy(), group_by=group_by)
definition = tk.HitDefinition(metric=metric, definition=hit_definition, top_share=top_share, bar=hit_bar,
                              group_by=group_by, catalogue=catalogue, min_days_on_sale=min_days_on_sale,
                              min_exposure_days=min_exposure_days)
waves = tk.plan.waves_for(plan_for, wave_dates, calendar=dataset.calendar)

# %%
brand = tk.load_brand(dataset, engine=engine)
window = tk.seasons.history(season, history_seasons, dataset.calendar)
definition = definition.resolve(brand)  # catalogue "auto": decided from the data, with the reason
labels = tk.label_brand(brand, definition, reference=window)
check = tk.check_labels(labels, definition, seasons=window, min_hits=min_hits, band=(band_low, band_high))
matrix, hits = tk.hits.ranked_rows(labels, brand.matrix, window)
rule_options = dict(min_hits=min_hits, max_size=max_size, min_lift=min_lift, max_q=max_q, taxonomy=brand.taxonomy)
rules = tk.cached(tk.mine_hit_rules, matrix, hits, **rule_options)  # mined once for both notebooks
seasonal = tk.propensity.season_context(tk.propensity.TimeOfYear(labels, brand.matrix, dataset.calendar) if time_of_year else None,
                             tk.propensity.TagMomentum(labels, brand.matrix, dataset.calendar) if tag_momentum else None)

# %%
replayed, predictions = tk.backtest(labels, brand.matrix, brand.own.products, brand.own.tags, brand.taxonomy,
                                    seasons=tk.seasons.history(season, backtest_seasons, dataset.calendar),
                                    train_seasons=history_seasons, calendar=dataset.calendar, plan_share=plan_share,
                                    band=(band_low, band_high), min_bet_lift=min_bet_lift, max_per_look=max_per_look,
                                    max_bet_share_per_tag_set=max_bet_share_per_tag_set,
                                    category_tolerance=category_tolerance, penalty=penalty, rule_options=rule_options,
                                    time_of_year=seasonal, model=propensity_model)
choice = tk.choose_model(predictions, plan_for, model=propensity_model, calendar=dataset.calendar)
model = tk.fit_propensity(matrix, hits, rules=rules, kind=choice.kind, penalty=penalty, trained_on=window,
                          time_of_year=seasonal)
calibration = tk.backtest_calibration(predictions, plan_for, method=choice.method, calendar=dataset.calendar)

# %%
plan, candidates = tk.plan_brand(brand, labels, rules, model, season=season, plan_for=plan_for, carry_over=carry_over,
                                 catalogue_size=catalogue_size, image_count=image_count, image_share=image_share,
                                 category_limits=category_limits, category_tolerance=category_tolerance,
                                 band=(band_low, band_high), min_bet_lift=min_bet_lift, max_per_look=max_per_look,
                                 max_bet_share_per_tag_set=max_bet_share_per_tag_set, waves=waves,
                                 calibration=calibration)
replay_summary = tk.backtest_summary(replayed)

# %%
summary, figures = tk.narrative.plan_summary(plan, history=window, model=model, backtest=replay_summary, choice=choice,
                                           taxonomy=brand.taxonomy)
tk.show_summary(summary, figures, key_figures=[("plan: products", "plan_size", "{:,}"),
                                               ("plan: hit-bet share", "hit_bet_share", "{:.1%}"),
                                               ("plan: expected hits among the hit bets", "expected_bet_hits", "{:.1f}")])
tk.show_warnings(check.warnings)

# %% [markdown]
# ## The plan against its targets
#
# Every limit of the plan, with the value reached. The expected number of hits is the sum of the products'
# probabilities, after they were checked against the past seasons (recalibrated out of time when that proved
# better); its 90% interval carries which products hit, how well the calibration is known, and how much a
# season differs from the others. Below the table: how the limits were fitted to what the brand gave, and
# how the probabilities were calibrated.

# %%
tk.show_table(plan.summary, max_rows=30)
tk.show_notes([*plan.notes, tk.calibration.calibration_note(calibration)])

# %% [markdown]
# ## The hit bets and why
#
# The designated hit bets, strongest first: the chance of a hit, the rules of the hit-tags report the product
# matches (with how many products with those tags were hits), and the tags that hold it back.

# %%
tk.show_table(plan.hit_bets(), max_rows=table_rows,
              note="The full plan, with a one-line reason for every product, is in season_plan.xlsx and .csv.",
              empty="No plan was made (see above), so there are no hit bets.", taxonomy=brand.taxonomy)

# %% [markdown]
# ## Composition
#
# **How to read it:** the products of each release wave by role; hit bets, core products and image products
# are spread evenly over the waves, carry-over products are on sale from the start.

# %%
fig = tk.plots.plot_plan_waves(plan.table)

# %% [markdown]
# **How to read it:** the planned products per category (bars) against each category's minimum (red mark) and
# maximum (green mark).

# %%
fig = tk.plots.plot_plan_categories(plan.categories, taxonomy=brand.taxonomy)

# %%
tk.show_table(plan.categories, max_rows=table_rows, empty="No plan was made.")

# %% [markdown]
# **How to read it:** tag diversity. Each bar counts the looks shared by 1, 2, 3… products of the plan;
# no look may be shared by more products than the cap (the dashed line).

# %%
fig = tk.plots.plot_plan_looks(plan.looks)

# %% [markdown]
# How concentrated the hit bets are: the share of the hit bets carrying each kept tag set, against the cap.

# %%
tk.show_table(plan.concentration, max_rows=10, percent=["share_of_hit_bets", "cap"], empty="No hit bets, no tag sets.", taxonomy=brand.taxonomy)

# %% [markdown]
# ## Which model, and why
#
# Three kinds of model predicted each replayed season from the seasons before it only: a logistic regression
# on the tags alone, the same on the tags and the kept rules (the combinations of the hit-tags report), and
# gradient boosting on the tags. *Log loss* scores their probabilities against what happened (lower is better;
# it rewards both putting the hits first and stating believable chances); *bet hit rate* is the share of hits
# among each season's top 7.5%. The simplest model within one standard error of the best is used, so the
# rules are used only when they did measurably better than the tags alone. Whichever model is used, every hit
# bet is explained by the kept rules it matches and its tags' own record, counts anyone can check.

# %%
tk.show_table(choice.table, percent=["bet_hit_rate"], empty="No past season was replayed.")

# %% [markdown]
# ## Is the hit propensity calibrated?
#
# Each past season was predicted by a model trained only on the seasons before it. **How to read it:**
# products are grouped by predicted probability; a calibrated model has its points on the dashed diagonal
# (among products given about 20%, about 20% were hits). The bars are 90% intervals; the numbers count
# the products in each group.

# %%
calibration = tk.backtest_reliability(predictions, choice.method)
fig = tk.plots.plot_reliability(calibration)

# %%
tk.show_table(calibration, percent=["predicted", "observed", "observed_low", "observed_high"])

# %% [markdown]
# ## Backtest: the planner replayed on past seasons
#
# For each past season, the rules and the models learn from the seasons before it, the products actually
# launched that season are the candidates, and the plan keeps `plan_share` of them. *Bet hit rate* (precision
# at k) is the share of hit bets that were hits; *lift at k* compares it with the season's average hit rate;
# *plan hit share* is the share of hits among the plan's non-image products. "tagkit" is what tagkit would
# have done: each season planned with the model chosen from the seasons before it; below it, each kind of
# model planned on its own with the same limits, and random picks.
# **How to read the chart:** bars above the dashed line picked hits more often than chance.

# %%
fig = tk.plots.plot_backtest(replayed)

# %%
tk.show_table(replay_summary, percent=["mean_bet_hit_rate", "mean_plan_hit_share", "mean_base_rate"])
tk.show_table(replayed, max_rows=table_rows, percent=["base_rate", "bet_hit_rate", "plan_hit_share"])

# %% [markdown]
# ## Exports
#
# The workbook holds every table of this page (an "about" sheet lists the parameters of the run); the plan is
# also a CSV, and its new products a Shopify product import (`season_plan_shopify.csv`: drafts with their
# planned tags, ready to upload under Products, Import).

# %%
workbook = tk.write_excel({
    "plan": plan.table, "summary": plan.summary, "categories": plan.categories, "looks": plan.looks,
    "tag sets": plan.concentration, "candidates": candidates, "backtest": replayed, "calibration": calibration,
}, out / "season_plan.xlsx", percent=["probability", "share_of_hit_bets", "bet_hit_rate", "plan_hit_share"],
   about={"season": season, "dataset": dataset.name, **settings})
shopify = (tk.plan.shopify_products(plan.table, brand.candidates.tags, brand.taxonomy, vendor=dataset.name,
                                    products=brand.candidates.products) if brand.candidates is not None else None)
tk.show_files([workbook, tk.write_csv(plan.table, out / "season_plan.csv"),
               tk.write_csv(shopify, out / "season_plan_shopify.csv", bom=False) if shopify is not None else None],
              folder=out,
              season_sheets={"plan": "plan", "plan summary": "summary"})

# %% [markdown]
# ## Words on this page
#
# - **Hit bet**: a new product chosen because it is likely to be a hit; **core** products fill the range;
#   **image** products carry the brand's style and are not meant to be hits; **carry-over** stays on sale.
# - **Chance of a hit**: the model's probability that the product reaches the hit bar, checked against past
#   seasons (never stated above what they showed); **lift** is that chance over the season's average.
# - **Expected hits** and its **90% interval**: the sum of the hit bets' chances, and the range the number of
#   hits should fall in nine times out of ten.
# - **Log loss** and **Brier score**: how far predicted chances were from what happened (lower is better);
#   the model with the lowest log loss out of time is chosen unless a simpler one is within its noise.
# - **Hit rate of the hit bets** (precision at k) and **lift of the hit bets**: in a replayed season, the share
#   of the hit bets that were hits, and that share over the season's average.
# - **Calibration**: products given about 20% should be hits about 20% of the time; the table puts the
#   chances given next to the share that were hits, with its 90% interval.
