"""The architecture, enforced: what each capability may import, no import cycles, logic that
never loads widgets, a light ``import course_lib``, and notebooks that use only the public API.

Modules are discovered with ``pkgutil`` and read with ``ast`` (function-level imports
count too), so a new module is checked without editing this file.
"""
from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import course_lib

PACKAGE = Path(course_lib.__file__).parent
REPO = PACKAGE.parent
HEAVY_UI = {"ipywidgets", "IPython", "matplotlib"}

# what each part of course_lib may import from the others ("*" = anything)
ALLOWED = {
    "text": set(), "files": set(), "console": set(), "theme": set(), "settings": {"files"}, "progress": {"settings"},
    "charts": set(), "session": {"settings", "charts", "content", "theme", "kernel_start"}, "kernel_start": {"__init__"},
    "content": {"files", "settings", "text", "theme"},
    "shop": {"files", "settings", "text", "theme"},
    "practice": {"files", "settings", "text"},
    "notebook": {"settings", "files"},
    # the grading zygote stands in for a kernel: it warms up the public API a notebook imports
    "grading": {"files", "settings", "text", "charts", "content", "notebook", "__init__"},
    "publish": {"notebook", "settings", "files"},
    "views": {"content", "shop", "practice", "charts", "settings", "progress", "text", "files", "theme"},
    "cli": {"*"}, "__init__": set(), "__main__": {"cli"},
}


def modules() -> list[str]:
    names = ["course_lib"] + [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "course_lib.")]
    return sorted(n for n in names if "sandbox" not in n)


def source(module: str) -> Path:
    path = REPO / Path(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def runtime_nodes(tree: ast.AST):
    """Every node that can run: all of the module except ``if TYPE_CHECKING:`` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        yield node
        yield from runtime_nodes(node)


def imports_of(module: str) -> set[str]:
    """Every course_lib module ``module`` imports at run time, at any level of its code."""
    tree = ast.parse(source(module).read_text(encoding="utf-8"))
    package = module if source(module).name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("course_lib")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("course_lib"):
                continue
            for alias in node.names:        # "from . import x" may name a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {m for m in found if m in MODULES and m != module}


MODULES = set(modules())


def part(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_part_imports_only_what_it_may(module):
    mine = part(module)
    allowed = ALLOWED[mine]
    bad = sorted(m for m in imports_of(module) if part(m) != mine and "*" not in allowed and part(m) not in allowed)
    assert not bad, f"{module} ({mine}) may not import {bad}"


def test_no_import_cycles():
    graph = {m: imports_of(m) for m in MODULES}
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(node):                                   # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    assert not cycles, f"import cycles: {cycles}"


def test_the_check_can_see_a_cycle_and_a_forbidden_import():
    """The graph really contains the edges the two tests above judge."""
    assert "course_lib.content.banks" in imports_of("course_lib.content.validate")
    assert "course_lib.notebook.cells" in imports_of("course_lib.grading.grader")
    assert "course_lib.content.rubric" in imports_of("course_lib.content.qtypes")   # a function-level import


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nimport json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in json.loads(out)}


def test_logic_modules_never_import_widgets_or_charts_at_import_time():
    logic = sorted(m for m in MODULES if part(m) not in ("views", "__main__"))
    loaded = loaded_after("\n".join(f"import {m}" for m in logic))
    assert not loaded & HEAVY_UI, f"importing the logic modules loads {loaded & HEAVY_UI}"


def test_import_course_lib_is_light():
    loaded = loaded_after("import course_lib")
    assert not loaded & {"pandas", "matplotlib", "ipywidgets", "IPython", "yaml", "numpy", "nbformat"}


def test_check_in_student_mode_needs_no_pandas_or_widgets():
    loaded = loaded_after("from course_lib import check; check('u00.e1', 'A')")
    assert not loaded & {"pandas", "matplotlib", "ipywidgets"}


def test_the_lazy_api_resolves_to_its_home():
    for name, home in course_lib.PUBLIC.items():
        value = getattr(course_lib, name)
        assert value is getattr(__import__(f"course_lib.{home}", fromlist=[name]), name)
    with pytest.raises(AttributeError):
        _ = course_lib.does_not_exist


def notebook_imports(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            tree = ast.parse("\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_lib"):
                    found.append(node.module)
                elif isinstance(node, ast.Import):
                    found += [a.name for a in node.names if a.name.startswith("course_lib")]
        else:
            found += [w.strip("`;，。") for w in text.split() if w.startswith(("course_lib.", "`course_lib."))
                      and "import" in text]
    return found


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("*.ipynb")) + sorted((REPO / "apps").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_notebooks_import_only_the_public_api(path):
    private = [m for m in notebook_imports(path) if m != "course_lib"]
    assert not private, f"{path.name} imports private paths: {private}"
    names = [a.name for cell in json.loads(path.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"
             for node in ast.walk(ast.parse("".join(cell["source"]))) if isinstance(node, ast.ImportFrom)
             and node.module == "course_lib" for a in node.names]
    unknown = sorted(set(names) - set(course_lib.__all__))
    assert not unknown, f"{path.name} imports names the public API lacks: {unknown}"
