"""A class on a real JupyterHub: the shipped one-server configuration (deploy/one-server) with the
built-in dummy login and the simple local spawner in place of first-use logins and systemd, and
configurable-http-proxy from npm.

The teacher releases the student edition as a git repository and pushes it to a "school git
server" (a bare repository); a student logs in with their 学号, opens the nbgitpuller link,
finds the guide notebook, runs its setup cell through the hub (the kernel imports the student
edition, not the masters), answers an exercise and saves; the teacher releases again; the
student opens the link again and has the new release with their answer kept.

Every process is started here and stopped by its pid (the proxy, the hub, the student's server,
its kernel).  Needs jupyterhub and nbgitpuller (``pip install -e ".[hub]"``), git, and
``configurable-http-proxy`` on PATH (``npm install -g configurable-http-proxy``; or its path in
``COURSE_CHP``).  Without them the test is skipped, saying what is missing; with
``COURSE_REQUIRE_HUB=1`` (CI) it fails instead.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import NamedTuple

import pytest

from course_lib.grading.edition_git import publish, pull_link
from course_lib.settings import repo_dir

from .test_edition_git import course_copy

STUDENT, TEACHER = "20240001", "teacher"
DEPLOY = repo_dir() / "deploy" / "one-server" / "jupyterhub_config.py"


def chp_path() -> str | None:
    return os.environ.get("COURSE_CHP") or shutil.which("configurable-http-proxy")


def missing() -> str:
    reasons = [f"没有安装 {m}（pip install -e \".[hub]\"）" for m in ("jupyterhub", "nbgitpuller")
               if importlib.util.find_spec(m) is None]
    if chp_path() is None:
        reasons.append("找不到 configurable-http-proxy（npm install -g configurable-http-proxy，或用 COURSE_CHP 指定）")
    if shutil.which("git") is None:
        reasons.append("没有安装 git")
    if not Path("/proc/self/stat").exists():
        reasons.append("需要 Linux（按 /proc 里的进程号和启动时间管理进程）")
    return "；".join(reasons)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc(NamedTuple):
    """A process as this test knows it: its pid and its start time (so a reused pid is never signalled)."""

    pid: int
    start: str


def started_at(pid: int) -> str | None:
    """The start time of a running (not zombie) process, from /proc; ``None`` when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


def watch(pid: int) -> Proc:
    return Proc(pid, started_at(pid) or "gone")


def alive(proc: Proc) -> bool:
    return started_at(proc.pid) == proc.start


def stop(proc: Proc, grace: float = 30) -> bool:
    """SIGTERM the process, wait, SIGKILL if needed; True when it ended by itself (or was gone)."""
    if not alive(proc):
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not alive(proc):
            return True
        time.sleep(0.2)
    if alive(proc):
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
    return False


def wait_for(what: str, check, timeout: float = 180, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"等待超时：{what}")


HUB_CONFIG = """
import os, sys
c = get_config()
load_subconfig({deploy!r})                    # the shipped one-server configuration, then what a test machine needs:
c.JupyterHub.authenticator_class = "dummy"     # instead of first-use passwords
c.DummyAuthenticator.password = {password!r}
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"   # instead of systemd
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.environment.update(PYTHONPATH={edition!r})   # the course environment: the student edition
c.Spawner.start_timeout = c.Spawner.http_timeout = 240
c.JupyterHub.services = [{{"name": "course-test", "api_token": {token!r}}}]   # instead of the idle culler
c.JupyterHub.load_roles = [{{"name": "course-test", "services": ["course-test"], "scopes": [
    "admin:users", "admin:servers", "admin:server_state", "access:servers", "list:users"]}}]
c.JupyterHub.bind_url = "http://127.0.0.1:{public}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api}"
c.ConfigurableHTTPProxy.should_start = False      # started by the test, by pid
c.ConfigurableHTTPProxy.auth_token = {proxy_token!r}
c.JupyterHub.db_url = "sqlite:///" + {base!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {base!r} + "/cookie_secret"
c.JupyterHub.pid_file = {base!r} + "/jupyterhub.pid"
"""


class Hub:
    """The proxy and the hub, each started here and stopped by pid; the pids of everything below."""

    def __init__(self, base: Path, edition: Path) -> None:
        self.base, self.edition = base, edition
        self.ports = {name: free_port() for name in ("public", "hub", "api")}
        self.url = f"http://127.0.0.1:{self.ports['public']}"
        self.token, self.proxy_token, self.password = (secrets.token_hex(16) for _ in range(3))
        self.pids: dict[str, Proc] = {}
        self.processes: list[subprocess.Popen] = []
        self.log = open(base / "hub.log", "wb")          # closed in stop()

    def start(self) -> None:
        (self.base / "home").mkdir()
        (self.base / "名单.csv").write_text(f"学号,姓名\n{STUDENT},张三\n", encoding="utf-8")
        config = self.base / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(deploy=str(DEPLOY), password=self.password, homes=str(self.base / "home"),
                                            edition=str(self.edition), token=self.token, proxy_token=self.proxy_token,
                                            base=str(self.base), **self.ports), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "COURSE_"))}
        env.update(COURSE_ROSTER=str(self.base / "名单.csv"), COURSE_TEACHERS=TEACHER, CONFIGPROXY_AUTH_TOKEN=self.proxy_token)
        proxy = subprocess.Popen([chp_path(), "--ip", "127.0.0.1", "--port", str(self.ports["public"]),
                                  "--api-ip", "127.0.0.1", "--api-port", str(self.ports["api"]),
                                  "--default-target", f"http://127.0.0.1:{self.ports['hub']}",
                                  "--error-target", f"http://127.0.0.1:{self.ports['hub']}/hub/error"],
                                 env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(proxy)
        self.pids["proxy"] = watch(proxy.pid)
        hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.base, env=env,
                               stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(hub)
        self.pids["hub"] = watch(hub.pid)
        wait_for("JupyterHub 启动", lambda: self._up() or hub.poll() is not None, timeout=120)
        assert hub.poll() is None, self.tail()

    def _up(self) -> bool:
        import requests

        try:
            return requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def api(self, method: str, path: str, **kwargs):
        import requests

        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def tail(self) -> str:
        self.log.flush()
        return (self.base / "hub.log").read_bytes().decode("utf-8", "replace")[-3000:]

    def stop(self) -> dict[str, bool]:
        """Stop every process by pid (student processes first); {name: ended by itself}."""
        ended = {}
        if alive(self.pids["hub"]):
            with contextlib.suppress(Exception):
                self.api("DELETE", f"/hub/api/users/{STUDENT}/server")
        for name in sorted(self.pids, key=lambda n: ("kernel", "server", "hub", "proxy").index(n)):
            ended[name] = stop(self.pids[name])
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        self.log.close()
        return ended


async def _execute(url: str, token: str, code: str, timeout: float) -> tuple[str, dict | None]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": STUDENT, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    text, error, replied, idle = [], None, False, False
    while not (replied and idle):
        message = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            text.append(content["text"])
        elif kind == "error":
            error = content
        elif kind == "execute_reply":
            replied = True
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    ws.close()
    return "".join(text), error


def pull(session, hub: Hub, link: str, folder: str) -> str:
    """Open the nbgitpuller link as the student (a browser would show the page, whose script then
    calls the pull API); returns the pull's event stream."""
    page = session.get(link, timeout=120)
    assert page.status_code == 200 and f"/user/{STUDENT}/git-pull" in page.url, (page.status_code, page.url)
    assert "nbgitpuller" in page.text.lower()
    query = page.url.split("?", 1)[1]
    events = session.get(f"{hub.url}/user/{STUDENT}/git-pull/api?{query}", timeout=300).text
    assert '"phase": "finished"' in events and '"phase": "error"' not in events, events[-2000:]
    return events


def notebook(hub: Hub, path: str) -> dict:
    reply = hub.api("GET", f"/user/{STUDENT}/api/contents/{path}")
    assert reply.status_code == 200, (path, reply.status_code)
    return reply.json()["content"]


def course_cell(nb: dict, role: str, exercise: str | None = None) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("course", {}).get("role") == role
                and (exercise is None or c["metadata"]["course"].get("id") == exercise))


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture
def requirements():
    reason = missing()
    if reason:
        if os.environ.get("COURSE_REQUIRE_HUB") == "1":
            pytest.fail(f"COURSE_REQUIRE_HUB=1，但不能启动 JupyterHub：{reason}")
        pytest.skip(f"不能启动 JupyterHub：{reason}")


def test_a_class_on_a_hub(requirements, tmp_path):
    import requests

    started = time.monotonic()
    # the teacher: release → push to the school's git server
    root = course_copy(tmp_path / "老师的课程")
    work, server = tmp_path / "学生版仓库", tmp_path / "git服务器" / "ecs-student.git"
    publish(work, root)
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(server)], check=True)
    subprocess.run(["git", "-C", str(work), "push", "-q", str(server), "main"], check=True)
    # the course environment on the server: a clone of the student edition (install.sh does the same)
    edition = tmp_path / "opt-course" / "student-edition"
    subprocess.run(["git", "clone", "-q", f"file://{server}", str(edition)], check=True)

    hub = Hub(tmp_path, edition)
    try:
        hub.start()
        users = {u["name"]: u for u in hub.api("GET", "/hub/api/users").json()}
        assert users[TEACHER]["admin"]                               # COURSE_TEACHERS from the shipped config

        # the student logs in with their 学号 (the roster decides who may)
        student = requests.Session()
        login = student.get(f"{hub.url}/hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text).group(1)
        logged_in = student.post(f"{hub.url}/hub/login", data={"username": STUDENT, "password": hub.password,
                                                                 "_xsrf": xsrf}, timeout=60, allow_redirects=False)
        assert logged_in.status_code == 302, logged_in.status_code
        stranger = requests.Session()
        page = stranger.get(f"{hub.url}/hub/login", timeout=30)
        refused = stranger.post(f"{hub.url}/hub/login", data={
            "username": "20249999", "password": hub.password,
            "_xsrf": re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)}, timeout=60, allow_redirects=False)
        assert refused.status_code == 403                          # not on the roster: no login

        spawn = time.monotonic()                                   # the POST itself may wait for the server (201)
        assert hub.api("POST", f"/hub/api/users/{STUDENT}/server").status_code in (201, 202)
        model = wait_for("学生服务器启动", lambda: (lambda u: u if u["servers"].get("", {}).get("ready") else None)(
            hub.api("GET", f"/hub/api/users/{STUDENT}").json()), timeout=240)
        spawn = time.monotonic() - spawn
        hub.pids["server"] = watch(model["servers"][""]["state"]["pid"])

        # the nbgitpuller link clones the student edition into the student's home
        link = pull_link(hub.url, f"file://{server}", notebook="notebooks/00_guide.ipynb", folder="ecs-student")
        pull(student, hub, link, "ecs-student")
        home = tmp_path / "home" / STUDENT / "ecs-student"
        assert (home / "notebooks" / "00_guide.ipynb").is_file() and not (home / "data" / "coursebook.yaml").exists()
        lab = student.get(f"{hub.url}/user/{STUDENT}/lab/tree/ecs-student/notebooks/00_guide.ipynb", timeout=60)
        assert lab.status_code == 200 and "JupyterLab" in lab.text

        # the guide notebook, found through the hub, is the student edition; its setup cell runs in a kernel
        guide = notebook(hub, "ecs-student/notebooks/00_guide.ipynb")
        assert not [c for c in guide["cells"] if c["metadata"].get("course", {}).get("role") in ("teacher", "solution")]
        setup = next(source(c) for c in guide["cells"] if c["cell_type"] == "code")
        session = hub.api("POST", f"/user/{STUDENT}/api/sessions", json={
            "path": "ecs-student/notebooks/00_guide.ipynb", "type": "notebook", "name": "",
            "kernel": {"name": "python3"}}).json()
        ws = f"ws://127.0.0.1:{hub.ports['public']}/user/{STUDENT}/api/kernels/{session['kernel']['id']}/channels"
        code = setup + "\nimport os, course_lib\nprint('PID', os.getpid())\nprint('LIB', course_lib.__file__)\n"
        # in a thread of its own: a browser test run earlier in this worker may have left an event loop running here
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            text, error = pool.submit(asyncio.run, _execute(ws, hub.token, code, timeout=120)).result()
        assert error is None, error
        hub.pids["kernel"] = watch(int(re.search(r"PID (\d+)", text).group(1)))
        assert Path(re.search(r"LIB (.+)", text).group(1)).is_relative_to(edition)   # not the masters
        memory = {name: _rss(hub.pids[name].pid) for name in ("server", "kernel")}

        # the student answers an exercise and adds a note, then saves (as JupyterLab does)
        intro = notebook(hub, "ecs-student/notebooks/01_intro.ipynb")
        course_cell(intro, "answer", "u01.e1")["source"] = 'answer_e1 = "AC"  # 我的答案\n'
        intro["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "我的笔记：先问候再回答。"})
        saved = hub.api("PUT", f"/user/{STUDENT}/api/contents/ecs-student/notebooks/01_intro.ipynb",
                        json={"type": "notebook", "format": "json", "content": intro})
        assert saved.status_code == 200

        # the teacher changes the guide, adds a notebook, and releases again
        guide_master = root / "notebooks" / "00_guide.ipynb"
        nb = json.loads(guide_master.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "## 第二次发布：新增的课程说明"})
        guide_master.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        shutil.copy2(guide_master, root / "notebooks" / "02_preview.ipynb")
        intro_master = root / "notebooks" / "01_intro.ipynb"       # and the title of the notebook the student edited
        text = intro_master.read_text(encoding="utf-8")
        intro_master.write_text(text.replace("初识电商客服", "初识电商客服（修订版）", 1), encoding="utf-8")
        second = publish(work, root)
        assert second.modified == ["notebooks/00_guide.ipynb", "notebooks/01_intro.ipynb"]
        assert second.added == ["notebooks/02_preview.ipynb"]
        subprocess.run(["git", "-C", str(work), "push", "-q", str(server), "main"], check=True)

        # the student opens the same link again: the new release arrives, their work stays
        pull(student, hub, link, "ecs-student")
        intro = notebook(hub, "ecs-student/notebooks/01_intro.ipynb")
        assert source(course_cell(intro, "answer", "u01.e1")) == 'answer_e1 = "AC"  # 我的答案\n'
        assert source(intro["cells"][-1]) == "我的笔记：先问候再回答。"
        assert "初识电商客服（修订版）" in json.dumps(intro, ensure_ascii=False)   # merged into the same notebook
        assert "第二次发布" in source(notebook(hub, "ecs-student/notebooks/00_guide.ipynb")["cells"][-1])
        assert notebook(hub, "ecs-student/notebooks/02_preview.ipynb")["cells"]

        # the student's server stops through the hub, and its processes with it
        assert hub.api("DELETE", f"/hub/api/users/{STUDENT}/server").status_code in (202, 204)
        wait_for("学生服务器停止", lambda: not alive(hub.pids["server"]) and not alive(hub.pids["kernel"]), timeout=60)
    except BaseException:
        print(hub.tail())
        raise
    finally:
        ended = hub.stop()
    assert all(ended.values()), ended                      # every process ended on SIGTERM, none needed SIGKILL
    assert not [name for name, proc in hub.pids.items() if alive(proc)]
    print(f"hub test: {time.monotonic() - started:.0f} s in all, student server start {spawn:.0f} s, "
          f"memory {memory}")


def _rss(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            kb = int(re.search(r"VmRSS:\s+(\d+)", handle.read()).group(1))
        return f"{kb // 1024} MB"
    except (OSError, AttributeError):
        return "?"


def test_the_shipped_configurations_say_what_the_readme_says(tmp_path, monkeypatch):
    class Section(dict):
        def __getattr__(self, name):
            return self.setdefault(name, Section())

        def __setattr__(self, name, value):
            self[name] = value

    roster = tmp_path / "名单.csv"
    roster.write_bytes("姓名,学号\n张三,20240001\n李四,20240002.0\n".encode("gbk"))
    monkeypatch.setenv("COURSE_ROSTER", str(roster))
    monkeypatch.setenv("COURSE_TEACHERS", "wang,li")
    c = Section()
    exec(compile(DEPLOY.read_text(encoding="utf-8"), str(DEPLOY), "exec"), {"get_config": lambda: c})
    assert c.Authenticator.allowed_users == {"20240001", "20240002", "wang", "li"}
    assert c.Authenticator.admin_users == {"wang", "li"}
    assert c.SystemdSpawner.mem_limit == "1G" and c.SystemdSpawner.cpu_limit == 1.0
    assert c.Spawner.default_url == "/lab" and c.Spawner.cmd == ["/opt/course/venv/bin/jupyterhub-singleuser"]
    culler = c.JupyterHub.services[0]["command"]
    assert "jupyterhub_idle_culler" in culler and "--timeout=3600" in culler
    import yaml

    values = yaml.safe_load((repo_dir() / "deploy" / "kubernetes" / "config.yaml").read_text(encoding="utf-8"))
    assert values["cull"] == {"enabled": True, "timeout": 3600, "every": 300}
    assert values["singleuser"]["memory"]["limit"] == "1G" and values["singleuser"]["defaultUrl"] == "/lab"
    install = (repo_dir() / "deploy" / "one-server" / "install.sh").read_text(encoding="utf-8")
    assert "configurable-http-proxy" in install and "nbgitpuller" in install and "student-edition" in install


def test_ci_runs_the_hub_test_instead_of_skipping_it():
    """.ci/run installs what this test needs (git, Node.js, configurable-http-proxy from npm inside the
    checkout, the [hub] extra) and sets COURSE_REQUIRE_HUB=1, so a hub that cannot start fails CI."""
    ci = (repo_dir() / ".ci" / "run").read_text(encoding="utf-8")
    assert "export COURSE_REQUIRE_HUB=1" in ci and 'pip install -e ".[hub]"' in ci
    assert "need+=(nodejs npm)" in ci and "need+=(git)" in ci
    assert "--prefix .ci/node" in ci and 'COURSE_CHP="${PWD}/.ci/node/node_modules/.bin/configurable-http-proxy"' in ci
    assert "/.ci/node/" in (repo_dir() / ".gitignore").read_text(encoding="utf-8").splitlines()
