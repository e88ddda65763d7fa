"""Fiscal years with their calendar, and the evaluation framework of each year and organisation kind."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.orgs.models import OrganisationKind

BANGKOK = ZoneInfo("Asia/Bangkok")


class FiscalYear(models.Model):
    """A Thai fiscal year, numbered in the Buddhist Era (FY2551 = 1 Oct 2550 – 30 Sep 2551)."""

    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    starts_on = models.DateField(_("วันเริ่มปีงบประมาณ"))
    ends_on = models.DateField(_("วันสิ้นปีงบประมาณ"))
    briefing_on = models.DateField(_("วันชี้แจงกรอบการประเมินผล"), null=True, blank=True)
    submission_deadline = models.DateField(_("กำหนดส่งแบบฟอร์มเจรจา"))
    submission_open = models.BooleanField(_("เปิดรับแบบฟอร์ม"), default=True)
    # Counts every opening and closing of the window: the number of a close names it in its notices, so
    # the same close never notifies twice and a close after a reopening is a new one.
    submission_window_changes = models.PositiveIntegerField(
        _("จำนวนครั้งที่เปิดหรือปิดรับแบบฟอร์ม"), default=0, editable=False
    )
    reminder_days = models.CharField(
        _("แจ้งเตือนก่อนกำหนดส่ง (วัน)"),
        max_length=60,
        default="7,3,1",
        blank=True,
        validators=[validate_comma_separated_integer_list],
        help_text=_("จำนวนวันก่อนกำหนดส่งที่ระบบแจ้งเจ้าหน้าที่ของหน่วยงานที่ยังไม่ส่ง คั่นด้วยจุลภาค เช่น 7,3,1"),
    )
    negotiation_starts_on = models.DateField(_("เริ่มการเจรจา"), null=True, blank=True)
    negotiation_ends_on = models.DateField(_("สิ้นสุดการเจรจา"), null=True, blank=True)
    structure_on = models.DateField(
        _("วันอ้างอิงโครงสร้างกลุ่มจังหวัด"),
        help_text=_("จังหวัดและกลุ่มจังหวัดของปีนี้คือที่มีผลในวันนี้"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"

    @property
    def baseline_years(self) -> tuple[int, int, int]:
        """The three previous fiscal years whose results form a KPI's baseline (2548–2550 for 2551)."""
        return (self.year - 3, self.year - 2, self.year - 1)

    @property
    def reminder_day_numbers(self) -> frozenset[int]:
        """The reminder days as numbers: "7,3,1" → {7, 3, 1}."""
        return frozenset(int(day) for day in self.reminder_days.split(",") if day.strip())

    def deadline_end(self, until: date | None = None) -> datetime:
        """The last moment a submission counts as on time: the end of the deadline day in Bangkok."""
        return datetime.combine(until or self.submission_deadline, time.max, tzinfo=BANGKOK)


class ReportRound(models.Model):
    """A reporting round of the year: results at 6, 9 and 12 months."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="report_rounds")
    months = models.PositiveSmallIntegerField(_("รอบ (เดือน)"))
    period_ends_on = models.DateField(_("ผลการดำเนินงานถึงวันที่"))
    due_on = models.DateField(_("กำหนดส่งรายงาน"))

    class Meta:
        ordering = ["fiscal_year", "months"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "months"], name="unique_round_per_year")
        ]
        verbose_name = _("รอบการรายงาน")
        verbose_name_plural = _("รอบการรายงาน")

    def __str__(self) -> str:
        return f"รอบ {self.months} เดือน"


class ScoringMethod(models.TextChoices):
    INTERPOLATION = "interpolation", _("เทียบเกณฑ์รายตัวชี้วัด (ค่าระหว่างช่วง)")
    PERCENT_OF_TARGET = "percent_of_target", _("ร้อยละความสำเร็จเทียบค่าเป้าหมาย")


class Framework(models.Model):
    """กรอบการประเมินผล: dimensions and indicators with weights for one fiscal year and organisation kind."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="frameworks")
    organisation_kind = models.CharField(
        _("ประเภทหน่วยงาน"),
        max_length=16,
        choices=[
            (OrganisationKind.PROVINCE.value, _("จังหวัด")),
            (OrganisationKind.CLUSTER.value, _("กลุ่มจังหวัด")),
        ],
    )
    name_th = models.CharField(_("ชื่อกรอบ"), max_length=300)
    scoring_method = models.CharField(
        _("วิธีคำนวณคะแนน"), max_length=32, choices=ScoringMethod.choices, default=ScoringMethod.INTERPOLATION
    )
    floor_score = models.DecimalField(_("คะแนนต่ำสุด"), max_digits=6, decimal_places=4, default=Decimal(1))
    not_reported_score = models.DecimalField(
        _("คะแนนเมื่อไม่รายงานผล"), max_digits=6, decimal_places=4, default=Decimal(1)
    )
    requires_executive_approval = models.BooleanField(_("ผู้ว่าราชการจังหวัดต้องอนุมัติก่อนส่ง"), default=True)
    notes = models.TextField(_("หมายเหตุ / ข้อสมมติ"), blank=True)
    # The thresholds of the automatic appropriateness checks (docs/appropriateness.md).
    kpi_count_min = models.PositiveSmallIntegerField(
        _("จำนวนตัวชี้วัดย่อยขั้นต่ำ"),
        default=3,
        help_text=_("แผนที่มีตัวชี้วัดย่อยของตัวชี้วัดที่ 1 น้อยกว่านี้ ระบบจะแจ้งในผลการตรวจความเหมาะสม"),
    )
    kpi_count_max = models.PositiveSmallIntegerField(
        _("จำนวนตัวชี้วัดย่อยขั้นสูง"),
        default=30,
        help_text=_("แผนที่มีตัวชี้วัดย่อยมากกว่านี้ ระบบจะแจ้งในผลการตรวจความเหมาะสม"),
    )
    kpi_weight_min = models.DecimalField(
        _("น้ำหนักขั้นต่ำของตัวชี้วัดย่อย (ร้อยละ)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("ตัวชี้วัดย่อยที่น้ำหนักน้อยกว่านี้ ระบบจะแจ้งว่าน้ำหนักน้อยเกินไป"),
    )
    criteria_step_ratio = models.DecimalField(
        _("อัตราส่วนช่วงห่างของเกณฑ์"),
        max_digits=7,
        decimal_places=4,
        default=Decimal(2),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("ช่วงห่างระหว่างเกณฑ์ที่กว้างที่สุดเกินกี่เท่าของช่วงที่แคบที่สุด จึงถือว่าเกณฑ์ไม่สม่ำเสมอ"),
    )
    level5_change_ratio = models.DecimalField(
        _("อัตราส่วนความท้าทายของระดับ 5"),
        max_digits=7,
        decimal_places=4,
        default=Decimal(4),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "เกณฑ์ระดับ 5 ต้องดีขึ้นจากผลปีล่าสุดเกินกี่เท่าของการเปลี่ยนแปลงที่ดีที่สุดต่อปีในข้อมูลพื้นฐาน จึงถือว่าอาจเป็นไปไม่ได้"
        ),
    )
    name_similarity = models.DecimalField(
        _("ความคล้ายของชื่อตัวชี้วัด"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.6"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("สัดส่วนคำที่ชื่อตัวชี้วัดสองตัวมีร่วมกัน (0 ถึง 1) ตั้งแต่ค่านี้ขึ้นไปถือว่าวัดสิ่งเดียวกัน เช่น 0.6 คือคำส่วนใหญ่ตรงกัน"),
    )

    class Meta:
        ordering = ["fiscal_year", "organisation_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "organisation_kind"], name="one_framework_per_kind"
            )
        ]
        verbose_name = _("กรอบการประเมินผล")
        verbose_name_plural = _("กรอบการประเมินผล")

    def __str__(self) -> str:
        return self.name_th

    def clean(self) -> None:
        """The administrator's screen refuses bounds that no plan could meet."""
        if self.kpi_count_min > self.kpi_count_max:
            raise ValidationError(
                {
                    "kpi_count_max": _("จำนวนตัวชี้วัดย่อยขั้นสูงต้องไม่น้อยกว่าขั้นต่ำ (%(min)s)")
                    % {"min": self.kpi_count_min}
                }
            )


class Dimension(models.Model):
    """มิติ: 1 effectiveness, 2 service quality, 3 efficiency, 4 organisational development."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveSmallIntegerField(_("มิติที่"))
    name_th = models.CharField(_("ชื่อมิติ"), max_length=200)
    name_en = models.CharField(_("ชื่อมิติ (อังกฤษ)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("น้ำหนัก (ร้อยละ)"), max_digits=7, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_dimension_number")
        ]
        verbose_name = _("มิติ")
        verbose_name_plural = _("มิติ")

    def __str__(self) -> str:
        return f"มิติที่ {self.number} {self.name_th}"


class FrameworkIndicator(models.Model):
    """An indicator of the framework. The plan indicator (indicator 1) is open for each organisation's own KPIs."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("ตัวชี้วัดที่"), max_length=16)
    name_th = models.CharField(_("ชื่อตัวชี้วัด"), max_length=400)
    name_en = models.CharField(_("ชื่อตัวชี้วัด (อังกฤษ)"), max_length=400, blank=True)
    weight = models.DecimalField(
        _("น้ำหนัก (ร้อยละ)"), max_digits=7, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    is_plan_indicator = models.BooleanField(
        _("เปิดให้หน่วยงานกำหนดตัวชี้วัดย่อยเอง"),
        default=False,
        help_text=_("ตัวชี้วัดที่ 1: ระดับความสำเร็จของการบรรลุเป้าหมายตามแผนปฏิบัติราชการ"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_indicator_code")]
        verbose_name = _("ตัวชี้วัดในกรอบ")
        verbose_name_plural = _("ตัวชี้วัดในกรอบ")

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"
