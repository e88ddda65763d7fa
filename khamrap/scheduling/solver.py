"""The negotiation schedule, found by constraint programming (OR-Tools CP-SAT).

The model places *groups* (a cluster and its provinces) on *committee-days*: ``x[g, c, d]`` says group ``g``
meets committee ``c`` on day ``d``, once per group, only on days the committee can sit (no member away) and
some room is open. ``u[c, d, s]`` says committee ``c`` sits in session ``s`` of day ``d``; a committee sits
as many sessions a day as it hears parties. In each session no more committees sit than rooms are open, and
two committees that share a member never sit at once. The objective, in order: the fewest days; the parties
on the earliest days; each committee's sessions of a day in one unbroken run, as early as possible.

Parties then take their committee's sessions in group order (the cluster first, then its provinces by
code), and rooms are handed out day by day: each committee keeps one room all day when the day has rooms
enough, otherwise it keeps its room from one session to the next wherever it can.

When no schedule exists, :func:`prechecks` names the cheap reasons first (no working day, too few sessions,
a group larger than a day, every committee kept away); otherwise the solver tries again with a family of
constraints relaxed — the days away, the rooms' closures, the members shared between committees — and the
smallest set of families whose relaxation makes a schedule possible is the reason given, naming the members
or rooms that matter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from typing import Protocol

from ortools.sat.python import cp_model

from khamrap.scheduling.issues import Issue, Rule
from khamrap.scheduling.problem import Constraints, Party, Problem, Slot, dates_en, dates_th

DEFAULT_TIME_LIMIT = 10.0
_MOST_TRIED = 10  # members or rooms tried one by one as the single cause, those with the most days first


@dataclass(frozen=True)
class Schedule:
    """Every heard party's session, by day, start and room; ``optimal`` when no schedule uses fewer days
    (or puts parties earlier) — ``False`` when the time limit stopped the search first."""

    slots: tuple[Slot, ...]
    warnings: tuple[Issue, ...] = ()
    optimal: bool = True

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted({slot.day for slot in self.slots}))


@dataclass(frozen=True)
class Infeasible:
    """No schedule exists, for ``reasons``; ``proven`` is ``False`` when the time limit ran out undecided."""

    reasons: tuple[Issue, ...]
    proven: bool = True


def schedule(
    problem: Problem, *, time_limit: float = DEFAULT_TIME_LIMIT, seed: int = 0
) -> Schedule | Infeasible:
    """The schedule of ``problem`` with the fewest days, or why there is none.

    The search runs in one worker with a fixed ``seed``, so the same problem gives the same schedule when
    it finishes within ``time_limit`` seconds (each further solve of a diagnosis has the same limit).
    """
    reasons = prechecks(problem)
    if reasons:
        return Infeasible(tuple(reasons))
    if not problem.heard():
        return Schedule((), tuple(_warnings(problem)))
    model = _Model(problem, with_objective=True)
    status, solver = model.solve(time_limit, seed)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slots = model.slots(solver, time_limit, seed)
        return Schedule(slots, tuple(_warnings(problem)), optimal=status == cp_model.OPTIMAL)
    if status == cp_model.INFEASIBLE:
        return Infeasible((*_diagnose(problem, time_limit, seed), *_committees_without_a_day(problem)))
    return Infeasible(
        (
            Issue(
                Rule.TIME_LIMIT,
                f"หาตารางการเจรจาไม่พบภายใน {time_limit:g} วินาที และยังพิสูจน์ไม่ได้ว่าไม่มี ลองให้เวลามากขึ้น",
                f"No schedule was found within {time_limit:g} seconds, nor proved impossible; allow more time",
            ),
        ),
        proven=False,
    )


# -- the model --------------------------------------------------------------------------------------------


class _Model:
    def __init__(self, problem: Problem, *, with_objective: bool, members_apart: bool = True) -> None:
        constraints = problem.constraints
        self.constraints = constraints
        self.days = constraints.working_days()
        self.groups = problem.groups()
        sessions = range(constraints.sessions_per_day)
        self.sessions = sessions
        rooms_open = [len(constraints.open_rooms(day)) for day in self.days]
        self.sittings = [
            (c, d)
            for c, committee in enumerate(constraints.committees)
            for d, day in enumerate(self.days)
            if rooms_open[d] and not constraints.members_away_on(committee, day)
        ]
        model = cp_model.CpModel()
        self.model = model
        self.x = {
            (g, c, d): model.new_bool_var(f"x_{g}_{c}_{d}")
            for g, group in enumerate(self.groups)
            if group.size <= len(sessions)
            for c, d in self.sittings
        }
        self.u = {(c, d, s): model.new_bool_var(f"u_{c}_{d}_{s}") for c, d in self.sittings for s in sessions}
        for g in range(len(self.groups)):
            model.add_exactly_one(x for (gg, _, _), x in self.x.items() if gg == g)
        for c, d in self.sittings:
            load = sum(
                self.groups[g].size * self.x[g, c, d] for g in range(len(self.groups)) if (g, c, d) in self.x
            )
            model.add(sum(self.u[c, d, s] for s in sessions) == load)
        can_sit = set(self.sittings)
        for d in range(len(self.days)):
            for s in sessions:
                sitting = [self.u[c, d, s] for c in range(len(constraints.committees)) if (c, d) in can_sit]
                if len(sitting) > rooms_open[d]:
                    model.add(sum(sitting) <= rooms_open[d])
        if members_apart:
            for member in constraints.shared_members():
                theirs = [
                    c for c, committee in enumerate(constraints.committees) if member in committee.members
                ]
                for d in range(len(self.days)):
                    for s in sessions:
                        model.add_at_most_one(self.u[c, d, s] for c in theirs if (c, d, s) in self.u)
        if with_objective:
            self._objective()

    def _objective(self) -> None:
        model = self.model
        used = [model.new_bool_var(f"used_{d}") for d in range(len(self.days))]
        for (_, _, d), x in self.x.items():
            model.add_implication(x, used[d])
        # A day holds parties only if it is used, and no more than it can: the bound that lets the search
        # prove the fewest days at once (the implications alone relax to almost nothing).
        committees = len(self.constraints.committees)
        for d, day in enumerate(self.days):
            capacity = min(len(self.constraints.open_rooms(day)), committees) * len(self.sessions)
            load = [self.groups[g].size * x for (g, _, dd), x in self.x.items() if dd == d]
            model.add(sum(load) <= capacity * used[d])
        # Lexicographic by weights: the days used, then the parties' day numbers.
        later_max = sum(g.size for g in self.groups) * max(len(self.days) - 1, 0)
        model.minimize(
            (later_max + 1) * sum(used) + sum(self.groups[g].size * d * x for (g, _, d), x in self.x.items())
        )

    def solve(self, time_limit: float, seed: int) -> tuple[int, cp_model.CpSolver]:
        return _solve(self.model, time_limit, seed)

    def slots(self, solver: cp_model.CpSolver, time_limit: float, seed: int) -> tuple[Slot, ...]:
        constraints = self.constraints
        slots = []
        for d, day in enumerate(self.days):
            heard: dict[int, list[Party]] = {}  # committee → its parties of the day, in group order
            for c, dd in self.sittings:
                if dd == d:
                    heard[c] = [
                        party
                        for g, group in enumerate(self.groups)
                        if (g, c, d) in self.x and solver.boolean_value(self.x[g, c, d])
                        for party in group.parties
                    ]
            heard = {c: parties for c, parties in heard.items() if parties}
            if not heard:
                continue
            found = {c: [s for s in self.sessions if solver.boolean_value(self.u[c, d, s])] for c in heard}
            sessions = (
                _sessions_of_day(constraints, day, {c: len(p) for c, p in heard.items()}, time_limit, seed)
                or found
            )
            rooms = _rooms_for_day(sessions, [r.name for r in constraints.open_rooms(day)])
            for c, parties in heard.items():
                for s, party in zip(sessions[c], parties, strict=True):
                    slots.append(
                        Slot(
                            party=party.code,
                            day=day,
                            start=constraints.session_start(s),
                            end=constraints.session_end(s),
                            room=rooms[c, s],
                            committee=constraints.committees[c].name,
                        )
                    )
        room_order = {room.name: n for n, room in enumerate(constraints.rooms)}
        return tuple(sorted(slots, key=lambda slot: (slot.day, slot.start, room_order[slot.room])))


def _solve(model: cp_model.CpModel, time_limit: float, seed: int) -> tuple[int, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    return int(status), solver


def _sessions_of_day(
    constraints: Constraints, day: date, loads: dict[int, int], time_limit: float, seed: int
) -> dict[int, list[int]] | None:
    """The sessions each committee sits on ``day`` (``loads``: committee → parties heard): each committee's
    in one unbroken run where it can, as early as it can, within the day's rooms and shared members."""
    model = cp_model.CpModel()
    sessions = range(constraints.sessions_per_day)
    u = {(c, s): model.new_bool_var(f"u_{c}_{s}") for c in loads for s in sessions}
    for c, load in loads.items():
        model.add(sum(u[c, s] for s in sessions) == load)
    rooms = len(constraints.open_rooms(day))
    for s in sessions:
        if len(loads) > rooms:
            model.add(sum(u[c, s] for c in loads) <= rooms)
        for member in constraints.shared_members():
            theirs = [c for c in loads if member in constraints.committees[c].members]
            model.add_at_most_one(u[c, s] for c in theirs)
    runs = []
    for c in loads:
        for s in sessions:
            run = model.new_bool_var(f"run_{c}_{s}")
            model.add(run >= u[c, s] - (u[c, s - 1] if s else 0))
            runs.append(run)
    n = len(sessions)
    model.minimize(len(loads) * n * n * sum(runs) + sum(s * u[c, s] for c in loads for s in sessions))
    status, solver = _solve(model, time_limit, seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {c: [s for s in sessions if solver.boolean_value(u[c, s])] for c in loads}


def _rooms_for_day(sessions: dict[int, list[int]], rooms: list[str]) -> dict[tuple[int, int], str]:
    """A room for each (committee, session) of one day: one room a committee all day when there are rooms
    enough; otherwise, session by session, the room it had last if free, else the first free one."""
    if len(sessions) <= len(rooms):
        home = dict(zip(sorted(sessions), rooms, strict=False))
        return {(c, s): home[c] for c, own in sessions.items() for s in own}
    chosen: dict[tuple[int, int], str] = {}
    last: dict[int, str] = {}
    for s in sorted({s for own in sessions.values() for s in own}):
        sitting = sorted(c for c, own in sessions.items() if s in own)
        free = list(rooms)
        keeping = [c for c in sitting if last.get(c) in free]
        for c in keeping:
            free.remove(last[c])
            chosen[c, s] = last[c]
        for c in sitting:
            if c not in keeping:
                chosen[c, s] = last[c] = free.pop(0)
    return chosen


# -- why there is none --------------------------------------------------------------------------------------


def prechecks(problem: Problem) -> list[Issue]:
    """The reasons found without the solver, in the order they are tried; ``[]`` when none applies."""
    constraints = problem.constraints
    days = constraints.working_days()
    heard = len(problem.heard())
    if not days:
        return [
            Issue(
                Rule.NO_WORKING_DAY,
                f"ช่วงการเจรจา {constraints.window_th} ไม่มีวันทำการ (วันจันทร์ถึงวันศุกร์ที่ไม่ใช่วันหยุด)",
                f"The negotiation window {constraints.window_en} has no working day (Monday to Friday, not a holiday)",
            )
        ]
    if not heard:
        return []
    n = constraints.sessions_per_day
    issues = [
        Issue(
            Rule.GROUP_TOO_LARGE,
            f"{group.label} กับจังหวัดในกลุ่มรวม {group.size} หน่วยงาน ต้องเจรจากับคณะกรรมการคณะเดียวในวันเดียว"
            f" แต่คณะหนึ่งเจรจาได้ครั้งละหนึ่งหน่วยงานและวันหนึ่งมีเพียง {n} ช่วง",
            f"{group.label} and its provinces are {group.size} organisations, to be heard by one committee on one"
            f" day, but a committee hears one at a time and a day has only {n} sessions",
            (group.cluster or group.parties[0].code,),
        )
        for group in problem.groups()
        if group.size > n
    ]
    rooms, committees = len(constraints.rooms), len(constraints.committees)
    capacity = min(rooms, committees) * n * len(days)
    if capacity < heard:
        if rooms <= committees:
            unit_th, unit_en = f"ห้องประชุม {rooms} ห้อง", f"{rooms} rooms"
        else:
            unit_th = f"คณะกรรมการ {committees} คณะ (คณะหนึ่งเจรจาได้ครั้งละหนึ่งหน่วยงาน)"
            unit_en = f"{committees} committees (each hears one organisation at a time)"
        issues.append(
            Issue(
                Rule.CAPACITY,
                f"ช่วงการเจรจาไม่พอ: {len(days)} วันทำการ × {n} ช่วงต่อวัน × {unit_th} รับได้ {capacity} หน่วยงาน"
                f" แต่มี {heard} หน่วยงานที่ต้องเจรจา",
                f"Not enough sessions: {len(days)} working days × {n} sessions a day × {unit_en} hold {capacity}"
                f" organisations, but {heard} must be heard",
            )
        )
    if issues:
        return issues
    without_a_day = _committees_without_a_day(problem)
    if len(without_a_day) == committees:
        return without_a_day
    open_capacity = sum(min(len(constraints.open_rooms(day)), committees) * n for day in days)
    if open_capacity < heard:
        closed = [r for r in constraints.rooms if any(constraints.is_working_day(d) for d in r.closed)]
        names_th = ", ".join(
            f"{r.name} ({dates_th(d for d in r.closed if constraints.is_working_day(d))})" for r in closed
        )
        names_en = ", ".join(
            f"{r.name} ({dates_en(d for d in r.closed if constraints.is_working_day(d))})" for r in closed
        )
        return [
            Issue(
                Rule.ROOM_CLOSURES,
                f"วันที่ห้องประชุมปิดเหลือช่วงการเจรจาเพียง {open_capacity} ช่วง แต่มี {heard} หน่วยงาน: ห้องที่ปิด {names_th}",
                f"The rooms' closed days leave only {open_capacity} sessions for {heard} organisations: closed {names_en}",
                tuple(r.name for r in closed),
            )
        ]
    sitting_capacity = sum(
        min(
            len(constraints.open_rooms(day)),
            sum(1 for c in constraints.committees if not constraints.members_away_on(c, day)),
        )
        * n
        for day in days
    )
    if sitting_capacity < heard:
        members = _members_by_days_away(constraints)
        return [
            _away_issue(
                constraints,
                members,
                f"วันที่กรรมการไม่ว่างเหลือช่วงการเจรจาเพียง {sitting_capacity} ช่วง แต่มี {heard} หน่วยงาน",
                f"The members' days away leave only {sitting_capacity} sessions for {heard} organisations",
            )
        ]
    return []


def _committees_without_a_day(problem: Problem) -> list[Issue]:
    constraints = problem.constraints
    days = constraints.working_days()
    issues = []
    for committee in constraints.committees:
        if days and all(constraints.members_away_on(committee, day) for day in days):
            away = [m for m in dict.fromkeys(committee.members) if constraints.away_days(m)]
            issues.append(
                Issue(
                    Rule.COMMITTEE_NO_DAY,
                    f"คณะกรรมการ {committee.name} ประชุมไม่ได้สักวัน: ทุกวันทำการมีกรรมการไม่ว่าง"
                    f" ({_away_list_th(constraints, away)})",
                    f"Committee {committee.name} cannot sit on any day: on every working day a member is away"
                    f" ({_away_list_en(constraints, away)})",
                    (committee.name, *away),
                )
            )
    return issues


def _away_list_th(constraints: Constraints, members: Sequence[str]) -> str:
    return "; ".join(f"{m} ไม่ว่าง {dates_th(constraints.away_days(m))}" for m in members)


def _away_list_en(constraints: Constraints, members: Sequence[str]) -> str:
    return "; ".join(f"{m} away {dates_en(constraints.away_days(m))}" for m in members)


def _away_issue(constraints: Constraints, members: Sequence[str], lead_th: str, lead_en: str) -> Issue:
    return Issue(
        Rule.AWAY_DAYS,
        f"{lead_th}: {_away_list_th(constraints, members)}",
        f"{lead_en}: {_away_list_en(constraints, members)}",
        tuple(members),
    )


def _members_by_days_away(constraints: Constraints) -> list[str]:
    members = dict.fromkeys(m for c in constraints.committees for m in c.members)
    away = [m for m in members if constraints.away_days(m)]
    return sorted(away, key=lambda m: -len(constraints.away_days(m)))


def _rooms_by_days_closed(constraints: Constraints) -> list[str]:
    closed = {r.name: sum(1 for d in r.closed if constraints.is_working_day(d)) for r in constraints.rooms}
    return sorted((name for name, count in closed.items() if count), key=lambda name: -closed[name])


def _without_away(problem: Problem, members: Sequence[str]) -> Problem:
    kept = tuple(a for a in problem.constraints.away if a.member not in members)
    return replace(problem, constraints=replace(problem.constraints, away=kept))


def _without_closures(problem: Problem, rooms: Sequence[str]) -> Problem:
    opened = tuple(
        replace(r, closed=frozenset()) if r.name in rooms else r for r in problem.constraints.rooms
    )
    return replace(problem, constraints=replace(problem.constraints, rooms=opened))


def _feasible(problem: Problem, time_limit: float, seed: int, *, members_apart: bool = True) -> bool:
    if prechecks(problem):
        return False
    status, _ = _Model(problem, with_objective=False, members_apart=members_apart).solve(time_limit, seed)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class _Relaxed(Protocol):
    def __call__(
        self, chosen: Sequence[str], *, only_members: Sequence[str] = ..., only_rooms: Sequence[str] = ...
    ) -> bool: ...


def _diagnose(problem: Problem, time_limit: float, seed: int) -> list[Issue]:
    constraints = problem.constraints
    members = _members_by_days_away(constraints)
    rooms = _rooms_by_days_closed(constraints)
    shared = constraints.shared_members()
    families = [
        name for name, present in (("away", members), ("closures", rooms), ("shared", shared)) if present
    ]

    def relaxed(
        chosen: Sequence[str], *, only_members: Sequence[str] = (), only_rooms: Sequence[str] = ()
    ) -> bool:
        candidate = problem
        if "away" in chosen:
            candidate = _without_away(candidate, only_members or members)
        if "closures" in chosen:
            candidate = _without_closures(candidate, only_rooms or rooms)
        return _feasible(candidate, time_limit, seed, members_apart="shared" not in chosen)

    for size in range(1, len(families) + 1):
        for chosen in combinations(families, size):
            if relaxed(chosen):
                together = len(chosen) > 1
                return [_family_issue(problem, family, chosen, relaxed, together) for family in chosen]
    return [_groups_do_not_fit(problem)]


def _family_issue(
    problem: Problem, family: str, chosen: Sequence[str], relaxed: _Relaxed, together: bool
) -> Issue:
    constraints = problem.constraints
    also_th = " (เมื่อรวมกับเหตุอื่นที่แจ้งด้วย)" if together else ""
    also_en = " (together with the other reason given)" if together else ""
    if family == "shared":
        shared = constraints.shared_members()
        return Issue(
            Rule.SHARED_MEMBERS,
            "กรรมการที่อยู่หลายคณะทำให้จัดตารางไม่ได้ (คนหนึ่งเข้าได้ครั้งละหนึ่งการเจรจา"
            f" คณะที่มีกรรมการร่วมกันจึงเจรจาพร้อมกันไม่ได้): {', '.join(shared)}{also_th}",
            "The members who sit on several committees make a schedule impossible (a person sits in one session"
            f" at a time, so committees sharing a member cannot sit at once): {', '.join(shared)}{also_en}",
            tuple(shared),
        )
    if family == "away":
        named = _deciding(_members_by_days_away(constraints), lambda some: relaxed(chosen, only_members=some))
        return _away_issue(
            constraints,
            named,
            f"วันที่กรรมการไม่ว่างทำให้จัดตารางไม่ได้ หากกรรมการต่อไปนี้ว่างตามปกติจะจัดได้{also_th}",
            f"The members' days away make a schedule impossible; were these members free, one would exist{also_en}",
        )
    named = _deciding(_rooms_by_days_closed(constraints), lambda some: relaxed(chosen, only_rooms=some))
    rooms = {r.name: r for r in constraints.rooms}
    closed_th = "; ".join(
        f"{n} ปิด {dates_th(d for d in rooms[n].closed if constraints.is_working_day(d))}" for n in named
    )
    closed_en = "; ".join(
        f"{n} closed {dates_en(d for d in rooms[n].closed if constraints.is_working_day(d))}" for n in named
    )
    return Issue(
        Rule.ROOM_CLOSURES,
        f"วันที่ห้องประชุมปิดทำให้จัดตารางไม่ได้ หากห้องต่อไปนี้เปิดตามปกติจะจัดได้{also_th}: {closed_th}",
        f"The rooms' closed days make a schedule impossible; were these rooms open, one would exist{also_en}: {closed_en}",
        tuple(named),
    )


def _deciding(candidates: list[str], works: Callable[[Sequence[str]], bool]) -> list[str]:
    """The candidates (most days first) that each alone decide it; else the fewest of the first ones that
    together do."""
    alone = [name for name in candidates[:_MOST_TRIED] if works([name])]
    if alone:
        return alone
    for count in range(2, len(candidates)):
        if works(candidates[:count]):
            return candidates[:count]
    return candidates


def _groups_do_not_fit(problem: Problem) -> Issue:
    constraints = problem.constraints
    days = constraints.working_days()
    sittings = sum(
        1
        for committee in constraints.committees
        for day in days
        if constraints.open_rooms(day) and not constraints.members_away_on(committee, day)
    )
    sizes = ", ".join(
        str(group.size) for group in sorted(problem.groups(), key=lambda g: -g.size) if group.size > 1
    )
    n = constraints.sessions_per_day
    return Issue(
        Rule.GROUPS_DO_NOT_FIT,
        "จัดกลุ่มจังหวัดลงวันของคณะกรรมการไม่ได้: กลุ่มจังหวัดกับจังหวัดในกลุ่มต้องเจรจากับคณะเดียวในวันเดียว"
        f" (ขนาดกลุ่ม {sizes}) คณะหนึ่งรับได้วันละ {n} หน่วยงาน และมีวันที่คณะกรรมการประชุมได้รวม {sittings} คณะ-วัน",
        "The cluster groups cannot be fitted into the committees' days: a cluster and its provinces meet one"
        f" committee on one day (groups of {sizes}), a committee hears {n} a day, and there are {sittings}"
        " committee-days in all",
    )


def _warnings(problem: Problem) -> list[Issue]:
    issues = [
        Issue(
            Rule.NOT_READY_SCHEDULED,
            f"แผนของ{party.label}ยังไม่พร้อมเจรจา แต่จัดกำหนดการไว้ตามที่ขอ",
            f"The plan of {party.label} is not ready for negotiation, but it is scheduled as asked",
            (party.code,),
        )
        for party in problem.heard()
        if not party.ready
    ]
    left_out = problem.left_out()
    if left_out:
        names = ", ".join(p.label for p in left_out)
        issues.append(
            Issue(
                Rule.NOT_READY_LEFT_OUT,
                f"ไม่ได้จัดกำหนดการให้ {len(left_out)} หน่วยงานที่แผนยังไม่พร้อมเจรจา: {names}",
                f"{len(left_out)} organisations whose plans are not ready have no session: {names}",
                tuple(p.code for p in left_out),
            )
        )
    return [*issues, *_committees_without_a_day(problem)]


__all__ = ["DEFAULT_TIME_LIMIT", "Infeasible", "Schedule", "prechecks", "schedule"]
