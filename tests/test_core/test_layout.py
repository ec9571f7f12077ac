"""The shared layout reproduces the official format character for character and cell for cell."""

from __future__ import annotations

import json

import pytest

from core import layout as L
from tests.factories import DATA

SPEC = json.loads((DATA / "tables-2021.json").read_text(encoding="utf-8"))


def test_part_headings_and_topics():
    assert [p.heading for p in L.PARTS] == SPEC["parts"]
    assert [t.label for t in L.TOPICS] == SPEC["overview_topics"]


def test_table2_blocks():
    labels = [(c.text, c.row) for c in L.TABLE2.grid if c.role == "header" and c.col == 0 and c.colspan == 4]
    assert [t for t, _ in labels] == [b["item"] for b in SPEC["table2"]["blocks"]]
    for block in SPEC["table2"]["blocks"]:
        for label in block["rows"]:
            assert label in [r.label for r in L.TABLE2.rows]
        headers = [c.text for c in L.TABLE2.grid
                   if c.role == "header" and any(h.text == block["item"] and c.row == h.row + 1
                                                 for h in L.TABLE2.grid)]
        assert headers == block["header"]


def test_table3_rows_in_official_order():
    expected = []
    for row in SPEC["table3"]["rows"]:
        if "groups" not in row:
            expected.append(row["label"])
            continue
        for group in row["groups"]:
            expected += group.get("items") or [group["label"]]
    assert [r.label for r in L.TABLE3.rows] == expected


def test_table3_header_and_note():
    header = SPEC["table3"]["header"]
    texts = {c.text: c for c in L.TABLE3.grid if c.role in ("header", "note")}
    assert texts[SPEC["table3"]["note"]].rowspan == 3 and texts[SPEC["table3"]["note"]].colspan == 3
    assert texts[header["group"]].colspan == 7
    assert texts[header["legal_person_group"]].colspan == 5
    assert [c.label for c in L.TABLE3.columns] == header["columns"]
    assert texts["自然人"].rowspan == 2 and texts["总计"].rowspan == 2


def test_table3_label_spans():
    spans = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in L.TABLE3.grid if c.role == "label"}
    assert spans["三、本年度办理结果"] == (5, 0, 22, 1)
    assert spans["（三）不予公开"][2] == 8
    assert spans["（四）无法提供"][2] == 3
    assert spans["（五）不予处理"][2] == 5
    assert spans["（六）其他处理"][2] == 3
    assert spans["（一）予以公开"][3] == 2 and spans["（七）总计"][3] == 2
    assert spans["一、本年新收政府信息公开申请数量"][3] == 3


def test_table4_layout():
    assert L.TABLE4.grid_size == (4, 15)
    top = [(c.text, c.colspan) for c in L.TABLE4.grid if c.row == 0]
    assert top == [("行政复议", 5), ("行政诉讼", 10)]
    second = [(c.text, c.colspan) for c in L.TABLE4.grid if c.row == 1 and c.colspan > 1]
    assert second == [(g["label"], 5) for g in SPEC["table4"]["groups"][1]["subgroups"]]
    bottom = [c.text for c in L.TABLE4.grid if c.row in (1, 2) and c.colspan == 1]
    assert bottom == SPEC["table4"]["groups"][0]["columns"] * 3


@pytest.mark.parametrize("table", L.TABLES, ids=lambda t: t.key)
def test_grid_covers_every_position_exactly_once(table):
    rows, cols = table.grid_size
    seen = {}
    for c in table.grid:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                assert (r, k) not in seen, (r, k)
                seen[(r, k)] = c
    assert len(seen) == rows * cols


@pytest.mark.parametrize("table", L.TABLES, ids=lambda t: t.key)
def test_every_figure_cell_is_in_the_grid(table):
    expected = {(r.key, c.key) for r in table.rows for c in table.columns
                if (r.key, c.key) in table.inputs or table.is_derived(r.key, c.key)}
    assert set(table.figure_positions) == expected


def test_no_label_is_typed_outside_the_layout():
    """Official labels live in core/layout.py; other modules import them."""
    import pathlib

    root = pathlib.Path(L.__file__).resolve().parent.parent
    labels = {r.label for t in L.TABLES for r in t.rows if len(r.label) > 6} | {p.heading for p in L.PARTS}
    labels.add(L.T3_NOTE)
    offenders = []
    for folder in ("core", "gui"):
        for path in (root / folder).rglob("*.py"):
            if path.name == "layout.py":
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [(path.name, label) for label in labels if label in text]
    assert offenders == []
