"""名单: files matched to units despite how clerks write their names, states, and the 报送情况 table."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core import draft
from core.aggregate import read_units
from core.model import OrganKind
from core.roster import (Roster, RosterError, RosterUnit, Status, guess_region, load_roster, reconcile, save_roster,
                         write_status_xlsx)
from tests.factories import filled_report, run_cli

COUNTY = ["某某县交通运输局", "某某县人民政府办公室", "某某县城关镇人民政府", "某某县教育局",
          "某某县机关事务服务中心（县接待办）"]


def county() -> Roster:
    return Roster([RosterUnit(n) for n in COUNTY])



def sent(folder: Path, organ: str, name: str | None = None, errors: bool = False, when: dt.datetime | None = None):
    report = filled_report()
    report.meta.organ = organ
    if errors:
        report.table3.set("granted", "natural", 8)  # 表三 no longer balances: one 错误
    path = draft.save(report, folder / (name or organ + ".nbdraft"), backup=False)
    if when:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


# -- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize("written, expected, how", [
    ("某某县 交通运输局", "某某县交通运输局", "名称一致"),  # a space
    ("某某县政府办公室", "某某县人民政府办公室", "名称一致"),  # 政府 for 人民政府
    ("某某县机关事务服务中心(县接待办)", "某某县机关事务服务中心（县接待办）", "名称一致"),  # half-width brackets
    ("交通运输局", "某某县交通运输局", "名称相近"),  # the county's name left off
    ("县教育局", "某某县教育局", "名称相近"),  # the county named by 县 alone
    ("城关镇人民政府", "某某县城关镇人民政府", "名称相近"),
    ("中共某某县委办公室 某某县人民政府办公室", "某某县人民政府办公室", "名称相近"),  # a combined office
])
def test_names_written_differently_find_their_unit(written, expected, how):
    match = county().match(written)
    assert (match.unit.name if match.unit else None, match.how) == (expected, how)


def test_a_name_two_units_fit_is_left_for_manual_matching():
    # A city tracks its counties' government offices; 「县人民政府办公室」 could be either.
    roster = Roster([RosterUnit("甲县人民政府办公室"), RosterUnit("乙县人民政府办公室"), RosterUnit("丙市教育局")])
    match = roster.match("县人民政府办公室")
    assert match.unit is None and match.ambiguous
    assert [u.name for u in match.candidates] == ["甲县人民政府办公室", "乙县人民政府办公室"]
    roster.assign("县人民政府办公室", "乙县人民政府办公室")
    match = roster.match("县人民政府办公室")
    assert (match.unit.name, match.how) == ("乙县人民政府办公室", "手工对应")


def test_an_unknown_organ_matches_nothing():
    assert county().match("某某县水利局").unit is None
    assert county().match("").unit is None


def test_manual_match_by_file_name_for_a_report_without_an_organ():
    roster = county()
    roster.assign("教育局年报.docx", "某某县教育局")
    assert roster.match("", "教育局年报.docx").unit.name == "某某县教育局"


def test_region_is_the_county_most_names_start_with():
    assert guess_region(COUNTY) == "某某县"
    assert guess_region(["甲县教育局", "乙县教育局"]) == ""  # never one of two counties
    assert guess_region(["市场监督管理局", "教育局"]) == ""


# -- files ----------------------------------------------------------------------------------


def test_xlsx_roster_round_trip(tmp_path):
    roster = county()
    roster.unit("某某县城关镇人民政府").kind = OrganKind.TOWNSHIP
    path = save_roster(roster, tmp_path / "名单.xlsx")
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["单位名称", "单位类型"]
    back = load_roster(path)
    assert [(u.name, u.kind) for u in back.units] == [(u.name, u.kind) for u in roster.units]


def test_xlsx_roster_typed_by_hand_is_read_tolerantly(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["某某县2025年政务公开年报报送单位名单"])
    ws.append(["序号", "单位名称", "单位类型"])
    ws.append([1, "某某县教育局", "部门"])
    ws.append([2, "某某县城关镇人民政府", "乡镇"])
    ws.append([3, "  ", None])
    ws.append([4, "某某县城南街道办事处", None])  # kind left blank: guessed from the name
    wb.save(tmp_path / "名单.xlsx")
    roster = load_roster(tmp_path / "名单.xlsx")
    assert [(u.name, u.kind) for u in roster.units] == [
        ("某某县教育局", OrganKind.DEPARTMENT), ("某某县城关镇人民政府", OrganKind.TOWNSHIP),
        ("某某县城南街道办事处", OrganKind.TOWNSHIP)]


def test_bad_roster_files_say_what_is_wrong(tmp_path):
    wb = Workbook()
    wb.active.append(["单位名称", "单位类型"])
    wb.active.append(["某某县教育局", "学校"])
    wb.save(tmp_path / "类型.xlsx")
    with pytest.raises(RosterError, match="第 2 行.*单位类型「学校」无法识别"):
        load_roster(tmp_path / "类型.xlsx")
    wb = Workbook()
    wb.active.append(["名称"])
    wb.save(tmp_path / "无表头.xlsx")
    with pytest.raises(RosterError, match="没有「单位名称」列"):
        load_roster(tmp_path / "无表头.xlsx")
    (tmp_path / "名单.json").write_text("{}", encoding="utf-8")
    with pytest.raises(RosterError, match="不是名单文件"):
        load_roster(tmp_path / "名单.json")


def test_json_roster_keeps_the_supervisors_decisions(tmp_path):
    roster = county()
    roster.set_status("某某县教育局", Status.APPROVED, dt.datetime(2026, 1, 20, 9, 30))
    roster.assign("县政府办", "某某县人民政府办公室")
    path = save_roster(roster, tmp_path / "名单.json")
    assert json.loads(path.read_text(encoding="utf-8"))["units"][3]["status"] == "已通过"  # readable UTF-8
    back = load_roster(path)
    unit = back.unit("某某县教育局")
    assert (unit.status, unit.status_at) == (Status.APPROVED, dt.datetime(2026, 1, 20, 9, 30))
    assert back.match("县政府办").how == "手工对应"
    with pytest.raises(ValueError):
        back.set_status("某某县教育局", Status.RECEIVED)  # 已收到 is decided by the files


# -- states ---------------------------------------------------------------------------------


def test_states_follow_the_files_and_the_supervisors_decisions(tmp_path):
    roster = county()
    returned_at = dt.datetime(2026, 1, 10, 12, 0)
    roster.set_status("某某县交通运输局", Status.RETURNED, returned_at)
    roster.set_status("某某县城关镇人民政府", Status.RETURNED, returned_at)
    roster.set_status("某某县教育局", Status.APPROVED, returned_at)
    sent(tmp_path, "某某县交通运输局", when=returned_at - dt.timedelta(days=2))  # the file that was returned
    sent(tmp_path, "城关镇人民政府", when=returned_at + dt.timedelta(days=1))  # corrected and sent again
    sent(tmp_path, "某某县教育局", when=returned_at - dt.timedelta(days=1))
    sent(tmp_path, "某某县政府办公室", errors=True)
    sent(tmp_path, "某某县水利局")
    result = reconcile(roster, read_units(sorted(tmp_path.iterdir())))
    states = {s.unit.name: s for s in result.states}
    assert {n: s.status for n, s in states.items()} == {
        "某某县交通运输局": Status.RETURNED, "某某县人民政府办公室": Status.RECEIVED,
        "某某县城关镇人民政府": Status.RECEIVED, "某某县教育局": Status.APPROVED,
        "某某县机关事务服务中心（县接待办）": Status.MISSING}
    assert states["某某县人民政府办公室"].errors >= 1 and states["某某县教育局"].errors == 0
    assert states["某某县机关事务服务中心（县接待办）"].errors is None
    assert [s.unit.name for s in result.missing] == ["某某县机关事务服务中心（县接待办）"]
    assert [u.name for u in result.unmatched] == ["某某县水利局"]
    assert result.counts_line() == "应报 5 个单位：未收到 1，已收到 2，已退回 1，已通过 1；有错误的单位 1 个"


def test_status_table_for_the_notice(tmp_path):
    sent(tmp_path, "某某县交通运输局", when=dt.datetime(2026, 1, 5, 16, 30))
    sent(tmp_path, "某某县教育局")
    sent(tmp_path, "某某县教育局", name="教育局第二稿.nbdraft")
    result = reconcile(county(), read_units(sorted(tmp_path.glob("*.nbdraft"))))
    out = write_status_xlsx(result, tmp_path / "报送情况.xlsx", "某某县2025年政府信息公开工作年度报告报送情况")
    ws = load_workbook(out).active
    assert ws["A1"].value == "某某县2025年政府信息公开工作年度报告报送情况"
    assert ws["A2"].value.startswith("应报 5 个单位：未收到 3，已收到 2")
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(4, 9)}
    assert rows["某某县交通运输局"][3:8] == ["已收到", 0, 0, "某某县交通运输局.nbdraft", "2026-01-05 16:30"]
    assert rows["某某县城关镇人民政府"][3] == "未收到"
    assert rows["某某县教育局"][8] == "收到 2 份文件"


def test_compile_command_lists_roster_units_not_received(capsys, tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    sent(units, "某某县交通运输局")
    sent(units, "教育局")
    save_roster(county(), tmp_path / "名单.xlsx")
    code, out, _ = run_cli(capsys, "compile", units, "-o", tmp_path / "汇总.nbdraft", "--roster",
                           tmp_path / "名单.xlsx", "--status", tmp_path / "报送情况.xlsx")
    assert code == 0
    assert "某某县人民政府2025年" in out  # the summary organ taken from the roster's county
    assert "名单中未收到报告的单位 3 个：某某县人民政府办公室、某某县城关镇人民政府、某某县机关事务服务中心（县接待办）" in out
    assert load_workbook(tmp_path / "报送情况.xlsx").active["A1"].value == "某某县2025年政府信息公开工作年度报告报送情况"


# -- hostile roster files (18.9), user text written as text (18.8) ----------------------------------

_BOUNDED_READ = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)
from core.roster import load_roster
started = time.perf_counter()
roster = load_roster(sys.argv[1])
print(len(roster.units), round(time.perf_counter() - started, 2))
"""


def _far_cell_roster(path: Path, cell: str = "XFD1048576") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "单位类型"])
    ws.append(["某某县交通运输局", "部门"])
    ws.append(["某某县教育局", ""])
    ws[cell] = "x"
    wb.save(path)
    return path


@pytest.mark.skipif(os.name != "posix", reason="the memory limit of the reading process is set with POSIX rlimits")
@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576", "XFD3"])
def test_a_tiny_roster_with_one_far_away_cell_is_read_within_bounds(tmp_path, cell):
    import subprocess
    import sys

    path = _far_cell_roster(tmp_path / "名单.xlsx", cell)
    assert path.stat().st_size < 10_000
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _BOUNDED_READ, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr[-500:]  # was: grown to 24 GB (here: MemoryError at 1.5 GB)
    units, seconds = done.stdout.split()
    assert units == "2" and float(seconds) < 5


def test_a_roster_that_is_not_a_workbook_or_is_hostile_says_so(tmp_path):
    bomb = tmp_path / "炸弹.xlsx"
    import zipfile
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + "0" * 60_000_000 + "</a>")
    with pytest.raises(RosterError, match="名单「炸弹.xlsx」.*未打开"):
        load_roster(bomb)
    deep = tmp_path / "深.json"
    deep.write_text('{"format": "nianbao-roster", "units": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    with pytest.raises(RosterError, match="「深.json」已损坏或不是名单文件：数据嵌套过深"):
        load_roster(deep)
    wrong = tmp_path / "错.json"
    wrong.write_text(json.dumps({"format": "nianbao-roster", "units": [{"name": ["x"] * 3}]}), encoding="utf-8")
    with pytest.raises(RosterError, match="第 1 个单位的内容有误"):
        load_roster(wrong)


def test_status_table_writes_user_text_as_text_never_as_a_formula(tmp_path):
    roster = Roster([RosterUnit('=HYPERLINK("http://example.invalid","点击")'), RosterUnit("某某县教育局")])
    roster.units[1].note = "=cmd|' /C calc'!A0"
    folder = tmp_path / "in"
    folder.mkdir()
    sent(folder, "=1+1", name="=SUM(A1).nbdraft")
    result = reconcile(roster, read_units(sorted(folder.glob("*.nbdraft"))))
    out = write_status_xlsx(result, tmp_path / "报送情况.xlsx", "=标题")
    ws = load_workbook(out).active
    texts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in texts} >= {'=HYPERLINK("http://example.invalid","点击")', "=cmd|' /C calc'!A0",
                                         "=1+1", "=SUM(A1).nbdraft", "=标题"}
    assert all(c.data_type == "s" for c in texts)  # was "f": a live formula in the supervisor's workbook
    save_roster(roster, tmp_path / "名单.xlsx")
    first = load_workbook(tmp_path / "名单.xlsx").active["A2"]
    assert first.data_type == "s" and first.value.startswith("=HYPERLINK")


def test_status_table_is_written_atomically(tmp_path, monkeypatch):
    out = write_status_xlsx(reconcile(county(), []), tmp_path / "报送情况.xlsx", "标题")
    before = out.read_bytes()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(RosterError, match="磁盘空间不足。原文件未被改动"):
        write_status_xlsx(reconcile(county(), []), out, "标题二")
    assert out.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))
