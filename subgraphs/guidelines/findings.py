"""What a rule concludes about a module: pass, fail (with the offending types or fields) or not applicable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


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


@dataclass
class Verdict:
    """A rule's offences as they are found; ``applies`` turns false when nothing in the module is of its kind."""

    rule: Rule
    offences: list[str] = field(default_factory=list)
    applies: bool = False

    def where(self, place: str, why: str) -> None:
        self.offences.append(f"{place}: {why}")

    def finding(self, note: str = "") -> Finding:
        if self.offences:
            return Finding(self.rule.id, Status.FAIL, tuple(self.offences), note)
        return Finding(self.rule.id, Status.PASS if self.applies else Status.NOT_APPLICABLE, (), note)


def judge(rule: Rule, places: Iterable[tuple[str, str | None]]) -> Finding:
    """A finding from ``(place, why it offends or None)`` pairs: applicable when there was any place."""
    verdict = Verdict(rule)
    for place, why in places:
        verdict.applies = True
        if why is not None:
            verdict.where(place, why)
    return verdict.finding()

