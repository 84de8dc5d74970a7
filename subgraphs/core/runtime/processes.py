"""Starting and stopping the child processes `serve` supervises, and waiting until they answer."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx


def spawn(args: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A child in its own process group, so stopping it also stops what it started."""
    return subprocess.Popen(
        list(args), cwd=cwd, env={**os.environ, **(env or {})}, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_ready(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


class AlreadyRunning(RuntimeError):
    """Another live `serve` owns this data dir."""


def _started_at(pid: int) -> str | None:
    """When a live process started, in clock ticks since boot (None: no such process); with the pid,
    it names one process for good (a pid is reused, a start time with it is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    except OSError:  # no /proc (not Linux): only whether it exists is known
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return ""


def _is(pid: int, started_at: str) -> bool:
    """Whether ``pid`` is still the process recorded."""
    current = _started_at(pid)
    return current is not None and (current == "" or current == started_at)


def _end(pid: int, group: bool, timeout: float = 10) -> None:
    kill = os.killpg if group else os.kill
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _started_at(pid) is None:
                return
            try:  # our own child: reap it, or it lingers as a zombie
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                pass
            time.sleep(0.1)


class Supervisor:
    """The processes a command owns, recorded in a pidfile so that a run killed with SIGKILL (which
    cannot clean up) is cleaned up by the next one; each child started by the supervisor is watched
    and restarted when it dies, up to ``restarts`` times, then ``on_fatal`` is told."""

    def __init__(self, pidfile: Path, restarts: int = 3) -> None:
        self.pidfile, self.restarts = pidfile, restarts
        self.entries: dict[str, dict[str, object]] = {}
        self.children: dict[str, tuple[Callable[[], subprocess.Popen[bytes]], subprocess.Popen[bytes]]] = {}
        self.stopping = threading.Event()

    def clean_leftovers(self) -> list[str]:
        """End what a previous run left behind (its owner dead); refuse when that owner still runs."""
        try:
            previous = json.loads(self.pidfile.read_text())
        except (FileNotFoundError, ValueError):
            return []
        owner = previous.get("owner", {})
        if owner.get("pid") not in (None, os.getpid()) and _is(owner["pid"], owner.get("started_at", "")):
            raise AlreadyRunning(f"another serve (pid {owner['pid']}) runs with this data directory")
        cleaned = []
        for name, entry in previous.get("processes", {}).items():
            if _is(entry["pid"], entry["started_at"]):
                _end(entry["pid"], entry.get("group", False))
                cleaned.append(f"{name} (pid {entry['pid']})")
        self.pidfile.unlink(missing_ok=True)
        return cleaned

    def record(self, name: str, pid: int, group: bool = False) -> None:
        """Note a process this run owns (e.g. a server a library started) in the pidfile."""
        self.entries[name] = {"pid": pid, "started_at": _started_at(pid) or "", "group": group}
        self.pidfile.parent.mkdir(parents=True, exist_ok=True)
        owner = {"pid": os.getpid(), "started_at": _started_at(os.getpid()) or ""}
        self.pidfile.write_text(json.dumps({"owner": owner, "processes": self.entries}))

    def start(self, name: str, launch: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
        process = launch()
        self.children[name] = (launch, process)
        self.record(name, process.pid, group=True)
        return process

    def watch(self, on_restart: Callable[[str, int], None], on_fatal: Callable[[str], None]) -> threading.Thread:
        """A thread noticing a dead child: restarted (``on_restart(name, code)``), or, past the
        restarts allowed, ``on_fatal(message)``."""

        def run() -> None:
            left = dict.fromkeys(self.children, self.restarts)
            while not self.stopping.wait(0.5):
                for name, (launch, process) in list(self.children.items()):
                    if process.poll() is None or self.stopping.is_set():
                        continue
                    if left[name] == 0:
                        on_fatal(f"{name} exited with code {process.returncode} and was restarted "
                                 f"{self.restarts} times already")
                        return
                    left[name] -= 1
                    on_restart(name, process.returncode)
                    self.start(name, launch)

        thread = threading.Thread(target=run, daemon=True, name="supervisor")
        thread.start()
        return thread

    def stop_all(self) -> None:
        self.stopping.set()
        for _, process in self.children.values():
            stop(process)
        self.pidfile.unlink(missing_ok=True)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False
