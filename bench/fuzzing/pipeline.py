"""What one fuzzed input goes through, in the process made for it: import → check → save → reload → export.

The result is a plain dict: ``outcome`` is ``ok`` (read and through every stage), ``refused`` (the
reader said no, in a message), ``crash`` (an exception that was not a message, with its stage, type
and place), or ``mismatch`` (the reloaded draft differs from the report saved). ``english`` lists
Latin words found in any message the user would see (refusals, findings, export refusals).
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tuple(str(ROOT / d) for d in ("core", "gui"))
INPUT_STEM = "样本"  # a Chinese file name, so the name itself is never taken for English in a message

# Latin text a Chinese message may carry: product and format names, encodings, sizes, cell addresses,
# paths of parts inside Office files, extensions.
_ALLOWED = re.compile(
    r"(?<![A-Za-z])(?:Word|Excel|WPS|PDF|Office|UTF-8|UTF-16|UTF-32|GBK|GB18030|Big5|BOM|XML|JSON|DOCTYPE|ENTITY"
    r"|ZIP|zip|KB|MB|GB|HTML|OCR|CSV|doc|docx|xls|xlsx|txt|pdf|html|htm|nbdraft|bak|json|tmp)(?![A-Za-z])"
    r"|[A-Za-z0-9_\[\]/.\-]+\.(?:xml|rels|bin|json|png|jpeg|jpg|emf|wmf|vml)(?![A-Za-z])"
    r"|(?<![A-Za-z])[A-Z]{1,3}\d{1,7}(?![A-Za-z0-9])"
    r"|(?<![A-Za-z])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![A-Za-z])"  # rule ids: T3-BALANCE, IMPORT-UNREAD
)
_QUOTED = re.compile(r"「[^「」]{0,400}」")  # what the file itself says (a name, a value), quoted back
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def english(message: str, *names: str) -> list[str]:
    """Latin words in ``message`` that are not allowed names (the input's own file names removed first)."""
    for name in names:
        message = message.replace(name, "")
    return _LATIN_WORD.findall(_ALLOWED.sub("", _QUOTED.sub("", message)))


def place(e: BaseException) -> tuple[str, str]:
    """(innermost frame in the project, innermost frame anywhere) as ``path:line function``."""
    frames = traceback.extract_tb(e.__traceback__)
    inner = frames[-1] if frames else None
    ours = next((f for f in reversed(frames) if f.filename.startswith(PROJECT)), None)

    def fmt(f) -> str:
        if f is None:
            return "?"
        name = f.filename
        for prefix in (str(ROOT) + "/", "site-packages/"):
            if prefix in name:
                name = name.split(prefix, 1)[1]
        return f"{name}:{f.lineno} {f.name}"
    return fmt(ours), fmt(inner)


def _qt_app() -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _qt_app.app = QGuiApplication([])  # kept alive for the process


def run(suffix: str, data: bytes, work: Path, exports: tuple[str, ...]) -> dict:
    from core import draft, files
    from core.errors import ReportFileError
    from core.rules import check

    path = work / (INPUT_STEM + suffix)
    path.write_bytes(data)
    names = (path.name, str(path), str(work))
    stage = "import"
    messages: list[str] = []
    try:
        try:
            report = files.read_report(path)
        except ReportFileError as e:
            return {"outcome": "refused", "message": str(e)[:500], "english": english(str(e), *names)}
        stage = "check"
        findings = check(report)
        messages += [f.message for f in findings]
        stage = "save"
        saved = work / "保存.nbdraft"
        draft.save(report, saved)
        draft.save(report, saved)  # again, so the backup is made too
        stage = "reload"
        again = draft.load(saved)
        if again != report:
            return {"outcome": "mismatch", "stage": "reload", "detail": _difference(report, again)}
        stage = "export"
        for ext in exports:
            if ext == ".pdf":
                _qt_app()
            try:
                files.write_report(again, work / f"导出{ext}")
            except ReportFileError as e:
                messages.append(str(e))
    except BaseException as e:  # noqa: BLE001 — the harness reports every kind, MemoryError and RecursionError too
        ours, inner = place(e)
        return {"outcome": "crash", "stage": stage, "error": type(e).__name__, "place": ours, "inner": inner,
                "detail": str(e)[:300]}
    words = [w for m in messages for w in english(m, *names)]
    return {"outcome": "ok", "english": words, "message": next((m for m in messages if english(m, *names)), "")[:300]}


def _difference(a, b) -> str:
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    for k in da:
        if da[k] != db.get(k):
            return f"field {k} differs after reload"
    return "reports differ after reload"
