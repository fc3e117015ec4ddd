"""Danish labels for domain codes: the one place codes become words a user reads."""
from __future__ import annotations

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

PHASE_LABELS = {
    "referral": "Henvisning",
    "visitation": "Visitation",
    "assessment": "Udredning",
    "plan": "Handlingsplan",
    "intervention": "Indsats",
    "follow_up": "Opfølgning",
    "closed": "Afsluttet",
}

EMPLOYMENT_LABELS = {
    "employed": "I ansættelse",
    "resigned": "Har selv opsagt",
    "dismissed": "Afskediget",
    "unemployed": "Ledig",
}

SEX_LABELS = {"female": "Kvinde", "male": "Mand", "other": "Andet"}

SOCIO_LABELS = {
    "top_manager": "Topleder",
    "wage_highest": "Lønmodtager, højeste niveau",
    "wage_middle": "Lønmodtager, mellemniveau",
    "wage_basic": "Lønmodtager, grundniveau",
    "other": "Andet",
}

VISITATION_LABELS = {"pending": "Afventer", "accepted": "Visiteret", "rejected": "Ikke visiteret"}

CONTACT_LABELS = {"manager": "Nærmeste leder", "hr": "HR", "union_rep": "Tillidsrepræsentant", "other": "Anden"}

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
}


def yes_no(value: bool | None) -> str:
    return "Ukendt" if value is None else ("Ja" if value else "Nej")

AUDIT_ENTITY_LABELS = {
    "tta_case": "Forløb", "citizen": "Borger", "journal_note": "Journalnotat", "after_follow_up": "Efteropfølgning",
    "audit_log": "Adgangslog", "user_account": "Bruger", "catalog_item": "Katalogpunkt", "setting": "Indstilling",
    "demo": "Demodata",
}

FIELD_LABELS = {
    "referring_jobcentre": "henvisende jobcenter", "caseworker_name": "sagsbehandler",
    "caseworker_phone": "sagsbehandlers telefon", "caseworker_email": "sagsbehandlers e-mail",
    "employer_name": "arbejdsgiver", "employer_address": "arbejdsgivers adresse", "job_title": "stilling",
    "gp_name": "egen læge", "gp_clinic": "lægepraksis", "gp_phone": "lægens telefon",
    "referral_text": "henvisningstekst", "subgroup": "undergruppe", "employment_status": "ansættelsesforhold",
    "coordinator_id": "koordinator", "team_member_ids": "teammedlemmer", "phase": "fase",
    "visitation_decision": "visitation", "visitation_date": "visitationsdato", "outside_criteria": "uden for kriterier",
    "rejection_reason": "afslagsårsag", "closed_date": "afslutningsdato", "outcome": "status",
    "next_effort": "næste indsats", "final_hours_per_week": "timer pr. uge", "recorded_date": "registreringsdato",
    "text": "tekst", "signed_at": "underskrift", "annotates_id": "påtegning", "note_date": "dato", "kind": "type",
    "password": "adgangskode", "role": "rolle", "full_name": "navn", "username": "brugernavn", "active": "aktiv",
    "email": "e-mail", "label": "betegnelse", "citizen": "borger", "referral": "henvisning",
    "linked_existing_citizen": "kendt borger", "idle_lock_minutes": "automatisk lås", "letterhead": "brevhoved",
    "eligibility": "visitationskriterier",
}


def field_names(fields: str) -> str:
    """Stored comma-separated field codes as Danish words."""
    return ", ".join(FIELD_LABELS.get(f.strip(), f.strip()) for f in (fields or "").split(",") if f.strip())
