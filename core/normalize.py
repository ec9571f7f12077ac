"""Cleaning text that was copied out of PDFs, web pages and word processors.

Two levels: ``fold`` repairs characters (radicals and compatibility ideographs that PDF extraction
produces instead of the ordinary character, invisible characters) and is safe for narrative text;
``key`` reduces a label to its letters for matching (NFKC, no spaces, no punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# CJK Radicals Supplement code points that stand alone as simplified characters. NFKC leaves them
# alone (it only folds the Kangxi Radicals block), but PDF text layers often use them for the character.
_RADICALS = dict(zip(
    "⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "母民西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
))
# Kangxi radicals whose NFKC form is the traditional variant, while simplified fonts draw them as the
# simplified character (户 is drawn by the same glyph as ⼾).
_KANGXI_SIMPLIFIED = {"⼾": "户", "⾭": "青", "⺩": "王"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def _fold_char(c: str) -> str:
    if c in _KANGXI_SIMPLIFIED:
        return _KANGXI_SIMPLIFIED[c]
    o = ord(c)
    if 0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        return unicodedata.normalize("NFKC", c)
    return _RADICALS.get(c, c)


_NEEDS_FOLD = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def fold(text: str) -> str:
    """Repair characters without touching punctuation width (safe for narrative)."""
    text = text.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u3000", " ")
    if _NEEDS_FOLD.search(text):
        text = "".join(_fold_char(c) for c in text)
    return text


_NOT_LETTERS = re.compile(r"[\s\W_]+", re.UNICODE)


def key(text: str) -> str:
    """A label reduced for matching: folded, NFKC, no whitespace or punctuation."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", fold(text)))


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})(?=\D)")


def label_core(text: str) -> str:
    """A label without its leading numbering (一、 （三） 1.): what stays when a copy mangles numbers."""
    return _NUMBERING.sub("", key(text))


# -- figures ------------------------------------------------------------------------------------

BLANK_MARKS = frozenset({"—", "——", "–", "-", "－", "/", "／", "\\", "无", "空", "…"})
FORMULA_MARK = "="  # a spreadsheet formula whose result was never calculated (stands in the figure's place)
_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def is_figure_token(token: str) -> bool:
    """A token that can only be a table figure (a number or a blank mark), never a label."""
    t = unicodedata.normalize("NFKC", token).strip()
    return t in BLANK_MARKS or t == FORMULA_MARK or bool(_NUMBER.match(t.replace("−", "-")))


def parse_number(token: str) -> Decimal | None:
    """The number a figure token states (thousands separators and full-width digits allowed);
    None for a blank mark. Raises ValueError for anything else."""
    t = unicodedata.normalize("NFKC", token).strip().replace("−", "-")
    if t == "" or t in BLANK_MARKS or t == FORMULA_MARK:
        return None
    if not _NUMBER.match(t):
        raise ValueError(token)
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:
        raise ValueError(token) from None
