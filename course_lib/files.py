"""The course's file formats, shared by every capability: YAML data files, the encoded
content of the student edition, and atomic writes.

>>> decode(encode("答案：B"))
'答案：B'
>>> import tempfile, pathlib
>>> path = write_atomic(pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt", "你好".encode("utf-8"))
>>> path.read_text(encoding="utf-8")
'你好'
"""
from __future__ import annotations

import base64
import os
import re
import tempfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

MAGIC = b"COURSE-ENCODED-1\n"


class DataFileError(ValueError):
    """A data file is missing or unreadable; ``str(error)`` is a Chinese message naming it."""


def encode(text: str) -> bytes:
    """Practice content in a form that is not plaintext (zlib + base64), decoded by :func:`read_yaml`."""
    return MAGIC + base64.b64encode(zlib.compress(text.encode("utf-8"), 9)) + b"\n"


def decode(data: bytes) -> str:
    """The text of :func:`encode`; ``ValueError`` (Chinese) for anything else."""
    if not data.startswith(MAGIC):
        raise ValueError("不是课程的编码内容文件。")
    return zlib.decompress(base64.b64decode(data[len(MAGIC):].strip())).decode("utf-8")


FOLDED_GAP = re.compile(r"(?<=[，。、；：！？）」』”]) (?=[\u4e00-\u9fff「『（“])")   # a folded line break in Chinese


@lru_cache(maxsize=1)
def _chinese_loader():
    r"""YAML's safe loader, except that a folded scalar (``>-``) joins Chinese lines without a space.

    YAML folds a line break into a space; between Chinese sentences that shows as a stray gap
    (“现在是上午11:05， 顾客……”).  A space after full-width punctuation and before a Chinese
    character is dropped in folded text only; spaces a buyer types (“在吗 能改不”) are kept.

    >>> import yaml
    >>> yaml.load("a: >-\n  现在是上午11:05，\n  顾客来了。\nb: 在吗 能改不", Loader=_chinese_loader())
    {'a': '现在是上午11:05，顾客来了。', 'b': '在吗 能改不'}
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def text(loader, node):
        value = loader.construct_scalar(node)
        return FOLDED_GAP.sub("", value) if node.style == ">" else value

    Loader.add_constructor("tag:yaml.org,2002:str", text)
    return Loader


def read_yaml(path: Path, shown: str, error: type[ValueError] = DataFileError) -> Any:
    """Parse the YAML file ``path`` (or its encoded ``.dat`` twin in the student edition).

    Every problem raises ``error`` with a Chinese message naming the file as ``shown``
    (and the line).
    """
    import yaml  # a light import, kept out of ``import course_lib``

    path = Path(path)
    encoded = path.with_suffix(".dat")
    try:
        if not path.exists() and encoded.exists():      # the student edition: practice content encoded
            text = decode(encoded.read_bytes())
        else:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"找不到内容文件 {shown}，请检查 data 文件夹是否完整。") from None
    except UnicodeDecodeError:
        raise error(f"内容文件 {shown} 不是 UTF-8 编码，请用 UTF-8 另存。") from None
    except (OSError, ValueError) as problem:
        raise error(f"内容文件 {shown} 无法读取（{type(problem).__name__}）。") from None
    try:
        return yaml.load(text, Loader=_chinese_loader())
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark is not None else ""
        raise error(f"内容文件 {shown} {line}格式有误：{problem}") from None


def dict_items(raw: Any, keys: set[str], error: type[ValueError], whole: str, item: Callable[[int], str]) -> list[dict]:
    """``raw`` (parsed YAML) as a non-empty list of dicts that each have exactly ``keys``.

    Otherwise ``error``: with the message ``whole`` when ``raw`` is no such list, or
    ``item(number)`` for the first item (numbered from 1) that is not such a dict.

    >>> bad = lambda n: f"第{n}项应写成 {{name: 名称, min: 最低分}}。"
    >>> dict_items([{"name": "优秀", "min": 90}], {"name", "min"}, ValueError, "应是列表。", bad)
    [{'name': '优秀', 'min': 90}]
    >>> dict_items([{"name": "优秀", "min": 90}, {"name": "良好"}], {"name", "min"}, ValueError, "应是列表。", bad)
    Traceback (most recent call last):
    ...
    ValueError: 第2项应写成 {name: 名称, min: 最低分}。
    """
    if not isinstance(raw, list) or not raw:
        raise error(whole)
    for number, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or set(entry) != keys:
            raise error(item(number))
    return raw


def write_atomic(path: str | os.PathLike, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to a temporary file next to ``path``, then move it into place.

    A reader never sees half a file; an existing file keeps its permissions, a new one gets
    ``mode``.  ``PermissionError`` gets a Chinese message (the file may be open in Excel).
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else mode)
        os.replace(tmp, path)
    except PermissionError as problem:
        _remove(tmp)
        raise PermissionError(f"无法写入 {path}：没有写入权限，或文件正被 Excel 等程序打开（请关闭后重试）。") from problem
    except BaseException:
        _remove(tmp)
        raise
    return path


def safe_name(text: str) -> str:
    """``text`` usable as part of a file name on Windows, macOS and Linux.

    >>> safe_name('学号:20230101/张三?')
    '学号_20230101_张三_'
    """
    import re

    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")


def _remove(tmp: str | None) -> None:
    if tmp and os.path.exists(tmp):
        os.remove(tmp)
