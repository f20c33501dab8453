"""A seccomp filter for the confined child: no new user namespaces, less of the kernel to attack.

Namespaces, an unprivileged user and no capabilities (:mod:`.jail`) already keep a submission
away from the teacher's files.  A process without capabilities may still create a *user
namespace*, become "root" inside it and reach kernel code that only root could reach before
(new mounts, network and netfilter set-up): the path of many kernel privilege escalations.
This filter closes it and a few other such doors; a submission has no use for any of them:

- ``unshare``, ``clone`` with ``CLONE_NEWUSER``: refused (``EPERM``);
- ``clone3``: ``ENOSYS``: its flags sit behind a pointer a filter cannot read, and the C library
  then falls back to ``clone``, which the filter can check;
- ``io_uring_*``, ``bpf``, ``perf_event_open``, ``userfaultfd``, ``keyctl``, ``add_key``,
  ``request_key``, ``ptrace``, ``process_vm_readv``/``writev``, ``mount``, ``pivot_root``,
  ``setns``, ``kexec_load`` …: refused (``EPERM``);
- any system call of another ABI (32-bit ``int 0x80``, x32) ends the process: their numbers differ,
  so the list above would not hold for them.

The program is built by a pure function (:func:`program`) and loaded by :func:`install`, after
``no_new_privs``.  On a processor this module has no table for, :func:`install` raises
``OSError`` and the run does not start, rather than run unfiltered.

>>> rules = program("x86_64")
>>> rules[1] == (JEQ, 1, 0, TABLES["x86_64"][0])    # first: a system call of this processor's own ABI?
True
>>> len(rules) < 64                           # short: the kernel runs it on every system call
True
"""
from __future__ import annotations

import ctypes
import errno as _errno
import platform

# classic BPF: (code, jump if true, jump if false, k)
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, KILL_PROCESS = 0x7FFF0000, 0x80000000
ERRNO = 0x00050000
NR, ARCH, ARG0 = 0, 4, 16                  # offsets in struct seccomp_data (arg0's low half: little-endian)
CLONE_NEWUSER = 0x10000000
X32_BIT = 0x40000000
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2

# the audit architecture of each processor, and the number of each call the filter names (x86_64, aarch64)
ARCHES = {"x86_64": (0xC000003E, 0), "aarch64": (0xC00000B7, 1)}
CALLS = {
    "unshare": (272, 97), "clone": (56, 220), "clone3": (435, 435), "setns": (308, 268), "mount": (165, 40),
    "umount2": (166, 39), "pivot_root": (155, 41), "ptrace": (101, 117), "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271), "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218), "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426), "io_uring_register": (427, 427), "kexec_load": (246, 104),
    "kexec_file_load": (320, 294), "init_module": (175, 105), "finit_module": (313, 273),
    "open_by_handle_at": (304, 265), "fsopen": (430, 430), "fsmount": (432, 432), "move_mount": (429, 429),
    "open_tree": (428, 428),
}
TABLES: dict[str, tuple[int, dict[str, int]]] = {
    machine: (arch, {name: numbers[column] for name, numbers in CALLS.items()})
    for machine, (arch, column) in ARCHES.items()
}
NAMESPACE_CALLS = ("unshare", "clone")


def program(machine: str) -> list[tuple[int, int, int, int]]:
    """The filter for ``machine`` (``platform.machine()``), as (code, jt, jf, k) instructions.

    Raises ``OSError`` for a processor without a table.

    >>> program("sparc")
    Traceback (most recent call last):
    OSError: [Errno 38] seccomp: no system-call table for sparc
    """
    if machine not in TABLES:
        raise OSError(_errno.ENOSYS, f"seccomp: no system-call table for {machine}")
    arch, numbers = TABLES[machine]
    refused = [n for name, n in numbers.items() if name not in (*NAMESPACE_CALLS, "clone3")]
    eperm, enosys = ERRNO | _errno.EPERM, ERRNO | _errno.ENOSYS
    # the tail: [check flags ...] then the three returns; jumps are counted forwards from the next instruction
    body: list[tuple[int, int, int, int]] = [
        (LD_W_ABS, 0, 0, ARCH),
        (JEQ, 1, 0, arch),
        (RET, 0, 0, KILL_PROCESS),                       # another ABI
        (LD_W_ABS, 0, 0, NR),
    ]
    if machine == "x86_64":                              # x32 calls: the same arch, numbers with this bit set
        body.append((JGE, 0, 1, X32_BIT))
        body.append((RET, 0, 0, KILL_PROCESS))
    checks = [("flags", numbers[name]) for name in NAMESPACE_CALLS] + [("nosys", numbers["clone3"])] + \
             [("refuse", n) for n in refused]
    # layout after the checks: [0] RET ALLOW, [1] LD arg0, [2] JSET NEWUSER, [3] RET ALLOW, [4] RET EPERM, [5] RET ENOSYS
    targets = {"flags": 1, "refuse": 4, "nosys": 5}
    for i, (kind, number) in enumerate(checks):
        to_tail = len(checks) - i - 1                    # instructions between this one and the tail
        body.append((JEQ, to_tail + targets[kind], 0, number))
    body += [
        (RET, 0, 0, ALLOW),
        (LD_W_ABS, 0, 0, ARG0),
        (JSET, 1, 0, CLONE_NEWUSER),
        (RET, 0, 0, ALLOW),
        (RET, 0, 0, eperm),
        (RET, 0, 0, enosys),
    ]
    return body


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_Instruction))]


def install(libc, machine: str | None = None) -> None:
    """Load the filter into the calling thread (inherited by every child); needs ``no_new_privs``."""
    rules = program(machine or platform.machine())
    array = (_Instruction * len(rules))(*(_Instruction(*rule) for rule in rules))
    prog = _Program(len(rules), array)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"seccomp: {_errno.errorcode.get(code, code)}")
