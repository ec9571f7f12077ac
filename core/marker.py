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
from typing import Any

from .model import Report

MARKER = "nianbao-export"
SCHEMA_VERSION = 1
DOCX_PART = "/customXml/nianbao-report.json"
DOCX_CONTENT_TYPE = "application/json"
DOCX_REL_TYPE = "http://schemas.nianbao.invalid/relationships/report"
XLSX_SHEET = "_nianbao"
XLSX_CELL_LIMIT = 32000  # Excel holds at most 32,767 characters in a cell


def payload(report: Report) -> dict[str, Any]:
    return {"format": MARKER, "schema": SCHEMA_VERSION, "report": report.model_dump(mode="json")}


def dumps(report: Report) -> bytes:
    return json.dumps(payload(report), ensure_ascii=False).encode("utf-8")


def chunks(report: Report) -> list[str]:
    """The payload JSON split into cell-sized pieces for the hidden worksheet."""
    text = dumps(report).decode("utf-8")
    return [text[i:i + XLSX_CELL_LIMIT] for i in range(0, len(text), XLSX_CELL_LIMIT)] or [""]
