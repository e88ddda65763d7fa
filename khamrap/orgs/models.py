"""Organisations that take part in the agreement cycle: provinces, provincial clusters and OPDC."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from khamrap.core.errors import in_language


class OrganisationKind(models.TextChoices):
    PROVINCE = "province", _("จังหวัด")
    CLUSTER = "cluster", _("กลุ่มจังหวัด")
    SPECIAL_AREA = "special", _("เขตปกครองพิเศษ")
    OPDC = "opdc", _("สำนักงาน ก.พ.ร.")


class Organisation(models.Model):
    """A province (DOPA code such as ``50``), a provincial cluster (``NU1``) or OPDC itself."""

    kind = models.CharField(_("ประเภท"), max_length=16, choices=OrganisationKind.choices)
    code = models.CharField(_("รหัส"), max_length=16, unique=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    valid_from = models.DateField(_("มีผลตั้งแต่"), null=True, blank=True)
    valid_to = models.DateField(_("สิ้นสุด"), null=True, blank=True)
    note = models.CharField(_("หมายเหตุ"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name_th

    def name_in(self, language: str | None) -> str:
        """The name in ``language`` (the Thai name where no English one is known)."""
        return in_language(self.name_th, self.name_en or self.name_th, language)

    @property
    def is_province(self) -> bool:
        return self.kind == OrganisationKind.PROVINCE

    @property
    def is_cluster(self) -> bool:
        return self.kind == OrganisationKind.CLUSTER


class ClusterMembership(models.Model):
    """A province's membership of a cluster, in force from ``effective_from`` until ``effective_to``."""

    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind": OrganisationKind.CLUSTER},
    )
    province = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cluster_memberships",
        limit_choices_to={"kind": OrganisationKind.PROVINCE},
    )
    effective_from = models.DateField(_("มีผลตั้งแต่"))
    effective_to = models.DateField(_("สิ้นสุด"), null=True, blank=True)
    source = models.CharField(_("ที่มา"), max_length=300, blank=True)

    class Meta:
        ordering = ["cluster__code", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "province", "effective_from"], name="unique_membership_start"
            )
        ]
        verbose_name = _("สมาชิกกลุ่มจังหวัด")
        verbose_name_plural = _("สมาชิกกลุ่มจังหวัด")

    def __str__(self) -> str:
        return f"{self.province} ∈ {self.cluster} ({self.effective_from})"
