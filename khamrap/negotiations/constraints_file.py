"""The administrator's constraints file read into ``khamrap.scheduling.Constraints``, every wrong entry named
before anything is scheduled."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from khamrap.core.errors import DomainError
from khamrap.scheduling import Absence, Committee, Constraints, Room, SchedulingInputError

KEYS = {"window", "holidays", "sessions_per_day", "session_minutes", "rooms", "committees", "away"}


def constraints_read(*, path: Path) -> Constraints:
    """The constraints in ``path``, or one ``DomainError`` listing every wrong key or entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DomainError(f"อ่านไฟล์ {path} ไม่ได้: {error}", f"cannot read {path}: {error}") from error
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise DomainError("ไฟล์ต้องเป็นออบเจกต์ JSON", "the file must hold a JSON object")

    def wrong(key: str, th: str, en: str) -> None:
        problems.append((f"{key}: {th}", f"{key}: {en}"))

    def day(key: str, value: Any) -> date | None:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            wrong(
                key,
                f"วันที่ไม่ถูกต้อง {value!r} (ต้องเป็น YYYY-MM-DD ค.ศ.)",
                f"not a date {value!r} (YYYY-MM-DD, CE)",
            )
            return None

    def days(key: str, values: Any) -> frozenset[date]:
        if not isinstance(values, list):
            wrong(key, "ต้องเป็นรายการวันที่", "must be a list of dates")
            return frozenset()
        return frozenset(d for i, v in enumerate(values) if (d := day(f"{key}[{i}]", v)) is not None)

    def number(key: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            wrong(key, "ต้องเป็นจำนวนเต็มตั้งแต่ 1", "must be a whole number of at least 1")
            return 1
        return value

    for key in sorted(set(data) - KEYS):
        wrong(key, "ไม่รู้จักคีย์นี้", "unknown key")
    for key in sorted(KEYS - {"holidays", "away"} - set(data)):
        wrong(key, "ขาดคีย์นี้", "missing key")
    window = data.get("window")
    first = last = None
    if isinstance(window, list) and len(window) == 2:
        first, last = day("window[0]", window[0]), day("window[1]", window[1])
    elif "window" in data:
        wrong("window", "ต้องเป็นวันแรกและวันสุดท้าย", "must be [first day, last day]")
    holidays = days("holidays", data.get("holidays", []))
    sessions, minutes = number("sessions_per_day"), number("session_minutes")
    rooms: list[Room] = []
    for i, entry in enumerate(data.get("rooms") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            wrong(f"rooms[{i}]", "ต้องมีชื่อห้อง", "must have a name")
            continue
        rooms.append(Room(entry["name"], days(f"rooms[{i}].closed", entry.get("closed", []))))
    if "rooms" in data and not rooms:
        wrong("rooms", "ต้องมีอย่างน้อยหนึ่งห้อง", "must list at least one room")
    committees: list[Committee] = []
    for i, entry in enumerate(data.get("committees") or []):
        members = entry.get("members") if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) and m.strip() for m in members)
        ):
            wrong(f"committees[{i}]", "ต้องมีชื่อและรายชื่อกรรมการ", "must have a name and members")
            continue
        committees.append(Committee(entry["name"], tuple(members)))
    if "committees" in data and not committees:
        wrong("committees", "ต้องมีอย่างน้อยหนึ่งคณะ", "must list at least one committee")
    away_given = data.get("away", {})
    away: list[Absence] = []
    if not isinstance(away_given, dict):
        wrong("away", "ต้องเป็นออบเจกต์ กรรมการ → วันที่", "must map a member to dates")
    else:
        known = {m for c in committees for m in c.members}
        for member, values in away_given.items():
            if member not in known:
                wrong(f"away.{member}", "ไม่ใช่กรรมการคณะใด", "is on no committee")
            away.append(Absence(member, days(f"away.{member}", values)))
    if not problems and first is not None and last is not None:
        try:
            return Constraints(
                first_day=first,
                last_day=last,
                sessions_per_day=sessions,
                session_minutes=minutes,
                rooms=tuple(rooms),
                committees=tuple(committees),
                holidays=holidays,
                away=tuple(away),
            )
        except SchedulingInputError as error:
            wrong(error.field, error.message_th, error.message_en)
    raise DomainError("\n".join(th for th, _ in problems), "\n".join(en for _, en in problems))
