"""`dina-graph`: run, migrate, compose and load the DINA Graph API."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import signal
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from subgraphs.core.runtime.logs import configure_logging
from subgraphs.core.runtime.settings import ConfigurationError, Settings, get_settings

from .guidelines import cli as guidelines_cli
from .reports import cli as reports_cli

if TYPE_CHECKING:
    from subgraphs.core.data.db import Database
    from subgraphs.core.security.auth import TokenVerifier

# Each command imports what it needs when it runs: the schemas, SQLAlchemy, uvicorn and WeasyPrint
# take seconds to import, and `token` or `--help` need none of them.

log = logging.getLogger("dina")
T = TypeVar("T")


_embedded: list[object] = []  # the embedded PostgreSQL a command started, alive as long as the command runs


def _database_url(settings: Settings, *, migrated: bool = False) -> str:
    """Every command's database preamble: the configured database, or an embedded one under the data
    dir; ``migrated``: brought to the current schema first."""
    from subgraphs.core.runtime import migrate

    url = settings.database_url
    if not url:
        from subgraphs.core.runtime.embedded import start_embedded_postgres

        server, url = start_embedded_postgres(settings.data_dir)
        _embedded.append(server)
        log.info("database: the embedded PostgreSQL in %s (DATABASE_URL is unset)", settings.data_dir / "postgres")
    else:
        from sqlalchemy import make_url

        log.info("database: %s (DATABASE_URL)", make_url(url).render_as_string(hide_password=True))
    if migrated:
        migrate.upgrade(url)
    return url


def _with_database(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` with a small pool on ``url``, closed however it ends (the commands' one-off jobs)."""

    from subgraphs.core.data.db import Database

    async def run() -> T:
        db = Database(url, pool_size=2)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _load_demo(url: str, settings: Settings) -> None:
    from subgraphs.core.storage.storage import object_store

    from .exchange.demo import load_demo

    if _with_database(url, lambda db: load_demo(db, object_store(settings))):
        log.info("demo data loaded")
    else:
        log.info("demo data already present: reusing the existing database")


def _serve_subgraphs(url: str, settings: Settings, verifier: TokenVerifier, names: Sequence[str],
                     workers: int = 1) -> None:
    """Serve in this process, or in ``workers`` processes that each build the app (subgraphs.asgi)."""
    import uvicorn

    from subgraphs.core.data.db import Database
    from subgraphs.core.http.app import subgraphs_app

    from .asgi import SUBGRAPHS_ENV
    from .registry import SCHEMAS, routes_for

    options = {"host": settings.subgraph_host, "port": settings.subgraph_port, "log_level": settings.log_level.lower(),
               "access_log": False, "log_config": None, "loop": "uvloop", "http": "httptools"}
    if workers > 1:
        os.environ |= {"DATABASE_URL": url, SUBGRAPHS_ENV: ",".join(names)}
        uvicorn.run("subgraphs.asgi:create_app", factory=True, workers=workers, **options)
        return
    db = Database(url, pool_size=settings.db_pool_size)
    app = subgraphs_app({n: SCHEMAS[n] for n in names}, db, settings, verifier, extra_routes=routes_for(list(names)))
    uvicorn.run(app, **options)


def _postmaster_pid(data_dir: Path) -> int | None:
    """The embedded PostgreSQL's server process (its postmaster.pid's first line)."""
    try:
        return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _verifier(settings: Settings) -> TokenVerifier:
    """Before a server starts anything: the settings it needs, and the issuer's keys reachable."""
    from subgraphs.core.http.guard import token_verifier

    settings.check_serving()
    return token_verifier(settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Exit code 0 when stopped; 1 when it could not start (another serve, a port taken) or a child
    kept dying. Its processes are in `<data dir>/serve.pid`: a run killed outright is cleaned up by the next."""
    from subgraphs.core.runtime.federation import start_router, url_overrides
    from subgraphs.core.runtime.processes import AlreadyRunning, Supervisor, port_in_use, wait_until_ready

    from .registry import SCHEMAS

    verifier = _verifier(settings)
    supervisor = Supervisor(settings.data_dir / "serve.pid")
    try:
        cleaned = supervisor.clean_leftovers()
    except AlreadyRunning as error:
        log.error("%s: stop it first", error)
        return 1
    if cleaned:
        log.warning("stopped what a previous serve left running: %s", ", ".join(cleaned))
    ports = [(settings.subgraph_host, settings.subgraph_port)]
    ports += [] if args.no_router else [(settings.router_host, settings.router_port)]
    if busy := [f"{host}:{port}" for host, port in ports if port_in_use(host, port)]:
        log.error("cannot start: %s already in use by another program", ", ".join(busy))
        return 1
    url = _database_url(settings, migrated=True)
    if _embedded and (postmaster := _postmaster_pid(settings.data_dir)) is not None:
        supervisor.record("embedded PostgreSQL", postmaster)
    if not args.no_demo:
        _load_demo(url, settings)
    failure: list[str] = []
    if not args.no_router:
        env = url_overrides(list(SCHEMAS), settings.subgraph_host, settings.subgraph_port)
        env |= settings.router_env()
        supervisor.start("router", lambda: start_router(settings.router_host, settings.router_port, env))
        endpoint = f"http://{settings.router_host}:{settings.router_port}/graphql"

        def fatal(message: str) -> None:
            failure.append(message)
            log.error("%s: stopping", message)
            os.kill(os.getpid(), signal.SIGTERM)

        supervisor.watch(lambda name, code: log.error("%s exited with code %s: restarting it", name, code), fatal)

        def announce() -> None:
            """Only once every port answers (a leftover on a port was refused above; a router that dies
            meanwhile is the supervisor's to restart)."""
            try:
                wait_until_ready(f"http://{settings.subgraph_host}:{settings.subgraph_port}/healthz", timeout=60)
                wait_until_ready(f"http://{settings.router_host}:{settings.router_port}/healthcheck", timeout=120)
            except (RuntimeError, TimeoutError) as error:
                log.error("router did not start: %s", error)
                return
            log.info("DINA Graph is up: GraphQL (and GraphiQL in a browser) at %s", endpoint)

        threading.Thread(target=announce, daemon=True).start()
    try:
        _serve_subgraphs(url, settings, verifier, list(SCHEMAS))
    except KeyboardInterrupt:
        if not failure:
            raise
    finally:
        supervisor.stop_all()
        log.info("stopped")
    return 1 if failure else 0


def cmd_subgraphs(args: argparse.Namespace, settings: Settings) -> int:
    from .registry import SCHEMAS

    verifier = _verifier(settings)
    url = _database_url(settings)
    names = args.only or list(SCHEMAS)
    unknown = sorted(set(names) - set(SCHEMAS))
    if unknown:
        log.error("unknown subgraph(s): %s (known: %s)", ", ".join(unknown), ", ".join(SCHEMAS))
        return 2
    _serve_subgraphs(url, settings, verifier, names, args.workers)
    return 0


def cmd_router(_: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.runtime.federation import start_router
    from subgraphs.core.runtime.processes import stop

    router = start_router(settings.router_host, settings.router_port, settings.router_env())
    try:
        return router.wait()
    except KeyboardInterrupt:
        stop(router)
        return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.runtime import migrate

    from .registry import METADATA

    url = _database_url(settings)
    run, end = (migrate.downgrade, "base") if args.downgrade else (migrate.upgrade, "head")
    if args.revision:
        targets = [args.revision]
    elif args.only:
        targets = [f"{name}@{end}" for name in args.only]
    else:
        targets = ["base" if args.downgrade else "heads"]
    for target in targets:
        run(url, target)
    log.info("migrations done for %s", ", ".join(args.only or METADATA))
    return 0


def cmd_compose(args: argparse.Namespace, _: Settings) -> int:
    """The supergraph and the router's default limits, both generated and committed."""
    from subgraphs.core.runtime.federation import ROUTER_DEFAULTS, SUPERGRAPH, compose, router_defaults

    from .registry import SCHEMAS

    generated = {SUPERGRAPH: compose(SCHEMAS), ROUTER_DEFAULTS: router_defaults()}
    if args.check:
        stale = [path for path, text in generated.items() if (path.read_text() if path.exists() else "") != text]
        for path in stale:
            log.error("%s is stale: run `dina-graph compose`", path)
        if not stale:
            log.info("%s are up to date", " and ".join(str(p) for p in generated))
        return 1 if stale else 0
    for path, text in generated.items():
        path.write_text(text)
        log.info("wrote %s", path)
    return 0


def cmd_demo(_: argparse.Namespace, settings: Settings) -> int:
    _load_demo(_database_url(settings, migrated=True), settings)
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.security.devkeys import DEV_ISSUER, DEV_KID, dev_private_key, mint_token

    if not settings.dev:
        log.error("dev tokens exist only in dev mode (DINA_DEV=true); use your OIDC provider's tokens")
        return 2
    hours = float(args.expires.rstrip("h"))
    token = mint_token(
        dev_private_key(settings.data_dir), kid=DEV_KID, issuer=DEV_ISSUER, audience=settings.oidc_audience,
        subject=args.user, groups=[f"/{group}/{args.role}" for group in args.group],
        lifetime=dt.timedelta(hours=hours),
    )
    log.warning("dev token for %s (%s in %s), valid %sh: trusted only by a dev-mode serve",
                args.user, args.role, ", ".join(args.group), hours)
    print(token)
    return 0


def cmd_media_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    """Exit code 0; 1 when --verify found altered originals; 2 when the store is unavailable."""
    from subgraphs.core.runtime.progress import ProgressOnce
    from subgraphs.core.storage.storage import StorageUnavailable, object_store

    from .media.service import altered, orphans

    url = _database_url(settings)
    store = object_store(settings)
    progress = ProgressOnce("originals")

    async def run(db: Database) -> tuple[list[str], list[str]]:
        async with db.unit_of_work() as session:
            found = await orphans(session, store)
            changed = await altered(session, store, progress) if args.verify else []
        progress.close()
        if args.delete:
            for key in found:
                await store.delete(key)
        return found, changed

    try:
        found, changed = _with_database(url, run)
    except StorageUnavailable as error:
        log.error("%s (%s)", error.message, error.__cause__)
        return 2
    for key in found:
        print(key)
    log.info("%d orphaned object(s)%s", len(found), " deleted" if args.delete and found else "")
    for problem in changed:
        print(f"ALTERED {problem}")
    if args.verify:
        log.info("%d original(s) whose bytes do not match their sha256", len(changed))
    return 1 if changed else 0


def cmd_import_sequences(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.runtime.progress import Progress

    from .exchange.sequences import import_files

    url = _database_url(settings, migrated=True)
    paths = [Path(p) for p in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        log.error("no such file: %s", ", ".join(missing))
        return 2

    bar, done = Progress(len(paths), "files"), 0

    def progress(_: Path) -> None:
        nonlocal done
        done += 1
        bar.update(done)

    try:
        report = _with_database(url, lambda db: import_files(
            db, args.kind, paths, group=args.group, actor=args.actor,
            create_missing_samples=not args.report_missing, progress=progress))
    finally:
        bar.close()
    for error in report.errors:
        print(f"rejected: {error}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0


def cmd_import_samplesheet(args: argparse.Namespace, settings: Settings) -> int:
    from .exchange.samplesheet import import_file

    path = Path(args.file)
    if not path.is_file():
        log.error("no such file: %s", path)
        return 2
    url = _database_url(settings, migrated=True)
    report = _with_database(url, lambda db: import_file(
        db, path.read_text(encoding="utf-8-sig"), group=args.group, actor=args.actor,
        default_name=args.run_name or path.stem))
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for defect in report.defects:
        print(f"defect: {defect}", file=sys.stderr)
    if report.defects:
        print(f"{len(report.defects)} defect(s): nothing imported")
        return 1
    print(f"run {report.run_id}: {report.libraries} libraries in {report.pools} pool(s), "
          f"{report.samples_linked} linked to material samples")
    return 0


def cmd_import_dwca(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.runtime.progress import ProgressOnce

    from .exchange.dwca.bulk import bulk_import_archive
    from .exchange.dwca.importer import ArchiveError, import_archive

    url = _database_url(settings, migrated=True)
    if args.bulk and args.classification:
        log.error("--classification links determinations row by row: leave out --bulk")
        return 2
    progress = ProgressOnce("rows")
    options = {"group": args.group, "actor": args.actor, "progress": progress}
    try:
        report = asyncio.run(bulk_import_archive(url, Path(args.archive), **options)) if args.bulk else \
            _with_database(url, lambda db: import_archive(db, Path(args.archive), classification_id=args.classification,
                                                          **options))
    except ArchiveError as error:
        log.error("nothing imported: %s", error)
        return 2
    finally:
        progress.close()
    for defect in report.defects:
        print(f"defect: {defect}", file=sys.stderr)
    for flag in report.flags:
        print(f"flag: {flag}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_export_dwca(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.core.runtime.progress import Progress

    from .exchange.dwca.exporter import export_archive

    bar = Progress(None, "samples")
    try:
        count = _with_database(_database_url(settings), lambda db: export_archive(
            db, Path(args.out), args.collection, progress=bar.update))
    finally:
        bar.close()
    log.info("wrote %d occurrence(s) to %s", count, args.out)
    return 0


def cmd_export_sequences(args: argparse.Namespace, settings: Settings) -> int:
    from .molecular import export, repository

    statement = repository.sequences_for_export(args.accession, group=args.group)
    found = list(_with_database(_database_url(settings), lambda db: db.fetch(statement)))
    text = export.fasta(found) if args.kind == "fasta" else export.source_table(found)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
        log.info("wrote %d sequence(s) to %s", len(found), args.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dina-graph",
        description="DINA Graph: a federated GraphQL API for natural-history collections.",
        epilog="Settings come from the environment (DATABASE_URL, DINA_*) or a .env file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run everything: database (embedded if DATABASE_URL is unset), subgraphs, router",
        description="Migrate, load demo data on first run, start the subgraphs and the router. Ctrl-C stops all.",
    )
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo data set")
    serve.add_argument("--no-router", action="store_true", help="serve the subgraphs only")
    serve.set_defaults(run=cmd_serve)

    subgraphs = commands.add_parser("subgraphs", help="serve subgraphs without the router (one per container)")
    subgraphs.add_argument("--only", nargs="+", metavar="NAME", help="subgraphs to serve (default: all)")
    subgraphs.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    subgraphs.set_defaults(run=cmd_subgraphs)

    router = commands.add_parser("router", help="run the federation router (Hive Gateway) alone")
    router.set_defaults(run=cmd_router)

    mig = commands.add_parser("migrate", help="apply (or roll back) database migrations")
    mig.add_argument("--only", nargs="+", metavar="NAME", help="subgraph schemas to migrate")
    mig.add_argument("--downgrade", action="store_true", help="roll back instead of upgrading")
    mig.add_argument("--revision", help="target revision (default: heads, or base with --downgrade)")
    mig.set_defaults(run=cmd_migrate)

    comp = commands.add_parser("compose", help="compose the subgraphs into federation/supergraph.graphql")
    comp.add_argument("--check", action="store_true", help="fail if the committed supergraph is stale")
    comp.set_defaults(run=cmd_compose)

    token = commands.add_parser(
        "token", help="mint a dev-mode JWT (Authorization: Bearer …)",
        description="Print a token signed by the local dev key, which only a dev-mode serve trusts.",
    )
    token.add_argument("--group", nargs="+", default=["demo"], help="groups to grant the role in (default: demo)")
    token.add_argument("--role", default="user", choices=["read-only", "user", "super-user", "admin"])
    token.add_argument("--user", default="dev-user", help="the token's subject (default: dev-user)")
    token.add_argument("--expires", default="8h", help="lifetime in hours, e.g. 1h (default 8h)")
    token.set_defaults(run=cmd_token)

    cleanup = commands.add_parser(
        "media-cleanup", help="list stored objects no media record points at (and delete them with --delete)")
    cleanup.add_argument("--delete", action="store_true", help="delete the orphans found")
    cleanup.add_argument("--verify", action="store_true",
                         help="also re-check every original's sha256 (exit code 1 when one differs or is missing)")
    cleanup.set_defaults(run=cmd_media_cleanup)

    owner = argparse.ArgumentParser(add_help=False)  # what every import kind asks
    owner.add_argument("--group", required=True, help="owning group of the records created")
    owner.add_argument("--actor", default="dina-graph import", help="who the audit log names (default: dina-graph import)")
    imports = commands.add_parser(
        "import", help="import GenBank/FASTA sequence files, an Illumina sample sheet or a Darwin Core Archive",
        description="Import records; `dina-graph import KIND --help` for each kind's options.",
    ).add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, what in (("genbank", "GenBank flat files"), ("fasta", "FASTA files")):
        sequences = imports.add_parser(
            kind, parents=[owner], help=f"import sequences from {what}",
            description="Import sequences; GenBank vouchers link them to material samples (created when missing, "
                        "with collecting event and collectors); exit code 1 when any record was rejected.")
        sequences.add_argument("files", nargs="+", metavar="FILE")
        sequences.add_argument("--report-missing", action="store_true",
                               help="reject records whose voucher matches no sample instead of creating the sample")
        sequences.set_defaults(run=cmd_import_sequences)
    sheet = imports.add_parser(
        "samplesheet", parents=[owner], help="import an Illumina sample sheet (v1 or v2) as a sequencing run",
        description="Import a sample sheet as a run, its libraries (linked to the samples whose catalogue numbers "
                    "are the Sample_Names) and a pool per lane; any defect is reported with its line and nothing is "
                    "imported (exit code 1).")
    sheet.add_argument("file", metavar="FILE")
    sheet.add_argument("--run-name", help="the run's name when the header gives none (default: the file's name)")
    sheet.set_defaults(run=cmd_import_samplesheet)
    dwca = imports.add_parser(
        "dwca", parents=[owner], help="import a Darwin Core Archive (.zip or unpacked folder)",
        description="Import an archive as samples, events, determinations, people and media; defective rows are "
                    "reported and skipped, an unreadable archive writes nothing (exit code 2).")
    dwca.add_argument("archive", metavar="ARCHIVE", help="a .zip, or the folder it unpacks to")
    dwca.add_argument("--bulk", action="store_true",
                      help="load occurrence cores with PostgreSQL COPY, with a progress bar (large archives; taxon "
                           "cores need the default importer; the loaded tables are locked while it runs)")
    dwca.add_argument("--classification", type=uuid.UUID, metavar="ID",
                      help="link determinations to this classification's taxa (by name and authorship)")
    dwca.set_defaults(run=cmd_import_dwca)

    exports = commands.add_parser(
        "export", help="export sequences (FASTA, GenBank source-modifier table) or samples (Darwin Core Archive)",
        description="Export records; `dina-graph export KIND --help` for each kind's options.",
    ).add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, what in (("fasta", "FASTA"), ("genbank-table", "a GenBank source-modifier table (BankIt, table2asn)")):
        sequences = exports.add_parser(kind, help=f"export sequences as {what}")
        sequences.add_argument("out", help="output file, or - for standard output")
        sequences.add_argument("--accession", nargs="+", help="only these accessions (default: all)")
        sequences.add_argument("--group", help="only this group's sequences (default: every group's)")
        sequences.set_defaults(run=cmd_export_sequences)
    dwca_out = exports.add_parser("dwca", help="export samples as a Darwin Core Archive")
    dwca_out.add_argument("out", help="output .zip")
    dwca_out.add_argument("--collection", help="only this collection code (default: all samples)")
    dwca_out.set_defaults(run=cmd_export_dwca)

    demo = commands.add_parser("demo", help="load the demo data set into the database")
    demo.set_defaults(run=cmd_demo)

    reports_cli.add_commands(commands)
    guidelines_cli.add_commands(commands)
    return parser


def _stop_like_ctrl_c(_signum: int, _frame: object) -> None:
    """SIGTERM (docker stop, systemd, kill) stops a command as Ctrl-C does. Left to Python's default,
    it killed `serve` right after uvicorn's graceful shutdown re-raised it, and the router and the
    embedded PostgreSQL — children in sessions of their own — kept running."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings)
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    try:
        return args.run(args, settings)
    except ConfigurationError as error:
        log.error("cannot start: %s", error)
        return 2
    except KeyboardInterrupt:  # servers stop cleanly by themselves; anything else was cut short
        log.warning("interrupted: `%s` stopped before it finished", args.command)
        return 130


if __name__ == "__main__":
    sys.exit(main())
