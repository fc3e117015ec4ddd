"""The headless commands of ``python main.py SUBCOMMAND``: one module per feature.

Each module in ``MODULES`` has ``register(cli: Cli)``, which adds its subcommands to the parser
and names their handler with ``set_defaults(run=handler)``; a handler takes the parsed arguments
and returns the exit status. Commands that belong together under one verb (``print plan``,
``print agenda``, ``report quarterly``, ``import cases``) get that verb's subparsers from
``cli.group("print", ...)``, so a new feature adds its own module and one line here.

Every command that reads or writes case data acts as a person (``cli.person`` options,
``run_as_person``); ``demo``, ``migrate`` and the key commands are system work and take no user.
Heavy modules are imported inside the handlers so ``main.py`` starts quickly.
"""
from __future__ import annotations

import argparse
from importlib import import_module

from app.cli.base import Cli

MODULES = ("system", "audit", "backup", "assessments", "plans", "meetings", "letters", "reports", "importing",
           "exports")


def build_parser() -> argparse.ArgumentParser:
    cli = Cli()
    for name in MODULES:
        import_module(f"app.cli.{name}").register(cli)
    return cli.parser
