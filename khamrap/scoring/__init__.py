"""The KPI scoring rules of Khamrap — pure Python, no Django (``tests/scoring/test_scoring_is_pure.py``).

- :mod:`khamrap.scoring.engine`: the rules (quantitative and milestone KPIs, not reported, not applicable,
  deductions, weights and nesting) on frozen dataclasses, ``Decimal`` throughout, one rounding rule.
- :mod:`khamrap.scoring.scenario`: a scenario as JSON in, the score sheet as JSON out (``khamrap score``).

docs/scoring.md explains the rules with worked examples.
"""

from khamrap.scoring.engine import (
    Deduction,
    Direction,
    Indicator,
    IndicatorScore,
    Measure,
    Milestone,
    Quantitative,
    Rules,
    ScoreSheet,
    milestone_score,
    quantitative_score,
    round4,
    score_indicators,
    validate_indicators,
)
from khamrap.scoring.errors import ScoringInputError

__all__ = [
    "Deduction",
    "Direction",
    "Indicator",
    "IndicatorScore",
    "Measure",
    "Milestone",
    "Quantitative",
    "Rules",
    "ScoreSheet",
    "ScoringInputError",
    "milestone_score",
    "quantitative_score",
    "round4",
    "score_indicators",
    "validate_indicators",
]
