"""Benchmark: tags read from product text, against the true tags (precision, recall) and at a million titles.

    python bench/bench_extract.py                 # the quality tables and the speed at 1,000,000 titles
    python bench/bench_extract.py --skip-speed    # the quality tables only

Quality: the demo brand's 21,532 products get an English title, a Chinese title and a description written
from their true tags with the noise of real listings (tagkit/demo_titles.py: synonyms, word order, marketing
words, typos, attributes left out). tagkit reads tags from each text alone, and from all three, through the
demo taxonomy. Per dimension:

- precision: of the tags read, the share that are true tags of the product;
- recall: of the true tags the text names (the generator records which), the share read;
- coverage: of all the product's true tags, the share read (what a user gets, text left out included).

Then the hit rules (``mine_hit_rules`` with its defaults, on the same hits) mined from the tags read from the
three texts are compared with those mined from the true tags. Precision by confidence level shows what the
``confidence`` column means. Speed: 1,000,000 distinct English titles (the demo's products resampled, each
title written anew) read in one process, wall time of ``parse_catalogue`` with ``text=["Title"]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import load_tagkit, peak_rss_gb

OUT = Path(__file__).resolve().parent / "out"
TARGETS = {"Title": (0.95, 0.85), "标题": (0.90, 0.80)}


def brand():
    from tagkit import demo_titles

    cached = OUT / "titles_brand.pkl"
    if cached.exists():
        return pd.read_pickle(cached)
    tables = demo_titles.generate()
    found = (tables["catalogue.csv"], tables["true_tags.csv"], tables["taxonomy.yml"])
    OUT.mkdir(exist_ok=True)
    pd.to_pickle(found, cached)
    return found


def read(catalogue: pd.DataFrame, taxonomy, text: list[str]):
    import tagkit as tk

    frame = catalogue[["SKU", *text]].rename(columns={"SKU": "product_id"})
    frame.index = range(2, 2 + len(frame))
    parsed = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=text)
    return parsed


def scores(extracted: pd.DataFrame, truth: pd.DataFrame, named: pd.Series | None) -> pd.DataFrame:
    read = extracted.loc[extracted["status"] == "read", ["product_id", "dimension", "value"]].drop_duplicates()
    true = truth[["product_id", "dimension", "value"]].assign(true=True)
    joined = read.merge(true, how="left", on=["product_id", "dimension", "value"])
    rows = []
    for dimension, group in truth.groupby("dimension", sort=False):
        mine = joined[joined["dimension"] == dimension]
        said = group[named.loc[group.index]] if named is not None else group
        found = said.merge(read, on=["product_id", "dimension", "value"])
        every = group.merge(read, on=["product_id", "dimension", "value"])
        rows.append(
            {
                "dimension": dimension,
                "tags read": len(mine),
                "precision": mine["true"].notna().mean() if len(mine) else float("nan"),
                "true tags named": len(said),
                "recall": len(found) / len(said) if len(said) else float("nan"),
                "coverage": len(every) / len(group),
            }
        )
    return pd.DataFrame(rows)


def rules_agreement(season: str = "2025Q4", history_seasons: int = 4) -> dict:
    """Kept hit rules mined (defaults of 02_hit_tags) from the tags read from the titles brand's three texts,
    against those mined from the demo brand's tag columns: same products, same sales, same hits."""
    import tagkit as tk
    from tagkit import demo_titles

    folder = OUT / "titles_demo"
    if not (folder / "dataset.yml").exists():
        demo_titles.write_titles(folder)
    columns = tk.load_brand(tk.open_dataset(tk.paths.DEMO_DATA))
    texts = tk.load_brand(tk.open_dataset(folder))
    window = tk.seasons.history(season, history_seasons, columns.dataset.calendar)
    definition = tk.HitDefinition().resolve(columns)
    labels = tk.label_brand(columns, definition, reference=window)
    kept = {}
    for name, brand in (("tag columns", columns), ("text", texts)):
        matrix, hits = tk.hits.ranked_rows(labels, brand.matrix, window)
        rules = tk.mine_hit_rules(matrix, hits, taxonomy=brand.taxonomy)
        kept[name] = set(rules.loc[rules["status"] == tk.vocabulary.KEPT, "rule"])
    both = kept["tag columns"] & kept["text"]
    return {
        "kept rules, tag columns": len(kept["tag columns"]),
        "kept rules, text": len(kept["text"]),
        "in both": len(both),
        "share of the tag columns' rules found from text": len(both) / max(len(kept["tag columns"]), 1),
        "share of the text's rules also found from the tag columns": len(both) / max(len(kept["text"]), 1),
        "only from the tag columns": "; ".join(sorted(kept["tag columns"] - both)[:5]),
        "only from text": "; ".join(sorted(kept["text"] - both)[:5]),
    }


def speed(n: int, taxonomy_dict) -> dict:
    tk = load_tagkit()
    from tagkit import demo_titles

    path = OUT / f"titles_{n}.parquet"
    if not path.exists():
        from tagkit import demo

        tables = demo.generate(keep_products=True)
        products = tables["products"]
        rng = np.random.default_rng(5)
        sample = products.iloc[rng.integers(0, len(products), n)].reset_index(drop=True)
        sample["product_id"] = np.char.mod("%07d", np.arange(n) + 1_000_000)
        texts, _ = demo_titles.write_texts(sample, taxonomy_dict, seed=5)
        pd.DataFrame({"product_id": sample["product_id"], "Title": texts["Title"]}).to_parquet(path, index=False)
    frame = pd.read_parquet(path)
    frame = frame.astype({"product_id": "str", "Title": "str"})
    frame.index = range(2, 2 + len(frame))
    taxonomy = tk.Taxonomy.from_dict(taxonomy_dict)
    started = time.perf_counter()
    parsed = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=["Title"])
    seconds = time.perf_counter() - started
    return {
        "titles": len(frame),
        "distinct titles": frame["Title"].nunique(),
        "seconds": seconds,
        "tags read": int((parsed.extracted["status"] == "read").sum()),
        "peak_gb": peak_rss_gb(),
    }


def markdown(frame: pd.DataFrame) -> str:
    def cell(v):
        if isinstance(v, float):
            return "" if v != v else f"{v:.3f}"
        if isinstance(v, (int, np.integer)):
            return f"{v:,}"
        return str(v)

    lines = [
        "| " + " | ".join(frame.columns) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(frame.shape[1])) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--titles", type=int, default=1_000_000)
    args = parser.parse_args()
    tk = load_tagkit()

    catalogue, truth, taxonomy_dict = brand()
    taxonomy = tk.Taxonomy.from_dict(taxonomy_dict)
    summary = []
    for text in (["Title"], ["标题"], ["Description"], ["Title", "标题", "Description"]):
        started = time.perf_counter()
        parsed = read(catalogue, taxonomy, text)
        seconds = time.perf_counter() - started
        named = truth[f"in_{text[0]}".replace("in_Description", "in_description").replace("in_Title", "in_title")]
        named = None if len(text) > 1 else named
        table = scores(parsed.extracted, truth, named)
        label = " + ".join(text)
        print(f"\n### Read from {label} ({len(catalogue):,} products, {seconds:.1f} s)\n", flush=True)
        print(markdown(table))
        target = TARGETS.get(text[0]) if len(text) == 1 else None
        summary.append(
            {
                "text": label,
                "lowest precision": table["precision"].min(),
                "lowest recall": table["recall"].min() if named is not None else float("nan"),
                "mean coverage": table["coverage"].mean(),
                "target": f"precision ≥ {target[0]}, recall ≥ {target[1]} per dimension" if target else "",
                "met": (
                    ("yes" if table["precision"].min() >= target[0] and table["recall"].min() >= target[1] else "no")
                    if target
                    else ""
                ),
            }
        )
        if len(text) > 1:
            by_confidence = parsed.extracted[parsed.extracted["status"] == "read"].merge(
                truth.assign(true=True)[["product_id", "dimension", "value", "true"]],
                how="left",
                on=["product_id", "dimension", "value"],
            )
            levels = by_confidence.groupby("confidence")["true"].agg(lambda s: s.notna().mean()).rename("precision")
            counts = by_confidence.groupby("confidence").size().rename("tags read")
            print("\n### Precision by confidence (all three texts)\n")
            print(markdown(pd.concat([counts, levels], axis=1).reset_index()))
            statuses = parsed.extracted["status"].value_counts().rename_axis("status").reset_index(name="findings")
            print("\n### Findings by status (all three texts)\n")
            print(markdown(statuses))
    agreement = rules_agreement()
    print("\n### Hit rules mined from the text against those from the tag columns (2025Q4, four seasons)\n")
    print(markdown(pd.DataFrame([agreement]).T.reset_index().set_axis(["", "value"], axis=1)))
    print("\n### Summary\n")
    print(markdown(pd.DataFrame(summary)))
    if not args.skip_speed:
        result = speed(args.titles, taxonomy_dict)
        print("\n### Speed\n")
        print(markdown(pd.DataFrame([result])))


if __name__ == "__main__":
    sys.exit(main())
