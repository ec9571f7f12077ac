"""What the window says about saving and autosaving is true, and a crash's edits come back however the
program is started."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core import draft
from core.draft import DraftError
from gui import autosave, paths
from gui.app import open_at_start
from gui.autosave import recoverable
from tests.factories import filled_report
from tests.test_gui.test_main_window import type_cell

ROOT = Path(__file__).resolve().parents[2]
FULL = "保存失败：磁盘空间不足。原文件未被改动。"


def _crash_after_editing(path: Path, figure: int) -> None:
    """A session that opens ``path``, edits it, autosaves and dies before saving."""
    crash = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from gui.app import create_application
        app = create_application(sys.argv[:1])
        from gui.main_window import MainWindow
        from pathlib import Path
        w = MainWindow()
        w.open_path(Path({str(path)!r}))
        w.document.set_cell("table2", "licensing", "decisions", {figure})
        w.autosaver.save_now()
        os._exit(3)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    assert subprocess.run([sys.executable, "-c", crash], env=env, timeout=60).returncode == 3


def test_started_by_double_clicking_the_draft_its_crash_copy_is_offered(make_window, tmp_path, message_boxes):
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    other = draft.save(filled_report(), tmp_path / "别的单位.nbdraft")
    _crash_after_editing(path, 777)
    _crash_after_editing(other, 555)
    assert len(recoverable(paths.recovery_dir())) == 2

    window = make_window()
    message_boxes.answers.append("恢复")
    assert open_at_start(window, [path])
    asked = [m for m in message_boxes if m[1] == "恢复未保存的报告"]
    assert len(asked) == 1 and "上次程序意外关闭" in asked[0][2]  # that file's copy only
    assert window.document.path == path and window.isWindowModified()
    assert window.document.report.table2.get("licensing", "decisions") == 777
    # the other unit's edits wait for a start without a file; nothing is deleted
    [left] = recoverable(paths.recovery_dir())
    assert left.original == other


def test_a_failed_autosave_is_shown_not_hidden(qtbot, window, monkeypatch):
    def refuse(path, data, **kwargs):
        raise DraftError(f"保存「{Path(path).name}」{FULL}")

    monkeypatch.setattr(autosave.draft, "write_atomic", refuse)
    type_cell(qtbot, window, "table2", "licensing", "decisions", "36")
    assert window.autosaver.save_now() is False
    label = window.status_saved
    assert label.text() == "自动备份失败" and "磁盘空间不足" in label.toolTip()
    assert "自动备份失败" in window.statusBar().currentMessage()


def test_a_failed_save_says_whether_the_autosave_kept_the_edits(qtbot, window, tmp_path, monkeypatch,
                                                               message_boxes):
    target = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    window.open_path(target)
    type_cell(qtbot, window, "table2", "licensing", "decisions", "36")

    def full_disk(report, path, **kwargs):
        raise DraftError(f"保存「{Path(path).name}」{FULL}")

    monkeypatch.setattr(draft, "save", full_disk)
    assert not window.save()
    kind, title, text = message_boxes[-1]
    assert title == "保存失败" and "并已自动备份" in text
    assert len(recoverable(paths.recovery_dir())) == 0  # our own session's copy is live, not a crash's
    assert window.autosaver.report_path.exists()

    monkeypatch.setattr(autosave.draft, "write_atomic", lambda *a, **k: full_disk(None, a[0]))
    assert not window.save()
    kind, title, text = message_boxes[-1]
    assert title == "保存失败" and "已自动备份" not in text and "自动备份也未能写入" in text
    assert window.isWindowModified() and window.document.report.table2.get("licensing", "decisions") == 36
