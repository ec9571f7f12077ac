"""Read a report from lines of text: copied out of a web page or a PDF, or taken from a Word/Excel file.

What such text looks like: headings with or without ``#``, tables whose cells are separated by tabs or
runs of spaces, labels wrapped over several lines, header rows broken apart, figures of one row spilling
onto the next line, running page headers and page numbers between rows. Everything that cannot be
read is recorded as a note saying where; nothing unreadable becomes 0.

The .docx and .xlsx importers hand their paragraphs and table rows to :func:`read_lines`, so every
format shares one way of recognising parts, topics and table rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from .. import layout as L
from ..errors import ReportFileError, os_reason
from .encoding import EncodingError, decode_bytes
from .pages import Scored, confidence_of
from .builder import (ReportBuilder, RowMatcher, choose_headings, heading_candidates, infer_kind_level,
                      match_topic_heading, parse_title, row_width)
from ..model import Report
from ..normalize import fold, is_figure_token, key, label_core

MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_LINES = 20_000  # non-blank lines; the longest report, one cell per line, has about 2,000
# Page numbers a PDF copy leaves between lines ("— 3 —", "第 3 页 共 8 页", "3/8"). A bare "3" is kept:
# in a table it may be a figure, and a stray one is reported rather than silently dropped.
_PAGE_MARK = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?"
                        r"|\d+\s*/\s*\d+)\s*$")
_MAX_LABEL_LINES = 6  # the longest official label wraps over four or five lines of a narrow column
# the mark our own exports print on a draft (征求意见稿, with the number of errors left): not content
_DRAFT_MARK = re.compile(r"^\s*征求意见稿\s*(?:[（(][^）)]{0,30}[）)])?\s*$")
_OLD_FORMAT = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "第二十条第（九）项", "采购项目数量")


_OLD_FORMAT_KEYS = tuple((w, key(w)) for w in _OLD_FORMAT)


class TextImportError(ReportFileError):
    pass


@dataclass(frozen=True)
class Line:
    """One line of the source: where it is (for messages), its text, and the table it belongs to if known."""

    where: str
    text: str
    table: str | None = None
    cells: tuple[str, ...] | None = None  # a Word or Excel table row: each cell in its own column
    place: tuple[int, int] | None = None  # (page, line) in the source when it has pages; (0, line) otherwise
    box: tuple[float, float, float, float] | None = None  # where it is on its page (PDF, scan)
    index: int = -1  # its position in the source's lines, set by read_lines (the 导入核对 view shows them)


def read_text_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_TEXT_BYTES else None
    except OSError as e:
        raise TextImportError(f"无法读取「{path.name}」：{os_reason(e)}") from e
    if raw is None:
        raise TextImportError(f"「{path.name}」超过 {MAX_TEXT_BYTES // 1024 // 1024} MB，不是年度报告的文字稿")
    try:
        text, encoding = decode_bytes(raw, path.name)
    except EncodingError as e:
        raise TextImportError(str(e)) from None
    builder = ReportBuilder(source=path.name, source_format="text")
    if encoding.startswith("Big5"):
        builder.unread(f"「{path.name}」是繁体中文（Big5 编码）的文字稿，已按 Big5 读取；表格标签为繁体时无法与官方格式"
                       f"对应，请核对导入结果")
    return import_text(text, path.name, builder)


def decode(raw: bytes, name: str) -> str:
    """Text as saved by Notepad, WPS or a browser, in whatever encoding (see core.imports.encoding)."""
    try:
        return decode_bytes(raw, name)[0]
    except EncodingError as e:
        raise TextImportError(str(e)) from None


def import_text(text: str, source: str = "", builder: ReportBuilder | None = None) -> Report:
    lines = []
    for n, raw in enumerate(text.splitlines(), 1):
        if ("-" in raw) and _PIPE_RULE.match("".join(raw.split())):  # without whitespace: no backtracking
            continue  # the |---|---| line under a markdown table's header
        lines.append(Line(f"原文第 {n} 行", raw, cells=pipe_cells(raw), place=(0, n)))
    return read_lines(builder or ReportBuilder(source=source, source_format="text"), lines)


_PIPE_RULE = re.compile(r"^[|｜]?:?-{2,}:?(?:[|｜+]:?-{2,}:?)*[|｜]?$")  # matched on the line without whitespace
_PIPE = re.compile(r"[|｜]")


def pipe_cells(line: str) -> tuple[str, ...] | None:
    """The cells of a markdown / pipe table row (``| 规章 | 0 | 0 | 0 |`` or ``规章 | 0 | 0 | 0``), else None."""
    if "|" not in line and "｜" not in line:
        return None
    cells = [c.strip() for c in _PIPE.split(line.strip())]  # split, then strip: linear in runs of spaces
    if cells and cells[0] == "" and line.lstrip()[:1] in "|｜":
        cells = cells[1:]
    if cells and cells[-1] == "" and line.rstrip()[-1:] in "|｜":
        cells = cells[:-1]
    return tuple(cells) if len(cells) >= 2 else None


def read_lines(builder: ReportBuilder, lines: Iterable[Line]) -> Report:
    """Fill ``builder`` from the lines of a document and build the report."""
    lines = list(lines)
    # A report has hundreds of lines and each costs work (headings, labels): bound them for any reader.
    if sum(1 for ln in lines if ln.cells or ln.text.strip()) > MAX_LINES:
        raise TextImportError(f"「{builder.source}」的文字超过 {MAX_LINES:,} 行，不像是一份年度报告，未导入")
    # each line learns its index (dataclasses.replace is several times slower on 200,000 blank lines)
    lines = builder.keep_source([Line(ln.where, ln.text, ln.table, ln.cells, ln.place, ln.box, i)
                                 for i, ln in enumerate(lines)])
    sections = _split_parts(builder, [ln for ln in lines if ln.table is None])
    _read_meta(builder, sections)
    _read_overview(builder, sections.get("front", []) + sections.get("overview", []))
    tables: dict[str, list[Line]] = {}
    for ln in lines:
        if ln.table is not None:
            tables.setdefault(ln.table, []).append(ln)
    for table in L.TABLES:
        part_lines = sections.get(table.part, [])
        if table.key in tables:  # rows of a real table: the paragraphs around it are narrative
            _TableReader(builder, table).read(tables[table.key])
            for ln in part_lines:
                builder.add_text(table.part, _strip_marks(ln.text))
        else:
            _TableReader(builder, table).read(part_lines)
        _say_if_unread(builder, table, tables.get(table.key) or part_lines)
    for part in ("problems", "other"):
        for ln in sections.get(part, []):
            builder.add_text(part, _strip_marks(ln.text))
    return builder.build()


def _say_if_unread(builder: ReportBuilder, table: L.TableLayout, lines: list[Line]) -> None:
    """A table whose part heading or labels are in the source but none of whose rows could be read is an
    import warning saying where, so the check does not call the report incomplete (TXT-MISSING)."""
    if builder.cells.get(table.key) or builder.stated.get(table.key) or builder.marks.get(table.key):
        return
    if any(n.location.get("table") == table.key and n.rule == "IMPORT-UNREAD" for n in builder.notes):
        return
    if not lines:
        return  # a heading with nothing under it: the table really is missing
    at = builder.headings.get(table.part) or (lines[0] if lines[0].table else None)
    if at is None:
        return
    builder.unread(f"{table.name}未能读取：{at.where}起；请对照原文填写{table.name}", at=at, part=table.part,
                   table=table.key)


def _split_parts(builder: ReportBuilder, lines: list[Line]) -> dict[str, list[Line]]:
    sections: dict[str, list[Line]] = {"front": []}
    kept: list[tuple[Line, str]] = []
    for ln in lines:
        text = fold(ln.text).rstrip()
        if text.strip() and not _PAGE_MARK.match(text) and not _DRAFT_MARK.match(text):
            kept.append((ln, text))
    chosen = choose_headings([heading_candidates(text) if len(text) <= 60 else [] for _, text in kept])
    current = "front"
    skip = _read_title(builder, kept, chosen)
    for i, ((ln, text), heading) in enumerate(zip(kept, chosen)):
        if i in skip:
            continue
        if "title" in builder.meta and current != "front" and parse_title(text):
            continue  # a running page header repeating the title
        if heading:
            current = heading.part.key
            builder.headings[current] = ln
            sections.setdefault(current, [])
            if not heading.exact:
                number = _written_number(heading.text)
                moved = f"（原文编号为「{number}」）" if number and number != heading.part.number else ""
                builder.label_differs(f"{ln.where}：{heading.part.short}标题为「{heading.text}」，"
                                      f"官方格式为「{heading.part.heading}」{moved}", at=ln, part=current)
            continue
        sections.setdefault(current, []).append(replace(ln, text=text, table=None))
    _move_fee_section(builder, sections)
    _take_signature(builder, sections)
    return sections


def _written_number(heading: str) -> str | None:
    m = re.match(r"^[#\s]*(?:第\s*)?([一二三四五六七八九十])", heading)
    return m.group(1) if m else None


def _read_title(builder: ReportBuilder, kept: list[tuple[Line, str]], chosen) -> set[int]:
    """The title among the lines before the first heading, written on one line or broken over two or three."""
    first_heading = next((i for i, h in enumerate(chosen) if h), len(kept))
    limit = min(first_heading, 12)
    # an organ named on the line before "2024年政府信息公开工作年度报告" beats that line alone
    for width, need_organ in ((1, True), (2, True), (3, True), (1, False)):
        for i in range(limit - width + 1):
            joined = "".join(kept[j][1].strip() for j in range(i, i + width))
            title = parse_title(joined) if len(joined) <= 120 else None
            if title is None or (need_organ and not title[0]):
                continue
            builder.meta["title"] = " ".join(joined.split()).strip(" #")
            builder.meta["organ"], builder.meta["year"] = title
            builder.title_line = kept[i][0]
            if width > 1:
                builder.assumed(f"{kept[i][0].where}：标题分 {width} 行书写，已合并为「{builder.meta['title']}」",
                                at=kept[i][0], part="overview")
            return set(range(i, i + width))
    return set()


_NUMBERED_LINE = re.compile(r"^[#\s]*(?:第\s*)?[一二三四五六七八九十]\s*(?:部分)?\s*[、.．]")
_FEE_HEADING = re.compile(r"信息处理费|处理费收取")


def _move_fee_section(builder: ReportBuilder, sections: dict[str, list[Line]]) -> None:
    """A section of its own about 信息处理费 (some reports add one and renumber the rest): what the format
    asks to be reported in part 六, so it is read as part 六's text."""
    for part in ("overview", "proactive", "requests", "appeals", "problems"):
        lines = sections.get(part, [])
        start = next((i for i, ln in enumerate(lines)
                      if len(ln.text) <= 40 and _NUMBERED_LINE.match(ln.text) and _FEE_HEADING.search(ln.text)), None)
        if start is None:
            continue
        end = next((j for j in range(start + 1, len(lines)) if _NUMBERED_LINE.match(lines[j].text)
                    and len(lines[j].text) <= 40), len(lines))
        moved = lines[start:end]
        del lines[start:end]
        heading = moved[0]
        # its own number (五、) would read as a numbering slip inside part 六: the note keeps what it was
        moved[0] = replace(heading, text=_NUMBERED_LINE.sub("", heading.text, count=1).strip(), table=None, cells=None)
        sections.setdefault("other", [])[0:0] = moved
        builder.assumed(f"{heading.where}：「{heading.text.strip()}」一节按内容属于第六部分「其他需要报告的事项」"
                        f"（信息处理费的收取情况），已归入第六部分", at=heading, part="other")
        return


_DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_SIGN_OFF = ("特此报告", "特此公告")


def _take_signature(builder: ReportBuilder, sections: dict[str, list[Line]]) -> None:
    """The signature at the end (organ, date, 特此报告) is not narrative: the date is the signing date."""
    last = next((p.key for p in reversed(L.PARTS) if sections.get(p.key)), None)
    if last is None:
        return
    lines = sections[last]
    n = len(lines)
    tail = 0
    date = None
    for ln in reversed(lines[-4:]):
        text = ln.text.strip()
        m = _DATE_LINE.match(text)
        if m and date is None and tail == 0:
            date = m
        elif date is not None and (len(text) <= 40 and not re.search(r"[，。；：,;]", text) or
                                   text.rstrip("。！!") in _SIGN_OFF):
            pass
        else:
            break
        tail += 1
    if date is None:
        return
    try:
        builder.meta["sign_date"] = dt.date(int(date[1]), int(date[2]), int(date[3]))
    except ValueError:
        builder.unread(f"{lines[n - 1].where}：落款日期「{date[0].strip()}」不是有效日期，未导入", at=lines[n - 1],
                       part=last)
    del lines[n - tail:]


def _read_meta(builder: ReportBuilder, sections: dict[str, list[Line]]) -> None:
    meta = builder.meta
    title = meta.pop("title", None)
    if title is None:
        builder.unread("未找到报告标题（如「××局2024年政府信息公开工作年度报告」），机关名称和年度请在「基本信息」中填写",
                       part="overview")
        front = "\n".join(ln.text for ln in sections.get("front", []) + sections.get("overview", []))
        years = re.findall(r"(\d{4})\s*年\s*1\s*月\s*1\s*日", front)
        if years and 2008 <= int(years[0]) <= 2100:
            meta["year"] = int(years[0])
        meta["organ"] = ""
        return
    organ = meta["organ"][:200]
    meta["organ"] = organ
    if not 2008 <= meta["year"] <= 2100:
        builder.unread(f"标题中的年份 {meta['year']} 不是有效的报告年度，请在「基本信息」中填写",
                       at=builder.title_line, part="overview")
        del meta["year"]
    elif key(title) != key(f"{organ}{meta['year']}年{L.TITLE_SUFFIX}"):
        meta["title"] = title[:300]
    if organ:
        kind, level = infer_kind_level(organ)
        meta["kind"], meta["level"] = kind, level
        builder.assumed(f"根据机关名称「{organ}」推定机关类别为「{kind.value}」、行政层级为「{level.value}」，"
                        f"请在「基本信息」中核对", at=builder.title_line, part="overview")


def _strip_marks(line: str) -> str:
    return line.strip().lstrip("#").strip()


def _read_overview(builder: ReportBuilder, lines: list[Line]) -> None:
    current = "overview"
    for ln in lines:
        topic = match_topic_heading(ln.text)
        if topic is not None:
            topic_key, heading, body = topic
            if topic_key is not None:
                current = "overview." + topic_key
                if builder.texts.get(current):
                    builder.assumed(f"{ln.where}：小标题「{heading}」与前文同属「{L.TOPIC_BY_KEY[topic_key].label}」"
                                    f"方面，已合并", at=ln, part="overview", field=current)
                builder.add_text(current, body)
                continue
            builder.assumed(f"{ln.where}：小标题「{heading}」不属于总体情况的五个方面，已并入上一方面的文字",
                            at=ln, part="overview", field=current)
        builder.add_text(current, _strip_marks(ln.text))


# -- tables -------------------------------------------------------------------------------------


def split_figures(line: str) -> tuple[list[str], list[str | None]]:
    """The label words of a table line and its trailing figures (None for an empty cell between figures)."""
    tokens: list[str] = []
    for cell in line.split("\t"):
        tokens += cell.split() or [""]
    label, figures = _label_and_run(tokens)
    while figures and figures[-1] is None:
        figures.pop()
    while figures and figures[0] is None:
        figures.pop(0)  # empty cells under a merged label, not blank figures
    return label, figures


def split_cells(cells: tuple[str, ...]) -> tuple[list[str], list[str | None]]:
    """Like :func:`split_figures` for a row whose cells are known: every trailing cell that is empty or a
    figure is one column, so a blank cell keeps its place instead of shifting its neighbours."""
    return _label_and_run([c.like(fold(c).strip()) if isinstance(c, Scored) else fold(c).strip() for c in cells])


def _label_and_run(tokens: list[str]) -> tuple[list[str], list[str | None]]:
    """The non-empty tokens before the trailing run of figures and empty cells, and that run."""
    i = len(tokens)
    while i > 0 and (tokens[i - 1] == "" or is_figure_token(tokens[i - 1])):
        i -= 1
    return [t for t in tokens[:i] if t], [t if t else None for t in tokens[i:]]


def _split(ln: Line) -> tuple[list[str], list[str | None], bool]:
    """Label words and figures of a line, and whether the figures are in fixed columns. Every figure knows
    where it was read (its line, and on a page its box), however the row's figures are gathered."""
    if ln.cells is None:
        words, run = split_figures(fold(ln.text))
        fixed = False
    else:
        words, run = split_cells(ln.cells)
        fixed = True
    return words, [_placed(f, ln) for f in run], fixed


def _placed(figure: str | None, ln: Line) -> Scored | None:
    if figure is None:
        return None
    page = getattr(figure, "page", None)
    if page is None and ln.place and ln.place[0] > 0:
        page = ln.place[0]
    box = getattr(figure, "box", None) or (ln.box if page is not None else None)
    return Scored(figure, confidence_of(figure), box, page, ln.index if ln.index >= 0 else None)


@dataclass
class _Pending:
    row: str
    figures: list
    where: str
    line: Line | None = None


@dataclass
class _TableReader:
    builder: ReportBuilder
    table: L.TableLayout
    labels: list[str] = field(default_factory=list)
    pending: _Pending | None = None
    short_rows: list[_Pending] = field(default_factory=list)
    full_rows: int = 0
    subtotal_noted: bool = False

    def read(self, lines: list[Line]) -> None:
        if self.table.key == "table4":
            return self._read_table4(lines)
        matcher = RowMatcher(self.table)
        i = 0
        while i < len(lines):
            ln = lines[i]
            i += 1
            words, figures, fixed = _split(ln)
            label = "".join(words)
            if self._old_format(ln, label):
                continue
            if fixed and not any(f is not None for f in figures):
                figures = self._blank_row(matcher, label, figures)
            if not figures:
                if _is_sentence(label) and not matcher.match(label):
                    self.builder.add_text(self.table.part, _strip_marks(ln.text))
                    continue
                self.labels = (self.labels + [label])[-_MAX_LABEL_LINES:]
                continue
            if not label and self.pending:  # the rest of the figures of the row above
                self.pending.figures += figures
                self._commit_if_complete()
                continue
            self._flush()
            match = self._match(matcher, label)
            if match is None:  # a label wrapped around its figures: the rest is on the following lines
                tail = ""
                for j in range(i, min(i + _MAX_LABEL_LINES, len(lines))):
                    more_words, more_figures, _ = _split(lines[j])
                    if any(f is not None for f in more_figures) or not more_words:
                        break
                    tail += "".join(more_words)
                    match = self._match(matcher, label + tail)
                    if match is not None:
                        i = j + 1
                        label += tail
                        break
            self.labels = []
            if match is None:
                self.builder.unread(f"{ln.where}「{' '.join(words)[:40]}」有数字，但无法对应到{self.table.name}的任何一行，"
                                    f"未导入", at=ln, part=self.table.part, table=self.table.key)
                continue
            if not match.exact:
                official = self.table.row_by_key[match.row].label
                self.builder.label_differs(f"{ln.where}：{self.table.name}行标签「{label}」与官方格式「{official}」不一致",
                                           at=ln, part=self.table.part, table=self.table.key, row=match.row)
            if fixed:
                figures = _fit(figures, len(row_width(self.table, match.row)))
            self.pending = _Pending(match.row, self._without_subtotal(list(figures), ln), ln.where, ln)
            self._commit_if_complete()
        self._flush()
        self._settle_short_rows()
        self._unread_rows(lines)

    def _unread_rows(self, lines: list[Line]) -> None:
        """Rows whose label is in the source but whose figures were not read: say where, never leave it silent."""
        if not lines:
            return
        unread = [r for r in self.table.rows if (self.table.key, r.key) not in self.builder.seen_rows
                  and not r.derived]
        if not unread:
            return
        where: dict[str, Line] = {}
        # a long label by its start (it may be cut off); a short one with its number (「3.其他」, not the 其他 column)
        cores = {r.key: label_core(r.label)[:10] if len(label_core(r.label)) >= 4 else key(r.label) for r in unread}
        for ln in lines:
            text = key(ln.text) if len(ln.text) < 400 else ""
            for row, core in cores.items():
                if row not in where and core in text:
                    where[row] = ln
        found = [r for r in unread if r.key in where]
        if not found:
            return
        said = any(n.location.get("table") == self.table.key and n.rule == "IMPORT-UNREAD" for n in self.builder.notes)
        if len(self.builder.seen_rows & {(self.table.key, r.key) for r in self.table.rows}) == 0:
            if said:
                return
            first = lines[0]
            self.builder.unread(f"{self.table.name}未能读取：{first.where}起", at=first, part=self.table.part,
                                table=self.table.key)
            return
        for r in found:
            if any(n.location.get("row") == r.key and n.location.get("table") == self.table.key
                   for n in self.builder.notes):
                continue  # already said why (a figure count that did not fit)
            self.builder.unread(f"{where[r.key].where}：{self.table.cell_name(r.key, None)}的数字未能读取，请对照原文填写",
                                at=where[r.key], part=self.table.part, table=self.table.key, row=r.key)

    def _match(self, matcher: RowMatcher, label: str):
        """The row a label means, with as many of the label lines above it as make an official label."""
        exact = loose = None
        for k in range(len(self.labels) + 1):
            text = "".join(self.labels[k:]) + label
            m = matcher.match(text)
            if m is not None and m.exact:
                exact = m
                break
            loose = loose or m
        return exact or loose or matcher.match_start(label or "".join(self.labels[-1:]))

    def _without_subtotal(self, figures: list, ln: Line) -> list:
        """表三 printed with a 小计 column for 法人或其他组织 (8 figures): that column is derived, so it is dropped."""
        if self.table.key != "table3" or len(figures) != 8:
            return figures
        try:
            values = [int(f) for f in figures]
        except (TypeError, ValueError):
            return figures
        if values[1] == sum(values[2:7]) and values[7] == values[0] + values[1]:
            if not self.subtotal_noted:
                self.builder.assumed(f"{ln.where}：表三多出一列「法人或其他组织」小计，已按官方格式略去（小计由各类之和得出）",
                                     at=ln, part=self.table.part, table=self.table.key)
                self.subtotal_noted = True
            return figures[:1] + figures[2:]
        return figures

    def _blank_row(self, matcher: RowMatcher, label: str, run: list) -> list:
        """A row of a Word/Excel table whose figure cells are all empty: blanks, when its label is a row's."""
        match = matcher.match("".join(self.labels) + label) or matcher.match(label) if label else None
        if match is None or not match.exact or len(run) < len(row_width(self.table, match.row)):
            return []
        return run

    def _commit_if_complete(self) -> None:
        p = self.pending
        if p and len(p.figures) >= len(row_width(self.table, p.row)):
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            p, self.pending = self.pending, None
            width = len(row_width(self.table, p.row))
            if self.table.key == "table3" and len(p.figures) == width - 1:
                self.short_rows.append(p)  # maybe a table printed without its 总计 column: decided at the end
                return
            self.full_rows += 1
            self.builder.set_row(self.table, p.row, p.figures, p.where, at=p.line)

    def _settle_short_rows(self) -> None:
        """Rows one figure short: the whole 表三 left out its 总计 column, or single rows lost a cell."""
        rows, self.short_rows = self.short_rows, []
        if rows and not self.full_rows and len(rows) >= 3:
            self.builder.assumed(f"{rows[0].where}起：表三没有「总计」列，已按六类申请人读取，总计由程序计算",
                                 at=rows[0].line, part=self.table.part, table=self.table.key)
            for p in rows:
                self.builder.set_row(self.table, p.row, p.figures + [None], p.where, derived_blank=True, at=p.line)
            return
        for p in rows:
            self.builder.set_row(self.table, p.row, p.figures, p.where, at=p.line)

    def _old_format(self, ln: Line, label: str) -> bool:
        label = key(label)
        hit = next((w for w, k in _OLD_FORMAT_KEYS if k in label), None)
        if hit:
            self.builder.label_differs(f"{ln.where}「{hit}」是 2019 年试行格式的栏目，2021 年格式已无此栏目，未导入",
                                       at=ln, part=self.table.part, table=self.table.key)
        return hit is not None

    def _read_table4(self, lines: list[Line]) -> None:
        figures: list = []
        first = None
        for ln in lines:
            words, found, fixed = _split(ln)
            if fixed and not any(f is not None for f in found):
                found = []
            if found:
                first = first or ln
                figures += found
            elif _is_sentence("".join(words)):
                self.builder.add_text(self.table.part, _strip_marks(ln.text))
        if not figures:
            return
        cells = sorted(self.table.figure_positions.items(), key=lambda kv: kv[1].col)
        if len(figures) != len(cells):
            self.builder.unread(f"{first.where}：{self.table.name}应有 {len(cells)} 个数字，原文有 {len(figures)} 个；"
                                f"无法确定缺少哪一格，表四未导入，请对照原文填写", at=first, part=self.table.part,
                                table=self.table.key)
            return
        for ((row, col), _), token in zip(cells, figures):
            self.builder.set_cell(self.table, row, col, token, first.where, at=first)


def _fit(figures: list, width: int) -> list:
    """Drop the empty cells a merge leaves around a row's figures: first those under a label merged
    across columns, then those of a figure merged across columns (table 二's single-figure rows)."""
    figures = list(figures)
    while len(figures) > width and figures[0] is None:
        figures.pop(0)
    while len(figures) > width and figures[-1] is None:
        figures.pop()
    return figures


def _is_sentence(label: str) -> bool:
    return label.endswith(("。", "；", "：", ":")) or (len(label) > 50 and "，" in label and "、" not in label[:30])
