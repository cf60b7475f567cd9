"""Abstract bases shared by the domain apps."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. CNY."))


def default_currency() -> str:
    return str(settings.OPENKAM_CURRENCY)


class MoneyField(models.DecimalField):
    """An amount of money: 18 digits, 2 decimals. Its currency lives in a sibling field."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("default", Decimal("0"))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class CurrencyField(models.CharField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("default", default_currency)
        kwargs.setdefault("validators", [currency_validator])
        kwargs.setdefault("verbose_name", _("currency"))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SourcedFact(TimeStamped):
    """A fact about an account that says where it came from and when it was true."""

    source = models.CharField(_("source"), max_length=200, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)

    class Meta:
        abstract = True


class ExternalRow(models.Model):
    """A row that came from an ERP: (source, external_id) identifies it, so re-imports are
    idempotent. Rows typed in by hand have an empty external_id and no uniqueness claim."""

    source = models.CharField(_("source system"), max_length=40, default="manual")
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)

    class Meta:
        abstract = True
