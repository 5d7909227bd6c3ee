"""The workbench in a real browser: ``fiscal-sim app`` on a free loopback port, Debian's
headless Chromium driven by Playwright (the system browser; Playwright downloads none).

The test moves a lever, reads the updated figure from the page, downloads the what-if and
reads it back with load_scenario (same hash), saves a screenshot, and asserts that the
console shows no error and that every request the page made went to the loopback server.
It skips where Chromium is missing, except under CI (CI=true), where it fails
(tests/conftest.py's ``external_tool``); Playwright is a test extra and is imported plainly.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright import sync_api

import fiscal_sim
from fiscal_sim.display import format_indicator

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90  # seconds for the server to answer (a loaded, shared machine)
WAIT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chromium(external_tool) -> str:
    """Debian's chromium (looked for before the server starts)."""
    return external_tool("chromium", "chromium-browser")


@pytest.fixture
def server(chromium, tmp_path):
    """``fiscal-sim app --port N`` in a subprocess; stopped (and waited for) afterwards."""
    port = _free_port()
    env = {**os.environ, "HOME": str(tmp_path), "FISCAL_SIM_LANG": "zh"}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "fiscal_sim", "app", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the app did not start: {(tmp_path / 'server.log').read_text()}")
        time.sleep(0.5)
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()
    assert f"fiscal-sim app: {url}" in (tmp_path / "server.log").read_text()


def _metric(page, label: str) -> str:
    """The value of the metric labelled ``label`` as the page shows it."""
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_a_lever_moved_in_chromium_updates_the_page(chromium, server, tmp_path):
    url, _ = server
    label = "本级一般公共预算收入"
    shocked = fiscal_sim.load_scenario(
        "plan-followed", ["revenue.tax_level_shock={2019: 0.0, 2020: -0.25, 2021: 0.0}"]
    )
    expected = format_indicator(
        "own_revenue", fiscal_sim.project(shocked).indicators().loc[2020, "own_revenue"]
    )
    requests, problems = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            context = browser.new_context(
                accept_downloads=True, viewport={"width": 1400, "height": 1300}
            )
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_text("情景哈希").first.wait_for(timeout=WAIT_MS)
            before = _metric(page, label)
            field = (
                page.locator('[data-testid="stNumberInput"]', has_text="税收一次性偏离趋势")
                .locator("input")
                .first
            )
            field.fill("-25")
            field.press("Enter")
            page.get_by_text(shocked.hash).first.wait_for(timeout=WAIT_MS)
            page.wait_for_function(
                "([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
                ".some(m => m.innerText.includes(label) && m.innerText.includes(value))",
                arg=[label, expected],
                timeout=WAIT_MS,
            )
            assert _metric(page, label) == expected != before
            rules = page.locator('[data-testid="stTable"]').first
            rules.get_by_text("OPS.4.3.2").first.wait_for(timeout=WAIT_MS)
            page.screenshot(path=str(tmp_path / "workbench.png"))
            page.get_by_text("下载", exact=True).first.click()
            button = page.get_by_role("button", name="假设情形（YAML，仅列修改项）")
            button.wait_for(timeout=WAIT_MS)
            with page.expect_download(timeout=WAIT_MS) as download:
                button.click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
        finally:
            browser.close()
    assert (tmp_path / "workbench.png").stat().st_size > 10_000
    assert shocked.hash in saved.name
    assert fiscal_sim.load_scenario(saved).hash == shocked.hash
    assert not problems, problems
    host = urlsplit(url).netloc
    outside = [
        seen
        for seen in requests
        if urlsplit(seen).scheme not in ("data", "blob") and urlsplit(seen).netloc != host
    ]
    assert requests and not outside, outside
