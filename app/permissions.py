"""The permission matrix: which role may do which action. Deny by default.

This table is the single source of truth; ``docs/permissions.md`` is generated from it
(``python main.py permissions-doc``) and every cell is tested.
"""
from __future__ import annotations

from db.codes import ROLES

CLINICAL = frozenset({"coordinator", "psychologist", "physiotherapist", "doctor", "job_consultant"})
CASE_READERS = CLINICAL | {"team_lead"}

# action -> (roles allowed, Danish description)
MATRIX: dict[str, tuple[frozenset[str], str]] = {
    "case.read": (CASE_READERS, "Se forløb og borgeroplysninger"),
    "case.search": (CASE_READERS, "Søge i forløb"),
    "case.reveal_cpr": (CASE_READERS, "Se fuldt CPR-nummer"),
    "case.create": (frozenset({"coordinator", "team_lead"}), "Oprette henvisning"),
    "case.update": (frozenset({"coordinator", "team_lead"}), "Rette forløbets stamdata"),
    "case.visitate": (frozenset({"coordinator", "team_lead"}), "Visitere"),
    "case.close": (frozenset({"coordinator", "team_lead"}), "Afslutte forløb"),
    "case.reopen": (frozenset({"coordinator"}), "Genåbne afsluttet forløb"),
    "case.after_follow_up": (frozenset({"coordinator", "team_lead"}), "Registrere efteropfølgning"),
    "case.reassign": (frozenset({"team_lead"}), "Flytte forløb mellem koordinatorer"),
    "journal.write": (CLINICAL, "Skrive journalnotater"),
    "assessment.write": (frozenset({"coordinator", "psychologist", "physiotherapist", "doctor", "job_consultant"}),
                         "Registrere udredning og tests (egen faglighed)"),
    "plan.write": (frozenset({"coordinator", "team_lead"}), "Udarbejde handlingsplan"),
    "plan.approve": (frozenset({"coordinator", "team_lead"}), "Godkende handlingsplan"),
    "plan.templates": (frozenset({"team_lead"}), "Vedligeholde skabeloner til handlingsplaner"),
    "meeting.write": (frozenset({"coordinator", "job_consultant"}), "Planlægge og referere rundbordssamtaler"),
    "conference.write": (frozenset({"coordinator", "team_lead"}), "Styre casekonferencer"),
    "task.write": (CASE_READERS, "Oprette og løse opgaver"),
    "task.assign": (frozenset({"team_lead"}), "Se teamets opgaver og flytte en opgave til en anden"),
    "letter.print": (frozenset({"coordinator", "team_lead"}), "Udskrive planer og breve"),
    "letter.templates": (frozenset({"team_lead", "admin"}), "Vedligeholde brevskabeloner"),
    "consent.write": (frozenset({"coordinator", "team_lead"}), "Registrere og tilbagekalde samtykke"),
    "deadline.rules": (frozenset({"admin"}), "Vedligeholde fristregler og regelsæt"),
    "stats.read": (frozenset({"coordinator", "team_lead"}), "Se statistik"),
    "case.import": (frozenset({"team_lead"}), "Importere tidligere forløb"),   # case data: not the administrator
    "case.export": (frozenset({"coordinator", "team_lead"}), "Eksportere forløbslisten"),
    "audit.read": (frozenset({"team_lead", "admin"}), "Se adgangslog"),
    "access.review": (frozenset({"team_lead"}), "Gennemgå adgange med begrundelse"),
    "user.manage": (frozenset({"admin"}), "Oprette brugere og nulstille adgangskoder"),
    "catalog.manage": (frozenset({"admin", "team_lead"}), "Redigere kataloger"),
    "settings.manage": (frozenset({"admin"}), "Redigere indstillinger og brevhoved"),
}


def allowed(role: str, action: str) -> bool:
    entry = MATRIX.get(action)
    return entry is not None and role in entry[0]


def actions_for(role: str) -> list[str]:
    return [a for a, (roles, _) in MATRIX.items() if role in roles]


def markdown_table() -> str:
    from app.labels import ROLE_LABELS
    head = "| Handling | " + " | ".join(ROLE_LABELS[r] for r in ROLES) + " |"
    sep = "|---|" + "---|" * len(ROLES)
    rows = []
    for action, (roles, desc) in MATRIX.items():
        cells = " | ".join("ja" if r in roles else "–" for r in ROLES)
        rows.append(f"| {desc} (`{action}`) | {cells} |")
    return "\n".join([head, sep, *rows])
