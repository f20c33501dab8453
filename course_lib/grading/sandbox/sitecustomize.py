"""Loaded by the grading kernel (the grader puts this folder on PYTHONPATH).

An audit hook, which cannot be removed once installed, stops submission code from
writing or deleting files outside its own temporary folder, reading the answer keys
or other students' work, or starting programs.  Each attempt fails with
PermissionError and is reported on the process's stderr, where the grader reads it.
"""
import os
import sys

_ROOT = os.path.realpath(os.environ.get("COURSE_SANDBOX_ROOT", os.getcwd()))
_ALLOW = [os.path.realpath(p) for p in os.environ.get("COURSE_SANDBOX_ALLOW", "").split(os.pathsep) if p]
_DENY = [os.path.realpath(p) for p in os.environ.get("COURSE_SANDBOX_DENY", "").split(os.pathsep) if p]
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_FILE_EVENTS = {"os.remove": "删除", "os.rmdir": "删除", "shutil.rmtree": "删除", "os.rename": "移动",
                "os.replace": "移动", "os.truncate": "改写", "os.chmod": "修改权限", "os.link": "链接",
                "os.symlink": "链接", "os.mkdir": "新建文件夹"}
_PROCESS_EVENTS = ("os.system", "subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn")
_PROGRAMS = {"uname", "fc-list"}      # asked for by the platform module and matplotlib, not by students


def _inside(path, roots):
    return any(path == r or path.startswith(r + os.sep) for r in roots)


def _real(path):
    try:
        if isinstance(path, int):
            return None
        return os.path.realpath(os.fsdecode(path))
    except Exception:  # an odd path object is treated as outside
        return "?"


def _deny(kind, path):
    try:
        os.write(2, f"\nCOURSE-SANDBOX-VIOLATION\t{kind}\t{path}\n".encode("utf-8", "replace"))
    except OSError:
        pass
    raise PermissionError(f"评分时不允许：{kind}（{path}）")


def _hook(event, args):
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        real = _real(path)
        if real is None:
            return
        if _inside(real, _DENY):
            _deny("读取答案或他人文件", real)
        writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
            isinstance(mode, str) and any(c in mode for c in "wax+"))
        if writing and not _inside(real, [_ROOT, *_ALLOW]) and not real.startswith("/dev/"):
            _deny("写入作业文件夹以外的文件", real)
    elif event in _FILE_EVENTS:
        for path in args[:2]:
            real = _real(path)
            if real is not None and (not _inside(real, [_ROOT, *_ALLOW]) or _inside(real, _DENY)):
                _deny(f"{_FILE_EVENTS[event]}作业文件夹以外的文件", real)
    elif event.startswith(_PROCESS_EVENTS):
        program = args[0] if args else event
        if event == "subprocess.Popen" and isinstance(args[1], (list, tuple)) and args[1]:
            program = args[1][0]
        name = os.path.basename(os.fsdecode(program)) if isinstance(program, (str, bytes)) else ""
        if name in _PROGRAMS:
            return
        _deny("运行外部程序", str(program)[:80])


if os.environ.get("COURSE_SANDBOX_ROOT"):
    sys.addaudithook(_hook)
