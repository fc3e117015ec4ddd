"""Settings are validated together and saved in one transaction: all of them or none."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import ConflictError, ValidationError, ValidationErrors
from app.reference import DEFAULT_SETTINGS
from db.models import AuditEntry
from tests.factories import make_user, save_settings


def _audited(services):
    with services.db.read() as s:
        return list(s.scalars(select(AuditEntry.fields).where(AuditEntry.entity == "setting")))


def test_all_settings_saved_in_one_transaction(services):
    admin = make_user(services, "admin")
    letterhead = {**DEFAULT_SETTINGS["letterhead"], "organisation": "TTA Øst"}
    criteria = {**DEFAULT_SETTINGS["eligibility"], "max_age": 62}
    save_settings(services, admin, {"letterhead": letterhead, "idle_lock_minutes": 15, "eligibility": criteria})
    assert services.settings.get("letterhead")["organisation"] == "TTA Øst"
    assert services.settings.get("idle_lock_minutes") == 15 and services.settings.get("eligibility")["max_age"] == 62
    assert _audited(services) == ["eligibility,idle_lock_minutes,letterhead"]  # one entry for the save
    # Saving the same values again changes nothing and logs nothing.
    save_settings(services, admin, {"letterhead": letterhead, "idle_lock_minutes": 15, "eligibility": criteria})
    assert len(_audited(services)) == 1


def test_one_bad_setting_saves_none_and_names_every_error(services):
    admin = make_user(services, "admin")
    with pytest.raises(ValidationErrors) as info:
        save_settings(services, admin, {
            "letterhead": {**DEFAULT_SETTINGS["letterhead"], "organisation": "Nyt navn"},
            "idle_lock_minutes": 0,
            "eligibility": {**DEFAULT_SETTINGS["eligibility"], "min_age": 70, "max_age": 60}})
    assert [e.field for e in info.value.errors] == ["idle_lock_minutes", "eligibility.age"]
    assert services.settings.get("letterhead")["organisation"] == DEFAULT_SETTINGS["letterhead"]["organisation"]
    assert _audited(services) == []
    with pytest.raises(ValidationErrors, match="er ikke en kendt indstilling"):
        save_settings(services, admin, {"colour": "red"})


def test_two_administrators_save_the_same_setting_the_second_gets_a_conflict(services):
    anne, bo = make_user(services, "admin", "anne"), make_user(services, "admin", "bo")
    read_anne = services.settings.read(["idle_lock_minutes", "letterhead"])
    read_bo = services.settings.read(["idle_lock_minutes"])
    v = read_anne.versions["idle_lock_minutes"]
    assert read_bo.versions == {"idle_lock_minutes": v}
    new = services.settings.save(anne, {"idle_lock_minutes": 20}, expected_versions=read_anne.versions)
    assert new == {"idle_lock_minutes": v + 1}
    with pytest.raises(ConflictError, match="En anden bruger har ændret indstillingerne"):
        services.settings.save(bo, {"idle_lock_minutes": 5}, expected_versions=read_bo.versions)
    assert services.settings.get("idle_lock_minutes") == 20
    # Anne saves again against the version her save returned; the stored row moves on.
    services.settings.save(anne, {"idle_lock_minutes": 25, "letterhead": read_anne.values["letterhead"]},
                           expected_versions={**read_anne.versions, **new})
    assert services.settings.read(["idle_lock_minutes"]).versions == {"idle_lock_minutes": v + 2}


def test_a_save_without_the_version_read_is_refused_naming_it(services):
    admin = make_user(services, "admin")
    with pytest.raises(ValidationError) as info:
        services.settings.save(admin, {"idle_lock_minutes": 20}, expected_versions={})
    assert info.value.field == "expected_version" and "idle_lock_minutes" in str(info.value)
    assert services.settings.get("idle_lock_minutes") == DEFAULT_SETTINGS["idle_lock_minutes"]
    with pytest.raises(ValidationError, match="ikke en kendt indstilling"):
        services.settings.read(["colour"])
