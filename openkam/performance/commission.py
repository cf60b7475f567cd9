"""Pay plans and the commission statement (issue 14), gated on cash collected (回款).

The commission of a period is earned on the payments received in it, not on the invoices
issued: a line per payment, traceable to its invoice. For each line:
- the paid share is the payment ÷ its invoice's amount (an invoice half paid earns half);
- the base is that share of the invoice's net sales (its order's lines, without VAT; the
  invoice's own amount when it names no order; the payment itself when it names no invoice),
  or, on a margin plan, that share of the order's gross margin (sales less cost; without an
  order, the net sales times the account's gross margin rate in the year);
- the rate is the plan's tier for the KAM's attainment in the period (net sales or gross
  margin of their accounts ÷ their target for the period's months): the highest tier whose
  threshold the attainment reaches; above target (attainment over 100 %) the rate is
  multiplied by the accelerator. Without a target the lowest tier applies, unaccelerated;
- the commission is base × rate, to the cent.
The salary of the period is the annual salary × its months ÷ 12.

Who sees a KAM's pay: executives and the KAM; nobody else (NotFound, as for an absent row).
Only an executive sets a pay plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.ledger.models import AccountMonth, OrderLine, Payment
from openkam.performance.models import CommissionBasis, Metric, PayPlan
from openkam.performance.periods import Period
from openkam.performance.selectors import Scope, scope_target
from openkam.team.models import Role, User

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _executive(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.EXECUTIVE)


def pay_kam_for(user: User, kam_id: int) -> User:
    """The KAM whose pay the user may read: themselves, or anyone for an executive."""
    if user.is_authenticated and user.is_active and (_executive(user) or user.pk == kam_id):
        kam = User.objects.filter(pk=kam_id).first()
        if kam is not None:
            return kam
    raise NotFound(_("No pay to show for this person."))


def rate_for(plan: PayPlan, attainment: Decimal | None) -> Decimal:
    """The tier's rate for the attainment, times the accelerator above target."""
    tiers = plan.tier_list()
    if not tiers:
        return ZERO
    if attainment is None:
        return tiers[0][1]
    rate = tiers[0][1]
    for threshold, tier_rate in tiers:
        if attainment >= threshold:
            rate = tier_rate
    if attainment > 1:
        rate *= plan.accelerator
    return rate


@dataclass(frozen=True)
class StatementLine:
    payment_id: int
    payment_date: object
    reference: str
    account: str
    invoice_no: str
    invoice_date: object
    invoice_amount: Decimal | None
    paid: Decimal
    paid_share: Decimal
    base: Decimal
    rate: Decimal
    commission: Decimal


@dataclass
class Statement:
    kam: User
    period: Period
    plan: PayPlan | None
    basis: str
    actual: Decimal
    target: Decimal | None
    attainment: Decimal | None
    rate: Decimal
    accelerated: bool
    salary: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def collected(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def commission(self) -> Decimal:
        return sum((line.commission for line in self.lines), ZERO)

    @property
    def total_pay(self) -> Decimal:
        return self.salary + self.commission


def _actual(accounts: QuerySet[Account], period: Period, basis: str) -> Decimal:
    value = F("revenue") - F("cost") if basis == CommissionBasis.MARGIN else F("revenue")
    total = AccountMonth.objects.filter(
        account__in=accounts, month__gte=period.start, month__lte=period.end
    ).aggregate(total=Sum(value))["total"]
    return total or ZERO


def _margin_rates(kam: User, year: int) -> dict[int, Decimal]:
    """Each of the KAM's accounts' gross margin rate in the year (one query)."""
    rows = (
        AccountMonth.objects.filter(account__owner=kam, month__year=year)
        .values("account_id")
        .annotate(sales=Sum("revenue"), gross=Sum(F("revenue") - F("cost")))
    )
    return {r["account_id"]: r["gross"] / r["sales"] for r in rows if r["sales"]}


def _payments(kam: User, period: Period) -> QuerySet[Payment]:
    order_lines = OrderLine.objects.filter(order=OuterRef("invoice__order")).values("order")
    return (
        Payment.objects.filter(
            account__owner=kam,
            payment_date__gte=period.start,
            payment_date__lte=period.last_day,
        )
        .select_related("invoice", "account")
        .annotate(
            order_net=Subquery(order_lines.annotate(total=Sum("amount")).values("total")),
            order_margin=Subquery(
                order_lines.annotate(total=Sum(F("amount") - F("cost"))).values("total")
            ),
        )
        .order_by("payment_date", "pk")
    )


def _line(
    payment: Payment, basis: str, rate: Decimal, margins: Mapping[int, Decimal]
) -> StatementLine:
    invoice = payment.invoice
    order_net = getattr(payment, "order_net", None)
    order_margin = getattr(payment, "order_margin", None)
    if invoice is not None and invoice.amount:
        share = payment.amount / invoice.amount
        net = order_net if order_net is not None else invoice.amount
    else:
        share, net = Decimal("1"), payment.amount
    if basis == CommissionBasis.MARGIN:
        if invoice is not None and order_margin is not None:
            base = order_margin * share
        else:
            base = net * share * margins.get(payment.account_id, ZERO)
    else:
        base = net * share
    base = _cents(base)
    return StatementLine(
        payment_id=payment.pk,
        payment_date=payment.payment_date,
        reference=payment.reference,
        account=payment.account.legal_name,
        invoice_no=invoice.invoice_no if invoice else "",
        invoice_date=invoice.invoice_date if invoice else None,
        invoice_amount=invoice.amount if invoice else None,
        paid=payment.amount,
        paid_share=share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        base=base,
        rate=rate,
        commission=_cents(base * rate),
    )


def commission_statement(kam: User, period: Period) -> Statement:
    """The KAM's salary and commission for the period, a line per payment received."""
    plan = PayPlan.objects.filter(kam=kam, year=period.year).first()
    basis = plan.basis if plan else CommissionBasis.SALES
    accounts = Account.objects.filter(owner=kam)
    actual = _actual(accounts, period, basis)
    metric = Metric.MARGIN if basis == CommissionBasis.MARGIN else Metric.SALES
    target = scope_target(Scope("kam", str(kam), accounts, kam=kam), metric, period)
    attainment = actual / target if target else None
    rate = rate_for(plan, attainment) if plan else ZERO
    statement = Statement(
        kam=kam,
        period=period,
        plan=plan,
        basis=basis,
        actual=actual,
        target=target,
        attainment=attainment,
        rate=rate,
        accelerated=bool(plan and attainment is not None and attainment > 1),
        salary=_cents(plan.annual_salary * period.months / 12) if plan else ZERO,
    )
    if plan is None:
        return statement
    margins = _margin_rates(kam, period.year) if basis == CommissionBasis.MARGIN else {}
    statement.lines = [_line(p, basis, rate, margins) for p in _payments(kam, period)]
    return statement


def _tiers(rows: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    if not rows:
        raise ValidationError({"tiers": _("Give at least one commission tier.")})
    clean = []
    try:
        for row in rows:
            threshold = Decimal(str(row["from"]))
            rate = Decimal(str(row["rate"]))
            if threshold < 0 or not 0 <= rate <= 1:
                raise ValueError
            clean.append((threshold, rate))
    except (KeyError, ValueError, ArithmeticError):
        raise ValidationError(
            {"tiers": _("Each tier is an attainment from 0 (from) and a rate from 0 to 1.")}
        ) from None
    if len({threshold for threshold, _rate in clean}) != len(clean):
        raise ValidationError({"tiers": _("Two tiers start at the same attainment.")})
    return [{"from": str(t), "rate": str(r)} for t, r in sorted(clean)]


@transaction.atomic
def pay_plan_set(
    *,
    user: User,
    kam: User,
    year: int,
    annual_salary: Decimal,
    basis: str,
    tiers: Sequence[Mapping[str, object]],
    accelerator: Decimal = Decimal("1"),
    share_note: str = "",
) -> PayPlan:
    """An executive sets a KAM's pay plan for a year (anyone else: refused)."""
    if not _executive(user):
        raise PermissionDenied(_("Only an executive sets pay."))
    errors: dict[str, str] = {}
    if annual_salary < 0:
        errors["annual_salary"] = _("A salary cannot be negative.")
    if basis not in CommissionBasis.values:
        errors["basis"] = _("Commission on net sales or on gross margin.")
    if not 1 <= accelerator <= 5:
        errors["accelerator"] = _("An accelerator is from 1 to 5.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    if errors:
        raise ValidationError(errors)
    plan, _created = PayPlan.objects.update_or_create(
        kam=kam,
        year=year,
        defaults={
            "annual_salary": _cents(annual_salary),
            "basis": basis,
            "tiers": _tiers(tiers),
            "accelerator": accelerator,
            "share_note": share_note.strip(),
        },
    )
    return plan


def collected_total(kam: User, period: Period) -> Decimal:
    """Cash collected on the KAM's accounts in the period (the statement's check sum)."""
    return Payment.objects.filter(
        account__owner=kam, payment_date__gte=period.start, payment_date__lte=period.last_day
    ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
