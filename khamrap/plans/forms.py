"""Forms of the web negotiation form. Numbers are read the Thai way (1,234.5 and Thai digits)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khamrap.core.errors import in_language
from khamrap.plans.models import Kpi, KpiType
from khamrap.plans.schema import (
    KPI_FIELDS,
    LEVELS,
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    SUBSTEPS_LENGTH,
    Kind,
    KpiField,
)
from khamrap.scoring.bounds import MEASURE, NumberBounds
from khamrap.thai.dates import ThaiDateError, parse_be_date
from khamrap.thai.numbers import ThaiNumberError, parse_decimal
from khamrap.thai.text import normalise

FLAG_CHOICES = [("False", _("ไม่ใช่")), ("True", _("ใช่"))]
NUMBER_TEXT_LENGTH = 40  # the longest number a person types, separators included


class ThaiDecimalField(forms.CharField):
    """A number typed as 1,234.5 or ๑,๒๓๔.๕ within the registry's bounds; empty is allowed (a draft may be
    incomplete)."""

    def __init__(self, *, bounds: NumberBounds = MEASURE, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        self.bounds = bounds
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(NUMBER_TEXT_LENGTH)}
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > NUMBER_TEXT_LENGTH:
            raise ValidationError(in_language("ตัวเลขยาวเกินไป", "The number is too long", get_language()))
        try:
            number = parse_decimal(text)
        except ThaiNumberError as error:
            raise ValidationError(in_language(error.message_th, error.message_en, get_language())) from error
        problem = self.bounds.problem(number)
        if problem is not None:
            raise ValidationError(in_language(*problem, get_language()))
        return number


class ThaiTextField(forms.CharField):
    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalise(super().to_python(value) or "", multiline=self.multiline)


class BuddhistEraDateField(forms.CharField):
    """A date typed as people write it here (``15/10/2550``, ``15 ต.ค. 2550``), read by
    :func:`~khamrap.thai.dates.parse_be_date`; a date it cannot read is refused with its Thai/English reason."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = normalise(super().to_python(value) or "")
        if not text:
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(_("วันที่ยาวเกินไป เช่น 31/10/2550"))
        try:
            return parse_be_date(text)
        except ThaiDateError as error:
            raise forms.ValidationError(
                in_language(error.message_th, error.message_en, get_language())
            ) from error

    def run_validators(self, value: Any) -> None:
        return  # the length is checked on the text, before it becomes a date


class NameForm(forms.Form):
    name = ThaiTextField(required=True, max_length=NAME_LENGTH, label="ชื่อ")


class NewKpiForm(forms.Form):
    name = ThaiTextField(required=True, max_length=NAME_LENGTH, label="ชื่อตัวชี้วัด")
    kpi_type = forms.ChoiceField(choices=KpiType.choices, initial=KpiType.QUANTITATIVE, label="ประเภทตัวชี้วัด")


def registry_form_field(field: KpiField) -> forms.Field:
    """The form field of a registry field: its kind, its bounds, its length."""
    label = field.heading
    if field.is_number:
        assert field.bounds is not None
        return ThaiDecimalField(bounds=field.bounds, label=label)
    if field.choices is not None:
        return forms.ChoiceField(choices=field.choices.choices, label=label)
    if field.is_flag:
        # a dropdown, not a checkbox: it is always sent, so autosave can tell "no" from "not on this page"
        return forms.TypedChoiceField(
            choices=FLAG_CHOICES,
            coerce=lambda value: value == "True",
            empty_value=False,  # type: ignore[arg-type]
            required=False,
            label=label,
        )
    multiline = field.kind is Kind.LONG
    return ThaiTextField(multiline=multiline, max_length=field.max_length, label=label)


def _level_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for n in LEVELS:
        fields[f"level_{n}"] = ThaiTextField(multiline=True, max_length=LONG_TEXT_LENGTH, label=f"ระดับ {n}")
        fields[f"substeps_{n}"] = ThaiTextField(
            multiline=True, max_length=SUBSTEPS_LENGTH, label=f"ขั้นตอนย่อยระดับ {n}"
        )
    return fields


class _KpiFormBase(forms.Form):
    """One KPI row. Saving a draft keeps every field that parsed; the rest are reported next to the field."""

    MODEL_FIELDS = tuple(field.name for field in KPI_FIELDS)

    @classmethod
    def initial_for(cls, kpi: Kpi) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(kpi, name) for name in cls.MODEL_FIELDS}
        for name in cls.MODEL_FIELDS:
            if isinstance(initial[name], Decimal):
                initial[name] = f"{initial[name].normalize():f}"
        for level in kpi.levels.all():
            initial[f"level_{level.level}"] = level.description
            initial[f"substeps_{level.level}"] = "\n".join(level.substeps)
        return initial

    def _sent(self, name: str) -> bool:
        return self.add_prefix(name) in self.data

    def valid_values(self) -> dict[str, Any]:
        """The model fields that were sent and parsed (call after ``is_valid()``): a page may send only the
        fields it changed; a name is never blanked by autosave."""
        values = {
            name: self.cleaned_data[name]
            for name in self.MODEL_FIELDS
            if name in self.cleaned_data and self._sent(name)
        }
        if not values.get("name"):
            values.pop("name", None)
        return values

    def valid_levels(self) -> dict[int, tuple[str, list[str]]]:
        levels = {}
        for n in LEVELS:
            names = (f"level_{n}", f"substeps_{n}")
            if all(name in self.cleaned_data and self._sent(name) for name in names):
                steps = [s.strip() for s in self.cleaned_data[f"substeps_{n}"].splitlines() if s.strip()]
                levels[n] = (self.cleaned_data[f"level_{n}"], steps)
        return levels


# The form's fields come from the registry (and the five milestone levels), in the registry's order.
KpiForm: type[_KpiFormBase] = type(
    "KpiForm",
    (_KpiFormBase,),
    {**{field.name: registry_form_field(field) for field in KPI_FIELDS}, **_level_fields()},
)
