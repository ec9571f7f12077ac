"""Frozen entry point of the command line (`nianbao check|new|rules|export|convert ...`)."""

import sys

from core import files
from core.cli import main


def _pdf(report, path, **options):
    from gui.printing import write_pdf  # named here so the frozen build carries it; loaded only for a PDF

    return write_pdf(report, path, **options)


files.register_writer(".pdf", "PDF 文件", _pdf)
sys.exit(main())
