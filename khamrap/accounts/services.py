"""Writes to accounts: the demo people of every role."""

from dataclasses import dataclass

from django.db import transaction

from khamrap.accounts.models import Role, User
from khamrap.orgs.models import Organisation

DEMO_PASSWORD = "khamrap-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    organisation_code: str | None
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("opdc_admin", Role.ADMIN, "OPDC", "สมศรี", "ผู้ดูแล"),
    DemoAccount("opdc_analyst", Role.ANALYST, "OPDC", "วิชัย", "วิเคราะห์"),
    DemoAccount("committee", Role.COMMITTEE, "OPDC", "ประเสริฐ", "กรรมการ"),
    DemoAccount("evaluator", Role.EVALUATOR, "OPDC", "อรทัย", "ประเมิน"),
    DemoAccount("chiangmai_officer", Role.PROVINCE_OFFICER, "50", "มานพ", "เชียงใหม่"),
    DemoAccount("chiangmai_governor", Role.EXECUTIVE, "50", "ผู้ว่าราชการ", "จังหวัดเชียงใหม่"),
    DemoAccount("lamphun_officer", Role.PROVINCE_OFFICER, "51", "สุดา", "ลำพูน"),
    DemoAccount("nu1_officer", Role.CLUSTER_OFFICER, "NU1", "ชาญ", "กลุ่มจังหวัด"),
    DemoAccount("viewer", Role.VIEWER, None, "ผู้ชม", "ทั่วไป"),
)


@transaction.atomic
def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create the demo accounts if missing; existing ones are left as they are."""
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in={a.organisation_code for a in DEMO_ACCOUNTS})
    }
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "organisation": organisations.get(account.organisation_code or ""),
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_staff": account.role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
    return list(DEMO_ACCOUNTS)
