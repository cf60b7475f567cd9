"""The lead list page's queries: a fixed number for the empty form, and for a screened list
a fixed number plus one per row (the account form's duplicate look-up, accounts.services.
account_duplicates, run per company name; a list holds at most leads.MAX_ROWS rows)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _queries(world: World, rows: int) -> int:
    body = "公司名称,行业\n" + "".join(f"名单企业{i}有限公司,机械\n" for i in range(rows))
    client = client_for(world.kam)
    client.get(reverse("pipeline:leads"))  # the session and the user, read once
    with CaptureQueriesContext(connection) as captured:
        upload = SimpleUploadedFile("list.csv", body.encode())
        response = client.post(reverse("pipeline:leads"), {"file": upload})
    assert response.status_code == 200
    return len(captured)


def test_the_empty_form_reads_a_fixed_number_of_queries(world: World) -> None:
    client = client_for(world.kam)
    client.get(reverse("pipeline:leads"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("pipeline:leads")).status_code == 200
    assert len(captured) == 2


def test_screening_costs_one_query_per_row_over_a_fixed_number(world: World) -> None:
    few, more = _queries(world, 2), _queries(world, 7)
    assert more - few == 5
