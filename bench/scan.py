"""Accuracy and speed of reading scans: every table figure of generated scans against its truth.

    python bench/scan.py SCAN_DIR [--limit N]

SCAN_DIR holds ``*.pdf`` scans with their ``*.json`` truth, as ``tests/data/scans/make_scans.py`` makes
them. Each figure printed alone in a table cell of the source is looked up among the words read at its
place on the straightened page and counted as exact, marked uncertain (right or wrong), wrong and
unmarked, or missed. The title read from the first page must give the organ and the year. Prints one
line per scan, then totals, the median time per page and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.imports import scan  # noqa: E402
from core.imports.builder import parse_title  # noqa: E402
from core.imports.pages import Page, Word  # noqa: E402


def word_at(page: Page, box: list[float], slack: float = 3.0) -> Word | None:
    """The word read where the source printed a figure: the one containing its centre, nearest first."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    near = [w for w in page.words
            if w.x0 - slack <= cx <= w.x1 + slack and w.top - slack <= cy <= w.bottom + slack]
    return min(near, key=lambda w: abs((w.x0 + w.x1) / 2 - cx) + abs((w.top + w.bottom) / 2 - cy), default=None)


def title_of(page: Page) -> str:
    """The first lines of the page joined until one ends the title (…报告)."""
    lines: list[list[Word]] = []
    for w in sorted(page.words, key=lambda w: w.top):
        if lines and abs(lines[-1][0].top - w.top) < 6:
            lines[-1].append(w)
        else:
            lines.append([w])
    title = ""
    for line in lines[:4]:
        title += "".join(w.text for w in sorted(line, key=lambda w: w.x0))
        if "报告" in title:
            return title
    return ""


def measure(pdf: Path, truth: dict, counts: Counter, times: list[float], wrong: list[str],
            confidences: dict[str, list[float]]) -> str:
    started = [time.perf_counter()]

    def progress(done: int, total: int, message: str) -> None:
        now = time.perf_counter()
        if done:
            times.append(now - started[0])
        started[0] = now

    pages = scan.read_scan_pages(pdf, progress=progress)
    local = Counter()
    for page, page_truth in zip(pages, truth["pages"]):
        for *box, text in page_truth["figures"]:
            word = word_at(page, box)
            if word is None:
                local["missed"] += 1
                wrong.append(f"{pdf.name} p{page.number} {text}: missed")
                continue
            read = unicodedata.normalize("NFKC", word.text).strip()
            marked = scan.figure_uncertain(word)
            key = ("exact" if read == text else "wrong") + ("/marked" if marked else "")
            confidences["exact" if read == text else "wrong"].append(word.confidence)
            local[key] += 1
            if read != text:
                wrong.append(f"{pdf.name} p{page.number} {text} read {word.text!r} conf {word.confidence:.3f}"
                             + (" (marked)" if marked else " UNMARKED"))
    if truth["pages"][0].get("source_page", 1) != 1:  # a scan of inner pages has no title to read
        counts.update(local)
        figures = sum(local.values())
        return f"{pdf.name}: {len(pages)} pages, {figures} figures, " + ", ".join(f"{k} {v}" for k, v in sorted(local.items()))
    title = parse_title(title_of(pages[0])) if pages else None
    title_ok = bool(title) and title[1] == truth.get("year") and title[0] == truth.get("organ")
    local["titles"] += 1
    local["titles right"] += title_ok
    counts.update(local)
    figures = sum(v for k, v in local.items() if k.split("/")[0] in ("exact", "wrong", "missed"))
    return (f"{pdf.name}: {len(pages)} pages, {figures} figures, exact {local['exact']}, "
            f"exact but marked {local['exact/marked']}, wrong marked {local['wrong/marked']}, "
            f"wrong UNMARKED {local['wrong']}, missed {local['missed']}; title {'ok' if title_ok else title}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    if not scan.component_available():
        sys.exit("需要安装可选组件「扫描件识别」（pip install nianbao[ocr]）")
    files = sorted(args.folder.glob("*.pdf"))[: args.limit or None]
    counts: Counter = Counter()
    times: list[float] = []
    wrong: list[str] = []
    confidences: dict[str, list[float]] = {"exact": [], "wrong": []}
    for pdf in files:
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        print(measure(pdf, truth, counts, times, wrong, confidences), flush=True)
    figures = counts["exact"] + counts["exact/marked"] + counts["wrong"] + counts["wrong/marked"] + counts["missed"]
    print()
    for line in wrong:
        print("  " + line)
    print(f"\nfigures {figures}: exact and confident {counts['exact']} ({100 * counts['exact'] / max(figures, 1):.2f} %), "
          f"exact but marked {counts['exact/marked']}, wrong and marked {counts['wrong/marked']}, "
          f"wrong and UNMARKED {counts['wrong']}, missed {counts['missed']}")
    for kind, values in confidences.items():
        if values:
            cuts = [0.5, 0.8, 0.9, 0.95, 0.98]
            print(f"confidence of {kind} reads: min {min(values):.3f}, max {max(values):.3f}; "
                  + ", ".join(f"below {c}: {sum(v < c for v in values)}" for c in cuts))
    print(f"titles: organ and year right {counts['titles right']} of {counts['titles']}")
    if times:
        print(f"time per page: median {statistics.median(times):.2f} s, max {max(times):.2f} s over {len(times)} pages")
    try:
        import resource
    except ImportError:  # Windows: the tests import this module for its helpers
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
