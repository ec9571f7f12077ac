"""政务公开年报助手 core: the report model, rules, file formats and the command line (no Qt here)."""

from .version import __version__

__all__ = ["__version__"]
