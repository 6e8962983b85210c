"""Writes the bad-input corpus next to this file: one folder per case, each a dataset with one fault.

    python tests/bad_inputs/make_corpus.py

The expected outcome of each case is in cases.yml; tests/test_bad_inputs.py runs them all.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
TAXONOMY = {
    "dimensions": [
        {
            "name": "category",
            "required": True,
            "values": [
                {"name": "dress", "aliases": ["连衣裙"]},
                {"name": "midi-dress", "parent": "dress"},
                {"name": "jeans", "aliases": ["denim"]},
                {"name": "top"},
            ],
        },
        {
            "name": "colour",
            "label": "Colour",
            "aliases": ["color", "颜色"],
            "required": True,
            "values": [{"name": "black", "aliases": ["黑色"]}, {"name": "navy"}, {"name": "beige"}],
        },
        {"name": "material", "values": ["linen", "denim", "wool"]},
        {"name": "occasion", "multi": True, "values": ["work", "party"]},
    ]
}
CATALOGUE = (
    "product_id,name,category,colour,material,occasion,price,launch_date\n"
    "0001,Linen dress,midi-dress,beige,linen,work,199,2025-01-10\n"
    "0002,Black jeans,jeans,black,denim,party,299,2025-01-12\n"
    "0003,Navy top,top,navy,wool,work|party,99,2025-02-01\n"
    "0004,Wool dress,dress,black,wool,party,399,2025-04-05\n"
    "0005,Linen top,top,beige,linen,work,129,2025-04-20\n"
)
ORDERS = (
    "product_id,date,quantity,revenue\n"
    "0001,2025-01-15,1,199\n0001,2025-02-03,2,398\n0002,2025-01-20,1,299\n0003,2025-02-10,1,99\n"
    "0004,2025-04-10,1,399\n0005,2025-05-01,3,387\n0004,2025-05-02,1,399\n"
)
CONFIG = {
    "name": "Bad input case",
    "taxonomy": "../_base/taxonomy.yml",
    "catalogue": {"path": "catalogue.csv"},
    "sales": {"path": "orders.csv", "latest_date": "2026-01-01"},
}


def case(name: str, files: dict, config: dict | None = None, *, raw_config: str | None = None) -> None:
    folder = HERE / name
    folder.mkdir()
    merged = {"catalogue.csv": CATALOGUE, "orders.csv": ORDERS, **files}
    for file, content in merged.items():
        if content is None:
            continue
        target = folder / file
        if isinstance(content, bytes):
            target.write_bytes(content)
        elif isinstance(content, pd.DataFrame):
            content.to_excel(target, index=False, header=False)
        elif callable(content):
            content(target)
        else:
            target.write_text(content, encoding="utf-8")
    (folder / "dataset.yml").write_text(
        raw_config or yaml.safe_dump(config or CONFIG, allow_unicode=True), encoding="utf-8"
    )


def with_config(**changes) -> dict:
    config = yaml.safe_load(yaml.safe_dump(CONFIG))
    for key, value in changes.items():
        config[key] = value
    return config


def main():
    for path in HERE.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
    base = HERE / "_base"
    base.mkdir()
    (base / "taxonomy.yml").write_text(yaml.safe_dump(TAXONOMY, allow_unicode=True), encoding="utf-8")
    rows = CATALOGUE.splitlines()

    # --- catalogue files -------------------------------------------------------------------------
    case("catalogue_missing_id_column", {"catalogue.csv": CATALOGUE.replace("product_id,", "article,", 1)})
    case(
        "catalogue_misspelled_mapping",
        {},
        with_config(catalogue={"path": "catalogue.csv", "columns": {"product_id": "product id"}}),
    )
    case(
        "catalogue_misspelled_dimension_mapping",
        {},
        with_config(catalogue={"path": "catalogue.csv", "columns": {"colour": "colr"}}),
    )
    case(
        "catalogue_duplicate_ids",
        {"catalogue.csv": CATALOGUE + rows[1] + "\n" + rows[2].replace("Black", "Blue") + "\n"},
    )
    case("catalogue_mixed_id_types", {"catalogue.csv": CATALOGUE.replace("0002,", "2,").replace("0003,", "3.0,")})
    case("catalogue_empty_file", {"catalogue.csv": b""})
    case("catalogue_header_only", {"catalogue.csv": rows[0] + "\n"})
    case(
        "catalogue_unparseable_dates",
        {"catalogue.csv": CATALOGUE.replace("2025-01-10", "31/02/2025").replace("2025-01-12", "yesterday")},
    )
    case(
        "catalogue_out_of_range_dates",
        {"catalogue.csv": CATALOGUE.replace("2025-01-10", "1899-01-01").replace("2025-01-12", "2201-01-01")},
    )
    case(
        "catalogue_nan_and_empty_tags",
        {"catalogue.csv": CATALOGUE.replace("midi-dress,beige", "NaN,").replace(",jeans,black,", ",,None,")},
    )
    case("catalogue_very_long_tag_string", {"catalogue.csv": CATALOGUE.replace("work|party", "x" * 5000)})
    case(
        "catalogue_unknown_encoding", {"catalogue.csv": CATALOGUE.replace("Linen dress", "连衣裙").encode("utf-16-le")}
    )
    case(
        "catalogue_broken_utf8",
        {
            "catalogue.csv": CATALOGUE.replace("Linen dress", "连衣裙 dress")
            .encode("utf-8")
            .replace(b"Wool dress", b"Wool dr\xe9ss")
        },
    )
    case("catalogue_gbk_encoding", {"catalogue.csv": CATALOGUE.replace("beige", "连衣裙").encode("gbk")})
    width = len(rows[0].split(","))
    grid = pd.DataFrame(
        [["Product master export"] + [None] * (width - 1), [None] * width] + [r.split(",") for r in rows]
    )
    case(
        "catalogue_excel_extra_header_rows", {"catalogue.xlsx": grid}, with_config(catalogue={"path": "catalogue.xlsx"})
    )
    case(
        "catalogue_excel_not_a_workbook",
        {"catalogue.xlsx": b"this is not a workbook"},
        with_config(catalogue={"path": "catalogue.xlsx"}),
    )
    case(
        "catalogue_long_shape_without_values",
        {"catalogue.csv": "product_id,dimension,tag\n0001,colour,black\n"},
        with_config(catalogue={"path": "catalogue.csv", "shape": "long"}),
    )
    case("catalogue_bad_prices", {"catalogue.csv": CATALOGUE.replace(",199,", ",abc,").replace(",299,", ",-5,")})
    case(
        "catalogue_ambiguous_bare_tags",
        {
            "catalogue.csv": 'product_id,tags\n0001,"dress, denim, black"\n0002,"colour:navy, top"\n',
            "orders.csv": "\n".join(ORDERS.splitlines()[:5]) + "\n",
        },
    )
    case(
        "catalogue_duplicate_header", {"catalogue.csv": CATALOGUE.replace("material,occasion", "material,material", 1)}
    )
    case("catalogue_ragged_row", {"catalogue.csv": CATALOGUE + "0006,Extra,top,black,wool,work,99,2025-01-01,oops\n"})
    case(
        "catalogue_unknown_tag_values",
        {"catalogue.csv": CATALOGUE.replace("beige,linen", "beige,linnen").replace("navy,wool", "mauve,wool")},
    )

    # --- sales files ---------------------------------------------------------------------------------
    case("sales_negative_quantities", {"orders.csv": ORDERS + "0001,2025-02-20,-1,-199\n"})
    case("sales_fractional_quantities", {"orders.csv": ORDERS + "0001,2025-02-20,1.5,100\n0002,2025-02-21,0.5,50\n"})
    case("sales_unparseable_dates", {"orders.csv": ORDERS + "0001,05/01/2025,1,199\n0002,n/a,1,299\n"})
    case("sales_out_of_range_dates", {"orders.csv": ORDERS + "0001,1970-01-01,1,199\n0002,2099-01-01,1,299\n"})
    case("sales_lost_leading_zeros", {"orders.csv": ORDERS.replace("\n000", "\n")})
    case("sales_header_only", {"orders.csv": "product_id,date,quantity,revenue\n"})
    case("sales_empty_file", {"orders.csv": b""})
    case("sales_missing_date_column", {"orders.csv": ORDERS.replace(",date,", ",when,", 1)})
    case("sales_non_numeric_revenue", {"orders.csv": ORDERS + "0001,2025-02-20,1,free\n"})
    case("sales_malformed_lines", {"orders.csv": ORDERS + "0001,2025-02-20,1,199,gift wrap\n0002,2025-02-21\n"})
    case(
        "sales_gbk_encoding",
        {"orders.csv": ORDERS.replace("product_id,date,quantity,revenue", "商品编号,下单时间,数量,金额").encode("gbk")},
    )
    case("sales_unknown_encoding", {"orders.csv": ORDERS.encode("utf-16-le")})
    case(
        "sales_gzip_csv",
        {"orders.csv": None, "orders.csv.gz": gzip.compress(ORDERS.encode(), mtime=0)},
        with_config(sales={"path": "orders.csv.gz", "latest_date": "2026-01-01"}),
    )
    case(
        "sales_ambiguous_day_month",
        {"orders.csv": ORDERS.replace("2025-01-15", "05/01/2025")},
        with_config(sales={"path": "orders.csv", "latest_date": "2026-01-01", "date_format": "%d/%m/%Y"}),
    )

    # --- taxonomy and dataset files -------------------------------------------------------------------
    bad_taxonomy = (
        "dimensions:\n  - name: colour\n    values:\n      - name: navy\n        aliases: [dark blue]\n"
        "      - name: blue\n        aliases: [Dark-Blue]\n  - name: category\n    values:\n"
        "      - name: midi-dress\n        parent: dres\n  - name: fit\n    values: []\n"
    )
    case("taxonomy_contradictions", {"taxonomy.yml": bad_taxonomy}, with_config(taxonomy="taxonomy.yml"))
    case(
        "taxonomy_not_yaml", {"taxonomy.yml": "dimensions:\n  - name: [colour\n"}, with_config(taxonomy="taxonomy.yml")
    )
    case("dataset_missing_sales_entry", {}, {k: v for k, v in CONFIG.items() if k != "sales"})
    case("dataset_file_not_found", {}, with_config(catalogue={"path": "products.csv"}))

    # --- hostile and broken inputs (issue 11) -----------------------------------------------------------
    case(
        "sales_huge_and_non_finite_numbers",
        {
            "orders.csv": ORDERS + "0001,2025-02-20,1e308,1\n"
            "0001,2025-02-20,99999999999999999999999,1\n"
            "0002,2025-02-20,9223372036854775807,1\n0002,2025-02-20,9223372036854775807,1\n"
            "0003,2025-02-20,inf,1\n0003,2025-02-20,NaN,1\n"
            "0004,2025-04-20,1,inf\n0004,2025-04-20,1,NaN\n"
        },
    )
    case(
        "sales_formula_fields",
        {
            "orders.csv": ORDERS + '"=HYPERLINK(""http://evil.example"",""click me"")",2025-02-20,1,1\n'
            "0001,2025-02-21,1,=1+1\n0002,2025-02-22,@SUM(A1),1\n"
        },
    )
    long_line = ORDERS + "0001,2025-02-20," + "x" * (3 * 2**20) + ",1\n"
    case(
        "sales_very_long_line",
        {"orders.csv": None, "orders.csv.gz": gzip.compress(long_line.encode(), mtime=0)},
        with_config(sales={"path": "orders.csv.gz", "latest_date": "2026-01-01"}),
    )
    case("sales_no_usable_row", {"orders.csv": "product_id,date,quantity\n0001,05/01/2025,1\n0002,n/a,1\n"})
    case(
        "sales_bad_date_format",
        {},
        with_config(sales={"path": "orders.csv", "latest_date": "2026-01-01", "date_format": "%Q"}),
    )
    case(
        "sales_bad_memory_limit",
        {},
        with_config(sales={"path": "orders.csv", "latest_date": "2026-01-01", "memory_limit": "lots"}),
    )
    orders_grid = pd.DataFrame([line.split(",") for line in ORDERS.splitlines()])
    case(
        "sales_excel_order_lines",
        {"orders.csv": None, "orders.xlsx": orders_grid},
        with_config(sales={"path": "orders.xlsx", "latest_date": "2026-01-01"}),
    )
    case(
        "sales_aggregated_by_scrape_date",
        {
            "orders.csv": None,
            "shop.csv": "product_id,scraped_on,units,revenue\n"
            "0001,2025-01-31,3,30\n0002,2025-02-28,1e400,1\n0003,someday,1,1\n",
        },
        with_config(sales={"path": "shop.csv", "kind": "aggregated"}),
    )
    case(
        "sales_file_name_with_brackets",
        {"orders.csv": None, "orders [2025].csv": ORDERS},
        with_config(sales={"path": "orders [2025].csv", "latest_date": "2026-01-01"}),
    )
    case(
        "catalogue_non_finite_prices",
        {"catalogue.csv": CATALOGUE.replace(",199,", ",inf,").replace(",299,", ",1e400,").replace(",99,", ",-inf,")},
    )
    case("catalogue_far_future_launch", {"catalogue.csv": CATALOGUE.replace("2025-01-10", "2500-01-01")})
    case(
        "catalogue_formula_tags",
        {
            "catalogue.csv": CATALOGUE.replace("Linen dress", '"=HYPERLINK(""http://x"")"').replace(
                ",beige,linen,work,199", ",=1+1,linen,work,199"
            )
        },
    )
    case(
        "catalogue_control_characters",
        {"catalogue.csv": CATALOGUE.replace("Navy top", "Navy\x07top").replace(",navy,wool", ",na\x1bvy,wool")},
    )
    case("catalogue_old_mac_line_endings", {"catalogue.csv": CATALOGUE.replace("\n", "\r").encode()})
    case(
        "catalogue_bom_and_bad_byte",
        {
            "catalogue.csv": b"\xef\xbb\xbf"
            + CATALOGUE.replace("Linen dress", "\u8fde dress").encode().replace(b"Wool dress", b"Wool dr\xe9ss")
        },
    )
    case(
        "catalogue_parquet_binary_column",
        {"catalogue.parquet": _binary_parquet},
        with_config(catalogue={"path": "catalogue.parquet"}),
    )
    case(
        "catalogue_excel_declares_a_huge_sheet",
        {"catalogue.xlsx": _huge_sheet},
        with_config(catalogue={"path": "catalogue.xlsx"}),
    )
    case(
        "catalogue_values_with_commas",
        {"catalogue.csv": CATALOGUE.replace(",linen,work,199", ',"Linen, washed",work,199')},
        with_config(catalogue={"path": "catalogue.csv", "separators": {"material": ""}}),
    )
    case(
        "dataset_yaml_aliases",
        {},
        raw_config="a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c]\n",
    )
    case("dataset_yaml_recursive_alias", {}, raw_config="name: &n [*n]\n")
    case(
        "dataset_columns_not_a_mapping",
        {},
        with_config(catalogue={"path": "catalogue.csv", "columns": ["product_id", "name"]}),
    )
    (HERE / "_outside").mkdir()
    (HERE / "_outside" / "orders.csv").write_text(ORDERS, encoding="utf-8")
    case(
        "dataset_path_outside_the_folder",
        {"orders.csv": None},
        with_config(sales={"path": "../_outside/orders.csv", "latest_date": "2026-01-01"}),
    )
    case(
        "taxonomy_yaml_aliases",
        {"taxonomy.yml": "dimensions:\n  - &d {name: colour, values: [navy]}\n  - *d\n"},
        with_config(taxonomy="taxonomy.yml"),
    )

    # --- seasons -----------------------------------------------------------------------------------------
    case("season_with_no_sales", {})
    ties = "product_id,date,quantity,revenue\n" + "".join(f"000{i},2025-02-0{i},1,100\n" for i in range(1, 4))
    case("season_where_every_product_ties", {"catalogue.csv": "\n".join(rows[:4]) + "\n", "orders.csv": ties})


def _binary_parquet(target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"product_id": ["0001", "0002"], "category": [b"dress", b"\xff\xfe"]}), target)


def _huge_sheet(target: Path) -> None:
    """A few kilobytes that declare a sheet of a million rows and 16,384 columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["product_id", "category"])
    sheet.append(["0001", "dress"])
    sheet["XFD1048576"] = "x"
    book.save(target)


if __name__ == "__main__":
    main()
