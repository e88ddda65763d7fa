"""The review page's forms. Proposed values take their fields (kind, bounds, length) from the plan's
registry, so a proposal the page accepts is one the KPI's columns hold when the province accepts it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khamrap.plans.forms import BuddhistEraDateField, ThaiTextField, registry_form_field
from khamrap.plans.schema import FIELDS, LONG_TEXT_LENGTH
from khamrap.review.models import KpiReview, Verdict
from khamrap.review.services import PROPOSED_FIELDS


class _KpiReviewBase(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices, required=False, label=_("ผลการพิจารณา"))
    comment = ThaiTextField(multiline=True, max_length=LONG_TEXT_LENGTH, label=_("ความเห็นถึงจังหวัด"))
    note = ThaiTextField(multiline=True, max_length=LONG_TEXT_LENGTH, label=_("บันทึกภายใน (จังหวัดไม่เห็น)"))

    @classmethod
    def initial_for(cls, kpi_review: KpiReview | None) -> dict[str, Any]:
        if kpi_review is None:
            return {}
        return {
            "verdict": kpi_review.verdict,
            "comment": kpi_review.comment,
            "note": kpi_review.note,
            **{f"proposed_{name}": text for name, text in kpi_review.proposal.items()},
        }

    def proposed(self) -> dict[str, Any]:
        """The proposed values that parsed, by registry field name (call after ``is_valid()``)."""
        return {
            name: self.cleaned_data[f"proposed_{name}"]
            for name in PROPOSED_FIELDS
            if f"proposed_{name}" in self.cleaned_data
        }


def _proposed_field(name: str) -> forms.Field:
    field = registry_form_field(FIELDS[name])
    field.required = False
    return field


KpiReviewForm: type[_KpiReviewBase] = type(
    "KpiReviewForm",
    (_KpiReviewBase,),
    {f"proposed_{name}": _proposed_field(name) for name in PROPOSED_FIELDS},
)


class NotesForm(forms.Form):
    notes = ThaiTextField(multiline=True, max_length=LONG_TEXT_LENGTH * 4, label=_("บันทึกภายใน (จังหวัดไม่เห็น)"))


class AnswerForm(forms.Form):
    answer = ThaiTextField(multiline=True, required=True, max_length=LONG_TEXT_LENGTH, label=_("คำชี้แจง"))


class ReturnForm(forms.Form):
    """The return for revision: a message to the province and the date the revision is due."""

    message = ThaiTextField(multiline=True, max_length=LONG_TEXT_LENGTH, label=_("ข้อความถึงจังหวัด"))
    revise_by = BuddhistEraDateField(required=True, label=_("กำหนดส่งฉบับแก้ไข (วว/ดด/ปปปป พ.ศ.)"))


class ReadyForm(forms.Form):
    note = ThaiTextField(multiline=True, max_length=2000, label=_("ความเห็นถึงจังหวัด (ถ้ามี)"))
