"""Refuse broken or hostile Office files before any XML parser sees them.

A .docx/.xlsx is a zip of XML parts. Before parsing: the file is a zip, of sane size, with few members,
no member that expands absurdly (a zip bomb), the part the format requires, and no XML part declaring a
DOCTYPE or entities (external entities, "billion laughs"). All checks read only the zip directory and
the first bytes of each XML part, so a hostile file is refused in milliseconds.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ..errors import ReportFileError, damage_reason, os_reason

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 3000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 40 * 1024 * 1024  # a whole year's report is well under 1 MB of XML; parsers need ~10× in memory
MAX_RATIO = 150  # real Office XML compresses about 10:1; bombs compress by thousands
RATIO_FLOOR = 1024 * 1024  # small members may compress well without being suspicious
HEAD_BYTES = 4096
# Excel's longest formula. openpyxl reads print titles and areas with patterns that take time growing with the
# square of a name's length: a damaged name of 300,000 characters held the reader for minutes.
MAX_DEFINED_NAME = 8192
WORKBOOK_PART = "xl/workbook.xml"
_SUPPORTED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Office writes; anything else is damage or a trap


class UnsafeFileError(ReportFileError):
    pass


def check(path: Path, required: str, kind: str) -> None:
    """Raise UnsafeFileError (a Chinese message) unless ``path`` is a plausible, harmless Office zip."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as e:
        raise UnsafeFileError(f"无法读取「{name}」：{os_reason(e)}") from e
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(f"「{name}」有 {size // 1024 // 1024} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB，"
                              f"不像是年度报告，未打开")
    if not zipfile.is_zipfile(path):
        raise UnsafeFileError(f"「{name}」不是有效的{kind}（文件内容不是 Office 格式，可能已损坏，或是旧版 .doc/.xls "
                              f"文件改了扩展名；旧版文件请在 Word/WPS 中另存为 {path.suffix} 后再打开）")
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnsafeFileError(f"「{name}」包含 {len(members)} 个部件，不像是{kind}，未打开")
            total = sum(m.file_size for m in members)
            if total > MAX_TOTAL_BYTES:
                raise UnsafeFileError(f"「{name}」解压后超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB，可能是恶意文件，未打开")
            for m in members:
                if m.flag_bits & 0x1:
                    raise UnsafeFileError(f"「{name}」中的「{m.filename}」已加密，无法读取；请在 Word/WPS/Excel 中取消加密"
                                          f"（文件 → 信息 → 保护）后另存再打开")
                if m.compress_type not in _SUPPORTED:
                    raise UnsafeFileError(f"「{name}」中的「{m.filename}」使用了不支持的压缩方式（编号 {m.compress_type}），"
                                          f"文件可能已损坏；请在 Word/WPS/Excel 中另存后再打开")
                if m.file_size > MAX_PART_BYTES:
                    raise UnsafeFileError(f"「{name}」中的「{m.filename}」解压后有 {m.file_size // 1024 // 1024} MB，"
                                          f"超过 {MAX_PART_BYTES // 1024 // 1024} MB，未打开")
                if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise UnsafeFileError(f"「{name}」中的「{m.filename}」压缩比异常（可能是压缩炸弹），未打开")
            names = {m.filename for m in members}
            if required not in names:
                raise UnsafeFileError(f"「{name}」不是{kind}（缺少 {required}）")
            for m in members:
                if m.filename.endswith((".xml", ".rels")):
                    with z.open(m) as f:
                        head = f.read(HEAD_BYTES).upper()
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UnsafeFileError(f"「{name}」中的「{m.filename}」含有不安全的 XML 声明（DOCTYPE/ENTITY），未打开")
            if WORKBOOK_PART in names:
                longest = _longest_defined_name(z.read(WORKBOOK_PART))
                if longest > MAX_DEFINED_NAME:
                    raise UnsafeFileError(f"「{name}」中有一个定义名称（如打印标题）长达 {longest} 个字符，超过 Excel 允许的 "
                                          f"{MAX_DEFINED_NAME} 个，文件可能已损坏；请在 Excel/WPS 中另存后再打开")
    except UnsafeFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as e:
        raise UnsafeFileError(f"「{name}」已损坏，无法读取（{damage_reason(e)}）") from e


def _longest_defined_name(workbook: bytes) -> int:
    """Characters in the longest ``<definedName>`` body (one linear pass, no pattern)."""
    longest = 0
    for piece in workbook.split(b"<definedName")[1:]:
        start = piece.find(b">") + 1
        end = piece.find(b"</definedName>", start)
        body = piece[start:] if end < 0 else piece[start:end]
        if len(body) > longest:  # bytes bound characters from above: decode only a candidate
            longest = max(longest, len(body.decode("utf-8", "replace")))
    return longest
