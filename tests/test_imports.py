"""Import discipline: logic modules never import widgets; ``import course_lib`` stays light."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

LOGIC = ["text", "answers", "rubric", "content", "scenarios", "exercises", "results", "progress",
         "paths", "validate", "session", "charts", "datasets", "records", "nbrun", "timeouts", "orders",
         "reminders", "kpi", "rfm", "bundles", "performance", "shopgen", "release", "grader", "grade_worker",
         "gradebook"]
HEAVY_UI = ("ipywidgets", "IPython")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nimport json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in json.loads(out)}


@pytest.mark.parametrize("module", LOGIC)
def test_logic_modules_never_import_widgets(module):
    loaded = loaded_after(f"import course_lib.{module}")
    assert not loaded & set(HEAVY_UI), f"course_lib.{module} pulls in {loaded & set(HEAVY_UI)}"


def test_import_course_lib_is_light():
    loaded = loaded_after("import course_lib")
    assert not loaded & {"pandas", "matplotlib", "ipywidgets", "IPython", "yaml", "numpy"}


def test_check_in_student_mode_needs_no_pandas_or_widgets():
    loaded = loaded_after("from course_lib import check; check('u00.e1', 'A')")
    assert not loaded & {"pandas", "matplotlib", "ipywidgets"}


def test_the_lazy_api_resolves():
    import course_lib

    for name in course_lib.__all__:
        assert callable(getattr(course_lib, name))
    with pytest.raises(AttributeError):
        course_lib.does_not_exist  # noqa: B018
