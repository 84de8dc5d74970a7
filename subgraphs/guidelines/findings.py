"""What a rule concludes about a module: pass, fail (with the offending types or fields) or not applicable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

Places = Iterator[tuple[str, str | None]]  # (a type, field or request; why it offends, or None)


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"
    SKIPPED = "skipped"  # the rule could not be run here (a tool missing), which is neither pass nor fail
    WAIVED = "waived"  # failed, and the module's known deviation, said why (`--waive RULE=reason`)


@dataclass(frozen=True)
class Finding:
    rule: str
    status: Status
    offences: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Rule:
    """One guideline; ``title`` is its one-line statement in docs/guidelines.md."""

    id: str
    title: str


def judge(rule: Rule, places: Places) -> Finding:
    """A finding from ``(place, why it offends or None)`` pairs: applicable when there was any place."""
    seen, offences = False, []
    for place, why in places:
        seen = True
        if why is not None:
            offences.append(f"{place}: {why}")
    if offences:
        return Finding(rule.id, Status.FAIL, tuple(offences))
    return Finding(rule.id, Status.PASS if seen else Status.NOT_APPLICABLE)
