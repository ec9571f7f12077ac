"""Every rule of the catalogue: a case where it fires (pointing at the right place) and one where it is silent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.findings import Severity
from core.model import ImportRecord, Level, Note, OrganKind, Report
from core.rules import RULE_BY_ID, RULES, check
from tests.factories import FAR_FROM_DEADLINE, filled_report


def findings(report: Report, rule: str, previous: Report | None = None, today=FAR_FROM_DEADLINE):
    return [f for f in check(report, previous, today) if f.rule == rule]


def last_year() -> Report:
    prev = filled_report()
    prev.meta.year = 2024
    for key in prev.texts:
        prev.texts[key] = prev.texts[key].replace("2025", "2024")
    return prev


def test_filled_report_is_clean():
    assert check(filled_report(), today=FAR_FROM_DEADLINE) == []


def test_filled_report_is_clean_against_consistent_last_year():
    prev = last_year()
    prev.table3.set("carried_out", "natural", 1)
    prev.table2.set("normative", "in_force", 23)  # 23 + 3 issued − 1 repealed = 25
    report = filled_report()
    report.texts["overview.platform"] = "全面改版政府网站信息公开专栏，新开设“交通建设”专题，上线政务新媒体矩阵。"
    report.texts["problems"] = ("一是基层业务人员流动较大，依申请公开答复质量不稳定；二是公开内容的可读性不足。"
                                "下一步，我局将建立答复文书范本库，开展图解解读，提升公开质量。")
    report.texts["other"] = "本年度未收取信息处理费。按期公开建议提案办理结果 12 件。"
    report.texts["overview"] = "2025 年，我局认真落实条例要求，统计期限自 2025 年 1 月 1 日起至 2025 年 12 月 31 日止。"
    report.texts["overview.oversight"] = "把政务公开纳入年度考核体系，开展专题培训 3 次。"
    report.texts["overview.on_request"] = "全年共收到政府信息公开申请 18 件，办结 18 件。"
    report.texts["overview.management"] = "制发行政规范性文件 3 件，废止 1 件。"
    report.texts["overview.proactive"] = "主动公开各类信息 400 余条，围绕项目建设及时发布进展。"
    assert check(report, prev, FAR_FROM_DEADLINE) == []


# -- tables ----------------------------------------------------------------------------------


def test_balance_names_the_column_and_quotes_the_figures():
    report = filled_report()
    report.table3.set("granted", "natural", 8)  # 16 + 1 = 17 vs 14 + 1 = 15
    [f] = findings(report, "T3-BALANCE")
    assert f.severity is Severity.ERROR
    assert (f.location.table, f.location.row, f.location.column) == ("table3", None, "natural")
    assert "自然人列" in f.message and "新收 16 + 上年结转 1 = 17" in f.message and "相差 2" in f.message
    assert {(l.row, l.column) for l in f.locations[1:]} == {
        ("new", "natural"), ("carried_in", "natural"), ("total", "natural"), ("carried_out", "natural")}


def test_balance_silent_when_balanced_and_when_table_left_out():
    assert findings(filled_report(), "T3-BALANCE") == []
    report = filled_report()
    report.table3 = type(report.table3).empty()
    assert findings(report, "T3-BALANCE") == []  # TXT-MISSING speaks for a missing table


def _imported(report: Report, stated: dict, notes=()) -> Report:
    report.imported = ImportRecord(source="x.txt", source_format="text", stated=stated, notes=list(notes))
    return report


def test_rowsum_compares_printed_total_column_with_the_six_columns():
    report = _imported(filled_report(), {"table3": {"new": {"total": 20}}})
    [f] = findings(report, "T3-ROWSUM")
    assert (f.location.row, f.location.column) == ("new", "total")
    assert "20" in f.message and "18" in f.message
    assert findings(_imported(filled_report(), {"table3": {"new": {"total": 18}}}), "T3-ROWSUM") == []


def test_outcomes_compares_printed_total_row_with_the_outcome_rows():
    report = _imported(filled_report(), {"table3": {"total": {"natural": 15}}})
    [f] = findings(report, "T3-OUTCOMES")
    assert (f.location.row, f.location.column) == ("total", "natural")
    assert findings(_imported(filled_report(), {"table3": {"total": {"natural": 16}}}), "T3-OUTCOMES") == []


def test_t4_sum_compares_printed_group_totals():
    report = _imported(filled_report(), {"table4": {"litigation_direct": {"total": 3}}})
    [f] = findings(report, "T4-SUM")
    assert (f.location.table, f.location.row, f.location.column) == ("table4", "litigation_direct", "total")
    assert findings(_imported(filled_report(), {"table4": {"litigation_direct": {"total": 1}}}), "T4-SUM") == []


def test_printed_total_column_that_does_not_balance():
    stated = {"table3": {"new": {"total": 18}, "carried_in": {"total": 1}, "total": {"total": 20},
                         "carried_out": {"total": 1}}}
    fs = findings(_imported(filled_report(), stated), "T3-BALANCE")
    assert [f.location.column for f in fs] == ["total"]


def test_blank_cell_is_one_warning_per_cell():
    report = filled_report()
    report.table3.set("granted", "research", None)
    report.table2.set("penalty", "decisions", None)
    fs = findings(report, "CELL-BLANK")
    assert {(f.location.table, f.location.row, f.location.column) for f in fs} == {
        ("table3", "granted", "research"), ("table2", "penalty", "decisions")}
    assert all(f.severity is Severity.WARNING for f in fs)
    assert findings(filled_report(), "CELL-BLANK") == []


def test_blank_is_not_zero_in_arithmetic_display():
    report = filled_report()
    report.table3.set("new", "research", None)
    assert report.table3.get("new", "research") is None
    assert report.table3.get("new", "total") == 18


def test_fee_with_more_than_four_places_is_kept_and_warned():
    report = filled_report()
    report.table2.set("fees", "amount", "0.123456")
    [f] = findings(report, "T2-FEE-PLACES")
    assert report.table2.get("fees", "amount") == Decimal("0.123456")
    assert "6 位小数" in f.message
    report.table2.set("fees", "amount", "0.1235")
    assert findings(report, "T2-FEE-PLACES") == []


def test_rules_reported_by_a_township():
    report = filled_report()
    report.meta.kind, report.meta.level = OrganKind.TOWNSHIP, Level.TOWNSHIP
    report.table2.set("rules", "in_force", 6)
    [f] = findings(report, "T2-RULES-POWER")
    assert (f.location.row, f.location.column) == ("rules", "in_force")
    report.meta.kind, report.meta.level = OrganKind.GOVERNMENT, Level.CITY  # 设区的市 may make 规章
    assert findings(report, "T2-RULES-POWER") == []


def test_stock_floor():
    report = filled_report()
    report.table2.set("normative", "in_force", 1)  # 3 issued − 1 repealed = 2 > 1
    [f] = findings(report, "T2-VALID")
    assert f.severity is Severity.INFO and f.location.column == "in_force"
    report.table2.set("normative", "in_force", 2)
    assert findings(report, "T2-VALID") == []


def test_other_share():
    report = filled_report()
    report.table3.set("other.other", "natural", 8)
    report.table3.set("carried_out", "natural", 1)
    report.table3.set("new", "natural", 24)  # keep the column balanced: 24 + 1 = 24 + 1
    [f] = findings(report, "T3-OTHER-SHARE")
    assert "8 件" in f.message and "26 件" in f.message
    report.table3.set("other.other", "natural", 2)
    report.table3.set("new", "natural", 18)
    assert findings(report, "T3-OTHER-SHARE") == []


# -- across years ----------------------------------------------------------------------------


def test_carry_compares_with_last_years_carried_out_per_column():
    prev = last_year()
    prev.table3.set("carried_out", "natural", 3)
    [f] = findings(filled_report(), "X-CARRY", prev)
    assert (f.location.row, f.location.column) == ("carried_in", "natural")
    assert "2024 年" in f.message and "3" in f.message
    prev.table3.set("carried_out", "natural", 1)
    assert findings(filled_report(), "X-CARRY", prev) == []
    assert findings(filled_report(), "X-CARRY") == []  # no last year, no cross-year rule


def test_valid_carry():
    prev = last_year()
    prev.table2.set("normative", "in_force", 30)
    [f] = findings(filled_report(), "X-VALID", prev)
    assert f.location.row == "normative" and "应为 32 件" in f.message
    prev.table2.set("normative", "in_force", 23)
    assert findings(filled_report(), "X-VALID", prev) == []


def test_copy_from_last_year():
    prev = last_year()
    report = filled_report()
    report.texts["problems"] = prev.texts["problems"] = (
        "一是政策解读形式较为单一，图解、视频等形式运用不够；二是依申请公开答复规范化水平有待提高，部分答复文书说理不充分；"
        "三是政务新媒体内容更新不够及时。下一步，我局将丰富解读形式，加强业务培训，规范答复文书，完善新媒体巡查机制。")
    fs = findings(report, "X-COPY", prev)
    assert {f.location.part for f in fs} == {"overview", "problems"}  # part 一 differs only in its years
    assert all("100%" in f.message for f in fs)
    for key in prev.texts:
        prev.texts[key] = ""
    prev.texts["problems"] = (
        "今年暴露的短板集中在两处：网站栏目归类混乱导致群众查找困难，以及个别科室对公开属性认定把关不严。"
        "我们已经重排目录结构、建立属性认定台账，并计划明年上半年完成全部历史文件的属性复核和标注。")
    assert findings(report, "X-COPY", prev) == []


# -- narrative -------------------------------------------------------------------------------


def test_missing_parts():
    report = filled_report()
    report.texts["problems"] = "  "
    report.table4 = type(report.table4).empty()
    fs = findings(report, "TXT-MISSING")
    assert {f.location.part for f in fs} == {"problems", "appeals"}
    assert all(f.severity is Severity.ERROR for f in fs)
    assert findings(filled_report(), "TXT-MISSING") == []


def test_overview_topic_not_mentioned():
    report = filled_report()
    report.texts["overview.platform"] = ""
    report.texts["overview.proactive"] = "全年主动公开政府信息 356 条，其中政策解读 24 篇。"
    [f] = findings(report, "TXT-OVERVIEW")
    assert f.location.field == "overview.platform" and "政府信息公开平台建设" in f.message


def test_overview_government_must_report_appraisal_results():
    report = filled_report()
    report.meta.kind = OrganKind.GOVERNMENT
    report.texts["overview.oversight"] = "加强组织领导，开展业务培训 2 次。"
    [f] = findings(report, "TXT-OVERVIEW")
    assert f.severity is Severity.WARNING and "工作考核、社会评议、责任追究" in f.message
    report.meta.kind, report.meta.organ = OrganKind.TOWNSHIP, "某某街道办事处"
    [f] = findings(report, "TXT-OVERVIEW")
    assert f.severity is Severity.INFO  # advisory for street offices
    report.texts["overview.oversight"] = "将政务公开纳入工作考核，开展社会评议，未发生责任追究。"
    assert findings(report, "TXT-OVERVIEW") == []


def test_fee_statement():
    report = filled_report()
    report.texts["other"] = "无。"
    [f] = findings(report, "TXT-FEE")
    assert f.location.field == "other" and "「无。」" in f.message
    report.texts["other"] = "本年度没有收取信息处理费。"
    assert findings(report, "TXT-FEE") == []


def test_problems_without_measures_and_measures_without_problems():
    report = filled_report()
    report.texts["problems"] = "政策解读形式单一，答复文书规范程度不够。"
    [f] = findings(report, "TXT-PROBLEMS")
    assert "没有写改进措施" in f.message
    report.texts["problems"] = "下一步将丰富解读形式，规范答复文书。"
    [f] = findings(report, "TXT-PROBLEMS")
    assert "没有写存在的主要问题" in f.message


@pytest.mark.parametrize("text, expected", [
    ("一是加强培训；三是完善制度。", "缺少第 2 项"),
    ("一是加强培训；二是完善制度；二是强化监督。", "重复"),
    ("（一）主动公开\n内容。\n（三）依申请公开\n内容。", "缺少第 2 项"),
])
def test_numbering(text, expected):
    report = filled_report()
    report.texts["overview"] = text
    [f] = findings(report, "TXT-NUMBERING")
    assert expected in f.message and f.location.field == "overview"
    assert text[f.location.start:f.location.end] in ("三是", "二是", "三）")


def test_numbering_silent_on_restarted_and_ordinary_text():
    report = filled_report()
    report.texts["problems"] = "问题：一是解读单一；二是答复不规范。措施：一是丰富形式；二是加强培训。统一是前提，唯一是底线。"
    assert findings(report, "TXT-NUMBERING") == []


def test_year_stale_opening_sentence_points_at_the_year():
    report = filled_report()
    report.texts["overview"] = "本报告统计期限自 2025 年 1 月 1 日起至 2025 年 12 月 31 日止。\n2024 年，我局坚持公开为常态。"
    [f] = findings(report, "TXT-YEAR")
    assert report.texts["overview"][f.location.start:f.location.end].startswith("2024")


def test_year_in_statistics_period_and_title():
    report = filled_report()
    report.texts["overview"] = "本报告统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。"
    report.meta.title = "某某县交通运输局2024年政府信息公开工作年度报告"
    fs = findings(report, "TXT-YEAR")
    assert len(fs) == 2 and any("统计期限" in f.message for f in fs) and any("标题" in f.message for f in fs)


def test_year_silent_on_plans_and_quoted_documents():
    report = filled_report()
    report.texts["problems"] += "2026 年，我局将进一步加强培训。"
    report.texts["overview.oversight"] = "根据《2024 年政务公开工作要点》，把政务公开纳入工作考核。"
    assert findings(report, "TXT-YEAR") == []


def test_figures_contradicting_the_tables():
    report = filled_report()
    report.texts["overview.on_request"] = "全年共收到政府信息公开申请 20 件，办结 18 件。"
    [f] = findings(report, "TXT-FIGURES")
    text = report.texts["overview.on_request"]
    assert text[f.location.start:f.location.end] == "收到政府信息公开申请 20 件"
    assert "18" in f.message


def test_figures_with_thousands_separators():
    report = filled_report()
    report.table2.set("licensing", "decisions", 1234)
    report.texts["overview.proactive"] = "全年作出行政许可 1,234 件，行政处罚 35 件。"
    assert findings(report, "TXT-FIGURES") == []
    report.texts["overview.proactive"] = "全年作出行政许可 1,243 件。"
    [f] = findings(report, "TXT-FIGURES")
    assert "1234" in f.message


def test_figures_text_says_none_but_table_has_some():
    report = filled_report()
    report.texts["overview.on_request"] = "本年度未收到政府信息公开申请，未发生行政复议、行政诉讼案件。"
    fs = findings(report, "TXT-FIGURES")
    assert len(fs) == 3  # applications, 行政复议 and 行政诉讼


def test_figures_accepts_received_including_carried_over_and_repeals_of_documents():
    report = filled_report()
    report.texts["overview.on_request"] = "全年共受理政府信息公开申请 19 件（含上年结转 1 件），结转下年度继续办理 1 件；行政诉讼 1 件。"
    report.texts["overview.management"] = "制发行政规范性文件 3 件，废止 1 件，现行有效行政规范性文件 25 件；废止规章 0 件。"
    assert findings(report, "TXT-FIGURES") == []


def test_placeholder_left_from_the_template():
    report = filled_report()
    report.texts["other"] = "本年度收取信息处理费××元。"
    [f] = findings(report, "TXT-PLACEHOLDER")
    assert f.severity is Severity.ERROR and report.texts["other"][f.location.start:f.location.end] == "××"


@pytest.mark.parametrize("text", ["网址 www.xxgk.gov.cn/xxgk/ 可查询。", "共计 XXL 型号。", "详见第〔2025〕3号文件。"])
def test_placeholder_silent_on_real_text(text):
    report = filled_report()
    report.texts["other"] += text
    assert findings(report, "TXT-PLACEHOLDER") == []


# -- import notes ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule, severity", [
    ("CELL-VALUE", Severity.ERROR), ("IMPORT-LABEL", Severity.WARNING),
    ("IMPORT-UNREAD", Severity.WARNING), ("IMPORT-ASSUMED", Severity.INFO),
])
def test_import_notes_become_findings(rule, severity):
    note = Note(rule=rule, severity=severity, message="原文第 3 行：说明", category="导入",
                location={"part": "requests", "table": "table3", "row": "new", "column": "natural"})
    [f] = findings(_imported(filled_report(), {}, [note]), rule)
    assert f.severity is severity and f.location.row == "new" and f.category == "导入"
    assert findings(filled_report(), rule) == []


def test_cell_value_suppresses_the_blank_warning_for_that_cell():
    report = filled_report()
    report.table3.set("new", "natural", None)
    note = Note(rule="CELL-VALUE", severity=Severity.ERROR, message="「-3」不能为负数",
                location={"table": "table3", "row": "new", "column": "natural"})
    _imported(report, {}, [note])
    assert findings(report, "CELL-BLANK") == []


# -- deadline --------------------------------------------------------------------------------


def test_deadline_days_left_and_late():
    report = filled_report()
    [f] = findings(report, "META-DEADLINE", today=dt.date(2026, 1, 21))
    assert "还有 10 天" in f.message and "2026年1月31日" in f.message
    [f] = findings(report, "META-DEADLINE", today=dt.date(2026, 2, 3))
    assert "已超过" in f.message and "3 天" in f.message
    report.meta.kind = OrganKind.GOVERNMENT  # a 本级政府 report is due 31 March
    [f] = findings(report, "META-DEADLINE", today=dt.date(2026, 3, 1))
    assert "还有 30 天" in f.message
    assert findings(report, "META-DEADLINE", today=dt.date(2028, 1, 1)) == []


# -- the catalogue ---------------------------------------------------------------------------


def test_every_rule_has_an_id_clause_and_chinese_title():
    assert len(RULE_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.clause and rule.title and rule.category
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title)


def test_explanation_attaches_to_warning_but_not_to_error():
    report = filled_report()
    report.table2.set("normative", "in_force", 1)
    [f] = findings(report, "T2-VALID")
    report.explanations[f.key] = "部分文件经清理后失效"
    [f] = findings(report, "T2-VALID")
    assert f.explanation == "部分文件经清理后失效"
    report.table3.set("granted", "natural", 8)
    [e] = findings(report, "T3-BALANCE")
    report.explanations[e.key] = "不想改"
    [e] = findings(report, "T3-BALANCE")
    assert e.explanation is None


def test_figures_none_of_appeals_arising_from_applications_is_not_a_statement_about_applications():
    report = filled_report()
    assert report.table3.resolved()[("new", "total")] > 0
    for col in ("upheld", "corrected", "other", "pending"):
        report.table4.set("reconsideration", col, 0)
    report.texts["appeals"] = "本年度未发生因依申请公开引发的行政复议。没有收到因政府信息公开申请引起的行政复议案件。"
    assert findings(report, "TXT-FIGURES") == []
    report.table4.set("reconsideration", "upheld", 2)
    fs = findings(report, "TXT-FIGURES")
    assert len(fs) == 2 and all("行政复议共 2 件" in f.message for f in fs)
