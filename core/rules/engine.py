"""The evaluator: a rule is data (id, severity, clause, category, the inputs it reads) plus a function
yielding hits.

Every rule declares what it reads as input keys (``cells``, ``texts``, ``META``…). :func:`evaluate` runs
all rules; a :class:`Checker` remembers the inputs and hits of its last check and, on the next one,
re-runs only the rules that read an input that changed — so a keystroke in one narrative field re-runs the
text rules and leaves the table rules' hits as they were. Its result always equals a full check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import Any, Callable, Iterable

from .. import layout as L
from ..findings import Finding, Location, Severity
from ..model import Figure, Report


@dataclass(frozen=True)
class Hit:
    """One violation found by a rule; the engine adds the rule's id, clause and category."""

    message: str
    locations: tuple[Location, ...] = ()
    severity: Severity | None = None  # overrides the rule's default (e.g. 提示 for street offices)


# -- the inputs a rule can read ----------------------------------------------------------------
# A key names one input of the check: an input cell, a narrative field, a metadata field, the import
# record, the comments, the date; ``previous.`` before a key names last year's report's input.

PREVIOUS = "previous."
IMPORTED = "imported"
COMMENTS = "comments"
TODAY = "today"
_META_FIELDS = ("organ", "kind", "level", "year", "title", "deadline")


def cells(table: str, which: Iterable[tuple[str, str]] | None = None, previous: bool = False) -> frozenset[str]:
    """The keys of input cells of ``table`` (all of them unless ``which``); derived cells are read through
    the inputs they sum, so a rule reading a total declares the whole table."""
    layout = L.TABLE_BY_KEY[table]
    chosen = layout.input_cells if which is None else which
    prefix = PREVIOUS if previous else ""
    return frozenset(f"{prefix}cell:{table}:{r}:{c}" for r, c in chosen)


def texts(part: str | None = None, previous: bool = False) -> frozenset[str]:
    """The keys of the narrative fields of ``part`` (every field unless given)."""
    prefix = PREVIOUS if previous else ""
    return frozenset(f"{prefix}text:{f.key}" for f in L.TEXT_FIELDS if part is None or f.part == part)


def meta(*names: str, previous: bool = False) -> frozenset[str]:
    prefix = PREVIOUS if previous else ""
    return frozenset(f"{prefix}meta:{n}" for n in names)


ALL_CELLS = frozenset().union(*(cells(t.key) for t in L.TABLES))
ALL_TEXTS = texts()


def _input_keys(prefix: str):
    meta_keys = tuple((f"{prefix}meta:{n}", n) for n in _META_FIELDS)
    cell_keys = tuple((t.key, tuple((f"{prefix}cell:{t.key}:{r}:{c}", r, c) for r, c in t.input_cells))
                      for t in L.TABLES)
    text_keys = {f.key: f"{prefix}text:{f.key}" for f in L.TEXT_FIELDS}
    return meta_keys, cell_keys, text_keys


_KEYS = {"": _input_keys(""), PREVIOUS: _input_keys(PREVIOUS)}


_MONEY = {t.key: tuple((r, c) for r, c in t.input_cells if t.kind(r, c) == "money") for t in L.TABLES}


def _table_state(report: Report, table: str) -> tuple:
    """A table's figures as one value, compared whole before any cell is: typing leaves every table as it
    was. A fee is compared as written: Decimal("1.0") equals Decimal("1.00000") but has fewer places."""
    root = report.table(table).root
    return (tuple((r, tuple(cols.items())) for r, cols in root.items()),
            tuple(str(root[r][c]) for r, c in _MONEY[table]))


def _cell_inputs(state: tuple, keys) -> dict[str, Any]:
    """A table's inputs key by key, from its state (the figures themselves: a Decimal never changes)."""
    root = {r: dict(cols) for r, cols in state[0]}
    out = {}
    for key, r, c in keys:
        v = root[r][c]
        out[key] = v if v is None or type(v) is int else (type(v), str(v))
    return out


class _Inputs:
    """One report's inputs as a check read them, grouped so that a keystroke compares a few values: the
    metadata, each table whole, and the texts; a group that differs is then compared key by key."""

    def __init__(self, report: Report, prefix: str):
        meta_keys, cell_keys, self._text_keys = _KEYS[prefix]
        self.prefix = prefix
        m = report.meta
        self.meta = tuple((key, getattr(m, name)) for key, name in meta_keys)
        self.tables = {table: (_table_state(report, table), keys) for table, keys in cell_keys}
        self.texts = dict(report.texts)

    def cells(self, table: str) -> dict[str, Any]:
        return _cell_inputs(*self.tables[table])

    def keys(self) -> Iterable[str]:
        yield from (k for k, _ in self.meta)
        for table, (_, keys) in self.tables.items():
            yield from (k for k, _, _ in keys)
        yield from (self._text_key(k) for k in self.texts)

    def _text_key(self, field_key: str) -> str:
        return self._text_keys.get(field_key) or self.prefix + "text:" + field_key

    def changed(self, old: "_Inputs", out: set[str]) -> None:
        """Add to ``out`` the keys whose value differs from ``old``'s."""
        if self.meta != old.meta:
            out.update(k for (k, v), (_, w) in zip(self.meta, old.meta) if not (v is w or v == w))
        for table, (state, _) in self.tables.items():
            if state != old.tables[table][0]:
                now, before = self.cells(table), old.cells(table)
                out.update(k for k, v in now.items() if v != before[k])
        texts, before = self.texts, old.texts
        for k, v in texts.items():
            w = before.get(k)
            if w is not v and w != v:
                out.add(self._text_key(k))
        out.update(self._text_key(k) for k in before if k not in texts)


def _import_read(report: Report):
    """What the rules read of the import record: the totals it stated and its notes. Its provenance (the
    source's lines, where each cell was read) is far larger and read by no rule, so it is not compared."""
    record = report.imported
    return None if record is None else (record.stated, record.notes)


# Inputs held in mutable objects: compared with a copy taken when they last changed.
_MUTABLE = {IMPORTED: _import_read, COMMENTS: lambda r: r.comments}


def _copy(value):
    if value is None:
        return None
    if isinstance(value, tuple):  # an import record's stated totals and notes
        stated, notes = value
        return {t: {r: dict(cols) for r, cols in rows.items()} for t, rows in stated.items()}, _copy(notes)
    return [v.model_copy(deep=True) for v in value]


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
    reads: frozenset[str] = frozenset()  # the input keys the rule's hits depend on
    # For a rule about each narrative field on its own: its hits in one field (``evaluate`` gives the
    # rest, before them). A keystroke then re-runs it for the field typed in only.
    per_field: Callable[["Context", str, str], Iterable[Hit]] | None = None

    @cached_property
    def reads_beyond_text(self) -> frozenset[str]:
        return self.reads - ALL_TEXTS


def nothing(ctx: "Context") -> Iterable[Hit]:
    """The ``evaluate`` of a rule that has only per-field hits."""
    return ()


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

    def once(self, compute: Callable[["Context"], Any]) -> Any:
        """``compute(self)``, computed once per check however many rules and fields ask for it."""
        memo = self.__dict__.setdefault("_memo", {})
        if compute not in memo:
            memo[compute] = compute(self)
        return memo[compute]


def cell(table: L.TableLayout, row: str | None, col: str | None) -> Location:
    return Location(part=table.part, table=table.key, row=row, column=col)


def span(field_key: str, start: int, end: int) -> Location:
    return Location(part=L.TEXT_FIELD_BY_KEY[field_key].part, field=field_key, start=start, end=end)


def _has_text(text: str) -> bool:
    return bool(text) and not text.isspace()


Chunk = tuple[list[Finding], list[Finding], list[Finding]]  # one rule's findings (in one field) by severity


_NO_FINDINGS: Chunk = ([], [], [])  # shared by every rule and field without findings (most): never changed


def _chunk(rule: Rule, hits: Iterable[Hit], explanations: dict[str, str]) -> Chunk:
    hits = iter(hits)
    first = next(hits, None)
    if first is None:
        return _NO_FINDINGS
    out: Chunk = ([], [], [])
    for hit in chain((first,), hits):
        f = Finding(rule.id, hit.severity or rule.severity, hit.message, hit.locations, rule.clause, rule.category)
        if f.severity is not Severity.ERROR and explanations and f.key in explanations:
            f = Finding(f.rule, f.severity, f.message, f.locations, f.clause, f.category, explanations[f.key])
        out[f.severity.rank].append(f)
    return out


def _merge(chunks: Iterable[Chunk]) -> list[Finding]:
    """Errors first, then warnings, then advice; within each, in rule order (as a stable sort gives)."""
    chunks = list(chunks)
    return [f for rank in range(len(Severity)) for c in chunks for f in c[rank]]


def _written_fields(ctx: Context) -> tuple[tuple[str, str], ...]:
    texts = ctx.report.texts
    return tuple((f.key, text) for f in L.TEXT_FIELDS if _has_text(text := texts.get(f.key, "")))


def _field_keys(ctx: Context) -> tuple[tuple[str, str], ...]:
    """(key, text) of every field with text, in layout order; found once per check for all rules."""
    return ctx.once(_written_fields)


def evaluate(rules: Iterable[Rule], ctx: Context) -> list[Finding]:
    """Every rule run afresh: the full check."""
    explanations = ctx.report.explanations
    chunks = []
    for rule in rules:
        if rule.needs_previous and ctx.previous is None:
            continue
        chunks.append(_chunk(rule, rule.evaluate(ctx), explanations))
        if rule.per_field is not None:
            chunks += [_chunk(rule, rule.per_field(ctx, key, text), explanations) for key, text in _field_keys(ctx)]
    return _merge(chunks)


class Checker:
    """The self-check of one open report, kept between edits: each check re-runs only the rules that read
    an input that changed since the last one — a rule about each field, only for the fields that changed —
    and the text analyses underneath are cached by paragraph.

    It compares the inputs themselves, so it needs no notice of what was edited, and it may be given
    another report or last year's report at any time. Its result always equals :func:`evaluate`'s.
    """

    # Context values that depend only on these inputs are carried over while they are unchanged.
    _CARRIED = {"figures": ALL_CELLS, "blank_tables": ALL_CELLS, "stated": frozenset({IMPORTED})}

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        self._inputs: dict[str, Any] | None = None
        self._copies: dict[str, Any] = {}
        self._chunks: dict[str, Chunk] = {}  # rule id → findings of its ``evaluate``
        self._field_chunks: dict[str, dict[str, Chunk]] = {}  # rule id → field → findings there
        self._explanations: dict[str, str] | None = None
        self._ctx: Context | None = None
        self.last_rerun: tuple[str, ...] = ()  # ids of the rules the last check ran (for tests and benchmarks)

    def check(self, report: Report, previous: Report | None = None, today: dt.date | None = None) -> list[Finding]:
        ctx = Context(report, previous, today or dt.date.today())
        inputs = self._read_inputs(ctx)
        changed = self._changed(inputs, ctx)
        explanations = report.explanations
        if explanations != self._explanations:
            changed = None  # every finding may gain or lose its explanation
            self._explanations = dict(explanations)
        if changed is not None and self._ctx is not None:
            for name, depends in self._CARRIED.items():
                if name in self._ctx.__dict__ and depends.isdisjoint(changed):
                    ctx.__dict__[name] = self._ctx.__dict__[name]
        rerun, chunks = [], []
        for rule in self.rules:
            if rule.needs_previous and previous is None:
                self._chunks.pop(rule.id, None)
                self._field_chunks.pop(rule.id, None)
                continue
            if changed is None or rule.id not in self._chunks or not rule.reads.isdisjoint(changed):
                rerun.append(rule.id)
                chunks += self._run(rule, ctx, changed, explanations)
            else:
                chunks.append(self._chunks[rule.id])
                chunks += self._field_chunks.get(rule.id, {}).values()
        self._inputs, self._ctx = inputs, ctx
        self.last_rerun = tuple(rerun)
        return _merge(chunks)

    def _run(self, rule: Rule, ctx: Context, changed: set[str] | None, explanations) -> list[Chunk]:
        whole = changed is None or rule.id not in self._chunks or not rule.reads_beyond_text.isdisjoint(changed)
        if whole or rule.evaluate is not nothing:
            self._chunks[rule.id] = _chunk(rule, rule.evaluate(ctx), explanations)
        out = [self._chunks[rule.id]]
        if rule.per_field is None:
            return out
        old = self._field_chunks.get(rule.id, {})
        fields = {}
        for key, text in _field_keys(ctx):
            if whole or key not in old or f"text:{key}" in changed:
                fields[key] = _chunk(rule, rule.per_field(ctx, key, text), explanations)
            else:
                fields[key] = old[key]
        self._field_chunks[rule.id] = fields
        return out + list(fields.values())
    @staticmethod
    def _read_inputs(ctx: Context) -> tuple[dt.date, _Inputs, _Inputs | None]:
        previous = None if ctx.previous is None else _Inputs(ctx.previous, PREVIOUS)
        return ctx.today, _Inputs(ctx.report, ""), previous

    def _changed(self, inputs, ctx: Context) -> set[str] | None:
        first = self._inputs is None
        changed: set[str] = set()
        if not first:
            (today, now, previous), (old_today, old_now, old_previous) = inputs, self._inputs
            if today != old_today:
                changed.add(TODAY)
            now.changed(old_now, changed)
            if previous is not None and old_previous is not None:
                previous.changed(old_previous, changed)
            elif previous is not None or old_previous is not None:  # attached or detached
                changed.update((previous or old_previous).keys())
        for key, get in _MUTABLE.items():
            value = get(ctx.report)
            if first or value != self._copies.get(key):
                changed.add(key)
                self._copies[key] = _copy(value)
        return None if first else changed
