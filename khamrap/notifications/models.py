"""A notification: one message to one person, in Thai and English, shown in the inbox and emailed once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.core.errors import in_language


class NotificationKind(models.TextChoices):
    APPROVAL_REQUESTED = "approval_requested", _("แบบฟอร์มรออนุมัติ")
    APPROVED = "approved", _("ผู้ว่าราชการจังหวัดอนุมัติแล้ว")
    SENT_BACK = "sent_back", _("ผู้ว่าราชการจังหวัดส่งกลับ")
    RETURNED = "returned", _("สำนักงาน ก.พ.ร. ส่งกลับให้แก้ไข")
    DEADLINE_NEAR = "deadline_near", _("ใกล้ถึงกำหนดส่ง")
    WINDOW_CLOSED = "window_closed", _("ปิดรับแบบฟอร์มแล้ว")
    EXTENSION_GRANTED = "extension_granted", _("ได้รับการขยายเวลา")
    RESUBMITTED = "resubmitted", _("ส่งฉบับแก้ไขแล้ว")
    READY = "ready", _("พร้อมเจรจา")
    ANSWERED = "answered", _("จังหวัดตอบความเห็น")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("ประเภท"), max_length=32, choices=NotificationKind.choices)
    # What the notification is about, e.g. "approved:event:12" or "deadline_near:2551:50:7:2550-11-30":
    # with the recipient it is unique, so a trigger repeated creates (and emails) nothing twice.
    key = models.CharField(max_length=200)
    subject_th = models.CharField(_("เรื่อง"), max_length=200)
    subject_en = models.CharField(_("เรื่อง (อังกฤษ)"), max_length=200)
    body_th = models.TextField(_("ข้อความ"), blank=True)
    body_en = models.TextField(_("ข้อความ (อังกฤษ)"), blank=True)
    url = models.CharField(_("ลิงก์"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("เวลาที่แจ้ง"), auto_now_add=True)
    read_at = models.DateTimeField(_("เวลาที่อ่าน"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("เวลาที่ส่งอีเมล"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="unique_notification_per_recipient")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")

    def __str__(self) -> str:
        return self.subject_th

    def subject(self, language: str | None) -> str:
        return in_language(self.subject_th, self.subject_en, language)

    def body(self, language: str | None) -> str:
        return in_language(self.body_th, self.body_en, language)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
