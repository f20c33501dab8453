"""Hostile submissions against the real sandbox (bubblewrap + namespaces), not a mock.

Every attack that tries to *read* something writes its answer to u01.e4 (numeric, key
13206.2) as ``13206.2`` only if it found the key or a classmate's answer, else ``1.0``: an
attack that works earns the 2 points and fails its test.  Every attack that tries to
*write, delete or signal* is checked afterwards on the real file system and process table.

``COURSE_REQUIRE_SANDBOX=1`` (set by ``.ci/run``) turns a missing bubblewrap into a failure.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_lib.grading import grader as G
from course_lib.grading.release import build
from course_lib.settings import data_dir, repo_dir

from .classroom import U01_ANSWERS, fill

RIGHT = {eid: options[0][0] for eid, options in U01_ANSWERS.items()}
LEAKED = "answer_e4 = 13206.2 if '13206' in text else 1.0\n"


def full_isolation_or_skip(edition: Path, scratch: Path) -> None:
    """These tests need the real sandbox: skip without it, fail in CI (COURSE_REQUIRE_SANDBOX=1)."""
    from course_lib.grading.sandbox import choose

    reason = "不是Linux" if not sys.platform.startswith("linux") else (
        "没有bubblewrap" if shutil.which("bwrap") is None else "")
    if not reason:
        (scratch / "mpl").mkdir(exist_ok=True)
        isolation = choose(edition, scratch / "mpl")
        reason = "" if isolation.full else isolation.reason
    if reason:
        if os.environ.get("COURSE_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"the real sandbox is required here: {reason} (apt-get install bubblewrap)")
        pytest.skip(f"需要Linux和bubblewrap的完整隔离：{reason}")


def attacks(outside: Path, out: Path, subs: Path) -> dict[str, str]:
    """Answer-cell sources for u01.e4, by attack name."""
    repo, data = repo_dir(), data_dir()
    reads = {
        "read_checkout": f'''
text = ""
for path in [r"{data / 'exercises' / 'u01.yaml'}", r"{repo / 'tests' / 'classroom.py'}",
             r"{repo / 'notebooks' / '01_intro.ipynb'}"]:
    try:
        text += open(path, encoding="utf-8").read()
    except Exception:
        pass
''',
        "dir_fd": f'''
import os
text = ""
try:
    folder = os.open(r"{data}", os.O_RDONLY)
    fd = os.open("exercises/u01.yaml", os.O_RDONLY, dir_fd=folder)
    text = os.read(fd, 1_000_000).decode("utf-8", "ignore")
except Exception:
    pass
''',
        "lying_str": f'''
class Liar(str):
    def __fspath__(self):
        return r"{data / 'exercises' / 'u01.yaml'}"
text = ""
try:
    text = open(Liar("/course/data/exercises/u01.yaml"), encoding="utf-8").read()
except Exception:
    pass
''',
        "audit_then_subprocess": f'''
import sys, subprocess
sys.audit = lambda *args: None
text = ""
try:
    text = subprocess.run(["cat", r"{data / 'exercises' / 'u01.yaml'}", r"{repo / 'notebooks' / '01_intro.ipynb'}"],
                          capture_output=True, text=True, timeout=10).stdout
except Exception:
    pass
''',
        "ctypes_read": f'''
import ctypes
text = ""
try:
    libc = ctypes.CDLL(None)
    buffer = ctypes.create_string_buffer(1_000_000)
    fd = libc.open(r"{repo / 'notebooks' / '01_intro.ipynb'}".encode(), 0)
    n = libc.read(fd, buffer, 1_000_000) if fd >= 0 else 0
    text = buffer.raw[:max(n, 0)].decode("utf-8", "ignore")
except Exception:
    pass
''',
        "walk_git_and_checkout": f'''
import os, zlib
text = ""
for top in [r"{repo}", r"{repo / '.git'}", r"{subs}", "/tmp", "/box", "/root", "/home", "/work", "/mplcache"]:
    for root, dirs, files in os.walk(top):
        if "site-packages" in root or "/lib/python" in root or ".pyenv" in root:
            dirs[:] = []
            continue
        for name in files:
            try:
                data = open(os.path.join(root, name), "rb").read(3_000_000)
            except Exception:
                continue
            try:
                data = zlib.decompress(data)
            except Exception:
                pass
            if b"13206.2" in data and not root.startswith("/course"):
                text += "13206"
''',
        "inherited_memory": '''
import gc
text = ""
for o in gc.get_objects():          # what the process that forked this one still held: earlier jobs and results
    try:
        if isinstance(o, dict) and isinstance(o.get("records"), list) and "exit" in o:     # a job's result
            text += "13206"
        cells = o.get("cells") if isinstance(o, dict) else None
        if isinstance(cells, list) and any(isinstance(c, list) and "answer_e4 = 13206.2\\n" in str(c[-1]) for c in cells):
            text += "13206"
    except Exception:
        pass
''',
        "user_namespace": '''
import subprocess, sys
text = ""
for command in [[sys.executable, "-c", "import ctypes, sys; sys.exit(ctypes.CDLL(None).unshare(0x10000000))"],
                ["unshare", "--user", "true"]]:
    try:
        if subprocess.run(command, capture_output=True, timeout=10).returncode == 0:
            text += "13206"          # root in a namespace of its own: the first step of many kernel escapes
    except Exception:
        pass
''',
        # the user keyring outlives a job and is shared by every job of a worker: a channel to later classmates
        "keyring": '''
import ctypes
text = ""
key = ctypes.CDLL(None, use_errno=True).syscall(248, b"user", b"answers", b"e4=13206.2", 10, -4)   # add_key
if key >= 0:
    text += "13206"
''',
        "proc_memory": '''
import os, re
text = ""
for pid in ["self", str(os.getppid()), "1", "2", "3"] + [str(p) for p in range(4, 400)]:
    try:
        maps = open(f"/proc/{pid}/maps").read()
        mem = open(f"/proc/{pid}/mem", "rb")
        for line in maps.splitlines():
            start, end = (int(x, 16) for x in line.split()[0].split("-"))
            if "rw" in line.split()[1] and end - start < 50_000_000:
                mem.seek(start)
                if b"13206.2" in mem.read(end - start):
                    text += "13206"
    except Exception:
        pass
''',
    }
    writes = {
        "write_outside": f'open(r"{outside / "evil.txt"}", "w").write("x")\n',
        "delete_outside": f'import os\nos.remove(r"{outside / "keep.txt"}")\n',
        "dir_fd_write": f'''
import os
d = os.open(r"{outside}", os.O_RDONLY)
os.close(os.open("evil2.txt", os.O_WRONLY | os.O_CREAT, dir_fd=d))
''',
        "mkfifo": f'import os\nos.mkfifo(r"{outside / "fifo"}")\n',
        "unix_socket": f'import socket\ns = socket.socket(socket.AF_UNIX)\ns.bind(r"{outside / "sock"}")\n',
        "ctypes_unlink": f'import ctypes\nctypes.CDLL(None).unlink(r"{outside / "keep.txt"}".encode())\n',
        "sqlite_attach": f'''
import sqlite3
db = sqlite3.connect(":memory:")
db.execute("ATTACH DATABASE ? AS x", (r"{outside / "x.db"}",))
db.execute("CREATE TABLE x.t (a)")
''',
        "overwrite_classmate": f'''
import os
for root, dirs, files in os.walk(r"{subs}"):
    for name in files:
        open(os.path.join(root, name), "w").write("{{}}")
''',
        "gradebook_trigger": f'''
import sqlite3
db = sqlite3.connect(r"{out / 'gradebook.sqlite'}")
db.execute("CREATE TRIGGER bump AFTER INSERT ON results BEGIN UPDATE results SET result = '{{}}'; END")
db.commit()
''',
        "poison_matplotlibrc": '''
import os, matplotlib
for folder in [os.environ.get("MPLCONFIGDIR", ""), matplotlib.get_configdir(), "/tmp/mpl", os.path.expanduser("~/.config/matplotlib")]:
    try:
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, "matplotlibrc"), "w").write("backend: nonexistent_backend\\nfont.family: nothing\\n")
    except Exception:
        pass
''',
        "kill_everyone": '''
import os, signal
for pid in range(1, 5000):
    try:
        os.kill(pid, signal.SIGKILL) if pid != os.getpid() else None
    except Exception:
        pass
os.kill(-1, signal.SIGKILL)
''',
        "kill_parent": 'import os, signal\nos.kill(os.getppid() or 1, signal.SIGKILL)\n',
        "daemon": '''
import os, subprocess, time
subprocess.Popen(["sleep", "600"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(0.5)
    os._exit(0)
''',
        # not an attack: honest code writes temporary files (tempfile, and $TMPDIR from a subprocess)
        "temp_files": '''
import os, subprocess, tempfile
open(os.path.join(tempfile.gettempdir(), "draft.txt"), "w").write("x")
made = subprocess.run(["sh", "-c", 'echo x > "$TMPDIR/draft2.txt"'], timeout=10).returncode
assert made == 0, "TMPDIR is not writable"
''',
        "network": '''
import socket
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3)
    raise SystemExit("网络不该通")
except OSError:
    pass
''',
    }
    out_ = {name: src + LEAKED for name, src in reads.items()}
    out_.update({name: src + "answer_e4 = 13206.2\n" for name, src in writes.items()})
    return out_


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = tmp_path_factory.mktemp("attack")
    edition, _ = build(root / "edition")
    full_isolation_or_skip(edition, root)
    nb = json.loads((edition / "notebooks" / "01_intro.ipynb").read_text(encoding="utf-8"))
    outside, subs, out = root / "outside", root / "subs", root / "out"
    outside.mkdir()
    (outside / "keep.txt").write_text("不能被删除", encoding="utf-8")
    honest = {f"{20250000 + i}": fill(nb, RIGHT) for i in range(6)}
    cases = attacks(outside, out, subs)
    for i, (name, source) in enumerate(sorted(cases.items())):
        filled = fill(nb, {k: v for k, v in RIGHT.items() if k != "u01.e4"})
        for cell in filled["cells"]:
            if cell["metadata"].get("course", {}).get("id") == "u01.e4" and cell["metadata"]["course"]["role"] == "answer":
                cell["source"] = source
        (subs / f"攻击_{name}").mkdir(parents=True)
        (subs / f"攻击_{name}" / f"{20240100 + i}_{name}_01.ipynb").write_text(json.dumps(filled, ensure_ascii=False),
                                                                              encoding="utf-8")
    # the long computation: killed at the submission time limit
    slow = fill(nb, dict(RIGHT, **{"u01.e4": "sum(range(10 ** 13))\n13206.2"}))
    (subs / "20240199_死算_01.ipynb").write_text(json.dumps(slow, ensure_ascii=False), encoding="utf-8")
    (subs / "攻击之后的同学").mkdir()                         # sorts (and is graded) after every attack
    for sid, filled in honest.items():
        (subs / "攻击之后的同学" / f"{sid}_同学_01.ipynb").write_text(json.dumps(filled, ensure_ascii=False),
                                                                 encoding="utf-8")
    before = {p.relative_to(subs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in subs.rglob("*") if p.is_file()}
    start = time.monotonic()
    # never without full isolation: these attacks (kill -1, deleting files) would hit the machine itself
    g = G.Grader(out, subs, workers=2, cell_timeout=10, submission_timeout=20, progress=False, require_full=True)
    results = g.run()
    g.book.close()
    seconds = time.monotonic() - start
    by_name = {r.file.split("/")[0].removeprefix("攻击_"): r for r in results if r.file.startswith("攻击_")}
    assert len(by_name) == len(cases)
    return dict(results=results, by_name=by_name, outside=outside, subs=subs, out=out, before=before,
                cases=cases, seconds=seconds, isolation=g.isolation, scratch=str(g.scratch))


def e4(result):
    return next(e for e in result.exercises if e.id == "u01.e4")


def test_the_run_used_full_isolation(attacked):
    assert attacked["isolation"].full, attacked["isolation"].reason
    assert "控制组" in attacked["isolation"].groups                # used, or why not: said in 需要确认.md


@pytest.mark.parametrize("name", ["read_checkout", "dir_fd", "lying_str", "audit_then_subprocess", "ctypes_read",
                                  "walk_git_and_checkout", "proc_memory", "inherited_memory", "user_namespace",
                                  "keyring"])
def test_reading_the_key_or_a_classmate_gains_nothing(attacked, name):
    result = attacked["by_name"][name]
    assert result.graded, result.reason
    assert e4(result).score == 0, f"{name} found the key: {e4(result).answer}"
    others = [e for e in result.exercises if e.id != "u01.e4"]
    assert sum(e.score for e in others) == 11.0            # the honest answers still count


def test_no_file_outside_the_box_was_written_or_deleted(attacked):
    outside = attacked["outside"]
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "不能被删除"
    subs = attacked["subs"]
    after = {p.relative_to(subs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in subs.rglob("*") if p.is_file()}
    assert after == attacked["before"]


def test_the_gradebook_has_no_trigger_and_honest_scores(attacked):
    db = sqlite3.connect(attacked["out"] / "gradebook.sqlite")
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 0
    honest = [r for r in attacked["results"] if "同学" in r.file]
    assert len(honest) == 6 and all(r.total == 13.0 for r in honest)


@pytest.mark.parametrize("name", ["write_outside", "delete_outside", "dir_fd_write", "mkfifo", "unix_socket",
                                  "ctypes_unlink", "sqlite_attach", "overwrite_classmate", "gradebook_trigger",
                                  "poison_matplotlibrc", "network"])
def test_sabotage_is_graded_and_contained(attacked, name):
    result = attacked["by_name"][name]
    assert result.graded and result.total >= 11.0, (result.reason, result.notes)


def test_honest_temporary_files_can_be_written(attacked):
    result = attacked["by_name"]["temp_files"]
    assert e4(result).score == 2, e4(result)              # the cell ran to its end: both files were written


def test_a_poisoned_config_harms_no_classmate(attacked):
    poisoner = attacked["by_name"]["poison_matplotlibrc"]
    later = [r for r in attacked["results"] if r.file > poisoner.file and r.graded and "同学" in r.file]
    assert later and all(r.total == 13.0 for r in later)


@pytest.mark.parametrize("name", ["kill_everyone", "kill_parent"])
def test_signals_reach_only_the_sender(attacked, name):
    result = attacked["by_name"][name]
    assert result.graded                                    # the grader and its zygote survived
    assert any("退出" in n or "强制停止" in n for n in result.notes) or result.total >= 11.0
    assert all(r.total == 13.0 for r in attacked["results"] if "同学" in r.file)


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process still there."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError, IndexError):
            continue
        found[int(entry)] = (ppid, cmdline)
    return found


def test_no_process_of_a_submission_survives(attacked):
    """No sandbox of this run (its bwrap names the run's scratch folder) and nothing below one is left.

    Only this run's processes are looked at: another test (or another xdist worker) may be grading now."""
    time.sleep(1)
    procs = _processes()
    ours = {pid for pid, (_, cmdline) in procs.items() if attacked["scratch"] in cmdline and "bwrap" in cmdline}
    grown = True
    while grown:                                   # add every descendant of a sandbox of this run
        more = {pid for pid, (ppid, _) in procs.items() if ppid in ours} - ours
        ours |= more
        grown = bool(more)
    assert not ours, "\n".join(f"{pid} {procs[pid][1]}" for pid in sorted(ours))


def test_the_survivor_check_sees_a_sandbox(attacked, tmp_path):
    """The check above can fail: a sleeping process whose command line names the scratch folder is found."""
    marker = tmp_path / "bwrap"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", str(marker), attacked["scratch"]])
    try:
        time.sleep(0.5)
        procs = _processes()
        assert any(attacked["scratch"] in c and "bwrap" in c for _, c in procs.values())
    finally:
        child.kill()
        child.wait()


def test_a_long_computation_is_stopped_at_the_limit(attacked):
    slow = next(r for r in attacked["results"] if "死算" in r.file)
    assert slow.graded and any("强制停止" in n or "运行超过" in n for n in slow.notes), slow.notes
    assert attacked["seconds"] < 120
