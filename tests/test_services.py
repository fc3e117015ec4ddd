"""The shape of the service layer: one service per feature, each in a module named for it."""
from __future__ import annotations

import ast
from pathlib import Path

from app.services import Services

ROOT = Path(__file__).parent.parent

EXPECTED = ["auth", "users", "settings", "catalog", "cases", "referrals", "visitation", "closing", "after_follow_up",
            "caseload", "journal", "assessments", "dashboard", "meetings", "conferences", "plans", "statistics",
            "importing", "exports", "audit_log", "team", "tasks", "access_review", "backup", "deadlines", "letters"]


def test_services_has_one_attribute_per_feature(services):
    assert [k for k in vars(services) if k != "db"] == EXPECTED
    assert isinstance(services, Services)


def test_each_service_lives_in_a_module_named_for_it(services):
    shared = {"settings": "admin", "catalog": "admin", "auth": "users"}  # small services sharing a module
    for name in EXPECTED:
        module = type(getattr(services, name)).__module__
        assert module == f"app.services.{shared.get(name, name)}", (name, module)
    assert not (ROOT / "app" / "services" / "overview.py").exists()


def test_shared_helpers_are_defined_once():
    defined: dict[str, list[str]] = {}
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                defined.setdefault(node.name.lstrip("_"), []).append(str(path.relative_to(ROOT)))
    for helper in ("add_months", "weeks_between", "sick_week", "clean_email", "may_coordinate"):
        assert len(defined.get(helper, [])) == 1, (helper, defined.get(helper))
