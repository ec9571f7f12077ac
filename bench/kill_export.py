"""Kill test of exports: a process re-exports a report over the previous good file again and again and is
killed (SIGKILL) at a random moment; afterwards the file must be whole and readable, an earlier or the new
version, never a cut one. Temp files a kill leaves are removed by the next export.

    python bench/kill_export.py [KILLS_PER_FORMAT] [docx xlsx pdf]
    KILL_EXPORT_IN_PLACE=1 python bench/kill_export.py 50     # the control: files written in place

Prints one line per format: kills, files whole, files damaged, stray temp files after the next export.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import ROOT

FORMATS = ("docx", "xlsx", "pdf")
ORGANS = ("甲县人民政府办公室", "乙县人民政府办公室")

CHILD = r"""
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from core.imports.text import read_text_file
from tests.factories import county_scale, sample
kind, target = sys.argv[1], sys.argv[2]
if os.environ.get("KILL_EXPORT_IN_PLACE"):  # the control: writing in place, as exports did before
    import contextlib
    from pathlib import Path
    import core.atomic

    @contextlib.contextmanager
    def in_place(path, what=None, check=None, **options):
        yield Path(path)

    core.atomic.atomic_path = in_place
report = county_scale(read_text_file(sample("001")), 6)
report.texts["overview"] = report.texts["overview"] * 6
versions = []
for organ in {organs!r}:
    r = report.model_copy(deep=True)
    r.meta.organ = organ
    versions.append(r)
if kind == "docx":
    from core.export.docx import write_docx as write
elif kind == "xlsx":
    from core.export.xlsx import write_xlsx as write
else:
    from gui.printing import write_pdf as write
write(versions[0], target)  # warm up (and, the first time, the previous good file)
print("ready", flush=True)
i = 0
while True:
    i += 1
    write(versions[i % 2], target)
"""


def whole(kind: str, path: Path) -> bool:
    """The file opens, every part is intact and it is one of the two versions."""
    try:
        if kind == "pdf":
            from core.export.pdf import check_pdf
            from core.imports.pdf import pdf_pages  # the program's own reader: no poppler on Windows

            check_pdf(path)
            text = "".join(w.text for page in pdf_pages(path) for w in page.words)
            return any(o in text for o in ORGANS)
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                return False
        if kind == "docx":
            from core.imports.docx import read_docx as read
        else:
            from core.imports.xlsx import read_xlsx as read
        return read(path).meta.organ in ORGANS
    except Exception:  # noqa: BLE001 - anything unreadable counts as damaged
        return False


def run(kind: str, kills: int, folder: Path, rng: random.Random) -> tuple[int, int, int]:
    target = folder / f"报告.{kind}"
    code = CHILD.format(root=str(ROOT), organs=ORGANS)
    ok = damaged = 0
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", code, kind, str(target)], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, cwd=ROOT)
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, {"docx": 0.6, "xlsx": 0.6, "pdf": 1.2}[kind]))
        child.kill()  # SIGKILL; TerminateProcess on Windows
        child.wait()
        if whole(kind, target):
            ok += 1
        else:
            damaged += 1
    # The next export removes what the kills left beside the file.
    subprocess.run([sys.executable, "-c", code.replace("while True:", "while False:"), kind, str(target)],
                   stdout=subprocess.DEVNULL, cwd=ROOT, check=True)
    from core.atomic import stray_temp_files

    return ok, damaged, len(stray_temp_files(folder))


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    kinds = sys.argv[2:] or FORMATS
    rng = random.Random(20261202)
    failed = False
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            ok, damaged, strays = run(kind, kills, Path(tmp), rng)
        print(f"{kind:<5} kills {kills:>4}  whole {ok:>4}  damaged {damaged:>3}  stray temp files after next export {strays}")
        failed |= bool(damaged or strays)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
