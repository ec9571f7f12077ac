"""The program's PDF read back word by word, over variants of the bundled samples:

    python bench/print_layout.py [VARIANTS]

Each variant pads part 一 to a different length and, for half of them, gives the tables county-scale
figures (4 to 7 digits). The PDF is written by the print path and read with ``pdftotext -bbox-layout``;
the script prints, over all variants, the words drawn over other words, the headings left as the last
line of a page, the words drawn below the text block and the pages. Needs poppler's pdftotext.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import ROOT  # noqa: F401,E402  (puts the repository on sys.path)


def main(variants: int) -> int:
    from PySide6.QtWidgets import QApplication

    from gui.printing import write_pdf
    from tests.test_gui.test_printing import SAMPLES, outside_the_block, overlaps, padded, read_pages, \
        stranded_headings

    QApplication.instance() or QApplication(sys.argv[:1])
    prefixes = sorted(SAMPLES)
    totals = {"overprinted words": 0, "stranded headings": 0, "words below the block": 0, "pages": 0}
    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(variants):
            digits = (1, 4, 5, 6, 7)[i % 5] if i % 2 else 1
            report = padded(SAMPLES[prefixes[i % len(prefixes)]], extra=(i * 7) % 41, digits=digits, seed=i)
            path = Path(folder) / f"{i}.pdf"
            start = time.perf_counter()
            write_pdf(report, path, draft=True)
            seconds.append(time.perf_counter() - start)
            pages = read_pages(path)
            totals["overprinted words"] += len(overlaps(pages))
            totals["stranded headings"] += len(stranded_headings(pages))
            totals["words below the block"] += len(outside_the_block(pages))
            totals["pages"] += len(pages)
    print(f"{variants} variants (samples {', '.join(prefixes)}; part 一 padded 0-40 sentences; half with 4-7-digit figures)")
    for name, count in totals.items():
        print(f"  {name:<24} {count}")
    seconds.sort()
    print(f"  PDF write: median {seconds[len(seconds) // 2] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 24))
