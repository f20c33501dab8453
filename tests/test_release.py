"""The student edition: no key in any form, practice content not plaintext, and it runs cleanly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from course_lib import files
from course_lib.content.banks import load_exercises
from course_lib.grading import release
from course_lib.notebook import cells
from course_lib.settings import data_dir

REPO = Path(__file__).resolve().parent.parent
UNITS = sorted(p.stem for p in (data_dir() / "exercises").glob("*.yaml"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    folder, archive = release.build(out)
    return folder, archive


def all_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())


def test_exercise_files_carry_no_key(edition):
    folder, _ = edition
    for unit in UNITS:
        stripped = yaml.safe_load((folder / "data" / "exercises" / f"{unit}.yaml").read_text(encoding="utf-8"))
        master = yaml.safe_load((data_dir() / "exercises" / f"{unit}.yaml").read_text(encoding="utf-8"))
        assert [e["id"] for e in stripped["exercises"]] == [e["id"] for e in master["exercises"]]
        for ex in stripped["exercises"]:
            assert not {"answer", "explanation", "reference"} & set(ex)
            assert "required" not in ex.get("rubric", {})
            for option in ex.get("options", []):         # a key can also hide in an option dict
                assert not isinstance(option, dict), f"{ex['id']}: option {option} reached the student edition"


def test_an_option_marked_correct_never_reaches_the_student_edition():
    """strip_exercises on an exercise whose key is given by ``correct: true`` options."""
    raw = {"unit": "u99", "exercises": [{"id": "u99.e1", "type": "multiple", "points": 2, "options": [
        {"key": "A", "text": "甲", "correct": True, "feedback": "对"}, {"key": "B", "text": "乙"},
        {"key": "C", "text": "丙", "correct": True}]}]}
    stripped = release.strip_exercises(raw)
    assert stripped["exercises"][0]["options"] == ["A", "B", "C"]
    assert "correct" not in yaml.safe_dump(stripped, allow_unicode=True)


def test_no_explanation_reference_or_rubric_point_appears_anywhere(edition):
    folder, archive = edition
    text = all_text(folder)
    for unit in UNITS:
        master = yaml.safe_load((data_dir() / "exercises" / f"{unit}.yaml").read_text(encoding="utf-8"))
        for ex in master["exercises"]:
            for field in ("explanation", "reference"):
                if ex.get(field):
                    assert ex[field][:25] not in text, f"{ex['id']} {field} leaked"
            for point in ex.get("rubric", {}).get("required", []):
                assert json.dumps(point["words"], ensure_ascii=False)[:30] not in text, f"{ex['id']} rubric words leaked"
    names = set(zipfile.ZipFile(archive).namelist())
    assert "student-edition/data/exercises/u01.yaml" in names and not any("README_content" in n for n in names)


def test_answer_cells_are_reset_and_teacher_material_is_gone(edition):
    folder, _ = edition
    for path in sorted((folder / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        exercises = {q.id: q for q in load_exercises("u" + path.name[:2]).questions}
        seen = 0
        for cell in nb["cells"]:
            course = cell["metadata"].get("course", {})
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            assert course.get("role") != "teacher" and "**教师提示**" not in source
            assert "template" not in course
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
            if course.get("role") == "answer":
                seen += 1
                code = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
                assert code and all(line.split("#")[0].rstrip().endswith("= ...") for line in code), source
        assert seen == len(exercises)


def test_practice_content_is_not_plaintext(edition):
    folder, _ = edition
    text = all_text(folder)
    for path in sorted((data_dir() / "questions").glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in bank["questions"]:
            assert q["explanation"].strip() not in text
    for path in sorted((data_dir() / "scenarios").glob("*.yaml")):
        scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
        feedback = next(o["feedback"] for t in scenario["turns"].values() for o in t.get("options", []))
        assert feedback.strip() not in text
    assert not list((folder / "data").rglob("questions/*.yaml"))


def test_teacher_editable_data_ships_as_it_is(edition):
    folder, _ = edition
    for name in ("standards.yaml", "care_plans.yaml", "rubric.yaml"):
        assert (folder / "data" / name).read_bytes() == (data_dir() / name).read_bytes(), name


def test_encoding_round_trip_and_rejects_foreign_files():
    assert files.decode(files.encode("练习：B")) == "练习：B"
    with pytest.raises(ValueError, match="编码内容"):
        files.decode(b"plain text")


def test_reset_answer_cell_drops_worked_solutions():
    master = '# 用代码算\nrows = df[df["年份"] == 2013]\nanswer_e4 = round(rows["数值"].sum(), 1)\nanswer_e4\n'
    assert cells.reset_answer_cell(master) == "# 用代码算\nanswer_e4 = ..."
    assert cells.reset_answer_cell('answer_e5 = """很长的\n参考回复"""') == "answer_e5 = ..."
    assert cells.reset_answer_cell("x = 1", template="answer_e1 = ...") == "answer_e1 = ..."
    with pytest.raises(ValueError):
        cells.reset_answer_cell("x = 1")


def edition_env(folder: Path, tmp_path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(folder), "COURSE_PROGRESS": str(tmp_path / "p.json")}
    env.pop("COURSE_MODE", None)
    env.pop("COURSE_DATA", None)
    return env


def test_student_edition_runs_cleanly_with_nbval_lax(edition, tmp_path):
    folder, _ = edition
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(folder), str(folder / "notebooks")],
        capture_output=True, text=True, env=edition_env(folder, tmp_path), cwd=folder, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


def test_student_edition_says_unanswered_and_uses_its_own_data(edition, tmp_path):
    folder, _ = edition
    code = ("import nbformat, json, sys; from nbclient import NotebookClient\n"
            "nb = nbformat.read(sys.argv[1], 4)\n"
            "NotebookClient(nb, timeout=120, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
            "outs = [o.get('data', {}).get('text/plain', '') for c in nb.cells if c.cell_type == 'code' for o in c.outputs]\n"
            "print(json.dumps(outs))")
    nb = folder / "notebooks" / "01_intro.ipynb"
    result = subprocess.run([sys.executable, "-c", code, str(nb), str(nb.parent)], capture_output=True, text=True,
                            env=edition_env(folder, tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    outputs = json.loads(result.stdout)
    checks = [o for o in outputs if o.startswith("练习 u01.e")]
    assert len(checks) == 5 and all("尚未作答" in o for o in checks)


def test_no_master_answer_line_appears_anywhere(edition):
    folder, _ = edition
    text = all_text(folder)
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["metadata"].get("course", {}).get("role") == "answer":
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                for line in source.splitlines():
                    if line.startswith("answer_") and "=" in line and not line.rstrip().endswith("= ..."):
                        assert line.strip() not in text, f"{path.name}: {line[:40]} leaked"


def key_forms(q) -> list[str]:
    """Every way a graded key could be written down, long enough not to occur by chance."""
    key = q.answer
    forms: list[str] = []
    if q.free_text:
        return [q.reference[:20]] if len(q.reference) >= 20 else []
    if q.type in ("single", "multiple", "ordering"):
        forms += ["".join(key), "、".join(key), "→".join(key), ",".join(key)]
        forms += [f'answer_{q.id.split(".")[1]} = "{"".join(key)}"']
    elif q.type == "matching":
        forms += [q.show(key), json.dumps(key, ensure_ascii=False), json.dumps(key, ensure_ascii=False).replace(" ", "")]
    elif q.type == "numeric":
        forms += [f"{key:g}", f'answer_{q.id.split(".")[1]} = {key:g}']
        if key != int(key):
            forms += [f"{key:.2f}"]
    return [f for f in forms if len(f) >= 3]


def occurs(form: str, text: str) -> bool:
    """``form`` as a whole word or number (ACE is not in REPLACE, 13206.2 is not in 13206.25)."""
    import re

    return re.search(rf"(?<![A-Za-z0-9.]){re.escape(form)}(?![A-Za-z0-9])", text) is not None


def test_no_graded_key_appears_anywhere_in_the_edition(edition):
    """Code, docstrings, tests, data, notebooks, metadata: no key in canonical or displayed form."""
    folder, _ = edition
    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix in (".zip", ".png", ".woff2"):
            continue
        raw = path.read_bytes()
        if raw.startswith(files.MAGIC):
            raw = files.decode(raw).encode("utf-8")
        texts[path.relative_to(folder).as_posix()] = raw.decode("utf-8", "ignore")
    found = []
    for unit in UNITS:
        for q in load_exercises(unit).questions:
            if q.answer is None and not q.free_text:
                continue
            for form in key_forms(q):
                found += [f"{q.id} key {form!r} in {name}" for name, text in texts.items() if occurs(form, text)]
    assert not found, "\n".join(found[:20])


def test_the_zip_and_its_entries_are_readable_by_everyone(edition):
    folder, archive = edition
    umask = os.umask(0)
    os.umask(umask)
    assert archive.stat().st_mode & 0o777 == 0o666 & ~umask != 0o600
    with zipfile.ZipFile(archive) as zf:
        modes = {info.external_attr >> 16 for info in zf.infolist()}
    assert modes == {0o100644}                                      # regular files, rw-r--r--


def test_students_install_no_test_tools(edition):
    folder, _ = edition
    env = yaml.safe_load((folder / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        for item in dep["pip"] if isinstance(dep, dict) else [dep]:
            names.add(item.split(">")[0].split("=")[0].strip().lower())
    assert {"jupyterlab", "pandas", "ipywidgets", "jupyterlab-rise"} <= names
    assert not names & {"pytest", "hypothesis", "playwright", "ruff", "pytest-xdist", "nbval", "jupyterhub", "nbgitpuller"}
    pyproject = (folder / "pyproject.toml").read_text(encoding="utf-8")
    for tool in ("pytest>=", "hypothesis", "playwright", "ruff>=", "nbval>=", "jupyterhub", "nbgitpuller"):
        assert f'"{tool}' not in pyproject, tool


def test_students_open_the_course_with_its_settings(edition):
    folder, _ = edition
    assert "python -m pip install -e . && python -m course_lib lab" in (folder / "README.md").read_text(encoding="utf-8")
    settings = json.loads((folder / "course_lib" / "lab_settings" / "overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
