"""Draft files: one self-describing UTF-8 JSON file per report (``.nbdraft``).

Writes are atomic: a temporary file in the same folder is written and flushed to disk, the version it
replaces becomes ``<name>.bak`` by a hard link (or, where links are impossible, by a copy that is itself
written and renamed atomically), the temporary file is renamed over the draft, and the folder is
flushed. A kill at any moment leaves the draft and its ``.bak`` each a whole version, old or new; temp
files left by a kill are removed on the next save or open. A save keeps the file's permissions, saves
through a symbolic link to its target, and refuses a read-only draft unless told to overwrite it.

Reading never half-loads a report: any problem is a :class:`DraftError` whose message says, in Chinese,
what is wrong and where. JSON is parsed within limits (size, nesting, digits), so no draft, however
made, raises anything else or takes more than a moment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import atomic
from . import layout as L
from .errors import ReportFileError, os_reason
from .model import DRAFT_CONTEXT, Report, shown
from .version import __version__

EXTENSION = ".nbdraft"
BACKUP_SUFFIX = atomic.BACKUP_SUFFIX
MARKER = "nianbao-draft"
SCHEMA_VERSION = 1
# A full report is ~20 KB; the model's bounds keep any report it accepts well below this (see
# model.MAX_REPORT_CHARS). The bound keeps what a hostile file can make the parser build (millions of
# empty objects) within some 250 MB.
MAX_DRAFT_BYTES = 8 * 1024 * 1024
STRAY_AGE = 10.0  # seconds: a temp file older than this, found when opening, was left by a kill


class DraftError(ReportFileError):
    """A draft could not be read or written; ``str(err)`` is a message for the user."""


class ReadOnlyDraftError(DraftError):
    """The draft to be replaced is read-only; ask the user, then save with ``overwrite_read_only=True``."""

    def __init__(self, path: Path):
        super().__init__(f"「{path.name}」是只读文件（可能是有意设为只读，以防被改动）。要用当前内容覆盖它吗？")
        self.path = path


# -- writing -------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(report: Report) -> str:
    document = {
        "format": MARKER,
        "schema": SCHEMA_VERSION,
        "program": __version__,
        "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "report": report.model_dump(mode="json", context=DRAFT_CONTEXT),  # drafts keep import provenance
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # The model drops lone surrogates on entry; one put in by direct mutation still never makes a save fail.
    return _SURROGATE.sub("", text) if _SURROGATE.search(text) else text


def save(report: Report, path: str | os.PathLike, backup: bool = True, overwrite_read_only: bool = False) -> Path:
    """Write ``report`` to ``path`` atomically; the file replaced (if any) becomes ``path.bak``.

    Raises :class:`ReadOnlyDraftError` when ``path`` is read-only and ``overwrite_read_only`` is false."""
    path = Path(path)
    data = dumps(report).encode("utf-8")
    if len(data) > MAX_DRAFT_BYTES:  # only a model changed around its validators gets here: never write what won't open
        raise DraftError(f"无法保存「{path.name}」：草稿有 {len(data) // 1024 // 1024} MB，超过 "
                         f"{MAX_DRAFT_BYTES // 1024 // 1024} MB 的上限，保存后将无法再打开；请删减过长的文字。"
                         f"原文件未被改动。")
    write_atomic(path, data, backup=backup, overwrite_read_only=overwrite_read_only)
    return path


is_read_only = atomic.is_read_only
remove_strays = atomic.remove_strays


def write_atomic(path: str | os.PathLike, data: bytes, backup: bool = False, overwrite_read_only: bool = True) -> None:
    """Replace ``path`` by ``data`` so that a kill or a full disk at any moment leaves a whole file.

    ``backup`` keeps the version replaced as ``path.bak``; see :mod:`core.atomic`."""
    try:
        atomic.write_atomic(path, data, backup=backup, overwrite_read_only=overwrite_read_only, error=DraftError)
    except atomic.ReadOnlyError:
        raise ReadOnlyDraftError(Path(path)) from None


def stray_files(folder: str | os.PathLike) -> list[tuple[Path, str]]:
    """Temp files of killed saves in ``folder``, each with the name of the file it was to replace."""
    return [(p, atomic.stray_target(p)) for p in atomic.stray_temp_files(folder)]


# -- reading -------------------------------------------------------------------------------------


def load(path: str | os.PathLike, tidy: bool = True) -> Report:
    """The draft in ``path``. ``tidy``: also delete what a killed save of it left beside it (a compile, which
    reads thousands of units' drafts from one folder, leaves their folder as it is)."""
    path = Path(path)
    raw, _ = read(path)
    if tidy:
        remove_strays(Path(os.path.realpath(path)), older_than=STRAY_AGE)
    return loads(raw, path.name)


def read(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of the draft file ``path`` (within the size limit) and its status, or DraftError saying why
    they cannot be read. One status call answers what it is: a compile reads tens of thousands of drafts."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise DraftError(f"「{path}」是文件夹，不是草稿文件")
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device: reading it could wait forever
            raise DraftError(f"「{path.name}」不是普通文件，无法作为草稿打开")
        with open(path, "rb") as f:
            raw = f.read(MAX_DRAFT_BYTES + 1)
    except FileNotFoundError:
        raise DraftError(f"找不到文件「{path}」") from None
    except IsADirectoryError:
        raise DraftError(f"「{path}」是文件夹，不是草稿文件") from None
    except OSError as e:
        raise DraftError(f"无法读取「{path.name}」：{os_reason(e)}") from e
    if len(raw) > MAX_DRAFT_BYTES:
        raise DraftError(f"「{path.name}」超过 {MAX_DRAFT_BYTES // 1024 // 1024} MB，不是年报草稿文件（草稿通常只有几十 KB）")
    return raw, status


_BACKUP_HINT = "如有同名 .bak 备份文件，可打开备份。"


def loads(raw: bytes | str, name: str = "草稿") -> Report:
    if isinstance(raw, bytes):
        if not raw.strip():
            raise DraftError(f"「{name}」是空文件（可能在保存时中断）。{_BACKUP_HINT}")
        if not raw.strip(b"\0 \t\r\n"):
            raise DraftError(f"「{name}」已损坏：内容全部是空字节（可能在保存时断电）。{_BACKUP_HINT}")
        looks_like_draft = MARKER.encode() in raw[:512]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if e.end >= len(raw) and looks_like_draft:
                raise DraftError(f"「{name}」不完整，文件在第 {e.start + 1} 个字节处被截断（可能在保存时中断）。"
                                 f"{_BACKUP_HINT}") from None
            if looks_like_draft:
                raise DraftError(f"「{name}」已损坏：第 {e.start + 1} 个字节起不是 UTF-8 文字。{_BACKUP_HINT}") from None
            raise DraftError(f"「{name}」不是年报草稿文件（第 {e.start + 1} 个字节起不是 UTF-8 文字）") from None
    else:
        text = raw
        if len(text) > MAX_DRAFT_BYTES:
            raise DraftError(f"「{name}」超过 {MAX_DRAFT_BYTES // 1024 // 1024} MB，不是年报草稿文件")
        looks_like_draft = MARKER in text[:512]
    document = parse_json(text, name, looks_like_draft)
    if not isinstance(document, dict) or document.get("format") != MARKER:
        raise DraftError(f"「{name}」不是年报草稿文件（缺少草稿文件标记）")
    schema = document.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise DraftError(f"「{name}」的草稿格式版本「{shown(schema)}」无法识别")
    if schema > SCHEMA_VERSION:
        program = document.get("program")
        program = shown(program) if isinstance(program, str) else "未知版本"
        raise DraftError(f"「{name}」由较新版本的年报助手（{program}）保存，"
                         f"当前版本 {__version__} 无法打开，请升级后再打开")
    body = document.get("report")
    if not isinstance(body, dict):
        raise DraftError(f"「{name}」中没有报告内容")
    meta = body.get("meta")
    fmt = meta.get("format_version", L.FORMAT_VERSION) if isinstance(meta, dict) else L.FORMAT_VERSION
    if fmt != L.FORMAT_VERSION:
        raise DraftError(f"「{name}」使用「{shown(fmt)}」版年报格式，本程序支持 {L.FORMAT_VERSION} 版格式")
    try:
        return Report.model_validate(body)
    except ValidationError as e:
        raise DraftError(f"「{name}」的内容有误：" + describe_validation_error(e)) from None


# -- JSON within limits --------------------------------------------------------------------------


class Unreadable:
    """A JSON number no field can hold (NaN, 1e309, 30 digits…): refused by every field, quoted briefly."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text  # quoted through model.shown(), which shortens it

    __repr__ = __str__


def _float(text: str) -> Decimal | Unreadable:
    # Decimal, not float: 0.1 stays 0.1 and 1e309 does not become infinity.
    if len(text) > 60:
        return Unreadable(text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Unreadable(text)
    return value if -30 <= value.adjusted() <= 30 else Unreadable(text)


def parse_json(text: str, name: str, looks_like_draft: bool = True, what: str = "年报草稿") -> Any:
    """JSON parsed within limits, or DraftError naming the file, the place and the reason.

    The size is bounded by the caller; integers keep Python's digit limit (a longer one is refused
    here, a shorter but absurd one by the model, naming its cell); nesting is bounded by the parser's
    recursion guard, and the model's types refuse any structure deeper than a draft's own."""
    try:
        return json.loads(text, parse_float=_float, parse_constant=Unreadable)
    except json.JSONDecodeError as e:
        if e.pos >= len(text.rstrip()) - 1:
            raise DraftError(f"「{name}」不完整，文件在第 {e.lineno} 行被截断（可能在保存时中断）。"
                             f"{_BACKUP_HINT}") from None
        if not looks_like_draft:
            raise DraftError(f"「{name}」不是{what}文件（第 {e.lineno} 行第 {e.colno} 列不是{what}的格式）") from None
        raise DraftError(f"「{name}」已损坏：第 {e.lineno} 行第 {e.colno} 列格式错误。{_BACKUP_HINT}") from None
    except RecursionError:
        raise DraftError(f"「{name}」已损坏或不是{what}文件：数据嵌套过深") from None
    except ValueError:  # only the digit limit of int(): every syntax error is a JSONDecodeError
        raise DraftError(f"「{name}」已损坏或不是{what}文件：其中有位数过多（几千位）的数字") from None


_FIELD_NAMES = {
    "meta": "基本信息", "organ": "机关名称", "kind": "机关类别", "level": "行政层级", "year": "报告年度",
    "compiler": "编制单位", "contact": "联系方式", "title": "标题", "deadline": "公开期限",
    "sign_date": "落款日期", "format_version": "格式版本", "texts": "文字部分", "explanations": "说明",
    "imported": "导入记录",
}
# Names of the places inside a report a validation error can point at (lists are numbered: 第 3 条).
_PLACE_NAMES = {
    **_FIELD_NAMES, "comments": "批注", "history": "修改记录", "notes": "导入提示", "stated": "原文所列合计",
    "source": "来源文件名", "source_format": "来源格式", "imported_at": "导入时间", "location": "的位置",
    "text": "的内容", "reply": "的答复", "author": "的作者", "time": "的时间", "resolved": "的处理状态",
    "id": "的编号", "where": "的修改位置", "old": "的修改前内容", "new": "的修改后内容", "rule": "的规则编号",
    "severity": "的严重程度", "message": "的内容", "category": "的类别",
}


def _place(loc: tuple) -> str:
    """Where in the report a validation error points, e.g. 批注第 2 条的位置."""
    out = ""
    for x in loc:
        if isinstance(x, int):
            out += f"第 {x + 1} 条"
        elif x in _PLACE_NAMES:
            out += _PLACE_NAMES[x]
        elif x in L.TEXT_FIELD_BY_KEY:
            out += f"「{L.TEXT_FIELD_BY_KEY[x].label}」"
    return out or "报告"


def describe_validation_error(e: ValidationError) -> str:
    """pydantic's errors as Chinese sentences naming the place (the first three, then a count)."""
    errors = e.errors(include_url=False)
    lines = []
    for err in errors[:3]:
        loc = tuple(err["loc"])
        table = next((L.TABLE_BY_KEY[x] for x in loc if isinstance(x, str) and x in L.TABLE_BY_KEY), None)
        msg = err.get("msg", "")
        if msg.startswith("Value error, "):  # our own validators speak Chinese already
            message = msg[len("Value error, "):]
            where = "" if table or loc[:1] in (("meta",), ("texts",), ()) else _place(loc)
            if where == "报告" or message.startswith(where):
                where = ""
            lines.append((where + "：" if where else "") + message)
            continue
        where = table.name if table else _place(tuple(x for x in loc if x != "root"))
        lines.append(f"{where}{_describe_type(err)}")
    more = len(errors) - len(lines)
    return "；".join(lines) + (f"（另有 {more} 处错误）" if more > 0 else "")


def _describe_type(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    value = err.get("input")
    quoted = f"「{shown(value)}」" if not isinstance(value, (dict, list)) else ""
    if kind == "missing":
        return "缺失"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"超出允许范围，实际为{quoted}"
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return f"应为整数，实际为{quoted}"
    if kind.startswith("bool"):
        return f"应为「是」或「否」，实际为{quoted}"
    if kind.startswith("string"):
        return f"应为文字，实际为{quoted}" if kind == "string_type" else "长度不符合要求"
    if kind.startswith("date") or kind.startswith("time"):
        return f"应为日期（如 2025-01-31），实际为{quoted}"
    if kind == "enum":
        return f"的取值{quoted}无法识别"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"应为一组数据，实际为{quoted or '一列数据'}"
    if kind == "list_type":
        return f"应为一列数据，实际为{quoted or '一组数据'}"
    return f"格式不正确{quoted}"
