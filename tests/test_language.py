"""Pages, charts and workbooks in Simplified Chinese (tagkit.language): the catalogue is complete and consistent,
texts are translated with their values, a user's text never is, and a whole batch in Chinese (demo, sparse brand,
Complete Journey) leaves no English word of tagkit's own on any page or workbook header."""

from __future__ import annotations

import ast
import html
import re
import string
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
import yaml

import tagkit as tk
from tagkit.language import catalogue, translate, translate_cell, translate_in, using_language
from tagkit.paths import DEMO_DATA

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "tagkit" / "locale" / "zh.yml"
CJK = re.compile("[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _translated_texts() -> dict[str, str]:
    """Every literal text tagkit passes to translate (``_``) and every literal note, empty message, key figure
    or translate() call of the notebooks, with where it is: read from the source, not from tagkit."""
    found = {}
    for path in sorted((ROOT / "tagkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[0]
            if name in ("_", "translate") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.name}:{node.lineno}")
            if name == "_" and isinstance(first, ast.IfExp):  # _("one ..." if n == 1 else "several ...")
                for branch in (first.body, first.orelse):
                    if isinstance(branch, ast.Constant):
                        found.setdefault(branch.value, f"{path.name}:{node.lineno}")
    for path in sorted((ROOT / "notebooks").glob("*.py")):
        source = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("%"))
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "translate" and isinstance(node.args[0], ast.Constant):
                found.setdefault(node.args[0].value, f"{path.name}:{node.lineno}")
            for keyword in node.keywords:
                if keyword.arg in ("note", "empty") and isinstance(keyword.value, ast.Constant):
                    found.setdefault(keyword.value.value, f"{path.name}:{node.lineno}")
                if keyword.arg == "key_figures":
                    for figure in keyword.value.elts:
                        found.setdefault(figure.elts[0].value, f"{path.name}:{node.lineno}")
            if name == "show_notes" and isinstance(node.args[0], ast.List):
                for item in node.args[0].elts:
                    if isinstance(item, ast.IfExp) and isinstance(item.body, ast.Constant) and item.body.value:
                        found.setdefault(item.body.value, f"{path.name}:{node.lineno}")
    return found


def _markdown_cells() -> list[str]:
    cells = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cells += [c.source for c in notebook.cells if c.cell_type == "markdown"]
    return cells


# --- the catalogue --------------------------------------------------------------------------------------------
def test_the_catalogue_has_one_entry_per_text_each_with_the_same_values():
    entries = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    english = [e["en"] for e in entries]
    assert len(english) == len(set(english)), sorted({e for e in english if english.count(e) > 1})
    for entry in entries:
        assert set(entry) == {"en", "zh"}, entry
        assert isinstance(entry["zh"], str) and entry["zh"].strip(), entry
        assert _fields(entry["zh"]) == _fields(entry["en"]), entry  # every value placed, none invented
        # a translation in Chinese: the settings and names it keeps (top_share, Excel, Fisher) are not alone
        latin = re.sub(r"`[^`]*`|\{\w+\}|[\w.]*_[\w.]*|https?://\S+|[\w-]+\.(xlsx|csv|yml|md|json)", "", entry["zh"])
        words = re.findall(r"[A-Za-z]{4,}", latin)
        assert CJK.search(entry["zh"]) or not words, entry


def test_every_text_tagkit_translates_is_in_the_catalogue():
    known = catalogue("zh")
    missing = {text: where for text, where in _translated_texts().items() if text.strip("\n") not in known}
    assert not missing, "\n".join(f"{where}: {text!r}" for text, where in missing.items())


def test_every_markdown_cell_of_the_notebooks_is_in_the_catalogue():
    known = catalogue("zh")
    missing = [cell.splitlines()[0] for cell in _markdown_cells() if cell.strip("\n") not in known]
    assert not missing, missing


def test_the_headers_and_verdicts_of_the_vocabulary_are_in_the_catalogue():
    known = catalogue("zh")
    words = [*tk.vocabulary.HEADER_WORDS.values(), *tk.vocabulary.LABEL_STATUSES, *tk.vocabulary.RULE_STATUSES]
    words += [*tk.vocabulary.PLAN_ROLES, *tk.vocabulary.METRIC_WORDS.values(), *tk.vocabulary.BACKTEST_METHODS]
    words += [w for group in tk.io.writers.VERDICT_COLOURS.values() for w in group]
    assert [w for w in words if w not in known] == []


# --- translating ------------------------------------------------------------------------------------------------
def test_english_is_the_default_and_a_text_keeps_its_values():
    text = "Showing {shown} of {total} rows."
    assert tk.language.current_language() == "en"
    assert translate(text, shown="20", total="1,503") == "Showing 20 of 1,503 rows."
    with using_language("zh"):
        assert translate(text, shown="20", total="1,503") == "显示 1,503 行中的 20 行。"
        assert translate("a text no catalogue holds") == "a text no catalogue holds"  # English, never a key
    assert tk.language.current_language() == "en"


def test_a_text_made_earlier_is_translated_by_its_pattern_and_a_users_text_is_not():
    note = (
        "3,567 of 396,898 order lines (0.9%) name product ids that are not in the catalogue; they are set aside. "
        "3,567 of them (100%, 2,981 ids) would match once leading zeros are set right, e.g. sales id '105406' = "
        "catalogue id '0105406': the order lines lost the leading zeros that the catalogue keep (ids stored as "
        "numbers, e.g. an integer column in Parquet or a spreadsheet). Give them back without editing the file: "
        "set id_width: 7 under sales in dataset.yml."
    )
    with using_language("zh"):
        said = translate_cell(note)
        assert said.startswith("396,898 条订单行中有 3,567 条（0.9%）的产品编号不在商品目录中")
        assert "修正前导零后" in said and "'105406'" in said and "在 dataset.yml 的 sales 下设置 id_width: 7" in said
        assert translate_cell("set aside: unknown product id") == "搁置：未知的产品编号"
        assert translate_cell("duplicate product_id (first on row 3913)") == "product_id 重复（首次出现在第 3913 行）"
        for text in ("kept rules are nice", "Mint Polyester Jacket", "=HYPERLINK(1)", "inside "):  # not ours
            assert translate_cell(text) == text
        assert translate_cell(7) == 7
        assert translate_in("sheet", "rules") == "全部规则" and translate("rules") == "规则数"


def test_tables_show_tagkits_words_in_the_language_and_leave_the_rest():
    frame = pd.DataFrame({"status": ["kept", "redundant", "kept, mostly"], "name": ["kept", "inside", "x"]})
    with using_language("zh"):
        shown = tk.formats.tagkit_words(frame)
        assert tk.formats.header("q_value") == "q 值（错误发现率）"
        assert tk.formats.header("n_hits") == "爆款数"
    assert shown["status"].tolist() == ["保留", "冗余", "kept, mostly"]
    assert shown["name"].tolist() == frame["name"].tolist()  # a user's column: as it is
    assert tk.formats.tagkit_words(frame) is frame  # English: the same frame
    assert frame["status"].tolist() == ["kept", "redundant", "kept, mostly"]  # the input is not changed


def test_the_taxonomy_says_values_by_their_chinese_alias(taxonomy):
    text = "category=midi-dress & colour=navy & occasion=work"
    assert taxonomy.words(text) == "Midi dress + Navy + Work"
    with using_language("zh"):
        assert taxonomy.words(text) == "中长裙 + 藏青 + Work"  # no Chinese alias: the label
        assert taxonomy.dimension_words("colour") == "颜色" and taxonomy.dimension_words("occasion") == "Occasion"
    assert taxonomy.words(text) == "Midi dress + Navy + Work"  # each language has its own words


def test_a_language_that_is_not_offered_is_refused(small_dataset):
    with pytest.raises(tk.ParameterError, match=r"The 'language' parameter must be one of 'en', 'zh'.*Got 'fr'"):
        tk.language.set_language("fr")
    assert tk.language.check_language("zh-CN") == "zh" and tk.language.check_language("") == "en"
    config = small_dataset / "dataset.yml"
    config.write_text(config.read_text(encoding="utf-8") + "language: klingon\n", encoding="utf-8")
    with pytest.raises(tk.InputError, match=r"line \d+: The 'language' parameter must be one of .*Got 'klingon'"):
        tk.open_dataset(small_dataset)
    config.write_text(config.read_text(encoding="utf-8").replace("klingon", "zh"), encoding="utf-8")
    assert tk.open_dataset(small_dataset).language == "zh"


def test_a_workbook_has_its_headers_sheets_and_verdicts_in_the_language(tmp_path):
    frame = pd.DataFrame({"rule": ["a=b"], "n_hits": [3], "lift": [2.5], "status": ["kept"]})
    with using_language("zh"):
        path = tk.write_excel({"rules": frame}, tmp_path / "rules.xlsx", about={"season": "2025Q4"})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["关于", "全部规则"]
    sheet = book["全部规则"]
    assert [c.value for c in sheet[1]] == ["规则", "爆款数", "提升度", "状态"]
    assert [c.value for c in sheet[2]] == ["a=b", 3, 2.5, "保留"]
    assert [c.value for c in book["关于"][1]] == ["设置", "值"]


# --- a whole batch in Chinese -----------------------------------------------------------------------------------
# What a Chinese page may keep in Latin letters: names of things (products, programs, statistics), the settings a
# reader types (top_share, dataset.yml) and the words of the brand's own files (its tag values and product names).
NAMES = {
    "tagkit", "python", "excel", "csv", "jupyterlab", "duckdb", "spark", "shopify", "hhi", "brier", "fisher",
    "benjamini", "hochberg", "arules", "parquet", "products", "import", "logit", "title", "body", "leathher",
    "not", "wool", "black", "and", "navy", "text", "wide", "long", "competitors", "candidates",
}  # fmt: skip


def _user_words(data: Path) -> set[str]:
    words = set()
    for path in data.rglob("*"):
        if path.suffix in (".csv", ".yml", ".parquet") and path.name != "dataset.yml":
            text = (
                pd.read_parquet(path).astype(str).to_csv()
                if path.suffix == ".parquet"
                else path.read_text(encoding="utf-8", errors="ignore")
            )
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
    words |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", tk.open_dataset(data).name)}
    return words


def _english_left(page: str, allowed: set[str]) -> list[str]:
    """The texts of ``page`` (shown text, alt texts and titles) that still hold an English word of tagkit's."""
    page = re.sub(r"<(script|style)\b.*?</\1>|<code>.*?</code>", " ", page, flags=re.S)
    texts = re.findall(r'(?:alt|aria-label|title|placeholder|data-tk-[\w-]+)="([^"]*)"', page)
    texts += re.sub(r"<[^>]+>", "\n", page).split("\n")
    left = []
    for text in (html.unescape(t).strip() for t in texts):
        text = re.sub(r"\S*[_./=]\S*|'[^']*'|\{\w+\}", " ", text)  # settings, files, tags, ids, {values}: as typed
        words = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in allowed]
        if words:
            left.append(text)
    return left


@pytest.fixture(
    scope="module", params=["demo", "sparse", pytest.param("complete-journey", marks=pytest.mark.real_data)]
)
def chinese_batch(request, tmp_path_factory):
    """The whole batch in Chinese on the demo brand, the sparse brand and the Complete Journey (real data)."""
    season = "2025Q4"
    if request.param == "complete-journey":
        from tagkit.demo_complete_journey import write_complete_journey

        data, season = tmp_path_factory.mktemp("complete-journey"), "2017Q4"
        write_complete_journey(data)
    else:
        data = DEMO_DATA if request.param == "demo" else DEMO_DATA.parent / "sparse"
    out = tmp_path_factory.mktemp(f"zh-{request.param}")
    index = tk.run_report(season, data_dir=data, out_dir=out, progress=False, language="zh", echo=lambda _: None)
    return data, index.parent


@pytest.mark.notebooks
def test_no_english_is_left_on_a_chinese_page(chinese_batch):
    data, folder = chinese_batch
    allowed = NAMES | _user_words(data)
    pages = sorted(folder.glob("*.html"))
    assert [p.name for p in pages] == ["01_tag_health.html", "02_hit_tags.html", "03_season_plan.html", "index.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text
        assert _english_left(text, allowed) == [], page.name
        assert len(CJK.findall(text)) > 300, page.name


@pytest.mark.notebooks
def test_every_workbook_header_and_sheet_of_a_chinese_batch_is_chinese(chinese_batch):
    data, folder = chinese_batch
    allowed = NAMES | _user_words(data)
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            assert CJK.search(sheet.title), (path.name, sheet.title)
            header = [c.value for c in next(sheet.iter_rows(max_row=1))]
            english = [h for h in header if isinstance(h, str) and _english_left(h, allowed)]
            assert english == [], (path.name, sheet.title, english)


@pytest.mark.browser
def test_a_chinese_pages_tables_speak_chinese_in_a_browser(chinese_batch):
    from tests._browser import Browser

    _, folder = chinese_batch
    words = """(() => {
        const box = document.querySelector(".tk-filter input");
        box.value = "保留"; box.dispatchEvent(new Event("input"));
        return [box.placeholder, box.getAttribute("aria-label"), document.querySelector("th").title,
                document.querySelector(".tk-filter .tk-note").textContent];
    })()"""
    with Browser() as browser:
        (said,) = browser.evaluate(folder / "02_hit_tags.html", words)
    assert said[:3] == ["筛选行", "筛选下表的行", "按此列排序（再点一次：反向）"]
    assert re.fullmatch(r"[\d,]+ 行中有 [\d,]+ 行匹配", said[3]), said[3]


def test_a_wrong_parameter_is_explained_in_the_pages_language():
    with tk.language.using_language("zh"):
        with pytest.raises(
            tk.errors.ParameterError,
            match=r"^笔记本 02_hit_tags 的参数 'metric' 必须是 .* 之一，收到的是 'unit'。 您是不是想输入 'units'？$",
        ):
            tk.check_parameters("02_hit_tags", metric="unit")
        with pytest.raises(
            tk.errors.ParameterError, match=r"'history_seasons' 必须是整数 在 \[1, 40\] 之间，收到的是 99。$"
        ):
            tk.check_parameters("02_hit_tags", history_seasons=99)
    with pytest.raises(
        tk.errors.ParameterError,
        match=r"^The 'metric' parameter of the notebook 02_hit_tags must be one of .*Did you mean 'units'\?$",
    ):
        tk.check_parameters("02_hit_tags", metric="unit")
