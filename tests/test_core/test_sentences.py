"""Sentences generated from the tables state the right figures and never contradict the tables."""

from __future__ import annotations

from core import sentences
from core.model import Report
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE, filled_report


def test_application_sentence_states_the_table():
    text = sentences.applications(filled_report())
    assert text == ("本年度共收到政府信息公开申请 18 件（其中自然人 16 件、法人或其他组织 2 件），上年结转 1 件；"
                    "办结 18 件，其中予以公开 12 件、部分公开 2 件、不予公开 1 件、无法提供 1 件、不予处理 2 件；"
                    "结转下年度继续办理 1 件。")


def test_appeal_sentence_states_the_table():
    assert sentences.appeals(filled_report()) == (
        "本年度因政府信息公开工作被申请行政复议 1 件（结果维持 1 件、结果纠正 0 件、其他结果 0 件、尚未审结 0 件），"
        "被提起行政诉讼 1 件（未经复议直接起诉 1 件、复议后起诉 0 件）。")


def test_none_sentences():
    report = filled_report()
    report.table4.fill_blanks()
    for group in ("reconsideration", "litigation_direct"):
        report.table4.set(group, "upheld", 0)
    assert sentences.appeals(report) == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert sentences.applications(Report.new("某局", 2025)) is None  # nothing to state yet


def test_inserted_sentences_never_raise_a_figure_warning():
    report = filled_report()
    report.table3.set("granted", "business", 3)
    report.table3.set("new", "business", 3)
    report.texts["overview.on_request"] = sentences.applications(report)
    report.texts["appeals"] = sentences.appeals(report)
    report.texts["overview.management"] = sentences.documents(report)
    assert [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule == "TXT-FIGURES"] == []
    # …and the rule would notice if the clerk later changed a figure in the text.
    report.texts["overview.on_request"] = report.texts["overview.on_request"].replace("办结 21 件", "办结 20 件")
    assert [f.rule for f in check(report, today=FAR_FROM_DEADLINE)] == ["TXT-FIGURES"]
