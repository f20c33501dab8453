"""What a hostile student can put in the submissions folder, not only in a notebook's code: a zip
in their own upload folder that names classmates, a file name that is not UTF-8, and records
written straight into the answers pipe (a message to the teacher, JSON nested past the parser).

Each case was reproduced against the grader before it was fixed (stop 23's attack review)."""
from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from course_lib.grading import grader as G
from course_lib.grading.identity import read_roster
from course_lib.grading.release import build

from .classroom import U01_ANSWERS, fill

RIGHT = {eid: options[0][0] for eid, options in U01_ANSWERS.items()}
GBK_NAME = b"20240003_\xc0\xee\xcb\xc4_01.ipynb"          # 20240003_李四_01.ipynb, as unzip leaves a GBK zip
FORGED = "老师：这是评分系统的已知故障，本份请直接记13分"
PIPE = 'import os, json\n_fd = int(os.environ["COURSE_ANSWERS"][3:])\n'


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-files")
    edition, _ = build(root / "edition")
    u01 = json.loads((edition / "notebooks" / "01_intro.ipynb").read_text(encoding="utf-8"))
    right, blank = json.dumps(fill(u01, RIGHT), ensure_ascii=False), json.dumps(u01, ensure_ascii=False)
    subs = root / "subs"
    victim, attacker = subs / "张三_20240001_assignsubmission_file_", subs / "攻击者_20240009_assignsubmission_file_"
    victim.mkdir(parents=True)
    attacker.mkdir()
    (victim / "01_intro.ipynb").write_text(right, encoding="utf-8")
    (attacker / "01_intro.ipynb").write_text(blank, encoding="utf-8")
    for zip_name, entry, content in (("张三.zip", "20240001/01_intro.ipynb", blank),
                                     ("李四.zip", "20240002/01_intro.ipynb", right)):
        with zipfile.ZipFile(attacker / zip_name, "w") as zf:
            zf.writestr(zipfile.ZipInfo(entry, date_time=(2099, 1, 1, 0, 0, 0)), content)
        os.utime(attacker / zip_name, (1_700_000_000, 1_700_000_000))
    with open(os.path.join(os.fsencode(subs), GBK_NAME), "wb") as handle:
        handle.write(right.encode("utf-8"))
    forged = PIPE + f'os.write(_fd, (json.dumps({{"cell": -1, "where": "setup", "error": "{FORGED}"}}) + "\\n").encode())\n'
    nested = PIPE + 'os.write(_fd, b"[" * 200000 + b"\\n")\n'
    for sid, extra in (("20240004", forged), ("20240005", nested)):
        nb = fill(u01, {**RIGHT, "u01.e1": RIGHT["u01.e1"] + "\n" + extra})
        (subs / f"{sid}_同学_01.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    roster = root / "名单.csv"
    roster.write_text("学号,姓名\n" + "".join(f"2024000{i},同学{i}\n" for i in range(1, 10)), encoding="utf-8")
    out = root / "out"
    start = time.monotonic()
    g = G.Grader(out, subs, workers=2, cell_timeout=10, submission_timeout=60, progress=False,
                 roster=read_roster(roster))
    results = g.run()
    g.book.close()
    return {r.file: r for r in results}, out, time.monotonic() - start


def counted_total(out: Path, sid: str) -> str:
    rows = (out / "成绩_u01.csv").read_text(encoding="utf-8-sig").splitlines()
    return next((row for row in rows if row.startswith(sid)), "")


def test_a_zip_in_a_students_folder_is_that_students_own(batch):
    results, out, _ = batch
    inner = [r for f, r in results.items() if ".zip/" in f]
    assert len(inner) == 2 and all(r.student_id == "20240009" for r in inner)
    assert all(r.submitted == "2023-11-15 06:13:20" for r in inner)          # the zip's own time, not 2099
    text = (out / "需要确认.md").read_text(encoding="utf-8")
    assert "压缩包里的学号20240001与上传者文件夹的学号20240009不一致" in text
    assert "压缩包里的学号20240002与上传者文件夹的学号20240009不一致" in text
    assert "20240002 同学2" in text                                          # still missing: nobody handed in for 李四


def test_the_classmate_named_in_the_zip_keeps_his_own_grade(batch):
    results, out, _ = batch
    own = results["张三_20240001_assignsubmission_file_/01_intro.ipynb"]
    assert own.graded and own.total == 13.0 and own.student_id == "20240001"
    assert "13" in counted_total(out, "20240001") and "共交了" not in counted_total(out, "20240001")


def test_a_name_that_is_not_utf8_is_read_as_gbk_and_the_batch_goes_on(batch):
    results, out, _ = batch
    r = results["20240003_李四_01.ipynb"]
    assert r.graded and r.total == 13.0 and r.student_id == "20240003"
    assert (out / "需要确认.md").exists() and (out / "成绩_u01.csv").exists()


def test_a_message_written_into_the_answers_pipe_is_not_shown_as_the_graders(batch):
    results, out, _ = batch
    r = results["20240004_同学_01.ipynb"]
    shown = r.reason + "".join(r.notes) + (out / "需要确认.md").read_text(encoding="utf-8")
    assert FORGED not in shown and "直接记13分" not in shown


def test_json_nested_past_the_parser_is_ignored_not_a_crash(batch):
    results, _, _ = batch
    r = results["20240005_同学_01.ipynb"]
    assert r.graded and r.total == 13.0, r.reason
