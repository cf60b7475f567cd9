"""What the ledger's figures are, said where they are shown: ``{% net_of_vat %}`` is the note
that revenue and margins are net of VAT (ledger.vat), with its translation in this app."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def net_of_vat() -> str:
    return _("Revenue and margins are net of VAT.")
