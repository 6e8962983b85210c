import tagkit as tk


def test_inputs_overview_and_summary(small_dataset):
    dataset = tk.open_dataset(small_dataset)
    taxonomy = dataset.read_taxonomy()
    inputs = tk.health.read_inputs(dataset, taxonomy)
    assert list(inputs) == ["catalogue"]
    own = inputs["catalogue"]
    overview = tk.health.input_overview(inputs, taxonomy).iloc[0]
    assert (overview["products"], overview["rows_read"]) == (4, 4)
    assert overview["unresolved_tags"] == 1  # 'navvy'
    assert overview["products_missing_required"] == 1  # product 004 has no colour it can use
    sales = dataset.read_sales(own.products)
    text, figures = tk.health.tag_health_summary(inputs, sales, taxonomy, "2025Q2")
    assert figures["products"] == 4 and figures["products_launched_in_season"] == 2
    assert figures["rows_read"] == 8 and "**4 products**" in text
    health = tk.health.health_by_input(inputs, taxonomy)
    assert set(health["input"]) == {"own catalogue"}
    assert own.matrix(taxonomy).shape == (4, len(taxonomy.items))


def test_files_outside_the_dataset_folder_are_named(small_dataset, tmp_path):
    import yaml

    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    (small_dataset / "orders.csv").rename(elsewhere / "orders.csv")
    config = yaml.safe_load((small_dataset / "dataset.yml").read_text())
    config["sales"]["path"] = "../exports/orders.csv"
    (small_dataset / "dataset.yml").write_text(yaml.safe_dump(config))
    dataset = tk.open_dataset(small_dataset)
    assert [p.name for p in dataset.outside_files()] == ["orders.csv"]
    note = tk.health.outside_note(dataset)
    assert note.startswith("1 input file(s) lie outside the dataset folder") and str(elsewhere / "orders.csv") in note
    assert tk.health.outside_note(tk.open_dataset(None)) is None
