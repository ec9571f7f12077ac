"""A supervisor's comments and edits travel inside the draft and are never silent."""

from __future__ import annotations

import json

from core import draft, history
from core.model import Comment
from core.rules import check
from tests.factories import FAR_FROM_DEADLINE, filled_report


def test_open_comment_is_a_warning_at_its_cell_until_resolved(tmp_path):
    report = filled_report()
    report.comments.append(Comment(author="县政务公开办", text="请核实申请数量",
                                   location={"part": "requests", "table": "table3", "row": "new", "column": "natural"}))
    [found] = [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule == "REVIEW-COMMENT"]
    assert found.severity.label == "警告" and found.category == "批注"
    assert "县政务公开办" in found.message and "请核实申请数量" in found.message
    assert (found.location.table, found.location.row, found.location.column) == ("table3", "new", "natural")
    report.comments[0].resolved = True
    assert not [f for f in check(report, today=FAR_FROM_DEADLINE) if f.rule == "REVIEW-COMMENT"]


def test_comments_and_history_survive_the_draft_file(tmp_path):
    report = filled_report()
    report.comments.append(Comment(author="县政务公开办", text="第五部分太简略", location={"part": "problems"}))
    edited = report.model_copy(deep=True)
    edited.table3.set("new", "natural", 17)
    edited.history.extend(history.changes(report, edited, "县政务公开办"))
    again = draft.load(draft.save(edited, tmp_path / "r.nbdraft"))
    assert again.comments == edited.comments and again.history == edited.history


def test_a_draft_from_before_comments_existed_still_opens(tmp_path):
    path = draft.save(filled_report(), tmp_path / "r.nbdraft")
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["report"]["comments"], data["report"]["history"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert draft.load(path).comments == []


def test_history_names_every_changed_cell_text_and_field():
    before = filled_report()
    after = before.model_copy(deep=True)
    after.table3.set("new", "natural", 17)
    after.table2.set("fees", "amount", None)
    after.texts["other"] = "本年度未收取信息处理费。另有说明。"
    after.meta.contact = "0391-1234567"
    changes = history.changes(before, after, "审核人")
    assert [(c.where, c.old, c.new) for c in changes] == [
        ("表二「行政事业性收费」行「本年收费金额（单位：万元）」列", "0", "空白"),
        ("表三「一、本年新收政府信息公开申请数量」行「自然人」列", "16", "17"),
        ("文字「六、其他需要报告的事项」", before.texts["other"], "本年度未收取信息处理费。另有说明。"),
        ("基本信息「联系方式」", "空白", "0391-1234567"),
    ]
    assert all(c.author == "审核人" for c in changes)
    assert history.changes(before, before.model_copy(deep=True), "审核人") == []
