"""Solver time of the negotiation schedule for a FY2551-sized year: 93 parties (18 clusters, 75 provinces),
3 rooms, 4 committees, 6 sessions a day, inside 1–16 Nov 2007.

Run: ``.venv/bin/python bench/bench_schedule.py [TIME_LIMIT]`` (seconds, default 10). Pure: no database.
No assertion on time: this only reports.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from khamrap.scheduling import Committee, Constraints, Party, Problem, Room, Schedule, schedule


def _problem() -> Problem:
    parties: list[Party] = []
    number = 10
    for c in range(1, 19):
        parties.append(Party(f"C{c}", f"กลุ่ม {c}", "cluster"))
        for _ in range(5 if c <= 3 else 4):
            number += 1
            parties.append(Party(str(number), f"จังหวัด {number}", "province", cluster=f"C{c}"))
    constraints = Constraints(
        first_day=date(2007, 11, 1),
        last_day=date(2007, 11, 16),
        sessions_per_day=6,
        session_minutes=60,
        rooms=(Room("ห้อง 1"), Room("ห้อง 2"), Room("ห้อง 3")),
        committees=tuple(Committee(f"คณะที่ {n}", (f"ก{n}", f"ข{n}")) for n in range(1, 5)),
    )
    return Problem(constraints, tuple(parties))


def main() -> None:
    limit = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    problem = _problem()
    started = time.perf_counter()
    result = schedule(problem, time_limit=limit)
    elapsed = time.perf_counter() - started
    if isinstance(result, Schedule):
        print(
            f"{len(result.slots)} parties: {elapsed:.2f} s, {len(result.days)} days used, "
            f"optimal={result.optimal}"
        )
    else:
        print(f"no schedule after {elapsed:.2f} s: {[str(r) for r in result.reasons]}")


if __name__ == "__main__":
    main()
