"""A small blocking browser for the cluster tests: cookies, CSRF like a real form, no redirects
followed (each response is looked at), any node or nginx as the target, optional source address
(127.x.y.z) so that per-address limits see distinct clients."""

from __future__ import annotations

import html
import http.client
import re
import urllib.parse
from dataclasses import dataclass, field

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def plain(self) -> str:
        """The body with character references decoded."""
        return html.unescape(self.text)


@dataclass
class Browser:
    source_ip: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    last_form_token: str = ""

    def request(
        self, method: str, url: str, data: dict[str, str] | None = None, referer: str = ""
    ) -> Page:
        parts = urllib.parse.urlsplit(url)
        source = (self.source_ip, 0) if self.source_ip else None
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout, source_address=source
        )
        headers = {"User-Agent": "apart-cluster-tests", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if referer:
            headers["Referer"] = referer
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(method, path or "/", body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self._store_cookie(header)
        found = _CSRF_INPUT.search(text)
        if found:
            self.last_form_token = found.group(1)
        return Page(response.status, response.headers, text)

    def _store_cookie(self, header: str) -> None:
        first, *attributes = header.split(";")
        name, _, value = first.strip().partition("=")
        expired = any(a.strip().lower() == "max-age=0" for a in attributes)
        if expired or value in {"", '""'}:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, url: str) -> Page:
        return self.request("GET", url)

    def post(self, url: str, data: dict[str, str]) -> Page:
        """POST a form shown before: its CSRF token is the one of the last page (or the cookie)."""
        token = self.last_form_token or self.cookies.get("csrftoken", "")
        return self.request("POST", url, {"csrfmiddlewaretoken": token, **data}, referer=url)

    def submit(self, url: str, data: dict[str, str]) -> Page:
        """GET the form page, then POST ``data`` to it (as a person would)."""
        page = self.get(url)
        if page.status != 200:
            raise AssertionError(f"GET {url}: {page.status}")
        return self.post(url, data)
