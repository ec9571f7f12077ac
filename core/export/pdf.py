"""PDF files the program writes: a check that a written PDF is whole, and its text layer made searchable.

Qt draws the pages (gui.printing); what is done to the file afterwards needs no Qt and lives here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path


def check_pdf(path: Path, pages: int | None = None) -> None:
    """ValueError (a Chinese reason) unless ``path`` is a whole PDF with ``pages`` pages."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ValueError("文件没有写出") from None
    if size == 0:
        raise ValueError("写出的文件是空的（0 字节）")
    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(max(0, size - 64))
        tail = f.read()
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValueError("写出的文件不完整")
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        raise ValueError("写出的文件无法打开") from None
    try:
        if pages is not None and len(document) != pages:
            raise ValueError(f"写出的文件只有 {len(document)} 页，应有 {pages} 页")
    finally:
        document.close()


# Kangxi Radicals and CJK Radicals Supplement: fonts such as Noto CJK draw 一 and ⼀, 民 and ⺠ with one glyph,
# and a PDF writer that maps each glyph back to the first code point of the font's cmap names the radical.
RADICALS = range(0x2E80, 0x2FE0)
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def is_radical(ch: str) -> bool:
    return ord(ch) in RADICALS


def fix_text_layer(path: Path, mapping: dict[str, str] | None = None) -> int:
    """Make the PDF's text what was drawn: every radical code point in its ToUnicode maps that stands for a
    glyph shared with an ideograph becomes that ideograph (``mapping``, radical → ideograph, as measured on
    the fonts used; else the compatibility equivalent, 「⼀」→「一」). The file is changed in place, byte
    for byte the same length, so its cross-reference table stays right. Returns how many entries changed."""
    mapping = dict(mapping or {})
    data = bytearray(path.read_bytes())
    changed = 0
    for number in sorted(set(_TO_UNICODE.findall(data))):
        obj = re.search(rb"(?:^|[\r\n])" + number + rb"\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S)
        if obj is None or b"/Filter" in obj.group(1):
            continue  # a compressed map is not rewritten in place (the program's own writer never makes one)
        length = re.search(rb"/Length\s+(\d+)(?!\s+0\s+R)", obj.group(1))
        if length is None:
            continue
        start, end = obj.end(), obj.end() + int(length.group(1))
        stream = bytes(data[start:end])
        fixed = _fix_cmap(stream, mapping)
        if fixed != stream:
            changed += sum(1 for a, b in zip(_HEX4.findall(stream), _HEX4.findall(fixed)) if a != b)
            data[start:end] = fixed
    if changed:
        path.write_bytes(bytes(data))
    return changed


def _replacement(code: int, mapping: dict[str, str]) -> str | None:
    ch = chr(code)
    target = mapping.get(ch)
    if target is None:
        folded = unicodedata.normalize("NFKC", ch)
        target = folded if len(folded) == 1 and folded != ch else None
    if target is None or ord(target) > 0xFFFF:
        return None  # keep the stream's length: only a four-digit code replaces a four-digit code
    return target


_TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|\[|\]|beginbfchar|endbfchar|beginbfrange|endbfrange")


def _fix_cmap(stream: bytes, mapping: dict[str, str]) -> bytes:
    """Rewrite four-digit destination codes of ``bfchar`` pairs and ``bfrange`` arrays (never the start of a
    ``<lo> <hi> <start>`` run, which would move every code after it)."""
    out = bytearray()
    last = 0
    section = None  # b"char" or b"range"
    position = 0  # index of the code within its pair or triple
    in_array = False
    for m in _TOKEN.finditer(stream):
        token = m.group(0)
        if token in (b"beginbfchar", b"beginbfrange"):
            section, position, in_array = token[7:], 0, False
            continue
        if token in (b"endbfchar", b"endbfrange"):
            section = None
            continue
        if section is None:
            continue
        if token == b"[":
            in_array = True
            continue
        if token == b"]":
            in_array, position = False, 0
            continue
        destination = in_array or (section == b"char" and position == 1)
        if not in_array:
            position = (position + 1) % (2 if section == b"char" else 3)
        hexa = m.group(1)
        if not destination or len(hexa) != 4 or int(hexa, 16) not in RADICALS:
            continue
        target = _replacement(int(hexa, 16), mapping)
        if target is not None:
            out += stream[last:m.start()] + b"<%04X>" % ord(target)
            last = m.end()
    out += stream[last:]
    return bytes(out)
