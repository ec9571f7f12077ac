"""Output in the published form: Word and Excel (here) and, through Qt, print and PDF (gui.printing)."""

from .document import Options, blocking_findings, build

__all__ = ["Options", "blocking_findings", "build"]
