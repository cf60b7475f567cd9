"""Batches share a transaction (a commit per BATCHES_PER_COMMIT): still, a database error in one
batch undoes that batch alone; the batches before it stay applied and the run is failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError

from openkam.imports import services
from openkam.imports.kinds.base import Batch, Context
from openkam.imports.kinds.orders import OrdersKind
from openkam.imports.models import ImportRun
from openkam.imports.services import ImportFailed, import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import AccountMonth, Order

pytestmark = pytest.mark.django_db


def test_a_failing_batch_is_undone_alone_and_the_earlier_ones_stay(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    monkeypatch.setattr(services, "BATCHES_PER_COMMIT", 10)
    write = OrdersKind.write
    calls = []

    def failing_third(self: OrdersKind, rows: Batch, ctx: Context) -> None:
        calls.append(len(rows))
        write(self, rows, ctx)  # written, then the batch fails: its savepoint undoes it
        if len(calls) == 3:
            raise DatabaseError("disk full")

    monkeypatch.setattr(OrdersKind, "write", failing_third)
    rows = [order_row(f"SO-{n}", 1, "2024-03-01", "上海东方电梯有限公司", "M-100", "1", "1", "1")
            for n in range(1, 9)]  # fmt: skip
    path = write_csv(tmp_path / "orders.csv", ORDER_HEADERS, rows, encoding="utf-8-sig")

    with pytest.raises(ImportFailed, match="disk full") as failed:
        import_run(kind="orders", path=path)

    assert calls == [2, 2, 2]
    assert sorted(Order.objects.values_list("order_no", flat=True)) == [
        "SO-1", "SO-2", "SO-3", "SO-4"
    ]  # fmt: skip
    run = failed.value.run
    assert run is not None
    assert run.status == ImportRun.Status.FAILED
    assert not AccountMonth.objects.exists()  # a failed run stops before the aggregates
