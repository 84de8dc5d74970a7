"""The rules probed over HTTP: authentication, query limits and what errors look like."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import httpx
from graphql import GraphQLInputObjectType, GraphQLNonNull, get_named_type, is_required_argument

from .findings import Finding, Places, Rule, Status, judge
from .module import Module

ACCEPT = "application/graphql-response+json, application/json"
DEEP = 40  # levels: beyond any sensible depth limit, within what any parser takes
ALIASES = 200
HUGE_PAGE = 1_000_000
TRACES = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|\"stacktrace\"|\"exception\"|"
                    r"\n\s+at [\w.<>]+ \(")
REFUSALS = {"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"}
PROBED_LOOKUPS = 3  # by-id root fields asked for a malformed id


@dataclass(frozen=True)
class Endpoint:
    """The module's URL and the headers every probe sends (the caller's token and credentials)."""

    url: str
    headers: dict[str, str]

    def post(self, query: str, variables: dict | None = None, **headers: str) -> httpx.Response:
        return self._send(query, variables, {**self.headers, **headers})

    def anonymous(self, query: str, variables: dict | None = None) -> httpx.Response:
        """Without the caller's token (other credentials, e.g. a gateway's secret, still sent)."""
        return self._send(query, variables, {k: v for k, v in self.headers.items() if k.lower() != "authorization"})

    def _send(self, query: str, variables: dict | None, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(self.url, json={"query": query, "variables": variables or {}},
                          headers={"accept": ACCEPT, **headers}, timeout=30)


@dataclass
class Probe:
    """One module under test over HTTP; the requests several rules judge are sent once."""

    module: Module
    endpoint: Endpoint

    @cached_property
    def bad_requests(self) -> list[tuple[str, httpx.Response]]:
        """Requests that must fail, each with a typed error: bad syntax, an unknown field, malformed ids."""
        probes = [("a syntax error", "{"), ("an unknown field", "{ noSuchField }")]
        lookups = [name for name, field_ in self.module.root_fields(self.module.schema.query_type)
                   if list(field_.args) == ["id"] and isinstance(field_.args["id"].type, GraphQLNonNull)]
        probes += [(f'Query.{name}(id: "not-an-id")', f'{{ {name}(id: "not-an-id") {{ __typename }} }}')
                   for name in lookups[:PROBED_LOOKUPS]]
        return [(place, self.endpoint.post(query)) for place, query in probes]


def _body(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _errors(response: httpx.Response) -> list[dict]:
    return [e for e in _body(response).get("errors") or [] if isinstance(e, dict)]


def _codes(response: httpx.Response) -> set[str]:
    return {str((error.get("extensions") or {}).get("code")) for error in _errors(response)}


def _bearer(probe: Probe) -> Places:
    response = probe.endpoint.post("{ __typename }", authorization="Bearer not-a-token")
    if response.status_code != 401:
        yield "Authorization: Bearer not-a-token", f"answered {response.status_code}, not 401"
    elif not response.headers.get("www-authenticate", "").startswith("Bearer"):
        yield "Authorization: Bearer not-a-token", "401 without `WWW-Authenticate: Bearer`"
    else:
        yield "Authorization: Bearer not-a-token", None if "UNAUTHENTICATED" in _codes(response) else "no UNAUTHENTICATED code"


def _anonymous_writes(probe: Probe) -> Places:
    """An anonymous delete (of a random id) is refused: unauthenticated, forbidden, or not found for a
    caller who may read nothing (this project's answer: reads are filtered before writes look)."""
    for name, field_ in probe.module.root_fields(probe.module.schema.mutation_type):
        arg = field_.args.get("input")
        input_type = get_named_type(arg.type) if arg else None
        if not (name.startswith("delete") and isinstance(input_type, GraphQLInputObjectType)
                and set(input_type.fields) == {"id", "version"}):
            continue
        response = probe.endpoint.anonymous(
            f"mutation($input: {arg.type}) {{ {name}(input: $input) {{ errors {{ code }} }} }}",
            {"input": {"id": str(uuid.uuid4()), "version": 1}})
        payload = (_body(response).get("data") or {}).get(name) or {}
        codes = {str(error.get("code")) for error in payload.get("errors") or []} | _codes(response)
        yield f"Mutation.{name}", None if codes & REFUSALS else (
            f"an anonymous caller got {sorted(codes) or 'no error'}, not {' or '.join(sorted(REFUSALS))}")
        return


def _depth(probe: Probe) -> Places:
    query = "{ " + " { ".join(["a"] * DEEP) + " }" * DEEP
    response = probe.endpoint.post(query)
    refused = "QUERY_TOO_DEEP" in _codes(response) or any("depth" in e.get("message", "").lower()
                                                         for e in _errors(response))
    yield f"a query {DEEP} levels deep", None if refused else "not refused for its depth"


def _aliases(probe: Probe) -> Places:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(ALIASES)) + " }"
    response = probe.endpoint.post(query)
    refused = "TOO_MANY_ALIASES" in _codes(response) or any("alias" in e.get("message", "").lower()
                                                           for e in _errors(response))
    yield f"{ALIASES} aliases of __typename", None if refused else "answered, not refused"


def _page_size(probe: Probe) -> Places:
    """The first root connection a caller can page without other arguments, asked for a huge page; one
    refused for another reason (the caller may not read it) says nothing, and the next is asked."""
    for name, field_ in probe.module.root_fields(probe.module.schema.query_type):
        target = get_named_type(field_.type)
        required = [arg for arg, value in field_.args.items() if is_required_argument(value)]
        if "first" not in field_.args or required or not {"edges", "pageInfo"} <= set(getattr(target, "fields", {})):
            continue
        response = probe.endpoint.post(f"{{ {name}(first: {HUGE_PAGE}) {{ __typename }} }}")
        codes = _codes(response)
        if codes & {"PAGE_SIZE", "QUERY_TOO_COSTLY"} or not codes:
            yield f"Query.{name}(first: {HUGE_PAGE})", None if codes else "served, not refused for its size"
            return


def _coded_errors(probe: Probe) -> Places:
    for place, response in probe.bad_requests:
        errors = _errors(response)
        uncoded = [e.get("message", "") for e in errors if not (e.get("extensions") or {}).get("code")]
        if not errors:
            yield place, f"answered {response.status_code} without errors"
        else:
            yield place, f"errors without extensions.code: {uncoded[0][:120]!r}" if uncoded else None


def _masked(probe: Probe) -> Places:
    for place, response in probe.bad_requests:
        yield place, "the response carries a stack trace" if TRACES.search(response.text) else None


HTTP_RULES: list[tuple[Rule, Callable[[Probe], Places]]] = [
    (Rule("AUTH-BEARER", "A bad bearer token is 401 with WWW-Authenticate: Bearer and code UNAUTHENTICATED"),
     _bearer),
    (Rule("AUTH-WRITES", "A delete without a token is refused in the payload (UNAUTHENTICATED, FORBIDDEN or NOT_FOUND)"),
     _anonymous_writes),
    (Rule("LIMIT-DEPTH", "Queries deeper than the depth limit are refused before they run (QUERY_TOO_DEEP)"), _depth),
    (Rule("LIMIT-ALIASES", "Queries with more aliases than the limit are refused (TOO_MANY_ALIASES)"), _aliases),
    (Rule("LIMIT-PAGE-SIZE", "A page beyond the page-size limit is refused (PAGE_SIZE), not served"), _page_size),
    (Rule("ERRORS-CODED", "Every error carries extensions.code"), _coded_errors),
    (Rule("ERRORS-MASKED", "No error shows a stack trace"), _masked),
]


def check_http(module: Module, endpoint: Endpoint) -> list[Finding]:
    findings, probe = [], Probe(module, endpoint)
    for rule, places in HTTP_RULES:
        try:
            findings.append(judge(rule, places(probe)))
        except httpx.HTTPError as error:
            findings.append(Finding(rule.id, Status.FAIL, (f"{endpoint.url}: {error}",)))
    return findings
