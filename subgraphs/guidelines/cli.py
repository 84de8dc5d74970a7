"""`dina-graph check URL`: tell a module (a subgraph, a partner's, a wrapper) whether it follows docs/guidelines.md."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from subgraphs.core.runtime.settings import Settings

from .conformance import PEER_DIR

log = logging.getLogger("dina.check")


def _pair(text: str, separator: str, what: str) -> tuple[str, str]:
    name, found, value = text.partition(separator)
    if not found or not name.strip():
        raise argparse.ArgumentTypeError(f"{what} looks like NAME{separator}VALUE, not {text!r}")
    return name.strip(), value.strip()


def default_name(url: str, known: list[str]) -> str:
    """This project's subgraph a URL serves (``/<name>/graphql``), else ``module``."""
    parts = urlsplit(url).path.strip("/").split("/")
    return parts[-2] if len(parts) >= 2 and parts[-1] == "graphql" and parts[-2] in known else "module"


def cmd_check(args: argparse.Namespace, _: Settings) -> int:
    """Exit code 0 when compliant, 1 when a rule failed, 2 when the module could not be read."""
    from subgraphs.core.runtime.federation import SUPERGRAPH
    from subgraphs.registry import SCHEMAS

    from .check import Unreadable, check

    headers = dict(args.header)
    if args.token:
        headers["authorization"] = f"Bearer {args.token}"
    others = {name: schema.as_str() for name, schema in SCHEMAS.items()}
    try:
        report = check(args.url, args.name or default_name(args.url, list(SCHEMAS)), headers, others,
                       waived=dict(args.waive), supergraph=args.supergraph or SUPERGRAPH, peer_dir=args.peer_dir)
    except (Unreadable, ValueError) as error:
        log.error("%s", error)
        return 2
    print(json.dumps(report.as_json(), indent=2) if args.json else report.as_text())
    return 1 if report.failed else 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    check_ = commands.add_parser(
        "check", help="check a module against the API guidelines (docs/guidelines.md)",
        description="Read the module's SDL (_service { sdl }), probe it over HTTP, run graphql-http's audit and "
                    "compose it with the current supergraph; report each rule as pass, fail or n/a. Exit 1 on a failure.",
    )
    check_.add_argument("url", help="the module's GraphQL endpoint, e.g. http://127.0.0.1:4001/agents/graphql")
    check_.add_argument("--token", help="a bearer token sent with every request")
    check_.add_argument("--header", action="append", default=[], metavar="NAME:VALUE",
                        type=lambda text: _pair(text, ":", "--header"),
                        help="another header, e.g. 'x-dina-router-secret: …' to read _service in production")
    check_.add_argument("--name", help="its subgraph name (default: the URL's /<name>/graphql, else 'module')")
    check_.add_argument("--json", action="store_true", help="print the report as JSON")
    check_.add_argument("--waive", action="append", default=[], metavar="RULE=REASON",
                        type=lambda text: _pair(text, "=", "--waive"),
                        help="a known deviation: reported, not failed (RULE: a rule id of docs/guidelines.md)")
    check_.add_argument("--supergraph", type=Path,
                        help="the supergraph to check against (default: federation/supergraph.graphql)")
    check_.add_argument("--peer-dir", type=Path, default=PEER_DIR, help="where graphql-http's audit is installed")
    check_.set_defaults(run=cmd_check)
