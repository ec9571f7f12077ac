"""What differs on Windows, asserted on every system: where each system's semantics differ, the test says which
it expects. The Windows lane (installer/windows_under_wine.py) runs these under the Windows CPython."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from core import atomic, draft  # noqa: E402
from core.errors import ReportFileError  # noqa: E402
from core.export.text import write_text  # noqa: E402
from core.imports.text import read_text_file  # noqa: E402
from tests.factories import filled_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"


def test_saving_over_a_draft_another_program_has_open_for_a_moment(tmp_path):
    """Virus scanners, the search indexer and sync clients open a file right after it is written. Windows then
    refuses to replace it; the save waits for them instead of failing."""
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    changed = filled_report()
    changed.table2.set("licensing", "decisions", 4321)
    holder = open(path, "rb")  # Python opens without FILE_SHARE_DELETE, as most programs do
    releaser = threading.Timer(0.5, holder.close)
    releaser.start()
    try:
        draft.save(changed, path)
    finally:
        releaser.join()
        holder.close()
    assert draft.load(path).table2.get("licensing", "decisions") == 4321
    assert draft.load(path.with_name("单位.nbdraft.bak")).table2.get("licensing", "decisions") == 120
    assert sorted(p.name for p in tmp_path.iterdir()) == ["单位.nbdraft", "单位.nbdraft.bak"]


def test_a_draft_held_open_for_good_is_named_as_such(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    before = path.read_bytes()
    changed = filled_report()
    changed.table2.set("licensing", "decisions", 4321)
    monkeypatch.setattr(atomic, "REPLACE_TRIES", 3)
    with open(path, "rb"):
        if WINDOWS:
            with pytest.raises(ReportFileError, match="正被其他程序打开.*原文件未被改动"):
                draft.save(changed, path, backup=False)
            assert path.read_bytes() == before
        else:  # POSIX replaces the name; the reader keeps the old contents
            draft.save(changed, path, backup=False)
    assert [p.name for p in tmp_path.iterdir()] == ["单位.nbdraft"]  # no temporary file left behind


def test_drafts_are_the_same_bytes_everywhere_and_text_exports_suit_notepad(tmp_path):
    report = filled_report()
    saved = draft.save(report, tmp_path / "单位.nbdraft").read_bytes()
    assert b"\r" not in saved  # a draft written on Windows reads the same on Linux and back
    text = write_text(report, tmp_path / "单位.txt").read_bytes()
    assert (b"\r\n" in text) == WINDOWS and text.count(b"\n") == text.count(b"\r\n" if WINDOWS else b"\n")
    again = read_text_file(tmp_path / "单位.txt")
    assert again.table2.get("licensing", "decisions") == report.table2.get("licensing", "decisions")
    assert again.texts["other"] == report.texts["other"]


def test_a_draft_path_with_spaces_and_chinese_survives_the_command_line(tmp_path):
    folder = tmp_path / "年报 草稿"
    folder.mkdir()
    path = draft.save(filled_report(), folder / "某某县 交通运输局.nbdraft")
    out = subprocess.run([sys.executable, "-m", "core", "check", str(path), "--today", "2035-01-01"], cwd=ROOT,
                         capture_output=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr.decode(errors="replace")
    assert "某某县 交通运输局" in out.stdout.decode(_console_encoding())


def _console_encoding() -> str:
    if not WINDOWS:
        return "utf-8"
    import locale
    return locale.getpreferredencoding(False)  # a pipe gets the ANSI code page: cp936 on Chinese Windows


def test_a_console_without_the_character_gets_a_placeholder_not_a_traceback(tmp_path):
    """Chinese Windows consoles and pipes are GBK; a file name may hold characters GBK lacks."""
    path = draft.save(filled_report(), tmp_path / "单位🗎.nbdraft")
    env = dict(os.environ)
    if not WINDOWS:
        env["PYTHONIOENCODING"] = "gbk"  # what a Chinese Windows console gives
    out = subprocess.run([sys.executable, "-m", "core", "check", str(path), "--today", "2035-01-01"], cwd=ROOT,
                         env=env, capture_output=True, timeout=120)
    assert out.returncode in (0, 1) and b"Traceback" not in out.stderr, out.stderr.decode("gbk", "replace")
    assert "单位?.nbdraft" in out.stdout.decode("gbk")


# strftime on Windows encodes its format in the ANSI code page: 年月日 fail on an English Windows (cp1252) and any
# character outside GBK fails on a Chinese one. Dates are formatted with ASCII-only formats.
_STRFTIME = re.compile(r"""strftime\(\s*(?:f?["'])([^"']*)""")
_FORMAT_SPEC = re.compile(r"\{[^{}:]+:([^{}]*%[^{}]*)\}")


@pytest.mark.parametrize("package", ["core", "gui"])
def test_date_formats_are_ascii_only(package):
    found = []
    for source in sorted((ROOT / package).rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for pattern in (_STRFTIME, _FORMAT_SPEC):
            for m in pattern.finditer(text):
                if not m.group(1).isascii():
                    found.append(f"{source.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
    assert not found


def test_a_folder_opened_as_a_draft_is_called_a_folder(tmp_path):
    with pytest.raises(ReportFileError, match="是文件夹"):  # Windows says "permission denied" for a folder
        draft.load(tmp_path)


def test_settings_and_recovery_live_in_the_users_roaming_data_folder(qapp, monkeypatch, tmp_path):
    from gui import paths
    from gui.app import create_application

    create_application([])
    monkeypatch.delenv(paths.ENV_DATA_DIR, raising=False)
    if WINDOWS:
        expected = Path(os.environ["APPDATA"]) / "nianbao" / "nianbao"  # what the README and uninstaller promise
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
        expected = tmp_path / "share" / "nianbao" / "nianbao"
    assert paths.data_dir() == expected and paths.recovery_dir() == expected / "recovery"
    assert Path(paths.settings().fileName()) == expected / "settings.ini"


def test_the_interface_font_has_chinese_glyphs(qapp):
    """Microsoft YaHei UI on Windows; where it is missing (the Windows lane has only Noto CJK) the next one in the
    list; never a font that shows boxes."""
    from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics

    from gui.app import UI_FONTS, create_application

    app = create_application([])
    families = set(QFontDatabase.families())
    expected = next((f for f in UI_FONTS if f in families), None)
    assert expected, f"none of {UI_FONTS} is installed"
    assert QFontInfo(app.font()).family() == expected
    assert all(QFontMetrics(app.font()).inFont(ch) for ch in "政务公开年报助手")


@pytest.mark.skipif(not WINDOWS, reason="FILE_ATTRIBUTE_HIDDEN exists only on Windows")
def test_the_draft_lock_is_hidden_in_explorer(tmp_path):
    """Explorer shows every file unless it is hidden, as Office's own "~$" files are; the lock still works."""
    import ctypes

    from gui.draft_lock import FILE_ATTRIBUTE_HIDDEN, DraftLock, holder_of, lock_path

    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    lock = DraftLock(path)
    assert lock.acquire()
    try:
        attributes = ctypes.windll.kernel32.GetFileAttributesW(str(lock_path(path)))
        assert attributes != 0xFFFFFFFF and attributes & FILE_ATTRIBUTE_HIDDEN
        assert holder_of(path) is not None  # a hidden lock is read like any other
    finally:
        lock.release()
    assert not lock_path(path).exists()


@pytest.mark.skipif(WINDOWS, reason="elsewhere the lock is a plain file; Windows hides it (test above)")
def test_the_draft_lock_elsewhere_is_a_plain_file_beside_the_draft(tmp_path, monkeypatch):
    import ctypes

    from gui.draft_lock import DraftLock, holder_of, lock_path

    def no_windows_call(*args, **kwargs):
        raise AssertionError("a Windows call outside Windows")

    monkeypatch.setattr(ctypes, "WinDLL", no_windows_call, raising=False)
    path = draft.save(filled_report(), tmp_path / "单位.nbdraft")
    lock = DraftLock(path)
    assert lock.acquire()
    try:
        assert lock_path(path).is_file() and lock_path(path).name == "~$单位.nbdraft.lock"
        assert f"进程 {os.getpid()}" in holder_of(path)
    finally:
        lock.release()
    assert not lock_path(path).exists()


def test_a_pdf_being_reviewed_can_be_moved_renamed_or_deleted(tmp_path):
    """导入核对 keeps the PDF's pages for drawing as long as the draft is open. Windows refuses to move, rename or
    delete a file some program holds open, so the reader must not keep the file itself open."""
    import shutil

    from core.imports.pdf import pdf_pages
    from tests.realdata import REAL

    source = tmp_path / "上年.pdf"
    shutil.copy(REAL / "pdf" / "edited" / "zrz_2023_new_natural_1.5.pdf", source)
    pages = pdf_pages(source)
    moved = tmp_path / "别处" / "上年.pdf"
    moved.parent.mkdir()
    source.rename(moved)  # WinError 32 while the reader holds it
    moved.unlink()
    assert pages[0].render(72)[:8] == b"\x89PNG\r\n\x1a\n"  # the review still draws the page


def test_a_heading_and_its_lead_in_at_the_foot_of_a_page_of_tables_stay_apart():
    """Windows draws the PDF with other fonts, so its pages break elsewhere: there the lead-in 「存在的主要问题有：」
    was the last line of a page holding little text besides tables, and read back glued to the heading above."""
    from core.imports.pages import Page, Word
    from core.imports.rebuild import page_lines

    def line(top, x0, text, x1=None):
        return Word(x0, top, x1 or x0 + 14.0 * len(text), top + 23, text)

    full = [line(110 + 29 * i, 79.4, "政府信息公开工作年度报告正文的一整行文字内容示例", 521.8) for i in range(20)]
    tables = Page(2, 595, 842, [line(400, 110.8, "四、政府信息公开行政复议、行政诉讼情况"),
                                line(656, 110.8, "五、存在的主要问题及改进情况"), line(685, 110.8, "存在的主要问题有：")])
    following = Page(3, 595, 842, [line(108, 110.8, "1.政策解读形式单一，视频解读等方式较少；")] + full)
    texts = [ln.text for ln in page_lines([Page(1, 595, 842, full), tables, following])]
    assert "五、存在的主要问题及改进情况" in texts and "存在的主要问题有：" in texts
