"""The bad-input corpus (tests/bad_inputs/): every bad input gives a clear tagkit error, or is used with what
could not be used set aside and counted. Never a traceback from inside pandas, never a silent wrong number."""

from pathlib import Path

import pytest
import yaml

import tagkit as tk

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))


def _run(folder: Path, season: str | None = None) -> dict:
    dataset = tk.open_dataset(folder)
    taxonomy = dataset.read_taxonomy()
    inputs = tk.health.read_inputs(dataset, taxonomy)
    own = inputs["catalogue"]
    sales = dataset.read_sales(own.products)
    out = {"catalogue": own.catalogue, "health": tk.health.health_by_input(inputs, taxonomy), "sales": sales}
    if season:
        labels = tk.label_hits(sales.metrics, own.products)
        out["share"] = tk.hit_share(labels)
        try:
            tk.hits.ranked_rows(labels, own.matrix(taxonomy), [season])
        except tk.TagkitError as err:
            out["season_error"] = str(err)
    return out


def test_the_corpus_is_large_enough_and_complete():
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert len(CASES) >= 65
    assert len(CASES) >= 30 and folders == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name):
    expected = CASES[name]
    if "error" in expected:
        with pytest.raises(tk.TagkitError, match=expected["error"]):
            _run(CORPUS / name)
        return
    want = expected["ok"]
    got = _run(CORPUS / name, want.get("season"))
    catalogue, health, sales = got["catalogue"], got["health"], got["sales"]
    assert sales.rows_read == sales.rows_used + sales.rows_set_aside
    if "catalogue_set_aside" in want:
        assert catalogue.rows_set_aside == want["catalogue_set_aside"]
    if "catalogue_problem" in want:
        assert catalogue.problems["problem"].str.contains(want["catalogue_problem"]).any(), catalogue.problems
    if "placeholders" in want:
        assert catalogue.placeholders == want["placeholders"]
        assert not health["raw_value"].isin(["NaN", "None"]).any()
    if "catalogue_problems" in want:
        assert len(catalogue.problems) == want["catalogue_problems"]
    if "products" in want:
        assert catalogue.products["product_id"].tolist() == want["products"]
    for problem, raw, *suggestion in want.get("health", []):
        rows = health[(health["problem"] == problem) & health["raw_value"].str.fullmatch(raw)]
        assert len(rows), f"{problem} {raw!r} not in\n{health[['problem', 'raw_value']]}"
        if suggestion:
            assert rows["suggestion"].fillna("").iloc[0] == suggestion[0]
    for key, value in want.get("sales", {}).items():
        assert getattr(sales, key) == value
    if "sales_set_aside" in want:
        reasons = {
            r.removeprefix("set aside: "): n
            for r, n in zip(sales.accounting["reason"], sales.accounting["rows"])
            if r.startswith("set aside")
        }
        assert reasons == want["sales_set_aside"]
    if want.get("set_aside_inert"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            dataset = tk.open_dataset(CORPUS / name)
            dataset.read_sales(catalogue.products, set_aside_path=Path(folder) / "aside.csv")
            cells = tk.io.read_table(Path(folder) / "aside.csv").to_numpy().ravel()
        assert len(cells) and not [c for c in cells if str(c).startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert '\'=HYPERLINK("http://evil.example","click me")' in set(cells)  # readable, one apostrophe ahead
    if "outside" in want:
        assert len(tk.open_dataset(CORPUS / name).outside_files()) == want["outside"]
    if "warning" in want:
        assert any(want["warning"] in w for w in sales.warnings), sales.warnings
    if "returns" in want:
        assert sales.metrics["returns"].sum() == want["returns"]
    if "season_error" in want:
        assert want["season_error"] in got.get("season_error", ""), got.get("season_error")
    if "band" in want:
        share = got["share"].set_index("season")
        assert share.loc[want["season"], "band"] == want["band"]
