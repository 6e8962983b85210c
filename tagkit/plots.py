"""Figures for the reports: every one has a title and labelled axes with units."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

COLOURS = {"ok": "#2a7f62", "warn": "#e0a526", "bad": "#c4473a", "neutral": "#9aa5b1", "accent": "#35608f"}


def _libs():
    """matplotlib and seaborn, imported on first use: importing tagkit stays fast for batch code."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95)
    return plt, sns


def plot_tag_coverage(coverage: pd.DataFrame) -> "plt.Figure":
    """Share of products per dimension with a usable value, with unmatched tags only, or no tag."""
    plt, _ = _libs()
    frame = coverage.iloc[::-1].reset_index(drop=True)
    n = frame["n_products"].where(frame["n_products"] > 0, 1)
    usable = 100 * frame["n_tagged"] / n
    unmatched = 100 * frame["n_only_unresolved"] / n
    none = (100 - usable - unmatched).clip(lower=0)
    labels = [f"{lab}{' *' if req else ''}" for lab, req in zip(frame["label"], frame["required"])]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(frame) + 1.6))
    ax.barh(labels, usable, color=COLOURS["ok"], label="usable value")
    ax.barh(labels, unmatched, left=usable, color=COLOURS["warn"], label="only tags tagkit could not match")
    ax.barh(labels, none, left=usable + unmatched, color=COLOURS["neutral"], alpha=0.45, label="no tag")
    for y, value in enumerate(usable):
        ax.text(min(value, 97) - 1, y, f"{value:.0f}%", va="center", ha="right", color="white", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Products (%)")
    ax.set_ylabel("Dimension (* = required)")
    ax.set_title("Tag coverage by dimension")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(frame), 1)), ncol=3, frameon=False)
    fig.tight_layout()
    return fig


def plot_value_distribution(counts: pd.DataFrame, *, top: int = 12, columns: int = 3) -> "plt.Figure":
    """Products per value, one small chart per dimension (the ``top`` most used values)."""
    plt, sns = _libs()
    dimensions = list(dict.fromkeys(counts["dimension"]))
    rows = math.ceil(len(dimensions) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 2.9 * rows), squeeze=False)
    for ax, dimension in zip(axes.flat, dimensions):
        part = counts[counts["dimension"] == dimension].sort_values(["n_products", "value"], ascending=[False, True])
        part = part.head(top)
        sns.barplot(part, x="n_products", y="value", ax=ax, color=COLOURS["accent"], orient="h")
        ax.set_title(part["dimension_label"].iloc[0] if len(part) else dimension, fontsize=10)
        ax.set_xlabel("Products")
        ax.set_ylabel("")
        ax.tick_params(axis="y", labelsize=8)
    for ax in list(axes.flat)[len(dimensions):]:
        ax.set_visible(False)
    fig.suptitle(f"Products per tag value (top {top} per dimension)", fontsize=12)
    fig.tight_layout()
    return fig


def plot_set_aside(accounting: pd.DataFrame) -> "plt.Figure":
    """Order lines set aside, by reason."""
    plt, sns = _libs()
    aside = accounting[accounting["reason"].str.startswith("set aside")].copy()
    aside["reason"] = aside["reason"].str.removeprefix("set aside: ")
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(aside), 1) + 1.4))
    if len(aside):
        sns.barplot(aside, x="rows", y="reason", ax=ax, color=COLOURS["bad"], orient="h")
    else:
        ax.text(0.5, 0.5, "No order line was set aside", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("Order lines (count)")
    ax.set_ylabel("Reason")
    ax.set_title("Order lines set aside, by reason")
    fig.tight_layout()
    return fig
