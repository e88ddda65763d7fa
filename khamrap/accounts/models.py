"""People and their roles (DESIGN.md §3)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.orgs.models import Organisation


class Role(models.TextChoices):
    ADMIN = "admin", _("ผู้ดูแลระบบ สำนักงาน ก.พ.ร.")
    ANALYST = "analyst", _("นักวิเคราะห์ สำนักงาน ก.พ.ร.")
    COMMITTEE = "committee", _("คณะกรรมการเจรจา")
    EVALUATOR = "evaluator", _("ผู้ประเมิน")
    PROVINCE_OFFICER = "province_officer", _("เจ้าหน้าที่จังหวัด")
    EXECUTIVE = "executive", _("ผู้ว่าราชการจังหวัด / ผู้บริหาร")
    CLUSTER_OFFICER = "cluster_officer", _("เจ้าหน้าที่กลุ่มจังหวัด")
    VIEWER = "viewer", _("ผู้อ่านอย่างเดียว")


# Roles that work for OPDC and may see every organisation's submissions.
OPDC_ROLES = frozenset({Role.ADMIN, Role.ANALYST, Role.COMMITTEE, Role.EVALUATOR})
# Roles bound to one organisation (a province or a cluster).
ORGANISATION_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.EXECUTIVE, Role.CLUSTER_OFFICER})


class User(AbstractUser):
    role = models.CharField(_("บทบาท"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("หน่วยงาน"),
    )
    assigned_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="assigned_analysts",
        verbose_name=_("จังหวัดที่รับผิดชอบ"),
        help_text=_("สำหรับนักวิเคราะห์: จังหวัดและกลุ่มจังหวัดที่ได้รับมอบหมาย"),
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    @property
    def is_opdc(self) -> bool:
        return self.role in OPDC_ROLES or self.is_superuser

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
