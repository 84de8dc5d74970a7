"""Logins against real HTTP token endpoints (tests/client/keycloak.py) and the server's own dev tokens."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import jwt
import pytest
from dina_graph_client import AuthenticationError, Client, OIDCLogin, dev_token, keycloak_issuer

from .conftest import GROUP
from .keycloak import Keycloak

COUNT = '{ materialSamples(filter: {group: {eq: "clienttest"}}) { totalCount } }'
USERS = {"ann": ("s3cret", (f"{GROUP}/user",))}


@pytest.fixture
def keycloak() -> Keycloak:
    with Keycloak(USERS) as server:
        yield server


def test_password_grant_logs_in_and_refuses_a_wrong_password(router: str, seeded: dict, keycloak: Keycloak) -> None:
    assert keycloak_issuer(keycloak.base, "dina") == keycloak.issuer
    login = OIDCLogin.password(keycloak.issuer, "dina-notebook", "ann", "s3cret")
    assert Client(router, login, progress=False).query(COUNT) == {"materialSamples": {"totalCount": 3}}
    with pytest.raises(AuthenticationError) as refused:
        OIDCLogin.password(keycloak.issuer, "dina-notebook", "ann", "wrong")
    assert refused.value.code == "LOGIN_FAILED" and "invalid_grant" in refused.value.message


def test_tokens_are_renewed_before_they_expire(router: str, seeded: dict, keycloak: Keycloak) -> None:
    keycloak.lifetime = 4
    login = OIDCLogin.password(keycloak.issuer, "dina-notebook", "ann", "s3cret", refresh_margin=2)
    client = Client(router, login, progress=False)
    first = login.token()
    client.query(COUNT)
    assert keycloak.grants == {"password": 1}
    time.sleep(2.5)  # within the margin of expiring
    assert client.query(COUNT) == {"materialSamples": {"totalCount": 3}}
    assert keycloak.grants["refresh_token"] == 1 and login.token() != first

    keycloak.refresh_tokens.clear()  # the provider ended the session: the password grant logs in again
    time.sleep(2.5)
    client.query(COUNT)
    assert keycloak.grants["password"] == 2


def test_device_code_grant_waits_for_the_user_to_approve(router: str, seeded: dict, keycloak: Keycloak) -> None:
    prompts: list[str] = []

    def show(message: str) -> None:  # the user reads it, opens the URL and approves a moment later
        prompts.append(message)
        code = message.rsplit(" ", 1)[-1]
        threading.Timer(1.5, keycloak.approve, (code, "ann")).start()

    login = OIDCLogin.device_code(keycloak.issuer, "dina-notebook", prompt=show)
    assert prompts and f"{keycloak.base}/device" in prompts[0]
    assert keycloak.grants["urn:ietf:params:oauth:grant-type:device_code"] >= 2  # pending, then approved
    assert Client(router, login, progress=False).query(COUNT) == {"materialSamples": {"totalCount": 3}}


def test_dev_token_comes_from_the_servers_command(router: str, tmp_path: Path) -> None:
    token = dev_token(["demo", GROUP], role="admin", command=[sys.executable, "-m", "subgraphs.cli"],
                      env={"DINA_DATA_DIR": str(tmp_path)})
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == "urn:dina-graph:dev" and claims["groups"] == ["/demo/admin", f"/{GROUP}/admin"]
    with pytest.raises(AuthenticationError):  # this router's subgraphs run in production mode: not trusted
        Client(router, token, progress=False).query(COUNT)
    with pytest.raises(AuthenticationError) as refused:
        dev_token(command=[sys.executable, "-m", "subgraphs.cli"], env={"DINA_DATA_DIR": str(tmp_path)}, role="owner")
    assert "invalid choice" in refused.value.message
