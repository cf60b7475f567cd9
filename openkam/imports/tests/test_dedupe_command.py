"""`openkam dedupe` lists likely duplicates, merges two accounts and undoes a merge."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from openkam.accounts.models import Account
from openkam.factories import AccountFactory
from openkam.imports.models import AccountMerge

pytestmark = pytest.mark.django_db


def test_the_list_shows_pairs_with_their_reasons() -> None:
    AccountFactory.create(legal_name="上海东方电梯有限公司")
    AccountFactory.create(legal_name="上海东方电梯股份有限公司")
    AccountFactory.create(legal_name="广州南方物流集团")
    out = StringIO()
    with translation.override("en"):
        call_command("dedupe", stdout=out)
    text = out.getvalue()
    assert "上海东方电梯股份有限公司" in text
    assert "similar name" in text
    assert "广州南方物流集团" not in text
    assert "1 pair." in text


def test_merge_then_undo_from_the_command_line() -> None:
    keep = AccountFactory.create(legal_name="上海东方电梯有限公司")
    drop = AccountFactory.create(legal_name="上海东方电梯股份有限公司")
    call_command("dedupe", "--merge", str(keep.pk), str(drop.pk), stdout=StringIO())
    assert not Account.objects.filter(pk=drop.pk).exists()
    merge = AccountMerge.objects.get()
    call_command("dedupe", "--undo", str(merge.pk), stdout=StringIO())
    assert Account.objects.filter(pk=drop.pk).exists()
    with pytest.raises(CommandError):
        call_command("dedupe", "--undo", str(merge.pk), stdout=StringIO())


def test_merging_an_unknown_account_fails() -> None:
    keep = AccountFactory.create()
    with pytest.raises(CommandError):
        call_command("dedupe", "--merge", str(keep.pk), "999999", stdout=StringIO())
