"""A stand-in for Specify 7's HTTP API, built from the recordings of a real v7.11.3 server.

It knows the tables from the recorded `/context/datamodel.json` and starts with the records the
recordings show (every record, inlined or not, has one form there). It replays the recorded
behaviours: login by `PUT /context/login/` with a CSRF token and a session cookie, the collection
cookie, bare 403s when logged out, `{objects, meta: {limit, offset, total_count}}` lists with
Django-style filters, dependents inlined, `version` locking (409), and Specify's 404/400/405/500
bodies. `tests/specify/test_contract.py` replays the recordings against it and compares.
It runs as a real HTTP server (uvicorn in a thread), so the broker speaks HTTP to it as to Specify.
"""


from .recordings import recorded_index, recording
from .server import SpecifyStandIn, running

__all__ = ["SpecifyStandIn", "recorded_index", "recording", "running"]
