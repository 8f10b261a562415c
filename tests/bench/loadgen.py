"""A small closed-loop load generator and a production server to point it at.

`Server` runs gunicorn on the site with DEBUG off (tests/bench/load_settings.py: the site's
settings plus the hello view). `drive()` keeps N connections busy for a fixed time with
requests from a callable and reports req/s, latency percentiles, status counts, errors.
Everything talks to 127.0.0.1 only and stops by itself.
"""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the site on a spare port, in the environment given."""

    def __init__(
        self,
        env: dict[str, str],
        workers: int = 2,
        threads: int = 1,
        settings_module: str = "tests.bench.load_settings",
        ready_path: str = "/bench/hello/",
    ):
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "ALLOWED_HOSTS": env.get("ALLOWED_HOSTS", "127.0.0.1"),
        }
        self.workers, self.threads = workers, threads
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--threads", str(self.threads), "--timeout", "60", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body = get(self.port, self.ready_path)
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def rss_mb(self) -> float:
        """Resident memory of gunicorn's master and workers together, in MB."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total / 1024


PASSED_TO_SERVER = [
    "DATABASE_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "STATIC_ROOT", "LOG_LEVEL",
    "SECURE_SSL_REDIRECT",
]  # fmt: skip


def load_run_setup(database_url: str, **env: str) -> dict[str, str]:
    """Configure this process for a load run (production settings, plain http, the hello
    view routed), set Django up, and return the environment the servers need."""
    from tests.bench.benchenv import bench_environment

    env = {
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "TASKS_BACKEND": "database",
        "TWO_FACTOR_REQUIRED": "",
        **env,
    }
    bench_environment(database_url, **env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.load_settings"
    import django

    django.setup()
    return {**{key: os.environ[key] for key in PASSED_TO_SERVER}, **env}


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Report:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def line(self, name: str, floor: float | None = None) -> str:
        ratio = f"{self.rate / floor:8.3f}×" if floor else "         "
        return (
            f"{name:<34}{self.rate:9.1f} req/s {ratio}  p50 {self.percentile(50):7.1f} ms"
            f"  p99 {self.percentile(99):7.1f} ms  5xx {self.server_errors}"
            f"  errors {sum(self.errors.values())}"
        )


Request = tuple[str, str, bytes | None, dict]  # method, path, body, headers


def drive(
    port: int,
    next_request: Callable[[int], Request],
    *,
    connections: int,
    seconds: float,
    on_tick: Callable[[float], None] | None = None,
) -> Report:
    """Keep `connections` requests in flight for `seconds`; each thread asks
    `next_request(thread_number)` what to send next."""
    report = Report(seconds=seconds)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            method, path, body, headers = next_request(number)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    report.errors[type(error).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                report.latencies.append(elapsed)
                report.statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    if on_tick is not None:
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            on_tick(time.monotonic())
    for thread in threads:
        thread.join()
    return report


def hello_floor(port: int, *, connections: int, seconds: float) -> Report:
    """The framework floor: the one-line view, same server, same client, same run."""
    return drive(
        port,
        lambda _n: ("GET", "/bench/hello/", None, {}),
        connections=connections,
        seconds=seconds,
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
