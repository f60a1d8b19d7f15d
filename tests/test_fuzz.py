"""Fuzzing: every form and query string a role can reach, filled with absurd values, answers
with a page, a clear refusal or a redirect, and never a server error.

Each role walks the portal from its home page, following links within the site (the data
admin's last). Every form found on the way is submitted with each bad value in every field at
once, then with one field at a time set to the values that might pass its validation and
reach a service, the other fields as the page drew them (CSRF token and expected version
included). Every page is asked for again with bad values in the query parameters its links
and filter forms use. Each request runs in a savepoint that is rolled back, so a submission
that happens to succeed changes nothing the next one sees. All failures are reported
together, with the URL, field and value. A form or page already fuzzed for another role in
the same run is not fuzzed again, whichever of the run's test processes fuzzed it. The
national team's walk is two tests, the portal's pages and the data admin's, so that the
processes can share them."""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from portal.demo import DEMO_LOGINS

ROLES = [login.email.split("@")[0] for login in DEMO_LOGINS]
DATA_ADMIN = "/data-admin/"

# Bounds that keep the whole run to a few minutes: every URL pattern is visited, but only
# the first few pages of each (another agreement's targets page draws the same forms), and
# the data admin's pages, one of each.
MAX_PAGES = 150
PAGES_PER_PATTERN = 2
DATA_ADMIN_PAGES = 60

# Links not to follow: signing out ends the walk, and these answer with files or start work.
SKIP = re.compile(r"^/sign-out/|\.pdf$|\.(csv|xlsx)$|/download/$|/evidence/\d+/$|/pdf/$")

TOO_BIG = str(2**64)
LONG = "x" * 10_000
NUL = "a\x00b"

# Bad values by kind of field: a few per field keeps the request count down while every
# field sees a NUL byte, an absurd length, an absurd number and an empty value.
ALL_AT_ONCE = [NUL, LONG, TOO_BIG, "-1", "abc", "", "1e999", "2008-02-30"]
ONE_AT_A_TIME = {
    "text": [LONG, TOO_BIG],
    "textarea": [LONG, TOO_BIG],
    "checkbox": [TOO_BIG],
    "radio": [TOO_BIG],
    "select": [TOO_BIG],
    "select-multiple": [TOO_BIG],
    # Hidden fields and buttons steer the view (a version, a move, an action).
    "hidden": [NUL, TOO_BIG, "-1", "abc", ""],
    "submit": [NUL, TOO_BIG, "abc", ""],
}
# In the data admin: a choice among ids (a row's relation, a select) one beyond any key;
# a number, an id or a formset's count (hidden) also below zero; text and a ticked box go
# through Django's own fields, which every-field-at-once covers.
DATA_ADMIN_ONE_AT_A_TIME: dict[str, list[str]] = {
    "text": [],
    "textarea": [],
    "submit": [],
    "checkbox": [],
    "email": [],
    "url": [],
    "password": [],
    "radio": [TOO_BIG],
    "select": [TOO_BIG],
    "select-multiple": [TOO_BIG],
}
QUERY_VALUES = [NUL, LONG, TOO_BIG, "-1", "abc"]
DATA_ADMIN_QUERY_VALUES = [TOO_BIG, "abc"]
# Parameters every list page is asked with, besides those its own links and forms use.
COMMON_PARAMETERS = ["q", "page"]


def _files():
    return [
        SimpleUploadedFile("targets.xlsx", b"this is not a spreadsheet"),
        SimpleUploadedFile("empty.csv", b""),
        SimpleUploadedFile("notes\x00.txt", b"\x00\xff"),
    ]


@dataclass
class Field:
    name: str
    kind: str  # text, hidden, textarea, checkbox, radio, select, select-multiple, file, submit
    options: list[str] = field(default_factory=list)
    default: list[str] = field(default_factory=list)

    @property
    def multiple(self) -> bool:
        return self.kind == "select-multiple" or (self.kind == "checkbox" and len(self.options) > 1)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str | None, *, checked: bool = False) -> None:
        if not name:
            return
        entry = self.fields.setdefault(name, Field(name, kind))
        if kind in ("checkbox", "radio", "select", "select-multiple"):
            if value is not None:
                entry.options.append(value)
            if checked and value is not None:
                if kind in ("radio", "select"):
                    entry.default = [value]
                else:
                    entry.default.append(value)
        elif kind == "submit":
            # Only the first button of a name is pressed.
            if not entry.default and value is not None:
                entry.default = [value]
        else:
            entry.default = [value or ""]

    def inputs(self) -> list[Field]:
        """The fields the form sends besides the CSRF token (a button without a name sends
        nothing)."""
        return [entry for entry in self.fields.values() if entry.name != "csrfmiddlewaretoken"]

    def baseline(self) -> dict[str, list[str]]:
        """What a browser would send: the values drawn, a radio or select's first option
        when none is chosen, no file."""
        data = {}
        for entry in self.fields.values():
            if entry.kind == "file":
                continue
            if entry.default:
                data[entry.name] = list(entry.default)
            elif entry.kind in ("radio", "select") and entry.options:
                data[entry.name] = [entry.options[0]]
        return data


class PageParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(self.url, action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                kind = "submit" if kind in ("submit", "image") else ""
            if kind:
                value = a.get("value")
                if kind in ("checkbox", "radio") and value is None:
                    value = "on"
                self._form.add(a.get("name", ""), kind, value, checked="checked" in a)
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form.add(a.get("name", ""), "submit", a.get("value", ""))
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = (a.get("name", ""), kind)
            self._form.fields.setdefault(a.get("name", ""), Field(a.get("name", ""), kind))
        elif tag == "option" and self._select:
            self._option = (a.get("value"), "selected" in a, [])
        elif tag == "textarea":
            self._textarea = (a.get("name", ""), [])

    def handle_data(self, data):
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.add(name, "textarea", "".join(text).removeprefix("\n"))
            self._textarea = None

    def _close_option(self):
        value, selected, text = self._option
        name, kind = self._select
        if self._form is not None and name:
            chosen = value if value is not None else "".join(text).strip()
            self._form.add(name, kind, chosen, checked=selected)
        self._option = None


DATA_ADMIN_FORM = re.compile(r"^(/data-admin/\w+/\w+/)(add/|[^/]+/change/)$")


def form_key(action: str, form: Form) -> tuple:
    """Forms alike enough that fuzzing one covers the others: the same pattern, the same
    fields (numbers in their names aside: a district's share, a year's value) and the same
    hidden values that steer the view (a move, an action), but not the ids and versions. In
    the data admin, a model's add and change pages draw the same form (the change page's
    with the rows it has): one of them stands for both."""
    if data_admin_form := DATA_ADMIN_FORM.match(urlsplit(action).path):
        return ("data admin form", data_admin_form[1])
    return (
        pattern_of(urlsplit(action).path),
        tuple(sorted({re.sub(r"\d+", "#", name) for name in form.fields})),
        tuple(
            sorted(
                value
                for entry in form.fields.values()
                if entry.kind == "hidden" and entry.name != "csrfmiddlewaretoken"
                for value in entry.default
                if not value.isdigit()
            )
        ),
    )


def pattern_of(path: str) -> str | None:
    """The URL pattern a path belongs to, with the values of its `str` parameters (a
    designated and a local target have different forms at the same pattern)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kinds = sorted(
        f"{name}={match.kwargs[name]}"
        for name in re.findall(r"<str:(\w+)>", match.route)
        if name in match.kwargs
    )
    return " ".join([match.route, *kinds])


def local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(parts.path) else path


class Claims:
    """Forms and query strings already fuzzed in this run, by another role's walk: the same
    form drawn for two roles is fuzzed once. A key is claimed by creating a file named after
    it in a folder every test process of the run shares, which only one process can do."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def claim(self, key: tuple) -> bool:
        name = hashlib.sha256(repr(key).encode()).hexdigest()
        try:
            (self.folder / name).touch(exist_ok=False)
        except FileExistsError:
            return False
        return True


@pytest.fixture(scope="session")
def claims(tmp_path_factory, worker_id) -> Claims:
    # Each process of a parallel run has its own folder under the run's, which they share.
    root = tmp_path_factory.getbasetemp()
    return Claims((root if worker_id == "master" else root.parent) / "fuzzed")


@dataclass
class Fuzzer:
    client: Client
    claims: Claims
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, method: str, url: str, data=None, *, what: str) -> object | None:
        self.requests += 1
        try:
            with transaction.atomic():
                if method == "post":
                    response = self.client.post(url, data or {})
                else:
                    response = self.client.get(url)
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every error is a finding, reported together
            self.failures.append(f"{method.upper()} {url} {what}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} {what}: HTTP {response.status_code}")
        return response

    def walk(self, start: str) -> tuple[dict[str, PageParser], list[Form]]:
        """Pages reachable from `start`, breadth first: from home, the portal's; from the
        data admin's home, the data admin's."""
        data_admin = start == DATA_ADMIN
        pages: dict[str, PageParser] = {}
        per_pattern: dict[str, int] = {}
        queue, seen = deque([start]), {start}
        limit = 1 if data_admin else PAGES_PER_PATTERN
        while queue and len(pages) < (DATA_ADMIN_PAGES if data_admin else MAX_PAGES):
            path = queue.popleft()
            pattern = pattern_of(urlsplit(path).path)
            if pattern is None or per_pattern.get(pattern, 0) >= limit:
                continue
            response = self.send("get", path, what="as linked")
            if response is None:
                continue
            if response.status_code in (301, 302, 303):
                found = [response["Location"]]
            elif (
                response.status_code == 200
                and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
            ):
                per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
                parser = PageParser(f"http://testserver{path}")
                parser.feed(response.content.decode())
                pages[path] = parser
                found = [*parser.links, *(f.action for f in parser.forms if f.method == "get")]
            else:
                continue
            for url in found:
                target = local_path(urljoin(f"http://testserver{path}", url).split("#")[0])
                if target and target not in seen and target.startswith(DATA_ADMIN) == data_admin:
                    seen.add(target)
                    queue.append(target)
        forms = []
        # A change page's form before an add page's: it has the rows of the inline tables.
        drawn = sorted(
            (form for parser in pages.values() for form in parser.forms),
            key=lambda form: not urlsplit(form.action).path.endswith("/change/"),
        )
        for form in drawn:
            action = local_path(form.action)
            if action is None or form.method != "post" or not form.inputs():
                continue
            if self.claims.claim(form_key(action, form)):
                form.action = action
                forms.append(form)
        return pages, forms

    def fuzz_form(self, form: Form) -> None:
        baseline = form.baseline()
        where = f"(form on {local_path(form.page)})"
        fields = form.inputs()
        # Every field at once, for each bad value, with the buttons pressed as drawn: cheap,
        # and enough for values that fail validation.
        for value in ALL_AT_ONCE:
            data = dict(baseline)
            for entry in fields:
                if entry.kind == "file":
                    data[entry.name] = _files()[0]
                elif entry.kind != "submit":
                    data[entry.name] = [value, "1"] if entry.multiple else [value]
            self.send("post", form.action, data, what=f"{where} every field={value[:20]!r}")
        # One field at a time, the others as drawn, for values that may pass validation and
        # reach the service and the database; one field of each numbered set (a year's
        # value, an inline row's id) stands for the others.
        names = set()
        for entry in fields:
            name = re.sub(r"\d+", "#", entry.name)
            if name in names:
                continue
            names.add(name)
            if entry.kind == "file":
                for upload in _files():
                    data = {**baseline, entry.name: upload}
                    what = f"{where} {entry.name}={upload.name!r}"
                    self.send("post", form.action, data, what=what)
                continue
            values = ONE_AT_A_TIME.get(entry.kind, ONE_AT_A_TIME["text"])
            if form.action.startswith(DATA_ADMIN):
                # Django's model forms take their lengths and choices from the columns: only
                # ids, numbers and the formsets' counts are worth a request each.
                values = DATA_ADMIN_ONE_AT_A_TIME.get(entry.kind, [TOO_BIG, "-1"])
            for value in values:
                sent = [value, "1"] if entry.multiple else [value]
                data = {**baseline, entry.name: sent}
                self.send("post", form.action, data, what=f"{where} {entry.name}={value[:20]!r}")
            if entry.kind in ("hidden", "submit") and not form.action.startswith(DATA_ADMIN):
                data = {k: v for k, v in baseline.items() if k != entry.name}
                self.send("post", form.action, data, what=f"{where} without {entry.name}")

    def fuzz_query(self, path: str, parser: PageParser) -> None:
        parts = urlsplit(path)
        own = dict(parse_qsl(parts.query, keep_blank_values=True))
        names = set(COMMON_PARAMETERS) | set(own)
        for url in parser.links:
            link = urlsplit(url)
            if link.path == parts.path:
                names |= {name for name, _ in parse_qsl(link.query, keep_blank_values=True)}
        for form in parser.forms:
            if form.method == "get" and urlsplit(form.action).path == parts.path:
                names |= {n for n, f in form.fields.items() if f.kind != "submit"}
        if not self.claims.claim((pattern_of(parts.path), tuple(sorted(names)))):
            return
        values = DATA_ADMIN_QUERY_VALUES if path.startswith(DATA_ADMIN) else QUERY_VALUES
        for name in sorted(names):
            for value in values:
                query = urlencode({**own, name: value})
                self.send("get", f"{parts.path}?{query}", what=f"{name}={value[:20]!r}")


@pytest.mark.parametrize(
    "role, start",
    [("anonymous", "/"), *((role, "/") for role in ROLES), ("admin", DATA_ADMIN)],
)
def test_no_form_or_query_string_gives_a_server_error(role, start, users_by_role, claims):
    client = Client()
    if role != "anonymous":
        client.force_login(users_by_role[role])
    fuzzer = Fuzzer(client, claims)
    pages, forms = fuzzer.walk(start)
    for form in forms:
        fuzzer.fuzz_form(form)
    for path, parser in pages.items():
        fuzzer.fuzz_query(path, parser)
    print(f"{role} from {start}: {len(pages)} pages, {len(forms)} forms, {fuzzer.requests} asked")
    # The walk really went through the portal (a broken sign-in or home page would
    # otherwise leave nothing to fuzz, and the test would pass on nothing).
    assert len(pages) >= (1 if role == "anonymous" else 5), sorted(pages)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server errors:\n" + "\n".join(
        fuzzer.failures
    )
