"""The student edition as a git repository: the first release, a release with nothing new, a
release that changes, adds and removes files (committed exactly), no master or key anywhere in
the repository's objects, the folders it refuses, and the nbgitpuller link."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from course_lib import files
from course_lib.cli import main as cli
from course_lib.content.banks import load_exercises
from course_lib.grading.edition_git import EditionGitError, leaks, publish, pull_link
from course_lib.grading.release import build
from course_lib.settings import repo_dir

from .test_release import UNITS, key_forms, occurs

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="没有安装 git")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def course_copy(target: Path) -> Path:
    """A copy of the course sources a teacher edits (masters, package, data)."""
    root = repo_dir()
    for name in ("course_lib", "data", "notebooks"):
        shutil.copytree(root / name, target / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for name in ("pyproject.toml", "environment.yml"):
        shutil.copy2(root / name, target / name)
    return target


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    base = tmp_path_factory.mktemp("git")
    root = course_copy(base / "课程")
    repo = base / "学生版仓库"
    first = publish(repo, root)
    again = publish(repo, root)
    (repo / "老师的笔记.txt").write_text("不要提交", encoding="utf-8")
    guide = root / "notebooks" / "00_guide.ipynb"
    nb = json.loads(guide.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "second-release", "metadata": {}, "source": "## 第二次发布新增的说明"})
    guide.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (root / "data" / "industry.csv").unlink()
    shutil.copy2(root / "notebooks" / "00_guide.ipynb", root / "notebooks" / "99_extra.ipynb")
    second = publish(repo, root, message="第二次发布")
    return repo, root, first, again, second


def test_the_first_release_commits_exactly_the_student_edition(released, tmp_path):
    repo, _, first, *_ = released
    assert first.commit and not first.modified and not first.deleted
    edition, _ = build(tmp_path, repo_dir())
    expected = {p.relative_to(edition).as_posix() for p in edition.rglob("*") if p.is_file()} | {".gitignore"}
    assert set(first.added) == expected - {"notebooks/99_extra.ipynb"}
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(repo, "config", "--get", "course.edition").strip() == "true"


def test_nothing_new_makes_no_commit(released):
    repo, _, first, again, _ = released
    assert again.commit is None and not (again.added or again.modified or again.deleted)
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"            # the first and the second release


def test_a_later_release_commits_only_what_changed(released):
    repo, _, first, _, second = released
    assert second.added == ["notebooks/99_extra.ipynb"]
    assert second.modified == ["notebooks/00_guide.ipynb"]
    assert second.deleted == ["data/industry.csv"]
    shown = git(repo, "show", "--name-status", "--format=%s", "HEAD").split("\n")
    assert shown[0] == "第二次发布"
    assert git(repo, "diff", "--name-only", first.commit, second.commit).split() == [
        "data/industry.csv", "notebooks/00_guide.ipynb", "notebooks/99_extra.ipynb"]
    assert "老师的笔记.txt" not in git(repo, "ls-files") and (repo / "老师的笔记.txt").is_file()
    assert not (repo / "data" / "industry.csv").exists()
    assert git(repo, "-c", "core.quotepath=false", "status", "--porcelain").strip() == "?? 老师的笔记.txt"


def test_no_master_or_key_in_any_object_of_the_repository(released):
    repo, *_ = released
    listing = git(repo, "ls-files")
    assert "data/README_content.md" not in listing and "data/coursebook.yaml" not in listing
    assert not [p for p in listing.split() if p.startswith(("data/questions/", "data/scenarios/")) and p.endswith(".yaml")]
    objects = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"], check=True,
                             capture_output=True).stdout
    text = objects.decode("utf-8", "ignore")
    for blob in objects.split(files.MAGIC)[1:]:                # encoded practice content, decoded
        text += files.decode(files.MAGIC + blob.split(b"\n", 1)[0] + b"\n")
    found = [f"{q.id}: {form}" for unit in UNITS for q in load_exercises(unit).questions
             if q.answer is not None or q.free_text for form in key_forms(q) if occurs(form, text)]
    assert not found
    for path in sorted((repo_dir() / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            role = cell["metadata"].get("course", {}).get("role")
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if role in ("teacher", "solution") and len(source) > 30:
                assert source[:200] not in text, f"{path.name}: {role} cell leaked"


def test_leaks_are_caught_before_committing():
    teacher = {"cells": [{"cell_type": "markdown", "metadata": {"course": {"role": "teacher"}}, "source": "教师提示"}]}
    found = leaks({"notebooks/01.ipynb": json.dumps(teacher).encode(),
                   "data/exercises/u01.yaml": b"exercises:\n- {id: u01.e1, type: single, answer: [B]}\n",
                   "data/questions/u01.yaml": b"questions: []\n", "README.md": b"ok"})
    assert found == ["data/exercises/u01.yaml：含答案字段（answer）", "data/questions/u01.yaml：练习内容没有编码",
                     "notebooks/01.ipynb：含教师提示或参考答案单元格"]


def test_folders_that_are_refused(tmp_path, capsys):
    other = tmp_path / "别的仓库"
    other.mkdir()
    git(other, "init", "-q")
    with pytest.raises(EditionGitError, match="不是 release --git 建立的学生版仓库"):
        publish(other)
    busy = tmp_path / "有文件"
    busy.mkdir()
    (busy / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(EditionGitError, match="不是空文件夹"):
        publish(busy)
    with pytest.raises(EditionGitError, match="课程仓库本身"):
        publish(repo_dir())
    assert cli(["release", "--git", str(busy)]) == 2
    assert cli(["release", "--git", str(repo_dir().parent)]) == 2
    assert cli(["release", "--out", str(tmp_path / "r"), "--message", "第二次"]) == 2
    printed = capsys.readouterr().err.strip().splitlines()         # one Chinese line on stderr each
    assert len(printed) == 3 and "--git" in printed[2]
    assert not (tmp_path / "r").exists()


def test_the_nbgitpuller_link(capsys):
    link = pull_link("https://jupyter.xx.edu.cn/", "https://git.xx.edu.cn/王老师/客服 学生版.git",
                     notebook="notebooks/01_intro.ipynb")
    assert link.startswith("https://jupyter.xx.edu.cn/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.xx.edu.cn%2F")
    from urllib.parse import parse_qs, urlsplit

    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query == {"repo": "https://git.xx.edu.cn/王老师/客服 学生版.git", "branch": "main", "targetpath": "客服 学生版",
                     "urlpath": "lab/tree/客服 学生版/notebooks/01_intro.ipynb"}
    assert " " not in link and "王" not in link
    assert cli(["link", "--hub", "jupyter.xx.edu.cn", "--repo", "x"]) == 2
    assert cli(["link", "--hub", "https://h.cn", "--repo", "https://g.cn/a.git", "--folder", "电商客服"]) == 0
    printed = capsys.readouterr()
    assert "http://" in printed.err and printed.err.count("\n") == 1
    assert "targetpath=%E7%94%B5" in printed.out and printed.out.count("\n") == 1


def test_notebooks_are_saved_as_jupyterlab_saves_them(released):
    nbformat = pytest.importorskip("nbformat")
    repo, *_ = released
    for path in sorted((repo / "notebooks").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert text == nbformat.writes(nbformat.reads(text, as_version=4)) + "\n", path.name
