"""The pieces the main window is wired from: the pages built on demand, the status fields, 最近打开, and what
start-up loads before the first paint."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStatusBar

from core import layout as L
from core.model import Report
from gui import file_actions, paths, previous_year, recovery
from gui.document import ReportDocument
from gui.status_bar import StatusFields
from gui.table_sizes import minimum_width
from tests.factories import filled_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft"

# What the first paint of a draft must not wait for: the Office and PDF libraries, the readers of other
# formats, the supervisor windows, printing, and the rules (the first check follows the paint).
HEAVY = ("docx", "openpyxl", "pypdfium2", "lxml", "PySide6.QtPrintSupport", "core.export", "core.imports.",
         "core.rules", "core.batch", "core.history", "gui.supervise", "gui.printing", "gui.import_review",
         "gui.batch_check", "gui.dialogs")

CHILD = r"""
import os, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from gui.app import create_application
app = create_application(sys.argv[:1])
from gui.main_window import MainWindow
from pathlib import Path

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = sorted(sys.modules)
            QTimer.singleShot(300, report)
        return False

def report():
    print("AT-PAINT " + " ".join(watcher.seen))
    print("STATUS " + window.status_counts.text(), flush=True)
    os._exit(0)

window = MainWindow()
watcher = FirstPaint()
window.installEventFilter(watcher)
window.open_path(Path({draft!r}))
window.show()
app.exec()
"""


def test_a_draft_is_painted_before_the_heavy_modules_load_and_its_findings_follow(tmp_path):
    draft = tmp_path / "样例.nbdraft"
    shutil.copyfile(SAMPLE, draft)
    env = dict(os.environ, NIANBAO_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), draft=str(draft))], env=env,
                         capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert "AT-PAINT" in lines, out.stderr[-2000:]
    loaded = lines["AT-PAINT"].split()
    assert "core.model" in loaded and "gui.main_window" in loaded  # the probe saw the window's own modules
    early = [m for m in loaded if any(m.startswith(h) if h.endswith(".") else m == h or m.startswith(h + ".")
                                      for h in HEAVY)]
    assert early == []
    # Nobody touched the window: the self-check ran by itself after the paint.
    assert lines["STATUS"].startswith("错误 "), lines["STATUS"]


def test_only_the_page_on_screen_is_built_until_the_window_has_painted(qtbot, make_window):
    from gui.main_window import MainWindow

    window = MainWindow(filled_report())
    qtbot.addWidget(window)
    assert [p.key for p in window.page_stack.built()] == ["overview"]
    assert not window.document.checked and window.status_counts.text() == "正在自检……"
    assert window.page("appeals").table.objectName() == "table_table4"  # asked for: built at once
    window.show()
    qtbot.waitUntil(lambda: len(window.page_stack.built()) == len(L.PARTS) + 1)
    assert window.status_counts.text().startswith("错误 0")
    assert [window.pages.widget(i) for i in range(window.pages.count())] == \
        [window.page(k) for k in window.page_stack.keys()]


def test_the_panel_is_sized_from_the_tables_before_they_exist(make_window):
    window = make_window(filled_report())
    for level in (100, 150):
        window.zoom.set_level(level)
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * level / 100)
        frame = window.style().pixelMetric(window.style().PixelMetric.PM_DefaultFrameWidth)
        estimated = {t.key: minimum_width(t, QFontMetrics(font), frame) for t in L.TABLE_BY_PART.values()}
        built = {t.key: window.page(t.part).table.minimumWidth() for t in L.TABLE_BY_PART.values()}
        assert estimated == built, (level, estimated, built)


def test_status_fields_say_start_checking_then_the_counts(app):
    bar = QStatusBar()
    fields = StatusFields(bar)
    fields.show_findings(ReportDocument(Report.new("", 2025)))
    assert fields.counts.text() == "开始填写"
    doc = ReportDocument(filled_report())
    fields.show_findings(doc)
    assert fields.counts.text() == "正在自检……"
    doc.recheck()
    due = doc.report.meta.effective_deadline
    fields.show_findings(doc, today=due)
    assert fields.counts.text().startswith("错误 0") and "还有 0 天" in fields.deadline.text()
    fields.show_findings(doc, today=due.replace(year=due.year + 1))
    assert fields.deadline.text().startswith("已过公开期限")
    fields.autosave_failed("磁盘已满")
    assert fields.saved.text() == "自动备份失败" and fields.saved.toolTip() == "磁盘已满"


def test_recent_paths_keep_whole_paths_newest_first_and_at_most_eight(app, tmp_path):
    settings = paths.settings()
    file_actions.remember_recent(settings, tmp_path / "一.nbdraft")
    assert file_actions.recent_paths(paths.settings()) == [str(tmp_path / "一.nbdraft")]  # one item, read back whole
    for i in range(10):
        file_actions.remember_recent(settings, tmp_path / f"{i}.nbdraft")
    file_actions.remember_recent(settings, tmp_path / "3.nbdraft")
    recent = file_actions.recent_paths(settings)
    assert len(recent) == file_actions.RECENT_MAX and recent[0] == str(tmp_path / "3.nbdraft")
    assert recent.count(str(tmp_path / "3.nbdraft")) == 1


def test_last_years_report_is_remembered_per_draft(make_window, tmp_path):
    from core import draft

    window = make_window(filled_report())
    prev = filled_report()
    prev.meta.year -= 1
    previous = draft.save(prev, tmp_path / "上年.nbdraft")
    assert window.attach_previous_path(previous)
    assert file_actions.write(window, tmp_path / "本年.nbdraft")
    assert window.settings.value(previous_year.link_key(tmp_path / "本年.nbdraft")) == str(previous)
    assert window.close()  # and with it the draft's lock

    again = make_window()
    assert again.open_path(tmp_path / "本年.nbdraft")
    assert again.document.previous_path == previous and again.document.previous is not None


def test_same_file_sees_through_another_spelling_of_the_path(tmp_path):
    target = tmp_path / "草稿.nbdraft"
    target.write_text("x")
    assert recovery.same_file(tmp_path / "." / "草稿.nbdraft", target)
    assert not recovery.same_file(tmp_path / "别的.nbdraft", target)


def test_a_report_opened_in_a_painted_window_is_checked_at_once(qtbot, make_window):
    window = make_window()
    qtbot.waitUntil(lambda: window.document.checked)  # the window has painted
    assert window.open_path(ROOT / "tests" / "data" / "handmade" / "template.docx")
    assert window.document.checked and window.status_counts.text().startswith("错误 ")


def test_a_page_built_after_zooming_is_at_the_same_size_as_the_others(qtbot, make_window):
    from PySide6.QtWidgets import QPlainTextEdit

    first = make_window(filled_report())
    first.zoom.set_level(150)
    first.settings.sync()
    window = make_window(filled_report())  # starts at 150 %, with only 一、总体情况 built
    assert "problems" not in [p.key for p in window.page_stack.built()]
    built_before = window.page("overview").findChild(QPlainTextEdit).font().pointSizeF()
    built_after = window.page("problems").findChild(QPlainTextEdit).font().pointSizeF()  # built now
    normal = QApplication.font().pointSizeF()
    assert built_after == built_before == normal * 1.5
    window.zoom.reset()
    assert window.page("other").findChild(QPlainTextEdit).font().pointSizeF() == normal
    assert window.page("problems").findChild(QPlainTextEdit).font().pointSizeF() == normal


def test_a_long_passing_message_is_shortened_visibly_not_cut_under_the_counts(make_window, qtbot):
    window = make_window(filled_report())
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.document.checked)
    bar = window.statusBar()
    long = "已附加上年报告「" + "某某县人民政府办公室" * 6 + "2021年政府信息公开工作年度报告.nbdraft」，已按上年报告填入 12 个空白单元格"
    window.show_message(long)
    shown = bar.currentMessage()
    room = bar.width() - sum(w.width() for w in window.status.widgets())
    assert "…" in shown and bar.fontMetrics().horizontalAdvance(shown) < room
    assert shown.startswith("已附加上年报告") and shown.endswith("空白单元格")
    assert bar.toolTip() == long
    window.show_message("已保存")
    assert bar.currentMessage() == "已保存" and bar.toolTip() == ""


def test_open_and_attach_last_year_start_in_the_folder_last_used(make_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from core import draft

    window = make_window(filled_report())
    last_year = filled_report()
    last_year.meta.year -= 1
    (tmp_path / "上年").mkdir()
    older = draft.save(last_year, tmp_path / "上年" / "上年.nbdraft")
    this_year = draft.save(filled_report(), tmp_path / "本年.nbdraft")
    paths.remember_folder(window.settings, older)
    asked = []

    def answer(parent, title, start, filters):
        asked.append((title, start))
        return (str(this_year if title == "打开报告" else older), "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    previous_year.attach_previous(window)
    assert window.document.previous_path == older
    window.document.undo_stack.setClean()
    file_actions.open_dialog(window)
    assert window.document.path == this_year
    assert asked == [("附加上年报告", str(older.parent)), ("打开报告", str(older.parent))]
    assert paths.last_folder(window.settings) == this_year.parent  # opening remembers its folder
