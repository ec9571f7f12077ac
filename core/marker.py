"""How our own .docx and .xlsx exports mark themselves, so the importers can read them back exactly.

The visible content (tables, headings, narrative) is always the authority: a clerk may edit an
exported file by hand. The marker carries what the visible document cannot express (organ kind and
level, deadline, explanations, …) and lets an importer recognise our layout without guessing.

* .docx: an extra package part ``DOCX_PART`` (content type ``DOCX_CONTENT_TYPE``) related from the
  main document part with relationship type ``DOCX_REL_TYPE``; its bytes are ``dumps(report)``.
* .xlsx: a very hidden worksheet named ``XLSX_SHEET``; cell A1 holds ``MARKER``, B1 the schema
  version, A2 the JSON of ``payload(report)`` (split over A2, A3, … when longer than a cell holds).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model import Report

MARKER = "nianbao-export"
SCHEMA_VERSION = 1
DOCX_PART = "/customXml/nianbao-report.json"
DOCX_CONTENT_TYPE = "application/json"
DOCX_REL_TYPE = "http://schemas.nianbao.invalid/relationships/report"
XLSX_SHEET = "_nianbao"
XLSX_CELL_LIMIT = 32000  # Excel holds at most 32,767 characters (UTF-16 units) in a cell

# What a published file's marker keeps: what its pages show (organ, year, title, signing date, narrative,
# figures) and what reading it back needs (kind, level, deadline, compiler, contact, explanations the
# 自检 sheet prints). Comments, the change history and the import record are review material and travel
# in the draft or in the 审核副本 only. Markers written before this rule (with comments and history) are
# still read: the layout of the payload is unchanged.
_REVIEW_ONLY = ("comments", "history", "imported")


def payload(report: Report, review: bool = False) -> dict[str, Any]:
    body = report.model_dump(mode="json")
    if not review:
        for key in _REVIEW_ONLY:
            body.pop(key, None)
    return {"format": MARKER, "schema": SCHEMA_VERSION, "copy": "review" if review else "published",
            "report": _clean(body)}


def dumps(report: Report, review: bool = False) -> bytes:
    return json.dumps(payload(report, review), ensure_ascii=False).encode("utf-8")


def chunks(report: Report, review: bool = False) -> list[str]:
    """The payload JSON split into cell-sized pieces for the hidden worksheet (each at most
    XLSX_CELL_LIMIT UTF-16 units, which is how Excel counts)."""
    text = dumps(report, review).decode("utf-8")
    pieces, start, units = [], 0, 0
    for i, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > XLSX_CELL_LIMIT:
            pieces.append(text[start:i])
            start, units = i, 0
        units += width
    pieces.append(text[start:])
    return pieces


_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(value: Any) -> Any:
    """Strings as every file format can hold them (the model strips these on entry; notes may not)."""
    if isinstance(value, str):
        return _UNWRITABLE.sub("", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
