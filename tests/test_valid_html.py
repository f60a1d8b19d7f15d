"""The pages seen before signing in are valid HTML: one form element each, never one form
inside another."""

import re

from tests.html_checker import validate_html


def test_the_sign_in_and_password_pages_are_valid_html(client, coordinator, tmp_path):
    pages = {
        path: client.get(path).content.decode()
        for path in ["/sign-in/", "/password-reset/", "/password-reset/sent/"]
    }
    response = client.post("/sign-in/", {"username": coordinator.email, "password": "wrong"})
    pages["/sign-in/ (refused)"] = response.content.decode()
    for path, html in pages.items():
        assert len(re.findall(r"<form\b", html)) == html.count("</form>"), path
    assert validate_html(pages, tmp_path) == {}


def test_the_notification_settings_page_is_valid_html(client, coordinator, tmp_path):
    client.force_login(coordinator)
    html = client.get("/settings/email/").content.decode()
    assert validate_html({"/settings/email/": html}, tmp_path) == {}
