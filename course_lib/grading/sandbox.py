"""Which isolation this machine allows, and the command that starts a grading zygote in it.

On Linux with Debian's ``bubblewrap`` (``bwrap``) every zygote runs in its own sandbox: a
private root showing, read-only, only the system libraries, the Python interpreter and its
packages, the fonts and the *student edition* (at ``/course``); a private ``/tmp``; no
network; its own PID, IPC and UTS namespaces; a cleared environment; and it dies with the
grader.  Each submission is then confined further by :mod:`.jail`.  Everywhere else the
isolation is weaker (:mod:`.weak`) and :data:`Isolation.warning` says so in Chinese.

>>> weak = Isolation(WEAK, [sys.executable, "-m", "course_lib.grading.zygote"], "示例")
>>> weak.full, "隔离较弱" in weak.warning
(False, True)
"""
from __future__ import annotations

import os
import platform
import shutil
import site
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from . import seccomp

FULL, WEAK = "full", "weak"
INSTALL_HINT = ("在Linux上安装bubblewrap即可获得完整隔离：sudo apt-get install bubblewrap（Debian/Ubuntu），"
                "或 sudo dnf install bubblewrap（Fedora）。")
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/fonts", "/etc/ld.so.cache",
               "/etc/localtime", "/var/cache/fontconfig", "/etc/alternatives")


@dataclass(frozen=True)
class Isolation:
    """How submissions are isolated here: ``full`` (Linux namespaces) or ``weak``."""

    level: str
    command: list[str]
    reason: str = ""
    env: dict = field(default_factory=dict, compare=False)
    groups: str = field(default="", compare=False)     # the control groups of the run (:mod:`.cgroups`), once known

    @property
    def full(self) -> bool:
        return self.level == FULL

    @property
    def description(self) -> str:
        if self.full:
            return ("完整隔离（Linux命名空间，bubblewrap）：每份作业只能看到学生版和Python运行环境，"
                    "看不到母版、答案、成绩库和其他同学的作业，不能联网，也看不到、影响不了其他进程。"
                    + (f"{self.groups}。" if self.groups else ""))
        return f"隔离较弱（{self.reason}）"

    @property
    def warning(self) -> str:
        """The line printed at the start of a weakly isolated run (empty under full isolation)."""
        if self.full:
            return ""
        return (f"注意：本次评分隔离较弱（{self.reason}）：作业代码以老师的权限运行，只有Python层面的防护，"
                f"恶意代码有可能读到答案或改动文件。{INSTALL_HINT}")


def _python_dirs() -> list[str]:
    """Every folder the interpreter and its packages load from."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        found.add(sysconfig.get_paths()[key])
    user = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if user and os.path.isdir(user):
        found.add(user)
    # keep the outermost folders only; never bind a folder that holds the teacher's checkout
    dirs = sorted({os.path.realpath(d) for d in found if d and os.path.isdir(d)})
    return [d for d in dirs if not any(d != o and d.startswith(o + os.sep) for o in dirs)]


def _parents(path: str) -> list[str]:
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(2, len(parts))]


def bwrap_command(edition: Path, mpl_cache: Path, bwrap: str = "bwrap", protected: tuple[Path, ...] = ()) -> list[str]:
    """The ``bwrap`` command line that starts a zygote for ``edition`` (the student edition).

    ``protected`` folders (the checkout, the submissions, the results) must stay invisible:
    if a folder to bind would contain one of them, ``RuntimeError`` says why.
    """
    cmd = [bwrap, "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid", "--unshare-net",
           "--unshare-uts", "--unshare-cgroup-try", "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETUID",
           "--cap-add", "CAP_SETGID", "--clearenv"]
    binds = [d for d in SYSTEM_DIRS if os.path.exists(d)] + _python_dirs()
    guarded = [Path(os.path.realpath(p)) for p in protected]
    for source in binds:
        root = Path(source)
        hidden = [g for g in guarded if g == root or root in g.parents]
        if hidden:
            raise RuntimeError(f"Python环境所在的文件夹 {source} 包含了需要保护的 {hidden[0]}，无法隔离")
    # /tmp first (root's, mode 0755): an interpreter installed below /tmp (a checkout cloned into a temporary
    # folder) is bound on top of it
    cmd += ["--tmpfs", "/tmp"]
    made: set[str] = set()
    for source in binds:
        for parent in _parents(source):
            if parent not in made and parent not in binds:
                cmd += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        cmd += ["--ro-bind", source, source]
    cmd += ["--ro-bind", str(edition), "/course", "--ro-bind", str(mpl_cache), "/mplcache",
            "--proc", "/proc", "--dev", "/dev", "--perms", "0755", "--dir", "/box",
            "--chdir", "/tmp"]
    for key, value in zygote_env("/course", "/tmp/mpl", "/mplcache").items():
        cmd += ["--setenv", key, value]
    return cmd + ["--", sys.executable, "-m", "course_lib.grading.zygote"]


def zygote_env(edition: str, mpl: str, mpl_cache: str, isolation: str = FULL) -> dict:
    """The whole environment a zygote starts with (nothing of the teacher's is passed on)."""
    return {"PYTHONPATH": edition, "COURSE_DATA": f"{edition}/data", "MPLBACKEND": "Agg", "MPLCONFIGDIR": mpl,
            "COURSE_MPL_CACHE": mpl_cache, "PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONUTF8": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "COURSE_ISOLATION": isolation,
            "HOME": os.path.dirname(mpl)}


def probe(command: list[str]) -> str:
    """'' if a trivial sandbox with these options starts here, else the reason (Chinese)."""
    test = command[:command.index("--")] + ["--", sys.executable, "-c", "import os; os.unshare"
                                            " if hasattr(os, 'unshare') else None"]
    try:
        result = subprocess.run(test, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap无法启动：{type(error).__name__}"
    if result.returncode != 0:
        return "bubblewrap无法创建沙箱：" + result.stderr.decode("utf-8", "replace").strip()[:200]
    return ""


def choose(edition: Path, mpl_cache: Path, protected: tuple[Path, ...] = ()) -> Isolation:
    """Full isolation when bubblewrap works here, else the weaker one (with the reason)."""
    weak = [sys.executable, "-m", "course_lib.grading.zygote"]
    if not sys.platform.startswith("linux"):
        return Isolation(WEAK, weak, "这台电脑不是Linux，没有可用的命名空间隔离")
    if platform.machine() not in seccomp.TABLES:
        return Isolation(WEAK, weak, f"这台电脑的处理器（{platform.machine()}）还没有系统调用过滤表（seccomp），"
                                     "完整隔离做不到")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Isolation(WEAK, weak, "没有找到bubblewrap（bwrap）")
    try:
        command = bwrap_command(edition, mpl_cache, bwrap, protected)
    except RuntimeError as error:
        return Isolation(WEAK, weak, str(error))
    problem = probe(command)
    if problem:
        return Isolation(WEAK, weak, problem)
    return Isolation(FULL, command)
