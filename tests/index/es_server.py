"""A local Elasticsearch-API server for tests (noida-db on 127.0.0.1) and index settings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from coopwatch.settings import Settings, load_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Elasticsearch test server at {url} did not come up")


@dataclass
class LocalSearchServer:
    """A noida-db process serving the Elasticsearch API on 127.0.0.1 (stop/start keep data)."""

    data_dir: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = files("noida_db").joinpath("noida-db")
        os.chmod(str(binary), 0o755)
        self.process = subprocess.Popen(
            [
                str(binary),
                "start",
                "--data-dir",
                str(self.data_dir),
                "--host",
                "127.0.0.1",
                "--only",
                "elasticsearch",
                "--elasticsearch-port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_until_up(self.url)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


def start_local_server(data_dir: Path) -> LocalSearchServer:
    server = LocalSearchServer(data_dir, free_port())
    server.start()
    return server


def index_settings(tmp_path: Path, backend: str, es_url: str | None = None, **extra) -> Settings:
    overrides = {"data_dir": tmp_path / "data", "index.backend": backend, **extra}
    if backend == "elasticsearch":
        overrides["index.elasticsearch_url"] = es_url
        overrides["index.elasticsearch_index"] = f"cwtest-{uuid.uuid4().hex[:12]}"
        overrides.setdefault("index.elasticsearch_retries", 0)
    return load_settings(**overrides)
