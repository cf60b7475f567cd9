"""The demo company's contracts (合同): every strategic and key account (at least a dozen) gets
contracts in every status, sized on what it really bought in the last twelve months: active
annual supply contracts some of which are under-delivered, contracts ending next month (renewal
due), a three-year framework agreement for a group with an amendment, a renewed pair, price
agreements with contracted prices per product family, an expired one with next year's draft, a
terminated one and a spot contract.

Written through the contracts' services (a few dozen to a few hundred contracts), so the
notice deadlines, covered companies and versions are those a user would have made.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.db.models import Sum

from openkam.accounts.models import Account, Tier
from openkam.common.months import add_months
from openkam.contracts import services
from openkam.contracts.models import Contract
from openkam.contracts.periods import last_day
from openkam.ledger.models import AccountMonth, Order, OrderLine
from openkam.team.models import Role, User

MIN_ACCOUNTS = 12
KINDS = (
    "short",
    "expiring",
    "framework",
    "renewed",
    "price",
    "expired",
    "terminated",
    "spot",
)
TERMS = {
    "delivery_terms": (
        "卖方负责送货至买方指定工厂，交货期为订单确认后15个工作日；"
        "延迟交货每日按货值0.5‰支付违约金。"
    ),
    "price_terms": "价格含13%增值税及运费；原材料价格波动超过5%时双方可协商调价。",
    "payment_terms": "验收合格后开具增值税专用发票，月结60天，电汇或银行承兑汇票。",
    "quality_terms": "符合GB 7588及双方确认的技术协议；到货不良率不高于0.3%，质保期18个月。",
    "breach_liability": (
        "一方违约应赔偿对方因此遭受的直接损失；累计延迟交货超过30天，买方有权解除合同。"
    ),
    "dispute_resolution": "协商不成的，提交上海国际经济贸易仲裁委员会仲裁。",
}
KIND_OF = {"framework": "framework", "price": "price", "spot": "spot"}


def _chosen(today: dt.date) -> list[tuple[int, Decimal]]:
    """Strategic and key accounts (topped up with the largest major ones) and their revenue
    of the last twelve months, largest first."""
    since = add_months(today, -11)
    revenue = (
        AccountMonth.objects.filter(month__gte=since)
        .values("account_id")
        .annotate(total=Sum("revenue"))
        .order_by("-total", "account_id")
    )
    keys = set(
        Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY)).values_list("pk", flat=True)
    )
    rows = [(row["account_id"], row["total"] or Decimal("0")) for row in revenue]
    chosen = [row for row in rows if row[0] in keys]
    for row in rows:
        if len(chosen) >= MIN_ACCOUNTS:
            break
        if row not in chosen:
            chosen.append(row)
    return [row for row in chosen if row[1] > 0]


def _families(
    account_ids: list[int], since: dt.date
) -> dict[int, list[tuple[str, Decimal, Decimal]]]:
    """Each account's two largest product families of the period: (family, value, volume),
    summed in the database."""
    rows = (
        OrderLine.objects.filter(account_id__in=account_ids, order__order_date__gte=since)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("account_id", "product__family")
        .annotate(value=Sum("amount"), volume=Sum("quantity"))
        .order_by("account_id", "-value")
    )
    found: dict[int, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    for row in rows:
        if len(found[row["account_id"]]) < 2 and row["product__family"]:
            found[row["account_id"]].append((row["product__family"], row["value"], row["volume"]))
    return found


def _round(value: Decimal, step: int = 10_000) -> Decimal:
    return Decimal(int(value / step) * step or step)


def _items(
    families: list[tuple[str, Decimal, Decimal]], factor: float, rng: np.random.Generator
) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for family, value, volume in families:
        price = (value / volume) if volume else None
        drift = Decimal(str(round(float(rng.uniform(0.96, 1.02)), 3)))
        items.append(
            {
                "family": family,
                "unit": "台",
                "unit_price": (price * drift).quantize(Decimal("0.01")) if price else None,
                "quantity": (volume * Decimal(str(factor))).quantize(Decimal("1")),
                "amount": _round(value * Decimal(str(factor))),
                "specification": f"{family}，按双方确认的技术协议及图纸。",
                "quality_terms": "出厂检验报告随货；关键尺寸100%检验。",
            }
        )
    return items


def write_contracts(*, seed: int, today: dt.date) -> int:
    """Contracts for the key accounts; returns how many were written."""
    writer = User.objects.filter(role=Role.EXECUTIVE, is_active=True).order_by("pk").first()
    if writer is None:
        return 0
    rng = np.random.default_rng([seed, 7_411])
    chosen = _chosen(today)
    families = _families([pk for pk, _revenue in chosen], add_months(today, -11))
    month = today.replace(day=1)
    written = 0
    for i, (account_id, revenue) in enumerate(chosen):
        kind = KINDS[i % len(KINDS)]
        written += _write(kind, i, account_id, revenue, families.get(account_id, []),
                          month=month, today=today, writer=writer, rng=rng)  # fmt: skip
    return written


def _fields(
    number: str, title: str, kind: str, start: dt.date, months: int, **extra: object
) -> dict[str, object]:
    return {
        "kind": kind,
        "number": number,
        "title": title,
        "starts_on": start,
        "ends_on": last_day(add_months(start, months - 1)),
        "commitment_period": "year",
        **TERMS,
        **extra,
    }


def _write(
    kind: str,
    i: int,
    account_id: int,
    revenue: Decimal,
    families: list[tuple[str, Decimal, Decimal]],
    *,
    month: dt.date,
    today: dt.date,
    writer: User,
    rng: np.random.Generator,
) -> int:
    number = f"HT-{today.year}-{i + 1:04d}"
    supply = f"{families[0][0]}年度供货合同" if families else "年度供货合同"
    factor = {"short": 1.6, "price": 1.3}.get(kind, float(rng.uniform(0.9, 1.0)))
    value = _round(revenue * Decimal(str(factor)))
    if kind == "short":
        start = add_months(month, -8)
        fields = _fields(number, supply, "annual_supply", start, 12, notice_days=30,
                         committed_value=value)  # fmt: skip
        return _signed(writer, account_id, fields, _items(families, factor, rng))
    if kind == "expiring":
        start = add_months(month, -10)
        fields = _fields(number, supply, "annual_supply", start, 12, notice_days=30,
                         committed_value=value)  # fmt: skip
        return _signed(writer, account_id, fields, _items(families, factor, rng))
    if kind == "framework":
        account = Account.objects.get(pk=account_id)
        group = account.parent_id or account_id
        start = add_months(month, -14)
        fields = _fields(number, "战略合作框架协议", "framework", start, 36, notice_days=90,
                         auto_renew=True, covers_group=True, committed_value=value)  # fmt: skip
        made = _signed(writer, group, fields, _items(families, factor, rng))
        contract = Contract.objects.get(number=number)
        services.contract_amend(
            user=writer, contract=contract, fields={"payment_days": 45, "payment_terms":
            "验收合格后开具增值税专用发票，月结45天。"}, items=None,
            summary="付款期由60天缩短为45天", reason="客户年度评审后同意缩短账期，换取价格稳定。",
            approved_by=writer, effective_on=add_months(month, -3),
        )  # fmt: skip
        return made
    if kind == "renewed":
        start = add_months(month, -18)
        fields = _fields(f"{number}-A", supply, "annual_supply", start, 12,
                         notice_days=30, committed_value=value)  # fmt: skip
        _signed(writer, account_id, fields, _items(families, factor, rng))
        old = Contract.objects.get(number=f"{number}-A")
        new = services.contract_renew(user=writer, contract=old, number=number)
        services.contract_update(user=writer, contract=new, fields={"title": f"{supply}（续签）"})
        services.contract_sign(user=writer, contract=new, signed_on=old.ends_on)
        return 2
    if kind == "price":
        start = add_months(month, -6)
        fields = _fields(number, "价格协议", "price", start, 12, auto_renew=True, notice_days=60)
        return _signed(writer, account_id, fields, _items(families, factor, rng))
    if kind == "expired":
        start = add_months(month, -14)
        fields = _fields(f"{number}-E", supply, "annual_supply", start, 12,
                         committed_value=value)  # fmt: skip
        _signed(writer, account_id, fields, _items(families, factor, rng))
        draft = _fields(number, f"{supply}（草稿）", "annual_supply", add_months(month, 1), 12,
                        committed_value=value)  # fmt: skip
        services.contract_create(user=writer, account_id=account_id, fields=draft,
                                 items=_items(families, factor, rng))  # fmt: skip
        return 2
    if kind == "terminated":
        start = add_months(month, -5)
        fields = _fields(number, supply, "annual_supply", start, 12, committed_value=value)
        _signed(writer, account_id, fields, [])
        contract = Contract.objects.get(number=number)
        services.contract_terminate(user=writer, contract=contract,
                                    terminated_on=add_months(month, -1),
                                    reason="客户产线搬迁，双方协商提前终止。")  # fmt: skip
        return 1
    start = add_months(month, -1)
    fields = _fields(number, "现货采购合同", "spot", start, 3, commitment_period="term",
                     committed_value=_round(revenue / 6))  # fmt: skip
    return _signed(writer, account_id, fields, [])


def _signed(
    writer: User, account_id: int, fields: dict[str, object], items: list[dict[str, object]]
) -> int:
    contract = services.contract_create(
        user=writer, account_id=account_id, fields=fields, items=items
    )
    signed_on = contract.starts_on - dt.timedelta(days=7)
    services.contract_sign(user=writer, contract=contract, signed_on=signed_on)
    return 1
