"""A scoring scenario as JSON in, the score sheet as JSON out (what ``khamrap score`` runs).

Input::

    {"floor": "1", "not_reported": "1",
     "indicators": [
       {"code": "1.1", "weight": 10, "type": "quantitative", "direction": "higher",
        "criteria": [80, 85, 90, 95, 100], "result": 92.5},
       {"code": "1.2", "weight": 5, "type": "milestone", "level": 3, "substeps_done": 1, "substeps_total": 4},
       {"code": "1.4", "weight": 5, "not_applicable": true},
       {"code": "2", "weight": 20, "children": [...]},
       {"code": "3", "weight": 4, "type": "milestone", "level": 5,
        "deductions": [{"reason": "ไม่ส่งรายงานความก้าวหน้า", "points": 0.2}]}]}

``floor`` defaults to 1 and ``not_reported`` to the floor. Numbers may be JSON numbers or strings; JSON
numbers are read straight into ``Decimal`` from their text, never through a binary float. ``result`` and
``level`` are required and may be ``null`` (not reported). An indicator may also carry a ``name`` (ignored);
any other unknown field is an error, so a misspelt field never passes silently.

Output: ``{"indicators": [{"code", "score", "weighted", "children"}, ...], "total"}`` with every number a
4-decimal string and ``null`` for an indicator that is not applicable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict

from khamrap.scoring.engine import (
    Deduction,
    Indicator,
    IndicatorScore,
    Measure,
    Milestone,
    Quantitative,
    Rules,
    ScoreSheet,
    score_indicators,
    validate_indicators,
)
from khamrap.scoring.errors import ScoringInputError

TYPES = ("quantitative", "milestone")
MAX_DEPTH = 10  # 1 → 1.1 → 1.1.1 …; real frameworks use three or four levels
_SCENARIO_FIELDS = frozenset({"floor", "not_reported", "indicators"})
_COMMON_FIELDS = frozenset({"code", "name", "weight", "not_applicable", "deductions"})
_TYPE_FIELDS = {
    "quantitative": frozenset({"type", "direction", "criteria", "result"}),
    "milestone": frozenset({"type", "level", "substeps_done", "substeps_total"}),
}
# Stricter than Decimal(), which also takes "NaN", "1_000" and Thai digits.
_NUMERAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_PARENT_FIELDS = frozenset({"children"})
_DEDUCTION_FIELDS = frozenset({"reason", "points"})


class RenderedIndicator(TypedDict):
    code: str
    score: str | None
    weighted: str | None
    children: list[RenderedIndicator]


class RenderedSheet(TypedDict):
    indicators: list[RenderedIndicator]
    total: str | None


# -- reading values ---------------------------------------------------------------------------------------


def _missing(field: str) -> ScoringInputError:
    return ScoringInputError(field, "is required", "ไม่ได้ระบุ (จำเป็นต้องมี)")


def _number(value: object, field: str) -> Decimal:
    """A JSON number (already a Decimal) or a numeric string in ASCII digits, as a Decimal."""
    if isinstance(value, str) and _NUMERAL.fullmatch(value.strip()):
        return Decimal(value.strip())
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    raise ScoringInputError(field, f"must be a number, got {_show(value)}", "ต้องเป็นตัวเลข")


def _show(value: object) -> str:
    """``value`` as the JSON it came from, shortened, for an error message."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, list):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "an object"
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _whole_number(value: object, field: str) -> int:
    number = _number(value, field)
    if number != number.to_integral_value():
        raise ScoringInputError(field, f"must be a whole number, got {number}", "ต้องเป็นจำนวนเต็ม")
    return int(number)


def _object(value: object, field: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ScoringInputError(field, "must be a JSON object", "ต้องเป็นออบเจกต์ JSON")
    return value


def _list(value: object, field: str) -> list[object]:
    if not isinstance(value, list):
        raise ScoringInputError(field, "must be a JSON list", "ต้องเป็นรายการ (list) JSON")
    return value


def _reject_unknown(data: Mapping[str, object], allowed: frozenset[str], what: str) -> None:
    for key in data:
        if key not in allowed:
            raise ScoringInputError(key, f"is not a field of {what}", f"ไม่ใช่ฟิลด์ของ{what}")


def _reject_constant(name: str) -> object:
    raise ScoringInputError("json", f"{name} is not a number JSON allows", f"{name} ไม่ใช่ตัวเลขที่ JSON ยอมรับ")


# -- the scenario -----------------------------------------------------------------------------------------


def _measure(data: Mapping[str, object], kind: str) -> Measure:
    if kind == "quantitative":
        direction = data.get("direction")
        if direction is None:
            raise _missing("direction")
        if direction not in ("higher", "lower"):
            raise ScoringInputError("direction", 'must be "higher" or "lower"', 'ต้องเป็น "higher" หรือ "lower"')
        if "criteria" not in data:
            raise _missing("criteria")
        criteria = _list(data["criteria"], "criteria")
        if "result" not in data:
            raise _missing("result")
        result = data["result"]
        return Quantitative(
            direction="higher" if direction == "higher" else "lower",
            criteria=tuple(_number(value, f"criteria[{i}]") for i, value in enumerate(criteria)),
            result=None if result is None else _number(result, "result"),
        )
    if "level" not in data:
        raise _missing("level")
    level = data["level"]
    substeps_total = data.get("substeps_total")
    substeps_done = data.get("substeps_done")
    if substeps_done is not None and substeps_total is None:
        raise ScoringInputError(
            "substeps_total",
            "is required when substeps_done is given",
            "ต้องระบุจำนวนขั้นย่อยทั้งหมดเมื่อระบุขั้นย่อยที่ทำแล้ว",
        )
    return Milestone(
        level=None if level is None else _whole_number(level, "level"),
        substeps_done=0 if substeps_done is None else _whole_number(substeps_done, "substeps_done"),
        substeps_total=0 if substeps_total is None else _whole_number(substeps_total, "substeps_total"),
    )


def _deductions(value: object) -> tuple[Deduction, ...]:
    deductions = []
    for index, item in enumerate(_list(value, "deductions")):
        field = f"deductions[{index}]"
        data = _object(item, field)
        try:
            _reject_unknown(data, _DEDUCTION_FIELDS, "a deduction")
            if "reason" not in data:
                raise _missing("reason")
            if "points" not in data:
                raise _missing("points")
            reason = data["reason"]
            if not isinstance(reason, str):
                raise ScoringInputError("reason", "must be text", "ต้องเป็นข้อความ")
            deductions.append(Deduction(reason=reason, points=_number(data["points"], "points")))
        except ScoringInputError as error:
            raise ScoringInputError(f"{field}.{error.field}", error.message, error.message_th) from None
    return tuple(deductions)


def _indicator(item: object, where: str, depth: int = 1) -> Indicator:
    data = _object(item, where)
    code = data.get("code")
    if code is None:
        raise _missing(f"{where}.code")
    if not isinstance(code, str):
        raise ScoringInputError(f"{where}.code", 'must be text, e.g. "1.1"', 'ต้องเป็นข้อความ เช่น "1.1"')
    try:
        return _indicator_fields(data, code, depth)
    except ScoringInputError as error:
        raise error.for_indicator(code) from None


def _indicator_fields(data: Mapping[str, object], code: str, depth: int) -> Indicator:
    if "weight" not in data:
        raise _missing("weight")
    weight = _number(data["weight"], "weight")
    not_applicable = data.get("not_applicable", False)
    if not isinstance(not_applicable, bool):
        raise ScoringInputError("not_applicable", "must be true or false", "ต้องเป็น true หรือ false")
    deductions = _deductions(data["deductions"]) if "deductions" in data else ()
    measure: Measure | None = None
    children: tuple[Indicator, ...] = ()
    if "children" in data:
        _reject_unknown(data, _COMMON_FIELDS | _PARENT_FIELDS, "an indicator with children")
        if depth >= MAX_DEPTH:
            raise ScoringInputError(
                "children",
                f"indicators may be nested at most {MAX_DEPTH} levels deep",
                f"ตัวชี้วัดซ้อนกันได้ไม่เกิน {MAX_DEPTH} ชั้น",
            )
        children = tuple(
            _indicator(child, f"children[{index}]", depth + 1)
            for index, child in enumerate(_list(data["children"], "children"))
        )
        if not children:
            raise ScoringInputError("children", "must not be empty", "ต้องมีตัวชี้วัดย่อยอย่างน้อยหนึ่งตัว")
    elif "type" in data:
        kind = data["type"]
        if kind not in TYPES:
            raise ScoringInputError(
                "type",
                f'must be "quantitative" or "milestone", got {_show(kind)}',
                'ต้องเป็น "quantitative" หรือ "milestone"',
            )
        kind = str(kind)
        _reject_unknown(data, _COMMON_FIELDS | _TYPE_FIELDS[kind], f"a {kind} indicator")
        measure = _measure(data, kind)
    elif not not_applicable:
        raise _missing("type")
    else:
        _reject_unknown(data, _COMMON_FIELDS, "an indicator")
    return Indicator(
        code=code,
        weight=weight,
        measure=measure,
        not_applicable=not_applicable,
        children=children,
        deductions=deductions,
    )


def parse_scenario(text: str) -> tuple[list[Indicator], Rules]:
    """Reads and checks a whole scenario; raises ScoringInputError naming the indicator and the field."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ScoringInputError(
            "json",
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}",
            f"JSON ไม่ถูกต้องที่บรรทัด {error.lineno} คอลัมน์ {error.colno}: {error.msg}",
        ) from None
    except RecursionError:
        raise ScoringInputError("json", "is nested too deeply", "ซ้อนกันลึกเกินไป") from None
    scenario = _object(data, "scenario")
    _reject_unknown(scenario, _SCENARIO_FIELDS, "a scenario")
    floor = _number(scenario["floor"], "floor") if scenario.get("floor") is not None else Decimal(1)
    not_reported = scenario.get("not_reported")
    rules = Rules(
        floor=floor, not_reported=floor if not_reported is None else _number(not_reported, "not_reported")
    )
    if "indicators" not in scenario:
        raise _missing("indicators")
    indicators = [
        _indicator(item, f"indicators[{index}]")
        for index, item in enumerate(_list(scenario["indicators"], "indicators"))
    ]
    validate_indicators(indicators)
    return indicators, rules


# -- the score sheet --------------------------------------------------------------------------------------


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def _render_indicator(indicator: IndicatorScore) -> RenderedIndicator:
    return {
        "code": indicator.code,
        "score": _figure(indicator.score),
        "weighted": _figure(indicator.weighted),
        "children": [_render_indicator(child) for child in indicator.children],
    }


def render_sheet(sheet: ScoreSheet) -> RenderedSheet:
    """The score sheet as JSON-ready data: every figure a 4-decimal string, ``None`` when not applicable."""
    return {
        "indicators": [_render_indicator(indicator) for indicator in sheet.indicators],
        "total": _figure(sheet.total),
    }


def run(text: str) -> str:
    """Scores a JSON scenario and returns the score sheet as JSON (Thai left readable, not escaped)."""
    indicators, rules = parse_scenario(text)
    return json.dumps(render_sheet(score_indicators(indicators, rules)), ensure_ascii=False, indent=2)
