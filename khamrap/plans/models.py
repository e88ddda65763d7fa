"""The negotiation form (DESIGN.md §5): a plan tree of strategic issues → goals → KPIs, and its submission."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    AWAITING_APPROVAL = "awaiting_approval", _("รอผู้ว่าราชการจังหวัดอนุมัติ")
    SUBMITTED = "submitted", _("ส่งแล้ว")
    UNDER_REVIEW = "under_review", _("อยู่ระหว่างพิจารณา")
    RETURNED = "returned", _("ส่งกลับให้แก้ไข")
    RESUBMITTED = "resubmitted", _("ส่งฉบับแก้ไขแล้ว")
    READY = "ready", _("พร้อมเจรจา")
    AGREED = "agreed", _("ตกลงแล้ว")
    SIGNED = "signed", _("ลงนามแล้ว")


# States in which the organisation may edit its plan.
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
# States from which OPDC may return the plan for revision.
RETURNABLE_STATUSES = frozenset({PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW, PlanStatus.RESUBMITTED})
# States in which the plan counts as submitted to OPDC.
SUBMITTED_STATUSES = frozenset(
    {
        PlanStatus.SUBMITTED,
        PlanStatus.UNDER_REVIEW,
        PlanStatus.RESUBMITTED,
        PlanStatus.READY,
        PlanStatus.AGREED,
        PlanStatus.SIGNED,
    }
)


class KpiType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("เชิงปริมาณ")
    MILESTONE = "milestone", _("ระดับความสำเร็จ")


class Direction(models.TextChoices):
    HIGHER = "higher", _("ยิ่งมากยิ่งดี")
    LOWER = "lower", _("ยิ่งน้อยยิ่งดี")


class Plan(models.Model):
    """One organisation's negotiation form for one fiscal year."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(_("สถานะ"), max_length=24, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    revision = models.PositiveIntegerField(
        default=0, help_text="Bumped on every change; guards concurrent edits and cache keys."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("วันที่ส่ง"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("ส่งล่าช้า"), default=False)
    approved_at = models.DateTimeField(_("วันที่อนุมัติ"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When OPDC returns the plan for revision: the day the revised plan is due back.
    revise_by = models.DateField(_("กำหนดส่งฉบับแก้ไข"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year", "organisation__code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "organisation"], name="one_plan_per_org_year")
        ]
        verbose_name = _("แบบฟอร์มเจรจา")
        verbose_name_plural = _("แบบฟอร์มเจรจา")

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.status in SUBMITTED_STATUSES

    @property
    def is_returnable(self) -> bool:
        return self.status in RETURNABLE_STATUSES

    @property
    def is_awaiting_approval(self) -> bool:
        return self.status == PlanStatus.AWAITING_APPROVAL


class StrategicIssue(models.Model):
    """ประเด็นยุทธศาสตร์."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("ประเด็นยุทธศาสตร์"), max_length=500)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("ประเด็นยุทธศาสตร์")
        verbose_name_plural = _("ประเด็นยุทธศาสตร์")

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """เป้าประสงค์ under a strategic issue."""

    issue = models.ForeignKey(StrategicIssue, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("เป้าประสงค์"), max_length=500)

    class Meta:
        ordering = ["issue", "position", "pk"]
        verbose_name = _("เป้าประสงค์")
        verbose_name_plural = _("เป้าประสงค์")

    def __str__(self) -> str:
        return self.name


class Kpi(models.Model):
    """One row of the negotiation form: a sub-KPI of indicator 1 (1.1, 1.2 …).

    ``uid`` is the KPI's identity from proposal through negotiation, agreement, amendments and results;
    ``code`` is only its current number and is renumbered when KPIs are reordered.
    """

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="kpis")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="kpis")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("ตัวชี้วัดที่"), max_length=16)
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=500)
    unit = models.CharField(_("หน่วยวัด"), max_length=100, blank=True)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=7, decimal_places=4, null=True, blank=True)
    kpi_type = models.CharField(
        _("ประเภทตัวชี้วัด"), max_length=16, choices=KpiType.choices, default=KpiType.QUANTITATIVE
    )
    direction = models.CharField(
        _("ทิศทาง"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_1 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_2 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_3 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("ค่าเป้าหมาย"), max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_1 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_2 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_3 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_4 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_5 = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    definition = models.TextField(_("คำอธิบาย / นิยาม"), blank=True)
    formula = models.TextField(_("สูตรการคำนวณ"), blank=True)
    data_source = models.TextField(_("แหล่งข้อมูล"), blank=True)
    supervisor_name = models.CharField(_("ผู้กำกับดูแลตัวชี้วัด"), max_length=200, blank=True)
    supervisor_phone = models.CharField(_("โทรศัพท์ผู้กำกับดูแล"), max_length=60, blank=True)
    collector_name = models.CharField(_("ผู้จัดเก็บข้อมูล"), max_length=200, blank=True)
    collector_phone = models.CharField(_("โทรศัพท์ผู้จัดเก็บข้อมูล"), max_length=60, blank=True)
    remarks = models.TextField(_("หมายเหตุ"), blank=True)
    is_new = models.BooleanField(_("ตัวชี้วัดใหม่"), default=False)
    # The words of the name, and of the name, unit and definition, each between spaces (" ร้อยละ ของ "), kept
    # by plans/indexing.py whenever a writer changes those fields: the KPI library searches them by word.
    name_words = models.TextField(blank=True, default="", editable=False)
    text_words = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            # The registry's bound (plans/schema.py), held by the database too: no stored weight can break a page.
            models.CheckConstraint(
                condition=models.Q(weight__isnull=True) | models.Q(weight__gte=0, weight__lte=100),
                name="kpi_weight_0_to_100",
            )
        ]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def baselines(self) -> tuple[Decimal | None, ...]:
        return (self.baseline_1, self.baseline_2, self.baseline_3)

    @property
    def criteria(self) -> tuple[Decimal | None, ...]:
        return (self.criteria_1, self.criteria_2, self.criteria_3, self.criteria_4, self.criteria_5)


class MilestoneLevel(models.Model):
    """What a milestone KPI must reach at one level (1–5), with optional sub-steps for partial credit."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("ระดับ"))
    description = models.TextField(_("คำอธิบายระดับ"))
    substeps = models.JSONField(_("ขั้นตอนย่อย"), default=list, blank=True)

    class Meta:
        ordering = ["kpi", "level"]
        constraints = [models.UniqueConstraint(fields=["kpi", "level"], name="unique_kpi_level")]

    def __str__(self) -> str:
        return f"ระดับ {self.level}"


class PlanSnapshot(models.Model):
    """An immutable copy of the plan as it was submitted: every version stays comparable."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=24, choices=PlanStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()

    class Meta:
        ordering = ["plan", "version", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"


class PlanEventKind(models.TextChoices):
    EDITED = "edited", _("แก้ไข")
    IMPORTED = "imported", _("นำเข้าจาก Excel")
    ATTACHED = "attached", _("แนบแผนปฏิบัติราชการ")
    DETACHED = "detached", _("ลบไฟล์แนบ")
    SUBMITTED = "submitted", _("ส่งแบบฟอร์ม")
    APPROVAL_REQUESTED = "approval_requested", _("เสนอผู้ว่าราชการจังหวัด")
    APPROVED = "approved", _("ผู้ว่าราชการจังหวัดอนุมัติ")
    RETURNED = "returned", _("ส่งกลับให้แก้ไข")
    WITHDRAWN = "withdrawn", _("ถอนเพื่อแก้ไข")
    IMPORT_UNDONE = "import_undone", _("ย้อนการนำเข้าจาก Excel")
    REVIEW_STARTED = "review_started", _("เริ่มพิจารณาความเหมาะสม")
    READY = "ready", _("พร้อมเจรจา")


class Channel(models.TextChoices):
    """Through what a change reached the plan."""

    WEB = "web", _("หน้าเว็บ")
    WORKBOOK = "workbook", _("ไฟล์ Excel")
    BULK = "bulk", _("นำเข้าหลายไฟล์")
    COMMAND = "command", _("คำสั่งของระบบ")
    ADMIN = "admin", _("ผู้ดูแลระบบ")


class PlanEvent(models.Model):
    """The plan's history: who did what, when, through which channel; for an edit, each field old → new.

    ``changes`` is a list of ``{"kpi": uid or "", "code": "1.1", "field": "target", "old": "5", "new": "6"}``
    (``field`` names a registry field, or ``issue``, ``goal``, ``kpi``, ``levels``, ``position``); ``revision``
    is the plan's revision this change made.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=PlanEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    channel = models.CharField(_("ช่องทาง"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    revision = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        indexes = [models.Index(fields=["plan", "revision"], name="plan_event_revision")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "PlanAttachment", filename: str) -> str:
    # The stored name never comes from the user: a random name under the plan's folder.
    return f"plans/{instance.plan.fiscal_year.year}/{instance.plan.organisation.code}/{uuid.uuid4().hex}"


class PlanAttachment(models.Model):
    """The action plan (แผนปฏิบัติราชการ) attached as PDF, DOCX or XLSX."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


def workbook_path(instance: "WorkbookUpload", filename: str) -> str:
    return f"workbooks/{uuid.uuid4().hex}.xlsx"


class WorkbookUploadStatus(models.TextChoices):
    ACCEPTED = "accepted", _("นำเข้าแล้ว")
    REFUSED = "refused", _("ไม่ผ่านการตรวจสอบ")
    UNCHANGED = "unchanged", _("ไม่มีการเปลี่ยนแปลง")
    DRY_RUN = "dry_run", _("ตรวจสอบอย่างเดียว")
    PENDING = "pending", _("รอยืนยันการนำเข้า")


# How an outcome is drawn (the badge's CSS class), for uploads and the lines of a bulk import.
OUTCOME_BADGES = {
    WorkbookUploadStatus.ACCEPTED: "ok",
    WorkbookUploadStatus.REFUSED: "bad",
    "failed": "bad",  # BulkImportStatus.FAILED, for a bulk import stopped by an error
}


class WorkbookUpload(models.Model):
    """Every workbook received (the "data disk"), kept as sent, with the outcome of its import."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads")
    file = models.FileField(upload_to=workbook_path, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=WorkbookUploadStatus.choices)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # The plan's tree just before this file replaced it (snapshots' JSON), so the import can be undone.
    tree_before = models.JSONField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_refused(self) -> bool:
        return self.status == WorkbookUploadStatus.REFUSED

    @property
    def is_accepted(self) -> bool:
        return self.status == WorkbookUploadStatus.ACCEPTED

    @property
    def is_unchanged(self) -> bool:
        return self.status == WorkbookUploadStatus.UNCHANGED

    @property
    def is_pending(self) -> bool:
        return self.status == WorkbookUploadStatus.PENDING

    @property
    def badge(self) -> str:
        return OUTCOME_BADGES.get(self.status, "none")


class BulkImportStatus(models.TextChoices):
    QUEUED = "queued", _("รอดำเนินการ")
    RUNNING = "running", _("กำลังนำเข้า")
    DONE = "done", _("เสร็จสิ้น")
    FAILED = "failed", _("ล้มเหลว")


class BulkImport(models.Model):
    """An administrator's import of many workbooks at once (a zip), run on the task queue."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="bulk_imports")
    file = models.FileField(upload_to="bulk/", max_length=300)
    original_name = models.CharField(max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=BulkImportStatus.choices, default=BulkImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list, blank=True)
    dry_run = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class SubmissionExtension(models.Model):
    """An extension of the submission deadline granted to one organisation."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="extensions")
    until = models.DateField(_("ขยายถึงวันที่"))
    reason = models.CharField(_("เหตุผล"), max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "organisation"], name="one_extension_per_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.until}"
