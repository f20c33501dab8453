"""The student edition as a git repository, for nbgitpuller links on a JupyterHub.

``python -m course_lib release --git DIR`` builds the student edition (:mod:`.release`) and
commits it into the repository ``DIR`` (made on first use, branch ``main``); a later
release commits only the files that changed (added, changed, removed) and makes no commit
when nothing did.  The teacher pushes ``DIR`` to the school's git server; an nbgitpuller
link (:func:`pull_link`) then clones it into each student's home on the hub and, on the
next click, merges the new release into the student's copy keeping their own edits.

What goes in is exactly the student edition plus a ``.gitignore`` — never the masters or a
key: before committing, :func:`leaks` checks every staged notebook for teacher and solution
cells, every exercise file for key fields and that practice content is encoded.  ``DIR``
must be empty, new, or a repository this command made (it marks it with the git setting
``course.edition``); it is never the course repository itself.  Files a teacher adds to
``DIR`` by hand are left alone and never committed.

>>> pull_link("https://hub.example.edu.cn/", "https://git.example.edu.cn/t/ecs-student.git")  # doctest: +ELLIPSIS
'https://hub.example.edu.cn/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.edu.cn%2Ft%2Fecs-student.git&branch=main&targetpath=ecs-student&urlpath=lab%2Ftree%2Fecs-student%2Fnotebooks%2F00_guide.ipynb'
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

from ..settings import repo_dir
from .release import EXERCISE_FIELDS, build

MARK = "course.edition"
BRANCH = "main"
GITIGNORE = b".ipynb_checkpoints/\n__pycache__/\n*.pyc\n.course_progress.json\n"
AUTHOR = ("-c", "user.name=课程学生版", "-c", "user.email=edition@localhost")


class EditionGitError(ValueError):
    """The release cannot be committed; ``str(error)`` is a Chinese message."""


@dataclass
class Published:
    """One ``release --git``: the commit made (``None``: nothing changed) and the files by change."""

    repo: Path
    commit: str | None = None
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _git(repo: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=env)
    if check and done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EditionGitError(f"git {args[0]} 出错：{message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def leaks(files: dict[str, bytes]) -> list[str]:
    """What in ``files`` (path → bytes) would give away a key or a teacher's material."""
    import yaml

    found = []
    for path, data in sorted(files.items()):
        parts = PurePosixPath(path).parts
        if path.endswith(".ipynb"):
            roles = {(c.get("metadata", {}).get("course") or {}).get("role") for c in json.loads(data)["cells"]}
            if roles & {"solution", "teacher"}:
                found.append(f"{path}：含教师提示或参考答案单元格")
        elif parts[:2] == ("data", "exercises") and path.endswith(".yaml"):
            raw = yaml.safe_load(data.decode("utf-8")) or {}
            extra = {k for ex in raw.get("exercises", []) for k in ex if k not in EXERCISE_FIELDS | {"rubric"}}
            if extra:
                found.append(f"{path}：含答案字段（{'、'.join(sorted(extra))}）")
        elif parts[:2] in (("data", "questions"), ("data", "scenarios")) and path.endswith(".yaml"):
            found.append(f"{path}：练习内容没有编码")
    return found


def _prepare(repo: Path, course: Path) -> None:
    if repo == course or course.is_relative_to(repo):
        raise EditionGitError(f"{repo} 是（或包含）课程仓库本身：学生版仓库请放在另一个文件夹。")
    if repo.exists() and not repo.is_dir():
        raise EditionGitError(f"{repo} 不是文件夹。")
    own = (repo / ".git").exists() and Path(_git(repo, "rev-parse", "--show-toplevel", check=False).strip() or "/") == repo
    if own:
        if _git(repo, "config", "--get", MARK, check=False).strip() != "true":
            raise EditionGitError(f"{repo} 是一个git仓库，但不是 release --git 建立的学生版仓库，不能写入。")
        return
    if repo.exists() and any(repo.iterdir()):
        raise EditionGitError(f"{repo} 不是空文件夹，也不是学生版仓库：请给一个新的或空的文件夹。")
    repo.mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "-q")
    _git(repo, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
    _git(repo, "config", MARK, "true")


def publish(repo: Path, root: Path | None = None, message: str | None = None) -> Published:
    """Commit the student edition of ``root`` (default: this course) into ``repo``."""
    if shutil.which("git") is None:
        raise EditionGitError("需要先安装 git（Debian/Ubuntu：sudo apt-get install git；Windows：安装 Git for Windows）。")
    repo = Path(repo).resolve()
    course = (root or repo_dir()).resolve()
    _prepare(repo, course)
    with tempfile.TemporaryDirectory(prefix="course-edition-") as tmp:
        folder, _ = build(Path(tmp), root)
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    files[".gitignore"] = GITIGNORE
    problems = leaks(files)
    if problems:
        raise EditionGitError("学生版里发现了不该有的内容，没有提交：" + "；".join(problems[:5]))
    tracked = [p for p in _git(repo, "ls-files", "-z").split("\0") if p]
    gone = [p for p in tracked if p not in files]
    if gone:
        _git(repo, "rm", "-q", "--cached", "--pathspec-from-file=-", "--pathspec-file-nul",
             stdin="\0".join(gone).encode("utf-8"))
        for path in gone:
            (repo / path).unlink(missing_ok=True)
    for path, data in files.items():
        target = repo / path
        if not target.is_file() or target.is_symlink() or target.read_bytes() != data:
            target.unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o644)
    _git(repo, "add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin="\0".join(files).encode("utf-8"))
    done = Published(repo)
    status = _git(repo, "diff", "--cached", "--name-status", "--no-renames", "-z").split("\0")
    for kind, path in zip(status[0::2], status[1::2]):
        {"A": done.added, "D": done.deleted}.get(kind, done.modified).append(path)
    if not (done.added or done.modified or done.deleted):
        return done
    summary = message or f"学生版更新：新增{len(done.added)}个、修改{len(done.modified)}个、删除{len(done.deleted)}个文件"
    listing = [f"{sign} {p}" for sign, paths in (("新增", done.added), ("修改", done.modified), ("删除", done.deleted))
               for p in paths]
    text = summary + "\n\n" + "\n".join(listing[:60]) + ("\n……" if len(listing) > 60 else "") + "\n"
    who = () if _git(repo, "config", "user.email", check=False).strip() else AUTHOR
    _git(repo, *who, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-F", "-", stdin=text.encode("utf-8"))
    done.commit = _git(repo, "rev-parse", "HEAD").strip()
    return done


def pull_link(hub: str, repo_url: str, branch: str = BRANCH, notebook: str = "notebooks/00_guide.ipynb",
              folder: str | None = None) -> str:
    """The nbgitpuller link that clones (or updates) ``repo_url`` into the student's folder
    ``folder`` (default: the repository's name) on ``hub`` and opens ``notebook`` in JupyterLab."""
    hub = hub.strip().rstrip("/")
    if not hub.startswith(("http://", "https://")):
        raise EditionGitError(f"JupyterHub 的地址应以 http:// 或 https:// 开头，现在是“{hub[:60]}”。")
    if not repo_url.strip():
        raise EditionGitError("请给出学生版仓库的地址（--repo）。")
    folder = folder or PurePosixPath(repo_url.rstrip("/")).name.removesuffix(".git") or "course"
    query = {"repo": repo_url.strip(), "branch": branch, "targetpath": folder,
             "urlpath": f"lab/tree/{folder}/{notebook.lstrip('/')}"}
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote, safe='')}"


def summary(done: Published) -> str:
    """The line ``python -m course_lib release --git DIR`` shows after :func:`publish`."""
    if done.commit is None:
        return f"学生版仓库 {done.repo.as_posix()} 已是最新，没有新的提交。"
    return (f"学生版仓库 {done.repo.as_posix()}：提交 {done.commit[:10]}（新增{len(done.added)}、修改{len(done.modified)}、"
            f"删除{len(done.deleted)}个文件）。推送到学校的git服务器后，用 python -m course_lib link 生成发给学生的链接。")
