"""What the Word and Excel importers share: finding the official tables by their labels, and the marker."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from .. import layout as L
from .. import marker
from ..errors import ReportFileError, damage_reason
from ..findings import Severity
from ..model import Note, Report
from ..normalize import key

# Words that only appear in one of the three tables (compared without spaces and punctuation).
_SIGNS = (
    ("table4", (L.T4_RECONSIDERATION, L.T4_LITIGATION)),
    ("table3", (L.T3_APPLICANTS,)),
    ("table3", ("勾稽关系",)),
    ("table3", (L.TABLE3.row_by_key["new"].label,)),
    ("table3", ("予以公开", "不予公开")),
    ("table2", ("第二十条",)),
    ("table2", (L.T2_CONTENT_HEADER, L.TABLE2.column_by_key["issued"].label)),
    ("table2", ("规范性文件", "现行有效")),
)


@contextmanager
def plain_errors(path: Path, error: type[ReportFileError], opening: str | None = None) -> Iterator[None]:
    """Any exception of the Office libraries as one Chinese sentence naming the file (they raise many kinds).

    ``opening`` names the format while the file is being opened; afterwards the content is at fault."""
    try:
        yield
    except ReportFileError:
        raise
    except Exception as e:
        if opening:
            raise error(f"「{path.name}」已损坏，无法作为 {opening}读取（{damage_reason(e)}）") from e
        raise error(f"「{path.name}」的内容无法读取（{damage_reason(e)}），文件可能已损坏") from e


def identify_table(text: str) -> str | None:
    """Which official table a block of cell text is, by its labels (never by its position)."""
    k = key(text)
    for table, words in _SIGNS:
        if all(key(w) in k for w in words):
            return table
    return None


def starts_table(text: str) -> str | None:
    """A row that begins a table in a sheet holding several: its first header row."""
    k = key(text)
    if key(L.TABLE2.grid[0].text) in k:  # 第二十条第（一）项, the first line of table 二
        return "table2"
    if key("勾稽关系") in k or key("申请人情况") in k:
        return "table3"
    if key(L.T4_RECONSIDERATION) in k and key(L.T4_LITIGATION) in k:
        return "table4"
    return None


def load_marker(payload: str | bytes | None) -> Report | None:
    """The report an export of ours carried, or None when absent or unreadable (then the visible content decides)."""
    if not payload:
        return None
    try:
        data: Any = json.loads(payload)
        if not isinstance(data, dict) or data.get("format") != marker.MARKER:
            return None
        if not isinstance(data.get("schema"), int) or data["schema"] > marker.SCHEMA_VERSION:
            return None
        return Report.model_validate(data["report"])
    except (ValueError, TypeError, ValidationError):
        return None


def merge_hidden(visible: Report, recorded: Report, what: str, texts_from_marker: bool = False) -> Report:
    """The visible content of an edited export, with what only the marker knows (kind, level, explanations…)."""
    meta = visible.meta.model_copy(update={
        k: getattr(recorded.meta, k) for k in ("kind", "level", "deadline", "compiler", "contact")
    })
    if not meta.organ:
        meta = meta.model_copy(update={"organ": recorded.meta.organ, "year": recorded.meta.year,
                                       "title": recorded.meta.title})
    merged = visible.model_copy(update={"meta": meta, "explanations": dict(recorded.explanations)})
    if texts_from_marker:
        merged.texts = dict(recorded.texts)
    # The kind and level came from the marker, so the importer's guess from the name no longer applies.
    merged.imported.notes = [n for n in merged.imported.notes if "推定机关类别" not in n.message]
    merged.imported.notes.append(Note(
        rule="IMPORT-ASSUMED", severity=Severity.INFO, category="导入", location={"part": "overview"},
        message=f"{what}导出后被修改过，已按{what}中显示的内容读取；机关类别、行政层级和说明等取自导出时的记录"))
    return merged
