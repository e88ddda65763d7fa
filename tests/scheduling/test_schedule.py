from datetime import date, time

from khamrap.scheduling import (
    Absence,
    Committee,
    Constraints,
    Infeasible,
    Party,
    Problem,
    Room,
    Rule,
    Schedule,
    Slot,
    conflicts,
    schedule,
)

NOV = [date(2007, 11, d) for d in range(1, 17)]


def _parties(ready: bool = True) -> tuple[Party, ...]:
    """18 clusters and 75 provinces, the size of FY2551: three clusters of five provinces, fifteen of four."""
    parties: list[Party] = []
    number = 10
    for c in range(1, 19):
        parties.append(Party(f"C{c}", f"กลุ่ม {c}", "cluster", ready=ready))
        for _ in range(5 if c <= 3 else 4):
            number += 1
            parties.append(Party(str(number), f"จังหวัด {number}", "province", cluster=f"C{c}", ready=ready))
    return tuple(parties)


def _constraints(**changes: object) -> Constraints:
    given: dict[str, object] = {
        "first_day": NOV[0],
        "last_day": NOV[-1],
        "sessions_per_day": 6,
        "session_minutes": 60,
        "rooms": (Room("ห้อง 1"), Room("ห้อง 2"), Room("ห้อง 3")),
        "committees": (
            Committee("คณะที่ 1", ("ก", "ข")),
            Committee("คณะที่ 2", ("ค", "ง")),
            Committee("คณะที่ 3", ("จ", "ก")),
        ),
    }
    given.update(changes)
    return Constraints(**given)  # type: ignore[arg-type]


def _independent_check(slots: tuple[Slot, ...], problem: Problem) -> list[str]:
    wrong = []
    codes = [s.party for s in slots]
    if sorted(codes) != sorted(p.code for p in problem.heard()):
        wrong.append("parties")
    members = {c.name: set(c.members) for c in problem.constraints.committees}
    for i, a in enumerate(slots):
        if a.day.weekday() >= 5 or not NOV[0] <= a.day <= NOV[-1]:
            wrong.append(f"{a.party} day")
        for b in slots[i + 1 :]:
            overlap = a.day == b.day and a.start < b.end and b.start < a.end
            if overlap and (a.room == b.room or members[a.committee] & members[b.committee]):
                wrong.append(f"{a.party} {b.party}")
    by_code = {s.party: s for s in slots}
    for p in problem.heard():
        if p.cluster and p.cluster in by_code:
            own, cluster = by_code[p.code], by_code[p.cluster]
            if (own.day, own.committee) != (cluster.day, cluster.committee):
                wrong.append(f"{p.code} cluster")
    return wrong


def test_it_schedules_fy2551_in_november_2007_without_a_conflict():
    problem = Problem(_constraints(), _parties())

    result = schedule(problem, time_limit=20)

    assert isinstance(result, Schedule)
    assert len(result.slots) == 93
    assert _independent_check(result.slots, problem) == []
    assert conflicts(result.slots, problem) == []
    assert result.slots[0].start == time(9, 0)


def test_it_works_around_a_member_away_and_a_room_closed():
    away = frozenset(NOV[:12])
    constraints = _constraints(
        away=(Absence("ข", away),), rooms=(Room("ห้อง 1", frozenset(NOV[:5])), Room("ห้อง 2"), Room("ห้อง 3"))
    )
    problem = Problem(constraints, _parties())

    result = schedule(problem, time_limit=20)

    assert isinstance(result, Schedule)
    assert conflicts(result.slots, problem) == []
    assert not any(s.day in away and s.committee == "คณะที่ 1" for s in result.slots)
    assert not any(s.day in NOV[:5] and s.room == "ห้อง 1" for s in result.slots)


def test_too_few_days_names_the_capacity():
    problem = Problem(_constraints(last_day=NOV[1]), _parties())

    result = schedule(problem, time_limit=5)

    assert isinstance(result, Infeasible)
    assert Rule.CAPACITY in {r.rule for r in result.reasons}


def test_a_cluster_larger_than_a_day_is_named():
    problem = Problem(_constraints(sessions_per_day=4), _parties())

    result = schedule(problem, time_limit=5)

    assert isinstance(result, Infeasible)
    too_large = [r for r in result.reasons if r.rule == Rule.GROUP_TOO_LARGE]
    assert too_large and "C1" in " ".join((*too_large[0].subjects, too_large[0].message_en))


def test_no_working_day_is_named():
    problem = Problem(_constraints(first_day=date(2007, 11, 3), last_day=date(2007, 11, 4)), _parties())

    result = schedule(problem, time_limit=5)

    assert isinstance(result, Infeasible)
    assert [r.rule for r in result.reasons] == [Rule.NO_WORKING_DAY]


def test_parties_not_ready_are_left_out_or_scheduled_with_a_warning():
    parties = _parties(ready=False)

    left_out = schedule(Problem(_constraints(), parties), time_limit=5)
    allowed = schedule(Problem(_constraints(), parties, allow_not_ready=True), time_limit=20)

    assert isinstance(left_out, Schedule) and left_out.slots == ()
    assert isinstance(allowed, Schedule) and len(allowed.slots) == 93
    assert allowed.warnings


def test_conflicts_names_each_broken_rule():
    constraints = _constraints(
        rooms=(Room("ห้อง 1", frozenset({NOV[0]})), Room("ห้อง 2")), away=(Absence("ค", frozenset({NOV[0]})),)
    )
    parties = (
        Party("C1", "กลุ่ม", "cluster"),
        Party("11", "ก", "province", cluster="C1"),
        Party("12", "ข", "province"),
        Party("13", "ค", "province"),
    )
    problem = Problem(constraints, parties)
    slots = [
        Slot("C1", NOV[0], time(9), time(10), "ห้อง 1", "คณะที่ 1"),
        Slot("11", NOV[1], time(9), time(10), "ห้อง 2", "คณะที่ 1"),
        Slot("12", NOV[1], time(9), time(10), "ห้อง 2", "คณะที่ 3"),
        Slot("13", NOV[0], time(10), time(11), "ห้อง 2", "คณะที่ 2"),
        Slot("13", date(2007, 11, 3), time(10), time(11), "ห้อง 2", "คณะที่ 2"),
    ]

    rules = {issue.rule for issue in conflicts(slots, problem)}

    assert {
        Rule.ROOM_CLOSED,
        Rule.ROOM_DOUBLE_BOOKED,
        Rule.MEMBER_DOUBLE_BOOKED,
        Rule.MEMBER_AWAY,
        Rule.CLUSTER_NOT_SAME_DAY,
        Rule.PARTY_TWICE,
        Rule.NOT_WORKING_DAY,
    } <= rules


def test_a_committee_never_available_is_named_with_its_member():
    constraints = _constraints(away=(Absence("ค", frozenset(NOV)),))
    problem = Problem(constraints, _parties())

    result = schedule(problem, time_limit=5)

    assert isinstance(result, Infeasible)
    never = [r for r in result.reasons if r.rule == Rule.COMMITTEE_NO_DAY]
    assert never and "คณะที่ 2" in never[0].message_th and "ค" in (*never[0].subjects, never[0].message_th)


def test_rooms_closed_are_named_when_they_make_it_impossible():
    constraints = _constraints(
        last_day=NOV[1],
        sessions_per_day=3,
        rooms=(Room("ห้อง 1", frozenset({NOV[0]})),),
        committees=(Committee("คณะที่ 1", ("ก",)),),
    )
    parties = (
        Party("C1", "กลุ่ม 1", "cluster"),
        Party("11", "ก", "province", cluster="C1"),
        Party("C2", "กลุ่ม 2", "cluster"),
        Party("12", "ข", "province", cluster="C2"),
    )

    result = schedule(Problem(constraints, parties), time_limit=5)

    assert isinstance(result, Infeasible)
    assert Rule.ROOM_CLOSURES in {r.rule for r in result.reasons}
