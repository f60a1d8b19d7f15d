"""Fixtures for journeys in headless Chromium against a live server."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _axe_path() -> Path:
    if not AXE_PATH.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does).")
    return AXE_PATH


class Browsing:
    """One browser tab, with what the page reported about its Content Security Policy."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.csp_violations: list[str] = []
        self.script_errors: list[str] = []
        self.axe_preloaded = False
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def sign_in(self, email: str, password: str = "demo-password") -> None:
        self.goto("/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()

    def sign_out(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign out").click()

    def preload_axe(self) -> None:
        """Has the browser load axe-core into every page this tab opens from now on, for
        tests that check each page they open: axe's source is sent to the browser once
        instead of once a page."""
        self.page.add_init_script(path=_axe_path())
        self.axe_preloaded = True

    def axe_violations(self) -> list[dict]:
        """Runs axe-core in the page (evaluated through the browser's debugging protocol,
        so the page's own CSP stays in force) and returns WCAG 2.x A/AA violations."""
        if not self.axe_preloaded:
            self.page.evaluate(_axe_path().read_text())
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]

    def assert_accessible(self) -> None:
        violations = self.axe_violations()
        assert violations == [], f"{self.page.url}: {json.dumps(violations, indent=2)}"
        assert self.csp_violations == [], self.csp_violations
        assert self.script_errors == [], self.script_errors


@pytest.fixture
def browsing(browser, live_server, seeded_transactional_db):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Browsing(page, live_server.url)
    context.close()


@pytest.fixture
def browsing_without_javascript(browser, live_server, seeded_transactional_db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Browsing(page, live_server.url)
    context.close()
