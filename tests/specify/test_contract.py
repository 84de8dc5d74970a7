"""Contract: the recorded requests of a real Specify 7.11.3 session, replayed in order, get the
recorded answers — from the stand-in, and from a real Specify when DINA_SPECIFY_URL is set
(then only the requests that change nothing are sent)."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest

from .conftest import REAL_SPECIFY
from .standin import recorded_index, recording

# What the stand-in serves: login, the context files the broker reads, the tables API and errors.
SERVED = ("/context/login/", "/context/user.json", "/context/system_info.json", "/context/datamodel.json",
          "/api/specify/", "/api/nothing_here/")
# Recorded behaviours the stand-in does not reproduce (the broker never causes them): saved queries,
# business-rule and integrity 500s, protected deletes, taxon tree moves, bulk copies.
NOT_SERVED = {"05_post_collectionobject_duplicate_catalognumber", "05_post_missing_required",
              "05_delete_taxon_in_use", "07_spquery_save", "08_post_taxon", "08_get_moved_taxon",
              "08_delete_taxon_leaf"}
# Values the server makes up on each write: compared by shape, not value.
VOLATILE = {"timestampcreated", "timestampmodified", "guid"}
# Django's FieldError lists every field name the ORM knows, reverse relations included; the
# stand-in lists those of the datamodel, so only the message before the choices is compared.
CHOICES = " Choices are: "


def exchanges() -> list[dict[str, Any]]:
    chosen = []
    for entry in recorded_index():
        name = entry["file"][:-5]
        if name in NOT_SERVED or not entry["path"].startswith(SERVED):
            continue
        if REAL_SPECIFY and entry["method"] != "GET" and entry["path"] != "/context/login/":
            continue
        chosen.append(recording(name))
    return chosen


def masked(body: Any, write: bool) -> Any:
    if isinstance(body, dict):
        return {k: ("<volatile>" if write and k in VOLATILE and v is not None else masked(v, write))
                for k, v in body.items()}
    if isinstance(body, list):
        return [masked(v, write) for v in body]
    return body


class Replayer:
    """Sends recorded requests with this session's own cookies and CSRF token in place of the recorded ones."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30)
        self.jar: dict[str, str] = {}

    def send(self, request: dict[str, Any]) -> httpx.Response:
        recorded = request["headers"]
        headers = {k: v for k, v in recorded.items() if k in ("Content-Type", "If-Match", "Accept")}
        if "X-CSRFToken" in recorded:
            headers["X-CSRFToken"] = self.jar.get("csrftoken", "")
        if "Cookie" in recorded:
            names = [c.split("=", 1)[0].strip() for c in recorded["Cookie"].split(";")]
            headers["Cookie"] = "; ".join(f"{n}={self.jar[n]}" for n in names if n in self.jar)
        body = request["body"]
        content = None if body is None else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        response = self.client.request(request["method"], request["path"], content=content, headers=headers)
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value
        return response


def test_replayed_session_gets_the_recorded_answers(specify_url: str) -> None:
    replayer = Replayer(specify_url)
    checked = 0
    for exchange in exchanges():
        name, expected = exchange["name"], exchange["response"]
        response = replayer.send(exchange["request"])
        assert response.status_code == expected["status"], (name, response.text[:300])
        expected_type = expected["headers"].get("Content-Type", "").split(";")[0]
        assert response.headers.get("content-type", "").split(";")[0] == expected_type, name
        for header in ("Allow",):
            assert response.headers.get(header) == expected["headers"].get(header), (name, header)
        if expected["body_kind"] == "text":
            got, want = response.text, expected["body"]
            if CHOICES in want:
                got, want = got.split(CHOICES)[0], want.split(CHOICES)[0]
            assert got == want, name
        else:
            write = exchange["request"]["method"] in ("POST", "PUT")
            assert masked(response.json(), write) == masked(expected["body"], write), name
            if not write:  # the same keys in the same order: the same bytes once serialized alike
                assert json.dumps(response.json()) == json.dumps(expected["body"]), name
        checked += 1
    assert checked >= (40 if REAL_SPECIFY else 90)


def test_login_sets_the_recorded_cookies(specify_url: str) -> None:
    replayer = Replayer(specify_url)
    replayer.send(recording("01_login_get_csrf")["request"])
    assert "csrftoken" in replayer.jar
    response = replayer.send(recording("01_login_put_ok")["request"])
    assert response.status_code == 204
    assert {"sessionid", "csrftoken", "collection"} <= set(replayer.jar)
    assert replayer.jar["collection"] == "1"
    assert "HttpOnly" in next(h for h in response.headers.get_list("set-cookie") if h.startswith("sessionid="))


@pytest.mark.skipif(bool(REAL_SPECIFY), reason="the stand-in's own bookkeeping")
def test_writes_are_visible_to_later_reads(fresh_standin: Any) -> None:
    replayer = Replayer(fresh_standin.url)
    replayer.send(recording("01_login_get_csrf")["request"])
    replayer.send(recording("01_login_put_ok")["request"])
    created = replayer.send(recording("05_post_collectionobject")["request"]).json()
    listed = replayer.send({"method": "GET", "path": "/api/specify/collectionobject/?catalognumber=000000101",
                            "headers": {"Cookie": "sessionid"}, "body": None}).json()
    assert listed["meta"]["total_count"] == 1
    assert listed["objects"][0] == created | {"timestampcreated": listed["objects"][0]["timestampcreated"]}
    assert [d["remarks"] for d in created["determinations"]] == ["nested create"]
    assert created["determinations"][0]["collectionobject"] == created["resource_uri"]
