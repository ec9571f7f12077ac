"""对比: a changed figure shows old → new (and percent across years), a changed sentence shows in the diff."""

from __future__ import annotations

from decimal import Decimal

from core import draft
from core.compare import compare, describe, percent
from tests.factories import filled_report, run_cli

NEW_SENTENCE = "二是依申请公开答复文书格式不统一。"



def last_year():
    report = filled_report()
    report.meta.year = 2024
    return report


def test_identical_reports_have_no_changes():
    assert compare(filled_report(), filled_report()).identical


def test_changed_cell_across_years_shows_old_new_and_percent():
    old, new = last_year(), filled_report()
    new.table2.set("licensing", "decisions", 150)  # 120 → 150
    new.table3.set("new", "natural", 20)  # 16 → 20, and so its totals
    new.table3.set("carried_out", "natural", 5)
    result = compare(old, new)
    changes = {(c.table, c.row, c.col): c for c in result.cells}
    licensing = changes[("table2", "licensing", "decisions")]
    assert (licensing.old, licensing.new, licensing.percent) == (120, 150, Decimal("25.0"))
    assert licensing.describe() == "表二「行政许可」行「本年处理决定数量」列：120 → 150（+25.0%）"
    assert changes[("table3", "new", "total")].new == 22 and changes[("table3", "new", "total")].derived
    assert changes[("table3", "carried_out", "natural")].percent == Decimal("400.0")
    assert ("table2", "penalty", "decisions") not in changes
    assert [m.describe() for m in result.meta] == ["报告年度：2024 → 2025"]


def test_percent_is_none_from_zero_or_blank_and_within_one_year():
    assert percent(0, 5) is None and percent(None, 5) is None and percent(4, None) is None
    assert percent(8, 6) == Decimal("-25.0")
    old, new = filled_report(), filled_report()  # a returned draft and its correction: same year
    new.table2.set("licensing", "decisions", 150)
    new.table4.root["reconsideration"]["upheld"] = None
    cells = {(c.table, c.row, c.col): c for c in compare(old, new).cells}
    assert cells[("table2", "licensing", "decisions")].percent is None
    blanked = cells[("table4", "reconsideration", "upheld")]
    assert blanked.describe() == "表四「行政复议」行「结果维持」列：1 → 空白"


def test_changed_sentence_appears_in_the_diff_of_its_paragraph():
    old, new = filled_report(), filled_report()
    new.texts["problems"] = new.texts["problems"].replace("二是依申请公开答复规范化水平有待提高。", NEW_SENTENCE)
    result = compare(old, new)
    assert [t.key for t in result.texts] == ["problems"]
    diff = result.texts[0].diff
    assert "-二是依申请公开答复规范化水平有待提高。" in diff and "+" + NEW_SENTENCE in diff
    assert "+改进措施：一是丰富图解、视频等解读形式；" not in diff  # unchanged sentences are context only
    assert result.texts[0].label == "五、存在的主要问题及改进情况"


def test_blank_filled_with_zero_is_counted_not_listed():
    old = filled_report()
    for r, c in old.table3.layout.input_cells:
        if old.table3.root[r][c] == 0:
            old.table3.root[r][c] = None
    lines = describe(compare(old, filled_report()))
    assert any(line.strip().startswith("表三另有") and "空白与 0 之间" in line for line in lines)
    assert not any("：空白 → 0" in line for line in lines)


def test_diff_command_prints_changes_in_chinese(capsys, tmp_path):
    old, new = last_year(), filled_report()
    new.meta.organ = "某某县交通运输局（县港航局）"
    new.table2.set("licensing", "decisions", 150)
    new.texts["other"] = "本年度未收取信息处理费。"
    a, b = draft.save(old, tmp_path / "2024.nbdraft"), draft.save(new, tmp_path / "2025.nbdraft")
    code, out, _ = run_cli(capsys, "diff", a, b)
    assert code == 1
    assert "机关名称：某某县交通运输局 → 某某县交通运输局（县港航局）" in out
    assert "表二「行政许可」行「本年处理决定数量」列：120 → 150（+25.0%）" in out
    assert "文字「六、其他需要报告的事项」：" in out
    assert "-认真落实上级年度政务公开工作要点，及时公开人大代表建议和政协提案办理结果。" in out
    code, out, _ = run_cli(capsys, "diff", b, b)
    assert code == 0 and "两份报告内容相同" in out
    code, _, err = run_cli(capsys, "diff", a, tmp_path / "无.nbdraft")
    assert code == 2 and "找不到文件" in err
