"""LibreOffice and poppler for tests that check documents the way a reader's software sees them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def convert(path: Path, to: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless (a private profile, so parallel runs do not collide)."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (path.stem + "." + to.split(":")[0])
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
