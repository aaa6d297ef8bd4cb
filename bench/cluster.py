"""A local cluster of apart: N gunicorn nodes behind nginx, one PostgreSQL database, one Redis
database, two outbox workers delivering to an SMTP sink. Loopback only, bounded in time.

As a module (tests, benchmarks)::

    from bench.cluster import Cluster

    with Cluster(name="surge", nodes=2, workers=2) as cluster:
        cluster.url               # nginx, e.g. "http://127.0.0.1:41234"
        cluster.node_urls         # each gunicorn node, bypassing nginx
        cluster.smtp.messages     # emails the outbox workers delivered (email.message objects)
        cluster.manage("shell", "-c", "...")   # manage.py against the cluster's database
        cluster.worker_pids()     # gunicorn worker processes (for py-spy)

As a command (Ctrl-C or --seconds to stop)::

    .venv/bin/python bench/cluster.py --nodes 2 --workers 2 --seconds 600

What it does, in order: create a throwaway PostgreSQL database ``apart_<name>_<pid>`` (and drop
leftovers of dead runs of the same name), migrate it, empty the dedicated Redis database, collect
static files into a temporary directory, start the SMTP sink (aiosmtpd, in this process), the
gunicorn nodes (each on a free loopback port, each waiting until it answers), the outbox workers,
and nginx as a non-daemon child (``nginx -p <tmp> -c <tmp>/nginx.conf -g 'daemon off;'``) with
pid, logs and temporary files inside the temporary directory, serving /static/ itself. Everything
stops on exit of the ``with`` block, at interpreter exit (atexit), when ``lifetime`` seconds have
passed, and the children die with this process (PR_SET_PDEATHSIG) if it is killed.
"""

from __future__ import annotations

import argparse
import atexit
import ctypes
import email
import email.policy
import grp
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
CAPTCHA_ANSWER = "PASSED-TEST"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_available() -> bool:
    return NGINX is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the harness process dies (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


# --- SMTP sink ---------------------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd on a free loopback port; keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def start(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


# --- Database and Redis --------------------------------------------------------------------------


def _pg(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_database(name: str) -> None:
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drop_leftovers(prefix: str) -> None:
    """Databases of earlier runs whose process is gone (killed before its atexit ran)."""
    for (name,) in _pg("SELECT datname FROM pg_database WHERE datname LIKE %s", prefix + "%"):
        suffix = name[len(prefix) :]
        if suffix.isdigit() and not _alive(int(suffix)):
            _drop_database(name)


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


# --- nginx -------------------------------------------------------------------------------------

_NGINX_CONF = """\
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    client_max_body_size 6m;
    upstream apart {{
        least_conn;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        location /static/ {{
            alias {static}/;
            expires 7d;
        }}
        location / {{
            proxy_pass http://apart;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
            proxy_next_upstream error;
        }}
    }}
}}
"""


def _nginx_user() -> str:
    # As root, nginx's workers switch to an unprivileged user: name one that exists on Debian.
    if os.geteuid() != 0:
        return ""
    try:
        grp.getgrnam("nogroup")
    except KeyError:
        return "user root;"
    return "user nobody nogroup;"


# --- The cluster -------------------------------------------------------------------------------


@dataclass
class Node:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """See the module docstring. ``env`` adds or overrides the nodes' and workers' environment."""

    name: str = "cluster"
    nodes: int = 2
    workers: int = 2
    outbox_workers: int = 2
    redis_db: int = 13
    env: dict[str, str] = field(default_factory=dict)
    lifetime: float = 3600.0  # seconds; everything stops after that, whatever happens
    start_timeout: float = 180.0
    gunicorn_args: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.database = f"apart_{self.name}_{os.getpid()}"
        self.database_url = f"{PG_SERVER}/{self.database}"
        self.redis_url = f"{REDIS_SERVER}/{self.redis_db}"
        self.smtp = SmtpSink()
        self.node_list: list[Node] = []
        self.outbox: list[subprocess.Popen[bytes]] = []
        self.nginx: subprocess.Popen[bytes] | None = None
        self.port = free_port()
        self.tmp = Path()
        self._secret_key = secrets.token_urlsafe(48)
        self._stopped = True
        self._watchdog: threading.Timer | None = None
        self._lock = threading.Lock()

    # -- public ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def node_urls(self) -> list[str]:
        return [node.url for node in self.node_list]

    def environment(self) -> dict[str, str]:
        """What every node, worker and manage.py command of the cluster runs with."""
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        base.update(
            {
                "APART_ENV": "development",  # "production" refuses the captcha test answer
                "DEBUG": "false",
                "SECRET_KEY": self._secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": self.database_url,
                "DATABASE_CONN_MAX_AGE": "60",
                "REDIS_URL": self.redis_url,
                "APART_CAPTCHA_TEST_ANSWER": CAPTCHA_ANSWER,
                "APART_DEMO_MAILBOX": "false",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.smtp.port),
                "APART_OUTBOX_POLL_SECONDS": "1",
                "APART_TRUSTED_PROXIES": "127.0.0.1",
                # capacity is measured, not the site-wide quotas (apart.core.quotas)
                "APART_GLOBAL_REGISTRATIONS_PER_HOUR": "1000000000",
                "APART_GLOBAL_RECOVERIES_PER_HOUR": "1000000000",
                "APART_GLOBAL_LOGINS_PER_HOUR": "1000000000",
                "APART_PUBLIC_URL": self.url,
                "STATIC_ROOT": str(self.tmp / "static"),
                "LOG_LEVEL": "WARNING",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        base.update(self.env)
        return base

    def manage(self, *args: str, timeout: float = 300, check: bool = True) -> str:
        """Run ``manage.py <args>`` against the cluster's database; returns its stdout."""
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def python(self, code: str, timeout: float = 300) -> str:
        """Run Python code with Django set up on the cluster's database; returns its stdout."""
        return self.manage("shell", "--no-imports", "-c", code, timeout=timeout)

    def wait_for_emails(self, message_ids: set[str], timeout: float = 60) -> list[EmailMessage]:
        """The sink's messages once every one of ``message_ids`` arrived (or ``timeout`` is
        over), plus two more poll periods, so that a duplicate delivery would have time to show."""
        ends = time.monotonic() + timeout
        while time.monotonic() < ends:
            with self.smtp._lock:
                received = {str(m["Message-ID"]) for m in self.smtp.messages}
            if message_ids <= received:
                break
            time.sleep(0.2)
        time.sleep(2 * int(self.environment().get("APART_OUTBOX_POLL_SECONDS", "1")) + 0.5)
        with self.smtp._lock:
            return list(self.smtp.messages)

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes of every node (children of each master)."""
        pids: list[int] = []
        for node in self.node_list:
            children = Path(f"/proc/{node.process.pid}/task/{node.process.pid}/children")
            try:
                pids += [int(p) for p in children.read_text().split()]
            except OSError:
                continue
        return pids

    def master_pids(self) -> list[int]:
        return [node.process.pid for node in self.node_list]

    def rss_mb(self) -> dict[int, float]:
        """Resident memory of each gunicorn process (masters and workers), in MB."""
        sizes: dict[int, float] = {}
        for pid in self.master_pids() + self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return sizes

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- start ------------------------------------------------------------------------------

    def start(self) -> None:
        if NGINX is None:
            raise RuntimeError("nginx is not installed: apt-get install -y nginx")
        self._stopped = False
        atexit.register(self.stop)
        self._watchdog = threading.Timer(self.lifetime, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()
        deadline = time.monotonic() + self.start_timeout
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f"apart-{self.name}-"))
            self.tmp.chmod(0o755)  # nginx's workers (nobody) read /static/ under it
            self.smtp.start()
            _drop_leftovers(f"apart_{self.name}_")
            _pg(f'CREATE DATABASE "{self.database}"')
            _flush_redis(self.redis_url)
            self.manage("migrate", "--noinput", timeout=max(30.0, deadline - time.monotonic()))
            self.manage("collectstatic", "--noinput", timeout=120)
            self._start_nodes(deadline)
            self._start_outbox_workers()
            self._start_nginx(deadline)
        except BaseException:
            self.stop()
            raise

    def _log(self, name: str) -> Any:
        return (self.tmp / f"{name}.log").open("ab")

    def _spawn(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        handle = self._log(log)
        try:
            return subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        finally:
            handle.close()

    def _start_nodes(self, deadline: float) -> None:
        for index in range(self.nodes):
            port = free_port()
            argv = [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--no-control-socket",  # one per user by default: nodes would share it
                *self.gunicorn_args,
            ]
            self.node_list.append(Node(port=port, process=self._spawn(argv, f"node{index}")))
        for index, node in enumerate(self.node_list):
            self._wait_http(node.url + "/", deadline, f"node{index}", node.process)

    def _start_outbox_workers(self) -> None:
        for index in range(self.outbox_workers):
            argv = [PYTHON, str(ROOT / "manage.py"), "outbox_worker"]
            self.outbox.append(self._spawn(argv, f"outbox{index}"))

    def _start_nginx(self, deadline: float) -> None:
        servers = "\n".join(
            f"        server 127.0.0.1:{node.port} max_fails=0;" for node in self.node_list
        )
        conf = _NGINX_CONF.format(
            user=_nginx_user(),
            tmp=self.tmp,
            port=self.port,
            servers=servers,
            static=self.tmp / "static",
        )
        (self.tmp / "nginx.conf").write_text(conf)
        argv = [NGINX, "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf"), "-g", "daemon off;"]
        self.nginx = self._spawn(argv, "nginx")
        self._wait_http(self.url + "/", deadline, "nginx", self.nginx)

    def _wait_http(
        self, url: str, deadline: float, name: str, process: subprocess.Popen[bytes]
    ) -> None:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not answer on {url}:\n{self.tail(name)}")
            time.sleep(0.2)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.tmp / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # -- stop -------------------------------------------------------------------------------

    def _expire(self) -> None:
        print(f"cluster {self.name}: lifetime of {self.lifetime:.0f} s over, stopping", flush=True)
        self.stop()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        processes = [p for p in [self.nginx, *self.outbox] if p is not None]
        processes += [node.process for node in self.node_list]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if process is self.nginx else signal.SIGTERM)
        ends = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, ends - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.smtp.stop()
        try:
            _drop_database(self.database)
        except Exception as error:  # the server may be down: say so, do not hide the real error
            print(f"cluster {self.name}: could not drop {self.database}: {error}", file=sys.stderr)
        try:
            _flush_redis(self.redis_url)
        except Exception as error:
            print(
                f"cluster {self.name}: could not flush {self.redis_url}: {error}", file=sys.stderr
            )
        if self.tmp != Path() and self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)
        atexit.unregister(self.stop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="cluster")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--outbox-workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--seconds", type=float, default=3600, help="stop after this long")
    args = parser.parse_args()
    cluster = Cluster(
        name=args.name,
        nodes=args.nodes,
        workers=args.workers,
        outbox_workers=args.outbox_workers,
        redis_db=args.redis_db,
        lifetime=args.seconds,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with cluster:
        print(f"apart cluster on {cluster.url} (nodes: {', '.join(cluster.node_urls)})")
        print(f"database {cluster.database}, redis {cluster.redis_url}, smtp :{cluster.smtp.port}")
        print("Ctrl-C to stop", flush=True)
        try:
            ends = time.monotonic() + args.seconds
            while time.monotonic() < ends and not cluster._stopped:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
