"""The supervisor's windows, one module each: 汇总 (compile many units), 报送名单 (who sent what), 对比
(two versions).

Each is a top-level window beside the main window, which it uses to open a unit's draft (in review
mode) or the compiled summary.
"""

from .compare import CompareWindow
from .compile import CompileWindow
from .roster import RosterWindow

__all__ = ["CompareWindow", "CompileWindow", "RosterWindow"]
