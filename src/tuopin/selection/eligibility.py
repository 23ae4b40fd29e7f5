"""Eligibility rules of a programme, as data, checked against the application's answers and
the facts found in the registry and areas (ADR 0014). Pure: no Django.

Rules (each a dict):
- ``{"rule": "at_least", "field": "rural_years", "value": 3}``: a number answer at least value;
- ``{"rule": "county_kind", "values": ["poor"]}``: the applicant's county is of one of the
  kinds (``poor``: national poor county, ``provincial``: provincial poor county, ``other``);
- ``{"rule": "any_of", "fields": ["disabled", "single_parent", "serious_illness"]}``: at
  least one flag holds, from the registry (facts) where it says, else from the answers;
- ``{"rule": "equals", "field": "sex", "value": "female"}``.
Unknown county kind (an area not in the tree) fails a county rule: it cannot be checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failure:
    code: str
    """Stable: not_a_number, too_low, county_kind, none_of, not_equal, unknown_rule."""
    field: str
    expected: Any
    got: Any


def _value(field: str, answers: Mapping[str, Any], facts: Mapping[str, Any]) -> Any:
    # The registry's facts win over what the applicant says about themselves.
    return facts[field] if field in facts else answers.get(field)


def check(
    rules: list[dict[str, Any]], answers: Mapping[str, Any], facts: Mapping[str, Any]
) -> list[Failure]:
    """Every rule the application fails (empty: eligible)."""
    out: list[Failure] = []
    for rule in rules:
        kind = rule.get("rule")
        if kind == "at_least":
            f = rule["field"]
            got = _value(f, answers, facts)
            try:
                number = float(got)
            except (TypeError, ValueError):
                out.append(Failure("not_a_number", f, rule["value"], got))
                continue
            if number < float(rule["value"]):
                out.append(Failure("too_low", f, rule["value"], got))
        elif kind == "county_kind":
            got = facts.get("county_kind")
            if got not in rule["values"]:
                out.append(Failure("county_kind", "county_kind", list(rule["values"]), got))
        elif kind == "any_of":
            fields = list(rule["fields"])
            if not any(_truthy(_value(f, answers, facts)) for f in fields):
                out.append(Failure("none_of", ",".join(fields), fields, None))
        elif kind == "equals":
            f = rule["field"]
            got = _value(f, answers, facts)
            if got != rule["value"]:
                out.append(Failure("not_equal", f, rule["value"], got))
        else:
            out.append(Failure("unknown_rule", str(kind), None, None))
    return out


def _truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"1", "true", "yes", "是", "y", "on"}
    return bool(v)
