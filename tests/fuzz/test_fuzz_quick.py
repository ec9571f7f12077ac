"""The fuzz harness at a small N per format, and the kill test at a few kills: what CI runs.

The harness itself is `bench/fuzz.py` (the large runs quoted in the notes use the same code);
here it runs as a user would run it, as a separate program, and every outcome must be clean.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks one process per input")


def _run(script: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(ROOT))


def test_every_format_survives_mutated_inputs(tmp_path):
    out = tmp_path / "fuzz.json"
    # PDFs and web pages: tests/test_core/test_import_fuzz.py runs the same harness over them.
    done = _run("fuzz.py", "-n", "25", "--jobs", "2", "--seed", "7", "--quiet", "--json", str(out),
                "--formats", "docx,xlsx,nbdraft,txt", "--failures", str(tmp_path / "failures"))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["formats"]) == {"docx", "xlsx", "nbdraft", "txt"}, done.stdout + done.stderr
    for name, fmt in report["formats"].items():
        t = fmt["tally"]
        assert t["inputs"] == 25, name
        assert (t["uncaught"], t["timeouts"], t["over_time"], t["over_memory"], t["english"], t["mismatch"]) == \
            (0, 0, 0, 0, 0, 0), f"{name}: {done.stdout}"
        assert t["outcomes"].get("ok", 0) + t["outcomes"].get("refused", 0) == 25
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_reader_has_a_fuzzed_format():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from fuzzing import load_formats
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from core import files

    fuzzed = {f.suffix for f in load_formats().values()}
    assert set(files.READERS) - {".htm", ".md"} <= fuzzed  # .htm and .md are read as .html and .txt


def test_the_harness_reports_a_crash_with_its_place(tmp_path):
    """A reader that raises is counted as uncaught, with the exception type and the frame it came from."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from fuzzing import pipeline

        def boom(path):
            raise KeyError("nonsense")

        from core import files

        saved = files.READERS[".txt"]
        files.READERS[".txt"] = ("文字稿", boom)
        try:
            result = pipeline.run(".txt", "一、总体情况".encode(), tmp_path, ())
        finally:
            files.READERS[".txt"] = saved
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert result["outcome"] == "crash" and result["stage"] == "import" and result["error"] == "KeyError"
    assert "test_fuzz_quick.py" in result["inner"]


def test_english_in_a_message_is_found_and_names_and_quotes_are_not():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from fuzzing.pipeline import english
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert english("「样本.docx」已损坏（BadZipFile）", "样本.docx") == ["BadZipFile"]
    assert english("cannot convert float NaN to integer") == ["cannot", "convert", "float", "NaN", "integer"]
    assert english("「样本.docx」不是有效的Word 文档；请在 Word/WPS 中另存为 .docx，见 word/document.xml 与 B12") == []
    assert english("表三中有无法识别的行「granted」") == []


def test_kills_during_save_and_autosave_lose_nothing(tmp_path):
    out = tmp_path / "kill.json"
    done = _run("kill_save.py", "-n", "12", "--mode", "both", "--json", str(out), "--folder", str(tmp_path))
    results = json.loads(out.read_text(encoding="utf-8"))
    for mode in ("save", "autosave"):
        t = results[mode]
        assert (t["kills"], t["whole"], t["lost"], t["strays_left"]) == (12, 12, 0, 0), done.stdout
    assert done.returncode == 0
