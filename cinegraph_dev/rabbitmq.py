"""The machine's RabbitMQ for a test or a benchmark: a virtual host of its own, and
an outage that cannot outlive the caller.

Each user gets a fresh vhost (so two test runs, or a test and a benchmark, never take
each other's runs from the queue), deleted afterwards. `outage` stops the broker's
application (`rabbitmqctl stop_app`: every connection drops, every connect is refused)
and starts it again; a watchdog process of its own starts it again too, so even a
caller killed in the middle does not leave the machine's broker stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

HOST, PORT = "127.0.0.1", 5672
USER, PASSWORD = "guest", "guest"
WATCHDOG_SECONDS = 60


def reachable(host: str = HOST, port: int = PORT) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((host, port)) == 0


def _ctl(*args: str) -> str:
    rabbitmqctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    out = subprocess.run(
        [rabbitmqctl, "-q", *args], capture_output=True, text=True, timeout=60, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {out.stderr.strip() or out.stdout}")
    return out.stdout


class RabbitVhost:
    def __init__(self, prefix: str = "cinegraph"):
        self.vhost = f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.outages = 0

    @property
    def url(self) -> str:
        return f"amqp://{USER}:{PASSWORD}@{HOST}:{PORT}/{self.vhost}"

    def create(self) -> RabbitVhost:
        _ctl("add_vhost", self.vhost)
        _ctl("set_permissions", "-p", self.vhost, USER, ".*", ".*", ".*")
        return self

    def delete(self) -> None:
        _ctl("delete_vhost", self.vhost)

    @contextmanager
    def outage(self) -> Iterator[None]:
        """The broker is down inside the block (the whole server: every vhost)."""
        rabbitmqctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
        watchdog = subprocess.Popen(
            ["sh", "-c", f"sleep {WATCHDOG_SECONDS}; exec {rabbitmqctl} -q start_app"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            _ctl("stop_app")
            self.outages += 1
            yield
        finally:
            _ctl("start_app")
            os.killpg(watchdog.pid, signal.SIGKILL)  # its sleep with it
            watchdog.wait()
            deadline = time.monotonic() + 60
            while not reachable() and time.monotonic() < deadline:
                time.sleep(0.2)
