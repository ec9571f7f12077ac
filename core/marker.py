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
            "report": body}


def dumps(report: Report, review: bool = False) -> bytes:
    """The payload as UTF-8 JSON that any zip part or worksheet cell can hold, losslessly: JSON escapes
    control characters itself; lone surrogates and U+FFFE/U+FFFF (no UTF-8, no XML) are escaped too."""
    text = json.dumps(payload(report, review), ensure_ascii=False)
    return _UNWRITABLE.sub(lambda m: "\\u%04x" % ord(m.group()), text).encode("utf-8")


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


# Only inside JSON strings can these occur (json.dumps has already escaped the C0 controls).
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
