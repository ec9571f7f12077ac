"""Saving never loses work or changes the file's nature; hostile drafts are refused in Chinese, quickly.

Disk-full cases use a real small tmpfs where the system allows mounting one (root on Linux), so the
file system itself runs out of space, as on a full USB stick.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import draft
from core.draft import DraftError, ReadOnlyDraftError
from core.model import Report
from tests.factories import filled_report

POSIX = os.name == "posix"


def _changed(n: int) -> Report:
    report = filled_report()
    report.table3.set("new", "natural", n)
    return report


def _natural(path: Path) -> int:
    return draft.load(path).table3.get("new", "natural")


def _document(report: Report) -> dict:
    return json.loads(draft.dumps(report))


def _write_json(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")  # ensure_ascii: "\ud800" stays an escape
    return path


# -- 18.3: never accept into the model what cannot be written ----------------------------------


def test_a_lone_surrogate_in_an_explanation_loads_and_saves(tmp_path):
    document = _document(filled_report())
    document["report"]["explanations"]["T3-X@requests/table3/-/-/-"] = "原因\ud800如此"
    document["report"]["comments"] = [{"text": "请\udfff核对", "author": "县政务公开办\ud83d"}]
    path = _write_json(tmp_path / "a.nbdraft", document)
    report = draft.load(path)
    assert report.explanations["T3-X@requests/table3/-/-/-"] == "原因如此"
    draft.save(report, path)  # raised UnicodeEncodeError: every save and autosave failed
    again = draft.load(path)
    assert again == report and again.comments[0].text == "请核对"


def test_the_models_own_setters_store_only_what_can_be_written():
    report = filled_report()
    assert report.set_explanation("K@-", "保留\ud800原因\x07") == "保留原因"
    assert report.set_text("problems", "问题\udc00一\x00") == "问题一"
    draft.dumps(report).encode("utf-8")


def test_a_surrogate_put_in_by_direct_mutation_still_never_fails_a_save(tmp_path):
    report = filled_report()
    report.texts["problems"] = "直接\ud800写入"
    draft.save(report, tmp_path / "a.nbdraft")
    assert draft.load(tmp_path / "a.nbdraft").text("problems") == "直接写入"


# -- 18.4: the file keeps its nature ------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX permission bits")
def test_saving_keeps_the_files_permissions(tmp_path):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    os.chmod(path, 0o644)
    draft.save(_changed(3), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # was 0600 after every save
    os.chmod(path, 0o660)
    draft.save(_changed(4), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o660


@pytest.mark.skipif(not POSIX, reason="POSIX umask")
def test_a_new_draft_gets_the_users_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = draft.save(filled_report(), tmp_path / "new.nbdraft")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_read_only_draft_is_not_overwritten_without_asking(tmp_path):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    os.chmod(path, stat.S_IREAD)
    try:
        assert draft.is_read_only(path)
        with pytest.raises(ReadOnlyDraftError, match="「a.nbdraft」是只读文件.*要用当前内容覆盖它吗"):
            draft.save(_changed(5), path)
        assert _natural(path) == 16
        draft.save(_changed(6), path, overwrite_read_only=True)  # the user said yes
        assert _natural(path) == 6 and draft.is_read_only(path)  # and it stays read-only
    finally:
        os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
    assert not draft.is_read_only(path)


@pytest.mark.skipif(not hasattr(os, "symlink") or not POSIX, reason="symbolic links")
def test_saving_through_a_symbolic_link_updates_its_target(tmp_path):
    (tmp_path / "shared").mkdir()
    target = draft.save(filled_report(), tmp_path / "shared" / "原件.nbdraft")
    link = tmp_path / "快捷.nbdraft"
    link.symlink_to(target)
    draft.save(_changed(7), link)
    assert link.is_symlink() and link.resolve() == target.resolve()  # was replaced by a plain copy
    assert _natural(target) == 7
    assert _natural(target.with_name("原件.nbdraft.bak")) == 16
    assert not list(tmp_path.glob("*.tmp")) and not list((tmp_path / "shared").glob(".*.tmp"))


# -- 18.5: full disk, durability, a true message ------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB file system of its own (tmpfs), unmounted afterwards."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a small tmpfs is mounted on Linux only")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(folder / "filler.bin", "wb") as f:
        f.write(b"\0" * max(free - leave, 0))


def _big(n: int) -> Report:
    report = _changed(n)
    report.texts["other"] = "本年度未收取信息处理费。" * 1200  # about 36 KB of UTF-8
    return report


def test_on_a_full_disk_the_previous_backup_survives(small_disk):
    path = small_disk / "a.nbdraft"
    draft.save(_changed(1), path)  # about 5 KB
    draft.save(_big(2), path)  # about 50 KB; a.nbdraft.bak is version 1
    _fill(small_disk, 16384)  # room for the new (small) draft, not for a copy of the big one
    try:
        draft.save(_changed(3), path)
    except DraftError as e:
        assert "磁盘空间不足" in str(e)
        assert _natural(path) == 2 and _natural(path.with_name("a.nbdraft.bak")) == 1
    else:
        assert _natural(path) == 3 and _natural(path.with_name("a.nbdraft.bak")) == 2
    assert not [p for p in small_disk.iterdir() if p.name.endswith(".tmp")]


def test_when_even_the_new_draft_does_not_fit_both_files_are_untouched_and_the_message_says_so(small_disk):
    path = small_disk / "a.nbdraft"
    draft.save(_big(1), path)
    draft.save(_big(2), path)
    before, bak_before = path.read_bytes(), path.with_name("a.nbdraft.bak").read_bytes()
    _fill(small_disk, 4096)
    with pytest.raises(DraftError, match="磁盘空间不足。原文件未被改动，备份也未被改动"):
        draft.save(_big(3), path)
    assert path.read_bytes() == before and path.with_name("a.nbdraft.bak").read_bytes() == bak_before
    assert not [p for p in small_disk.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not POSIX, reason="folders are flushed on POSIX only")
def test_save_flushes_the_file_and_the_folder(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    synced = []
    real = os.fsync

    def recording(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    draft.save(_changed(2), path)
    assert False in synced and True in synced  # the new file's data, then the folder's entries (the renames)


def test_the_backup_is_never_a_plain_copy_that_a_kill_could_cut(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    import shutil

    def no_plain_copy(*a, **k):
        raise AssertionError("the backup was copied in place")

    monkeypatch.setattr(shutil, "copy2", no_plain_copy)
    monkeypatch.setattr(shutil, "copyfile", no_plain_copy)
    draft.save(_changed(2), path)
    assert _natural(path.with_name("a.nbdraft.bak")) == 16


def test_without_hard_links_the_backup_is_copied_then_renamed(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    draft.save(_changed(2), path)

    def no_links(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")  # FAT/exFAT sticks

    monkeypatch.setattr(os, "link", no_links)
    draft.save(_changed(3), path)
    assert _natural(path) == 3 and _natural(path.with_name("a.nbdraft.bak")) == 2


# -- 14: temp files left by a kill are cleaned ----------------------------------------------------


def test_temp_files_left_by_a_kill_are_removed_on_the_next_save_and_open(tmp_path):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    stray = [tmp_path / ".a.nbdraft.3c2b1a09.tmp", tmp_path / ".a.nbdraft.bak-0f0f0f0f.tmp"]
    for p in stray:
        p.write_bytes(b"{half a dra")
    other = tmp_path / ".b.nbdraft.abcd.tmp"
    other.write_bytes(b"another draft's")
    draft.save(_changed(2), path)
    assert not any(p.exists() for p in stray) and other.exists()
    old = time.time() - 3600
    for p in stray:
        p.write_bytes(b"{")
        os.utime(p, (old, old))
    draft.load(path)
    assert not any(p.exists() for p in stray)


# -- 18.13: messages in Chinese, and true -----------------------------------------------------------


def test_file_too_large_is_said_in_chinese(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")

    def too_large(fd):
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(os, "fsync", too_large)
    with pytest.raises(DraftError) as caught:
        draft.save(_changed(2), path)
    assert "File too large" not in str(caught.value) and "文件过大" in str(caught.value)
    assert _natural(path) == 16


def test_an_unreadable_file_is_not_called_unwritable(tmp_path, monkeypatch):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    import builtins
    real_open = builtins.open

    def denied(file, mode="r", *a, **k):
        if Path(file) == path and "r" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", denied)
    monkeypatch.setattr(Path, "read_bytes", lambda self: denied(self, "rb").read())
    with pytest.raises(DraftError, match="无法读取「a.nbdraft」：没有读取权限"):
        draft.load(path)


def test_library_and_system_failures_are_said_without_their_english(tmp_path):
    import re

    import lxml.etree
    import lxml.html

    from core.errors import damage_reason
    from core.files import read_report

    try:
        lxml.html.document_fromstring(" ")
    except lxml.etree.ParserError as e:
        parser_error = e
    class PdfiumError(Exception):  # the PDF library's own exception class is named so
        pass

    for e in (OSError(errno.EINVAL, "Invalid argument"), parser_error, PdfiumError("Failed to load document"),
              OSError(errno.EFBIG, "File too large"), KeyError("word/document.xml")):
        reason = damage_reason(e)
        assert reason and not re.search(r"[A-Za-z]{3,}", reason.replace("PDF", "")), (e, reason)
    assert damage_reason(OSError(errno.EINVAL, "Invalid argument")) != "文件名或位置无效"  # a bad seek, not a name
    page = tmp_path / "网页.html"
    page.write_bytes(b"<!-- -->")
    with pytest.raises(Exception) as caught:
        read_report(page)
    assert not re.search(r"[A-Za-z]{3,}", str(caught.value).replace("网页.html", "")), str(caught.value)


def test_a_draft_cut_inside_a_character_is_called_incomplete_not_foreign(tmp_path):
    raw = draft.dumps(filled_report()).encode("utf-8")
    cut = raw.index("某某县".encode("utf-8")) + 1  # inside the first character of the organ's name
    path = tmp_path / "a.nbdraft"
    path.write_bytes(raw[:cut])
    with pytest.raises(DraftError, match="「a.nbdraft」不完整.*截断.*\\.bak") as caught:
        draft.load(path)
    assert "不是年报草稿文件" not in str(caught.value)


def test_a_draft_damaged_in_the_middle_is_called_damaged(tmp_path):
    raw = bytearray(draft.dumps(filled_report()).encode("utf-8"))
    raw[len(raw) // 2] = 0xFF
    path = tmp_path / "a.nbdraft"
    path.write_bytes(bytes(raw))
    with pytest.raises(DraftError, match="「a.nbdraft」已损坏") as caught:
        draft.load(path)
    assert "不是年报草稿文件" not in str(caught.value)


def test_a_file_of_zero_bytes_after_a_power_cut(tmp_path):
    path = tmp_path / "a.nbdraft"
    path.write_bytes(b"\0" * 4096)
    with pytest.raises(DraftError, match="已损坏：内容全部是空字节"):
        draft.load(path)


def test_a_save_killed_after_its_backup_leaves_nothing_behind_the_next_time(tmp_path):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    bak = path.with_name("a.nbdraft.bak")
    bak.unlink(missing_ok=True)
    os.link(path, bak)  # where a kill between making the .bak and replacing the draft leaves them
    draft.save(_changed(2), path)
    assert _natural(path) == 2 and _natural(bak) == 16
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
