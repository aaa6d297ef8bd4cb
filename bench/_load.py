"""Open-loop load generation for bench/surge.py: a minimal asyncio HTTP/1.1 client and the
journeys of the surge mix (home, registration, login, dashboard, fiche edit, recovery).

Each journey is what one person does in a row, on one keep-alive connection from its own
loopback address (127.1.x.y: per-address limits see distinct clients, as they would in real
life). Every HTTP request is recorded: (journey, label, started, latency, status, ok).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

CAPTCHA = {"captcha_0": "unused", "captcha_1": "PASSED-TEST"}
REQUEST_TIMEOUT = 30.0


@dataclass
class Sample:
    journey: str
    label: str
    started: float
    latency: float
    status: int
    ok: bool


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("location", [""])[0]


class JourneyFailed(Exception):
    pass


def random_source_ip(rng: random.Random) -> str:
    return f"127.1.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


class Client:
    """One person's browser: one connection (reopened when the server closes it), cookies, and
    the CSRF cookie it presents back in forms (Django accepts the cookie's secret as token)."""

    def __init__(self, port: int, source_ip: str, journey: str, record: Callable[[Sample], None]):
        self.port = port
        self.source_ip = source_ip
        self.journey = journey
        self.record = record
        self.cookies: dict[str, str] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._writer = self._reader = None

    async def _connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(
            "127.0.0.1", self.port, local_addr=(self.source_ip, 0)
        )

    async def _exchange(self, raw: bytes) -> Response:
        if self._writer is None:
            await self._connect()
        assert self._reader is not None and self._writer is not None
        self._writer.write(raw)
        await self._writer.drain()
        reader = self._reader
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before the status line")
        status = int(status_line.split()[1])
        headers: dict[str, list[str]] = {}
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if headers.get("transfer-encoding", [""])[0].lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await reader.readline()
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readline()
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"][0]))
        else:
            body = await reader.read()
            await self.close()
        if headers.get("connection", [""])[0].lower() == "close":
            await self.close()
        return Response(status, headers, body)

    async def request(
        self,
        label: str,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        if data is not None:
            self.cookies.setdefault("csrftoken", secrets.token_hex(16))
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += ["User-Agent: apart-surge", "Accept: text/html"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if data is not None:
            token = self.cookies["csrftoken"]
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
            lines += ["Content-Type: application/x-www-form-urlencoded"]
            lines += [f"Referer: http://127.0.0.1:{self.port}{path}"]
        lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.monotonic()
        status = 0
        try:
            for attempt in range(2):
                try:
                    response = await asyncio.wait_for(self._exchange(raw), REQUEST_TIMEOUT)
                    break
                except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
                    # The keep-alive connection was closed under us: once more on a new one.
                    await self.close()
                    if attempt == 1:
                        raise
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            self.record(Sample(self.journey, label, started, time.monotonic() - started, 0, False))
            await self.close()
            raise JourneyFailed(f"{label}: {error!r}") from error
        status = response.status
        ok = status in expect
        self.record(Sample(self.journey, label, started, time.monotonic() - started, status, ok))
        for header in response.headers.get("set-cookie", []):
            first, *attributes = header.split(";")
            name, _, value = first.strip().partition("=")
            if value in {"", '""'} or any(a.strip().lower() == "max-age=0" for a in attributes):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if not ok:
            raise JourneyFailed(f"{label}: HTTP {status} {response.location}")
        return response


# --- What the journeys draw from ---------------------------------------------------------------


@dataclass
class Pools:
    """Seeded data: employers who can log in, sessions already open, free SIRETs."""

    employers: list[dict[str, Any]]
    sessions: list[tuple[dict[str, str], int]] = field(default_factory=list)  # cookies, fiche pk
    sirets: list[str] = field(default_factory=list)
    password: str = ""
    answer: str = ""
    recovery_next: int = 0
    registrations: int = 0

    def next_recovery(self) -> dict[str, Any]:
        # Round robin: each account is asked for at most a few emails an hour (its limit is 5).
        employer = self.employers[self.recovery_next % len(self.employers)]
        self.recovery_next += 1
        return employer


Journey = Callable[[Client, Pools, random.Random], Awaitable[None]]


async def home(client: Client, pools: Pools, rng: random.Random) -> None:
    await client.request("home GET", "GET", "/")


async def registration(client: Client, pools: Pools, rng: random.Random) -> None:
    if not pools.sirets:
        raise JourneyFailed("no SIRET left for registrations")
    siret = pools.sirets.pop()
    pools.registrations += 1
    n = f"{pools.registrations}{rng.randrange(10**6)}"
    await client.request("registration step1 GET", "GET", "/creer-mon-espace/")
    await client.request(
        "registration step1 POST",
        "POST",
        "/creer-mon-espace/",
        {"siret": siret, "accept_terms": "on", **CAPTCHA},
        expect=(302,),
    )
    await client.request("registration step2 GET", "GET", "/creer-mon-espace/compte/")
    email = f"surge{n}@bench.example.fr"
    await client.request(
        "registration step2 POST",
        "POST",
        "/creer-mon-espace/compte/",
        {
            "establishment_email": f"contact{n}@bench.example.fr",
            "establishment_email_confirm": f"contact{n}@bench.example.fr",
            "establishment_phone": "01 42 68 53 00",
            "fax": "",
            "last_name": rng.choice(["Martin", "Bernard", "Dubois", "Menuça", "Lefèvre"]),
            "first_name": rng.choice(["Claire", "Gérard", "Nadia", "Hugo", "Inès"]),
            "phone": "06 12 34 56 78",
            "email": email,
            "email_confirm": email,
            "secret_question": "Ma première voiture ?",
            "secret_answer": "Cylindrée",
            **CAPTCHA,
        },
        expect=(302,),
    )
    await client.request("registration done GET", "GET", "/creer-mon-espace/demande-transmise/")


async def login(client: Client, pools: Pools, rng: random.Random) -> None:
    employer = rng.choice(pools.employers)
    await client.request("login GET", "GET", "/connexion/")
    await client.request(
        "login POST",
        "POST",
        "/connexion/",
        {"login": employer["login"], "password": pools.password, "next": ""},
        expect=(302,),
    )
    await client.request("dashboard GET", "GET", "/espace/")


def _use_session(client: Client, pools: Pools, rng: random.Random) -> int:
    cookies, fiche = rng.choice(pools.sessions)
    client.cookies.update(cookies)
    return fiche


async def dashboard(client: Client, pools: Pools, rng: random.Random) -> None:
    _use_session(client, pools, rng)
    await client.request("dashboard GET", "GET", "/espace/")
    await client.request("establishments GET", "GET", "/espace/etablissements/")


async def fiche(client: Client, pools: Pools, rng: random.Random) -> None:
    pk = _use_session(client, pools, rng)
    path = f"/espace/etablissements/{pk}/"
    await client.request("fiche GET", "GET", path)
    await client.request(
        "fiche POST",
        "POST",
        path,
        {
            "contact_last_name": "Martin",
            "contact_first_name": "Claire",
            "contact_role": "Gérante",
            "contact_email": "claire.martin@bench.example.fr",
            "contact_phone": "01 42 68 53 00",
            "mail_same_address": "on",
            "workforce": str(rng.randrange(1, 500)),
            "naf_code": "81.21Z",
            "idcc": "1486",
        },
        expect=(302,),
    )
    await client.request("fiche GET", "GET", path)


async def recovery(client: Client, pools: Pools, rng: random.Random) -> None:
    employer = pools.next_recovery()
    await client.request("recovery start GET", "GET", "/mot-de-passe-oublie/")
    await client.request(
        "recovery start POST",
        "POST",
        "/mot-de-passe-oublie/",
        {"login": employer["login"], **CAPTCHA},
        expect=(302,),
    )
    question = "/mot-de-passe-oublie/question-secrete/"
    await client.request("recovery question GET", "GET", question)
    await client.request(
        "recovery answer POST", "POST", question, {"answer": pools.answer}, expect=(302,)
    )
    await client.request("recovery sent GET", "GET", "/mot-de-passe-oublie/mail-envoye/")


# The mix: share of journeys (arrivals) of each kind, and the requests each makes.
MIX: dict[str, tuple[float, Journey, int]] = {
    "home": (0.35, home, 1),
    "dashboard": (0.25, dashboard, 2),
    "login": (0.15, login, 3),
    "fiche": (0.10, fiche, 3),
    "registration": (0.08, registration, 5),
    "recovery": (0.07, recovery, 5),
}
REQUESTS_PER_JOURNEY = sum(share * n for share, _, n in MIX.values())


@dataclass
class StepResult:
    rate: float  # offered journeys per second
    seconds: float
    samples: list[Sample]
    journeys: int
    failed_journeys: int
    dropped: int  # arrivals not started: too many journeys in flight on the client side
    errors: list[str]


async def run_step(
    *,
    port: int,
    pools: Pools,
    rate: float,
    seconds: float,
    seed: int,
    max_in_flight: int = 600,
    drain_seconds: float = 20.0,
    mix: dict[str, tuple[float, Journey, int]] | None = None,
) -> StepResult:
    """Poisson arrivals at ``rate`` journeys/s for ``seconds`` (open loop: an arrival never
    waits for an earlier one), then at most ``drain_seconds`` for the journeys in flight."""
    mix = mix or MIX
    rng = random.Random(seed)
    kinds = list(mix)
    weights = [mix[k][0] for k in kinds]
    samples: list[Sample] = []
    errors: list[str] = []
    in_flight: set[asyncio.Task[None]] = set()
    failed = 0
    dropped = 0
    started = 0

    async def one(kind: str, journey_rng: random.Random) -> None:
        nonlocal failed
        client = Client(port, random_source_ip(journey_rng), kind, samples.append)
        try:
            await mix[kind][1](client, pools, journey_rng)
        except JourneyFailed as error:
            failed += 1
            if len(errors) < 20:
                errors.append(str(error))
        finally:
            await client.close()

    loop = asyncio.get_running_loop()
    begin = loop.time()
    next_at = begin
    while True:
        next_at += rng.expovariate(rate)
        if next_at - begin >= seconds:
            break
        delay = next_at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= max_in_flight:
            dropped += 1
            continue
        kind = rng.choices(kinds, weights)[0]
        task = asyncio.create_task(one(kind, random.Random(rng.random())))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        started += 1
    remaining = seconds - (loop.time() - begin)
    if remaining > 0:
        await asyncio.sleep(remaining)
    if in_flight:
        _, pending = await asyncio.wait(set(in_flight), timeout=drain_seconds)
        for task in pending:
            task.cancel()
        failed += len(pending)
        if pending:
            errors.append(f"{len(pending)} journeys still running after the drain: cancelled")
        await asyncio.gather(*pending, return_exceptions=True)
    return StepResult(rate, seconds, samples, started, failed, dropped, errors)


async def closed_loop(
    *,
    port: int,
    concurrency: int,
    seconds: float,
    make_request: Callable[[Client, int], Awaitable[None]],
    seed: int = 7,
) -> list[Sample]:
    """``concurrency`` clients each sending the next request as soon as the last one answered:
    the saturation throughput of one kind of request."""
    samples: list[Sample] = []
    rng = random.Random(seed)
    ends = time.monotonic() + seconds

    async def user(index: int) -> None:
        client = Client(port, random_source_ip(rng), "ceiling", samples.append)
        n = index
        try:
            while time.monotonic() < ends:
                try:
                    await make_request(client, n)
                except JourneyFailed:
                    await client.close()
                n += concurrency
        finally:
            await client.close()

    await asyncio.gather(*(user(i) for i in range(concurrency)))
    return samples
