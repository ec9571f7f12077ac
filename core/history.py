"""What someone other than the unit changed in its draft, recorded so that no edit is ever silent."""

from __future__ import annotations

from typing import Any

from . import layout as L
from .model import Change, Report

META_FIELDS = {"organ": "机关名称", "kind": "机关类别", "level": "行政层级", "year": "报告年度", "title": "报告标题",
               "compiler": "编制单位", "contact": "联系方式", "deadline": "公开期限", "sign_date": "落款日期"}
TEXT_EXCERPT = 60  # characters of a changed paragraph kept in the record


def shown(value: Any) -> str:
    if value is None:
        return "（空白）"
    return str(getattr(value, "value", value))


def _excerpt(text: str) -> str:
    return text if len(text) <= TEXT_EXCERPT else text[:TEXT_EXCERPT] + "…"


def changes(before: Report, after: Report, author: str) -> list[Change]:
    """One Change per input cell, text field or metadata field that differs."""
    out: list[Change] = []
    for layout in L.TABLES:
        old, new = before.table(layout.key), after.table(layout.key)
        for row, col in layout.input_cells:
            a, b = old.get(row, col), new.get(row, col)
            if a != b or type(a) is not type(b):
                out.append(Change(author=author, where=layout.cell_name(row, col),
                                  location={"part": layout.part, "table": layout.key, "row": row, "column": col},
                                  old=shown(a), new=shown(b)))
    for f in L.TEXT_FIELDS:
        a, b = before.text(f.key), after.text(f.key)
        if a != b:
            out.append(Change(author=author, where=f"文字「{f.label}」", location={"part": f.part, "field": f.key},
                              old=_excerpt(a), new=_excerpt(b)))
    for name, label in META_FIELDS.items():
        a, b = getattr(before.meta, name), getattr(after.meta, name)
        if a != b:
            out.append(Change(author=author, where=f"基本信息「{label}」", location={"part": "meta"},
                              old=shown(a), new=shown(b)))
    return out
