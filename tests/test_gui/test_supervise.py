"""The supervisor's windows: compiling units, the roster of who sent what, comparing two versions."""

from __future__ import annotations

import shutil

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from core import draft
from core.model import OrganKind
from core.roster import Roster, RosterUnit, load_roster, save_roster
from core.imports.text import read_text_file
from tests.factories import sample


def _column(table, col):
    return [table.item(r, col).text() for r in range(table.rowCount())]


def _units_folder(tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    for prefix in ("000", "001", "003"):
        shutil.copy(sample(prefix), folder / sample(prefix).name)
    return folder


def _tick_all(window):
    for row in range(window.unit_table.rowCount()):
        tick = window.unit_table.item(row, 0)
        if tick.flags() & Qt.ItemFlag.ItemIsUserCheckable and tick.checkState() != Qt.CheckState.Checked:
            tick.setCheckState(Qt.CheckState.Checked)


def test_compile_leaves_out_other_years_and_units_without_tables_3_and_4_saying_why(qtbot, make_window, tmp_path):
    from gui.supervise.compile import CompileWindow

    window = CompileWindow(make_window())
    qtbot.addWidget(window)
    window.add_paths([_units_folder(tmp_path)])  # 000 (2022, no 表三/表四), 001 (2022), 003 (2023)
    assert window.year.value() == 2022
    assert "计入 1 个单位" in window.status.text()
    files = _column(window.unit_table, 2)
    notes = dict(zip(files, _column(window.unit_table, 7)))
    ticks = {f: window.unit_table.item(r, 0).checkState() for r, f in enumerate(files)}
    assert ticks[sample("001").name] == Qt.CheckState.Checked
    assert ticks[sample("000").name] == ticks[sample("003").name] == Qt.CheckState.Unchecked
    assert "表三、表四没有填写" in notes[sample("000").name]
    assert "2023 年度" in notes[sample("003").name] and "默认不计入" in notes[sample("003").name]
    assert window.messages.toPlainText().count("未计入：") == 2
    # Ticked back in by the supervisor, it counts; a year change re-decides only the untouched units.
    row = files.index(sample("003").name)
    window.unit_table.item(row, 0).setCheckState(Qt.CheckState.Checked)
    assert "计入 2 个单位" in window.status.text()
    window.year.setValue(2023)
    assert "计入 1 个单位" in window.status.text()  # 001 is now another year's; 003 stays ticked


def test_compile_three_units_untick_one_and_open_the_summary(qtbot, make_window, tmp_path, message_boxes):
    from gui.supervise.compile import CompileWindow

    main = make_window()
    window = CompileWindow(main)
    qtbot.addWidget(window)
    window.add_paths([_units_folder(tmp_path)])
    assert window.unit_table.rowCount() == 3
    _tick_all(window)
    assert "计入 3 个单位" in window.status.text()

    window.select_cell("table2", "normative", "in_force")
    assert "汇总 506" in window.sum_label.text()  # 295 + 211 + 0, by hand from the three reports
    assert sorted(_column(window.breakdown, 1)) == ["0", "211", "295"]

    row = _column(window.unit_table, 1).index("济源市人民政府办公室")
    window.unit_table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    assert "汇总 295" in window.sum_label.text() and "计入 2 个单位" in window.status.text()
    assert "手工排除" in window.unit_table.item(row, 7).text()

    window.organ.setText("某某市人民政府")
    message_boxes.answers.append(QMessageBox.StandardButton.Yes)  # sample 000 has 错误: compile anyway
    window.open_summary()
    summary = main.document.report
    assert summary.meta.organ == "某某市人民政府" and summary.meta.kind is OrganKind.GOVERNMENT
    assert summary.table2.get("normative", "in_force") == 295 and summary.table2.get("normative", "issued") == 24
    assert main.document.path is None  # to be saved as a new draft


def test_compile_flags_errors_duplicates_and_unreadable_files(qtbot, make_window, tmp_path):
    from gui.supervise.compile import CompileWindow

    folder = _units_folder(tmp_path)
    shutil.copy(sample("001"), folder / "济源-副本.txt")
    (folder / "坏文件.docx").write_bytes(b"not a zip")
    window = CompileWindow(make_window())
    qtbot.addWidget(window)
    window.add_paths([folder])
    text = window.messages.toPlainText()
    assert "无法读取：「坏文件.docx」" in text
    assert "内容相同的文件" in text and "济源-副本.txt" in text
    assert "有错误：" in text and "处错误" in text
    window.unit_table.selectRow(_column(window.unit_table, 2).index("坏文件.docx"))
    assert "坏文件.docx" in window.unit_findings.toPlainText()


def test_breakdown_exports_to_excel(qtbot, make_window, tmp_path, monkeypatch):
    from gui.supervise.compile import CompileWindow

    window = CompileWindow(make_window())
    qtbot.addWidget(window)
    window.add_paths([_units_folder(tmp_path)])
    target = tmp_path / "明细.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_breakdown()
    wb = openpyxl.load_workbook(target)
    assert len(wb.sheetnames) >= 3
    assert any("济源市人民政府办公室" in str(c.value) for ws in wb for row in ws.iter_rows() for c in row)


def test_roster_shows_who_sent_and_who_did_not_and_exports_the_status(qtbot, make_window, tmp_path, monkeypatch):
    from gui.supervise.roster import RosterWindow

    roster = Roster([RosterUnit("济源市人民政府办公室", OrganKind.DEPARTMENT), RosterUnit("某某县不存在局")])
    roster_path = save_roster(roster, tmp_path / "名单.json")
    main = make_window()
    window = RosterWindow(main)
    qtbot.addWidget(window)
    assert window.load(roster_path)
    window.folder = _units_folder(tmp_path)
    window.refresh_files()
    states = dict(zip(_column(window.table, 0), _column(window.table, 2)))
    assert states == {"济源市人民政府办公室": "已收到", "某某县不存在局": "未收到"}
    assert window.others.rowCount() == 2  # the other two files fit no unit of this roster
    assert "未收到 1" in window.counts.text()

    window.table.selectRow(_column(window.table, 0).index("济源市人民政府办公室"))
    window.set_status(window.result.states[0].status.RETURNED)
    assert dict(zip(_column(window.table, 0), _column(window.table, 2)))["济源市人民政府办公室"] == "已退回"
    reopened = RosterWindow(main)  # the decision is kept in the roster file
    qtbot.addWidget(reopened)
    assert dict(zip(_column(reopened.table, 0), _column(reopened.table, 2)))["济源市人民政府办公室"] == "已退回"

    target = tmp_path / "报送情况.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_status()
    cells = [str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows() for c in row if c.value]
    assert "某某县不存在局" in cells and "未收到" in cells and "已退回" in cells


def test_returning_a_unit_asks_the_reason_which_reaches_its_draft_as_a_comment(qtbot, make_window, tmp_path,
                                                                               monkeypatch, message_boxes):
    import openpyxl as xl

    from gui.supervise.roster import RosterWindow

    folder = tmp_path / "收件"
    folder.mkdir()
    draft.save(read_text_file(sample("001")), folder / "济源.nbdraft")
    book = xl.Workbook()
    book.active.append(["单位名称", "单位类型"])
    book.active.append(["济源市人民政府办公室", "政府部门"])
    book.save(tmp_path / "名单.xlsx")
    window = RosterWindow(make_window())
    qtbot.addWidget(window)
    assert window.load(tmp_path / "名单.xlsx")
    window.folder = folder
    window.refresh_files()
    window.table.selectRow(0)

    asked = []
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: asked.append(a) or ("", False))
    window.return_selected()  # cancelled: nothing changes
    assert asked and _column(window.table, 2) == ["已收到"]

    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("表三结转数与上年不一致，请核实。", True))
    window.return_selected()
    assert _column(window.table, 2) == ["已退回"]
    comments = draft.load(folder / "济源.nbdraft").comments
    assert [c.text for c in comments] == ["表三结转数与上年不一致，请核实。"]
    assert "名单.json" in message_boxes[-1][2] and str(tmp_path) in message_boxes[-1][2]  # where states are kept
    assert "名单.json" in window.source.text()
    kept = load_roster(tmp_path / "名单.json").unit("济源市人民政府办公室")
    assert kept.note == "表三结转数与上年不一致，请核实。"


def test_roster_opens_a_unit_for_review(qtbot, make_window, tmp_path, monkeypatch):
    from gui.supervise.roster import RosterWindow

    folder = tmp_path / "收件"
    folder.mkdir()
    draft.save(read_text_file(sample("001")), folder / "济源.nbdraft")
    roster_path = save_roster(Roster([RosterUnit("济源市人民政府办公室")]), tmp_path / "名单.json")
    main = make_window()
    window = RosterWindow(main)
    qtbot.addWidget(window)
    window.load(roster_path)
    window.folder = folder
    window.refresh_files()
    window.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市政务公开办", True))
    window.open_selected()
    assert main.document.path == folder / "济源.nbdraft" and main.document.reviewer == "市政务公开办"


def test_compare_two_versions_lists_changed_cells_and_sentences(qtbot, make_window, tmp_path):
    from gui.supervise.compare import CompareWindow

    old = read_text_file(sample("001"))
    new = old.model_copy(deep=True)
    new.table3.set("new", "natural", old.table3.get("new", "natural") + 4)
    new.texts["other"] = new.texts["other"] + "本年度新增一项说明。"
    draft.save(old, tmp_path / "a.nbdraft")
    draft.save(new, tmp_path / "b.nbdraft")
    window = CompareWindow(make_window())
    qtbot.addWidget(window)
    window.load(0, tmp_path / "a.nbdraft")
    window.load(1, tmp_path / "b.nbdraft")
    names = _column(window.cells, 0)
    assert any("「自然人」列" in n and "本年新收" in n for n in names)
    assert "+本年度新增一项说明。" in window.texts.toPlainText()
    assert "同一年度的两个版本" in window.summary.text()
