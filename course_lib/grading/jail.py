"""Confining one forked child to its own Linux namespaces (used inside the grading sandbox).

The zygote (:mod:`.zygote`) runs inside bubblewrap, which already hides the teacher's files
and the network.  For each submission it forks a child that calls :func:`confine`:

1. new mount, PID, IPC, UTS and network namespaces (``unshare``), then a fork so the
   submission's code runs as PID 1 of its own PID namespace — when it ends, the kernel
   kills every process it started (daemons, ``setsid`` children) and it can see no other
   process: not the zygote, not a classmate;
2. fresh private ``tmpfs`` mounts on ``/box`` (its working folder), ``/tmp`` and ``/proc``
   (an empty ``/proc``: no ``/proc/<pid>/mem`` of anyone); when the interpreter itself is installed
   below ``/tmp`` (a checkout cloned into a temporary folder), ``/tmp`` stays the zygote's
   (root's, read-only for the submission) and temporary files go to ``/box/tmp``;
3. an unprivileged user (``nobody``, or one uid below it per grading worker, so that one
   submission's processes never count against a classmate's process limit) with no
   supplementary groups, no capabilities (effective, permitted, inheritable, bounding set)
   and ``no_new_privs``;
4. a seccomp filter (:mod:`.seccomp`): no new user namespaces, no ``io_uring``, ``bpf``, ``ptrace`` …;
5. resource limits: address space, file size, CPU seconds, processes, open files, no core.

Everything here is Linux-only and needs the capabilities bubblewrap grants the zygote
(``CAP_SYS_ADMIN``, ``CAP_SETUID``, ``CAP_SETGID``); :func:`confine` raises ``OSError``
with the failing step when something is missing.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import tempfile
from dataclasses import dataclass

from . import seccomp

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE = 1, 24, 38, 4
CAP_LAST = 63
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""

    memory_bytes: int
    file_bytes: int
    cpu_seconds: int
    processes: int = 64
    open_files: int = 256
    box_mb: int = 256
    uid: int = NOBODY           # each worker its own: the process limit counts per user, across jobs


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, step: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{step}: {os.strerror(errno)}")


def _mount_tmpfs(libc, target: str, options: str, flags: int = MS_NOSUID | MS_NODEV) -> None:
    _check(libc.mount(b"tmpfs", target.encode(), b"tmpfs", flags, options.encode()), f"mount {target}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities(libc) -> None:
    """No capabilities at all, now or after ``execve``; no way to gain privileges again."""
    for cap in range(CAP_LAST + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)          # EINVAL past the kernel's last cap: ignored
    header = _CapHeader(0x20080522, 0)                       # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), data), "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _limit(kind: int, value: int) -> None:
    import resource

    resource.setrlimit(kind, (value, value))


def apply_limits(limits: Limits) -> None:
    import resource

    _limit(resource.RLIMIT_AS, limits.memory_bytes)
    _limit(resource.RLIMIT_FSIZE, limits.file_bytes)
    _limit(resource.RLIMIT_CPU, limits.cpu_seconds)
    _limit(resource.RLIMIT_NPROC, limits.processes)
    _limit(resource.RLIMIT_NOFILE, limits.open_files)
    _limit(resource.RLIMIT_CORE, 0)


def confine(limits: Limits, deadline: float) -> None:
    """Turn the calling (freshly forked) process into the confined runner of one submission.

    Returns in the *confined* process (PID 1 of a new PID namespace, in ``/box``, as
    ``nobody``).  The calling process itself never returns: it stays behind as the
    runner's guardian, kills it after ``deadline`` seconds, and exits with its status.
    """
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET), "unshare")
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
    _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")
    runner = os.fork()
    if runner:                                   # the guardian: wait, enforce the deadline, report
        _guard(runner, deadline)
    # the runner: PID 1 of its own namespace
    _mount_tmpfs(libc, "/proc", "size=16k,mode=555", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    private_tmp = not interpreter_below("/tmp")
    if private_tmp:
        _mount_tmpfs(libc, "/tmp", f"size={limits.box_mb}m,mode=1777")
    uid = limits.uid
    _mount_tmpfs(libc, "/box", f"size={limits.box_mb}m,mode=755,uid={uid},gid={uid}")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")   # cleared by setuid
    drop_capabilities(libc)
    seccomp.install(libc)
    apply_limits(limits)
    os.chdir("/box")
    if not private_tmp:
        # the interpreter lives below /tmp, which must stay visible (and is root's, read-only for nobody):
        # the submission's temporary files go to a folder in its own /box instead
        os.mkdir("/box/tmp", 0o700)
        os.environ["TMPDIR"] = "/box/tmp"
        tempfile.tempdir = "/box/tmp"


def interpreter_below(folder: str) -> bool:
    """Whether Python or its packages are installed below ``folder`` (then a tmpfs there would hide them).

    >>> interpreter_below("/no-such-folder")
    False
    """
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    roots |= {p for p in sys.path if os.path.isabs(p)}     # not '' or an editable install's path hook
    prefix = folder.rstrip("/") + "/"
    return any(os.path.realpath(r).startswith(prefix) or r.startswith(prefix) for r in roots)


def _guard(runner: int, deadline: float) -> None:
    """The guardian's whole life: the runner's exit status becomes ours."""
    def expire(signum, frame):
        os.kill(runner, signal.SIGKILL)

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(0.1, deadline))
    while True:
        try:
            _, status = os.waitpid(runner, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)
