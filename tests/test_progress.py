from __future__ import annotations

import json

from course_lib.progress import ProgressStore


def test_round_trip_and_unicode(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.put("quiz", "u01.q1", {"answer": "您好"})
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["quiz"]["u01.q1"]["answer"] == "您好"
    assert ProgressStore(tmp_path / "p.json").get("quiz", "u01.q1") == {"answer": "您好"}


def test_damaged_file_is_set_aside(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json", encoding="utf-8")
    store = ProgressStore(path)
    assert store.get("quiz", "x") is None and "损坏" in store.notice
    assert (tmp_path / "p.json.bak").read_text(encoding="utf-8") == "{not json"
    store.put("quiz", "x", 1)
    assert ProgressStore(path).get("quiz", "x") == 1


def test_unwritable_folder_gives_a_notice(tmp_path):
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    store = ProgressStore(target / "p.json")       # parent is a file: cannot write
    store.put("quiz", "x", 1)
    assert "无法保存" in store.notice and store.get("quiz", "x") == 1


def test_two_views_sharing_a_file_keep_both_entries(tmp_path):
    quiz_store = ProgressStore(tmp_path / "p.json")
    roleplay_store = ProgressStore(tmp_path / "p.json")     # created before the quiz saved anything
    quiz_store.put("quiz", "u01.q1", {"answer": "B"})
    roleplay_store.put("roleplay", "u01_thinkpad", {"score": 50})
    again = ProgressStore(tmp_path / "p.json")
    assert again.get("quiz", "u01.q1") == {"answer": "B"}
    assert again.get("roleplay", "u01_thinkpad") == {"score": 50}
