"""Which encoding a text or web page was saved in, when nothing (or something wrong) says so.

Saved text and pages come as UTF-8, GBK/GB18030 (Notepad and many government sites), UTF-16 (Windows
"Unicode", with or without BOM), now and then UTF-32 or Big5. A byte order mark decides; UTF-8 that
decodes strictly is taken; otherwise every candidate that decodes strictly is scored by how much of the
result is ordinary text — ASCII, CJK punctuation, and the most frequent Chinese characters of each
national standard (GB2312 level 1, Big5 常用字) — and the clear winner is taken. A wrong decoding of
Chinese lands mostly on rare characters, symbols or unassigned code points, so the ordinary share tells
the encodings apart without a dictionary. When no candidate reads as text, the refusal says so.
"""

from __future__ import annotations

import codecs

from ..errors import ReportFileError

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# (codec, how a clerk calls it); the legacy Chinese encodings last, so a Unicode reading wins ties
_CANDIDATES = (
    ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32"),
    ("gb18030", "GBK/GB18030"), ("big5", "Big5（繁体中文）"),
)
ENCODING_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                  "cp936": "gb18030", "big5-hkscs": "big5hkscs", "unicode": "utf-16"}
SAMPLE_BYTES = 64 * 1024  # scoring a sample is enough to tell encodings apart
MIN_SCORE = 0.85


class EncodingError(ReportFileError):
    pass


def decode_bytes(raw: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """``raw`` as text and the encoding's name; EncodingError (Chinese) when it is not text at all.

    ``declared`` is what the file itself claims (a web page's meta charset); it is used when it
    decodes the whole file, since pages often claim gb2312 for GBK text (GB18030 reads both).
    """
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), label
            except UnicodeDecodeError:
                raise EncodingError(f"「{name}」开头标明是 {label} 编码，但内容不是有效的 {label} 文字，"
                                    f"文件可能已损坏") from None
    if declared:
        codec = _codec(declared)
        if codec:
            try:
                return raw.decode(codec), declared.upper()
            except UnicodeDecodeError:
                pass  # the declaration is wrong: detect instead
    if b"\x00" not in raw:
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    sample = raw[:SAMPLE_BYTES]
    scored = []
    for codec, label in _CANDIDATES:
        text = _decode_prefix(sample, codec)
        if text is not None:
            scored.append((_ordinary_share(text, codec), codec, label))
    scored.sort(key=lambda s: -s[0])
    if scored and scored[0][0] >= MIN_SCORE:
        _, codec, label = scored[0]
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:4096]:
        raise EncodingError(f"「{name}」不是文本文件（含有二进制内容）")
    raise EncodingError(f"「{name}」的文字编码无法识别（已尝试 UTF-8、GBK/GB18030、UTF-16、UTF-32、Big5）；"
                        f"请用记事本或 WPS 另存为 UTF-8 编码后再打开")


def _codec(declared: str) -> str | None:
    name = ENCODING_NAMES.get(declared.strip().lower(), declared.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_prefix(sample: bytes, codec: str) -> str | None:
    """The sample decoded strictly, allowing only a character cut at its end."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _ordinary_share(text: str, codec: str) -> float:
    if not text:
        return 0.0
    ordinary = 0
    for c in text:
        if _is_ordinary(c, codec):
            ordinary += 1
    return ordinary / len(text)


def _is_ordinary(c: str, codec: str) -> bool:
    o = ord(c)
    if o < 0x80:
        return c.isprintable() or c in "\r\n\t"
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or o in (0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026):
        return True  # CJK and full-width punctuation, dashes and quotes
    if not 0x4E00 <= o <= 0x9FFF:
        return False
    return _frequent(c)


def _frequent(c: str) -> bool:
    """A character of the most frequent tier of either national standard."""
    try:
        lead = c.encode("gb2312")[0]
        if 0xB0 <= lead <= 0xD7:  # GB2312 level 1: the 3,755 most frequent simplified characters
            return True
    except UnicodeEncodeError:
        pass
    try:
        lead = c.encode("big5")[0]
        return 0xA4 <= lead <= 0xC6  # Big5 常用字: the 5,401 frequent traditional characters
    except UnicodeEncodeError:
        return False


def is_traditional(text: str) -> bool:
    """Whether text reads as traditional Chinese (a Big5 file): few of its characters exist in GB2312."""
    hanzi = [c for c in text[:5000] if "\u4e00" <= c <= "\u9fff"]
    if len(hanzi) < 20:
        return False
    outside = 0
    for c in hanzi:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside / len(hanzi) > 0.15

