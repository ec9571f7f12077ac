"""A small run of the mutation fuzzer over PDFs and web pages (bench/import_fuzz.py runs thousands)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import import_fuzz  # noqa: E402


def test_mutated_pdfs_and_pages_give_a_report_or_a_chinese_message_in_time(capsys):
    tallies = import_fuzz.run(25, seed=11)
    for kind, tally in tallies.items():
        assert set(tally) <= {"report", "message", "slowest ms"}, (kind, tally)
        assert tally["report"] + tally["message"] == 25
        assert tally["slowest ms"] < import_fuzz.LIMIT * 1000
