"""The key file: wrapping the data key per user and for the recovery key, failed unlocks counted."""
from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from app import keys
from app.keys import KdfParams, KeyFileError, Keyring, UnlockRefused

NOW = dt.datetime(2026, 11, 22, 9, 0, 0)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """argon2id at the real cost takes half a second per guess; the logic is the same at a low cost."""
    monkeypatch.setattr(keys, "KDF_PARAMS", KdfParams(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture
def key_file(tmp_path):
    data_key = keys.new_data_key()
    path = tmp_path / "tta-team.db.keys"
    recovery = keys.create_key_file(path, data_key, {"anna": "annas-kode1", "bo": "bos-kode12"})
    return path, data_key, recovery


def test_each_user_unwraps_the_same_data_key(key_file):
    path, data_key, _ = key_file
    assert keys.unlock(path, "anna", "annas-kode1", now=NOW).data_key == data_key
    assert keys.unlock(path, "bo", "bos-kode12", now=NOW).data_key == data_key
    assert keys.wrapped_usernames(path) == ["anna", "bo"]


def test_key_file_holds_no_key_in_the_clear(key_file):
    path, data_key, recovery = key_file
    raw = path.read_bytes()
    for secret in (data_key, data_key.hex().encode(), base64.b64encode(data_key), recovery.encode(),
                   keys.normalise_recovery_key(recovery).encode(), b"annas-kode1"):
        assert secret not in raw
    doc = json.loads(raw)
    assert doc["users"]["anna"]["wrapping"]["kdf"] == "argon2id"
    assert doc["users"]["anna"]["wrapping"]["aead"] == "AES-256-GCM"


@pytest.mark.parametrize("username,password", [("anna", "forkert-kode"), ("anna", "bos-kode12"),
                                               ("ingen", "annas-kode1"), ("", "")])
def test_wrong_password_or_unknown_user_is_one_refusal(key_file, username, password):
    path, _, _ = key_file
    with pytest.raises(UnlockRefused):
        keys.unlock(path, username, password, now=NOW)
    assert "ingen" not in path.read_text()   # unknown names are never written to the file
    assert [e["username"] for e in keys.take_events(path)] == ["?" if username not in ("anna", "bo") else username]


def test_a_wrapping_copied_to_another_user_does_not_open(key_file):
    path, _, _ = key_file
    doc = json.loads(path.read_text())
    doc["users"]["bo"]["wrapping"] = doc["users"]["anna"]["wrapping"]
    path.write_text(json.dumps(doc))
    with pytest.raises(UnlockRefused):
        keys.unlock(path, "bo", "annas-kode1", now=NOW)


def test_five_failed_unlocks_lock_the_user_for_15_minutes(key_file):
    path, data_key, _ = key_file
    for _ in range(keys.MAX_FAILED_UNLOCKS):
        with pytest.raises(UnlockRefused):
            keys.unlock(path, "anna", "gæt", now=NOW)
    with pytest.raises(UnlockRefused):   # the right password, but locked
        keys.unlock(path, "anna", "annas-kode1", now=NOW + dt.timedelta(minutes=14))
    assert keys.unlock(path, "bo", "bos-kode12", now=NOW).data_key == data_key   # others unaffected
    assert keys.unlock(path, "anna", "annas-kode1", now=NOW + dt.timedelta(minutes=15, seconds=1)).data_key == data_key
    events = keys.take_events(path)
    assert [e["action"] for e in events] == ["login_failed"] * 5 + ["lockout", "login_failed"]
    assert {e["username"] for e in events} == {"anna"}
    assert keys.take_events(path) == []
    entry = json.loads(path.read_text())["users"]["anna"]
    assert entry["failed_unlocks"] == 0 and entry["locked_until"] is None


def test_a_success_resets_the_failure_count(key_file):
    path, _, _ = key_file
    for _ in range(keys.MAX_FAILED_UNLOCKS - 1):
        with pytest.raises(UnlockRefused):
            keys.unlock(path, "anna", "gæt", now=NOW)
    keys.unlock(path, "anna", "annas-kode1", now=NOW)
    with pytest.raises(UnlockRefused):
        keys.unlock(path, "anna", "gæt", now=NOW)
    keys.unlock(path, "anna", "annas-kode1", now=NOW)   # one failure since the reset: not locked


def test_recovery_key_as_typed(key_file):
    path, data_key, recovery = key_file
    assert len(recovery) == 39 and recovery.count("-") == 7
    typed = recovery.replace("O", "0").replace("I", "1").replace("B", "8").lower().replace("-", " ")
    assert keys.unlock_with_recovery_key(path, typed) == data_key
    with pytest.raises(UnlockRefused):
        keys.unlock_with_recovery_key(path, keys.new_recovery_key())


def test_keyring_adds_replaces_and_removes_wrappings(key_file):
    path, data_key, recovery = key_file
    ring = Keyring(path, data_key)
    ring.set_password("carl", "carls-kode1")
    ring.set_password("anna", "annas-nye-kode")
    ring.remove_user("bo")
    assert ring.usernames() == ["anna", "carl"]
    assert keys.unlock(path, "carl", "carls-kode1", now=NOW).data_key == data_key
    assert keys.unlock(path, "anna", "annas-nye-kode", now=NOW).data_key == data_key
    for name, old in (("anna", "annas-kode1"), ("bo", "bos-kode12")):
        with pytest.raises(UnlockRefused):
            keys.unlock(path, name, old, now=NOW)
    assert keys.unlock_with_recovery_key(path, recovery) == data_key
    assert ring.keep_only({"carl"}) == ["anna"]
    assert ring.usernames() == ["carl"]


def test_staged_password_opens_beside_the_old_one_until_settled(key_file):
    path, data_key, _ = key_file
    ring = Keyring(path, data_key)
    ring.stage_password("anna", "annas-nye-kode")
    old = keys.unlock(path, "anna", "annas-kode1", now=NOW)
    new = keys.unlock(path, "anna", "annas-nye-kode", now=NOW)
    assert (old.slot, new.slot) == ("wrapping", "pending")
    ring.settle_login("anna", "annas-nye-kode", new)   # the database took the new one
    with pytest.raises(UnlockRefused):
        keys.unlock(path, "anna", "annas-kode1", now=NOW)
    ring.stage_password("anna", "en-tredje-kode")
    ring.settle_login("anna", "annas-nye-kode", keys.unlock(path, "anna", "annas-nye-kode", now=NOW))
    with pytest.raises(UnlockRefused):   # the database kept the old one: the staged one is dropped
        keys.unlock(path, "anna", "en-tredje-kode", now=NOW)


def test_password_change_discards_the_staged_wrapping_when_the_body_fails(key_file):
    path, data_key, _ = key_file
    ring = Keyring(path, data_key)
    with pytest.raises(RuntimeError):
        with ring.password_change("anna", "annas-nye-kode"):
            raise RuntimeError("the database refused")
    assert "pending" not in json.loads(path.read_text())["users"]["anna"]
    with ring.password_change("anna", "annas-nye-kode"):
        pass
    assert keys.unlock(path, "anna", "annas-nye-kode", now=NOW).slot == "wrapping"


def test_new_recovery_key_replaces_the_old(key_file):
    path, data_key, old = key_file
    new = Keyring(path, data_key).new_recovery_key()
    assert keys.unlock_with_recovery_key(path, new) == data_key
    with pytest.raises(UnlockRefused):
        keys.unlock_with_recovery_key(path, old)


def test_a_keyring_for_another_key_cannot_write(key_file):
    path, _, _ = key_file
    with pytest.raises(KeyFileError, match="anden database"):
        Keyring(path, keys.new_data_key()).set_password("eve", "eves-kode12")
    assert keys.wrapped_usernames(path) == ["anna", "bo"]


def test_wrapping_with_old_parameters_is_renewed_at_login(key_file, monkeypatch):
    path, data_key, _ = key_file
    stronger = KdfParams(time_cost=2, memory_cost=8192, parallelism=1)
    monkeypatch.setattr(keys, "KDF_PARAMS", stronger)
    unlocked = keys.unlock(path, "anna", "annas-kode1", now=NOW)
    Keyring(path, data_key).settle_login("anna", "annas-kode1", unlocked)
    assert json.loads(path.read_text())["users"]["anna"]["wrapping"]["time_cost"] == 2
    assert keys.unlock(path, "anna", "annas-kode1", now=NOW).data_key == data_key


@pytest.mark.parametrize("content", ["", "{", "[]", '{"format": "other"}',
                                     '{"format": "tta-team-keys", "version": 99, "users": {}}'])
def test_damaged_or_foreign_key_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "x.db.keys"
    path.write_text(content)
    with pytest.raises(KeyFileError):
        keys.unlock(path, "anna", "x", now=NOW)


def test_missing_key_file_says_what_to_do(tmp_path):
    with pytest.raises(KeyFileError, match="mangler"):
        keys.unlock(tmp_path / "x.db.keys", "anna", "x", now=NOW)


def test_default_parameters_are_argon2s(tmp_path, monkeypatch):
    monkeypatch.undo()   # the real cost, once
    data_key = keys.new_data_key()
    keys.create_key_file(tmp_path / "k", data_key, {})
    record = json.loads((tmp_path / "k").read_text())["recovery"]
    default = KdfParams.argon2_default()
    assert (record["time_cost"], record["memory_cost"], record["parallelism"]) == \
        (default.time_cost, default.memory_cost, default.parallelism)
    assert default.memory_cost >= 19 * 1024 and default.time_cost >= 2   # OWASP's floor
