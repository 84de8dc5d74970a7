"""The two pinned sets: `./run serve` installs requirements.lock (runtime), `./run test` adds
requirements-test.lock. Both must agree with pyproject.toml and be complete, or a clean clone breaks."""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def pins(lock: str) -> dict[str, str]:
    """{name: version} of a lock file's `name==version` lines (comments and `-r` includes skipped)."""
    lines = [line.strip() for line in (REPO / lock).read_text().splitlines()]
    pairs = [line.split("==") for line in lines if line and not line.startswith(("#", "-r"))]
    return {canonicalize_name(name): version for name, version in pairs}


def closure(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` pull in, from the installed packages' own metadata."""
    found: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        if canonicalize_name(requirement.name) in found and not requirement.extras:
            continue
        found.add(canonicalize_name(requirement.name))
        for text in metadata.distribution(requirement.name).requires or []:
            needed = Requirement(text)
            extras = requirement.extras or {""}
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append(needed)
    return found


def test_pyproject_pins_are_the_locks_pins() -> None:
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    # A test tool the runtime pulls in anyway (psutil, for pgserver) is pinned once, in the runtime lock.
    for lock, declared in ((runtime, PROJECT["dependencies"]),
                           (test | runtime, PROJECT["optional-dependencies"]["test"])):
        for text in declared:
            requirement = Requirement(text)
            assert lock.get(canonicalize_name(requirement.name)) == str(requirement.specifier).removeprefix("=="), text
    assert not set(runtime) & set(test), "a package pinned in both locks"
    assert "-r requirements.lock" in (REPO / "requirements-test.lock").read_text().splitlines()


def test_each_lock_holds_everything_its_set_pulls_in() -> None:
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert closure(PROJECT["dependencies"]) - set(runtime) == set()
    assert closure(PROJECT["optional-dependencies"]["test"]) - set(runtime) - set(test) == set()
    assert set(runtime) - closure(PROJECT["dependencies"]) == set(), "the runtime lock pins what serve does not need"
