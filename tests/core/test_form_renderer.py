"""The quick form renderer writes exactly what Django's widget templates write."""

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from khamrap.core.form_renderer import QuickRenderer
from khamrap.plans.forms import KpiForm, NameForm, NewKpiForm

TRICKY = "เชียงใหม่ <b>\"ร้อยละ\"</b> & 'ต่อปี'\nบรรทัดที่สอง"


class EveryWidgetForm(forms.Form):
    text = forms.CharField(max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    number = forms.IntegerField(min_value=0)
    email = forms.EmailField(required=False)
    url = forms.URLField(assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agreed = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "disabled": True, "hidden": False}))
    kind = forms.ChoiceField(
        choices=[("", "---"), ("เลือก", [("a", "ก <ข>"), ("b", mark_safe("<i>ค</i>"))]), ("c", "ง")]
    )
    numbers = forms.ChoiceField(choices=[(1, 1000), (2, 2000.5)])  # numeric labels: Django localises them
    many = forms.MultipleChoiceField(choices=[("x", "x"), ("y", "y")], required=False)
    pick = forms.ChoiceField(choices=[("x", "x")], widget=forms.RadioSelect)  # not built here: Django's


FORMS = [
    lambda renderer: KpiForm(prefix="k7", renderer=renderer),
    lambda renderer: KpiForm(
        prefix="k7",
        renderer=renderer,
        initial={"name": TRICKY, "weight": "5.25", "kpi_type": "milestone", "level_2": TRICKY, "remarks": ""},
    ),
    lambda renderer: KpiForm(
        {"k7-name": TRICKY, "k7-weight": "สิบ", "k7-target": "๑๒๓.๔๕๖๗๘", "k7-kpi_type": "nonsense"},
        prefix="k7",
        renderer=renderer,
    ),
    lambda renderer: NewKpiForm(renderer=renderer),
    lambda renderer: NameForm({"name": ""}, renderer=renderer),
    lambda renderer: AuthenticationForm(renderer=renderer),
    lambda renderer: EveryWidgetForm(renderer=renderer, initial={"text": TRICKY, "kind": "b", "many": ["y"]}),
    lambda renderer: EveryWidgetForm(
        {"text": TRICKY, "number": "-1", "secret": "<s>", "note": TRICKY, "agreed": "on", "kind": "a"},
        renderer=renderer,
    ),
]


@pytest.mark.parametrize("make", FORMS)
def test_every_widget_renders_exactly_as_django_renders_it(make) -> None:  # type: ignore[no-untyped-def]
    # given the same form rendered by Django's templates and by the quick renderer
    django_form, quick_form = make(DjangoTemplates()), make(QuickRenderer())
    django_form.is_bound and django_form.is_valid()
    quick_form.is_bound and quick_form.is_valid()
    # then every widget is the same, character for character
    for name in django_form.fields:
        assert str(quick_form[name]) == str(django_form[name]), name


def test_the_site_uses_the_quick_renderer() -> None:
    assert isinstance(get_default_renderer(), QuickRenderer)
