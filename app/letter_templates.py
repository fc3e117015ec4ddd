"""Letter templates: plain text with named merge fields (``{borger_navn}``), checked before saving and
merged with a case's values; the employer letter's content check. Pure: no database.

A template is checked as a whole before it is saved or used: every ``{...}`` must name a known field
(a misspelt one is reported with the nearest known name), and a lone brace is reported, so a letter
never shows raw template code. A template to the employer may not use the fields that carry health
information, and whatever a template or the coordinator writes, the merged text of a letter to the
employer is checked for ICD codes, diagnosis words, test scores and assessment findings.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.icd10 import COMMON_CODES

RECIPIENT_LABELS = {"jobcentre": "Jobcentret (sagsbehandler)", "gp": "Egen læge", "employer": "Arbejdsgiver",
                    "citizen": "Borgeren"}
# The recipients a letter may reach only with the citizen's recorded consent, and the consent party.
CONSENT_NEEDED = {"gp": "gp", "employer": "employer"}

# name -> what it holds (the template editor lists these)
MERGE_FIELDS: dict[str, str] = {
    "dato": "Dagens dato",
    "borger_navn": "Borgerens navn",
    "borger_adresse": "Borgerens adresse (vej, postnummer og by)",
    "borger_cpr": "Borgerens fødselsdato (CPR uden de sidste fire cifre)",
    "forloeb_nr": "Forløbsnummer",
    "koordinator": "Koordinatorens navn",
    "koordinator_email": "Koordinatorens e-mail",
    "afsender": "Den der skriver brevet",
    "team": "Teamets navn (brevhovedet)",
    "jobcenter": "Henvisende jobcenter",
    "sagsbehandler": "Sagsbehandlerens navn",
    "arbejdsgiver": "Arbejdsgiverens navn",
    "stilling": "Borgerens stilling",
    "leder": "Nærmeste leder",
    "laege": "Egen læges navn",
    "laege_klinik": "Egen læges klinik",
    "sygemeldt_siden": "Første fraværsdag",
    "sygeuge": "Sygeuge i dag",
    "visiteret_dato": "Dato for visitation",
    "formaal": "Handlingsplanens formål",
    "forventet_tilbagevenden": "Forventet dato for tilbagevenden",
    "maal": "Handlingsplanens mål (én pr. linje)",
    "indsatser": "Handlingsplanens indsatser (én pr. linje)",
    "aftaler": "Opgaver og tilpasninger aftalt med arbejdspladsen",
    "timeplan": "Den gradvise tilbagevenden, uge for uge",
    "borgerens_syn": "Borgerens eget syn og forventninger",
    "status_ved_afslutning": "Status ved afslutning",
    "timer_ved_afslutning": "Timer pr. uge ved afslutning",
    "afslutningsdato": "Dato for afslutning",
    "anbefalet_indsats": "Anbefalet næste indsats",
    "afslutningsnotat": "Koordinatorens notat ved afslutning",
    "moede_dato": "Dato for næste rundbordssamtale",
    "moede_tid": "Tidspunkt for næste rundbordssamtale",
    "moede_sted": "Sted for næste rundbordssamtale",
    "diagnoser": "Diagnoser (ICD-10) – aldrig til arbejdsgiveren",
    "fravaersaarsager": "Årsager til fraværet – aldrig til arbejdsgiveren",
    "testresultater": "Testresultater (WHO-5, MDI) – aldrig til arbejdsgiveren",
    "udredning": "Udredningernes sammenfatninger – aldrig til arbejdsgiveren",
}
HEALTH_FIELDS = frozenset({"diagnoser", "fravaersaarsager", "testresultater", "udredning"})

_TOKEN = re.compile(r"\{([^{}\n]*)\}")
_ICD = re.compile(r"\b[A-TV-Z]\d{2}(?:\.\d{1,2})?\b")
# Words that name a diagnosis or a clinical finding; matched at the start of a word, any case.
DIAGNOSIS_WORDS = ("diagnose", "depression", "depressiv", "angst", "panikangst", "ptsd", "posttraumatisk",
                   "udbrændthed", "psykiatri", "psykose", "psykotisk", "bipolar", "skizofren", "tvangstanke",
                   "socialfobi", "dystymi", "neurasteni", "belastningsreaktion", "tilpasningsreaktion",
                   "somatoform", "adhd", "personlighedsforstyrrelse", "kronisk træthed", "who-5", "who5",
                   "mdi", "trivselsindeks", "depressionsskala", "testresultat", "score")
_WORDS = re.compile(r"(?<![\wæøå])(" + "|".join(re.escape(w) for w in DIAGNOSIS_WORDS) + r")", re.IGNORECASE)


@dataclass(frozen=True)
class TemplateProblem:
    where: str      # "Emne" or "Tekst, linje 4"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def template_problems(subject: str, body: str, recipient_kind: str) -> list[TemplateProblem]:
    """Everything that would make a letter show template code or leak health data to the employer."""
    problems = []
    for where, text in (("Emne", subject), ("Tekst", body)):
        for n, line in enumerate(text.splitlines() or [""], 1):
            place = where if where == "Emne" else f"{where}, linje {n}"
            for m in _TOKEN.finditer(line):
                name = m.group(1).strip()
                if name not in MERGE_FIELDS:
                    near = difflib.get_close_matches(name.lower(), list(MERGE_FIELDS), n=1, cutoff=0.6)
                    hint = f" – mente du {{{near[0]}}}?" if near else ""
                    problems.append(TemplateProblem(place, f"ukendt flettefelt {{{name}}}{hint}"))
                elif recipient_kind == "employer" and name in HEALTH_FIELDS:
                    problems.append(TemplateProblem(place, f"{{{name}}} må aldrig stå i et brev til arbejdsgiveren"))
            rest = _TOKEN.sub("", line)
            if "{" in rest or "}" in rest:
                problems.append(TemplateProblem(place, "en krøllet parentes uden flettefelt; skriv {feltnavn} "
                                                       "eller fjern parentesen"))
    return problems


def fields_used(*texts: str) -> list[str]:
    return list(dict.fromkeys(m.group(1).strip() for t in texts for m in _TOKEN.finditer(t)))


def merge(text: str, values: Mapping[str, str]) -> str:
    """The text with every known field replaced (checked templates only; an empty value stays empty)."""
    return _TOKEN.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def health_content(text: str, findings: Iterable[str] = ()) -> list[str]:
    """What in ``text`` must never reach the employer: ICD codes, diagnosis and score words, and any
    of the case's assessment findings (``findings``: its summaries and sections) quoted in it."""
    found = [f"ICD-kode {m.group(0)}" for m in _ICD.finditer(text)]
    found += [f"ordet \"{m.group(1).lower()}\"" for m in _WORDS.finditer(text)]
    lowered = text.lower()
    for name in (label for _code, label in COMMON_CODES):
        if name.lower() in lowered:
            found.append(f"diagnosen \"{name}\"")
    for finding in findings:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", finding):
            sentence = sentence.strip()
            if len(sentence) >= 25 and sentence.lower() in lowered:
                found.append(f"udredningens tekst \"{sentence[:40]}…\"")
    return list(dict.fromkeys(found))


# The templates every database starts with (DOMAIN.md, "What is printed"); the team lead edits them.
# (code, name, recipient kind, letter kind, subject, the merge field greeted, the paragraphs between
# the greeting and the signature)
_DEFAULTS = (
    ("start", "Startstatus til jobcentret", "jobcentre", "status_start",
     "Startstatus for {borger_navn} ({borger_cpr}) – forløb {forloeb_nr}", "sagsbehandler", (
         "{borger_navn} er visiteret til TTA-forløb den {visiteret_dato} og har været sygemeldt siden "
         "{sygemeldt_siden} (sygeuge {sygeuge}). Teamet har nu afsluttet udredningen, og vi sender hermed "
         "status ved forløbets start.",
         "Udredning\n{udredning}",
         "Borgerens eget syn og forventninger\n{borgerens_syn}",
         "Handlingsplan\nFormål: {formaal}\nForventet tilbagevenden: {forventet_tilbagevenden}",
         "Mål:\n{maal}",
         "Indsatser:\n{indsatser}",
         "Vi sender en midtvejsstatus undervejs og en afsluttende rapport, når forløbet slutter. "
         "Kontakt mig gerne, hvis du har spørgsmål.")),
    ("midtvejs", "Midtvejsstatus til jobcentret", "jobcentre", "status_midway",
     "Midtvejsstatus for {borger_navn} ({borger_cpr}) – forløb {forloeb_nr}", "sagsbehandler", (
         "Hermed status midtvejs i TTA-forløbet for {borger_navn}, som nu er i sygeuge {sygeuge}.",
         "Indsatser i gang\n{indsatser}",
         "Gradvis tilbagevenden\n{timeplan}",
         "Aftaler med arbejdspladsen\n{aftaler}",
         "Forventet tilbagevenden: {forventet_tilbagevenden}")),
    ("afslutning", "Afsluttende rapport til jobcentret", "jobcentre", "closing_report",
     "Afsluttende rapport for {borger_navn} ({borger_cpr}) – forløb {forloeb_nr}", "sagsbehandler", (
         "TTA-forløbet for {borger_navn} blev afsluttet den {afslutningsdato}. Borgeren har været "
         "sygemeldt siden {sygemeldt_siden}.",
         "Status ved afslutning: {status_ved_afslutning}\nTimer pr. uge ved afslutning: {timer_ved_afslutning}",
         "Forløbet\n{indsatser}",
         "Vurdering\n{afslutningsnotat}",
         "Anbefalet næste indsats: {anbefalet_indsats}")),
    ("laege", "Brev til egen læge", "gp", "other",
     "Vedrørende din patient {borger_navn} ({borger_cpr})", "laege", (
         "Din patient {borger_navn} deltager i et TTA-forløb om tilbagevenden til arbejdet hos {team}. "
         "Borgeren har givet samtykke til, at vi orienterer dig.",
         "Teamets udredning\n{udredning}",
         "Testresultater\n{testresultater}",
         "Handlingsplan\n{indsatser}",
         "Forventet tilbagevenden: {forventet_tilbagevenden}",
         "Kontakt mig gerne, hvis du har spørgsmål til forløbet.")),
    ("arbejdsgiver", "Brev til arbejdsgiveren", "employer", "other",
     "Aftaler om {borger_navn}s tilbagevenden til arbejdet", "leder", (
         "{borger_navn} deltager i et forløb hos {team} om at vende tilbage til arbejdet hos {arbejdsgiver}. "
         "Borgeren har givet samtykke til, at vi skriver til dig om de praktiske aftaler.",
         "Opgaver og tilpasninger\n{aftaler}",
         "Plan for timer\n{timeplan}",
         "Forventet tilbagevenden på fuld tid: {forventet_tilbagevenden}",
         "Brevet handler kun om arbejdet og de aftaler, der er gjort. Spørgsmål om helbred besvares ikke.")),
    ("invitation", "Invitation til rundbordssamtale", "citizen", "invitation",
     "Invitation til rundbordssamtale den {moede_dato}", "borger_navn", (
         "Du inviteres til en rundbordssamtale om din tilbagevenden til arbejdet.",
         "Tid: {moede_dato} kl. {moede_tid}\nSted: {moede_sted}",
         "Til samtalen kommer din nærmeste leder fra {arbejdsgiver} og jeg fra {team}. Du er velkommen til "
         "at tage din tillidsrepræsentant med. Samtalen er frivillig og fortrolig, og vi taler om dine "
         "opgaver, dine timer og hvad der kan hjælpe dig tilbage – ikke om din diagnose.",
         "Giv mig besked, hvis tidspunktet ikke passer.")),
)
_SIGNATURE = "Med venlig hilsen\n{afsender}\nTTA-koordinator, {team}"


def _default_template(code: str, name: str, recipient_kind: str, letter_kind: str, subject: str, greeted: str,
                      paragraphs: tuple[str, ...]) -> dict[str, str]:
    """One default template: a greeting, the paragraphs and the coordinator's signature."""
    body = "\n\n".join((f"Kære {{{greeted}}}", *paragraphs, _SIGNATURE))
    return dict(code=code, name=name, recipient_kind=recipient_kind, letter_kind=letter_kind, subject=subject,
                body=body)


DEFAULT_TEMPLATES = [_default_template(*row) for row in _DEFAULTS]
