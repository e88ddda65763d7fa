"""The one way the scheduler says something is wrong: a rule's code with a Thai and an English message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """Every code the scheduler reports. docs/negotiations.md lists them with their meaning."""

    # A schedule breaks a rule (``conflicts``)
    PARTY_MISSING = "party-missing"
    PARTY_TWICE = "party-twice"
    PARTY_UNKNOWN = "party-unknown"
    NOT_READY = "not-ready"
    OUTSIDE_WINDOW = "outside-window"
    NOT_WORKING_DAY = "not-working-day"
    SESSION_TIMES = "session-times"
    ROOM_UNKNOWN = "room-unknown"
    ROOM_CLOSED = "room-closed"
    ROOM_DOUBLE_BOOKED = "room-double-booked"
    COMMITTEE_UNKNOWN = "committee-unknown"
    COMMITTEE_DOUBLE_BOOKED = "committee-double-booked"
    MEMBER_DOUBLE_BOOKED = "member-double-booked"
    MEMBER_AWAY = "member-away"
    CLUSTER_NOT_SAME_DAY = "cluster-not-same-day"
    CLUSTER_NOT_SAME_COMMITTEE = "cluster-not-same-committee"
    # No schedule exists (``Infeasible.reasons``)
    NO_WORKING_DAY = "no-working-day"
    CAPACITY = "capacity"
    GROUP_TOO_LARGE = "group-too-large"
    COMMITTEE_NO_DAY = "committee-no-day"
    AWAY_DAYS = "away-days"
    ROOM_CLOSURES = "room-closures"
    SHARED_MEMBERS = "shared-members"
    GROUPS_DO_NOT_FIT = "groups-do-not-fit"
    TIME_LIMIT = "time-limit"
    # A schedule was made, but look (``Schedule.warnings``)
    NOT_READY_SCHEDULED = "not-ready-scheduled"
    NOT_READY_LEFT_OUT = "not-ready-left-out"


@dataclass(frozen=True)
class Issue:
    """``subjects`` are what the message names: organisation codes, room, committee or member names."""

    rule: Rule
    message_th: str
    message_en: str
    subjects: tuple[str, ...] = ()

    def message(self, language: str | None = "th") -> str:
        return self.message_en if (language or "th").startswith("en") else self.message_th

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message_th} / {self.message_en}"
