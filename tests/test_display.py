"""What a notebook shows: static, escaped tables on the pages; sortable ones in JupyterLab."""

import pandas as pd

import tagkit as tk


def _shown(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(getattr(obj, "data", obj)))
    return shown


def test_a_page_table_is_escaped_right_aligned_and_says_a_constant_status_once(monkeypatch):
    shown = _shown(monkeypatch)
    frame = pd.DataFrame({"name": ["<b>x</b>", "y"], "n_products": [21535, 3], "status": ["kept", "kept"]})
    tk.show_table(frame)
    html = shown[0]
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert (
        '<td class="num" data-value="21535.0">21,535</td>' in html
        and '<th scope="col" class="num">products</th>' in html
    )
    assert "status" not in html.split("</table>")[0] and "Every row&#x27;s status: kept." in html


def test_in_jupyterlab_a_table_sorts_as_numbers(monkeypatch):
    import itables

    calls = []
    monkeypatch.setattr(tk.display, "interactive", lambda: True)
    monkeypatch.setattr(itables, "init_notebook_mode", lambda **kw: calls.append(("init", kw)))
    monkeypatch.setattr(itables, "show", lambda df, **kw: calls.append(("show", df, kw)))
    monkeypatch.setattr(tk.display, "_ITABLES_READY", [])
    tk.show_table(pd.DataFrame({"n_products": [3, 21535], "lift": [1.5, 11.6]}), max_rows=10, note="a note")
    tk.show_table(pd.DataFrame({"x": [1]}))
    assert [c[0] for c in calls] == ["init", "show", "show"]  # the script embedded once per kernel
    _, frame, options = calls[1]
    assert list(frame.columns) == ["products", "lift"] and frame["products"].dtype.kind == "i"
    assert options["caption"] == "2 rows. a note" and options["pageLength"] == 10 and options["allow_html"] is False


def test_in_the_batch_the_hit_definition_sliders_are_a_line_of_text(monkeypatch):
    shown = _shown(monkeypatch)
    monkeypatch.setenv("TAGKIT_BATCH", "1")
    tk.display.explore_hit_definition(None, tk.HitDefinition(), season="2025Q4", window=["2025Q4"], rule_options={})
    assert len(shown) == 1 and "In JupyterLab, sliders here try another top_share and min_lift" in shown[0]


def test_pictures_of_products_are_escaped_web_addresses_only():
    table = pd.DataFrame(
        {
            "product_id": ["A<1>", "B", "C"],
            "image": ['https://img.example/a.jpg?x="><script>', "javascript:alert(1)", ""],
            "hit": [True, False, False],
        }
    )
    strip = tk.display.picture_strip(table)
    assert strip.count("<img") == 1 and "javascript" not in strip and "<script>" not in strip
    assert 'src="https://img.example/a.jpg?x=&quot;&gt;&lt;script&gt;"' in strip and "A&lt;1&gt; · hit" in strip
    assert tk.display.picture_strip(table.iloc[1:]) == ""


def test_in_jupyterlab_the_season_and_sliders_label_and_mine_again(monkeypatch, small_dataset):
    shown = _shown(monkeypatch)
    monkeypatch.setattr(tk.display, "interactive", lambda: True)
    brand = tk.load_brand(tk.open_dataset(small_dataset), cache=False)
    definition = tk.HitDefinition(definition="share", top_share=0.5, min_days_on_sale=1, min_exposure_days=1)
    tk.display.explore_hit_definition(
        brand, definition, season="2025Q2", window=["2025Q1", "2025Q2"], rule_options={"min_hits": 1}
    )
    picker, top, lift = shown[-1].children[0].children
    assert top.value == 0.5  # not clamped to the slider's usual range
    sold = sorted(set(brand.sales.metrics["season"].astype(str)))
    assert list(picker.options) == [s for s in sold if s <= "2025Q2"] and picker.value == "2025Q2"
    # nothing is mined before a change: the page above shows the parameters it was made with
    assert not [s for s in shown if isinstance(s, str) and "rules mined on" in s]
    assert any(
        isinstance(s, str) and "the page above was made with top_share 50.0% and min_lift 1.5" in s for s in shown
    )
    lift.value = 1.2
    notes = [s for s in shown if isinstance(s, str) and "rules mined on" in s]
    assert (
        "With top_share 50.0% and min_lift 1.2, rules mined on 2025Q1–2025Q2: the hit share of 2025Q2 is" in notes[-1]
    )
    picker.value = picker.options[0]  # another season: labelled and mined again, on the window ending there
    notes = [s for s in shown if isinstance(s, str) and "rules mined on" in s]
    assert f"the hit share of {picker.options[0]} is" in notes[-1]


def test_the_text_section_is_a_note_alone_without_text_columns(monkeypatch, taxonomy):
    shown = _shown(monkeypatch)
    frame = pd.DataFrame({"product_id": ["1", "2"], "category": ["dress", "top"], "Title": ["Black dress", "Top"]})
    plain = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy)
    tk.display.show_text_summary(tk.extract.text_summary(plain, taxonomy))
    assert len(shown) == 1 and "names no text columns" in shown[0]
    shown.clear()
    read = tk.catalogue.parse_catalogue(frame, taxonomy=taxonomy, text=["Title"])
    tk.display.show_text_summary(tk.extract.text_summary(read, taxonomy))
    assert len(shown) == 4 and "Tags were read from Title" in shown[0] and "Colour" in shown[1]


def test_a_findings_other_members_are_folded_behind_a_click_and_escaped(monkeypatch):
    shown = _shown(monkeypatch)
    frame = pd.DataFrame(
        {
            "rule": ["a", "b", "c"],
            "same_finding": ["coat + check; <script>x</script>", "", "jacket"],
            "pairs_with_it": ["12: fit=slim, colour=<b>red</b>", "", ""],
        }
    )
    tk.show_table(frame)
    rows = shown[0].split("<tbody>")[1].split("</tr>")
    assert "<details><summary>2 more</summary>coat + check; &lt;script&gt;x&lt;/script&gt;</details>" in rows[0]
    assert "<details><summary>12 more</summary>fit=slim, colour=&lt;b&gt;red&lt;/b&gt;</details>" in rows[0]
    assert "<details><summary>1 more</summary>jacket</details>" in rows[2]
    assert '<span class="tk-print-only">1 more: jacket</span>' in rows[2]  # what a printed page shows
    assert "<details>" not in rows[1] and "<script>" not in shown[0]
