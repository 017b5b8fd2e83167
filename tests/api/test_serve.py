"""`coopwatch serve`: one process serving the API and web page with the scheduler, stopping
cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime

import httpx
from apiseed import ARTICLES, free_port

from api.digest.schedule import DIGEST_JOB_ID, next_fire_time
from coopwatch.records import FetchedPage


def test_serve_runs_api_web_and_digest_schedule_and_stops_on_sigterm(settings, seeded_store):
    # stored after the index was built (as a crawl subprocess stores): serve indexes it
    late = replace(ARTICLES[0], id="a-late", url="https://late.example/news/1", event_id=None)
    late.title = "Spätmeldung über Zwiebelturmportale"
    seeded_store.save(FetchedPage(url=late.url, body=b"<html>a-late</html>"), late)
    port = free_port()
    config = settings.data_dir.parent / "serve.toml"
    config.write_text('[digest]\nweekday = "wed"\ntime = "06:15"\ntimezone = "UTC"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    command = [
        sys.executable, "-m", "coopwatch.cli", "--data-dir", str(settings.data_dir),
        "--config", str(config), "serve", "--port", str(port), "--no-crawl",
    ]  # fmt: skip
    started = datetime.now(UTC)
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # bounded wait for the server to listen
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert httpx.get(base + "/v1/events/evt-bykz1").json()["id"] == "evt-bykz1"
        assert "coopwatch – search" in httpx.get(base + "/").text
        for _ in range(600):  # the catch-up job runs at start, then every 30 s
            found = httpx.get(base + "/v1/search", params={"q": "Zwiebelturmportale"}).json()
            if found["total"]:
                break
            time.sleep(0.1)
        assert [hit["id"] for hit in found["hits"]] == ["a-late"] and found["stale"] == 0
        with sqlite3.connect(settings.data_dir / "schedule.sqlite3") as conn:
            (next_run,) = conn.execute(
                "SELECT next_run_time FROM apscheduler_jobs WHERE id = ?", (DIGEST_JOB_ID,)
            ).fetchone()
        expected = next_fire_time(started, "wed", "06:15", "UTC")
        assert abs(next_run - expected.timestamp()) < 1
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
