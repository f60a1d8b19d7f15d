"""Each role, signed in, follows every link it is shown, from its home page onwards: no link
answers an error for that person, every page it reaches is valid HTML (the Nu HTML
Checker) and passes axe-core, with the Content Security Policy in force.

Pages of one kind (one URL name and the same query parameters) are opened once each, not
once per agreement or target; a few links of each kind are followed to their answer.

The crawl runs on the embedded stack, the one `make run` serves."""

from __future__ import annotations

import json
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.html_checker import validate_html

pytestmark = [pytest.mark.browser, pytest.mark.embedded_only]

# Pages of one kind opened in the browser (axe and the HTML checker), and links of one
# kind whose answer is asked for.
PAGES_PER_KIND = 1
LINKS_PER_KIND = 4
# Where the crawl does not go: signing out ends the crawl's session; the data
# administration site is Django's own, outside the portal's pages.
NOT_FOLLOWED = ("/sign-out/", "/data-admin/", "/static/")
ROLES = [
    "coordinator@example.org",
    "negotiator@example.org",
    "official@example.org",
    "admin@example.org",
    "partner@example.org",
]


def kind_of(path: str, query: str) -> str:
    """Pages of one kind: the URL's name and which query parameters it carries."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = path
    keys = sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})
    return f"{name}?{'&'.join(keys)}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str, page_url: str, origin: str) -> list[str]:
    """The portal's own pages that a page links to, as paths with their query."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _ = urldefrag(urljoin(page_url, href))
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(NOT_FOLLOWED):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.parametrize("email", ROLES)
def test_every_link_a_role_is_shown_leads_somewhere_valid_and_accessible(browsing, email, tmp_path):
    browsing.sign_in(email)
    browsing.preload_axe()
    origin = browsing.base_url
    request = browsing.page.context.request

    queue: deque[tuple[str, str]] = deque([("/", "sign-in")])
    seen: set[str] = {"/"}
    asked: dict[str, int] = defaultdict(int)
    opened: dict[str, int] = defaultdict(int)
    broken: list[str] = []
    inaccessible: dict[str, list] = {}
    html: dict[str, str] = {}

    while queue:
        path, came_from = queue.popleft()
        kind = kind_of(*(path.split("?", 1) + [""])[:2])
        answer = request.get(origin + path, max_redirects=0)
        if answer.status >= 400:
            broken.append(f"{path} answers {answer.status} (linked from {came_from})")
            continue
        if answer.status >= 300:
            target = answer.headers.get("location", "")
            for link in links_in(f'<a href="{target}"></a>', origin + path, origin):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, path))
            continue
        if "text/html" not in (answer.headers.get("content-type") or ""):
            continue  # a download or data: its answer is what counts
        body = answer.text()
        if opened[kind] < PAGES_PER_KIND:
            opened[kind] += 1
            html[path] = body
            browsing.goto(path)
            violations = browsing.axe_violations()
            if violations:
                inaccessible[path] = violations
        for link in links_in(body, origin + path, origin):
            link_kind = kind_of(*(link.split("?", 1) + [""])[:2])
            if link in seen or asked[link_kind] >= LINKS_PER_KIND:
                continue
            seen.add(link)
            asked[link_kind] += 1
            queue.append((link, path))

    assert broken == [], "\n".join(broken)
    assert inaccessible == {}, json.dumps(inaccessible, indent=1)
    assert browsing.csp_violations == []
    assert browsing.script_errors == []
    assert len(html) > 10, f"{email} reached only {sorted(html)}"
    errors = validate_html(html, tmp_path)
    assert errors == {}, json.dumps(errors, indent=1)
