"""The contact pages of the back office."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openkam.common.tests.test_admin_pages import admin_form_data
from openkam.conftest import client_for
from openkam.factories import AccountFactory, ContactFactory
from openkam.relationships.models import Contact, Support
from openkam.team.models import User

CHANGELIST = reverse("admin:relationships_contact_changelist")


def change_url(contact: Contact) -> str:
    return reverse("admin:relationships_contact_change", args=[contact.pk])


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    return client_for(superuser)


@pytest.mark.parametrize(
    "query",
    ["苏州迅达电梯", "138 0000 1234", "li.na@example.cn"],
    ids=["account", "phone", "email"],
)
def test_searching_contacts_by_account_phone_or_email_finds_the_contact(
    superuser_client: Client, query: str
) -> None:
    account = AccountFactory.create(legal_name="苏州迅达电梯有限公司")
    wanted = ContactFactory.create(
        account=account, name="李娜", phone="138 0000 1234", email="li.na@example.cn"
    )
    ContactFactory.create_batch(3)

    response = superuser_client.get(CHANGELIST, {"q": query})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_contact_page_groups_the_buying_role_fields(superuser_client: Client) -> None:
    contact = ContactFactory.create()

    response = superuser_client.get(change_url(contact))

    fieldsets = {str(name): fields for name, fields in response.context["adminform"].fieldsets}
    buying_role = fieldsets[str(_("Buying role"))]["fields"]
    flat = {name for line in buying_role for name in ([line] if isinstance(line, str) else line)}
    assert {"influence_type", "influence_level", "participation", "support"} <= flat
    assert {"stage_needs", "stage_options", "stage_choice", "stage_after_sale"} <= flat


def test_editing_a_contact_in_the_admin_records_who_changed_what(
    superuser: User, superuser_client: Client
) -> None:
    contact = ContactFactory.create(support=Support.NEUTRAL)
    data = admin_form_data(superuser_client.get(change_url(contact)))
    data["support"] = Support.CHAMPION

    response = superuser_client.post(change_url(contact), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    contact.refresh_from_db()
    assert contact.support == Support.CHAMPION
    change = contact.history.latest()
    assert (change.history_type, change.history_user) == ("~", superuser)
    assert change.support == Support.CHAMPION


def test_a_contact_added_on_the_account_page_is_saved_with_history(
    superuser: User, superuser_client: Client
) -> None:
    account = AccountFactory.create()
    url = reverse("admin:accounts_account_change", args=[account.pk])
    data = admin_form_data(superuser_client.get(url))
    data.update({"contacts-TOTAL_FORMS": "1", "contacts-0-name": "王强", "contacts-0-support": "1"})

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    contact = Contact.objects.get(account=account)
    assert contact.name == "王强"
    assert contact.history.get().history_user == superuser
