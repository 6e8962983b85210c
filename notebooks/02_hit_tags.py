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
# # Hit tags
#
# Which tag combinations do the season's best sellers have in common, how much more likely is a product
# with them to be a hit, is that more than chance, and does it still hold the next season? A hit sells at
# least as well as a bar fixed from history (or, with `hit_definition="share"`, is in the top share of its
# own season), so each season's hit share is a measurement; the page first checks that the label measures
# selling. Rules `tag set ⇒ hit` are mined on the last few seasons and kept only when they are significant
# (false discovery rate `max_q`), strong enough (`min_lift`) and better than each of their parts.

# %% tags=["parameters"]
season: str = "2025Q4"  # last season of the analysis, e.g. "2025Q4"
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
history_seasons: int = 4  # seasons pooled to mine the rules, ending with `season` (1-40)
min_hits: int = 5  # fewest hits a tag set must have to become a rule
max_size: int = 3  # most tags in a tag set (1-6)
min_lift: float = 1.5  # smallest lift (hit rate / average hit rate) of a kept rule
max_q: float = 0.05  # largest q-value (false discovery rate) of a kept rule, in (0, 1]
band_low: float = 0.05  # lower end of the target hit share
band_high: float = 0.10  # upper end of the target hit share
heatmap_rows: str = ""  # dimension on the rows of the lift heatmap; "" chooses the one that best tells hits apart
heatmap_columns: str = ""  # dimension on the columns of the lift heatmap; "" chooses the next best
table_rows: int = 20  # rows shown per table on this page; the exports hold all rows (1-500)

# %%
import tagkit as tk

dataset = tk.open_dataset(data_dir)
tk.language.set_language(language or dataset.language)
season = dataset.calendar.parse(season)
out = tk.output_folder(output_dir, season)
settings = tk.check_parameters("02_hit_tags", engine=engine, metric=metric, hit_definition=hit_definition, top_share=top_share,
                               hit_bar=hit_bar, catalogue=catalogue, min_days_on_sale=min_days_on_sale,
                               min_exposure_days=min_exposure_days, history_seasons=history_seasons, min_hits=min_hits,
                               max_size=max_size, min_lift=min_lift, max_q=max_q, band_low=band_low, band_high=band_high,
                               table_rows=table_rows)
definition = tk.HitDefinition(metric=metric, definition=hit_definition, top_share=top_share, bar=hit_bar,
                              group_by=group_by, catalogue=catalogue, min_days_on_sale=min_days_on_sale,
                              min_exposure_days=min_exposure_days)
tk.parameters.check_dimensions(dataset.read_taxonomy(), group_by=group_by, heatmap_rows=heatmap_rows,
                               heatmap_columns=heatmap_columns)

# %%
brand = tk.load_brand(dataset, engine=engine)
window = tk.seasons.history(season, history_seasons, dataset.calendar)
definition = definition.resolve(brand)  # catalogue "auto": decided from the data, with the reason
labels = tk.label_brand(brand, definition, reference=window)
check = tk.check_labels(labels, definition, seasons=window, min_hits=min_hits, band=(band_low, band_high))
seasons = tk.hits.seasons_up_to(labels, season, dataset.calendar)
matrix, hits = tk.hits.ranked_rows(labels, brand.matrix, window)

# %%
rule_options = dict(min_hits=min_hits, max_size=max_size, min_lift=min_lift, max_q=max_q, taxonomy=brand.taxonomy)
rules = tk.cached(tk.mine_hit_rules, matrix, hits, **rule_options)  # mined once for both notebooks
kept = rules[rules["status"] == tk.vocabulary.KEPT]
share = tk.hit_share(labels, band=(band_low, band_high), calendar=dataset.calendar)
tested = tk.holdout(labels, brand.matrix, test_seasons=seasons, train_seasons=history_seasons,
                    calendar=dataset.calendar, **rule_options)
per_season, trends = tk.tag_trends(labels, brand.matrix, seasons=seasons, rules=kept, max_q=max_q)
yearly = tk.yearly_common_tags(labels, brand.matrix, seasons=seasons, min_hits=min_hits, min_lift=min_lift,
                               max_q=max_q, taxonomy=brand.taxonomy)
competitors = brand.competitors_in(window)
common = tk.common_tags(matrix, hits, competitors=competitors, min_hits=min_hits, max_q=max_q, min_lift=min_lift,
                        taxonomy=brand.taxonomy)
comparison = tk.competitor_comparison(matrix, hits, competitors, taxonomy=brand.taxonomy) if len(competitors) else None
signatures = tk.looks.tag_signatures(brand.own.tags, brand.taxonomy, products=brand.own.products)
pair = tk.rules.heatmap_dimensions(matrix, hits, brand.taxonomy, rows=heatmap_rows, columns=heatmap_columns)

# %%
summary, figures = tk.narrative.hit_tags_summary(season=season, window=window, share=share, rules=rules,
                                       holdout_summary=tk.trends.holdout_summary(tested), trends=trends,
                                       comparison=comparison, taxonomy=brand.taxonomy, check=check)
tk.show_summary(summary, figures, key_figures=[("ranked products in the season", "catalogue", "{:,}"),
                                               ("hits", "hits", "{:,}"), ("hit share", "hit_share", "{:.1%}"),
                                               ("rules kept", "rules_kept", "{:,}")])
tk.show_warnings(check.warnings)

# %% [markdown]
# ## Does the hit label measure selling?
#
# Every rule below rests on which products count as hits. Here is the definition in words, then the hits
# against the other products of the seasons the rules are mined on: if hits did not sell clearly more than
# the rest, the warning above says so and which parameter to change.

# %%
tk.show_notes([tk.language.translate("Hit definition: {definition}.", definition=definition.describe(window)),
               tk.hits.launch_note(brand.own.products)])
tk.show_table(check.table, note="Level with the cut-off: decided by revenue, then order lines; level on every key: "
              "all count as hits.")

# %% [markdown]
# ## Hit share per season
#
# **How to read it:** one bar per season, the share of its ranked catalogue (image products excluded) that
# reached the hit bar; the green band is the target, a red bar sits outside it. With a bar fixed from
# history this is a measurement: a season that sold better than the reference seasons has more hits. The
# dots are the hits' share of the season's revenue.

# %%
fig = tk.plots.plot_hit_share(share, band=(band_low, band_high))

# %%
tk.show_table(share, max_rows=table_rows, percent=["hit_share", "revenue_share"])

# %% [markdown]
# Image products carry the brand's style and are not meant to be hits, so they are not ranked; here is how
# the season's image products sold, by the same metric.

# %%
image_products = labels[(labels["season"] == season) & (labels["status"] == tk.vocabulary.IMAGE_PRODUCT)]
tk.show_table(image_products.sort_values("value", ascending=False)[["product_id", "value", "units", "revenue"]],
              max_rows=table_rows, empty=tk.language.translate("No product of {season} is flagged as an image product.", season=season))

# %% [markdown]
# ## The tag combinations that mark hits
#
# Rules kept on the seasons in the window, strongest first, in words and with the counts behind them (rules
# that differ only by tags of one hierarchy, such as coat and jacket, are one finding, shown once):
# *hit rate* is the share of products with the tags that were hits; *lift* compares it with the average
# hit rate; the *q-value* is the false discovery rate at which the rule would still be kept.

# %%
tk.show_table(tk.narrative.rule_table(kept, brand.taxonomy, grouped=True), max_rows=table_rows, percent=["hit_rate"],
              note="Rules that are one finding along the taxonomy's hierarchy (a coat and a jacket, say) are shown "
                   "once, the strongest, with the others beside it. All rules, with the reason each was or was not "
                   "kept, are in hit_tags.xlsx.", taxonomy=brand.taxonomy)

# %% [markdown]
# ### The products behind a rule
#
# Every ranked product of the seasons mined that carries the rule's tags, hits first: the products the rule's
# counts are made of. On this page, the strongest rule; in JupyterLab, pick any rule from the list.

# %%
tk.display.explore_rules(kept, matrix, hits, brand.own.products, labels=labels, taxonomy=brand.taxonomy,
                         max_rows=table_rows)

# %% [markdown]
# ### Trying another hit definition
#
# In JupyterLab, pick a season or move the sliders: the brand is labelled and its rules mined again with another
# season, `top_share` or `min_lift` (seconds), to see how the hit share and the findings depend on them before
# changing the parameter cell.

# %%
tk.display.explore_hit_definition(brand, definition, season=season, window=window, rule_options=rule_options,
                                  band=(band_low, band_high), taxonomy=brand.taxonomy)

# %% [markdown]
# What became of every tag set with enough hits: *redundant* rules have a more general rule with at least
# their hit rate (as R arules' `is.redundant`); rules *no better than their parts* add a tag that does not
# raise the hit rate significantly.

# %%
tk.show_table(tk.rules.status_counts(rules))

# %% [markdown]
# ## Lift of pairs of values
#
# **How to read it:** each cell is the lift of products carrying both values (red: more often hits than
# average; blue: less often); empty cells have fewer than 10 products in the window. Unless the parameters
# name them, the two dimensions are those whose values tell hits from the rest best.

# %%
fig = tk.plots.plot_lift_heatmap(tk.lift_table(matrix, hits, *pair) if pair else None, taxonomy=brand.taxonomy)
tk.show_notes(["No heatmap: fewer than two dimensions have enough products per value." if pair is None else ""])

# %% [markdown]
# **How to read it:** every tag set with enough hits, by how many hit products carry it (support) and how
# much more often they are hits (lift); darker points are more certain; circled points are the kept rules.
# Strong rules sit top right: common among hits and much more likely to hit.

# %%
fig = tk.plots.plot_rule_scatter(rules)

# %% [markdown]
# ## Common tags of the best sellers
#
# Each tag's share among the window's hits against its share in the whole catalogue (and among competitor
# best sellers). Tags that are merely *common everywhere* (held by many hits, but by as many other products)
# are told apart from tags that *mark hits*.

# %%
tk.show_table(common.drop(columns="items"), max_rows=table_rows,
              percent=["share_of_hits", "share_of_catalogue", "share_of_competitor_bestsellers"], taxonomy=brand.taxonomy)

# %% [markdown]
# ## Rising and fading tags
#
# The test: a straight line is fitted to each tag's lift over the seasons (seasons with more products weigh
# more; seasons with fewer than 20 products are left out) and its slope tested against zero; a tag is rising
# or fading when the slope is positive or negative at a false discovery rate of `max_q`.
# **How to read the chart:** the lift per season of the strongest rising and fading tags; above the dashed
# line, products with the tag were more often hits than average.

# %%
fig = tk.plots.plot_trends(per_season, trends, taxonomy=brand.taxonomy)

# %%
tk.show_table(trends[trends["trend"].isin(["rising", "fading"])], max_rows=table_rows,
              empty="No tag rose or faded significantly over these seasons.", taxonomy=brand.taxonomy)

# %% [markdown]
# ## Did the rules hold up?
#
# For each season, the rules kept on the seasons before it, scored on it. *Held up*: the rule's lift was
# above 1 in the new season; *confirmed*: significantly so on that season alone.

# %%
tk.show_table(tk.trends.holdout_summary(tested), max_rows=table_rows, percent=["held_up", "confirmed"])
tk.show_table(tested[tested["test_season"] == season], max_rows=table_rows, percent=["test_hit_rate"], taxonomy=brand.taxonomy)
tk.show_notes([tk.trends.holdout_gap(tested, season, train_seasons=history_seasons)])

# %% [markdown]
# ## Each year's best sellers
#
# The tags that marked each year's hits, as reviewed once a year (the strongest by lift).

# %%
tk.show_table(yearly, max_rows=3 * table_rows, percent=["share_of_hits", "share_of_catalogue"], taxonomy=brand.taxonomy)

# %% [markdown]
# ## Against competitor best sellers
#
# *Whitespace*: tag sets competitors win with that the brand hardly offers. *Crowded*: tag sets the brand
# offers a lot of without them marking its hits (look-alikes that compete on price). *Shared strength*: over-
# represented among both competitor best sellers and the brand's own hits.
# **How to read the chart:** for the tag sets competitors over-index on most, their share among competitor
# best sellers (red), the brand's hits (green) and the brand's range (grey).

# %%
fig = tk.plots.plot_competitor_shares(comparison, taxonomy=brand.taxonomy) if comparison is not None else None

# %%
tk.show_table(tk.compare.comparison_findings(comparison), max_rows=table_rows,
              note="A pair of tags whose verdict one of its tags has on its own is listed with that tag, and three or "
                   "more pairs of one verdict that share a tag are listed with the first of them (pairs with it). Every "
                   "tag set is in hit_tags.xlsx.",
              percent=["share_of_competitor_bestsellers", "share_of_own_hits", "share_of_own_range"],
              empty="This dataset has no competitor best sellers for these seasons, so there is nothing to compare "
                    "with. Add a competitors entry to dataset.yml (see docs/your-data.md).", taxonomy=brand.taxonomy)

# %% [markdown]
# ## How homogeneous is the range?
#
# A product's *look* is the values of a few dimensions (named below; `analysis.look` in dataset.yml sets
# them). The Herfindahl index of look shares is 1/n for a range of n distinct looks and 1 when every product
# looks alike; *effective looks* is its inverse. The planner caps how many products may share a look.

# %%
tk.show_notes([tk.language.translate("Here a look is {look}.", look=brand.taxonomy.roles.describe_look(brand.taxonomy))])
tk.show_table(tk.looks.homogeneity_by_season(labels, signatures), max_rows=table_rows, percent=["largest_group_share"])
in_season = labels[(labels["season"] == season) & labels["status"].isin(tk.vocabulary.RANKED)]
tk.show_table(tk.looks.look_alike_groups(signatures.reindex(in_season["product_id"]), in_season["hit"]), max_rows=10,
              percent=["hit_rate", "share_of_range"])

# %% [markdown]
# ## Exports

# %%
every_rule = tk.narrative.rule_table(rules, brand.taxonomy)  # in words, once for the workbook and the CSV
workbook = tk.write_excel({
    "hit share": share, "kept rules": tk.narrative.rule_table(kept, brand.taxonomy),
    "rules": every_rule, "common tags": common.drop(columns="items"),
    "trends": trends, "holdout": tested, "yearly": yearly, "labels": labels,
    "competitors": comparison, "label check": check.table,
}, out / "hit_tags.xlsx", about={"season": season, "dataset": dataset.name, **settings})
tk.show_files([workbook, tk.write_csv(every_rule, out / "hit_rules.csv")], folder=out,
              season_sheets={"hit share": "hit share", "kept rules": "kept rules", "common tags": "common tags"})

# %% [markdown]
# ## Words on this page
#
# - **Hit**: a product that sold at least as well as the bar (a fixed bar from the reference seasons by
#   default), measured by the page's metric; image products are not ranked.
# - **Hit share**: the share of a season's ranked products that were hits; the target band is 5–10%.
# - **Rule** (a tag set ⇒ hit): products carrying every tag of the set. Its **hit rate** is the share of them
#   that were hits; its **lift** is that hit rate divided by the average hit rate (2.0× means twice as often).
# - **q-value**: the false discovery rate at which the rule would still be kept, from a one-sided Fisher's
#   exact test over every rule tested (Benjamini–Hochberg); below 0.05 means at most 1 in 20 such rules is
#   expected to be chance.
# - **Finding**: rules that differ only by tags of one hierarchy (coat, trench coat, jacket) taken together.
# - **Held up / confirmed**: a rule mined on earlier seasons with a lift above 1 in the next season / also
#   significant there on its own.
# - **Whitespace / crowded**: competitors win with tags the brand hardly offers / the brand offers a lot of
#   tags that do not mark its hits.
# - **Look, concentration (HHI), effective number of looks**: a look is the values of a few dimensions; the
#   Herfindahl index sums each look's squared share of the range (1 means a single look); the effective number
#   of looks is its inverse, the number of equally common looks that would give the same concentration.
