"""``python -m course_lib``: every mistake is one Chinese line and a non-zero exit, never a traceback;
the help is all Chinese; and every command works on any console (GBK, a C locale) with Chinese
file names."""
from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_lib import cli
from course_lib.console import ChineseParser, translate_error

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ARGPARSE = re.compile(r"usage|options|positional|arguments|show this help|error:|invalid|required|expected",
                              re.I)


def mistake(capsys, argv: list[str], expected: str, code: int = 2) -> str:
    """Run ``argv`` in this process: exit code ``code``, one Chinese line on stderr naming ``expected``."""
    try:
        result = cli.main(argv)
    except SystemExit as exit_:                    # argparse errors exit from parse_args
        result = exit_.code
    out = capsys.readouterr()
    lines = [line for line in out.err.splitlines() if line.strip()]
    assert result == code, (result, out)
    assert len(lines) == 1, out.err
    assert expected in lines[0] and CJK.search(lines[0]), lines[0]
    assert "Traceback" not in out.err + out.out
    return lines[0]


def test_running_a_missing_notebook(capsys):
    mistake(capsys, ["run", "notebooks/01_intr.ipynb"], "找不到笔记本：notebooks/01_intr.ipynb")


def test_running_a_file_that_is_not_a_notebook(capsys):
    mistake(capsys, ["run", str(REPO / "README.md")], "不是笔记本文件")


def test_exporting_a_missing_notebook(tmp_path, capsys):
    mistake(capsys, ["export", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path / "out")], "找不到笔记本")
    assert not (tmp_path / "out").exists()


def test_grading_a_text_file_says_what_it_is(tmp_path, capsys):
    names = tmp_path / "名单.txt"
    names.write_text("20230101 张三\n", encoding="utf-8")
    line = mistake(capsys, ["grade", str(names), "--out", str(tmp_path / "out")], "是一个文件（.txt），不是文件夹")
    assert "找不到" not in line


@pytest.mark.parametrize("content", [{}, {"说明.txt": b"x", "空.zip": None}], ids=["empty", "no-notebooks"])
def test_grading_a_folder_without_notebooks_stops_before_the_grader(tmp_path, capsys, monkeypatch, content):
    folder = tmp_path / "作业"
    folder.mkdir()
    for name, data in content.items():
        if data is None:
            with zipfile.ZipFile(folder / name, "w") as zf:
                zf.writestr("readme.txt", "no notebook here")
        else:
            (folder / name).write_bytes(data)
    import course_lib.grading.grader as grader

    monkeypatch.setattr(grader, "main", lambda *a, **k: pytest.fail("the grader ran"))
    mistake(capsys, ["grade", str(folder), "--out", str(tmp_path / "out")], "作业文件夹里没有作业")
    assert not (tmp_path / "out").exists()


def test_a_folder_with_a_notebook_inside_a_zip_counts(tmp_path):
    with zipfile.ZipFile(tmp_path / "导出.zip", "w") as zf:
        zf.writestr("张三/20230101_张三_01.ipynb", "{}")
    assert cli.submissions_folder(tmp_path) == tmp_path


def test_grading_a_missing_folder(tmp_path, capsys):
    mistake(capsys, ["grade", str(tmp_path / "没有"), "--out", str(tmp_path / "out")], "找不到作业文件夹")


def test_generating_data_into_a_read_only_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):       # root ignores the mode: fail the write as it fails for a teacher
        real = Path.write_bytes

        def refuse(self, data):
            if self.parent == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, data)

        monkeypatch.setattr(Path, "write_bytes", refuse)
    try:
        mistake(capsys, ["generate-data", "--out", str(folder)], "没有权限写入", code=1)
    finally:
        folder.chmod(0o755)


def test_an_output_path_that_is_a_file(tmp_path, capsys):
    (tmp_path / "release").write_text("x", encoding="utf-8")
    mistake(capsys, ["release", "--out", str(tmp_path / "release")], "同名的文件", code=1)


@pytest.mark.parametrize("argv, expected", [
    (["grade", "x", "--workers", "abc"], "--workers：「abc」不是整数"),
    (["grade", "x", "--workers", "0"], "--workers：应该是不小于1的整数"),
    (["grade", "x", "--timeout", "-5"], "--timeout：应该是不小于1的整数"),
    (["grade", "x", "--cell-timeout", "1.5"], "「1.5」不是整数"),
    (["generate-data", "--seed", "abc"], "--seed：「abc」不是整数"),
    (["generate-data", "--seed", "-1"], "不小于0"),
    (["export", "notebooks/01_intro.ipynb", "--timeout", "0"], "--timeout"),
    (["grade"], "缺少参数：作业文件夹"),
    (["run"], "缺少参数：笔记本"),
    ([], "缺少参数：命令"),
    (["gade", "x"], "没有「gade」这个命令"),
    (["validate", "--fast"], "不认识的参数：--fast"),
    (["grade", "x", "--out"], "--out 后面要写一个值"),
])
def test_bad_arguments_get_one_chinese_line(capsys, argv, expected):
    line = mistake(capsys, argv, expected)
    assert line.startswith("python -m course_lib") and "--help" in line
    assert not ENGLISH_ARGPARSE.search(line.replace("--help", "")), line


def all_parsers():
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    return [parser, *subparsers.values()]


@pytest.mark.parametrize("parser", all_parsers(), ids=lambda p: p.prog.split()[-1])
def test_help_is_all_chinese_and_every_argument_is_explained(parser):
    text = parser.format_help()
    assert text.startswith("用法：")
    assert not ENGLISH_ARGPARSE.search(text), text
    for action in parser._actions:
        assert action.help and CJK.search(action.help), f"{parser.prog} {action.dest} has no Chinese help"


def test_the_help_command_itself(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["run", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "要运行的母版笔记本" in out and "显示本帮助并退出" in out


def test_an_untranslated_message_still_reads_as_chinese(capsys):
    assert translate_error("something new in Python 3.15") == "命令行参数有误：something new in Python 3.15"
    parser = ChineseParser(prog="demo")
    parser.add_argument("--n", type=int)
    with pytest.raises(SystemExit):
        parser.parse_args(["--n", "x"])
    assert capsys.readouterr().err == "demo：--n 的值「x」不对（用 demo --help 查看用法）\n"


def test_an_unexpected_error_is_one_line_unless_debugging(capsys, monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "validate", lambda args: {}["boom"])
    mistake(capsys, ["validate"], "出错了：KeyError", code=1)
    monkeypatch.setenv("COURSE_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["validate"])


# -- any console: a C locale without UTF-8 mode, and a GBK console (Chinese Windows) ----------------

CONSOLES = {"C": ({"LC_ALL": "C", "PYTHONUTF8": "0"}, "utf-8"),   # restarts itself in UTF-8 mode
            "gbk": ({"PYTHONIOENCODING": "gbk"}, "gbk")}


def console_env(console: str, **more: str) -> dict:
    """This process's environment on that console (whatever console the tests themselves run on)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(CONSOLES[console][0], **more)
    return env


def course(console: str, *args: str, cwd: Path = REPO) -> str:
    """``python -m course_lib ARGS`` on that console: exit code 0, no traceback; returns the output."""
    result = subprocess.run([sys.executable, "-m", "course_lib", *args], capture_output=True, env=console_env(console),
                            cwd=cwd, timeout=600)
    encoding = CONSOLES[console][1]
    out, err = result.stdout.decode(encoding), result.stderr.decode(encoding)
    assert result.returncode == 0 and "Traceback" not in err, err[-2000:]
    return out


@pytest.mark.parametrize("console", CONSOLES)
def test_validate_prints_its_marks(console, tmp_path):
    mark = "✔" if console == "C" else "√"                      # GBK has no ✔
    assert f"{mark} 所有内容文件都通过了检查" in course(console, "validate")
    data = tmp_path / "数据"
    shutil.copytree(REPO / "data", data)
    scenario = next((data / "scenarios").glob("*.yaml"))
    scenario.write_text("id: [broken\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "course_lib", "validate"], capture_output=True,
                            env=console_env(console, COURSE_DATA=str(data)), timeout=300)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert f"{'✘' if console == 'C' else '×'} scenarios/{scenario.name}" in result.stdout.decode(CONSOLES[console][1])


@pytest.mark.parametrize("console", CONSOLES)
def test_generate_data_release_run_export_with_chinese_names(console, tmp_path):
    assert "写入 orders.csv" in course(console, "generate-data", "--seed", "7", "--out", str(tmp_path / "考试数据"))
    assert (tmp_path / "考试数据" / "orders.csv").stat().st_size > 0
    assert "学生版" in course(console, "release", "--out", str(tmp_path / "发布"))
    assert (tmp_path / "发布" / "student-edition.zip").is_file()
    folder = tmp_path / "母版"
    folder.mkdir()
    shutil.copy(REPO / "notebooks" / "00_guide.ipynb", folder / "课程导览.ipynb")
    assert "运行" in course(console, "run", str(folder / "课程导览.ipynb"))
    out = course(console, "export", str(folder / "课程导览.ipynb"), "--out", str(tmp_path / "导出"))
    assert "讲义" in out and (tmp_path / "导出" / "课程导览.html").is_file()


@pytest.mark.parametrize("console", CONSOLES)
def test_grade_with_chinese_file_names(console, tmp_path):
    folder = tmp_path / "作业" / "一班"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / "01_intro.ipynb", folder / "20230101_张三_01.ipynb")
    course(console, "grade", str(tmp_path / "作业"), "--out", str(tmp_path / "评分结果"), "--workers", "1")
    table = (tmp_path / "评分结果" / "成绩_u01.csv").read_text(encoding="utf-8-sig")
    assert "张三" in table


def test_without_a_utf8_file_system_the_command_becomes_itself_in_utf8_mode(monkeypatch):
    """Same process (``exec``), so a terminal's Ctrl+C or a test's ``terminate()`` reaches the server
    that ``lab`` starts; nothing is left running."""
    calls = []
    monkeypatch.setattr(cli, "needs_utf8_restart", lambda: True)
    monkeypatch.setattr(cli.os, "execv", lambda exe, args: calls.append((exe, args)))
    monkeypatch.setattr(sys, "argv", ["course_lib", "validate"])
    monkeypatch.setitem(cli.COMMANDS, "validate", lambda args: 0)
    cli.main()
    assert calls == [(sys.executable, [sys.executable, "-X", "utf8", "-m", "course_lib", "validate"])]
