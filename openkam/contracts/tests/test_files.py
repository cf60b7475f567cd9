"""A contract's files: stored under the var folder, downloaded only by those who see the
account (as a download, never rendered), limited in size and type (name and first bytes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.contracts import services
from openkam.contracts.models import Attachment
from openkam.contracts.tests.builders import contract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def upload(client: Any, pk: int, name: str, body: bytes) -> Any:
    file = SimpleUploadedFile(name, body, content_type="application/octet-stream")
    return client.post(reverse("contracts:upload", args=[pk]), {"kind": "signed", "file": file})


def test_a_writer_stores_the_signed_pdf_under_the_var_folder(world: World, var_dir: Path) -> None:
    deal = contract(world.account)
    assert upload(client_for(world.kam), deal.pk, "合同.pdf", PDF).status_code == 302
    stored = Attachment.objects.get()
    assert (stored.name, stored.size, stored.content_type) == (
        "合同.pdf",
        len(PDF),
        "application/pdf",
    )
    assert Path(stored.file.path).is_relative_to(var_dir / "contracts")
    assert Path(stored.file.path).read_bytes() == PDF


def test_those_who_see_the_account_download_it_others_get_404(world: World) -> None:
    deal = contract(world.account)
    upload(client_for(world.kam), deal.pk, "合同.pdf", PDF)
    url = reverse("contracts:attachment", args=[Attachment.objects.get().pk])
    response = client_for(world.viewer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.other_kam).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "body"),
    [("合同.exe", b"MZ\x90\x00"), ("合同.html", b"<script>"), ("伪装.pdf", b"<html>not a pdf")],
)
def test_other_types_and_disguised_files_are_refused(world: World, name: str, body: bytes) -> None:
    deal = contract(world.account)
    upload(client_for(world.kam), deal.pk, name, body)
    assert not Attachment.objects.exists()


def test_files_over_20_mb_are_refused(world: World, settings: Any) -> None:
    deal = contract(world.account)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (services.MAX_FILE_BYTES), "application/pdf")
    with pytest.raises(services.ValidationError):
        services.attachment_add(user=world.kam, contract=deal, upload=big, kind="signed")
    assert not Attachment.objects.exists()


def test_a_viewer_may_not_upload(world: World) -> None:
    deal = contract(world.account)
    assert upload(client_for(world.viewer), deal.pk, "合同.pdf", PDF).status_code == 403
    assert not Attachment.objects.exists()
