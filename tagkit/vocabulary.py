"""The words tagkit's tables, parameters and pages share, declared once.

Every module, notebook, plot and the command line imports its choices and status words from here, so adding
a hit metric or an engine is a change in one place (and in the function that implements it). This module
imports nothing of tagkit's: it sits left of the models in the flow of imports.
"""

from __future__ import annotations

# --- hit labels (label_hits' ``status``) and what makes a hit -------------------------------------
HIT, MISS, IMAGE_PRODUCT, TOO_SHORT = "hit", "not a hit", "image product", "too few days on sale"
LABEL_STATUSES = (HIT, MISS, IMAGE_PRODUCT, TOO_SHORT)
RANKED = (HIT, MISS)  # the products a season's hit share is measured on
METRICS = ("units_per_week", "units", "net_units", "revenue", "sell_through")
METRIC_WORDS = {
    "units_per_week": "units per week on sale",
    "units": "units sold",
    "net_units": "units kept (net of returns)",
    "revenue": "revenue",
    "sell_through": "sell-through",
}
CATALOGUES = ("auto", "launched", "on_sale")  # a season's catalogue: decided from the data, launches, on sale
HIT_DEFINITIONS = ("bar", "share")  # a bar fixed from history, or the top share of each season
DEFAULT_BAND = (0.05, 0.10)  # the share of a season's catalogue meant to be hits

# --- rules (mine_hit_rules' ``status``) -----------------------------------------------------------
KEPT, LOW_LIFT, NOT_SIGNIFICANT, REDUNDANT, UNPRODUCTIVE = (
    "kept",
    "low lift",
    "not significant",
    "redundant",
    "no better than its parts",
)
RULE_STATUSES = (KEPT, UNPRODUCTIVE, REDUNDANT, NOT_SIGNIFICANT, LOW_LIFT)
MAX_TAG_SET_SIZE = 6  # the most tags in a rule's tag set

# --- products of a catalogue and of a plan --------------------------------------------------------
HIT_BET, CORE, IMAGE, CARRY_OVER = "hit bet", "core", "image", "carry-over"
PLAN_ROLES = (HIT_BET, CORE, IMAGE, CARRY_OVER)
CATALOGUE_ROLES = (CORE, IMAGE)  # what a catalogue's role column may say (after its aliases)

# --- models of hit chances and the methods a backtest compares -------------------------------------
TAGS_ONLY, TAGS_AND_RULES, BOOSTED = "tags only", "tags and rules", "gradient boosting"
# every kind of model, simplest first (a tie goes to the simpler), with the name it has in comparisons
MODEL_KINDS = {
    TAGS_ONLY: "logistic regression on tags",
    TAGS_AND_RULES: "logistic regression on tags and rules",
    BOOSTED: "gradient boosting on tags",
}
BACKTEST_TAGKIT, BACKTEST_RANDOM = "tagkit (model chosen from the seasons before)", "random picks"
BACKTEST_METHODS = (BACKTEST_TAGKIT, *MODEL_KINDS.values(), BACKTEST_RANDOM)  # the rows of a backtest, in order

# --- engines and how unknown tags are handled -----------------------------------------------------
ENGINES = ("duckdb", "spark")  # where order lines are aggregated
MINING_ENGINES = ("tagkit", "mlxtend", "spark")  # what finds the frequent tag sets among hits
NO_VALUE = "(none)"  # a product's group or category when it has no value in that dimension
UNKNOWN_TAGS = ("report", "raise")  # an unknown tag value is reported and set aside, or stops the read

# --- column headers in words, for pages and workbooks (other columns: the name with spaces) ----------
HEADER_WORDS = {
    "n_products": "products",
    "n_hits": "hits",
    "n_tags": "tags",
    "n_own_products": "own products",
    "q_value": "q-value (false discovery rate)",
    "p_value": "p-value",
    "test_p_value": "p-value in the test season",
    "hhi": "concentration (HHI, 0–1)",
    "effective_looks": "effective number of looks",
    "lift_at_k": "lift of the hit bets",
    "mean_lift_at_k": "mean lift of the hit bets",
    "brier": "Brier score (lower is better)",
    "mean_brier": "mean Brier score (lower is better)",
    "log_loss": "log loss (lower is better)",
    "log_loss_vs_best": "log loss above the best",
    "bet_hit_rate": "hit rate of the hit bets",
    "mean_bet_hit_rate": "mean hit rate of the hit bets",
    "units_per_week": "units per week on sale",
    "price_band": "price band",
    "train_n_products": "products (learnt on)",
    "train_n_hits": "hits (learnt on)",
    "train_lift": "lift (learnt on)",
    "test_n_products": "products (test season)",
    "test_n_hits": "hits (test season)",
    "test_lift": "lift (test season)",
    "test_hit_rate": "hit rate (test season)",
    "share_of_competitor_bestsellers": "share of competitor best sellers",
    "bin": "chance given",
}

# --- frames that cross a public function: the columns each must have (more are welcome) -----------
FRAMES = {
    "metrics": ("product_id", "season", "net_units", "days_on_sale"),  # read_sales(...).metrics
    "products": ("product_id",),  # a catalogue's products
    "resolved tags": ("product_id", "dimension", "value", "item", "status"),  # normalise_tags
    "labels": ("product_id", "season", "status", "hit"),  # label_hits
    "rules": ("rule", "items", "n_products", "n_hits", "lift", "q_value", "status"),  # mine_hit_rules
    "candidates": ("product_id", "role", "category", "look", "probability"),  # score_candidates
    "carry-over": ("product_id", "category", "look"),  # carry_over
}

# --- tags read from product text (read_text_tags' ``status``) ---------------------------------------
TEXT_READ, TEXT_AMBIGUOUS, TEXT_NEGATED, TEXT_IN_COLUMN = "read", "ambiguous", "after a negation", "given in a column"
TEXT_STATUSES = (TEXT_READ, TEXT_IN_COLUMN, TEXT_AMBIGUOUS, TEXT_NEGATED)
