"""Writing a file so that a crash, a kill or a full disk never leaves it half-written.

The new content goes to a temporary file in the same folder, is flushed to disk and optionally checked,
then renamed over the target in one step; the folder is flushed after the rename. Until that rename the
previous file is untouched, whatever happens. Drafts and every export (Word, Excel, PDF, text) go through
here. Failures are :class:`WriteError` with a Chinese sentence naming the file and the reason.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .errors import ReportFileError

TEMP_SUFFIX = ".tmp"


class WriteError(ReportFileError):
    """A file could not be written; the previous version (if any) is intact. ``str(err)`` is for the user."""


_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过磁盘允许的大小",
    errno.EROFS: "磁盘为只读",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "同名的文件夹已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EIO: "磁盘读写错误",
    errno.EBUSY: "文件正被其他程序使用",
    errno.ETXTBSY: "文件正被其他程序使用",
    errno.EINVAL: "文件名不能使用",
}
if hasattr(errno, "ENOTSUP"):
    _REASONS[errno.ENOTSUP] = "此磁盘不支持该操作"


def os_reason(e: OSError) -> str:
    """Why an operating-system call failed, in Chinese (never the system's English text)."""
    if getattr(e, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return "文件正被其他程序（如 Word、WPS、Excel）打开，请先关闭"
    if getattr(e, "winerror", None) == 112:  # ERROR_DISK_FULL
        return "磁盘空间不足"
    return _REASONS.get(e.errno, f"系统错误（代码 {e.errno}）" if e.errno else "系统错误")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no folder handles to flush."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(target: Path) -> int:
    """The permissions the new file should get: the old file's, or what a plainly created file would get."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def resolve_target(path: Path) -> Path:
    """Write through a symbolic link to the file it points to, so the link stays a link."""
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path


@contextmanager
def atomic_file(path: str | os.PathLike, what: str | None = None,
                check: Callable[[Path], None] | None = None) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; it replaces ``path`` only when the block succeeds.

    ``check(temp_path)`` may inspect the written temporary file and raise WriteError (or ValueError with a
    Chinese message) to refuse it. ``what`` names the file in messages (default: its name).
    """
    target = resolve_target(Path(path))
    folder = target.parent
    name = what or target.name
    if target.is_dir():
        raise WriteError(f"无法写入「{name}」：同名的文件夹已存在")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + target.name + ".", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as e:
        raise WriteError(f"无法在文件夹「{folder}」中写入「{name}」：{os_reason(e)}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if check is not None:
            try:
                check(tmp)
            except ValueError as e:
                raise WriteError(f"「{name}」未能正确写出：{e}。原有文件未被改动。") from None
        try:
            os.chmod(tmp, _mode_for(target))
        except OSError:
            pass  # a file system without permissions (FAT, network shares): the default is fine
        os.replace(tmp, target)
    except OSError as e:
        _discard(tmp)
        kept = "原有文件未被改动。" if target.exists() else ""
        raise WriteError(f"保存「{name}」失败：{os_reason(e)}。{kept}") from None
    except BaseException:
        _discard(tmp)
        raise
    _fsync_folder(folder)


def write_atomic(path: str | os.PathLike, data: bytes, what: str | None = None,
                 check: Callable[[Path], None] | None = None) -> Path:
    """Replace ``path`` with ``data`` atomically; see :func:`atomic_file`."""
    with atomic_file(path, what, check) as f:
        f.write(data)
    return Path(path)


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass


def stray_temp_files(folder: str | os.PathLike, name: str) -> list[Path]:
    """Temporary files a killed write of ``name`` left in ``folder`` (to be removed on the next write or open)."""
    try:
        return sorted(Path(folder).glob("." + name + ".*" + TEMP_SUFFIX))
    except OSError:
        return []
