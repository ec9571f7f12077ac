"""What someone other than the unit changed in its draft, recorded so that no edit is ever silent."""

from __future__ import annotations

from . import compare
from . import layout as L
from .model import Change, Report

TEXT_EXCERPT = 60  # characters of a changed paragraph kept in the record


def _excerpt(text: str) -> str:
    return text if len(text) <= TEXT_EXCERPT else text[:TEXT_EXCERPT] + "…"


def changes(before: Report, after: Report, author: str) -> list[Change]:
    """One Change per input cell, text field or metadata field that differs (totals follow their inputs)."""
    out = [Change(author=author, where=c.name, old=compare.shown(c.old), new=compare.shown(c.new),
                  location={"part": L.TABLE_BY_KEY[c.table].part, "table": c.table, "row": c.row, "column": c.col})
           for c in compare.cell_changes(before, after, with_percent=False) if not c.derived]
    out += [Change(author=author, where=f"文字「{L.TEXT_FIELD_BY_KEY[key].label}」", old=_excerpt(before.text(key)),
                   new=_excerpt(after.text(key)), location={"part": L.TEXT_FIELD_BY_KEY[key].part, "field": key})
            for key in (f.key for f in L.TEXT_FIELDS) if before.text(key) != after.text(key)]
    out += [Change(author=author, where=f"基本信息「{m.label}」", old=compare.shown(m.old), new=compare.shown(m.new),
                    location={"part": "meta"}) for m in compare.meta_changes(before, after)]
    return out
