"""Content-Security-Policy: scripts only from our static files. Every response carries the
policy, and no served template holds an inline script, an on* handler or a javascript: link
(which the policy would silently stop, breaking the page), nor an htmx trigger filter (eval)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for

ROOT = Path(settings.BASE_DIR)  # the openkam package
# The offline analysis report is written to a file, never served: its scripts are inline.
NOT_SERVED = {"analyze/report.html"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']\s*javascript:""", re.I)
TRIGGER_FILTER = re.compile(r"""hx-trigger\s*=\s*["'][^"']*\[""")


def served_templates() -> list[Path]:
    found = [
        path
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts
        and path.as_posix().split("/templates/", 1)[1] not in NOT_SERVED
    ]
    assert len(found) > 50  # the scan reaches every app's templates
    return found


@pytest.mark.parametrize(
    ("pattern", "what"),
    [(INLINE_SCRIPT, "an inline <script>"), (HANDLER, "an on* handler"),
     (JAVASCRIPT_URL, "a javascript: URL"), (TRIGGER_FILTER, "an htmx trigger filter (eval)")],
)  # fmt: skip
def test_no_served_template_needs_what_the_policy_forbids(
    pattern: re.Pattern[str], what: str
) -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in served_templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert not offending, f"{what} (move it to static/js/openkam.js): {offending}"


def _policy(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for part in header.split(";")
        if part.strip()
        for name, *values in [part.split()]
    }


@pytest.mark.django_db
def test_pages_carry_the_policy(world: World) -> None:
    for response in (
        client_for(world.kam).get(reverse("accounts:list")),
        client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk])),
        client_for(world.kam).get("/no-such-page/"),
    ):
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_the_login_page_carries_the_policy(client: Client) -> None:
    response = client.get(reverse("login"))
    assert _policy(response)["script-src"] == ["'self'"]
