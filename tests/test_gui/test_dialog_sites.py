"""Every file dialog the program opens is the polished one (Chinese dates and sizes, names in full)."""

from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "gui"
STATIC_DIALOGS = {"getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"}


def _unprepared(tree: ast.AST) -> list[int]:
    """Lines of static QFileDialog calls not inside ``with prepared():`` / ``with file_dialogs.prepared():``."""
    found = []

    def visit(node: ast.AST, prepared: bool) -> None:
        if isinstance(node, ast.With):
            prepared = prepared or any(
                isinstance(item.context_expr, ast.Call)
                and (getattr(item.context_expr.func, "id", None) == "prepared"
                     or getattr(item.context_expr.func, "attr", None) == "prepared")
                for item in node.items)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in STATIC_DIALOGS and not prepared:
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, prepared)

    visit(tree, False)
    return found


def test_every_static_file_dialog_is_opened_inside_prepared():
    bad = {str(f.relative_to(GUI)): lines for f in sorted(GUI.rglob("*.py"))
           if (lines := _unprepared(ast.parse(f.read_text(encoding="utf-8"))))}
    assert bad == {}
