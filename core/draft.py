"""Draft files: one self-describing UTF-8 JSON file per report (``.nbdraft``).

Writes are atomic (a temporary file in the same folder, flushed to disk, then renamed over the old
file) and keep the previous version as ``<name>.bak``. Reading never half-loads a report: any problem
is a :class:`DraftError` whose message says, in Chinese, what is wrong and where.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import layout as L
from .errors import ReportFileError
from .model import Report
from .version import __version__

EXTENSION = ".nbdraft"
MARKER = "nianbao-draft"
SCHEMA_VERSION = 1
MAX_DRAFT_BYTES = 20 * 1024 * 1024  # a full report is ~20 KB; anything this big is not a draft


class DraftError(ReportFileError):
    """A draft could not be read or written; ``str(err)`` is a message for the user."""


def dumps(report: Report) -> str:
    document = {
        "format": MARKER,
        "schema": SCHEMA_VERSION,
        "program": __version__,
        "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "report": report.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def save(report: Report, path: str | os.PathLike, backup: bool = True) -> Path:
    """Write ``report`` to ``path`` atomically; the file replaced (if any) becomes ``path.bak``."""
    path = Path(path)
    data = dumps(report).encode("utf-8")
    write_atomic(path, data, backup=backup)
    return path


def write_atomic(path: Path, data: bytes, backup: bool = False) -> None:
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=folder)
    except OSError as e:
        raise DraftError(f"无法在文件夹「{folder}」中写入文件：{_os_reason(e)}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise DraftError(f"保存「{path.name}」失败：{_os_reason(e)}。原文件未被改动。") from e


def _os_reason(e: OSError) -> str:
    import errno
    reasons = {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "磁盘为只读",
        errno.ENOENT: "文件夹不存在",
    }
    return reasons.get(e.errno, e.strerror or str(e))


def load(path: str | os.PathLike) -> Report:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise DraftError(f"「{path.name}」有 {size // 1024 // 1024} MB，不是年报草稿文件（草稿通常只有几十 KB）")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"找不到文件「{path}」") from None
    except IsADirectoryError:
        raise DraftError(f"「{path}」是文件夹，不是草稿文件") from None
    except OSError as e:
        raise DraftError(f"无法读取「{path.name}」：{_os_reason(e)}") from e
    return loads(raw, path.name)


def loads(raw: bytes | str, name: str = "草稿") -> Report:
    if isinstance(raw, bytes):
        if not raw.strip():
            raise DraftError(f"「{name}」是空文件（可能在保存时中断）。如有同名 .bak 备份文件，可打开备份。")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise DraftError(f"「{name}」不是年报草稿文件（第 {e.start + 1} 个字节起不是 UTF-8 文字）") from None
    else:
        text = raw
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        if e.pos >= len(text.rstrip()) - 1:
            raise DraftError(f"「{name}」不完整，文件在第 {e.lineno} 行被截断（可能在保存时中断）。"
                             f"如有同名 .bak 备份文件，可打开备份。") from None
        raise DraftError(f"「{name}」已损坏：第 {e.lineno} 行第 {e.colno} 列格式错误。"
                         f"如有同名 .bak 备份文件，可打开备份。") from None
    if not isinstance(document, dict) or document.get("format") != MARKER:
        raise DraftError(f"「{name}」不是年报草稿文件（缺少草稿文件标记）")
    schema = document.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise DraftError(f"「{name}」的草稿格式版本「{schema}」无法识别")
    if schema > SCHEMA_VERSION:
        raise DraftError(f"「{name}」由较新版本的年报助手（{document.get('program', '未知版本')}）保存，"
                         f"当前版本 {__version__} 无法打开，请升级后再打开")
    body = document.get("report")
    if not isinstance(body, dict):
        raise DraftError(f"「{name}」中没有报告内容")
    meta = body.get("meta")
    fmt = meta.get("format_version", L.FORMAT_VERSION) if isinstance(meta, dict) else L.FORMAT_VERSION
    if fmt != L.FORMAT_VERSION:
        raise DraftError(f"「{name}」使用「{fmt}」版年报格式，本程序支持 {L.FORMAT_VERSION} 版格式")
    try:
        return Report.model_validate(body)
    except ValidationError as e:
        raise DraftError(f"「{name}」的内容有误：" + describe_validation_error(e)) from None


_FIELD_NAMES = {
    "meta": "基本信息", "organ": "机关名称", "kind": "机关类别", "level": "行政层级", "year": "报告年度",
    "compiler": "编制单位", "contact": "联系方式", "title": "标题", "deadline": "公开期限",
    "sign_date": "落款日期", "format_version": "格式版本", "texts": "文字部分", "explanations": "说明",
    "imported": "导入记录",
}


def describe_validation_error(e: ValidationError) -> str:
    """pydantic's errors as Chinese sentences naming the field (the first three, then a count)."""
    lines = []
    for err in e.errors()[:3]:
        loc = [str(x) for x in err["loc"]]
        table = next((L.TABLE_BY_KEY[x] for x in loc if x in L.TABLE_BY_KEY), None)
        msg = err.get("msg", "")
        if msg.startswith("Value error, "):
            lines.append(msg[len("Value error, "):])
            continue
        where = table.name if table else "".join(_FIELD_NAMES.get(x, "") for x in loc if x != "root") or "报告"
        lines.append(f"{where}{_describe_type(err)}")
    more = len(e.errors()) - len(lines)
    return "；".join(lines) + (f"（另有 {more} 处错误）" if more > 0 else "")


def _describe_type(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    value = err.get("input")
    shown = f"「{value}」" if not isinstance(value, (dict, list)) else ""
    if kind == "missing":
        return "缺失"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"超出允许范围，实际为{shown}"
    if kind.startswith("int") or kind.startswith("float"):
        return f"应为整数，实际为{shown}"
    if kind.startswith("string"):
        return f"应为文字，实际为{shown}" if kind == "string_type" else "长度不符合要求"
    if kind.startswith("date"):
        return f"应为日期（如 2025-01-31），实际为{shown}"
    if kind == "enum":
        return f"的取值{shown}无法识别"
    return f"格式不正确{shown}"
