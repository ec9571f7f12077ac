"""Frozen entry point of the command line (`nianbao check|new|rules|export|convert ...`)."""

import sys

from core.cli import main

sys.exit(main())
