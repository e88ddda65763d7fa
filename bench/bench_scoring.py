"""Throughput of the scoring engine's hot path against a plain-float loop of the same interpolation.

Run: ``.venv/bin/python bench/bench_scoring.py [N]`` (N defaults to 500,000 KPI scores).

Both loops score the same N (criteria row, result) pairs with the same algorithm — find the segment,
``k + (x − v_k)/gap``, round to 4 places — one function call per KPI. The engine works in Decimal on
measures checked when they were built; the float loop is the floor no Decimal code can beat. Building
the measures (which checks every input) is timed separately. No assertion on time: this only reports.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal

from khamrap.scoring import Quantitative, Rules, quantitative_score

ROWS = 1_000  # distinct criteria rows; a real year has a few thousand KPIs across 76 provinces


def _criteria_rows(rng: random.Random) -> list[tuple[bool, tuple[Decimal, ...]]]:
    rows = []
    for _ in range(ROWS):
        start = rng.randint(0, 100)
        steps = [rng.randint(1, 20) for _ in range(4)]
        values = [start]
        for step in steps:
            values.append(values[-1] + step)
        higher = rng.random() < 0.7
        if not higher:
            values.reverse()
        rows.append((higher, tuple(Decimal(value) for value in values)))
    return rows


def _results(rng: random.Random, rows: list[tuple[bool, tuple[Decimal, ...]]], n: int) -> list[Decimal]:
    results = []
    for i in range(n):
        _, criteria = rows[i % ROWS]
        low, high = min(criteria[0], criteria[4]), max(criteria[0], criteria[4])
        # Mostly inside the criteria range, some beyond either end; two decimals like a typed-in result.
        value = rng.uniform(float(low) - 5, float(high) + 5)
        results.append(Decimal(f"{value:.2f}"))
    return results


def _float_score(higher: bool, segments: tuple[tuple[float, float, float, float], ...], x: float) -> float:
    if higher:
        if x >= segments[3][0]:
            return 5.0
        if x < segments[0][1]:
            return 1.0
        for upper, lower, gap, level in segments:
            if x < upper:
                return round(level + (x - lower) / gap, 4)
    else:
        if x <= segments[3][0]:
            return 5.0
        if x > segments[0][1]:
            return 1.0
        for upper, lower, gap, level in segments:
            if x > upper:
                return round(level + (x - lower) / gap, 4)
    raise AssertionError("unreachable")


def _float_segments(criteria: tuple[Decimal, ...]) -> tuple[tuple[float, float, float, float], ...]:
    values = [float(value) for value in criteria]
    return tuple((values[k + 1], values[k], values[k + 1] - values[k], float(k + 1)) for k in range(4))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    rng = random.Random(2551)
    rows = _criteria_rows(rng)
    results = _results(rng, rows, n)
    rules = Rules()

    started = time.perf_counter()
    measures = [
        Quantitative("higher" if rows[i % ROWS][0] else "lower", rows[i % ROWS][1], results[i])
        for i in range(n)
    ]
    build_seconds = time.perf_counter() - started

    float_rows = [(higher, _float_segments(criteria)) for higher, criteria in rows]
    float_inputs = [(*float_rows[i % ROWS], float(results[i])) for i in range(n)]

    # Warm up both paths, then time each.
    for measure in measures[:10_000]:
        quantitative_score(measure, rules)
    for higher, segments, x in float_inputs[:10_000]:
        _float_score(higher, segments, x)

    started = time.perf_counter()
    scores = [quantitative_score(measure, rules) for measure in measures]
    engine_seconds = time.perf_counter() - started

    started = time.perf_counter()
    float_scores = [_float_score(higher, segments, x) for higher, segments, x in float_inputs]
    float_seconds = time.perf_counter() - started

    # The two loops must agree (floats only to within their own rounding noise).
    worst = max(abs(float(score) - other) for score, other in zip(scores, float_scores, strict=True))

    print(f"N                        {n:>12,}")
    print(f"engine seconds           {engine_seconds:>12.3f}")
    print(f"float loop seconds       {float_seconds:>12.3f}")
    print(f"ratio engine / float     {engine_seconds / float_seconds:>12.2f}")
    print(f"engine KPI scores/second {n / engine_seconds:>12,.0f}")
    print(f"float KPI scores/second  {n / float_seconds:>12,.0f}")
    print(f"building (checking) N measures: {build_seconds:.3f} s ({n / build_seconds:,.0f}/s)")
    print(f"largest engine-float difference: {worst:.6f} (binary floats miss exact halves such as 2.00005)")


if __name__ == "__main__":
    main()
