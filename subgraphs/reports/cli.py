"""`dina-graph labels …`: print labels from a running DINA Graph, as any client would (through the router)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import httpx

from subgraphs.core.runtime.progress import Progress
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.devkeys import DEV_ISSUER, DEV_KID, dev_private_key, mint_token

log = logging.getLogger("dina.labels")

SAMPLES_BY_NAME = """query SamplesByName($names: [String!]!, $first: Int) {
  materialSamples(filter: {materialSampleName: {in: $names}}, first: $first) {
    edges { node { id materialSampleName } } } }"""
PDF = "labelCount pageCount sha256 unreadable media { id url }"
RENDER_LABELS = f"""mutation RenderLabels($input: RenderLabelsInput!) {{ renderLabels(input: $input) {{
  pdf {{ {PDF} }} job {{ id }} errors {{ code message field }} }} }}"""
JOB = f"""query Job($id: ID!) {{ reportJob(id: $id) {{ status total done error pdf {{ {PDF} }} }} }}"""
TEMPLATES = """query Templates($after: String) { reportTemplates(first: 100, after: $after, orderBy: [{field: NAME}]) {
  edges { node { name kind group description layout { columns rows labelWidthMm labelHeightMm } } }
  pageInfo { hasNextPage endCursor } } }"""


class CommandError(Exception):
    """What the command tells its user before exiting with code 1."""


def _token(args: argparse.Namespace, settings: Settings) -> str | None:
    """--token, else DINA_TOKEN, else (dev mode only) a fresh dev token with the user role in --group."""
    if token := args.token or os.environ.get("DINA_TOKEN"):
        return token
    if not settings.dev:
        return None
    return mint_token(dev_private_key(settings.data_dir), kid=DEV_KID, issuer=DEV_ISSUER,
                      audience=settings.oidc_audience, subject="dina-graph labels",
                      groups=[f"/{args.group}/user"], lifetime=dt.timedelta(minutes=10))


def _post(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = client.post("", json={"query": query, "variables": variables}).json()
    if body.get("errors"):
        raise CommandError("; ".join(e["message"] for e in body["errors"]))
    return body["data"]


def _client(args: argparse.Namespace, settings: Settings) -> httpx.Client:
    token = _token(args, settings)
    headers = {"accept": "application/graphql-response+json, application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=args.graph or settings.federated_graph_url, headers=headers, timeout=600)


def _sample_ids(client: httpx.Client, names: list[str]) -> list[str]:
    """The ids of the samples with these catalogue numbers, in the order given; unknown names are refused."""
    data = _post(client, SAMPLES_BY_NAME, {"names": names, "first": 1000})
    by_name: dict[str, list[str]] = {}
    for edge in data["materialSamples"]["edges"]:
        by_name.setdefault(edge["node"]["materialSampleName"], []).append(edge["node"]["id"])
    missing = [name for name in names if name not in by_name]
    if missing:
        raise CommandError(f"no material sample you may read is named {', '.join(missing)}")
    return [sample_id for name in dict.fromkeys(names) for sample_id in by_name[name]]


def _waited(client: httpx.Client, job_id: str) -> dict[str, Any]:
    """The PDF of a background render, once its job is done (with a progress bar meanwhile)."""
    progress = None
    while True:
        job = _post(client, JOB, {"id": job_id})["reportJob"]
        progress = progress or Progress(job["total"], "labels")
        progress.update(job["done"])
        if job["status"] == "SUCCEEDED":
            progress.close()
            return job["pdf"]
        if job["status"] == "FAILED":
            progress.close()
            raise CommandError(f"the render failed: {job['error']}")
        time.sleep(1)


def render(args: argparse.Namespace, settings: Settings) -> int:
    with _client(args, settings) as client:
        request: dict[str, Any] = {"template": args.template, "group": args.group, "filename": Path(args.out).name}
        if args.filter_json:
            request["filter"] = json.loads(args.filter_json)
        else:
            request["ids"] = _sample_ids(client, [n.strip() for n in args.samples.split(",") if n.strip()])
        payload = _post(client, RENDER_LABELS, {"input": request})["renderLabels"]
        if payload["errors"]:
            raise CommandError("; ".join(f"{e['code']}: {e['message']}" for e in payload["errors"]))
        pdf = payload["pdf"] or _waited(client, payload["job"]["id"])
        content = httpx.get(pdf["media"]["url"], timeout=600).raise_for_status().content
    if hashlib.sha256(content).hexdigest() != pdf["sha256"]:
        raise CommandError("the downloaded PDF's sha256 differs from the one rendered")
    Path(args.out).write_bytes(content)
    for record_id in pdf["unreadable"]:
        log.warning("not printed: %s (unknown, or you may not read it)", record_id)
    log.info("wrote %s: %d labels on %d pages (media %s)", args.out, pdf["labelCount"], pdf["pageCount"],
             pdf["media"]["id"])
    return 0


def templates(args: argparse.Namespace, settings: Settings) -> int:
    after = None
    with _client(args, settings) as client:
        while True:
            page = _post(client, TEMPLATES, {"after": after})["reportTemplates"]
            for edge in page["edges"]:
                t = edge["node"]
                sheet = "" if t["kind"] == "REPORT" else \
                    f"  {t['layout']['columns']}×{t['layout']['rows']} of {t['layout']['labelWidthMm']:g}×" \
                    f"{t['layout']['labelHeightMm']:g} mm"
                print(f"{t['name']:<28} {t['kind']:<22} {t['group']:<12}{sheet}")
            if not page["pageInfo"]["hasNextPage"]:
                return 0
            after = page["pageInfo"]["endCursor"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return args.labels_run(args, settings)
    except (CommandError, httpx.HTTPError) as error:
        log.error("labels %s: %s", args.labels_command, error)
        return 1


def add_commands(commands: Any) -> None:
    """`labels render` and `labels templates` on the `dina-graph` parser."""
    labels = commands.add_parser(
        "labels", help="print labels (PDF) or list report templates, through a running DINA Graph's router",
        description="Talks to the router (DINA_ROUTER_HOST/PORT, or --graph) like any client; in dev mode it "
                    "signs its own token, otherwise pass --token or set DINA_TOKEN.")
    labels.add_argument("--graph", help="the router's GraphQL URL (default: this deployment's)")
    labels.add_argument("--token", help="a bearer token (default: $DINA_TOKEN, or a dev token in dev mode)")
    labels.add_argument("--group", default="demo", help="group to store the PDF in and, in dev mode, to sign for")
    labels.set_defaults(run=run)
    actions = labels.add_subparsers(dest="labels_command", required=True, metavar="ACTION")
    render_parser = actions.add_parser("render", help="render labels of samples to a PDF file")
    render_parser.add_argument("--template", required=True, help="template name or id, e.g. specimen-qr")
    which = render_parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--samples", help="catalogue numbers, comma-separated (printed in this order)")
    which.add_argument("--filter-json", help='the template query\'s filter, e.g. \'{"collector": {"eq": "…"}}\'')
    render_parser.add_argument("--out", required=True, help="the PDF file to write")
    render_parser.set_defaults(labels_run=render)
    list_parser = actions.add_parser("templates", help="list the report templates you may read")
    list_parser.set_defaults(labels_run=templates)
