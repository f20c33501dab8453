"""《电子商务客服管理》课程辅助库.

The notebooks use a small explicit API::

    from course_lib import setup, Quiz, RolePlay, check
    setup("u01")
    Quiz("u01", group="s1")
    RolePlay("u01_thinkpad")
    check("u01.e1", answer_e1)

Nothing heavy is imported here: pandas, matplotlib and ipywidgets load only when
a function or view that needs them is used.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["setup", "Quiz", "RolePlay", "check", "score_reply", "load_dataset"]

_LAZY = {
    "setup": ("session", "setup"),
    "check": ("exercises", "check"),
    "score_reply": ("rubric", "score_reply"),
    "load_dataset": ("datasets", "load_dataset"),
    "Quiz": ("views.quiz", "Quiz"),
    "RolePlay": ("views.roleplay", "RolePlay"),
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
