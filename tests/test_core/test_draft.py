"""Draft files: exact round trips, atomic saves with a backup, and clear messages for bad files."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings

from core import draft
from core.draft import DraftError
from tests.factories import filled_report, reports


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_round_trip_of_random_reports(report):
    assert draft.loads(draft.dumps(report).encode("utf-8")) == report


def test_save_load_keeps_blank_distinct_from_zero(tmp_path):
    report = filled_report()
    report.table3.set("new", "research", None)
    path = draft.save(report, tmp_path / "a.nbdraft")
    loaded = draft.load(path)
    assert loaded == report
    assert loaded.table3.get("new", "research") is None and loaded.table3.get("new", "business") == 0


def test_file_is_self_describing(tmp_path):
    path = draft.save(filled_report(), tmp_path / "a.nbdraft")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == draft.MARKER and document["schema"] == draft.SCHEMA_VERSION
    assert document["program"] and document["saved_at"]
    assert document["report"]["table3"]["new"]["natural"] == 16


def test_save_keeps_previous_version_as_backup(tmp_path):
    path = tmp_path / "a.nbdraft"
    first = filled_report()
    draft.save(first, path)
    second = filled_report()
    second.table3.set("new", "natural", 99)
    draft.save(second, path)
    assert draft.load(path).table3.get("new", "natural") == 99
    assert draft.load(path.with_name("a.nbdraft.bak")).table3.get("new", "natural") == 16
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "a.nbdraft"
    draft.save(filled_report(), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    changed = filled_report()
    changed.table3.set("new", "natural", 1)
    with pytest.raises(DraftError, match="磁盘空间不足.*原文件未被改动"):
        draft.save(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def _write(tmp_path, content: bytes):
    path = tmp_path / "bad.nbdraft"
    path.write_bytes(content)
    return path


def test_truncated_file(tmp_path):
    good = draft.dumps(filled_report()).encode("utf-8")
    with pytest.raises(DraftError, match="不完整.*截断"):
        draft.load(_write(tmp_path, good[: len(good) // 2]))


def test_empty_file(tmp_path):
    with pytest.raises(DraftError, match="空文件"):
        draft.load(_write(tmp_path, b""))


def test_corrupted_in_the_middle(tmp_path):
    good = draft.dumps(filled_report()).encode("utf-8")
    bad = good[:200] + b"}{" + good[202:]
    with pytest.raises(DraftError, match="已损坏：第 \\d+ 行第 \\d+ 列"):
        draft.load(_write(tmp_path, bad))


def test_binary_garbage(tmp_path):
    with pytest.raises(DraftError, match="不是年报草稿文件"):
        draft.load(_write(tmp_path, bytes(range(256)) * 4))


def test_foreign_json(tmp_path):
    with pytest.raises(DraftError, match="缺少草稿文件标记"):
        draft.load(_write(tmp_path, b'{"name": "something else"}'))


def test_too_new(tmp_path):
    document = json.loads(draft.dumps(filled_report()))
    document["schema"] = draft.SCHEMA_VERSION + 1
    document["program"] = "9.0"
    with pytest.raises(DraftError, match="较新版本.*9.0.*请升级"):
        draft.load(_write(tmp_path, json.dumps(document).encode()))


def test_invalid_figure_names_the_cell(tmp_path):
    document = json.loads(draft.dumps(filled_report()))
    document["report"]["table3"]["new"]["natural"] = -3
    with pytest.raises(DraftError, match="表三「一、本年新收政府信息公开申请数量」行「自然人」列不能为负数"):
        draft.load(_write(tmp_path, json.dumps(document).encode()))


def test_invalid_year_names_the_field(tmp_path):
    document = json.loads(draft.dumps(filled_report()))
    document["report"]["meta"]["year"] = "明年"
    with pytest.raises(DraftError, match="报告年度应为整数"):
        draft.load(_write(tmp_path, json.dumps(document).encode()))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DraftError, match="找不到文件"):
        draft.load(tmp_path / "none.nbdraft")
    with pytest.raises(DraftError, match="是文件夹"):
        draft.load(tmp_path)
