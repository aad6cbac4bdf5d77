"""The command line: ``python -m influcampaign demo`` runs a campaign on SQLite and prints it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="influcampaign", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the demo campaign and print its report")
    demo.add_argument("--db", default="influcampaign-demo.sqlite", help="SQLite file to write")
    migrate = commands.add_parser("migrate", help="create or upgrade the schema of a store")
    migrate.add_argument("url", help="sqlite:///path.db or postgresql://…")
    args = parser.parse_args(argv)
    stream = out or sys.stdout

    from influcampaign.errors import InflucampaignError

    try:
        if args.command == "demo":
            from pathlib import Path

            from influcampaign.demo import run_demo

            run_demo(f"sqlite:///{args.db}", stream, ics_path=Path(args.db).with_suffix(".ics"))
        else:
            from influcampaign.adapters.sql import SqlStore

            store = SqlStore(args.url)
            version = store.migrate()
            store.close()
            print(f"schema version {version}", file=stream)
    except InflucampaignError as e:
        print(f"influcampaign: {e}", file=sys.stderr)
        return 1
    return 0
