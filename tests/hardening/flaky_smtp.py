"""A TCP proxy in front of the test SMTP server that breaks a share of the connections.

Connection n (counted from 0) is handled by ``plan(n)``: "pass" forwards both ways, "refuse"
closes the socket at once (no greeting), "drop" forwards the greeting then hangs up as soon as the
client speaks after EHLO (in the middle of the transaction, before any message is accepted).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


def every_fourth(n: int) -> str:
    """A quarter of the connections fail, refused and dropped in turn."""
    if n % 4 != 3:
        return "pass"
    return "refuse" if (n // 4) % 2 == 0 else "drop"


@dataclass
class FlakyProxy:
    target_port: int
    plan: Callable[[int], str] = every_fourth
    host: str = "127.0.0.1"
    port: int = 0
    outcomes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = socket.create_server((self.host, 0))
        self.port = self._server.getsockname()[1]
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __enter__(self) -> FlakyProxy:
        accept = threading.Thread(target=self._accept_loop, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        self._server.close()

    def count(self, outcome: str) -> int:
        return self.outcomes.count(outcome)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            with self._lock:
                outcome = self.plan(len(self.outcomes))
                self.outcomes.append(outcome)
            if outcome == "refuse":
                client.close()
                continue
            worker = threading.Thread(target=self._relay, args=(client, outcome), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _relay(self, client: socket.socket, outcome: str) -> None:
        upstream = socket.create_connection((self.host, self.target_port), timeout=10)
        client.settimeout(10)
        commands_seen = 0

        def pump(src: socket.socket, dst: socket.socket, from_client: bool) -> None:
            nonlocal commands_seen
            try:
                while data := src.recv(65536):
                    if from_client:
                        commands_seen += data.count(b"\r\n")
                        if outcome == "drop" and commands_seen >= 2:  # EHLO, then MAIL FROM
                            break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (client, upstream):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)

        back = threading.Thread(target=pump, args=(upstream, client, False), daemon=True)
        back.start()
        pump(client, upstream, True)
        back.join(10)
        client.close()
        upstream.close()
