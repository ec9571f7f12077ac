"""Frozen entry point of the window (`nianbao-gui [FILE]`): PyInstaller cannot run gui/__main__.py's relative import."""

import sys

from gui.app import main

sys.exit(main())
