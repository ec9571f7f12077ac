"""The evaluator: a rule is data (id, severity, clause, category) plus a function yielding hits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

from .. import layout as L
from ..findings import Finding, Location, Severity
from ..model import Figure, Report


@dataclass(frozen=True)
class Hit:
    """One violation found by a rule; the engine adds the rule's id, clause and category."""

    message: str
    locations: tuple[Location, ...] = ()
    severity: Severity | None = None  # overrides the rule's default (e.g. 提示 for street offices)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # what the rule checks, in Chinese, for the rule list and documentation
    clause: str  # where it comes from
    category: str
    evaluate: Callable[["Context"], Iterable[Hit]]
    needs_previous: bool = False
    import_only: bool = False


@dataclass
class Context:
    """Everything a rule reads, computed once per check."""

    report: Report
    previous: Report | None = None
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def figures(self) -> dict[str, dict[tuple[str, str], Figure]]:
        return {t.layout.key: t.resolved() for t in self.report.tables()}

    @cached_property
    def previous_figures(self) -> dict[str, dict[tuple[str, str], Figure]]:
        if self.previous is None:
            return {}
        return {t.layout.key: t.resolved() for t in self.previous.tables()}

    @cached_property
    def blank_tables(self) -> frozenset[str]:
        return frozenset(t.layout.key for t in self.report.tables() if t.is_blank())

    @cached_property
    def stated(self) -> dict[str, dict[str, dict[str, Figure]]]:
        return self.report.imported.stated if self.report.imported else {}

    def value(self, table: str, row: str, col: str) -> int:
        """A figure for arithmetic: blank counts as 0 (CELL-BLANK reports the blank itself)."""
        return self.figures[table][(row, col)] or 0


def cell(table: L.TableLayout, row: str | None, col: str | None) -> Location:
    return Location(part=table.part, table=table.key, row=row, column=col)


def span(field_key: str, start: int, end: int) -> Location:
    return Location(part=L.TEXT_FIELD_BY_KEY[field_key].part, field=field_key, start=start, end=end)


def evaluate(rules: Iterable[Rule], ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    explanations = ctx.report.explanations
    for rule in rules:
        if rule.needs_previous and ctx.previous is None:
            continue
        for hit in rule.evaluate(ctx):
            f = Finding(rule.id, hit.severity or rule.severity, hit.message, hit.locations,
                        rule.clause, rule.category)
            if f.severity is not Severity.ERROR and f.key in explanations:
                f = Finding(f.rule, f.severity, f.message, f.locations, f.clause, f.category,
                            explanations[f.key])
            findings.append(f)
    findings.sort(key=lambda f: f.severity.rank)
    return findings
