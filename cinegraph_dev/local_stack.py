"""The Dagster webserver and daemon as child processes, stopped surely.

Used by the quickstart (demo.py), the end-to-end tests and the benchmark. Each
process starts in a session of its own, so stopping kills everything it spawned (code
servers, run workers, Celery pool processes) too, even processes that ignore SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def all_materialized(instance, assets, keys) -> bool:
    """Every key of every asset materialized, read from the materialization index: the
    UI's cached partition status can skip a partition for good when concurrent runs
    commit their events out of storage-id order."""
    from dagster import AssetKey  # this module otherwise runs without importing Dagster

    wanted = set(keys)
    return all(wanted <= instance.get_materialized_partitions(AssetKey(a)) for a in assets)


LAUNCH_BACKFILL = """
mutation LaunchBackfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on UnauthorizedError { message }
    ... on PartitionSetNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey invalidOutputName }
    ... on RunConflict { message }
    ... on ConflictingExecutionParamsError { message }
    ... on PresetNotFoundError { message }
    ... on InvalidSubsetError { message }
  }
}
"""

ADD_DYNAMIC_PARTITION = """
mutation AddPartition($name: String!, $key: String!, $repo: RepositorySelector!) {
  addDynamicPartition(partitionsDefName: $name, partitionKey: $key, repositorySelector: $repo) {
    __typename
    ... on AddDynamicPartitionSuccess { partitionKey }
    ... on DuplicateDynamicPartitionError { partitionName }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
  }
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pids: list[int]) -> int:
    """Resident memory of these processes together (Linux /proc; 0 elsewhere)."""
    return _summed_kb(pids, "status", "VmRSS:")


def pss_kb(pids: list[int]) -> int:
    """Proportional memory of these processes together: a page shared by n of them (a
    forked process and its parent) counts 1/n in each (Linux /proc; 0 elsewhere)."""
    return _summed_kb(pids, "smaps_rollup", "Pss:")


def _summed_kb(pids: list[int], proc_file: str, field: str) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/{proc_file}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total


def _session_members(sid: int) -> list[int]:
    """Live processes of a session (Linux /proc; elsewhere the group kill must do)."""
    members = []
    proc = Path("/proc")
    if not proc.is_dir():
        return members
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields[3] is the session id
            members.append(int(entry.name))
    return members


class DagsterStack:
    def __init__(
        self,
        *,
        workspace: Path,
        env: dict[str, str],
        log_dir: Path,
        port: int | None = None,
        cwd: Path | None = None,
    ):
        self.workspace = workspace
        self.env = env
        self.log_dir = log_dir
        self.port = port or free_port()
        self.cwd = cwd
        self.processes: list[subprocess.Popen] = []
        self.started_sessions: list[int] = []
        self.workers: dict[str, subprocess.Popen] = {}  # Celery workers by name

    def pids(self) -> list[int]:
        """Every live process started, with everything they spawned (run workers)."""
        return [pid for sid in self.started_sessions for pid in _session_members(sid)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
        proc = subprocess.Popen(
            args,
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(proc)
        self.started_sessions.append(proc.pid)
        return proc

    def set_pool(self, pool: str, limit: int) -> None:
        subprocess.run(
            [str(BIN / "dagster"), "instance", "concurrency", "set", pool, str(limit)],
            env=self.env,
            cwd=self.cwd,
            check=True,
            capture_output=True,
        )

    def start_worker(self, name: str, concurrency: int = 1) -> str:
        """A Celery worker of the fleet instance (deploy/dagster.celery.yaml), as on a
        host of its own; returns its node name."""
        node = f"{name}@{socket.gethostname()}"
        self.workers[node] = self._spawn(
            f"worker-{name}",
            [
                str(BIN / "celery"), "-A", "cinegraph_assets.celery_worker", "worker",
                "-n", node, "--concurrency", str(concurrency), "--loglevel", "INFO",
                # Without the bookkeeping chatter of a fleet: no clock sync or gossip.
                "--without-mingle", "--without-gossip",
            ],
        )  # fmt: skip
        return node

    def kill_worker(self, node: str) -> list[int]:
        """SIGKILL to a worker and its pool processes at once, as when its host dies."""
        proc = self.workers[node]
        pids = _session_members(proc.pid)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=10)
        self.processes.remove(proc)  # gone on purpose: not a failure of the stack
        return pids

    def start(self, code_server_port: int | None = None) -> DagsterStack:
        """Webserver and daemon; with code_server_port, the user code first runs in a
        code server of its own that the workspace points at (the production topology).
        No pool is created first: as for a user, the first claim of each creates it."""
        if code_server_port:
            self._spawn(
                "code-server",
                [
                    str(BIN / "dagster"),
                    "code-server",
                    "start",
                    "-m",
                    "cinegraph_assets.definitions",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(code_server_port),
                ],
            )
            self._wait_for_port(code_server_port)
        ws = str(self.workspace)
        self._spawn(
            "webserver",
            [
                str(BIN / "dagster-webserver"),
                "-w",
                ws,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                # A pooled connection is checked against its age on every use: after the
                # instance database restarts, no request meets a dead connection.
                "--db-pool-recycle",
                "0",
            ],  # fmt: skip
        )
        self._spawn("daemon", [str(BIN / "dagster-daemon"), "run", "-w", ws])
        return self

    def _wait_for_port(self, port: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.5)
        raise TimeoutError(f"nothing listens on port {port} after {timeout}s")

    def _check_alive(self) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{proc.args[0]} exited with {proc.returncode}; see {self.log_dir}"
                )

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(self.url + "/server_info", timeout=5):
                    return
            except OSError:
                time.sleep(1)
        raise TimeoutError(f"Dagster webserver not ready on {self.url} after {timeout}s")

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            self.url + "/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            payload = json.loads(response.read())
        if payload.get("errors"):
            raise RuntimeError(f"GraphQL errors: {payload['errors']}")
        return payload["data"]

    def add_partition(self, partitions_def: str, key: str, location: str) -> None:
        data = self.graphql(
            ADD_DYNAMIC_PARTITION,
            {
                "name": partitions_def,
                "key": key,
                "repo": {"repositoryName": "__repository__", "repositoryLocationName": location},
            },
        )
        kind = data["addDynamicPartition"]["__typename"]
        if kind not in ("AddDynamicPartitionSuccess", "DuplicateDynamicPartitionError"):
            raise RuntimeError(f"adding partition {key}: {data}")

    def launch_backfill(self, assets: list[str], partitions: list[str]) -> str:
        """Launch an asset backfill the way the UI's "Materialize" dialog does."""
        data = self.graphql(
            LAUNCH_BACKFILL,
            {
                "params": {
                    "assetSelection": [{"path": [a]} for a in assets],
                    "partitionNames": partitions,
                    "fromFailure": False,
                    "tags": [],
                }
            },
        )
        result = data["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise RuntimeError(f"backfill not launched: {result}")
        return result["backfillId"]

    def stop(self, grace: float = 10) -> list[int]:
        """Stop every process started and everything they spawned; returns survivors."""
        for sid in self.started_sessions:
            try:
                os.killpg(sid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        # Whatever ignored SIGTERM (or escaped its process group) goes now.
        for sid in self.started_sessions:
            for pid in _session_members(sid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for proc in self.processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        time.sleep(0.2)
        return [pid for sid in self.started_sessions for pid in _session_members(sid)]
