"""Fictitious demo data: a team, its users and a realistic spread of return-to-work cases.

Everything here is invented. CPR numbers carry day + 60 (``app.validation.FICTITIOUS_DAY_OFFSET``)
so they can never belong to a real person, and e-mail addresses use the reserved ``.example``
top-level domain. The generator is deterministic for a given seed and ``today``.

It runs in two passes: ``outline`` plans every case (phase, dates, outcome, the citizen), then
``cases`` writes each case's rows, handing each aspect to its module (``assessments``, ``plans``,
``meetings``, ``tasks``, ``journal``, ``letters``, ``closing``); ``conferences`` builds the weekly
agendas from what the cases did. ``writer`` buffers the rows and bulk-inserts them.
"""
from app.demo.generator import generate_demo, run_demo
from app.demo.users import DEMO_PASSWORD, DEMO_USERS, TEAM_NAME

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "TEAM_NAME", "generate_demo", "run_demo"]
