"""Mutators: generic byte damage, zip structure damage, XML damage, hostile JSON values, hostile text.

Each takes ``(rng, data, others)`` and returns new bytes; none raises on any input (a mutator that
does not apply returns the data with a generic mutation instead). Hostile values are those that have
broken readers before: huge and deep values, figures beyond any bound, NaN, lone surrogates, control
characters, far-away cells, encrypted-flag zip entries.
"""

from __future__ import annotations

import io
import json
import random
import re
import struct
import warnings
import zipfile
from typing import Any, Sequence

# -- hostile values -------------------------------------------------------------------------------

HOSTILE_NUMBERS = ("1e309", "-1e309", "9" * 30, "9" * 5000, "-1", "-0", "NaN", "Infinity", "1E+999999999",
                   "1e-999999999", "0.1234567891234", "1000000001", "2147483648", "18446744073709551616",
                   "1.5", "0x1F", "１２３", "٣", "1,234,567", "3.0", "1e3", "")
HOSTILE_TEXTS = ("\ud800", "\udfff孤", "\x00", "\x01\x02\x1f", "\x0b\x0c", "\ufffe", "\u202e反向", "=HYPERLINK(\"x\")",
                 "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "<script>", "&amp;&lt;", "]]>", "\r\n\r", "一、总体情况",
                 "二、主动公开政府信息情况", "2025年政府信息公开工作年度报告", "表三", "　" * 50)


def hostile_number(rng: random.Random) -> str:
    return rng.choice(HOSTILE_NUMBERS)


def hostile_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return rng.choice(HOSTILE_TEXTS)
    if kind < 0.8:
        return rng.choice(HOSTILE_TEXTS) * rng.choice((10, 1000, 50_000))
    return "".join(chr(rng.choice((rng.randrange(0x20), rng.randrange(0xd800, 0xe000), rng.randrange(0x4e00, 0x9fff))))
                   for _ in range(rng.randrange(1, 200)))


def encode_loose(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


# -- generic bytes ----------------------------------------------------------------------------------


def flip_bits(rng, data, others):
    if not data:
        return b"\xff"
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 8, 32))):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_bytes(rng, data, others):
    if not data:
        return b"\x00"
    out = bytearray(data)
    for _ in range(rng.randrange(1, 9)):
        out[rng.randrange(len(out))] = rng.choice((0, 0xFF, 0x7F, 0x80, ord('"'), ord("<"), ord("{"), ord("\\"),
                                                   ord("\n"), rng.randrange(256)))
    return bytes(out)


def truncate(rng, data, others):
    if len(data) < 2:
        return b""
    cut = rng.choice((rng.randrange(len(data)), len(data) - rng.randrange(1, min(len(data), 64) + 1), rng.randrange(64)))
    return data[:max(cut, 0)]


def delete_range(rng, data, others):
    if len(data) < 2:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randrange(1, min(len(data) - i, 4096) + 1):]


def insert_random(rng, data, others):
    i = rng.randrange(len(data) + 1)
    blob = bytes(rng.randrange(256) for _ in range(rng.choice((1, 4, 64, 1024))))
    return data[:i] + blob + data[i:]


def duplicate_range(rng, data, others):
    """A chunk repeated many times: repeated phrases, blown-up sizes (up to a few MB)."""
    if not data:
        return data
    i = rng.randrange(len(data))
    chunk = data[i:i + rng.choice((1, 8, 64, 512, 4096))]
    times = rng.choice((2, 10, 100, 1000, 10_000))
    times = min(times, max(1, 4_000_000 // max(len(chunk), 1)))
    return data[:i] + chunk * times + data[i:]


def zero_tail(rng, data, others):
    """The end of the file replaced by zero bytes, as a power cut leaves it on some file systems."""
    if not data:
        return b"\0" * 4096
    i = rng.randrange(len(data))
    return data[:i] + b"\0" * (len(data) - i)


def splice(rng, data, others):
    other = rng.choice(others) if others else data
    if not data or not other:
        return data + other
    return data[:rng.randrange(len(data))] + other[rng.randrange(len(other)):]


def empty(rng, data, others):
    return rng.choice((b"", b" ", b"\n", b"\xef\xbb\xbf", b"PK\x03\x04", b"{}", b"[]", b"\0"))


GENERIC = (
    ("flip_bits", flip_bits, 4.0), ("set_bytes", set_bytes, 2.0), ("truncate", truncate, 2.0),
    ("delete_range", delete_range, 1.0), ("insert_random", insert_random, 1.0),
    ("duplicate_range", duplicate_range, 1.0), ("zero_tail", zero_tail, 0.5), ("splice", splice, 1.0),
    ("empty", empty, 0.2),
)


# -- XML (inside a zip member, or a whole file) ---------------------------------------------------

_TEXT_NODE = re.compile(rb">([^<>]{1,200})<")
_NUMBER_NODE = re.compile(rb"(<(?:v|w:t|t)(?: [^>]*)?>)(-?\d[\d.Ee+-]*)(</)")
_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)(?: [^<>]*)?>(?:[^<]*)</\1>")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"')


def _sub_one(rng, pattern, data, repl) -> bytes:
    matches = list(pattern.finditer(data[:2_000_000]))
    if not matches:
        return flip_bits(rng, data, ())
    m = rng.choice(matches)
    return data[:m.start()] + repl(m) + data[m.end():]


def xml_deep(rng, data, others):
    depth = rng.choice((100, 1000, 10_000, 100_000))
    tag = rng.choice((b"w:r", b"x", b"w:p", b"c", b"a:b"))
    deep = b"<" + tag + b">" * 1 + (b"<" + tag + b">") * (depth - 1) + (b"</" + tag + b">") * depth
    i = data.find(b"</", rng.randrange(max(len(data), 1)))
    i = i if i >= 0 else len(data)
    return data[:i] + deep + data[i:]


def xml_huge_text(rng, data, others):
    size = rng.choice((10_000, 300_000, 3_000_000))
    filler = rng.choice((b"\xe5\xad\x97", b"A", b" ", b"\n", b"&#x4e00;", b"1"))
    return _sub_one(rng, _TEXT_NODE, data, lambda m: b">" + filler * (size // len(filler)) + b"<")


def xml_control_chars(rng, data, others):
    bad = rng.choice((b"\x01", b"\x00", b"\x0b", b"&#1;", b"&#x0;", b"&#xD800;", b"\xed\xa0\x80", b"\xff\xfe",
                      b"&#xFFFE;", b"\x1f\x1e"))
    return _sub_one(rng, _TEXT_NODE, data, lambda m: b">" + m.group(1)[:3] + bad + m.group(1)[3:] + b"<")


def xml_hostile_number(rng, data, others):
    value = hostile_number(rng).encode()
    return _sub_one(rng, _NUMBER_NODE, data, lambda m: m.group(1) + value + m.group(3))


def xml_hostile_text(rng, data, others):
    value = hostile_text(rng).encode("utf-8", "surrogatepass")
    value = value.replace(b"<", b"&lt;").replace(b"&", b"&amp;") if rng.random() < 0.5 else value
    return _sub_one(rng, _TEXT_NODE, data, lambda m: b">" + value + b"<")


def xml_far_cell(rng, data, others):
    col = rng.choice((b"XFD", b"ZZZ", b"AAA", b"A", b"IV"))
    row = str(rng.choice((1048576, 1048577, 99999999, 65536, 5000, 2001))).encode()
    if rng.random() < 0.4 and _DIMENSION.search(data):
        return _DIMENSION.sub(b'<dimension ref="A1:' + col + row + b'"', data, count=1)
    return _sub_one(rng, _CELL_REF, data, lambda m: b'r="' + col + row + b'"')


def xml_entity(rng, data, others):
    decl = rng.choice((b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
                       b'<!DOCTYPE x SYSTEM "file:///etc/passwd">', b'<!ENTITY x SYSTEM "http://example.invalid/">'))
    i = data.find(b"?>")
    i = i + 2 if i >= 0 else 0
    return data[:i] + decl + data[i:]


def xml_break_tag(rng, data, others):
    """A closing tag dropped, an element deleted, or an element repeated many times."""
    matches = list(_ELEMENT.finditer(data[:2_000_000]))
    if not matches:
        return truncate(rng, data, ())
    m = rng.choice(matches)
    choice = rng.random()
    if choice < 0.3:
        close = data.find(b"</", m.start() + 1)
        return data[:close] + data[data.find(b">", close) + 1:] if close > 0 else data
    if choice < 0.6:
        return data[:m.start()] + data[m.end():]
    times = rng.choice((10, 200, 5000))
    return data[:m.end()] + m.group(0) * times + data[m.end():]


def xml_attribute(rng, data, others):
    """An attribute value made hostile: huge, negative, out of range (shared string indexes, spans, styles)."""
    attrs = list(re.finditer(rb' ([\w:]+)="([^"]{0,40})"', data[:2_000_000]))
    if not attrs:
        return flip_bits(rng, data, ())
    m = rng.choice(attrs)
    value = rng.choice((b"-1", b"999999999", b"9" * 40, b"", b"NaN", b"1e309", b"\xe5\xad\x97", b"s", b"inlineStr",
                        b"b", b"e", b"n", b"str", b"1048577", b"0"))
    return data[:m.start(2)] + value + data[m.end(2):]


XML = (
    ("xml_deep", xml_deep, 1.0), ("xml_huge_text", xml_huge_text, 1.0), ("xml_control_chars", xml_control_chars, 1.5),
    ("xml_hostile_number", xml_hostile_number, 2.0), ("xml_hostile_text", xml_hostile_text, 1.5),
    ("xml_far_cell", xml_far_cell, 1.0), ("xml_entity", xml_entity, 0.3), ("xml_break_tag", xml_break_tag, 1.5),
    ("xml_attribute", xml_attribute, 1.5),
)


# -- zip containers -------------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [(i, z.read(i)) for i in z.infolist()]
    except Exception:  # noqa: BLE001 — an input already damaged past reading: use a byte mutator
        return None


def _rezip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # duplicates are one of the damages made
    with zipfile.ZipFile(out, "w", method) as z:
        for name, content in members:
            z.writestr(name, content)
    return out.getvalue()


def zip_member(xml_mutators=XML):
    """Damage one member (an XML part mostly) with an XML or byte mutator; the zip itself stays valid."""
    def mutate(rng, data, others):
        members = _members(data)
        if not members:
            return flip_bits(rng, data, others)
        xml = [k for k, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
        k = rng.choice(xml) if xml and rng.random() < 0.9 else rng.randrange(len(members))
        name, content = members[k][0].filename, members[k][1]
        if rng.random() < 0.7:
            _, fn, _ = rng.choices(xml_mutators, weights=[w for *_, w in xml_mutators])[0]
        else:
            _, fn, _ = rng.choices(GENERIC, weights=[w for *_, w in GENERIC])[0]
        new = fn(rng, content, ())
        return _rezip([(i.filename, new if j == k else c) for j, (i, c) in enumerate(members)])
    return mutate


def zip_structure(rng, data, others):
    """The zip's own records: encrypted flag, compression method, CRC, sizes, names, counts, bombs."""
    members = _members(data)
    if not members:
        return flip_bits(rng, data, others)
    what = rng.randrange(9)
    if what == 0:  # drop a member (often the one the format requires)
        drop = rng.randrange(len(members))
        return _rezip([(i.filename, c) for j, (i, c) in enumerate(members) if j != drop])
    if what == 1:  # the same name twice
        i, c = rng.choice(members)
        return _rezip([(m.filename, d) for m, d in members] + [(i.filename, flip_bits(rng, c, ()))])
    if what == 2:  # thousands of members
        extra = [(f"xl/junk{n}.xml" if n % 2 else f"word/junk{n}.xml", b"<a/>") for n in range(rng.choice((500, 3001)))]
        return _rezip([(m.filename, d) for m, d in members] + extra)
    if what == 3:  # a member that expands enormously (zip bomb)
        target = rng.choice(members)[0].filename
        bomb = b"<a>" + b"0" * rng.choice((5_000_000, 60_000_000)) + b"</a>"
        return _rezip([(m.filename, bomb if m.filename == target else d) for m, d in members])
    if what == 4:  # stored instead of deflated, or bzip2 / lzma
        method = rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA))
        return _rezip([(m.filename, d) for m, d in members], method)
    if what == 5:  # member names: unicode, traversal, case
        renamed = [(rng.choice(("../" + m.filename, m.filename.upper(), m.filename + "\x00", "/" + m.filename,
                                m.filename.replace("/", "\\"))) if rng.random() < 0.3 else m.filename, d)
                   for m, d in members]
        return _rezip(renamed)
    # Raw header edits on the rezipped bytes: flags, method, CRC, sizes in local and central records.
    raw = bytearray(_rezip([(m.filename, d) for m, d in members]))
    local = [m.start() for m in re.finditer(rb"PK\x03\x04", raw)]
    central = [m.start() for m in re.finditer(rb"PK\x01\x02", raw)]
    if what == 6:  # general-purpose flag: encrypted (bit 0), strong encryption (bit 6), data descriptor (bit 3)
        bit = rng.choice((0x1, 0x40, 0x8, 0x1 | 0x40, 0x800))
        for pos in rng.sample(local, k=max(1, len(local) // rng.choice((1, 3)))):
            struct.pack_into("<H", raw, pos + 6, struct.unpack_from("<H", raw, pos + 6)[0] | bit)
        for pos in central:
            if rng.random() < 0.7:
                struct.pack_into("<H", raw, pos + 8, struct.unpack_from("<H", raw, pos + 8)[0] | bit)
        return bytes(raw)
    if what == 7:  # compression method: unknown (99 = AES), implode (6), or stored over deflated data
        method = rng.choice((99, 6, 0, 12, 14, 97, 65535))
        for pos in central:
            if rng.random() < 0.5:
                struct.pack_into("<H", raw, pos + 10, method)
        for pos in local:
            if rng.random() < 0.5:
                struct.pack_into("<H", raw, pos + 8, method)
        return bytes(raw)
    # what == 8: CRC and sizes lie
    for pos in central:
        if rng.random() < 0.5:
            field = rng.choice((16, 20, 24))  # crc, compressed size, uncompressed size
            struct.pack_into("<I", raw, pos + field, rng.choice((0, 0xFFFFFFFF, rng.randrange(1 << 32))))
    return bytes(raw)


def zip_tail(rng, data, others):
    """The zip cut or extended at its end (a download that stopped, garbage appended)."""
    if rng.random() < 0.5:
        return data[:len(data) - rng.randrange(1, min(len(data), 200) + 1)] if data else data
    return data + bytes(rng.randrange(256) for _ in range(rng.choice((1, 22, 100, 5000))))


ZIP = (("zip_member", zip_member(), 6.0), ("zip_structure", zip_structure, 2.0), ("zip_tail", zip_tail, 0.5))


# -- JSON -----------------------------------------------------------------------------------------

_RAW = "\u0000RAW{}\u0000"  # a placeholder a hostile raw token (NaN, 1e309, 5000 digits) replaces after dumping


def _paths(node: Any, path=()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:50]):
            out += _paths(v, path + (i,))
    return out


def _set(root: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    node = root
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return root


def _deep(rng) -> Any:
    depth = rng.choice((40, 500, 990, 2000, 100_000))
    node: Any = rng.choice(([], {}, "x", 1))
    for _ in range(min(depth, 990)):
        node = [node] if rng.random() < 0.5 else {"a": node}
    return node if depth <= 990 else _RAW.format(("[" * depth) + ("]" * depth))


def hostile_json_value(rng, depth: int = 0) -> Any:
    if depth >= 2:  # items of a long list: small values only, so making the input stays cheap
        return rng.choice((hostile_number(rng), rng.choice(HOSTILE_TEXTS), None, -1, 10**9 + 1, [], {}))
    kind = rng.randrange(12)
    if kind == 0:
        return _deep(rng)
    if kind == 1:
        return _RAW.format(hostile_number(rng) or "1e309")
    if kind == 2:
        return hostile_number(rng)
    if kind == 3:
        return hostile_text(rng)
    if kind == 4:
        return rng.choice((None, True, False, 0, -1, 10**9 + 1, 1.5, [], {}, [1, 2], {"x": 1}))
    if kind == 5:
        return {rng.choice(("table", "row", "column", "field", "part", "start", "end", "x")):
                rng.choice(("table9", "table3", "nonsense", "new", "natural", "overview", "meta", 5, -1, None, [1]))
                for _ in range(rng.randrange(1, 5))}
    if kind == 6:
        return [hostile_json_value(rng, 2) for _ in range(rng.choice((2, 100, 30_000)))] \
            if rng.random() < 0.3 else [{"text": hostile_text(rng), "location": hostile_json_value(rng, depth + 1)}]
    if kind == 7:
        return "字" * rng.choice((200_001, 1_000_000))
    if kind == 8:
        return _RAW.format(rng.choice(("NaN", "Infinity", "-Infinity", "1E400", "-0.0", "1" * 4500, "9" * 100_000)))
    if kind == 9:
        return {hostile_text(rng)[:50] or "x": hostile_json_value(rng, depth + 1) if rng.random() < 0.3 else 1}
    if kind == 10:
        return rng.choice(("2025-13-45", "9999-12-31T99:99", "1900-01-01", "", "昨天", "2025-02-29"))
    return rng.choice(("error", "warning", "info", "错误", "fatal", "", "IMPORT-UNREAD"))


def json_value(rng, data, others):
    """One node of the document (any depth) replaced by a hostile value."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return flip_bits(rng, data, others)
    paths = _paths(doc)
    path = rng.choice(paths[1:] or paths)
    raws: list[str] = []
    value = hostile_json_value(rng)

    def placeholder(v):
        if isinstance(v, str) and v.startswith("\u0000RAW") and v.endswith("\u0000"):
            raws.append(v[4:-1])
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(v, list):
            return [placeholder(x) for x in v]
        if isinstance(v, dict):
            return {k: placeholder(x) for k, x in v.items()}
        return v

    try:
        doc = _set(doc, path, placeholder(value))
        text = json.dumps(doc, ensure_ascii=rng.random() < 0.5, indent=rng.choice((None, 1)))
    except (TypeError, KeyError, IndexError, RecursionError, ValueError):
        return flip_bits(rng, data, others)
    if raws:  # one pass: a list of 30,000 raw tokens must not mean 30,000 passes over the text
        text = re.sub(r'"@@RAW(\d+)@@"', lambda m: raws[int(m.group(1))], text)
    return encode_loose(text)


def json_add_key(rng, data, others):
    """An unknown key, or a known key in the wrong place, added to some object."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return flip_bits(rng, data, others)
    objects = [p for p in _paths(doc) if isinstance(_get(doc, p), dict)]
    target = _get(doc, rng.choice(objects)) if objects else None
    if target is None:
        return data
    key = rng.choice(("table9", "nonsense", "natural", "total", "new", "meta", "texts", "comments", "format",
                      "schema", "report", hostile_text(rng)[:40] or "k"))
    target[key] = rng.choice((1, "x", None, {}, [], {"natural": 1}))
    try:
        return encode_loose(json.dumps(doc, ensure_ascii=False))
    except (ValueError, RecursionError):
        return data


def _get(root, path):
    node = root
    for k in path:
        node = node[k]
    return node


def json_text(rng, data, others):
    """Damage of the JSON text itself: a raw token in place of a value, a bracket lost, a string opened."""
    text = data.decode("utf-8", "surrogateescape")
    numbers = list(re.finditer(r"(?<=[:\[,] )-?\d+(?:\.\d+)?|(?<=[:\[,])-?\d+(?:\.\d+)?", text))
    choice = rng.random()
    if numbers and choice < 0.5:
        m = rng.choice(numbers)
        token = rng.choice(("NaN", "Infinity", "-Infinity", "1e309", "9" * 30, "9" * 5000, "1E+999999999", "-5",
                            "1e-999999999", "0.0000001", "00012", "1_000"))
        text = text[:m.start()] + token + text[m.end():]
    elif choice < 0.7:
        brackets = [m.start() for m in re.finditer(r"[\[\]{}\",:]", text)]
        if brackets:
            i = rng.choice(brackets)
            text = text[:i] + text[i + 1:]
    elif choice < 0.85:
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(('"\\ud800"', '"\\u0000"', "\\", '"', "\\uZZZZ", "\u2028", "\ufeff")) + text[i:]
    else:
        text = rng.choice(("\ufeff", "\ufeff\ufeff", " " * 1000, "\n" * 10)) + text
    return text.encode("utf-8", "surrogateescape")


JSON = (("json_value", json_value, 6.0), ("json_add_key", json_add_key, 1.5), ("json_text", json_text, 2.0))


# -- plain text -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", "replace")


def text_repeat_lines(rng, data, others):
    """Title-like and heading lines repeated many times (up to about 1–4 MB): backtracking patterns meet these."""
    lines = _decode(data).splitlines()
    if not lines:
        return data
    picks = [ln for ln in lines if re.search(r"年度报告|^[一二三四五六]、|^（[一二三四五]）|表", ln)] or lines
    line = rng.choice(picks)
    times = rng.choice((100, 2000, 20_000, 60_000))
    times = min(times, 4_000_000 // max(len(line.encode()), 1))
    at = rng.randrange(len(lines) + 1)
    sep = rng.choice(("\n", "", " ", "\r"))
    out = lines[:at] + [sep.join([line] * times)] + lines[at:]
    return "\n".join(out).encode("utf-8")


def text_whitespace(rng, data, others):
    text = _decode(data)
    i = rng.randrange(len(text) + 1)
    run = rng.choice((" ", "\t", "　", "\n", " \n", "\u00a0", "\u200b")) * rng.choice((1000, 8000, 16_000, 200_000))
    return (text[:i] + "\n" + run + text[i:]).encode("utf-8")


def text_hostile_figure(rng, data, others):
    text = _decode(data)
    numbers = list(re.finditer(r"\d+", text))
    if not numbers:
        return flip_bits(rng, data, others)
    chosen = rng.sample(numbers, k=min(len(numbers), rng.choice((1, 1, 3, 20))))
    for m in sorted(chosen, key=lambda m: -m.start()):  # from the end, so earlier offsets stay valid
        text = text[:m.start()] + rng.choice(HOSTILE_NUMBERS + ("9" * 100_000,)) + text[m.end():]
    return text.encode("utf-8")


def text_hostile_chars(rng, data, others):
    text = _decode(data)
    i = rng.randrange(len(text) + 1)
    return encode_loose(text[:i] + hostile_text(rng) + text[i:])


def text_encoding(rng, data, others):
    text = _decode(data)
    enc = rng.choice(("gbk", "gb18030", "big5", "utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-32-le",
                      "utf-8-sig", "latin-1", "cp1252", "shift_jis"))
    return text.encode(enc, "replace") if enc not in ("gbk", "big5", "latin-1", "cp1252", "shift_jis") \
        else text.encode(enc, "ignore")


def text_lines(rng, data, others):
    """Lines shuffled, dropped or duplicated; line ends changed."""
    lines = _decode(data).splitlines()
    if len(lines) < 2:
        return data
    what = rng.randrange(4)
    if what == 0:
        i = rng.randrange(len(lines))
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif what == 1:
        del lines[rng.randrange(len(lines)):][: rng.randrange(1, 40)]
    elif what == 2:
        i = rng.randrange(len(lines))
        lines[i:i] = lines[i:i + rng.randrange(1, 60)] * rng.choice((2, 5))
    else:
        return rng.choice(("\r", "\r\n", "\u2028", "\x0b")).join(lines).encode("utf-8")
    return "\n".join(lines).encode("utf-8")


def text_long_line(rng, data, others):
    text = _decode(data).replace("\n", rng.choice(("", " ", "\t")))
    return (text * rng.choice((1, 5, 40)))[:4_000_000].encode("utf-8")


TEXT = (
    ("text_repeat_lines", text_repeat_lines, 2.0), ("text_whitespace", text_whitespace, 1.5),
    ("text_hostile_figure", text_hostile_figure, 2.5), ("text_hostile_chars", text_hostile_chars, 1.5),
    ("text_encoding", text_encoding, 1.5), ("text_lines", text_lines, 2.0), ("text_long_line", text_long_line, 0.5),
)


# -- PDF ------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"<<(?:[^<>]|<<(?:[^<>]|<<[^<>]*>>)*>>)*>>\s*stream\r?\n", re.S)
_PDF_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_PDF_ABSURD = (b"0", b"-1", b"2147483648", b"-2147483649", b"1000000000000", b"1e30", b"99999999999999999999",
               b"0.0000001", b"-0", b"3.4e38", b"NaN")


def reverse_range(rng, data, others):
    """A chunk reversed in place (objects and records out of order)."""
    if len(data) < 2:
        return data
    i, j = sorted(rng.randrange(len(data)) for _ in range(2))
    j = min(j, i + 20_000)
    return data[:i] + data[i:j][::-1] + data[j:]


def pdf_numbers(rng, data, others):
    """Absurd numbers in object dictionaries: lengths, counts, page boxes, offsets, object references."""
    rate = rng.choice((0.001, 0.01, 0.05))
    head = data[:3_000_000]
    return _PDF_NUMBER.sub(lambda m: rng.choice(_PDF_ABSURD) if rng.random() < rate else m.group(), head) + data[3_000_000:]


def _content_attack(rng, content: bytes) -> bytes:
    """A content stream (page drawing, font program, ToUnicode map) made hostile."""
    what = rng.randrange(8)
    if what == 0:  # absurd coordinates and sizes
        return _PDF_NUMBER.sub(lambda m: rng.choice(_PDF_ABSURD) if rng.random() < 0.05 else m.group(), content)
    if what == 1:  # a flood of tiny drawn boxes (ruling lines a table reader looks at)
        return content + b"\n" + b"0 0 0.1 0.1 re f\n" * rng.choice((1000, 60_000, 300_000))
    if what == 2:  # deep graphics-state nesting
        depth = rng.choice((100, 10_000, 200_000))
        return b"q\n" * depth + content + b"\nQ" * depth
    if what == 3:  # a flood of text runs, every one at the same place or spread wide
        spread = rng.choice((0, 1, 1000))
        runs = b"".join(b"BT /F1 12 Tf %d %d Td (1) Tj ET\n" % (i * spread % 600, i * spread % 800)
                        for i in range(rng.choice((100, 5000, 70_000))))
        return content + b"\n" + runs
    if what == 4:  # a huge text string
        return content + b"\nBT /F1 1 Tf 10 10 Td (" + b"9" * rng.choice((10_000, 1_000_000)) + b") Tj ET"
    if what == 5:  # operators cut, repeated or shuffled
        lines = content.split(b"\n")
        if rng.random() < 0.5:
            rng.shuffle(lines)
        else:
            lines = lines * rng.choice((2, 20))
        return b"\n".join(lines)[:8_000_000]
    if what == 6:  # a ToUnicode-style map sending glyphs to hostile code points
        target = rng.choice((b"D800", b"0000", b"FFFE", b"000B", b"202E", b"FFFF"))
        return re.sub(rb"<([0-9A-Fa-f]{4})>", lambda m: b"<" + target + b">" if rng.random() < 0.3 else m.group(), content)
    return flip_bits(rng, content, ())


def pdf_stream(rng, data, others):
    """One stream decompressed, made hostile and written back whole (compressed again, /Length direct), so the
    damage reaches the page content and fonts instead of failing at decompression."""
    import zlib

    streams = list(_STREAM.finditer(data[:8_000_000]))
    if not streams:
        return pdf_numbers(rng, data, others)
    m = rng.choice(streams)
    end = data.find(b"endstream", m.end())
    if end < 0:
        return pdf_numbers(rng, data, others)
    body = data[m.end():end].rstrip(b"\r\n")
    flate = b"FlateDecode" in m.group(0)
    try:
        content = zlib.decompressobj().decompress(body, 20_000_000) if flate else body
    except zlib.error:
        return flip_bits(rng, data, others)
    new = _content_attack(rng, content)
    packed = zlib.compress(new, 6) if flate else new
    header = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length %d" % len(packed), m.group(0), count=1)
    return data[:m.start()] + header + packed + b"\n" + data[end:]


def pdf_structure(rng, data, others):
    """The document's skeleton: cross-reference table, trailer, page tree, object headers."""
    what = rng.randrange(6)
    if what == 0:  # no cross-reference table (the reader must rebuild it)
        i = data.rfind(b"xref")
        return data[:i] + data[i + 4:] if i >= 0 else data
    if what == 1:  # startxref pointing anywhere
        return re.sub(rb"startxref\s+\d+", b"startxref %d" % rng.choice((0, 1, 10**9, len(data) // 2)), data)
    if what == 2:  # a page tree that loops or lies about its size
        if rng.random() < 0.5:
            return re.sub(rb"/Count\s+\d+", b"/Count %d" % rng.choice((0, 1000, 10**7, 2**31 - 1)), data)
        return re.sub(rb"/Parent\s+\d+\s+0\s+R", lambda m: b"/Kids [" + m.group()[8:] + b"]", data, count=1)
    if what == 3:  # object headers renumbered
        return re.sub(rb"(?m)^(\d+) 0 obj", lambda m: b"%d 0 obj" % rng.choice((1, 2, 999999, int(m.group(1)) + 1))
                      if rng.random() < 0.1 else m.group(), data)
    if what == 4:  # an encryption dictionary where none belongs
        return data.replace(b"trailer\n<<", b"trailer\n<</Encrypt << /Filter /Standard /V 5 /R 6 >> ", 1)
    return data.replace(b"%%EOF", b"", rng.randrange(1, 3))  # the end marker gone


PDF = (("pdf_stream", pdf_stream, 5.0), ("pdf_numbers", pdf_numbers, 1.5), ("pdf_structure", pdf_structure, 1.5),
       ("reverse_range", reverse_range, 0.5))


# -- HTML -----------------------------------------------------------------------------------------

_HTML_ATTACKS = (
    lambda rng: b"<div>" * rng.choice((500, 5000, 100_000)),
    lambda rng: b'<td rowspan="99999999" colspan="99999999">0</td>' * rng.choice((1, 200)),
    lambda rng: b"<table><tr>" * rng.choice((100, 2000)),
    lambda rng: b"<tr>" + b"<td>1</td>" * rng.choice((1000, 20_000)) + b"</tr>",
    lambda rng: b"<meta charset=" + rng.choice((b"utf-32", b"utf-16", b"big5", b"x-nonsense", b"gbk", b"utf-7")) + b">",
    lambda rng: b"&#x" + b"9" * rng.choice((8, 50)) + b";" + b"&#0;&#xD800;&#1114112;",
    lambda rng: "一、总体情况".encode() * rng.choice((300, 3000)),
    lambda rng: b"<!--" * rng.choice((1, 100)),
    lambda rng: b"<script>" + b"x" * 100_000,
    lambda rng: b"<br>" * rng.choice((1000, 100_000)),
    lambda rng: b"<p>" + "表三".encode() + b"</p>" + b"<table><tr><td>" + "（一）予以公开".encode() + b"</td>"
    + b"<td>" + rng.choice(HOSTILE_NUMBERS).encode() + b"</td></tr></table>",
)
_SPAN = re.compile(rb'(rowspan|colspan)\s*=\s*"?(\d+)"?', re.I)
_TAG_START = re.compile(rb"<(?:td|th|tr|table|p|div|span)\b[^>]*>", re.I)


def html_markup(rng, data, others):
    """Markup that has hurt HTML readers: deep nesting, absurd spans, charset lies, broken entities."""
    attack = rng.choice(_HTML_ATTACKS)(rng)
    starts = [m.start() for m in _TAG_START.finditer(data[:4_000_000])]
    i = rng.choice(starts) if starts and rng.random() < 0.8 else rng.randrange(len(data) + 1)
    return data[:i] + attack + data[i:]


def html_spans(rng, data, others):
    """The table's own rowspan/colspan values made absurd, or spans added to plain cells."""
    if _SPAN.search(data) and rng.random() < 0.6:
        value = rng.choice((b"0", b"-1", b"1000", b"99999999", b"1e9", b"", b"x"))
        return _SPAN.sub(lambda m: m.group(1) + b'="' + value + b'"' if rng.random() < 0.3 else m.group(), data)
    return re.sub(rb"<td(?=[\s>])", lambda m: b'<td rowspan="%d"' % rng.choice((2, 50, 10**6))
                  if rng.random() < 0.05 else m.group(), data)


HTML = (("html_markup", html_markup, 4.0), ("html_spans", html_spans, 2.0), ("reverse_range", reverse_range, 0.3))


def weighted(*groups: Sequence[tuple], scale: Sequence[float] | None = None) -> tuple:
    """Mutator groups joined, each group's weights multiplied by its scale."""
    out = []
    for k, group in enumerate(groups):
        factor = scale[k] if scale else 1.0
        out += [(name, fn, w * factor) for name, fn, w in group]
    return tuple(out)
