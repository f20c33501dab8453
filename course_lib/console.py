"""The command line's console: Chinese argparse, and output that any console can print.

Teachers run ``python -m course_lib`` on Chinese Windows (a GBK console, which has no ✔)
and sometimes on servers with a plain ``C`` locale (an ASCII console and ASCII file
names).  Nothing here may crash on either:

- :func:`safe_console` makes ``print`` replace what the console cannot show (✔ → √,
  ✘ → ×, anything else → ``?``) instead of raising ``UnicodeEncodeError``;
- :func:`needs_utf8_restart` says when Python cannot even name a Chinese file (a ``C``
  locale with UTF-8 mode switched off); the command line then restarts itself in
  UTF-8 mode, as Python itself does for the ``C`` locale unless told not to;
- :class:`ChineseParser` is an ``argparse`` parser whose help, usage and error messages
  are all Chinese, and whose errors are one line (no usage block) with exit code 2.

>>> "✔ 已写入".encode("gbk", errors="course-console").decode("gbk")
'√ 已写入'
>>> "✘ 出错".encode("ascii", errors="course-console")
b'x ??'
"""
from __future__ import annotations

import argparse
import codecs
import re
import sys

# what to print instead of a symbol the console lacks (each is tried in turn)
SYMBOLS = {"✔": "√v", "✘": "×x", "…": "…...", "·": "·-", "—": "—-", "「": "「\"", "」": "」\"", "｜": "｜|"}


def _fallback(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start:error.end]:
        choices = SYMBOLS.get(ch, "")
        for alt in ([choices[:1], choices[1:]] if choices else []):
            try:
                alt.encode(error.encoding)
            except UnicodeEncodeError:
                continue
            out.append(alt)
            break
        else:
            out.append("?")
    return "".join(out), error.end


codecs.register_error("course-console", _fallback)


def safe_console() -> None:
    """Make stdout and stderr replace characters the console's encoding lacks."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="course-console")


def needs_utf8_restart() -> bool:
    """True where Chinese file names cannot be encoded (e.g. ``LC_ALL=C PYTHONUTF8=0``)."""
    try:
        "成绩".encode(sys.getfilesystemencoding())
    except (UnicodeEncodeError, LookupError):
        return not sys.flags.utf8_mode
    return False


def restart_command(argv: list[str]) -> list[str]:
    """The command that reruns ``python -m course_lib ARGV`` in UTF-8 mode."""
    return [sys.executable, "-X", "utf8", "-m", "course_lib", *argv]


# argparse's own English (Python 3.10–3.13) → Chinese; the last rule catches our own type errors
_ERRORS = [
    (r"the following arguments are required: (.+)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.+)", "不认识的参数：{0}"),
    (r"argument (.+?): invalid choice: '?([^' ]*)'? \(choose from (.+)\)", "没有「{1}」这个{0}，可选：{2}"),
    (r"argument (.+?): invalid \w+ value: '?(.*?)'?", "{0} 的值「{1}」不对"),
    (r"argument (.+?): expected one argument", "{0} 后面要写一个值"),
    (r"argument (.+?): expected at least one argument", "{0} 后面至少要写一个值"),
    (r"argument (.+?): expected .+", "{0} 后面的值个数不对"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"argument (.+?): (.+)", "{0}：{1}"),
]


def translate_error(message: str) -> str:
    """One argparse error message in Chinese.

    >>> translate_error("the following arguments are required: 作业文件夹")
    '缺少参数：作业文件夹'
    >>> translate_error("argument 命令: invalid choice: 'gade' (choose from 'validate', 'grade')")
    "没有「gade」这个命令，可选：'validate', 'grade'"
    >>> translate_error("argument --workers: 「abc」不是正整数")
    '--workers：「abc」不是正整数'
    """
    for pattern, chinese in _ERRORS:
        match = re.fullmatch(pattern, message.strip(), re.S)
        if match:
            return chinese.format(*(g.replace("\n", " ") for g in match.groups()))
    return f"命令行参数有误：{message}"


class ChineseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` in Chinese: help, usage, group titles and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:
        return re.sub(r"^(参数|选项|命令):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str):
        self.exit(2, f"{self.prog}：{translate_error(message)}（用 {self.prog} --help 查看用法）\n")


def whole_number(minimum: int):
    """An argparse type: a whole number ≥ ``minimum``, with a Chinese message otherwise.

    >>> whole_number(1)("3")
    3
    >>> whole_number(1)("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 应该是不小于1的整数，不是0
    """
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"「{text}」不是整数") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"应该是不小于{minimum}的整数，不是{value}")
        return value

    convert.__name__ = "整数"
    return convert
