"""The program never goes on the network: offices run it on machines with no Internet or a monitored one."""

from __future__ import annotations

import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from core import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "济源市人民政府办公室2022年政府信息公开工作年度报告.nbdraft"
ORGAN = "济源市人民政府办公室"
# Modules whose only use would be talking to another machine.
NETWORK_MODULES = ("PySide6.QtNetwork", "ssl", "http.client", "urllib.request", "ftplib", "smtplib", "xmlrpc.client")


@pytest.fixture
def attempts(monkeypatch):
    """Every connection or name lookup is refused and recorded; the test asserts the record stays empty."""
    seen = []

    def refuse(name):
        def blocked(*args, **kwargs):
            seen.append((name, args[1:] if args and isinstance(args[0], socket.socket) else args))
            raise OSError(f"network access attempted: {name}")
        return blocked

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "create_connection"),
                        (socket, "getaddrinfo"), (socket, "gethostbyname"), (socket, "gethostbyname_ex")):
        monkeypatch.setattr(owner, name, refuse(name))
    return seen


def test_the_guard_catches_a_connection(attempts):
    with pytest.raises(OSError):
        socket.create_connection(("example.invalid", 80))
    assert attempts and attempts[0][0] == "create_connection"
    attempts.clear()


def test_command_line_export_stays_offline(attempts, qapp, tmp_path):
    out = {ext: tmp_path / f"年报.{ext}" for ext in ("docx", "xlsx", "pdf")}
    assert cli.main(["export", str(SAMPLE), "--docx", str(out["docx"]), "--xlsx", str(out["xlsx"]),
                     "--pdf", str(out["pdf"])]) == 0
    assert cli.main(["check", str(SAMPLE)]) == 0
    assert all(p.stat().st_size > 0 for p in out.values())
    assert attempts == []


def test_window_session_stays_offline(attempts, make_window, monkeypatch, tmp_path):
    window = make_window()
    assert window.open_path(SAMPLE)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
    exported = [window.export(kind, tmp_path / f"导出.{kind}") for kind in ("docx", "xlsx", "pdf")]
    saved = tmp_path / "另存.nbdraft"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    assert window.save_as()
    window.autosaver.save_now()
    assert all(p and p.stat().st_size > 0 for p in exported) and saved.exists()
    with zipfile.ZipFile(exported[0]) as docx:
        assert ORGAN in docx.read("word/document.xml").decode("utf-8")
    assert attempts == []


def test_no_network_module_is_imported():
    probe = ("import sys, core.cli, core.files, core.export.docx, core.export.xlsx, gui.app, gui.main_window, "
             "gui.printing; print(' '.join(m for m in sys.argv[1:] if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, *NETWORK_MODULES], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == []
