"""Forms of the web negotiation form. Numbers are read the Thai way (1,234.5 and Thai digits)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from khamrap.plans.models import Direction, Kpi, KpiType
from khamrap.plans.schema import LEVELS
from khamrap.thai.numbers import ThaiNumberError, parse_decimal
from khamrap.thai.text import normalise


class ThaiDecimalField(forms.CharField):
    """A number typed as 1,234.5 or ๑,๒๓๔.๕; empty is allowed (a draft may be incomplete)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 40:
            raise ValidationError("ตัวเลขยาวเกินไป")
        try:
            number = parse_decimal(text)
        except ThaiNumberError as error:
            raise ValidationError(error.message_th) from error
        if abs(number) >= Decimal("1e15"):
            raise ValidationError("ตัวเลขมากเกินไป")
        if number != number.quantize(Decimal("0.0001")):
            raise ValidationError("ทศนิยมได้ไม่เกิน 4 ตำแหน่ง")
        return number


class ThaiTextField(forms.CharField):
    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalise(super().to_python(value) or "", multiline=self.multiline)


class NameForm(forms.Form):
    name = ThaiTextField(required=True, max_length=500, label="ชื่อ")


class NewKpiForm(forms.Form):
    name = ThaiTextField(required=True, max_length=500, label="ชื่อตัวชี้วัด")
    kpi_type = forms.ChoiceField(choices=KpiType.choices, initial=KpiType.QUANTITATIVE, label="ประเภทตัวชี้วัด")


class KpiForm(forms.Form):
    """One KPI row. Saving a draft keeps every field that parsed; the rest are reported next to the field."""

    name = ThaiTextField(max_length=500, label="ชื่อตัวชี้วัด")
    unit = ThaiTextField(max_length=100, label="หน่วยวัด")
    weight = ThaiDecimalField(label="น้ำหนัก (ร้อยละ)")
    kpi_type = forms.ChoiceField(choices=KpiType.choices, label="ประเภทตัวชี้วัด")
    direction = forms.ChoiceField(choices=Direction.choices, label="ทิศทาง")
    baseline_1 = ThaiDecimalField()
    baseline_2 = ThaiDecimalField()
    baseline_3 = ThaiDecimalField()
    target = ThaiDecimalField(label="ค่าเป้าหมาย")
    criteria_1 = ThaiDecimalField(label="ระดับ 1")
    criteria_2 = ThaiDecimalField(label="ระดับ 2")
    criteria_3 = ThaiDecimalField(label="ระดับ 3")
    criteria_4 = ThaiDecimalField(label="ระดับ 4")
    criteria_5 = ThaiDecimalField(label="ระดับ 5")
    level_1 = ThaiTextField(multiline=True, label="ระดับ 1")
    level_2 = ThaiTextField(multiline=True, label="ระดับ 2")
    level_3 = ThaiTextField(multiline=True, label="ระดับ 3")
    level_4 = ThaiTextField(multiline=True, label="ระดับ 4")
    level_5 = ThaiTextField(multiline=True, label="ระดับ 5")
    substeps_1 = ThaiTextField(multiline=True, label="ขั้นตอนย่อยระดับ 1")
    substeps_2 = ThaiTextField(multiline=True, label="ขั้นตอนย่อยระดับ 2")
    substeps_3 = ThaiTextField(multiline=True, label="ขั้นตอนย่อยระดับ 3")
    substeps_4 = ThaiTextField(multiline=True, label="ขั้นตอนย่อยระดับ 4")
    substeps_5 = ThaiTextField(multiline=True, label="ขั้นตอนย่อยระดับ 5")
    definition = ThaiTextField(multiline=True, label="คำอธิบาย / นิยาม")
    formula = ThaiTextField(multiline=True, label="สูตรการคำนวณ")
    data_source = ThaiTextField(multiline=True, label="แหล่งข้อมูล")
    supervisor_name = ThaiTextField(max_length=200, label="ผู้กำกับดูแลตัวชี้วัด")
    supervisor_phone = ThaiTextField(max_length=60, label="โทรศัพท์")
    collector_name = ThaiTextField(max_length=200, label="ผู้จัดเก็บข้อมูล")
    collector_phone = ThaiTextField(max_length=60, label="โทรศัพท์")
    remarks = ThaiTextField(multiline=True, label="หมายเหตุ")

    MODEL_FIELDS = (
        "name", "unit", "weight", "kpi_type", "direction", "baseline_1", "baseline_2", "baseline_3", "target",
        "criteria_1", "criteria_2", "criteria_3", "criteria_4", "criteria_5", "definition", "formula",
        "data_source", "supervisor_name", "supervisor_phone", "collector_name", "collector_phone", "remarks",
    )  # fmt: skip

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

    def valid_values(self) -> dict[str, Any]:
        """The model fields that parsed (call after ``is_valid()``); a name is never blanked by autosave."""
        values = {name: self.cleaned_data[name] for name in self.MODEL_FIELDS if name in self.cleaned_data}
        if not values.get("name"):
            values.pop("name", None)
        return values

    def valid_levels(self) -> dict[int, tuple[str, list[str]]]:
        levels = {}
        for n in LEVELS:
            if f"level_{n}" in self.cleaned_data and f"substeps_{n}" in self.cleaned_data:
                steps = [s.strip() for s in self.cleaned_data[f"substeps_{n}"].splitlines() if s.strip()]
                levels[n] = (self.cleaned_data[f"level_{n}"], steps)
        return levels
