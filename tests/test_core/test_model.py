"""The model stores inputs only, keeps blank apart from 0 and derives every total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from core.model import Report, Table3
from tests.factories import filled_report


def test_new_report_is_all_blank():
    report = Report.new("某某镇人民政府", 2025)
    assert all(t.is_blank() for t in report.tables())
    assert report.table3.get("total", "total") is None
    assert report.meta.standard_title == "某某镇人民政府2025年政府信息公开工作年度报告"


def test_totals_follow_inputs():
    report = filled_report()
    assert report.table3.get("new", "total") == 18
    assert report.table3.get("total", "natural") == 16
    assert report.table3.get("total", "total") == 18
    report.table3.set("granted", "business", 5)
    assert report.table3.get("granted", "total") == 17
    assert report.table3.get("total", "total") == 23
    assert report.table4.get("litigation_direct", "total") == 1


def test_resolved_equals_get_everywhere():
    report = filled_report()
    resolved = report.table3.resolved()
    assert all(resolved[(r, c)] == report.table3.get(r, c) for (r, c) in resolved)


def test_derived_cells_cannot_be_set():
    with pytest.raises(KeyError, match="不是可填写的单元格"):
        filled_report().table3.set("total", "natural", 3)


@pytest.mark.parametrize("value, message", [
    (-1, "不能为负数"), ("1.5", "应为非负整数"), (2.5, "应为整数"), ("abc", "应为非负整数"), (True, "应为非负整数"),
])
def test_invalid_counts_are_refused_with_the_cell_named(value, message):
    with pytest.raises(ValueError, match=f"表三「一、本年新收政府信息公开申请数量」行「自然人」列{message}"):
        filled_report().table3.set("new", "natural", value)


def test_fee_is_a_decimal_and_keeps_its_places():
    report = filled_report()
    assert report.table2.set("fees", "amount", "1.234567") == Decimal("1.234567")
    assert report.table2.model_dump()["fees"]["amount"] == "1.234567"
    with pytest.raises(ValueError, match="不能为负数"):
        report.table2.set("fees", "amount", "-0.1")


def test_unknown_rows_in_stored_data_are_refused():
    with pytest.raises(ValidationError, match="无法识别的行"):
        Table3.model_validate({"nonsense": {"natural": 1}})


def test_fill_blanks_only_touches_blank_cells():
    report = Report.new("某局", 2025)
    report.table3.set("new", "natural", 7)
    changed = report.table3.fill_blanks()
    assert ("new", "natural") not in changed and len(changed) == len(report.table3.layout.inputs) - 1
    assert report.table3.get("new", "natural") == 7 and report.table3.get("new", "business") == 0
