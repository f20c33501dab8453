"""The grading sandbox's seccomp filter: its decisions (run on a small BPF interpreter) and the
real kernel refusing a user namespace to a filtered process."""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

import pytest

from course_lib.grading import seccomp as S

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000


def decide(rules, nr: int, arch: int, arg0: int = 0) -> int:
    """Run a classic-BPF seccomp program (only the instructions it uses) on one system call."""
    data = struct.pack("<iI", nr, arch) + struct.pack("<Q", 0) + struct.pack("<6Q", arg0, 0, 0, 0, 0, 0)
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = rules[pc]
        pc += 1
        if code == S.LD_W_ABS:
            acc = struct.unpack_from("<I", data, k)[0]
        elif code == S.RET:
            return k
        else:
            taken = {S.JEQ: acc == k, S.JGE: acc >= k, S.JSET: bool(acc & k)}[code]
            pc += jt if taken else jf


@pytest.mark.parametrize("machine", sorted(S.TABLES))
def test_the_filter_refuses_user_namespaces_and_allows_the_rest(machine):
    rules = S.program(machine)
    arch, numbers = S.TABLES[machine]
    eperm, enosys = S.ERRNO | errno.EPERM, S.ERRNO | errno.ENOSYS
    for call in S.NAMESPACE_CALLS:
        assert decide(rules, numbers[call], arch, S.CLONE_NEWUSER) == eperm
        assert decide(rules, numbers[call], arch, S.CLONE_NEWUSER | CLONE_NEWNS) == eperm
        assert decide(rules, numbers[call], arch, CLONE_NEWNS | CLONE_NEWNET) == S.ALLOW   # caps decide those
        assert decide(rules, numbers[call], arch, 0x01200011) == S.ALLOW                    # fork()'s flags
    assert decide(rules, numbers["clone3"], arch) == enosys
    for call in ("io_uring_setup", "bpf", "ptrace", "keyctl", "perf_event_open", "setns", "mount"):
        assert decide(rules, numbers[call], arch) == eperm, call
    named = set(numbers.values())
    for nr in range(460):                                               # everything else passes
        if nr not in named:
            assert decide(rules, nr, arch) == S.ALLOW, nr
    assert all(jt < 256 and jf < 256 for _, jt, jf, _ in rules)


def test_other_abis_end_the_process():
    rules = S.program("x86_64")
    assert decide(rules, 0, 0x40000003) == S.KILL_PROCESS             # i386 (int 0x80): read is 3 there
    assert decide(rules, 0x40000000 | 272, S.TABLES["x86_64"][0], S.CLONE_NEWUSER) == S.KILL_PROCESS   # x32


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.machine() not in S.TABLES,
                    reason="seccomp是Linux的功能")
@pytest.mark.parametrize("filtered", [False, True])
def test_the_kernel_refuses_a_user_namespace_only_under_the_filter(filtered):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                                         # the child: no pytest code past here
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(38, 1, 0, 0, 0)                                   # no_new_privs
            if filtered:
                S.install(libc)
            ok = libc.unshare(S.CLONE_NEWUSER) == 0
            os.write(write, b"%d %d" % (ok, 0 if ok else ctypes.get_errno()))
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 64).decode()
    os.waitpid(pid, 0)
    ok, code = map(int, answer.split())
    if not filtered and not ok:
        pytest.skip(f"这台机器本来就不许建用户命名空间（{errno.errorcode.get(code)}）")
    assert (ok, code) == ((False, errno.EPERM) if filtered else (True, 0))


def test_a_processor_without_a_table_gets_the_weak_isolation_with_the_reason(tmp_path, monkeypatch):
    from course_lib.grading import sandbox

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(platform, "machine", lambda: "riscv64")
    isolation = sandbox.choose(tmp_path, tmp_path)
    assert not isolation.full and "riscv64" in isolation.reason and "seccomp" in isolation.reason
