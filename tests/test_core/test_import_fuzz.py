"""A small run of the fuzz harness over PDFs and web pages (bench/fuzz.py runs thousands of each).

The harness runs as a user runs it, as a separate program: each mutated input through import → check →
save → reload → export in its own process, within 5 s of CPU and 500 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks one process per input")
def test_mutated_pdfs_and_pages_give_a_report_or_a_chinese_message_in_time(tmp_path):
    out = tmp_path / "fuzz.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "-n", "25", "--seed", "11",
                           "--formats", "pdf,html", "--quiet", "--json", str(out)],
                          capture_output=True, text=True, timeout=900, env=env, cwd=str(ROOT))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["formats"]) == {"pdf", "html"}, done.stdout + done.stderr
    for kind, fmt in report["formats"].items():
        t = fmt["tally"]
        assert t["inputs"] == 25
        assert t["outcomes"].get("ok", 0) + t["outcomes"].get("refused", 0) == 25, (kind, done.stdout)
        assert (t["uncaught"], t["over_time"], t["over_memory"], t["english"], t["mismatch"]) == (0, 0, 0, 0, 0), \
            (kind, done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
