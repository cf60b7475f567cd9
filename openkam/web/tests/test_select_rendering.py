"""Filter selects are written directly (not through Django's per-option widget templates);
what the browser receives must be what Django's own widget would send."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms

from openkam.web.templatetags.openkam_ui import as_select


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def parsed(html: str) -> tuple[list[tuple[str, dict[str, str | None]]], list[str]]:
    parser = Parsed()
    parser.feed(html)
    return parser.tags, parser.texts


class Filters(forms.Form):
    tier = forms.ChoiceField(
        required=False,
        choices=[("", "All tiers"), ("key", "Key <&> account"), ("general", "General")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kinds = forms.MultipleChoiceField(required=False, choices=[("a", "A"), ("b", "B")])
    grouped = forms.ChoiceField(required=False, choices=[("East", [("sh", "Shanghai")])])
    name = forms.CharField(required=False)


def test_a_select_matches_djangos_own_rendering_with_the_chosen_value_selected() -> None:
    form = Filters({"tier": "key"})
    ours = parsed(str(as_select(form["tier"])))
    theirs = parsed(str(form["tier"]))
    assert ours == theirs
    options = [attrs for tag, attrs in ours[0] if tag == "option"]
    assert [o["value"] for o in options] == ["", "key", "general"]
    assert [("selected" in o) for o in options] == [False, True, False]
    assert ours[1][1] == "Key <&> account"  # the label is escaped, then read back as text
    assert "&lt;&amp;&gt;" in str(as_select(form["tier"]))


def test_an_unbound_select_selects_the_empty_choice() -> None:
    html = str(as_select(Filters()["tier"]))
    assert '<option value="" selected>All tiers</option>' in html
    for attribute in ('name="tier"', 'id="id_tier"', 'class="form-select"'):
        assert attribute in html


def test_other_widgets_and_option_groups_render_as_django_renders_them() -> None:
    form = Filters({"kinds": ["a"], "grouped": "sh", "name": "x"})
    for name in ("kinds", "grouped", "name"):
        assert str(as_select(form[name])) == str(form[name])
