import pytest
import yaml

import tagkit as tk


def test_small_dataset_reads_end_to_end(small_dataset):
    dataset = tk.open_dataset(small_dataset)
    assert dataset.name == "Small brand" and dataset.calendar is tk.seasons.QUARTERS
    catalogue = dataset.read_catalogue()
    assert catalogue.products["product_id"].tolist() == ["001", "002", "003", "004"]
    sales = dataset.read_sales(catalogue.products)
    assert sales.rows_read == 8 and sales.rows_read == sales.rows_used + sales.rows_set_aside
    assert {p.name for p in dataset.files()} == {"taxonomy.yml", "catalogue.csv", "orders.csv"}


def test_demo_dataset_opens_by_default():
    dataset = tk.open_dataset("")
    assert dataset.folder.name == "demo"
    assert all(dataset.has(k) for k in ("catalogue", "sales", "competitors", "candidates"))


def _config(folder, config):
    (folder / "dataset.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def test_every_config_problem_is_listed(small_dataset):
    _config(
        small_dataset,
        {
            "taxonomy": "taxonomy.yml",
            "catalog": "catalogue.csv",
            "sales": {"path": "order.csv", "kind": "order_lines", "colums": {}},
        },
    )
    with pytest.raises(tk.InputError) as info:
        tk.open_dataset(small_dataset)
    text = str(info.value)
    assert "unknown entry 'catalog'" in text and "Did you mean 'catalogue'?" in text
    assert "the 'catalogue' entry is missing" in text
    assert "sales file 'order.csv' not found" in text
    assert "unknown option 'colums'" in text and "Did you mean 'columns'?" in text


def test_folder_without_config(tmp_path):
    with pytest.raises(tk.InputError, match="no dataset config here"):
        tk.open_dataset(tmp_path)


def test_named_calendar_in_config(small_dataset):
    config = yaml.safe_load((small_dataset / "dataset.yml").read_text())
    config["calendar"] = {
        "name": "halves",
        "seasons": [{"code": "SS", "start_month": 2}, {"code": "AW", "start_month": 8}],
    }
    dataset = tk.open_dataset(_config(small_dataset, config))
    catalogue = dataset.read_catalogue()
    assert catalogue.products["launch_season"].tolist() == ["2024AW", "2025SS", "2025SS", "2025SS"]
    metrics = dataset.read_sales(catalogue.products).metrics
    assert set(metrics["season"]) <= {"2024AW", "2025SS"}


def test_asking_for_an_input_the_dataset_lacks(small_dataset):
    dataset = tk.open_dataset(small_dataset)
    with pytest.raises(tk.InputError, match="has no 'competitors' entry"):
        dataset.read_catalogue("competitors")
    with pytest.raises(tk.InputError, match="'sales' is not a catalogue input"):
        dataset.read_catalogue("sales")


def test_several_sales_inputs_add_up_per_product_and_season(small_dataset, tmp_path):
    # a marketplace shop's figures, scraped once a month, next to the web shop's order lines
    (small_dataset / "shop.csv").write_text(
        "product_id,scraped_on,units,revenue\n1,2025-02-28,4,40\n004,2025-05-31,2,20\n9,2025-05-31,1,1\n",
        encoding="utf-8",
    )
    config = yaml.safe_load((small_dataset / "dataset.yml").read_text())
    config["sales"] = [config["sales"], {"path": "shop.csv", "kind": "aggregated", "id_width": 3}]
    dataset = tk.open_dataset(_config(small_dataset, config))
    products = dataset.read_catalogue().products
    web = tk.read_sales(small_dataset / "orders.csv", products=products, latest_date="2026-01-01")
    both = dataset.read_sales(products, set_aside_path=tmp_path / "aside.csv")
    assert both.rows_read == web.rows_read + 3 and both.rows_used == web.rows_used + 2
    assert both.rows_read == both.rows_used + both.rows_set_aside
    units = both.metrics.set_index(["product_id", "season"])["units"]
    alone = web.metrics.set_index(["product_id", "season"])["units"]
    assert units[("001", "2025Q1")] == alone[("001", "2025Q1")] + 4
    assert units[("004", "2025Q2")] == alone[("004", "2025Q2")] + 2
    aside = tk.io.read_table(tmp_path / "aside.csv")
    assert len(aside) == both.rows_set_aside and set(aside["reason"]) >= {"unknown product id", "unparseable date"}
    assert any(w.startswith("shop.csv: ") for w in both.warnings)
    assert {p.name for p in dataset.files()} >= {"orders.csv", "shop.csv"}


def test_dataset_options_of_the_wrong_kind_are_listed(small_dataset):
    config = yaml.safe_load((small_dataset / "dataset.yml").read_text())
    config["catalogue"].update(id_width="ten", separators=[","], placeholders="Unknown")
    with pytest.raises(tk.InputError) as info:
        tk.open_dataset(_config(small_dataset, config))
    text = str(info.value)
    assert "id_width must be a whole number of digits" in text and "found 'ten'" in text
    assert "separators must be text" in text and "placeholders must be a list of values" in text


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",  # nested aliases: "billion laughs"
        "a: &a [*a]\n",  # a recursive alias
    ],
)
def test_yaml_anchors_and_aliases_are_refused_at_once(tmp_path, text):
    path = tmp_path / "dataset.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tk.InputError, match=r"dataset.yml: line 1, column \d+: YAML anchors and aliases"):
        tk.open_dataset(tmp_path)  # before anything is expanded: the bomb never goes off
