"""Reads of a plan's history: its events, newest first, filtered by what, how, who, which KPI and text.

``kind``, ``channel`` and ``actor`` are filtered in the database. A KPI or a text is looked for inside
``changes``, a JSON list, and JSON arrays do not filter the same way on SQLite (text, no containment) and
PostgreSQL (jsonb): so those two are matched in Python over one query of the newest :data:`SCAN_LIMIT`
events' ``note`` and ``changes`` only, and the page is then read by primary key. Either way the page costs a
fixed number of queries, and the scan is bounded whatever the size of the history.
"""

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.plans.diff import shown_value
from khamrap.plans.models import Channel, Plan, PlanEvent, PlanEventKind
from khamrap.plans.schema import field_label
from khamrap.thai.text import normalise

PAGE_SIZE = 50
SCAN_LIMIT = 5000  # events searched for a KPI or a text: years of autosaves of one plan
TEXT_LENGTH = 200
_CODE = re.compile(r"\d{1,3}(\.\d{1,3}){0,3}")


@dataclass(frozen=True)
class HistoryFilters:
    """The filters of a history page, as typed values (``actor`` is a user's id)."""

    kind: PlanEventKind | None = None
    channel: Channel | None = None
    actor: int | None = None
    kpi_code: str | None = None
    text: str | None = None

    def as_query(self) -> str:
        """The filters as the page's query string (paging and the export keep them)."""
        names = {"kind": "kind", "channel": "channel", "actor": "actor", "kpi_code": "kpi", "text": "q"}
        return urlencode({names[k]: v for k, v in asdict(self).items() if v is not None})

    @property
    def active(self) -> bool:
        return any(v is not None for v in asdict(self).values())


def history_filters(params: Mapping[str, str], *, actors: Sequence[User]) -> HistoryFilters:
    """Read the filters of a request's query (``kind``, ``channel``, ``actor``, ``kpi``, ``q``); an unknown
    value is refused with one :class:`DomainError` naming every wrong filter (never silently dropped)."""
    wrong_th: list[str] = []
    wrong_en: list[str] = []

    def refuse(th: str, en: str) -> None:
        wrong_th.append(th)
        wrong_en.append(en)

    kind = channel = None
    actor = None
    raw = {name: params.get(name, "").strip() for name in ("kind", "channel", "actor", "kpi", "q")}
    if raw["kind"]:
        if raw["kind"] in PlanEventKind.values:
            kind = PlanEventKind(raw["kind"])
        else:
            refuse("ไม่รู้จักประเภทของรายการ", "unknown kind of event")
    if raw["channel"]:
        if raw["channel"] in Channel.values:
            channel = Channel(raw["channel"])
        else:
            refuse("ไม่รู้จักช่องทาง", "unknown channel")
    if raw["actor"]:
        ids = {user.pk for user in actors}
        if raw["actor"].isdigit() and int(raw["actor"]) in ids:
            actor = int(raw["actor"])
        else:
            refuse("ไม่พบผู้แก้ไขที่เลือกในประวัติของแบบฟอร์มนี้", "no such person in this plan's history")
    kpi = raw["kpi"]
    if _is_uid(kpi):
        kpi = str(uuid.UUID(kpi))  # as stored: lower case with hyphens
    elif kpi and not _CODE.fullmatch(kpi):
        refuse("รหัสตัวชี้วัดต้องเป็นเลขข้อ เช่น 1.1", "a KPI code is a number such as 1.1")
    text = normalise(raw["q"])
    if len(text) > TEXT_LENGTH:
        refuse(f"ข้อความที่ค้นหายาวเกิน {TEXT_LENGTH} ตัวอักษร", f"the search text is over {TEXT_LENGTH} characters")
    if wrong_th:
        raise DomainError("ตัวกรองไม่ถูกต้อง: " + "; ".join(wrong_th), "Invalid filter: " + "; ".join(wrong_en))
    return HistoryFilters(kind=kind, channel=channel, actor=actor, kpi_code=kpi or None, text=text or None)


def _is_uid(value: str) -> bool:
    if len(value) not in (32, 36):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def history_actors(*, plan: Plan) -> list[User]:
    """The people who appear in the plan's history, by name (one query)."""
    if plan.pk is None:
        return []
    return list(
        User.objects.filter(pk__in=PlanEvent.objects.filter(plan=plan).values("actor")).order_by(
            "first_name", "last_name", "username"
        )
    )


def plan_history(
    *,
    plan: Plan,
    kind: PlanEventKind | None = None,
    channel: Channel | None = None,
    actor: int | None = None,
    kpi_code: str | None = None,
    text: str | None = None,
) -> QuerySet[PlanEvent]:
    """The plan's events newest first with their actor, filtered; lazy, so a paginator reads one page.

    ``kpi_code`` is a KPI's code (as it was when the change was made) or its uid; ``text`` is looked for,
    whatever its case, in the note and in each change's code, field label and old and new values.
    Costs one query more when ``kpi_code`` or ``text`` is given (the bounded scan of the module's note).
    """
    if plan.pk is None:
        return PlanEvent.objects.none()
    events = PlanEvent.objects.filter(plan=plan)
    if kind is not None:
        events = events.filter(kind=PlanEventKind(kind))
    if channel is not None:
        events = events.filter(channel=Channel(channel))
    if actor is not None:
        events = events.filter(actor_id=actor)
    newest = events.order_by("-at", "-pk")
    if kpi_code or text:
        needle = normalise(text).casefold() if text else ""
        scanned = newest.values_list("pk", "note", "changes")[:SCAN_LIMIT]
        found = [
            pk
            for pk, note, changes in scanned
            if (not kpi_code or _touches_kpi(changes, kpi_code))
            and (not needle or _says(note, changes, needle))
        ]
        newest = newest.filter(pk__in=found)
    return newest.select_related("actor")


def _touches_kpi(changes: Any, kpi: str) -> bool:
    return any(kpi in (entry.get("code"), entry.get("kpi")) for entry in _entries(changes))


def _says(note: str, changes: Any, needle: str) -> bool:
    texts = [note]
    for entry in _entries(changes):
        name = str(entry.get("field", ""))
        texts += [str(entry.get("code", "")), field_label(name, "th"), field_label(name, "en")]
        for value in (entry.get("old", ""), entry.get("new", "")):
            texts += [str(value), shown_value(name, value, limit=None)]
    return any(needle in t.casefold() for t in texts)  # stored text is normalised when it is entered


def _entries(changes: Any) -> list[dict[str, Any]]:
    return [entry for entry in changes if isinstance(entry, dict)] if isinstance(changes, list) else []


@dataclass(frozen=True)
class HistoryChange:
    """One change of an event as a person reads it."""

    code: str
    field: str
    label: str
    old: str
    new: str

    @property
    def long(self) -> bool:
        """Shown as a block of its own rather than inline (descriptions, formulas, level texts)."""
        return len(self.old) + len(self.new) > 80 or "\n" in self.old + self.new


def event_changes(event: PlanEvent, *, language: str | None = "th") -> list[HistoryChange]:
    """The changes of ``event`` with their field labels and values shown by label (choices), whole."""
    return [
        HistoryChange(
            code=str(entry.get("code", "")),
            field=str(entry.get("field", "")),
            label=field_label(str(entry.get("field", "")), language),
            old=shown_value(str(entry.get("field", "")), entry.get("old", ""), limit=None),
            new=shown_value(str(entry.get("field", "")), entry.get("new", ""), limit=None),
        )
        for entry in _entries(event.changes)
    ]
