"""A PostgreSQL server of a test's own, which the test may restart at will.

The server binaries come from the machine's PostgreSQL installation (`pg_ctl` on the
PATH or under /usr/lib/postgresql/*/bin). initdb refuses to run as root, so as root the
server runs as the `postgres` user, in a folder that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates:
        raise RuntimeError("no PostgreSQL server binaries (pg_ctl) on this machine")
    return Path(candidates[-1]).parent


class PrivatePostgres:
    def __init__(self, port: int):
        self.port = port
        self.bindir = _bindir()
        self.as_postgres = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="cinegraph-pg-", dir="/tmp"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.restarts = 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def start(self) -> PrivatePostgres:
        self._run("initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                  "start")  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def restart(self) -> float:
        """Restart the server (fast shutdown: sessions are cut); seconds it took."""
        started = time.monotonic()
        # -l again: without it the new server inherits pg_ctl's pipes, and waiting for
        # pg_ctl's output would wait for the server to exit.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w",
                  "restart")  # fmt: skip
        self.restarts += 1
        return time.monotonic() - started

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
