"""Builders for commissioner and record tests: plain functions, so a test reads top to bottom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts.models import Organization, User
from marketplace.programs import services
from marketplace.programs.models import CommissionerAssignment, ProjectRecord, RecordKind, RecordStage
from tests.factories import county, field, make_org, make_user


def verified(kind: str, members: list[User] = (), **extra) -> Organization:
    org = make_org(kind, members=list(members), **extra)
    org.verified = True
    org.save(update_fields=["verified"])
    return org


@dataclass
class Cast:
    """Everyone a permission question can be asked of."""

    commissioner: User  # a member of the institution, the one sent to the enterprise
    enterprise_member: User
    academic_member: User  # another member of the institution, who confirms for it
    outsider: User  # a member of another verified enterprise
    bureau: User
    enterprise: Organization
    institution: Organization
    other: Organization


def cast() -> Cast:
    commissioner, enterprise_member = make_user("university"), make_user("enterprise")
    academic_member, outsider, bureau = make_user("university"), make_user("enterprise"), make_user("bureau")
    return Cast(
        commissioner, enterprise_member, academic_member, outsider, bureau,
        enterprise=verified("enterprise", [enterprise_member], name="滨州轻量化汽车部件有限公司"),
        institution=verified("university", [commissioner, academic_member], name="滨州学院"),
        other=verified("enterprise", [outsider], name="无关企业有限公司"),
    )


def assignment_data(c: Cast, **overrides) -> dict:
    data = {"commissioner": c.commissioner, "institution": c.institution, "enterprise": c.enterprise,
            "field": field("aluminium"), "county": county("bincheng"), "term_start": date(2023, 3, 1),
            "term_end": date(2024, 2, 29), "tasks": "铝合金压铸工艺改进"}
    data.update(overrides)
    return data


def proposed(c: Cast, **overrides) -> CommissionerAssignment:
    return services.propose_assignment(user=c.enterprise_member, data=assignment_data(c, **overrides))


def confirmed(c: Cast, **overrides) -> CommissionerAssignment:
    a = proposed(c, **overrides)
    services.confirm_assignment(user=c.enterprise_member, assignment=a)
    return services.confirm_assignment(user=c.academic_member, assignment=a)


def approved(c: Cast, on: date, **overrides) -> CommissionerAssignment:
    return services.decide_assignment(user=c.bureau, assignment=confirmed(c, **overrides), approve=True, on=on)


def record_data(owner: Organization, kind: str = RecordKind.RESERVE, **overrides) -> dict:
    data = {"kind": kind, "title": "高强韧铝合金一体化压铸中试项目", "summary": "面向新能源汽车车身件。",
            "owner": owner,
            "field": field("aluminium"), "county": county("bincheng"), "stage": RecordStage.PILOT}
    data.update(overrides)
    return data


def approved_record(bureau: User, owner: Organization, on: date, kind: str = RecordKind.RESERVE,
                    **overrides) -> ProjectRecord:
    member = make_user("enterprise")
    owner.memberships.create(user=member)
    record = services.enter_record(user=member, data=record_data(owner, kind, **overrides))
    return services.decide_record(user=bureau, record=record, approve=True, on=on)
