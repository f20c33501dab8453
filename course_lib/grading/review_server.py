"""The review desk in a browser: ``python -m course_lib review 评分结果``.

A small web server of the standard library on 127.0.0.1 serves one page
(``review_page.html``, no files from the internet) and a JSON API over :class:`.review.Desk`:

* ``GET /api/state?exercise=u01.e5`` — the free-text exercises and every student's answer;
* ``POST /api/save`` ``{"exercise", "who", "score", "comment"}`` — the teacher's score;
* ``POST /api/clear`` ``{"exercise", "who"}`` — back to the automatic score.

Every API call carries the token printed in the page's address (header ``X-Course-Token``), and
the ``Host`` must be this machine: another web page open in the same browser cannot change
grades.  A wrong score gets a Chinese message and changes nothing.
"""
from __future__ import annotations

import json
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .review import Desk, ReviewError, item_json

MAX_BODY = 64 * 1024
DEFAULT_PORT = 8765


class DeskServer(HTTPServer):
    """One results folder's review desk on ``127.0.0.1:port`` (``port=0``: any free port)."""

    def __init__(self, folder: str | os.PathLike, port: int = DEFAULT_PORT) -> None:
        Desk(folder).close()                     # a folder without results fails here, in Chinese
        self.folder = Path(folder)
        self.token = secrets.token_urlsafe(16)
        self._desk: Desk | None = None
        super().__init__(("127.0.0.1", port), Handler)

    @property
    def desk(self) -> Desk:
        """The desk, opened in the thread that serves (SQLite connections stay in their thread)."""
        if self._desk is None:
            self._desk = Desk(self.folder)
        return self._desk

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/?token={self.token}"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        try:
            super().serve_forever(poll_interval)
        finally:                                 # closed in the thread that opened it
            if self._desk is not None:
                self._desk.close()
                self._desk = None


class Handler(BaseHTTPRequestHandler):
    server: DeskServer

    def log_message(self, format, *args) -> None:       # no request log on the teacher's console
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _allowed(self) -> bool:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            self._json(403, {"error": "只能在这台电脑上打开复核台。"})
            return False
        if not secrets.compare_digest(self.headers.get("X-Course-Token") or "", self.server.token):
            self._json(403, {"error": "地址里的口令不对：请打开 review 命令显示的完整地址。"})
            return False
        return True

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/":
            page = files("course_lib.grading").joinpath("review_page.html").read_bytes()
            self._send(200, page, "text/html; charset=utf-8")
        elif url.path == "/api/state":
            if self._allowed():
                exercise = parse_qs(url.query).get("exercise", [""])[0]
                self._answer(lambda: self.server.desk.state(exercise or None))
        else:
            self._json(404, {"error": "没有这个页面。"})

    def do_POST(self) -> None:
        url = urlparse(self.path)
        if url.path not in ("/api/save", "/api/clear"):
            self._json(404, {"error": "没有这个页面。"})
            return
        if not self._allowed():
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                raise ValueError
            data = json.loads(self.rfile.read(length).decode("utf-8"))
            exercise, student = str(data["exercise"]), str(data["who"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            self._json(400, {"error": "请求的格式不对：应是含 exercise 和 who 的 JSON。"})
            return
        desk = self.server.desk
        if url.path == "/api/save":
            self._answer(lambda: {"item": item_json(desk.save(exercise, student, data.get("score", ""),
                                                              data.get("comment") or ""))})
        else:
            self._answer(lambda: {"item": item_json(desk.clear(exercise, student))})

    def _answer(self, work) -> None:
        try:
            self._json(200, work())
        except ReviewError as error:
            self._json(400, {"error": str(error)})


def start(folder: str | os.PathLike, port: int = 0) -> tuple[DeskServer, threading.Thread]:
    """A desk serving in a background thread (for tests and notebooks); ``server.shutdown()`` ends it."""
    server = DeskServer(folder, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def serve(folder: str | os.PathLike, port: int = DEFAULT_PORT, open_browser: bool = True) -> None:
    """Serve the review desk until Ctrl+C, opening it in the default browser."""
    try:
        server = DeskServer(folder, port)
    except OSError:                               # the port is taken (a second desk): any free port
        server = DeskServer(folder, 0)
    print(f"教师复核台：{server.url}")
    print("在浏览器中打开上面的地址（已自动打开时不必再开）。复核后成绩表和反馈立即更新。按 Ctrl+C 结束。", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("复核台已关闭。")
    finally:
        server.server_close()
