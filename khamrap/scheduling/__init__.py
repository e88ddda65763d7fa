"""The negotiation schedule — pure Python, no Django (``tests/scheduling/test_scheduling_is_pure.py``).

- :mod:`khamrap.scheduling.problem`: what a schedule is made of (window, sessions, rooms, committees, days
  away, parties) and a session (``Slot``), as frozen dataclasses.
- :mod:`khamrap.scheduling.solver`: ``schedule(problem)`` — the schedule with the fewest days (OR-Tools
  CP-SAT), or ``Infeasible`` with the constraint that cannot be met.
- :mod:`khamrap.scheduling.conflicts`: ``conflicts(slots, problem)`` — every rule a given schedule breaks.

Every message is a :class:`~khamrap.scheduling.issues.Issue`: a rule's code, Thai and English. The rules are
described in docs/negotiations.md.
"""

from khamrap.scheduling.conflicts import conflicts
from khamrap.scheduling.issues import Issue, Rule
from khamrap.scheduling.problem import (
    Absence,
    Committee,
    Constraints,
    Group,
    Lunch,
    Party,
    Problem,
    Room,
    SchedulingInputError,
    Slot,
)
from khamrap.scheduling.solver import DEFAULT_TIME_LIMIT, Infeasible, Schedule, prechecks, schedule

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Absence",
    "Committee",
    "Constraints",
    "Group",
    "Infeasible",
    "Issue",
    "Lunch",
    "Party",
    "Problem",
    "Room",
    "Rule",
    "Schedule",
    "SchedulingInputError",
    "Slot",
    "conflicts",
    "prechecks",
    "schedule",
]
