"""What a negotiation schedule is made of: the window and its sessions, the rooms, the committees, the members'
days away, and the parties (provinces and clusters) to be heard.

Working days are Monday to Friday that are not holidays. Every working day has ``sessions_per_day`` sessions
of ``session_minutes`` each, back to back from ``day_starts``; with a ``Lunch``, the sessions after the
first ``lunch.after_session`` start ``lunch.minutes`` later. Session ``k`` (from 0) of a day therefore starts
at ``day_starts + k × session_minutes`` plus the lunch break when ``k ≥ lunch.after_session``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Literal

from khamrap.thai.dates import format_date, format_date_range

PartyKind = Literal["province", "cluster"]
_SATURDAY = 5
_MINUTES_IN_A_DAY = 24 * 60


class SchedulingInputError(ValueError):
    """A problem the scheduler cannot take as given (a programming error: files are checked before)."""

    def __init__(self, field: str, message_th: str, message_en: str) -> None:
        self.field = field
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(f"{field}: {message_en}")


@dataclass(frozen=True)
class Room:
    name: str
    closed: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Committee:
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Absence:
    """The days ``member`` cannot sit: no committee of theirs meets on them."""

    member: str
    dates: frozenset[date]


@dataclass(frozen=True)
class Lunch:
    """A break of ``minutes`` after the first ``after_session`` sessions of every day."""

    after_session: int
    minutes: int


@dataclass(frozen=True)
class Constraints:
    """Everything about the negotiation but the parties: what the administrator's constraints file holds."""

    first_day: date
    last_day: date
    sessions_per_day: int
    session_minutes: int
    rooms: tuple[Room, ...]
    committees: tuple[Committee, ...]
    holidays: frozenset[date] = frozenset()
    away: tuple[Absence, ...] = ()
    day_starts: time = time(9, 0)
    lunch: Lunch | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise SchedulingInputError("window", "วันสุดท้ายอยู่ก่อนวันแรก", "the last day is before the first")
        if self.sessions_per_day < 1:
            raise SchedulingInputError("sessions_per_day", "ต้องมีอย่างน้อย 1", "must be at least 1")
        if self.session_minutes < 1:
            raise SchedulingInputError("session_minutes", "ต้องมีอย่างน้อย 1", "must be at least 1")
        if self.lunch is not None and not (
            0 < self.lunch.after_session < self.sessions_per_day and self.lunch.minutes > 0
        ):
            raise SchedulingInputError(
                "lunch",
                "พักกลางวันต้องอยู่ระหว่างช่วงการเจรจาของวันและยาวอย่างน้อย 1 นาที",
                "the lunch break must fall between two sessions of the day and last at least a minute",
            )
        if _minutes(self.day_starts) + self._day_minutes() >= _MINUTES_IN_A_DAY:
            raise SchedulingInputError(
                "sessions_per_day",
                "ช่วงการเจรจาทั้งหมดของวันเลยเที่ยงคืน",
                "the day's sessions run past midnight",
            )
        for kind, names in (("rooms", [r.name for r in self.rooms]), ("committees", self.committee_names)):
            if any(not name.strip() for name in names) or len(set(names)) != len(names):
                raise SchedulingInputError(kind, "ชื่อต้องไม่ว่างและไม่ซ้ำกัน", "names must be given and distinct")

    def _day_minutes(self) -> int:
        lunch = self.lunch.minutes if self.lunch else 0
        return self.sessions_per_day * self.session_minutes + lunch

    @property
    def committee_names(self) -> list[str]:
        return [c.name for c in self.committees]

    @property
    def window_th(self) -> str:
        return format_date_range(self.first_day, self.last_day)

    @property
    def window_en(self) -> str:
        return format_date_range(self.first_day, self.last_day, lang="en")

    def is_working_day(self, day: date) -> bool:
        return (
            self.first_day <= day <= self.last_day and day.weekday() < _SATURDAY and day not in self.holidays
        )

    def working_days(self) -> tuple[date, ...]:
        count = (self.last_day - self.first_day).days + 1
        days = (self.first_day + timedelta(days=n) for n in range(count))
        return tuple(day for day in days if self.is_working_day(day))

    def session_start(self, session: int) -> time:
        minutes = _minutes(self.day_starts) + session * self.session_minutes
        if self.lunch is not None and session >= self.lunch.after_session:
            minutes += self.lunch.minutes
        return time(minutes // 60, minutes % 60)

    def session_end(self, session: int) -> time:
        minutes = _minutes(self.session_start(session)) + self.session_minutes
        return time(minutes // 60, minutes % 60)

    def away_days(self, member: str) -> frozenset[date]:
        """The working days ``member`` is away."""
        days: set[date] = set()
        for absence in self.away:
            if absence.member == member:
                days |= {d for d in absence.dates if self.is_working_day(d)}
        return frozenset(days)

    def members_away_on(self, committee: Committee, day: date) -> list[str]:
        return [m for m in committee.members if day in self.away_days(m)]

    def open_rooms(self, day: date) -> tuple[Room, ...]:
        return tuple(room for room in self.rooms if day not in room.closed)

    def shared_members(self) -> list[str]:
        """The people who sit on more than one committee, in the order they first appear."""
        seen: dict[str, int] = {}
        for committee in self.committees:
            for member in dict.fromkeys(committee.members):
                seen[member] = seen.get(member, 0) + 1
        return [member for member, count in seen.items() if count > 1]


@dataclass(frozen=True)
class Party:
    """An organisation to be heard: a province (with its cluster's ``code``, if any) or a cluster."""

    code: str
    name: str
    kind: PartyKind
    cluster: str | None = None
    ready: bool = True

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Group:
    """A cluster and its provinces, heard on one day by one committee (the cluster first, then the provinces
    by code). The provinces of a cluster that is not itself heard still form a group, so the cluster can join
    them later. A province of no cluster is a group of its own."""

    cluster: str | None
    label: str
    parties: tuple[Party, ...]

    @property
    def size(self) -> int:
        return len(self.parties)


@dataclass(frozen=True)
class Problem:
    constraints: Constraints
    parties: tuple[Party, ...]
    allow_not_ready: bool = False
    _by_code: dict[str, Party] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        codes = [p.code for p in self.parties]
        if len(set(codes)) != len(codes):
            raise SchedulingInputError("parties", "รหัสหน่วยงานซ้ำกัน", "organisation codes repeat")
        if any(p.kind == "cluster" and p.cluster is not None for p in self.parties):
            raise SchedulingInputError("parties", "กลุ่มจังหวัดไม่อยู่ในกลุ่มอื่น", "a cluster belongs to no cluster")
        object.__setattr__(self, "_by_code", {p.code: p for p in self.parties})

    def party(self, code: str) -> Party | None:
        return self._by_code.get(code)

    def heard(self) -> tuple[Party, ...]:
        """The parties to be scheduled: the ready ones, or every one when ``allow_not_ready``."""
        return tuple(p for p in self.parties if p.ready or self.allow_not_ready)

    def left_out(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if not (p.ready or self.allow_not_ready))

    def group_key(self, party: Party) -> str:
        """The cluster's code for a cluster and its provinces; the party's own code otherwise."""
        return party.code if party.kind == "cluster" else (party.cluster or party.code)

    def groups(self) -> tuple[Group, ...]:
        """The heard parties in their groups, in the order of the parties' cluster codes."""
        grouped: dict[str, list[Party]] = {}
        for party in sorted(self.heard(), key=lambda p: (p.kind != "cluster", p.code)):
            grouped.setdefault(self.group_key(party), []).append(party)
        return tuple(self._group(key, members) for key, members in sorted(grouped.items()))

    def _group(self, key: str, members: list[Party]) -> Group:
        cluster = self.party(key)
        if cluster is not None and cluster.kind == "cluster":
            return Group(cluster=key, label=cluster.label, parties=tuple(members))
        if members[0].code == key:  # a province of no cluster
            return Group(cluster=None, label=members[0].label, parties=tuple(members))
        return Group(cluster=key, label=key, parties=tuple(members))


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def dates_th(days: Iterable[date]) -> str:
    """Days as Thai text, runs of consecutive days as ranges: "1–3 พ.ย. 2550, 7 พ.ย. 2550"."""
    return ", ".join(_runs(days, "th"))


def dates_en(days: Iterable[date]) -> str:
    return ", ".join(_runs(days, "en"))


def _runs(days: Iterable[date], lang: Literal["th", "en"]) -> list[str]:
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return [
        format_date(first, lang=lang) if first == last else format_date_range(first, last, lang=lang)
        for first, last in runs
    ]


def clock(moment: time) -> str:
    """``09:00``."""
    return moment.strftime("%H:%M")


@dataclass(frozen=True)
class Slot:
    """One party's session: ``party`` is its code."""

    party: str
    day: date
    start: time
    end: time
    room: str
    committee: str

    def overlaps(self, other: Slot) -> bool:
        return self.day == other.day and self.start < other.end and other.start < self.end
