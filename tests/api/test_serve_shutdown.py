"""`coopwatch serve` stopped (SIGTERM) while a scheduled crawl runs: it exits within the grace
period, the crawl subprocess closes gracefully (its run stored as interrupted, everything it
fetched stored) or is killed when it takes too long, and the next crawl completes the rest."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from apiseed import free_port
from polling import wait_until

from coopwatch.errors import StoreError
from coopwatch.settings import load_settings
from coopwatch.store import Store
from coopwatch.urls import canonical_url
from crawler.runner import run_subprocess
from crawler.state import CrawlState
from crawler.testsite import SiteServer

KEY = "slow-feed"


def write_config(tmp_path: Path, server: SiteServer, grace: float, timeout: float) -> Path:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f'[[source]]\nkey = "{KEY}"\nname = "Slow feed"\nsite = "127.0.0.1"\nlanguage = "en"\n'
        f'kind = "feed"\nstart_urls = ["{server.url("/feed.xml")}"]\n'
        "allowed_domains = [\"127.0.0.1\"]\narticle_pattern = '/news/'\n"
        "interval_minutes = 60\nallow_private_addresses = true\n",
        encoding="utf-8",
    )
    config = tmp_path / "serve.toml"
    # No delays and no jitter: the crawl job runs as serve starts, one request at a time.
    config.write_text(
        f'log_level = "INFO"\n[crawler]\nsources_file = "{registry}"\ndownload_delay = 0\n'
        "autothrottle = false\nanalysis_processes = 1\n"
        f"jitter_seconds = 0\nconcurrent_per_domain = 1\nretry_times = 0\n"
        f"download_timeout = {timeout}\n[api]\nshutdown_grace_seconds = {grace}\n",
        encoding="utf-8",
    )
    return config


def start_serve(
    data_dir: Path, config: Path, log: Path, *options: str, port: int | None = None
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    command = [
        sys.executable, "-m", "coopwatch.cli", "--data-dir", str(data_dir),
        "--config", str(config), "serve", "--port", str(port or free_port()), *options,
    ]  # fmt: skip
    # A process group of its own, as a terminal gives it: Ctrl-C reaches all of the group.
    return subprocess.Popen(
        command, env=env, stderr=log.open("w"), stdout=subprocess.DEVNULL, start_new_session=True
    )


def stored_urls(data_dir: Path) -> set[str]:
    if not (data_dir / "coopwatch.sqlite3").exists():
        return set()
    try:
        with Store(data_dir) as store:
            return {row[0] for row in store.conn.execute("SELECT url FROM articles")}
    except StoreError:  # being created by the crawl this very moment
        return set()


def running_crawl_pid(data_dir: Path) -> int | None:
    if not (data_dir / "coopwatch.sqlite3").exists():
        return None
    try:
        with Store(data_dir) as store:
            row = store.conn.execute(
                "SELECT pid FROM crawl_runs WHERE state = 'running' ORDER BY id DESC"
            ).fetchone()
    except (StoreError, Exception):  # tables not made yet
        return None
    return row[0] if row else None


def _stat(pid: int | str) -> list[str] | None:
    """State, parent, process group... of a process (fields after its name), None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def gone(pid: int) -> bool:
    """Exited (a zombie waiting for init to reap it counts as gone)."""
    fields = _stat(pid)
    return fields is None or fields[0] == "Z"


def live_group_members(group: int) -> list[int]:
    """Processes of process group `group` still running (the crawl and its workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if fields is not None and fields[0] != "Z" and int(fields[2]) == group:
                members.append(int(entry.name))
    return members


def stop_serve(process: subprocess.Popen, timeout: float, how: str = "sigterm") -> float:
    """SIGTERM to serve, or SIGINT to its process group (Ctrl-C at a terminal: before, the
    analysis workers got it too and died with the pages they had); returns the seconds serve
    took to exit."""
    sent = time.monotonic()
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    return time.monotonic() - sent


@pytest.mark.slow  # serve, a crawl process and its analysis worker start
@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_sigterm_mid_crawl_stops_it_gracefully_and_the_next_crawl_completes_it(tmp_path, how):
    total, grace = 30, 60.0
    # Slower answers than analysis: the stop comes while most articles wait to be fetched.
    with SiteServer(articles=total, article_delay=1.0) as server:
        config = write_config(tmp_path, server, grace=grace, timeout=30)
        data_dir = tmp_path / "data"
        log = tmp_path / "serve.log"
        process = start_serve(data_dir, config, log)
        try:
            assert wait_until(
                lambda: len(server.article_fetches()) >= 3 or process.poll() is not None
            )
            pid = running_crawl_pid(data_dir)
            assert pid is not None and process.poll() is None, log.read_text()[-3000:]
            took = stop_serve(process, timeout=grace + 60, how=how)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        output = log.read_text()
        assert process.returncode == 0, output[-3000:]
        # Well within the grace period: the crawl closed by itself, nothing was killed.
        assert took < grace, output[-3000:]
        assert "crawls: 1 stopped, 0 killed" in output
        assert wait_until(lambda: gone(pid), timeout=30)
        assert wait_until(lambda: not live_group_members(pid), timeout=30)  # workers too
        for trouble in ("cannot schedule new futures", "Traceback", " ERROR "):
            assert trouble not in output, output[-3000:]

        settings = load_settings(config, data_dir=data_dir)
        with Store(data_dir) as store:
            (run,) = CrawlState(store).runs(KEY)
            (stored_state,) = store.conn.execute("SELECT state FROM crawl_runs").fetchone()
        assert run.state == stored_state == "interrupted" and run.reason == "shutdown"
        # Everything fetched before the stop is stored; requests not yet sent were dropped.
        served_first = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}
        stored_first = stored_urls(data_dir)
        assert served_first == stored_first and 3 <= len(stored_first) < total / 2
        assert run.counts.new == len(stored_first)

        assert "requests not yet sent; the next run fetches them" in output
        server.clear_log()
        server.article_delay = 0
        (result,) = run_subprocess(settings, [KEY], timeout=300)
        assert result.state == "finished"
        assert len(stored_urls(data_dir)) == total
        refetched = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}
        assert not refetched & stored_first  # not downloaded again
        assert result.counts["new"] == total - len(stored_first)


@pytest.mark.slow  # serve, a crawl process and its analysis worker start
def test_a_crawl_that_does_not_stop_within_the_grace_period_is_killed(tmp_path):
    total, grace = 5, 2.0
    # Each article takes far longer to answer than the grace period allows.
    with SiteServer(articles=total, article_delay=60.0) as server:
        config = write_config(tmp_path, server, grace=grace, timeout=120)
        data_dir = tmp_path / "data"
        log = tmp_path / "serve.log"
        process = start_serve(data_dir, config, log)
        try:
            # The feed is read: the first article request is under way.
            assert wait_until(
                lambda: server.requests_for("/feed.xml") or process.poll() is not None
            )
            assert wait_until(lambda: running_crawl_pid(data_dir) is not None)
            pid = running_crawl_pid(data_dir)
            assert pid is not None and process.poll() is None, log.read_text()[-3000:]
            took = stop_serve(process, timeout=grace + 60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        output = log.read_text()
        assert process.returncode == 0, output[-3000:]
        assert took < grace + 30, output[-3000:]  # not the minute an answer takes
        assert "crawls: 0 stopped, 1 killed" in output
        assert wait_until(lambda: gone(pid), timeout=30)
        assert wait_until(lambda: not live_group_members(pid), timeout=30)  # workers too
        for trouble in ("cannot schedule new futures", "Traceback", " ERROR "):
            assert trouble not in output, output[-3000:]
        with Store(data_dir) as store:
            (row,) = store.conn.execute("SELECT state, reason FROM crawl_runs").fetchall()
        assert row == ("interrupted", "killed")

        server.article_delay = 0
        settings = load_settings(config, data_dir=data_dir)
        (result,) = run_subprocess(settings, [KEY], timeout=300)
        assert result.state == "finished"
        assert len(stored_urls(data_dir)) == total


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow  # serve, a crawl process and its analysis worker start
def test_ctrl_c_on_coopwatch_crawl_stops_the_crawl_the_same_way(tmp_path):
    with SiteServer(articles=30, article_delay=1.0) as server:
        config = write_config(tmp_path, server, grace=60.0, timeout=30)
        data_dir = tmp_path / "data"
        log = tmp_path / "crawl.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
        command = [
            sys.executable, "-m", "coopwatch.cli", "--data-dir", str(data_dir),
            "--config", str(config), "crawl", KEY,
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            env=env,
            stderr=log.open("w"),
            stdout=subprocess.DEVNULL,
            # As from a terminal: a suite started in the background by a shell without job
            # control inherits SIGINT ignored, and Python then never turns it into Ctrl-C.
            preexec_fn=_sigint_default,
        )
        try:
            assert wait_until(
                lambda: len(server.article_fetches()) >= 3 or process.poll() is not None
            )
            pid = running_crawl_pid(data_dir)
            assert pid is not None and process.poll() is None, log.read_text()[-3000:]
            process.send_signal(signal.SIGINT)  # what Ctrl-C sends it (the crawl has its own)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        output = log.read_text()
        assert process.returncode == 1 and "Aborted!" in output, output[-3000:]
        assert wait_until(lambda: gone(pid), timeout=30)
        with Store(data_dir) as store:
            (row,) = store.conn.execute("SELECT state, reason FROM crawl_runs").fetchall()
        assert row == ("interrupted", "shutdown")
        served = {canonical_url(server.url(p)) for p in server.article_fetches(status=200)}
        stored = stored_urls(data_dir)
        assert served == stored and len(stored) < 30


def tcp_connections_by_process(pids: list[int], port: int) -> dict[int, int]:
    """Established TCP connections on local `port` (IPv4) held by each of `pids`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    held = {}
    for pid in pids:
        count = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # closed meanwhile
                target = os.readlink(fd)
                count += target.startswith("socket:[") and target[8:-1] in inodes
        held[pid] = count
    return held


def start_serve_with_workers(tmp_path: Path, workers: int) -> tuple[subprocess.Popen, int]:
    """serve with `api.workers = workers`, once it answers and its API processes run."""
    config = tmp_path / "serve.toml"
    config.write_text(
        f'log_level = "INFO"\n[api]\nworkers = {workers}\nshutdown_grace_seconds = 5\n'
        "auth_failures_per_minute = 3\n",
        encoding="utf-8",
    )
    port = free_port()
    process = start_serve(
        tmp_path / "data", config, tmp_path / "serve.log", "--no-crawl", port=port
    )
    # serve accepts once the others have their app (spawn also starts multiprocessing's
    # resource tracker in serve's group)
    started = wait_until(
        lambda: healthy(port) and len(live_group_members(process.pid)) >= workers + 1
    )
    if not started:
        process.kill()
        process.wait()
        raise AssertionError((tmp_path / "serve.log").read_text()[-3000:])
    return process, port


def healthy(port: int, client: httpx.Client | None = None) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        response = client.get(url, timeout=5) if client else httpx.get(url, timeout=5)
        return response.status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow  # serve and two more API processes start
def test_api_processes_get_the_connections_in_turn_and_stop_with_serve(tmp_path):
    """`api.workers = 3`: six keep-alive clients that connect at once are held two by each
    process (on a shared listening socket one process took nearly all); failed key checks
    count across processes; a process that dies drops out of the turn and nothing goes
    unanswered; SIGTERM stops them all."""
    process, port = start_serve_with_workers(tmp_path, workers=3)
    log = tmp_path / "serve.log"
    clients = [httpx.Client() for _ in range(6)]
    try:
        assert all(healthy(port, client) for client in clients)
        held = tcp_connections_by_process(live_group_members(process.pid), port)
        assert sorted(held.values()) == [0, 2, 2, 2], held  # the resource tracker holds none

        # Failed key checks count in every process: three bad keys, one in each, block.
        url, bad = f"http://127.0.0.1:{port}/v1/subscriptions", {"X-API-Key": "cw_0000_wrong"}
        assert [httpx.get(url, headers=bad).status_code for _ in range(4)] == [401] * 3 + [429]

        worker = next(pid for pid, count in held.items() if count and pid != process.pid)
        os.kill(worker, signal.SIGKILL)
        assert wait_until(lambda: gone(worker))
        assert sum(healthy(port) for _ in range(10)) == 10  # new connections, in turn
        assert "is gone" in log.read_text()

        stop_serve(process, timeout=60)
    finally:
        for client in clients:
            client.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text()[-3000:]
    assert wait_until(lambda: not live_group_members(process.pid), timeout=30)
    assert "Traceback" not in log.read_text()


@pytest.mark.slow  # serve and another API process start
def test_api_processes_do_not_outlive_a_killed_serve(tmp_path):
    """serve SIGKILLed (no chance to stop anything): the other API process sees its channel
    from serve close and exits, instead of running on with no connections to answer."""
    process, _ = start_serve_with_workers(tmp_path, workers=2)
    others = [pid for pid in live_group_members(process.pid) if pid != process.pid]
    process.kill()
    process.wait()
    # the resource tracker exits too once every process using it is gone
    assert wait_until(lambda: all(gone(pid) for pid in others), timeout=30)
