"""Web addresses units cite: is one well formed, and (online) does it answer.

Only http and https are followed, redirects included; requests are GET without reading the body,
a bounded number of them at once, each with a timeout. System proxy settings apply.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPMessage
from typing import IO
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


def _probe(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> str | None:
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
    except (OSError, ValueError) as exc:
        return f"không kết nối được ({exc})"


def unreachable(urls: list[str], timeout: float, workers: int) -> dict[str, str]:
    """Why each address that does not answer fails, in Vietnamese; answering ones are left out."""
    if not urls:
        return {}
    opener = urllib.request.build_opener(_WebOnlyRedirects())
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        results = pool.map(lambda url: _probe(opener, url, timeout), urls)
        return {url: why for url, why in zip(urls, results, strict=True) if why is not None}
