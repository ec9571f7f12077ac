"""Read a report from plain text copied out of a web page or a PDF.

What such text looks like: headings with or without ``#``, tables whose cells are separated by tabs or
runs of spaces, labels wrapped over two lines, header rows broken apart, figures of one row spilling
onto the next line, running page headers and page numbers between rows. Everything that cannot be
read is recorded as a note with its line number; nothing unreadable becomes 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L
from .errors import ReportFileError
from .importing import (ReportBuilder, RowMatcher, infer_kind_level, match_part_heading, match_topic_heading,
                        parse_title, row_width)
from .model import Report
from .normalize import fold, is_figure_token, key

MAX_TEXT_BYTES = 5 * 1024 * 1024
_PAGE_MARK = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_OLD_FORMAT = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "第二十条第（九）项", "采购项目数量")


class TextImportError(ReportFileError):
    pass


def read_text_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_TEXT_BYTES else None
    except OSError as e:
        raise TextImportError(f"无法读取「{path.name}」：{e.strerror or e}") from e
    if raw is None:
        raise TextImportError(f"「{path.name}」超过 {MAX_TEXT_BYTES // 1024 // 1024} MB，不是年度报告的文字稿")
    return import_text(decode(raw, path.name), path.name)


def decode(raw: bytes, name: str) -> str:
    """Text as saved by Notepad, WPS or a browser: UTF-8 (with or without BOM), UTF-16 or GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise TextImportError(f"「{name}」不是文本文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TextImportError(f"「{name}」的文字编码无法识别（应为 UTF-8 或 GBK）")


def import_text(text: str, source: str = "") -> Report:
    builder = ReportBuilder(source=source, source_format="text")
    sections = _split_parts(builder, text)
    _read_meta(builder, sections)
    _read_overview(builder, sections.get("front", []) + sections.get("overview", []))
    for table in L.TABLES:
        _TableReader(builder, table).read(sections.get(table.part, []))
    for part in ("problems", "other"):
        for _, line in sections.get(part, []):
            builder.add_text(part, _strip_marks(line))
    return builder.build()


Lines = list[tuple[int, str]]


def _split_parts(builder: ReportBuilder, text: str) -> dict[str, Lines]:
    sections: dict[str, Lines] = {"front": []}
    current, index = "front", -1
    for number, raw in enumerate(text.splitlines(), 1):
        line = fold(raw).rstrip()
        if not line.strip() or _PAGE_MARK.match(line):
            continue
        title = parse_title(line)
        if title and index < 0 and "title" not in builder.meta:
            builder.meta["title"] = line.strip(" #")
            builder.meta["organ"], builder.meta["year"] = title
            continue
        if title and "title" in builder.meta:
            continue  # a running page header repeating the title
        heading = match_part_heading(line, index)
        if heading:
            current, index = heading.part.key, L.PARTS.index(heading.part)
            sections[current] = []
            if not heading.exact:
                builder.label_differs(f"原文第 {number} 行：{heading.part.short}标题为「{heading.text}」，"
                                      f"官方格式为「{heading.part.heading}」", part=current)
            continue
        sections[current].append((number, line))
    return sections


def _read_meta(builder: ReportBuilder, sections: dict[str, Lines]) -> None:
    meta = builder.meta
    title = meta.pop("title", None)
    if title is None:
        builder.unread("未找到报告标题（如「××局2024年政府信息公开工作年度报告」），机关名称和年度请在「基本信息」中填写",
                       part="overview")
        years = re.findall(r"(\d{4})\s*年\s*1\s*月\s*1\s*日", "\n".join(l for _, l in sections.get("front", []) +
                                                                    sections.get("overview", [])))
        if years:
            meta["year"] = int(years[0])
        meta["organ"] = ""
        return
    organ = meta["organ"]
    if key(title) != key(f"{organ}{meta['year']}年{L.TITLE_SUFFIX}"):
        meta["title"] = title
    if organ:
        kind, level = infer_kind_level(organ)
        meta["kind"], meta["level"] = kind, level
        builder.assumed(f"根据机关名称「{organ}」推定机关类别为「{kind.value}」、行政层级为「{level.value}」，"
                        f"请在「基本信息」中核对", part="overview")


def _strip_marks(line: str) -> str:
    return line.strip().lstrip("#").strip()


def _read_overview(builder: ReportBuilder, lines: Lines) -> None:
    current = "overview"
    for number, line in lines:
        topic = match_topic_heading(line)
        if topic is not None:
            topic_key, heading, body = topic
            if topic_key is not None:
                current = "overview." + topic_key
                if builder.texts.get(current):
                    builder.assumed(f"原文第 {number} 行：小标题「{heading}」与前文同属「{L.TOPIC_BY_KEY[topic_key].label}」"
                                    f"方面，已合并", part="overview", field=current)
                builder.add_text(current, body)
                continue
            builder.assumed(f"原文第 {number} 行：小标题「{heading}」不属于总体情况的五个方面，已并入上一方面的文字",
                            part="overview", field=current)
        builder.add_text(current, _strip_marks(line))


# -- tables -------------------------------------------------------------------------------------


def split_figures(line: str) -> tuple[list[str], list[str | None]]:
    """The label words of a table line and its trailing figures (None for an empty cell between figures)."""
    tokens: list[str] = []
    for cell in line.split("\t"):
        words = cell.split()
        tokens += words if words else [""]
    while tokens and tokens[-1] == "":
        tokens.pop()
    i = len(tokens)
    while i > 0 and (tokens[i - 1] == "" or is_figure_token(tokens[i - 1])):
        i -= 1
    figures = tokens[i:]
    while figures and figures[0] == "":
        figures.pop(0)  # empty cells under a merged label, not blank figures
    label = [t for t in tokens[:i] if t]
    return label, [t if t else None for t in figures]


@dataclass
class _Pending:
    row: str
    figures: list
    where: str
    exact: bool


@dataclass
class _TableReader:
    builder: ReportBuilder
    table: L.TableLayout
    labels: list[str] = field(default_factory=list)
    pending: _Pending | None = None

    def read(self, lines: Lines) -> None:
        if self.table.key == "table4":
            return self._read_table4(lines)
        matcher = RowMatcher(self.table)
        for number, line in lines:
            words, figures = split_figures(line)
            label = "".join(words)
            if self._old_format(number, label):
                continue
            if not figures:
                if _is_sentence(label) and not matcher.match(label):
                    self.builder.add_text(self.table.part, _strip_marks(line))
                    continue
                self.labels.append(label)
                continue
            if not label:
                if self.pending:
                    self.pending.figures += figures
                    self._commit_if_complete()
                    continue
                label = "".join(self.labels)
            self._flush()
            where = f"原文第 {number} 行"
            match = matcher.match("".join(self.labels) + label) or matcher.match(label) or matcher.match_start(label)
            self.labels = []
            if match is None:
                self.builder.unread(f"{where}「{' '.join(words)[:40]}」有数字，但无法对应到{self.table.name}的任何一行，"
                                    f"未导入", part=self.table.part, table=self.table.key)
                continue
            if not match.exact:
                official = self.table.row_by_key[match.row].label
                self.builder.label_differs(f"{where}：{self.table.name}行标签「{label}」与官方格式「{official}」不一致",
                                           part=self.table.part, table=self.table.key, row=match.row)
            self.pending = _Pending(match.row, list(figures), where, match.exact)
            self._commit_if_complete()
        self._flush()

    def _commit_if_complete(self) -> None:
        p = self.pending
        if p and len(p.figures) >= len(row_width(self.table, p.row)):
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            p, self.pending = self.pending, None
            self.builder.set_row(self.table, p.row, p.figures, p.where)

    def _old_format(self, number: int, label: str) -> bool:
        hit = next((w for w in _OLD_FORMAT if key(w) in key(label)), None)
        if hit:
            self.builder.label_differs(f"原文第 {number} 行「{hit}」是 2019 年试行格式的栏目，2021 年格式已无此栏目，"
                                       f"未导入", part=self.table.part, table=self.table.key)
        return hit is not None

    def _read_table4(self, lines: Lines) -> None:
        figures: list = []
        first = None
        for number, line in lines:
            words, found = split_figures(line)
            if found:
                first = first or number
                figures += found
            elif _is_sentence("".join(words)):
                self.builder.add_text(self.table.part, _strip_marks(line))
        if not figures:
            return
        cells = sorted(self.table.figure_positions.items(), key=lambda kv: kv[1].col)
        where = f"原文第 {first} 行"
        if len(figures) != len(cells):
            self.builder.unread(f"{where}：{self.table.name}应有 {len(cells)} 个数字，原文有 {len(figures)} 个；"
                                f"无法确定缺少哪一格，表四未导入，请对照原文填写", part=self.table.part, table=self.table.key)
            return
        for ((row, col), _), token in zip(cells, figures):
            self.builder.set_cell(self.table, row, col, token, where)


def _is_sentence(label: str) -> bool:
    return label.endswith(("。", "；", "：", ":")) or (len(label) > 50 and "，" in label and "、" not in label[:30])
