"""Web addresses units cite: is one well formed, and (online) does it answer.

Only http and https are followed, redirects included; requests are GET without reading the body,
a bounded number of them at once. Each has a socket timeout and a total deadline: a server that
answers a byte every few seconds is cut off at the deadline (its socket shut from a timer), and the
whole run has a deadline of its own, past which the remaining addresses are not tried. System
proxy settings apply.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

from cchc import __version__

WEB_SCHEMES = ("http", "https")
_HOST = re.compile(r"^(?:(?:[\w-]+\.)+[\w-]{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3})$")


def web_address(text: str) -> str | None:
    """The address to open ('www.x.vn' → 'http://www.x.vn'), or None if it is malformed."""
    url = f"http://{text}" if text[:4].lower() == "www." else text
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in WEB_SCHEMES or not host or not _HOST.match(host) or port == 0:
        return None
    return url


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (never to file: or ftp:)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in WEB_SCHEMES:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Watch:
    """The sockets of one probe, shut when its deadline passes (wakes a blocked read)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False

    def add(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if connection.sock is not None:
                self._sockets.append(connection.sock)
            if self.expired:
                self._shut()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watch: _Watch) -> Any:
    """A connection class that tells `watch` of its socket once connected."""

    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            watch.add(self)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPConnection, watch)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._class, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._class = _watched(http.client.HTTPSConnection, watch)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._class, req)


def _probe(url: str, timeout: float, deadline: float, late: str) -> str | None:
    """Why the address does not answer within `deadline` seconds in all (then `late`), or None."""
    watch = _Watch()
    opener = urllib.request.build_opener(
        _WebOnlyRedirects(), _HTTPHandler(watch), _HTTPSHandler(watch)
    )
    timer = threading.Timer(deadline, watch.expire)
    timer.start()
    try:
        why = _open(opener, url, min(timeout, deadline))
    finally:
        timer.cancel()
    return late if watch.expired else why


def _open(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> str | None:
    request = urllib.request.Request(url, headers={"User-Agent": f"cchc/{__version__}"})
    try:
        with opener.open(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as exc:
        return f"máy chủ trả về mã lỗi {exc.code}"
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return f"quá {timeout:g} giây không có phản hồi"
        return f"không kết nối được ({exc.reason})"
    except TimeoutError:
        return f"quá {timeout:g} giây không có phản hồi"
    except http.client.HTTPException as exc:
        return f"máy chủ trả lời sai giao thức HTTP ({type(exc).__name__})"
    except (OSError, ValueError) as exc:
        return f"không kết nối được ({exc})"


LATE = "quá {seconds:g} giây vẫn chưa trả lời xong"
RUN_LATE = "chưa trả lời xong khi đã hết {seconds:g} giây dành cho việc kiểm tra địa chỉ web"
RUN_SKIPPED = "chưa thử: đã hết {seconds:g} giây dành cho việc kiểm tra địa chỉ web"


def unreachable(
    urls: list[str],
    timeout: float,
    workers: int,
    deadline: float | None = None,
    run_deadline: float | None = None,
) -> dict[str, str]:
    """Why each address that does not answer fails, in Vietnamese; answering ones are left out.

    `deadline`: seconds for one address in all (default: twice the timeout); `run_deadline`:
    seconds for the whole list, past which the addresses not yet tried are reported as such.
    """
    if not urls:
        return {}
    each = deadline if deadline is not None else 2 * timeout
    ends = None if run_deadline is None else time.monotonic() + run_deadline

    def probe(url: str) -> str | None:
        left = each if ends is None else ends - time.monotonic()
        if left <= 0:
            return RUN_SKIPPED.format(seconds=run_deadline)
        if left >= each:
            return _probe(url, timeout, each, LATE.format(seconds=each))
        return _probe(url, timeout, left, RUN_LATE.format(seconds=run_deadline))

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        results = pool.map(probe, urls)
        return {url: why for url, why in zip(urls, results, strict=True) if why is not None}
