"""The weaker confinement used where Linux namespaces are not available (Windows, macOS,
Linux without bubblewrap): the best this platform allows, and no more is claimed.

Each submission gets its own temporary folder as working folder and home, its own process
group (so it can be killed whole on POSIX), resource limits where the platform has them,
and a Python audit hook that refuses writes outside its folder, reads of the folders the
grader names (the checkout, the submissions, the results) and starting programs.  An audit
hook is *not* a sandbox — code can get around it (ctypes, ``dir_fd``, rebinding
``sys.audit``) — which is why the grader says so in the console and in ``需要确认.md``.
"""
from __future__ import annotations

import os
import sys
import tempfile

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PROCESS_EVENTS = ("os.system", "subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn")
_FILE_EVENTS = ("os.remove", "os.rmdir", "shutil.rmtree", "os.rename", "os.replace", "os.truncate", "os.chmod",
                "os.link", "os.symlink", "os.mkdir")


def _real(path) -> str | None:
    if isinstance(path, int):
        return None
    try:
        return os.path.realpath(os.fsdecode(path))
    except Exception:  # an odd path object is treated as outside
        return "?"


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r + os.sep) for r in roots)


def install_hook(box: str, deny: list[str]) -> None:
    """Refuse writes outside ``box`` (and the temp folder), reads under ``deny`` and new programs."""
    allowed = [os.path.realpath(box), os.path.realpath(tempfile.gettempdir())]
    denied = [os.path.realpath(p) for p in deny]
    # the interpreter's own installation (a virtual environment may sit inside the checkout) holds no key
    own = [os.path.realpath(p) for p in {sys.prefix, sys.exec_prefix, sys.base_prefix}]

    def hook(event, args):
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            real = _real(path)
            if real is None:
                return
            if _inside(real, denied) and not _inside(real, own):
                raise PermissionError("评分时不允许读取这个文件")
            writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+"))
            if writing and not _inside(real, allowed) and not real.startswith("/dev/"):
                raise PermissionError("评分时不允许写入作业文件夹以外的文件")
        elif event in _FILE_EVENTS:
            for path in args[:2]:
                real = _real(path)
                if real is not None and (not _inside(real, allowed) or _inside(real, denied)):
                    raise PermissionError("评分时不允许改动作业文件夹以外的文件")
        elif event.startswith(_PROCESS_EVENTS):
            raise PermissionError("评分时不允许运行外部程序")

    sys.addaudithook(hook)


def confine_weakly(job: dict) -> str:
    """Set the child up as well as this platform allows; returns its working folder."""
    box = tempfile.mkdtemp(prefix="course-box-")
    os.chdir(box)
    if hasattr(os, "setsid"):
        os.setsid()
    try:
        import resource

        limits = job["limits"]
        for kind, value in ((resource.RLIMIT_AS, limits["memory_bytes"]), (resource.RLIMIT_FSIZE, limits["file_bytes"]),
                            (resource.RLIMIT_CPU, limits["cpu_seconds"])):
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass
    except ImportError:                           # Windows: the grader's time limit still applies
        pass
    install_hook(box, job.get("deny", []))
    return box
