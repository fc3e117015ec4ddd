"""Errors a user can act on. Messages are Danish; they are shown as they are."""
from __future__ import annotations


class AppError(Exception):
    """Base of every error the UI shows as a message rather than a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(AppError):
    """Bad input: names the field and the rule it broke."""

    def __init__(self, field: str, rule: str, *, label: str | None = None):
        self.field = field
        self.rule = rule
        self.label = label or field
        super().__init__(f"{self.label}: {rule}")


class ValidationErrors(AppError):
    """Several field errors at once (a form checked as a whole)."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = errors
        super().__init__("\n".join(e.message for e in errors))

    def for_field(self, field: str) -> ValidationError | None:
        return next((e for e in self.errors if e.field == field), None)


class ConflictError(AppError):
    """Another user changed the record since it was read."""

    def __init__(self, what: str = "posten"):
        super().__init__(f"En anden bruger har ændret {what}, siden du åbnede den. "
                         "Dine ændringer er ikke gemt. Genindlæs for at se den nyeste udgave.")


class PermissionDenied(AppError):
    def __init__(self, action: str, role: str, message: str | None = None):
        self.action = action
        self.role = role
        super().__init__(message or f"Din rolle har ikke adgang til dette ({action}).")


class NeedToKnow(PermissionDenied):
    """The user is not on this case (neither its coordinator nor on its team) and has stated no reason.

    The case list row is all they see; the full record opens after ``CaseService.grant_access`` with a
    stated reason. The UI recognises this error to offer the "Begrund adgang" dialog for ``case_id``."""

    def __init__(self, case_id: int, action: str, role: str):
        self.case_id = case_id
        super().__init__(action, role, "Du er ikke tilknyttet dette forløb. Vil du åbne det, skal du begrunde "
                                       "din adgang (Begrund adgang); begrundelsen gemmes i adgangsloggen og "
                                       "ses af teamlederen.")


class NotFound(AppError):
    def __init__(self, what: str, ident: object):
        super().__init__(f"{what} {ident} findes ikke.")


class AuthenticationError(AppError):
    pass


class SessionInvalid(AppError):
    """The acting user's session no longer holds: logged out, replaced, or the account changed
    (deactivated, another role, locked) since login, or the session was never issued at all.

    ``reason`` is a short code for the audit log and tests; the user sees one message for all."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__("Din session er ikke længere gyldig. Log ind igen.")


class PasswordChangeRequired(AppError):
    """The account must set a new password before it may do anything else."""

    def __init__(self):
        super().__init__("Du skal vælge en ny adgangskode, før du kan fortsætte.")


class StorageUnavailable(AppError):
    """Disk full, database locked or unreachable: the action was not carried out."""
