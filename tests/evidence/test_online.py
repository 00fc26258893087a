"""Web addresses checked online, against a server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from cchc.criteria.model import CriteriaSet
from cchc.evidence.urls import RUN_LATE, RUN_SKIPPED, unreachable
from tests.evidence.cases import check, codes, leaf, submission

SLOW = 2.0
DRIP = 0.1


class Handler(BaseHTTPRequestHandler):
    """/ok answers, /khong-co is 404, /cham answers too late, /chuyen redirects to file:,
    /nho-giot dribbles its status line one byte at a time (each read in time, the whole never)."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        if self.path == "/nho-giot":
            for byte in b"HTTP/1.1 200 OK"[: int(SLOW / DRIP)]:
                time.sleep(DRIP)
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:  # the client gave up
                    return
            return
        if self.path == "/cham":
            time.sleep(SLOW)
        if self.path == "/chuyen":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        with contextlib.suppress(OSError):  # a client that gave up at its deadline
            self.send_response(404 if self.path == "/khong-co" else 200)
            self.end_headers()
            self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The base address of a local server; proxies bypassed for it."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_answers_missing_and_slow(mini: CriteriaSet, tmp_path: Path, server: str) -> None:
    sub = submission(
        "X01",
        leaf("1.2.1", f"Tin bài: {server}/ok"),
        leaf("1.2.2", f"{server}/khong-co"),
        leaf("1.1.1", f"{server}/cham"),
    )
    started = time.monotonic()
    found = check(mini, tmp_path, sub, online=True, timeout=0.3)
    assert time.monotonic() - started < SLOW  # the slow address is waited for 0.3 s, in parallel
    assert [(i.code, i.item, i.severity) for i in found.all_issues()] == [
        ("evidence_url_unreachable", "1.2.2", "warning"),
        ("evidence_url_unreachable", "1.1.1", "warning"),
    ]
    messages = [i.message for i in found.all_issues()]
    assert messages == [
        f"không mở được '{server}/khong-co': máy chủ trả về mã lỗi 404",
        f"không mở được '{server}/cham': quá 0.3 giây không có phản hồi",
    ]
    assert sorted(Handler.hits) == ["/cham", "/khong-co", "/ok"]


def test_offline_makes_no_request(mini: CriteriaSet, tmp_path: Path, server: str) -> None:
    found = check(mini, tmp_path, submission("X01", leaf("1.2.1", f"{server}/khong-co")))
    assert found.all_issues() == [] and Handler.hits == []


def test_requests_are_bounded(mini: CriteriaSet, tmp_path: Path, server: str) -> None:
    subs = [
        submission(unit, leaf("1.2.1", f"{server}/ok?{n}"), leaf("1.2.2", f"{server}/ok?{n}"))
        for n, unit in enumerate(["X01", "X02", "X03"])
    ]
    found = check(mini, tmp_path, *subs, online=True, max_requests=2)
    assert codes(found) == ["evidence_url_limit"]
    assert found.issues[0].message == (
        "chỉ kiểm tra 2 trong 3 địa chỉ web (giới hạn số lần truy cập)"
    )
    assert sorted(Handler.hits) == ["/ok?0", "/ok?1"]  # each distinct address once


def test_redirects_only_to_the_web(server: str) -> None:
    assert unreachable([f"{server}/chuyen"], 1.0, 1) == {
        f"{server}/chuyen": "máy chủ trả về mã lỗi 302"
    }


def test_a_dribbling_server_is_cut_off_at_the_deadline(server: str) -> None:
    started = time.monotonic()
    found = unreachable([f"{server}/nho-giot"], timeout=0.5, workers=1, deadline=0.6)
    assert time.monotonic() - started < SLOW  # each byte came within the socket timeout
    assert found == {f"{server}/nho-giot": "quá 0.6 giây vẫn chưa trả lời xong"}


def test_the_whole_run_has_a_deadline(server: str) -> None:
    urls = [f"{server}/cham", f"{server}/ok"]
    started = time.monotonic()
    found = unreachable(urls, timeout=0.4, workers=1, deadline=0.4, run_deadline=0.3)
    assert time.monotonic() - started < SLOW
    assert found == {
        f"{server}/cham": RUN_LATE.format(seconds=0.3),
        f"{server}/ok": RUN_SKIPPED.format(seconds=0.3),
    }
    assert Handler.hits == ["/cham"]
    assert RUN_LATE.format(seconds=0.3) == (
        "chưa trả lời xong khi đã hết 0.3 giây dành cho việc kiểm tra địa chỉ web"
    )
