"""A fuzz harness for every format the program reads: mutated inputs through import → check → save →
reload → export, each in its own process with a time and a memory limit.

A format is one module in :mod:`fuzzing.formats` that calls :func:`register` with a :class:`Format`:
its file suffix, a function making seed files (from the program's own writers and the test data),
and weighted mutators. The generic byte mutators of :mod:`fuzzing.mutate` suit every format; zip,
XML, JSON and text mutators suit the families they name. A new reader (PDF, HTML) is plugged in by
adding one module there; nothing else changes.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

# rng, the input, the other seeds of the format (for splicing) → the mutated input
Mutator = Callable[[random.Random, bytes, Sequence[bytes]], bytes]


@dataclass(frozen=True)
class Format:
    name: str  # what the tally calls it: docx, xlsx, nbdraft, txt, pdf, html…
    suffix: str  # the extension the input is written with, which chooses the reader
    seeds: Callable[[Path], list[tuple[str, bytes]]]  # scratch folder → (seed name, content)
    mutators: Sequence[tuple[str, Mutator, float]]  # (name, mutator, weight)
    requires: tuple[str, ...] = ()  # modules the format needs (its reader's library); skipped if absent
    max_bytes: int = 12 * 1024 * 1024  # mutated inputs are cut to this; readers refuse far less
    prepare: Callable[[], None] | None = None  # run in the input's process before the pipeline (e.g. a switch)
    notes: str = field(default="", compare=False)

    def mutate(self, rng: random.Random, seed: bytes, others: Sequence[bytes]) -> tuple[bytes, list[str]]:
        """1–3 mutators chosen by weight, applied in turn; returns the input and the mutators' names."""
        names, fns, weights = zip(*self.mutators)
        chosen = rng.choices(range(len(fns)), weights=weights, k=rng.choice((1, 1, 1, 2, 2, 3)))
        data = seed
        for i in chosen:
            data = fns[i](rng, data, others)[: self.max_bytes]
        return data, [names[i] for i in chosen]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def load_formats() -> dict[str, Format]:
    """Import every module of :mod:`fuzzing.formats` (each registers its format) and return the registry."""
    from . import formats

    for info in pkgutil.iter_modules(formats.__path__):
        importlib.import_module(f"{formats.__name__}.{info.name}")
    return FORMATS


def available(fmt: Format) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in fmt.requires)
