"""Every rule a given schedule breaks — the solver's own, or one the administrator has edited by hand.

The rules are the solver's (docs/negotiations.md): each heard party exactly once; within the window, on
working days; a cluster with its provinces on one day before one committee; no room, committee or person in
two sessions at once; no room on a day it is closed; no committee on a day one of its members is away; no
party whose plan is not ready unless the problem allows it. Sessions clash when their times overlap on the same
day, so a hand-edited time is checked as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from khamrap.scheduling.issues import Issue, Rule
from khamrap.scheduling.problem import Problem, Slot, clock
from khamrap.thai.dates import format_date

_SATURDAY, _SUNDAY = 5, 6


def conflicts(slots: Iterable[Slot], problem: Problem) -> list[Issue]:
    """Every broken rule of ``slots``, one issue each, in a fixed order; ``[]`` for a valid schedule."""
    ordered = sorted(slots, key=lambda s: (s.day, s.start, s.room, s.committee, s.party))
    return [
        *_parties(ordered, problem),
        *(issue for slot in ordered for issue in _slot(slot, problem)),
        *_double_bookings(ordered, problem),
        *_groups(ordered, problem),
    ]


def _label(code: str, problem: Problem) -> str:
    party = problem.party(code)
    return party.label if party else code


def when_th(slot: Slot) -> str:
    return f"{format_date(slot.day)} {clock(slot.start)}–{clock(slot.end)} น."


def when_en(slot: Slot) -> str:
    return f"{format_date(slot.day, lang='en')} {clock(slot.start)}–{clock(slot.end)}"


def _parties(slots: list[Slot], problem: Problem) -> list[Issue]:
    by_party: dict[str, list[Slot]] = {}
    for slot in slots:
        by_party.setdefault(slot.party, []).append(slot)
    issues = []
    for code, own in sorted(by_party.items()):
        party = problem.party(code)
        if party is None:
            issues.append(
                Issue(
                    Rule.PARTY_UNKNOWN,
                    f"{code} ไม่ใช่หน่วยงานที่เจรจาในปีนี้",
                    f"{code} is not an organisation negotiating this year",
                    (code,),
                )
            )
            continue
        if len(own) > 1:
            issues.append(
                Issue(
                    Rule.PARTY_TWICE,
                    f"{party.label} มีกำหนดการเจรจา {len(own)} ครั้ง ({', '.join(map(when_th, own))}) แต่ต้องมีครั้งเดียว",
                    f"{party.label} has {len(own)} sessions ({', '.join(map(when_en, own))}) but needs exactly one",
                    (code,),
                )
            )
        if not (party.ready or problem.allow_not_ready):
            issues.append(
                Issue(
                    Rule.NOT_READY,
                    f"แผนของ{party.label}ยังไม่พร้อมเจรจา จึงยังไม่ควรมีกำหนดการเจรจา",
                    f"The plan of {party.label} is not ready for negotiation, so it should have no session",
                    (code,),
                )
            )
    for party in problem.heard():
        if party.code not in by_party:
            issues.append(
                Issue(
                    Rule.PARTY_MISSING,
                    f"{party.label} ยังไม่มีกำหนดการเจรจา",
                    f"{party.label} has no session",
                    (party.code,),
                )
            )
    return issues


def _slot(slot: Slot, problem: Problem) -> list[Issue]:
    constraints = problem.constraints
    label = _label(slot.party, problem)
    day_th, day_en = format_date(slot.day), format_date(slot.day, lang="en")
    issues = []
    if not constraints.first_day <= slot.day <= constraints.last_day:
        issues.append(
            Issue(
                Rule.OUTSIDE_WINDOW,
                f"{label}: วันที่ {day_th} อยู่นอกช่วงการเจรจา {constraints.window_th}",
                f"{label}: {day_en} is outside the negotiation window {constraints.window_en}",
                (slot.party,),
            )
        )
    elif not constraints.is_working_day(slot.day):
        what_th, what_en = {_SATURDAY: ("วันเสาร์", "a Saturday"), _SUNDAY: ("วันอาทิตย์", "a Sunday")}.get(
            slot.day.weekday(), ("วันหยุด", "a holiday")
        )
        issues.append(
            Issue(
                Rule.NOT_WORKING_DAY,
                f"{label}: {day_th} เป็น{what_th} ไม่ใช่วันทำการ",
                f"{label}: {day_en} is {what_en}, not a working day",
                (slot.party,),
            )
        )
    if slot.end <= slot.start:
        issues.append(
            Issue(
                Rule.SESSION_TIMES,
                f"{label}: เวลาสิ้นสุด {clock(slot.end)} ไม่อยู่หลังเวลาเริ่ม {clock(slot.start)}",
                f"{label}: the end {clock(slot.end)} is not after the start {clock(slot.start)}",
                (slot.party,),
            )
        )
    room = next((r for r in constraints.rooms if r.name == slot.room), None)
    if room is None:
        issues.append(
            Issue(
                Rule.ROOM_UNKNOWN,
                f"{label}: ไม่มีห้อง {slot.room} ในข้อกำหนด",
                f"{label}: there is no room {slot.room} in the constraints",
                (slot.party, slot.room),
            )
        )
    elif slot.day in room.closed:
        issues.append(
            Issue(
                Rule.ROOM_CLOSED,
                f"{label}: ห้อง {room.name} ปิดวันที่ {day_th}",
                f"{label}: room {room.name} is closed on {day_en}",
                (slot.party, room.name),
            )
        )
    committee = next((c for c in constraints.committees if c.name == slot.committee), None)
    if committee is None:
        issues.append(
            Issue(
                Rule.COMMITTEE_UNKNOWN,
                f"{label}: ไม่มีคณะกรรมการ {slot.committee} ในข้อกำหนด",
                f"{label}: there is no committee {slot.committee} in the constraints",
                (slot.party, slot.committee),
            )
        )
    else:
        issues.extend(
            Issue(
                Rule.MEMBER_AWAY,
                f"{label}: {member} กรรมการคณะ {committee.name} ไม่ว่างวันที่ {day_th}",
                f"{label}: {member} of committee {committee.name} is away on {day_en}",
                (slot.party, committee.name, member),
            )
            for member in constraints.members_away_on(committee, slot.day)
        )
    return issues


def _double_bookings(slots: list[Slot], problem: Problem) -> list[Issue]:
    members = {c.name: set(c.members) for c in problem.constraints.committees}
    issues = []
    for a, b in combinations(slots, 2):
        if not a.overlaps(b):
            continue
        pair_th = f"{_label(a.party, problem)} ({when_th(a)}) กับ {_label(b.party, problem)} ({when_th(b)})"
        pair_en = f"{_label(a.party, problem)} ({when_en(a)}) and {_label(b.party, problem)} ({when_en(b)})"
        parties = (a.party, b.party)
        if a.room == b.room:
            issues.append(
                Issue(
                    Rule.ROOM_DOUBLE_BOOKED,
                    f"ห้อง {a.room} มีการเจรจาซ้อนกัน: {pair_th}",
                    f"Room {a.room} is booked twice at once: {pair_en}",
                    (*parties, a.room),
                )
            )
        if a.committee == b.committee:
            issues.append(
                Issue(
                    Rule.COMMITTEE_DOUBLE_BOOKED,
                    f"คณะกรรมการ {a.committee} มีการเจรจาซ้อนกัน: {pair_th}",
                    f"Committee {a.committee} sits in two sessions at once: {pair_en}",
                    (*parties, a.committee),
                )
            )
            continue
        for member in sorted(members.get(a.committee, set()) & members.get(b.committee, set())):
            issues.append(
                Issue(
                    Rule.MEMBER_DOUBLE_BOOKED,
                    f"{member} (คณะ {a.committee} และคณะ {b.committee}) ต้องอยู่สองการเจรจาพร้อมกัน: {pair_th}",
                    f"{member} (committees {a.committee} and {b.committee}) would sit in two sessions at once: {pair_en}",
                    (*parties, member),
                )
            )
    return issues


def _groups(slots: list[Slot], problem: Problem) -> list[Issue]:
    """Each party of a group against the group's first (the cluster, or its first province)."""
    first_slot: dict[str, Slot] = {}
    for slot in slots:
        first_slot.setdefault(slot.party, slot)
    issues = []
    for group in problem.groups():
        placed = [(p, first_slot[p.code]) for p in group.parties if p.code in first_slot]
        if len(placed) < 2:
            continue
        (lead, lead_slot), others = placed[0], placed[1:]
        for party, slot in others:
            if slot.day != lead_slot.day:
                issues.append(
                    Issue(
                        Rule.CLUSTER_NOT_SAME_DAY,
                        f"{party.label} ต้องเจรจาวันเดียวกับ{lead.label} ({format_date(slot.day)} กับ {format_date(lead_slot.day)})",
                        f"{party.label} must meet on the same day as {lead.label} ({format_date(slot.day, lang='en')} and {format_date(lead_slot.day, lang='en')})",
                        (party.code, lead.code),
                    )
                )
            if slot.committee != lead_slot.committee:
                issues.append(
                    Issue(
                        Rule.CLUSTER_NOT_SAME_COMMITTEE,
                        f"{party.label} ต้องเจรจากับคณะกรรมการคณะเดียวกับ{lead.label} ({slot.committee} กับ {lead_slot.committee})",
                        f"{party.label} must meet the same committee as {lead.label} ({slot.committee} and {lead_slot.committee})",
                        (party.code, lead.code),
                    )
                )
    return issues
