"""environment.yml stays in sync with pyproject.toml; the README's commands match CI."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def norm(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def pyproject_requirements() -> set[tuple[str, str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = set(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs |= set(extra)
    return {norm(r) for r in reqs}


def conda_requirements() -> set[tuple[str, str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    out = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            out |= {norm(r) for r in dep["pip"] if not r.startswith("-e")}
        elif not dep.startswith(("python", "pip")) or dep.startswith("pip-"):
            out.add(norm(dep))
    return out


def test_environment_yml_matches_pyproject():
    assert conda_requirements() == pyproject_requirements()


def test_environment_installs_the_package_and_python_version():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"python{project['requires-python']}" in env["dependencies"]


def test_readme_test_command_is_what_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(python -m pip install .+&& python -m pytest.*)$", readme, re.M)
    assert len(commands) == 1, "README 应给出唯一一条测试命令"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[0] in ci
    assert "--dist loadfile" in commands[0]                  # a notebook's cells stay in one process
    test_run = commands[0].split("&& ")[1]
    assert f"LC_ALL=C PYTHONUTF8=0 {test_run}" in ci          # and the whole suite again without a UTF-8 locale


def test_ci_keeps_out_of_the_home_folder():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "HOME" not in ci and "~" not in ci
    assert 'MPLCONFIGDIR="${PWD}/' in ci


def test_the_course_settings_for_jupyterlab_ship_with_the_package():
    """``python -m course_lib lab`` makes these JupyterLab's defaults (the browser test checks the UI)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "lab_settings/*.json" in project["tool"]["setuptools"]["package-data"]["course_lib"]
    settings = json.loads((REPO / "course_lib" / "lab_settings" / "overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_only_the_known_harmless_extension_is_flagged_incompatible():
    """``jupyter labextension list`` flags @jupyterlab/mathjax3-extension (jupyterlab-rise's dependency,
    declared for JupyterLab 3; tests/browser/test_rise.py shows formulas still render). Any other
    flagged extension fails here."""
    out = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True,
                         encoding="utf-8", errors="replace", env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)
    assert "jupyterlab-rise" in text
    flagged = set(re.findall(r"^\s+(\S+)\s+v\S+\s+enabled\s+X\b", text, re.M))
    assert flagged <= {"@jupyterlab/mathjax3-extension"}, flagged
