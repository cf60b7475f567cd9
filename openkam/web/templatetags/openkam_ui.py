"""Formatting and small UI helpers shared by every page: money, percentages, badges, sorting.

Money is grouped by thousands with commas in every language: the zh-hans locale of Django
groups by 10,000 without a separator, which finance users do not read on screens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.core.paginator import Page
from django.db.models import Model
from django.forms import BoundField
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy

from openkam.accounts.models import LifecycleStage, Tier
from openkam.common.money import CURRENCY_SYMBOLS, grouped, spoken
from openkam.common.money import decimal_or_none as _decimal
from openkam.portfolio import forecast, labels

register = template.Library()

CURRENCY_NAMES = {
    "CNY": pgettext_lazy("currency", "Renminbi"),
    "USD": pgettext_lazy("currency", "US dollar"),
    "EUR": pgettext_lazy("currency", "Euro"),
    "HKD": pgettext_lazy("currency", "Hong Kong dollar"),
    "GBP": pgettext_lazy("currency", "Pound sterling"),
}

TIER_COLORS = {"strategic": "purple", "key": "blue", "major": "teal", "general": "secondary"}
LIFECYCLE_COLORS = {
    "identification": "secondary",
    "building": "cyan",
    "deepening": "green",
    "maintenance": "blue",
    "churn_warning": "orange",
    "win_back": "yellow",
    "lost": "red",
}
RELATIONSHIP_COLORS = {
    "pre": "secondary",
    "early": "azure",
    "mid": "blue",
    "partnership": "indigo",
    "synergistic": "purple",
}
SUPPORT_COLORS = {-2: "red", -1: "orange", 0: "secondary", 1: "lime", 2: "green"}
LEVEL_COLORS = {"low": "secondary", "medium": "yellow", "high": "red"}


def money_full(value: object, currency: str | None = None) -> str:
    """The exact figure: `1234567.8|money_full` -> "¥1,234,568"; None -> "—"."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    code = currency or str(settings.OPENKAM_CURRENCY)
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{grouped(abs(amount), 0)}"


register.filter("money_full", money_full)


def money_short(value: object, currency: str | None = None) -> str:
    """The amount as read aloud: "¥1.23万", "¥1.23亿" in Chinese, "¥1.2M" in English (text only)."""
    return spoken(value, currency)


register.filter("money_short", money_short)


@register.filter
def currency_label(code: str | None) -> str:
    """A currency as people name it: "CNY" -> "人民币 ¥" (never the ISO code alone on a page)."""
    if not code:
        return "—"
    name = CURRENCY_NAMES.get(code)
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{name} {symbol}" if name and symbol else code


@register.filter
def money(value: object, currency: str | None = None) -> str:
    """Money on a page (KPI cards, tables, sentences): the short form, the exact figure on hover.

    `12345|money` -> `<span title="¥12,345">¥1.23万</span>` in Chinese, `¥12.3K` in English; an
    amount under 10,000 (1,000 in English) is shown whole, without a span; None -> "—".
    Use `money_full` where the exact figure must be read (forms, exports), `money_short` inside
    an attribute."""
    short, full = money_short(value, currency), money_full(value, currency)
    if short == full:
        return full
    return format_html('<span class="okam-money" title="{}">{}</span>', full, short)


@register.filter
def ago(value: dt.date | dt.datetime | None, today: dt.date | None = None) -> str:
    """A past (or coming) day in words, counted in days: "今天", "昨天", "5 天前", "3 个月前";
    "明天", "5 天后". The exact date belongs in a title attribute beside it."""
    if value is None or value == "":
        return "—"
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    days = ((today or timezone.localdate()) - day).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    if days == -1:
        return gettext("tomorrow")
    count = abs(days)
    if count < 60:
        unit, n = "days", count
    elif count < 730:
        unit, n = "months", round(count / 30.44)
    else:
        unit, n = "years", round(count / 365.25)
    words = {
        ("days", True): ngettext("%(n)d day ago", "%(n)d days ago", n),
        ("months", True): ngettext("%(n)d month ago", "%(n)d months ago", n),
        ("years", True): ngettext("%(n)d year ago", "%(n)d years ago", n),
        ("days", False): ngettext("in %(n)d day", "in %(n)d days", n),
        ("months", False): ngettext("in %(n)d month", "in %(n)d months", n),
        ("years", False): ngettext("in %(n)d year", "in %(n)d years", n),
    }
    return words[(unit, days > 0)] % {"n": n}


@register.filter
def number(value: object, decimals: int = 0) -> str:
    amount = _decimal(value)
    return "—" if amount is None else grouped(amount, int(decimals))


@register.filter
def percent(value: object, decimals: int = 1) -> str:
    """A ratio as a percentage: `0.1234|percent` -> "12.3%"."""
    ratio = _decimal(value)
    return "—" if ratio is None else f"{grouped(ratio * 100, int(decimals))}%"


@register.filter
def signed_percent(value: object, decimals: int = 1) -> str:
    ratio = _decimal(value)
    if ratio is None:
        return "—"
    return f"{'+' if ratio > 0 else ''}{grouped(ratio * 100, int(decimals))}%"


@register.filter
def ratio_of(value: object, total: object) -> Decimal | None:
    """`part|ratio_of:whole` -> part / whole, or None when the whole is zero or missing."""
    part, whole = _decimal(value), _decimal(total)
    if part is None or not whole:
        return None
    return part / whole


@register.filter
def bar_width(value: object) -> str:
    """A ratio as a CSS width between 0% and 100%."""
    ratio = _decimal(value) or Decimal(0)
    return f"{min(max(ratio * 100, Decimal(0)), Decimal(100)):.1f}%"


@register.filter
def tier_color(tier: str) -> str:
    return TIER_COLORS.get(tier, "secondary")


@register.filter
def lifecycle_color(stage: str) -> str:
    return LIFECYCLE_COLORS.get(stage, "secondary")


@register.filter
def relationship_color(stage: str) -> str:
    return RELATIONSHIP_COLORS.get(stage, "secondary")


@register.filter
def support_color(support: int) -> str:
    return SUPPORT_COLORS.get(support, "secondary")


@register.filter
def level_color(level: str) -> str:
    return LEVEL_COLORS.get(level, "secondary")


@register.filter
def field_label(obj: Model, name: str) -> str:
    """The translated verbose name of a model field, capitalised: `snapshot|field_label:"clv"`."""
    field = obj._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


@register.filter
def churn_color(level: str | None) -> str:
    return labels.CHURN_COLORS.get(level or "", "secondary")


@register.filter
def churn_label(level: str | None) -> str:
    return str(labels.CHURN_LEVELS.get(level or "", "—"))


@register.filter
def churn_reason(code: str) -> str:
    return labels.churn_reason(code)


@register.filter
def abc_color(abc_class: str | None) -> str:
    return labels.ABC_COLORS.get(abc_class or "", "secondary")


@register.filter
def loyalty_name(code: str) -> str:
    label = labels.LOYALTY_TYPES.get(code)
    return str(label.name) if label else "—"


@register.filter
def loyalty_advice(code: str) -> str:
    label = labels.LOYALTY_TYPES.get(code)
    return str(label.advice) if label else ""


@register.filter
def quadrant_name(code: str) -> str:
    label = labels.QUADRANTS.get(code)
    return str(label.name) if label else "—"


@register.filter
def quadrant_advice(code: str) -> str:
    label = labels.QUADRANTS.get(code)
    return str(label.advice) if label else ""


@register.filter
def forecast_method(code: str) -> str:
    return str(labels.FORECAST_METHODS.get(code, code or "—"))


@register.filter
def forecast_explanation(code: str) -> str:
    """How a snapshot's forecast was made, in one line (portfolio.forecast)."""
    return forecast.forecast_explanation(code)


@register.simple_tag
def forecast_list_explanation() -> str:
    return forecast.list_explanation()


@register.filter
def month_name(month: int | None) -> str:
    return str(MONTHS[month]) if month in MONTHS else "—"


@register.filter
def indent(depth: int, step: float = 1.5) -> str:
    """The left padding, in rem, of a row `depth` levels down a tree."""
    return f"{depth * step:.2f}rem"


@register.simple_tag(takes_context=True)
def sort_url(context: template.Context, key: str) -> str:
    """The current URL sorted by `key`: ascending first, descending when already ascending;
    the filters stay, the page goes back to the first."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    current = context.get("sort", "")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def sort_icon(context: template.Context, key: str) -> str:
    current = context.get("sort", "")
    if current == key:
        return "ti-sort-ascending"
    if current == f"-{key}":
        return "ti-sort-descending"
    return "ti-arrows-sort"


@register.simple_tag
def elided_pages(page: Page) -> list[int | str]:
    """Page numbers around the current one, with ellipses, for the pagination bar."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def criterion_name(criterion: object) -> str:
    """A scorecard criterion in the page's language (the criteria keep both names)."""
    chinese = (translation.get_language() or "").startswith("zh")
    return str(getattr(criterion, "name" if chinese else "name_en", "") or criterion)


@register.filter
def signed_number(value: object, decimals: int = 1) -> str:
    """A change with its sign: +3.5, −2.0, ±0."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if amount == 0:
        return "±0"
    sign = "+" if amount > 0 else "−"
    return sign + number(abs(amount), decimals)


@register.filter
def minus(value: object, other: object) -> float | None:
    """`new|minus:old` is the change new − old (None when either is missing)."""
    if value is None or other is None:
        return None
    return float(value) - float(other)  # type: ignore[arg-type]


@register.filter
def parse_date(value: str | None) -> dt.date | None:
    """An ISO date kept as text (the dashboard's figures are JSON) back to a date."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@register.filter
def tier_label(code: str) -> str:
    return str(dict(Tier.choices).get(code, code))


@register.filter
def stage_label(code: str) -> str:
    return str(dict(LifecycleStage.choices).get(code, code))


@register.filter
def as_select(bound: BoundField) -> str:
    """A single-choice field as a <select>, written here rather than through Django's widget
    templates, which render every option through the template engine (on the dashboard's
    and the account list's filters, a long list of KAMs cost milliseconds per page). Other
    widgets render as usual."""
    widget = bound.field.widget
    if not isinstance(widget, forms.Select) or widget.allow_multiple_selected:
        return bound.as_widget()
    attrs = bound.build_widget_attrs({**widget.attrs, "name": bound.html_name})
    if bound.auto_id and "id" not in attrs:
        attrs["id"] = bound.auto_id
    # iter() first: list() of a model field's choices would ask their length (a COUNT query).
    choices = list(iter(bound.field.choices))  # type: ignore[attr-defined]
    if any(isinstance(label, list | tuple) for _, label in choices):
        return bound.as_widget()  # option groups: Django's own rendering
    chosen = "" if bound.value() is None else str(bound.value())
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in choices
        ),
    )
    return format_html("<select{}>{}</select>", flatatt(attrs), options)
