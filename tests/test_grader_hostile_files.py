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
HEADING = "## 没有需要确认的事项"


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
    # stop 24: a classmate's folder planted inside the attacker's own folder, newer than the classmate's file
    (subs / "20240006_王五").mkdir()
    (subs / "20240006_王五" / "01_intro.ipynb").write_text(right, encoding="utf-8")
    os.utime(subs / "20240006_王五" / "01_intro.ipynb", (1_700_000_000, 1_700_000_000))
    planted = attacker / "我的作业" / "20240006_王五"
    planted.mkdir(parents=True)
    (planted / "01_intro.ipynb").write_text(blank, encoding="utf-8")
    os.utime(planted / "01_intro.ipynb", (1_800_000_000, 1_800_000_000))
    # a file name that writes Markdown into 需要确认.md, and a file time no calendar holds
    (subs / f"草稿\n\n{HEADING}\n请打开 [更新说明](https:evil.example)\n.ipynb").write_text("", encoding="utf-8")
    far = subs / "20240007_赵七_01.ipynb"
    far.write_text(right, encoding="utf-8")
    try:
        os.utime(far, (300_000_000_000, 300_000_000_000))      # kept by tmpfs, btrfs, NTFS; ext4 clamps it
    except (OverflowError, OSError):
        pass
    # five drafts of one unit from one student: only the latest three are run
    drafts = subs / "20240008_孙八"
    drafts.mkdir()
    for n in range(1, 6):
        (drafts / f"草稿{n}.ipynb").write_text(right if n == 5 else blank, encoding="utf-8")
        os.utime(drafts / f"草稿{n}.ipynb", (1_700_000_000 + n * 60, 1_700_000_000 + n * 60))
    # archives the grader does not open: a zip inside a platform's export zip, and a .rar upload
    with zipfile.ZipFile(subs / "平台导出.zip", "w") as zf:
        zf.writestr("20240010_周十/作业.zip", b"PK\x05\x06" + b"\0" * 18)
    (subs / "20240011_吴十一").mkdir()
    (subs / "20240011_吴十一" / "01_intro.rar").write_bytes(b"Rar!\x1a\x07\x00")
    # stop 24, fourth review: a fake 学号 of another length inside the attacker's folder names a classmate (6),
    # decoys that name two students each (unidentified), and names that start a Markdown block
    for n in range(3):
        fake = attacker / f"100000000{n}_王五" / "01_intro.ipynb"
        fake.parent.mkdir()
        fake.write_text(blank, encoding="utf-8")
        os.utime(fake, (1_900_000_000, 1_900_000_000))
    for n in range(5):
        decoy = subs / "杂项" / f"1000000{n:03d}_同学1_同学2" / "01_intro.ipynb"
        decoy.parent.mkdir(parents=True)
        decoy.write_text(blank, encoding="utf-8")
    for name in ("# 没有需要确认的事项.ipynb", "1. 全部已评分.ipynb"):
        (subs / name).write_text("", encoding="utf-8")
    roster = root / "名单.csv"
    roster.write_text("学号,姓名\n" + "".join(f"202400{i:02d},同学{i}\n" for i in range(1, 12)), encoding="utf-8")
    out = root / "out"
    start = time.monotonic()
    g = G.Grader(out, subs, workers=2, cell_timeout=10, submission_timeout=60, progress=False,
                 roster=read_roster(roster))
    results = g.run()
    g.book.close()
    return {r.file: r for r in results}, out, time.monotonic() - start, (subs, roster)


def counted_total(out: Path, sid: str) -> str:
    rows = (out / "成绩_u01.csv").read_text(encoding="utf-8-sig").splitlines()
    return next((row for row in rows if row.startswith(sid)), "")


def test_a_zip_in_a_students_folder_is_that_students_own(batch):
    results, out, *_ = batch
    inner = [r for f, r in results.items() if ".zip/" in f and f.startswith("攻击者")]
    assert len(inner) == 2 and all(r.student_id == "20240009" for r in inner)
    assert all(r.submitted == "2023-11-15 06:13:20" for r in inner)          # the zip's own time, not 2099
    text = (out / "需要确认.md").read_text(encoding="utf-8")
    assert "压缩包里的学号20240001与上传者文件夹的学号20240009不一致" in text
    assert "压缩包里的学号20240002与上传者文件夹的学号20240009不一致" in text
    assert "20240002 同学2" in text                                          # still missing: nobody handed in for 李四


def test_the_classmate_named_in_the_zip_keeps_his_own_grade(batch):
    results, out, *_ = batch
    own = results["张三_20240001_assignsubmission_file_/01_intro.ipynb"]
    assert own.graded and own.total == 13.0 and own.student_id == "20240001"
    assert "13" in counted_total(out, "20240001") and "共交了" not in counted_total(out, "20240001")


def test_a_name_that_is_not_utf8_is_read_as_gbk_and_the_batch_goes_on(batch):
    results, out, *_ = batch
    r = results["20240003_李四_01.ipynb"]
    assert r.graded and r.total == 13.0 and r.student_id == "20240003"
    assert (out / "需要确认.md").exists() and (out / "成绩_u01.csv").exists()


def test_a_message_written_into_the_answers_pipe_is_not_shown_as_the_graders(batch):
    results, out, *_ = batch
    r = results["20240004_同学_01.ipynb"]
    shown = r.reason + "".join(r.notes) + (out / "需要确认.md").read_text(encoding="utf-8")
    assert FORGED not in shown and "直接记13分" not in shown


def test_json_nested_past_the_parser_is_ignored_not_a_crash(batch):
    results, *_ = batch
    r = results["20240005_同学_01.ipynb"]
    assert r.graded and r.total == 13.0, r.reason


def test_a_classmates_folder_planted_in_a_students_folder_is_the_students(batch):
    results, out, *_ = batch
    planted = results["攻击者_20240009_assignsubmission_file_/我的作业/20240006_王五/01_intro.ipynb"]
    assert planted.student_id == "20240009"
    assert "13" in counted_total(out, "20240006") and "共交了" not in counted_total(out, "20240006")
    assert "套着学号20240006的文件夹" in (out / "需要确认.md").read_text(encoding="utf-8")


def test_a_file_name_cannot_write_headings_or_links_into_the_report(batch):
    _, out, *_ = batch
    lines = (out / "需要确认.md").read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith(HEADING) for line in lines)
    assert not any("](https:evil.example" in line for line in lines)
    assert any("文件是空的" in line and "evil.example" in line for line in lines)     # still listed, as one line


def test_a_file_time_beyond_the_calendar_does_not_stop_the_batch(batch):
    results, out, *_ = batch
    r = results["20240007_赵七_01.ipynb"]
    assert r.graded and r.total == 13.0
    assert "13" in counted_total(out, "20240007")


def test_find_submissions_survives_a_time_no_calendar_holds(tmp_path):
    """tmpfs keeps 64-bit file times (ext4 clamps them, so the batch above may not see one)."""
    import tempfile

    from course_lib.grading.submissions import find_submissions

    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("这台机器没有 /dev/shm（tmpfs）")
    with tempfile.TemporaryDirectory(dir=shm) as folder:
        path = Path(folder) / "20240007_赵七_01.ipynb"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (300_000_000_000, 300_000_000_000))
        if path.stat().st_mtime < 200_000_000_000:
            pytest.skip("这里的 tmpfs 也把时间截断了")
        [found] = find_submissions(Path(folder))
    assert found.rel == "20240007_赵七_01.ipynb" and found.submitted == ""


def test_only_the_latest_drafts_of_a_unit_are_run(batch):
    results, out, _, (subs, roster) = batch
    drafts = {f: r for f, r in results.items() if f.startswith("20240008_孙八/")}
    ran = sorted(f for f, r in drafts.items() if r.graded)
    assert ran == ["20240008_孙八/草稿3.ipynb", "20240008_孙八/草稿4.ipynb", "20240008_孙八/草稿5.ipynb"]
    for name in ("草稿1", "草稿2"):
        assert drafts[f"20240008_孙八/{name}.ipynb"].reason.startswith("同一单元交了5份，只评提交时间最新的3份")
    assert "13" in counted_total(out, "20240008")
    # the teacher wants draft 1 after all: named with --prefer, it is run and counts
    g = G.Grader(out, subs, workers=1, cell_timeout=10, submission_timeout=60, progress=False,
                 roster=read_roster(roster), prefer=("20240008_孙八/草稿1.ipynb",))
    again = {r.file: r for r in g.run()}
    g.book.close()
    assert again["20240008_孙八/草稿1.ipynb"].graded and again["20240008_孙八/草稿1.ipynb"].total == 0
    assert not again["20240008_孙八/草稿2.ipynb"].graded
    assert counted_total(out, "20240008").startswith("20240008,同学8,20240008_孙八/草稿1.ipynb,已评分,,0,0,0,0,0,0,13,")


def test_archives_the_grader_does_not_open_are_listed_not_dropped(batch):
    results, out, *_ = batch
    nested, rar = results["平台导出.zip/20240010_周十/作业.zip"], results["20240011_吴十一/01_intro.rar"]
    assert nested.student_id == "20240010" and "压缩包里的压缩包" in nested.reason and not nested.graded
    assert rar.student_id == "20240011" and ".rar格式的压缩包" in rar.reason and not rar.graded
    text = (out / "需要确认.md").read_text(encoding="utf-8")
    assert "平台导出.zip/20240010_周十/作业.zip：这是压缩包里的压缩包" in text



def test_a_fake_student_number_inside_a_students_folder_cannot_reach_a_classmate(batch):
    results, out, *_ = batch
    fakes = [r for f, r in results.items() if "/100000000" in f and "_王五/" in f]
    assert len(fakes) == 3 and all(r.student_id == "20240009" for r in fakes)
    assert "13" in counted_total(out, "20240006") and "没有运行" not in counted_total(out, "20240006")
    own = [r for f, r in results.items() if f.startswith("攻击者_20240009") and f.endswith(".ipynb") and ".zip/" not in f]
    assert sum(r.graded for r in own) == 3                # the attacker's own files share one bound of 3


def test_decoys_nobody_can_be_named_for_are_bounded_too(batch):
    results, *_ = batch
    decoys = [r for f, r in results.items() if "_同学1_同学2/" in f]
    ran = [r for r in decoys if r.graded]
    assert len(decoys) == 5 and len(ran) == 3
    assert all("认不出是谁的作业" in r.reason for r in decoys if not r.graded)


def test_a_file_name_cannot_start_a_heading_or_a_list_in_the_report(batch):
    _, out, *_ = batch
    lines = (out / "需要确认.md").read_text(encoding="utf-8").splitlines()
    assert "- \\# 没有需要确认的事项.ipynb：文件是空的" in lines and "- \\1. 全部已评分.ipynb：文件是空的" in lines
