"""`intake serve` and `intake db upgrade`."""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.core.db import upgrade


def register(sub: Any) -> None:
    serve = sub.add_parser("serve", help="run the HTTP service (and the embedded worker)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="HTTP processes sharing the port (default INTAKE_API_PROCESSES, 1)",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load the demo company and inbox when the database is empty",
    )
    serve.set_defaults(func=_serve)

    db = sub.add_parser("db", help="database schema")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply migrations")
    up.add_argument("--database-url", default=None)
    up.set_defaults(func=_db_upgrade)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.cli import settings_from
    from app.main import create_app

    settings = settings_from(args)
    upgrade(settings.database_url)
    if args.demo:
        from app.demo import load_demo_if_empty

        load_demo_if_empty(settings)
    host, port = args.host or settings.host, args.port or settings.port
    processes = args.workers or settings.api_processes
    if processes == 1:
        app = create_app(settings, migrate=False, served=True)
        uvicorn.run(app, host=host, port=port, log_config=None)
        return 0
    # Each process builds its app from the environment (migrations and demo data are done).
    os.environ["INTAKE_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "app.main:create_served_app",
        factory=True,
        workers=processes,
        host=host,
        port=port,
        log_config=None,
    )
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.cli import settings_from

    settings = settings_from(args)
    upgrade(settings.database_url)
    print(f"database at head: {settings.database_url}")
    return 0
