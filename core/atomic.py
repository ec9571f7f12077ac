"""Writing a file so that a crash, a kill or a full disk never leaves it half-written.

The new content goes to a temporary file in the same folder, is flushed to disk and optionally checked,
then renamed over the target in one step; the folder is flushed after the rename. Until that rename the
previous file is untouched, whatever happens. The version replaced can be kept as ``<name>.bak``, itself
made atomically (a hard link, or a flushed copy renamed into place). The file keeps its permissions, a
symbolic link is written through to its target, and a read-only file is replaced only when the caller
says so (after asking the user). Temporary files a killed write left behind are removed on the next write.

Drafts and every export (Word, Excel, PDF, text) go through here. Failures are :class:`WriteError` (or
the caller's subclass of it) with a Chinese sentence naming the file and the reason.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from . import errors
from .errors import ReportFileError

TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"


class WriteError(ReportFileError):
    """A file could not be written; the previous version (if any) is intact. ``str(err)`` is for the user."""


class ReadOnlyError(WriteError):
    """The file to be replaced is read-only: ask the user, then write with ``overwrite_read_only=True``."""

    def __init__(self, path: Path, what: str | None = None):
        super().__init__(f"「{what or path.name}」是只读文件（可能是有意设为只读，以防被改动）。要用当前内容覆盖它吗？")
        self.path = path


def os_reason(e: OSError) -> str:
    """Why an operating-system call failed when writing, in Chinese (never the system's English text)."""
    return errors.os_reason(e, writing=True)


def resolve_target(path: Path) -> Path:
    """Write through a symbolic link to the file it points to, so the link stays a link."""
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path


def is_read_only(path: str | os.PathLike) -> bool:
    """Whether ``path`` (through any link) is a file that may not be written: ask before replacing it."""
    target = resolve_target(Path(path))
    try:
        st = target.stat()
    except OSError:
        return False
    return not stat.S_ISDIR(st.st_mode) and (not st.st_mode & 0o222 or not os.access(target, os.W_OK))


def temp_name(target: Path, kind: str = "") -> Path:
    """A temporary file beside ``target``: ``.<name>.<8 hex>.tmp`` (``kind`` ``bak-`` for a backup's)."""
    return target.with_name(f".{target.name}.{kind}{secrets.token_hex(4)}{TEMP_SUFFIX}")


_STRAY = re.compile(r"^\.(?P<target>.+)\.(?:bak-)?[0-9a-f]{8}\.tmp$")


def stray_temp_files(folder: str | os.PathLike, name: str | None = None) -> list[Path]:
    """Temporary files killed writes left in ``folder`` (of the file ``name``, or of any file)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        m = _STRAY.match(entry.name)
        if m and (name is None or m["target"] == name):
            found.append(Path(entry.path))
    return sorted(found)


def stray_target(path: Path) -> str:
    """The name of the file whose killed write left the temporary file ``path``."""
    return _STRAY.match(path.name)["target"]


def remove_strays(target: Path, older_than: float = 0.0) -> int:
    """Delete temp files a killed write of ``target`` left beside it; returns how many were removed."""
    removed = 0
    now = time.time()
    for path in stray_temp_files(target.parent, target.name):
        try:
            if older_than and now - path.stat().st_mtime < older_than:
                continue
            path.unlink()
            removed += 1
        except OSError:
            pass  # held open by another program (Windows) or already gone: tried again next time
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX); Windows has no folder handles to flush."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) cannot flush a folder; the data itself was flushed
    finally:
        os.close(fd)


def _create(path: Path) -> int:
    # O_EXCL with 0o666: a new file gets the user's usual permissions (umask), not mkstemp's 0600.
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)


def _backup(target: Path) -> None:
    """Make the current version of ``target`` its ``.bak``, atomically: a hard link, else (and on Windows) a whole
    copy."""
    bak = target.with_name(target.name + BACKUP_SUFFIX)
    try:
        if os.path.samefile(target, bak):
            return  # already the .bak (a write killed after this step)
    except OSError:
        pass
    tmp = temp_name(target, "bak-")
    try:
        linked = False
        # Not on Windows, which applies a file's sharing to all its names: while a virus scanner or the indexer
        # holds the draft for a moment, a new link to it could be neither renamed to .bak nor removed.
        if os.name != "nt":
            try:
                os.link(target, tmp)  # nothing written: works on a full disk, and is instant
                linked = True
            except OSError:
                pass  # FAT/exFAT sticks and some network shares have no hard links
        if not linked:  # copy, flush, then rename
            with open(target, "rb") as src, os.fdopen(_create(tmp), "wb") as dst:
                shutil.copyfileobj(src, dst)
                dst.flush()
                os.fsync(dst.fileno())
        if os.name == "nt" and bak.exists():
            os.chmod(bak, stat.S_IWRITE | stat.S_IREAD)
        _replace(tmp, bak)
    except OSError:
        _discard(tmp)
        raise


REPLACE_TRIES = 20  # × 0.1 s
HELD_OPEN = "文件正被其他程序打开（如 WPS、杀毒软件、同步盘或另一个年报助手窗口），请关闭后重试"


def _replace(tmp: Path, target: Path) -> None:
    """os.replace; Windows refuses while another program has the target open, as virus scanners, the search
    indexer and sync clients do for moments after each write: try again for about two seconds."""
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(0.1)


@contextmanager
def atomic_path(path: str | os.PathLike, what: str | None = None, check: Callable[[Path], None] | None = None, *,
                backup: bool = False, overwrite_read_only: bool = True,
                error: type[WriteError] = WriteError) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to (for writers that want a file name); the file
    there replaces ``path`` only when the block succeeds and ``check`` accepts it.

    ``check(temp_path)`` may raise ValueError with a Chinese reason to refuse what was written (a cut or
    empty file). ``what`` names the file in messages (default: its name). ``backup`` keeps the replaced
    version as ``.bak``. A read-only ``path`` raises :class:`ReadOnlyError` unless ``overwrite_read_only``.
    """
    target = resolve_target(Path(path))
    folder = target.parent
    name = what or Path(path).name
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise error(f"无法写入「{name}」：{os_reason(e)}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise error(f"无法写入「{name}」：同名的文件夹已存在")
    if st is not None and not overwrite_read_only and is_read_only(target):
        raise ReadOnlyError(Path(path), what)
    if not folder.is_dir():
        raise error(f"无法写入「{name}」：文件夹「{folder}」不存在")
    remove_strays(target)
    kept = "" if st is None else "原文件未被改动，备份也未被改动。" if backup else "原文件未被改动。"
    tmp = temp_name(target)
    try:
        os.close(_create(tmp))
    except OSError as e:
        raise error(f"无法在文件夹「{folder}」中写入「{name}」：{os_reason(e)}") from None
    try:
        yield tmp
        try:
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        except OSError as e:
            raise error(f"保存「{name}」失败：{os_reason(e)}。{kept}") from None
        if check is not None:
            try:
                check(tmp)
            except ValueError as e:
                raise error(f"「{name}」未能正确写出：{e}。{kept}") from None
        try:
            if st is not None:
                os.chmod(tmp, stat.S_IMODE(st.st_mode))  # the file replaced keeps its permissions
        except OSError:
            pass  # a file system without permissions (FAT, network shares): the default is fine
        if backup and st is not None:
            try:
                _backup(target)
            except OSError as e:
                raise error(f"保存「{name}」失败：无法保留上一版本为「{target.name}{BACKUP_SUFFIX}」"
                            f"（{os_reason(e)}）。{kept}") from None
        if os.name == "nt" and st is not None and not st.st_mode & stat.S_IWRITE:
            os.chmod(target, stat.S_IWRITE | stat.S_IREAD)  # Windows refuses to replace a read-only file
        try:
            _replace(tmp, target)
        except PermissionError:
            if os.name != "nt" or not os.access(target, os.W_OK):
                raise
            _discard(tmp)
            raise error(f"保存「{name}」失败：{HELD_OPEN}。{kept}") from None
    except OSError as e:
        _discard(tmp)
        raise error(f"保存「{name}」失败：{os_reason(e)}。{kept}") from None
    except BaseException:
        _discard(tmp)
        raise
    _fsync_folder(folder)


@contextmanager
def atomic_file(path: str | os.PathLike, what: str | None = None, check: Callable[[Path], None] | None = None,
                **options) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; see :func:`atomic_path`."""
    with atomic_path(path, what, check, **options) as tmp:
        with open(tmp, "wb") as f:
            yield f


def write_atomic(path: str | os.PathLike, data: bytes, what: str | None = None,
                 check: Callable[[Path], None] | None = None, **options) -> Path:
    """Replace ``path`` with ``data`` atomically; see :func:`atomic_path`."""
    with atomic_file(path, what, check, **options) as f:
        f.write(data)
    return Path(path)


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass
