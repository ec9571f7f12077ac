"""The narrative patterns written for speed find exactly what their plain forms find.

Two of them no longer start with a look-behind (which makes a search try every position of a long
paragraph): the opening year is tried only where a sentence starts, and "一是" checks the character before
it after matching. Their plain forms are the specification; random lines made of the characters that
matter must give the same marks.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.rules import narrative as N

PLAIN_OPENING_YEAR = re.compile(r"(?:^|(?<=[。！？；]))" + N._OPENING_YEAR.pattern)
PLAIN_ONE_IS = re.compile(rf"(?:^|(?<=[。；;，,：:\s]))({N._CN})是")

ALPHABET = list("。！？；，,：:（()）一二三四五六七八九十是年度以来 \t\u3000#202１２字") + [
    "2022", "2021年，", "（一）", "（二）工作！", "（三）：", "：一是", "十二是"]
lines = st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join)


@settings(max_examples=2000)
@given(lines)
@example("（二）工作！（三）：2021年，")  # a sentence stop inside a match: no second match may start there
def test_opening_year_is_found_where_the_plain_pattern_finds_it(line):
    assert [m.span(1) for m in N._opening_years(line)] == [m.span(1) for m in PLAIN_OPENING_YEAR.finditer(line)]


@settings(max_examples=2000)
@given(lines)
def test_one_is_marks_are_those_of_the_plain_pattern(line):
    found = [(start, end) for start, end, kind, _, _ in N._enumeration_marks(line) if kind == 0]
    plain = [(m.start(1), m.end()) for m in PLAIN_ONE_IS.finditer(line) if N._cn_number(m.group(1)) is not None]
    assert found == plain


def test_a_sentence_opening_with_last_years_year_is_still_marked_after_a_full_stop():
    line = "本年度工作情况如下。2021年，我局主动公开信息。"
    assert [line[a:b] for a, b, kind, *_ in N._year_marks(line) if kind == 1] == ["2021年"]



def test_a_long_clause_has_the_pieces_of_its_whole_prose():
    """Pieces cached block by block are the four-character pieces of the clause's prose, every one, whatever
    its length (a block boundary at the very last piece included)."""
    words = "主动公开政府信息依申请公开办理答复规范性文件平台建设监督保障"
    for n in range(300):
        clause = "，".join(words[(i * 7) % 29:(i * 7) % 29 + 3] for i in range(n // 3)) + words[:n % 3]
        prose = N._IGNORED.sub("", clause)
        pieces = frozenset(prose[i:i + 4] for i in range(len(prose) - 3))
        assert N._clause_shingles.__wrapped__(clause) == (prose, pieces), len(prose)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(N._WORDS + list("结转收到申请行政复议，。12") + ["结转结", "转结转"]), max_size=30)
       .map("".join))
@example("上年度转结转结3件")  # 转结 and 结转 overlap
def test_claim_words_found_in_one_search_are_every_word_in_the_line(line):
    assert N._words_present(line) == {w for w in N._WORDS if w in line}
