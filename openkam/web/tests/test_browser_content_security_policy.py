"""Under the Content-Security-Policy (scripts from our static files only, no eval) the pages
still work in a real browser and the browser reports no violation: charts draw, htmx edits a
contact's cell (opened with Enter as with a click), the download links follow the filters,
and the API token page copies and asks before revoking, all without inline script."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from openkam.api.models import ApiToken
from openkam.conftest import World
from openkam.factories import ContactFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page, failing the test on any message of the browser about the policy."""
    violations: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    yield page
    assert not violations, f"Content-Security-Policy violations: {violations}"


def _log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_pages_work_under_the_policy(watched: Page, world: World) -> None:
    page = watched
    contact = ContactFactory.create(account=world.account, name="王经理", support=0)
    _log_in(page, "kam1")
    assert "script-src 'self'" in (page.request.get("/").headers["content-security-policy"])

    page.goto(f"/relationships/accounts/{world.account.pk}/")
    expect(page.locator("[data-testid=chart-wheel] canvas")).to_be_visible()
    cell = page.locator(f"#contact-{contact.pk} [data-testid=cell-support]")
    cell.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#contact-{contact.pk} [data-testid=edit-support]")).to_be_visible()

    page.goto("/accounts/?tier=key")
    # htmx changes the address without reloading; the link reads the filters at the click.
    page.evaluate("history.replaceState(null, '', '/accounts/?tier=strategic&page=2')")
    page.evaluate("window.addEventListener('click', (event) => event.preventDefault())")
    link = page.locator("[data-testid=export-csv]").first
    link.dispatch_event("click")
    assert (link.get_attribute("href") or "").endswith("/accounts/export.csv?tier=strategic")


def test_the_token_page_copies_and_asks_before_revoking(watched: Page, world: World) -> None:
    page = watched
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _log_in(page, "kam1")
    page.goto("/api/v1/tokens/")
    page.fill("input[name=name]", "ERP")
    page.click("[data-testid=token-create]")
    secret = page.locator("[data-testid=token-secret]")
    expect(secret).to_be_visible()
    page.locator("[data-okam-copy]").click()
    expect(page.locator("[data-okam-copy] span")).not_to_have_text("复制")
    assert page.evaluate("navigator.clipboard.readText()") == secret.input_value()

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=token-revoke]")
    assert ApiToken.objects.get().revoked_at is None  # dismissed: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=token-revoke]")
    expect(page.locator("[data-testid=token-revoke]")).to_have_count(0)
    assert ApiToken.objects.get().revoked_at is not None
