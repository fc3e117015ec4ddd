"""Settings are validated together and saved in one transaction: all of them or none."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import ValidationErrors
from app.reference import DEFAULT_SETTINGS
from db.models import AuditEntry
from tests.factories import make_user


def _audited(services):
    with services.db.read() as s:
        return list(s.scalars(select(AuditEntry.fields).where(AuditEntry.entity == "setting")))


def test_all_settings_saved_in_one_transaction(services):
    admin = make_user(services, "admin")
    letterhead = {**DEFAULT_SETTINGS["letterhead"], "organisation": "TTA Øst"}
    criteria = {**DEFAULT_SETTINGS["eligibility"], "max_age": 62}
    services.settings.save(admin, {"letterhead": letterhead, "idle_lock_minutes": 15, "eligibility": criteria})
    assert services.settings.get("letterhead")["organisation"] == "TTA Øst"
    assert services.settings.get("idle_lock_minutes") == 15 and services.settings.get("eligibility")["max_age"] == 62
    assert _audited(services) == ["eligibility,idle_lock_minutes,letterhead"]  # one entry for the save
    # Saving the same values again changes nothing and logs nothing.
    services.settings.save(admin, {"letterhead": letterhead, "idle_lock_minutes": 15, "eligibility": criteria})
    assert len(_audited(services)) == 1


def test_one_bad_setting_saves_none_and_names_every_error(services):
    admin = make_user(services, "admin")
    with pytest.raises(ValidationErrors) as info:
        services.settings.save(admin, {
            "letterhead": {**DEFAULT_SETTINGS["letterhead"], "organisation": "Nyt navn"},
            "idle_lock_minutes": 0,
            "eligibility": {**DEFAULT_SETTINGS["eligibility"], "min_age": 70, "max_age": 60}})
    assert [e.field for e in info.value.errors] == ["idle_lock_minutes", "eligibility.age"]
    assert services.settings.get("letterhead")["organisation"] == DEFAULT_SETTINGS["letterhead"]["organisation"]
    assert _audited(services) == []
    with pytest.raises(ValidationErrors, match="er ikke en kendt indstilling"):
        services.settings.save(admin, {"colour": "red"})
