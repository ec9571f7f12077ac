"""The model stores inputs only, keeps blank apart from 0 and derives every total."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from pydantic import ValidationError

from core import draft
from core.findings import Location, describe_location
from core.model import MAX_COUNT, MAX_PART_CHARS, Comment, ImportRecord, Note, Report, Table3
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


# -- bounds: whatever the model accepts can be checked, saved and exported ------------------------



@pytest.mark.parametrize("value", [MAX_COUNT + 1, 10**30, float("inf"), float("nan"), 1e309, Decimal("1E+999999999"),
                                   Decimal("NaN"), "9" * 5000, "1" + "0" * 10])
def test_counts_are_bounded_and_refused_quickly_in_chinese(value):
    started = time.perf_counter()
    with pytest.raises(ValueError) as caught:
        filled_report().table3.set("new", "natural", value)
    assert time.perf_counter() - started < 0.1
    message = str(caught.value)
    assert message.startswith("表三「一、本年新收政府信息公开申请数量」行「自然人」列") and len(message) < 200
    assert not any(w in message for w in ("Exceeds", "convert", "float", "integer"))


def test_the_largest_count_is_accepted():
    assert filled_report().table3.set("new", "natural", MAX_COUNT) == MAX_COUNT
    assert filled_report().table3.set("new", "natural", "0001000000000") == MAX_COUNT


@pytest.mark.parametrize("value", ["1E+999999999", "1e+10", Decimal("1000000000.000001"), "Infinity", "sNaN",
                                   "1" * 41, 10**10])
def test_fees_are_bounded(value):
    started = time.perf_counter()
    with pytest.raises(ValueError, match="表二「行政事业性收费」行"):
        filled_report().table2.set("fees", "amount", value)
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("value, stored", [("1e-999999999", "0.000000"), ("0.12345649", "0.123456"),
                                           ("0.1234565", "0.123457"), ("1E+2", "100"), ("-0", "0"), ("12.50", "12.50")])
def test_fees_keep_at_most_six_places_and_plain_digits(value, stored):
    report = filled_report()
    report.table2.set("fees", "amount", value)
    assert report.table2.model_dump()["fees"]["amount"] == stored


def test_texts_are_bounded_and_printable():
    report = filled_report()
    with pytest.raises(ValueError, match="超过上限 200,000 个"):
        report.set_text("problems", "字" * (MAX_PART_CHARS + 1))
    with pytest.raises(ValidationError, match="「五、存在的主要问题及改进情况」有 200,001 个字符"):
        Report.model_validate({**report.model_dump(), "texts": {"problems": "字" * (MAX_PART_CHARS + 1)}})
    assert report.set_text("problems", "一\x00二\ud800三\r\n四") == "一二三\n四"


@pytest.mark.parametrize("location, message", [
    ({"table": "table9"}, "不存在的表格「table9」"),
    ({"table": "table3", "row": "nonsense"}, "表三中不存在的行「nonsense」"),
    ({"table": "table3", "row": "new", "column": "martians"}, "表三中不存在的列「martians」"),
    ({"row": "new"}, "没有指明是哪一张表"),
    ({"field": "epilogue"}, "不存在的文字部分「epilogue"),
    ({"part": "seventh"}, "不存在的部分「seventh」"),
    ({"part": "overview", "start": 5}, "起止位置不完整"),
    ({"table": ["table3"]}, "应为文字"),
    ({"colour": "red"}, "无法识别的项「colour」"),
])
def test_stored_locations_are_checked_against_the_layout(location, message):
    with pytest.raises(ValidationError, match=message):
        Comment(text="请核对", location=location)
    with pytest.raises(ValidationError, match=message):
        Note(rule="IMPORT-UNREAD", severity="warning", message="读不出", location=location)


def test_a_draft_whose_comment_points_nowhere_is_refused_when_opened_not_in_check(tmp_path):
    document = json.loads(draft.dumps(filled_report()))
    document["report"]["comments"] = [{"text": "请核对", "location": {"table": "table3", "row": "new", "column": "x"}}]
    with pytest.raises(draft.DraftError, match="批注第 1 条的位置：指向表三中不存在的列「x」"):
        draft.loads(json.dumps(document).encode())


def test_stated_totals_must_be_figures_of_total_cells():
    with pytest.raises(ValidationError, match="应为非负整数"):
        Report.model_validate({**filled_report().model_dump(), "imported": {"stated": {"table3": {"new": {"total": "x"}}}}})
    with pytest.raises(ValidationError, match="无法识别的列"):
        Report.model_validate({**filled_report().model_dump(),
                               "imported": {"stated": {"table3": {"new": {"nonsense": 1}}}}})
    ok = Report.model_validate({**filled_report().model_dump(), "imported": {"stated": {"table3": {"new": {"total": "18"}}}}})
    assert ok.imported.stated["table3"]["new"]["total"] == 18


def test_describing_any_location_never_raises():
    for loc in (Location(table="table9"), Location(table="table3", row="x", column="y"), Location(field="x"),
                Location(part="meta"), Location(part="x"), Location()):
        assert isinstance(describe_location(loc), str)
    assert describe_location(Location(part="meta")) == "基本信息"


def test_a_place_on_a_page_survives_a_draft_round_trip():
    note = Note(rule="SCAN-DOUBT", severity="warning", message="请核对原件",
                location={"part": "requests", "table": "table3", "row": "new", "column": "natural", "page": 2,
                          "box": [100.1, 200, 110.5, 210]})
    report = filled_report()
    report.imported = ImportRecord(notes=[note])
    again = draft.loads(draft.dumps(report).encode())
    assert again == report and again.imported.notes[0].location["box"] == [100.1, 200.0, 110.5, 210.0]
    with pytest.raises(ValidationError, match="页面位置应为 4 个坐标"):
        Note(rule="X", severity="info", message="m", location={"page": 1, "box": [1, 2, float("nan"), 4]})


@pytest.mark.parametrize("changes, message", [
    ({"year": 1900}, "报告年度超出允许范围"), ({"organ": "某" * 300}, "机关名称长度"), ({"sign_date": "abc"}, "落款日期应为日期")])
def test_a_change_of_the_report_details_is_refused_in_chinese(changes, message):
    meta = Report.new("某某县人民政府", 2025).meta
    with pytest.raises(ValueError, match=message) as caught:
        meta.check_changes(**changes)
    assert "validation error" not in str(caught.value)
    meta.check_changes(year=2024)  # a valid change passes
