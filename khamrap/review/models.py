"""An analyst's review of one plan (DESIGN.md §4, the appropriateness analysis): per KPI a verdict, a comment
the province reads, proposed values and an internal note; the province's answer to each; the plan's internal
notes. KPIs are known by ``uid``, so a review survives renumbering, moves and re-imports of the plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.plans.models import Plan


class Verdict(models.TextChoices):
    PENDING = "", _("ยังไม่พิจารณา")
    APPROPRIATE = "appropriate", _("เหมาะสม")
    REVISE = "revise", _("ควรปรับปรุง")
    DROP = "drop", _("ควรตัดออก")


# Verdicts that ask the province for something.
ASKING_VERDICTS = frozenset({Verdict.REVISE, Verdict.DROP})


class Response(models.TextChoices):
    NONE = "", _("ยังไม่ตอบ")
    ACCEPTED = "accepted", _("ยอมรับข้อเสนอ")
    ANSWERED = "answered", _("ชี้แจง")


class PlanReview(models.Model):
    """The review of one plan: who reviews it, the internal notes, and how many times it was returned."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="review")
    notes = models.TextField(_("บันทึกภายใน (จังหวัดไม่เห็น)"), blank=True)
    rounds = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ส่งกลับ"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("การพิจารณาแบบฟอร์ม")
        verbose_name_plural = _("การพิจารณาแบบฟอร์ม")

    def __str__(self) -> str:
        return str(self.plan)


class KpiReview(models.Model):
    """The analyst's word on one KPI, and the province's answer to it.

    ``proposal`` holds the proposed values by registry field name (``name``, ``weight``, ``target``,
    ``criteria_1`` … ``criteria_5``) as stored text, each checked against the registry's bounds when saved.
    """

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="kpis")
    kpi_uid = models.UUIDField()
    # The KPI's number and name when the analyst last saved: what the page shows once the KPI is dropped.
    kpi_code = models.CharField(max_length=16, blank=True)
    kpi_name = models.CharField(max_length=500, blank=True)
    verdict = models.CharField(_("ผลการพิจารณา"), max_length=16, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("ความเห็นถึงจังหวัด"), blank=True)
    note = models.TextField(_("บันทึกภายใน (จังหวัดไม่เห็น)"), blank=True)
    proposal = models.JSONField(_("ค่าที่เสนอ"), default=dict, blank=True)
    # What the province was sent, as it stood at the return of round ``sent_round`` (0: never sent): the
    # answers page shows only this, never the analyst's draft of the next round.
    sent_round = models.PositiveSmallIntegerField(default=0)
    sent_verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    sent_comment = models.TextField(blank=True)
    sent_proposal = models.JSONField(default=dict, blank=True)
    response = models.CharField(_("คำตอบของจังหวัด"), max_length=16, choices=Response.choices, blank=True)
    answer = models.TextField(_("คำชี้แจงของจังหวัด"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "kpi_uid"], name="one_review_per_kpi")]
        verbose_name = _("การพิจารณาตัวชี้วัด")
        verbose_name_plural = _("การพิจารณาตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.review} {self.kpi_uid}"

    @property
    def asks(self) -> bool:
        """Whether the province is asked for something: a verdict to revise or drop, or a proposal."""
        return self.verdict in ASKING_VERDICTS or bool(self.proposal)

    @property
    def is_reviewed(self) -> bool:
        return bool(self.verdict)

    @property
    def sent_asks(self) -> bool:
        """Whether what the province was sent asks for something."""
        return self.sent_round > 0 and (self.sent_verdict in ASKING_VERDICTS or bool(self.sent_proposal))

    def send(self, round_: int) -> None:
        """What the analyst says now becomes what the province is sent in round ``round_``; the answer of an
        earlier round is cleared (it stays in the plan's history)."""
        self.sent_round = round_
        self.sent_verdict, self.sent_comment, self.sent_proposal = (
            self.verdict,
            self.comment,
            dict(self.proposal),
        )
        self.response, self.answer, self.responded_at, self.responded_by = Response.NONE, "", None, None
