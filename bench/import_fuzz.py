"""Mutated PDFs and web pages through the importer: each must give a report or a Chinese message within 5 s.

    python bench/import_fuzz.py [N per format] [seed]

Inputs are the corpus pages and their PDFs, mutated (bit flips, truncation, cut or repeated chunks, random
numbers in PDF objects, broken and deeply nested tags, huge spans). A worker process reads them one by one;
one that takes longer than the limit is killed and counted as a hang. Prints the tally by outcome and the
distinct failures.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import ROOT  # noqa: F401 - puts the repository on the path

LIMIT = 5.0


def mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7 if kind == "pdf" else 8)
        n = len(data)
        if n == 0:
            break
        if op == 0:  # bit flips
            for _ in range(rng.randint(1, 50)):
                i = rng.randrange(n)
                data[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # truncate
            del data[rng.randrange(n):]
        elif op == 2:  # cut a chunk
            i = rng.randrange(n)
            del data[i:i + rng.randint(1, 5000)]
        elif op == 3:  # repeat a chunk
            i = rng.randrange(n)
            chunk = data[i:i + rng.randint(1, 2000)]
            data[i:i] = chunk * rng.randint(1, 20)
        elif op == 4:  # random bytes
            i = rng.randrange(n)
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
        elif op == 5 and kind == "pdf":  # absurd numbers in objects (lengths, counts, coordinates)
            text = data.decode("latin-1")
            text = re.sub(r"\d+", lambda m: str(rng.choice((0, 1, 2**31, 10**12, int(m.group()) * 7)))
                          if rng.random() < 0.05 else m.group(), text)
            data = bytearray(text.encode("latin-1"))
        elif op == 6:  # swap two chunks
            i, j = sorted(rng.randrange(n) for _ in range(2))
            data[i:j] = data[i:j][::-1]
        elif op == 7:  # markup attacks
            attack = rng.choice((b"<div>" * 5000, b'<td rowspan="99999999" colspan="99999999">0</td>' * 200,
                                 b"<table>" * 2000, b"<meta charset=utf-32>", b"&#x" + b"9" * 50 + b";",
                                 "一、总体情况".encode() * 3000, b"<!--" * 100))
            i = rng.randrange(n)
            data[i:i] = attack
    return bytes(data)


def _worker(tasks, results) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from core import files
    from core.errors import ReportFileError
    from core.rules import check

    while True:
        item = tasks.get()
        if item is None:
            return
        index, path = item
        start = time.monotonic()
        try:
            report = files.read_report(path)
            check(report)
            outcome, detail = "report", ""
        except ReportFileError as e:
            message = str(e)
            english = re.sub(r"「[^」]*」|PDF|Word|Excel|WPS|UTF-\d+|GBK|GB18030|Big5|XML|DOCTYPE|ENTITY|MB|\w+Error", "", message)
            outcome = "english" if re.search(r"[A-Za-z]{3,}", english) else "message"
            detail = message[:120] if outcome == "english" else ""
        except Exception as e:  # noqa: BLE001 - the tally is what this script is for
            outcome, detail = "exception", f"{type(e).__name__}: {str(e)[:100]}"
        results.put((index, outcome, detail, time.monotonic() - start))


def run(n: int, seed: int, kinds=("pdf", "html")) -> dict[str, Counter]:
    from tests.realdata import REAL

    seeds = {"pdf": sorted((REAL / "pdf").glob("*.pdf")), "html": sorted(REAL.glob("*.html"))}
    rng = random.Random(seed)
    tallies: dict[str, Counter] = {}
    failures: Counter = Counter()
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            tally = tallies.setdefault(kind, Counter())
            paths = []
            for i in range(n):
                source = rng.choice(seeds[kind])
                path = Path(tmp) / f"{kind}-{i}.{kind}"
                path.write_bytes(mutate(source.read_bytes(), rng, kind))
                paths.append(path)
            i = 0
            slowest = 0.0
            while i < len(paths):
                tasks, results = ctx.Queue(), ctx.Queue()
                worker = ctx.Process(target=_worker, args=(tasks, results), daemon=True)
                worker.start()
                for j in range(i, len(paths)):
                    tasks.put((j, paths[j]))
                tasks.put(None)
                while i < len(paths):
                    try:
                        index, outcome, detail, seconds = results.get(timeout=LIMIT + (20 if i == 0 else 0))
                    except Exception:  # noqa: BLE001 - queue.Empty: the worker hangs or died
                        alive = worker.is_alive()
                        worker.kill()
                        tally["hang" if alive else "crash"] += 1
                        failures[f"{kind}: {'hang' if alive else 'crash'} on {paths[i].name}"] += 1
                        i += 1
                        break
                    slowest = max(slowest, seconds)
                    if seconds > LIMIT:
                        outcome = "slow"
                    tally[outcome] += 1
                    if detail:
                        failures[f"{kind}: {outcome}: {detail}"] += 1
                    i = index + 1
                worker.join(timeout=1)
            tally["slowest ms"] = int(slowest * 1000)
    for kind, tally in tallies.items():
        print(f"{kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    for failure, count in failures.most_common(20):
        print(f"  {count:>5} × {failure}")
    return tallies


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
