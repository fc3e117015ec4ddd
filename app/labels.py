"""Danish labels for domain codes and field names: where codes become words a user reads.

A field's label and the words for its choices are declared with the field in its table
(``app.case_fields``); the dictionaries below that come from a table are read from it, never
written twice.
"""
from __future__ import annotations

from app.case_fields import CASE_FIELDS, CONTACT_FIELDS
from app.plan_fields import PLAN_FIELDS, TEMPLATE_FIELDS
from db.codes import PHASES, ROLES  # noqa: F401  (re-exported for the UI, which never imports db)

ROLE_LABELS = {
    "coordinator": "TTA-koordinator",
    "psychologist": "Psykolog",
    "physiotherapist": "Fysioterapeut/ergoterapeut",
    "doctor": "Læge",
    "job_consultant": "Jobkonsulent",
    "team_lead": "Teamleder",
    "admin": "Administrator",
}

# A field's choices are declared with the field, in its table; these are the same words by name.
PHASE_LABELS = dict(CASE_FIELDS["phase"].choices)
EMPLOYMENT_LABELS = dict(CASE_FIELDS["employment_status"].choices)
SEX_LABELS = dict(CASE_FIELDS["sex"].choices)
SOCIO_LABELS = dict(CASE_FIELDS["socio_economic_level"].choices)
CONTACT_LABELS = dict(CONTACT_FIELDS["kind"].choices)

VISITATION_LABELS = {"pending": "Afventer", "accepted": "Visiteret", "rejected": "Ikke visiteret"}

JOURNAL_LABELS = {"phone": "Telefon", "meeting": "Møde", "email": "E-mail", "other": "Andet"}

ICF_LABELS = {
    "function": "Funktion",
    "activity_participation": "Aktivitet og deltagelse",
    "health": "Helbredsforhold",
    "environment": "Omgivelsesfaktorer",
    "personal": "Personlige faktorer",
}

CONFERENCE_REASON_LABELS = {
    "new_referral": "Ny henvisning (visitation)",
    "assessment_done": "Udredning afsluttet (plan)",
    "plan_review": "Plan skal revideres",
    "round_table": "Rundbordssamtale forestår",
    "deadline": "Frist nærmer sig eller er overskredet",
    "stalled": "Forløbet står stille",
    "closing": "Afslutning",
    "other": "Andet",
}

MEETING_STATUS_LABELS = {"planned": "Planlagt", "held": "Afholdt", "cancelled": "Aflyst"}

PLAN_STATUS_LABELS = {"draft": "Kladde", "approved": "Godkendt", "superseded": "Erstattet"}

AUDIT_ACTION_LABELS = {
    "create": "Oprettet", "read": "Læst", "update": "Ændret", "delete": "Slettet", "search": "Søgning",
    "print": "Udskrevet", "export": "Eksporteret", "login": "Logget ind", "login_failed": "Forkert adgangskode",
    "lockout": "Konto låst", "logout": "Logget ud", "reveal_cpr": "Fuldt CPR vist", "reassign": "Flyttet",
    "grant_access": "Adgang med begrundelse",
    "verify": "Kontrolleret", "restore": "Gendannet", "backup": "Sikkerhedskopi",
}


AUDIT_ENTITY_LABELS = {
    "tta_case": "Forløb", "citizen": "Borger", "journal_note": "Journalnotat", "after_follow_up": "Efteropfølgning",
    "audit_log": "Adgangslog", "user_account": "Bruger", "catalog_item": "Katalogpunkt", "setting": "Indstilling",
    "demo": "Demodata",
    "case_access_grant": "Begrundet adgang",
    "database": "Database",
    "case_list": "Forløbsliste", "dashboard": "Overblik", "meeting_list": "Mødeliste", "cpr": "CPR-opslag",
    "conference_list": "Konferenceliste",
    "statistics": "Statistik", "case_import": "Import af forløb",
    "action_plan": "Handlingsplan", "plan_template": "Planskabelon",
    "assessment": "Udredning", "assessment_addendum": "Tillæg til udredning", "instrument_result": "Testresultat",
}

# Field names stored in the audit log that are not fields of an entity's table.
_OTHER_AUDITED_FIELDS = {
    "visitation_decision": "Visitation", "visitation_date": "Visitationsdato",
    "outside_criteria": "Uden for kriterier", "rejection_reason": "Afslagsårsag", "closed_date": "Afslutningsdato",
    "outcome": "Status", "next_effort": "Næste indsats", "final_hours_per_week": "Timer pr. uge",
    "recorded_date": "Registreringsdato", "text": "Tekst", "signed_at": "Underskrift", "annotates_id": "Påtegning",
    "note_date": "Dato", "kind": "Type", "password": "Adgangskode", "role": "Rolle", "full_name": "Navn",
    "username": "Brugernavn", "active": "Aktiv", "label": "Betegnelse", "citizen": "Borger",
    "referral": "Henvisning", "linked_existing_citizen": "Kendt borger", "idle_lock_minutes": "Automatisk lås",
    "letterhead": "Brevhoved", "eligibility": "Visitationskriterier", "audit_retention_months": "Opbevaring af log",
    "reason": "Begrundelse",
    "title": "Titel", "due_date": "Frist", "owner": "Ansvarlig", "description": "Beskrivelse",
    "rtw_expectation": "Forventning om tilbagevenden", "WHO5": "WHO-5", "MDI": "MDI",
    "RTW_EXPECTATION": "Forventning om tilbagevenden", "sections": "ICF-områder",
    "encryption": "Kryptering", "recovery_key": "Gendannelsesnøgle",
}

FIELD_LABELS = {**TEMPLATE_FIELDS.labels(), **PLAN_FIELDS.labels(), **CASE_FIELDS.labels(),
                **_OTHER_AUDITED_FIELDS, "actual_hours": "Faktiske timer", "approved_at": "Godkendt"}


def field_names(fields: str) -> str:
    """Stored comma-separated field codes as Danish words."""
    return ", ".join(FIELD_LABELS.get(f.strip(), f.strip()) for f in (fields or "").split(",") if f.strip())

INSTRUMENT_LABELS = {
    "WHO5": "WHO-5 trivselsindeks",
    "MDI": "MDI depressionsskala",
    "RTWSE19": "RTWSE-19 (tiltro til at vende tilbage)",
    "RTW_EXPECTATION": "Forventning om at vende tilbage til arbejdet",
}

LETTER_KIND_LABELS = {
    "status_start": "Statusbrev ved start", "status_midway": "Statusbrev midtvejs",
    "status_closing": "Statusbrev ved afslutning", "action_plan": "Handlingsplan", "invitation": "Invitation",
    "round_table_minutes": "Referat af rundbordssamtale", "closing_report": "Afslutningsrapport", "other": "Andet brev",
}

