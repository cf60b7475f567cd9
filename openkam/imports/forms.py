"""Input schemas of the imports pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openkam.imports import assigning, presets
from openkam.imports.kinds import KINDS
from openkam.imports.models import ImportRun, Kind
from openkam.imports.reference import field_named, fields_listed, joined
from openkam.team.models import Team, User

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")
ENCODINGS = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("gb18030", "GB18030"),
    ("big5", "Big5"),
    ("utf-16", "UTF-16"),
]


def preset_choices() -> list[tuple[Any, Any]]:
    """Recognised from the header, none, or one of the presets (grouped by kind)."""
    groups = [
        (label, [(p.key, p.name) for p in presets.presets_of(str(kind))])
        for kind, label in Kind.choices
    ]
    return [
        ("", _("Recognise from the header")),
        (presets.NONE, _("None: the columns by their names")),
        *((label, choices) for label, choices in groups if choices),
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=Kind.choices)
    preset = forms.ChoiceField(
        label=_("ERP export"),
        choices=preset_choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "preset-select"}),
        help_text=_("用友, 金蝶 and SAP exports are recognised from their header row."),
    )
    source = forms.CharField(
        label=_("Source system"),
        max_length=40,
        initial="erp",
        help_text=_("e.g. 用友U8, 金蝶K3, SAP: keys are unique within a source."),
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=ENCODINGS,
        required=False,
        help_text=_("Detect reads UTF-8 and GB18030 (the Chinese ERPs' own) without help."),
    )
    sheet = forms.CharField(label=_("Sheet"), max_length=100, required=False,
                            help_text=_("Empty: the first sheet."))  # fmt: skip
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("quantity=cds")}),
        help_text=_(
            "One field=column per line, for columns that are not recognised: the field "
            "by its label (see the column reference), the column as the file names it."
        ),
    )
    save_mapping = forms.BooleanField(label=_("Remember this mapping for the source"),
                                      required=False)  # fmt: skip
    atomic = forms.BooleanField(
        label=_("All or nothing"),
        required=False,
        help_text=_("Apply nothing if any row is rejected."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] | None = None, **kwargs: Any):
        """``kinds``: those the user may import (selectors.kinds_for), else every kind."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("Upload a CSV or spreadsheet file (%(suffixes)s).")
                % {"suffixes": ", ".join(SUFFIXES)}
            )
        if upload.size > settings.IMPORT_MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB, the most an import accepts.")
                % {"limit": settings.IMPORT_MAX_FILE_MB}
            )
        return upload

    def clean_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), 1):
            if not line.strip():
                continue
            field_name, sep, header = line.partition("=")
            if not sep or not field_name.strip() or not header.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write field=header.") % {"number": number}
                )
            mapping[field_name.strip()] = header.strip()
        return mapping

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, mapping = data.get("kind"), data.get("mapping") or {}
        chosen = presets.PRESETS.get(data.get("preset") or "")
        if chosen is not None and chosen.kind != kind:
            self.add_error(
                "preset",
                _("%(preset)s is an export of %(kind)s: choose that kind, or another export.")
                % {"preset": chosen.name, "kind": Kind(chosen.kind).label},
            )
        if kind in KINDS and mapping:
            unknown = [name for name in mapping if field_named(KINDS[kind], name) is None]
            if unknown:
                self.add_error(
                    "mapping",
                    _("Unknown fields: %(fields)s. The fields are: %(known)s.")
                    % {"fields": joined(unknown), "known": fields_listed(KINDS[kind])},
                )
        return data


class RunFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices],
                             required=False)  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ImportRun.Status.choices], required=False
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("reject", _("Reject"))])


class MergeForm(forms.Form):
    keep = forms.IntegerField(min_value=1)
    drop = forms.IntegerField(min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("keep") and data.get("keep") == data.get("drop"):
            raise forms.ValidationError(_("Choose two different accounts."))
        return data


ASSIGN_SORTS = [
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("team", _("Team")),
    ("owner", _("Owner")),
]


class AssignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=ASSIGN_SORTS, required=False)


class AccountIdsField(forms.Field):
    """The ids of the ticked accounts (whether the user may assign each is the service's
    check: an account they may not is absent, 404)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Not an account ID."), code="invalid") from exc


class AssignForm(forms.Form):
    """The accounts ticked on the page, the team and (optionally) the owner they get."""

    accounts = AccountIdsField(
        label=_("Accounts"), error_messages={"required": _("Tick at least one account.")}
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A key account manager of the team; empty: the team's, no owner yet."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = assigning.assign_teams(user)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = assigning.team_kams()  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = str  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, owner = data.get("team"), data.get("owner")
        outside = owner is not None and not assigning.team_kams(team).filter(pk=owner.pk).exists()
        if team is not None and outside:
            self.add_error(
                "owner",
                _("%(owner)s is not a key account manager of %(team)s.")
                % {"owner": owner, "team": team},
            )
        return data
