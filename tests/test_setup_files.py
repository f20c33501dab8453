"""environment.yml stays in sync with pyproject.toml; the README's commands match CI."""
from __future__ import annotations

import re
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
