"""The ``tusk`` command.

    tusk serve [-D DIR] [-p PORT] [--listen ADDR] [--password PW] [--auth METHOD]

creates the data directory on first start (like initdb) and serves it over
PostgreSQL's wire protocol until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def _serve(args: argparse.Namespace) -> int:
    from tuskdb.engine import Database
    from tuskdb.server.postmaster import Server
    from tuskdb.server.scram import make_scram_verifier

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    datadir = os.path.abspath(args.datadir)
    db = Database.open(datadir, fsync=not args.no_fsync)
    auth = args.auth or ("scram-sha-256" if args.password else "trust")
    if args.password:
        s = db.connect("postgres", "postgres")
        try:
            verifier = make_scram_verifier(args.password)
            for _ in s.simple_query(f"ALTER ROLE postgres PASSWORD '{verifier}'"):
                pass
        finally:
            s.close()
    hosts = [h.strip() for h in args.listen.split(",") if h.strip()]
    server = Server(db, host=",".join(hosts), port=args.port, auth=auth,
                    unix_socket_dir=args.unix_socket_dir)
    logging.info("TuskDB listening on %s port %d (data directory %s)", args.listen, args.port,
                 datadir)
    try:
        server.serve_forever()
    finally:
        db.shutdown()
        logging.info("TuskDB shut down")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tusk", description="TuskDB: PostgreSQL, rebuilt in "
                                "Python")
    sub = p.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("serve", help="run the server")
    sp.add_argument("-D", "--datadir", default=os.environ.get("TUSKDATA", "tusk-data"),
                    help="data directory (created on first start; default ./tusk-data)")
    sp.add_argument("-p", "--port", type=int, default=int(os.environ.get("PGPORT", 5432)))
    sp.add_argument("--listen", default="127.0.0.1", help="address(es) to listen on")
    sp.add_argument("--password", default=None,
                    help="set the postgres role's password and require SCRAM-SHA-256")
    sp.add_argument("--auth", choices=("trust", "scram-sha-256"), default=None)
    sp.add_argument("--unix-socket-dir", default=None)
    sp.add_argument("--no-fsync", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
