"""What the self-check reports: severities, locations and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(Enum):
    """错误 must be fixed before publishing; 警告 is probably wrong; 提示 is advice."""

    ERROR = ("error", "错误", 0)
    WARNING = ("warning", "警告", 1)
    INFO = ("info", "提示", 2)

    def __init__(self, code: str, label: str, rank: int) -> None:
        self.code = code
        self.label = label
        self.rank = rank

    @classmethod
    def from_code(cls, code: str) -> "Severity":
        for s in cls:
            if code in (s.code, s.label, s.name):
                return s
        shown = code if isinstance(code, str) and len(code) <= 20 else "…"
        raise ValueError(f"严重程度「{shown}」无法识别（应为错误、警告或提示）")


@dataclass(frozen=True)
class Location:
    """Where a finding points: a part, a table cell/row/column, or a span of a narrative field.

    Keys are those of :mod:`core.layout`; ``None`` means "not applicable" (a whole column has no row).
    ``start``/``end`` are character offsets into the narrative field ``field``.
    """

    part: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    field: str | None = None
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict:
        d = {"part": self.part, "table": self.table, "row": self.row, "column": self.column}
        if self.field is not None:
            d["field"] = self.field
        if self.start is not None:
            d["start"], d["end"] = self.start, self.end
        return d

    @property
    def signature(self) -> str:
        """A stable text form used to remember explanations across edits (spans excluded)."""
        return "/".join(x or "-" for x in (self.part, self.table, self.row, self.column, self.field))


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    locations: tuple[Location, ...] = ()
    clause: str = ""
    category: str = ""
    explanation: str | None = field(default=None, compare=False)

    @property
    def location(self) -> Location:
        return self.locations[0] if self.locations else Location()

    @property
    def key(self) -> str:
        """Identifies "the same finding" after unrelated edits, so an explanation stays attached."""
        return self.rule + "@" + self.location.signature

    def as_dict(self) -> dict:
        d = {
            "rule": self.rule,
            "severity": self.severity.code,
            "message": self.message,
            "location": self.location.as_dict(),
            "cells": [loc.as_dict() for loc in self.locations[1:]],
            "clause": self.clause,
            "category": self.category,
        }
        if self.explanation:
            d["explanation"] = self.explanation
        return d


def describe_location(loc: Location) -> str:
    """Where a finding points, as a clerk would say it: 表三「…」行「自然人」列, 第五部分…."""
    from . import layout as L

    # Stored locations are checked against the layout when a report is loaded; a location that still
    # names nothing known (made by hand in code) is described as far as it is known, never a crash.
    table = L.TABLE_BY_KEY.get(loc.table or "")
    if table is not None:
        row = loc.row if loc.row in table.row_by_key else None
        column = loc.column if loc.column in table.column_by_key else None
        return table.cell_name(row, column)
    if loc.field in L.TEXT_FIELD_BY_KEY:
        return L.TEXT_FIELD_BY_KEY[loc.field].label
    if loc.part in L.PART_BY_KEY:
        return L.PART_BY_KEY[loc.part].heading
    if loc.part == "meta":
        return "基本信息"
    return ""


def count_by_severity(findings) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return counts
