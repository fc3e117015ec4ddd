"""The field tables of an assessment (udredning): one form per discipline, declared once.

Every discipline's form has the common structured fields under the headings the KIA teams used
(presenting problems, resources, barriers: personal, workplace, other; functional level at work;
treatment status; recommendation for the plan), the ICF sections as rows, free text, and the fields of
its own: the psychologist's findings, the physio- or occupational therapist's function and work
physiology, the doctor's medical assessment, the job consultant's work ability and the twelve
elements of the ressourceprofil, the coordinator's summary. The common fields are columns of
``Assessment``; a discipline's own fields are kept by name in ``Assessment.details_json``.

``ASSESSMENT_FORMS[discipline]`` is the table the service validates against and the form is built
from; ``INSTRUMENTS_BY_DISCIPLINE`` names the instruments that discipline's form asks.
"""
from __future__ import annotations

from app.fields import CHOICE, DATE, MULTILINE, NUMBER, ROWS, TEXT, Field, FieldTable
from app.instruments import MDI, RTW_EXPECTATION, WHO5
from app.labels import ICF_LABELS
from db.models import Assessment, AssessmentSection

DISCIPLINES = ("psychologist", "physiotherapist", "doctor", "job_consultant", "coordinator")
FORM_TITLES = {
    "psychologist": "Psykologisk udredning",
    "physiotherapist": "Funktions- og arbejdsfysiologisk udredning",
    "doctor": "Lægelig vurdering",
    "job_consultant": "Arbejdsevne og ressourceprofil",
    "coordinator": "Koordinatorens sammenfatning",
}
INSTRUMENTS_BY_DISCIPLINE = {
    "psychologist": (WHO5, MDI, RTW_EXPECTATION),
    "physiotherapist": (RTW_EXPECTATION,),
    "doctor": (WHO5, MDI, RTW_EXPECTATION),
    "job_consultant": (RTW_EXPECTATION,),
    "coordinator": (WHO5, RTW_EXPECTATION),
}

BASIS = "Udredning"
PROBLEMS = "Problemstilling og ressourcer"
BARRIERS = "Barrierer"
WORK = "Arbejde og behandling"
ICF = "ICF-vurdering"
PROFILE = "Ressourceprofil"
TEXT_LIMIT = 20000

DEGREES = {0: "0 – intet problem", 1: "1 – let", 2: "2 – moderat", 3: "3 – svært", 4: "4 – fuldstændigt"}

ICF_ROWS = FieldTable("assessment_section", [
    Field("heading", "Område", ICF, CHOICE, AssessmentSection.heading, required=True, choices=ICF_LABELS),
    Field("resources", "Ressourcer", ICF, TEXT, AssessmentSection.resources, limit=2000),
    Field("barriers", "Barrierer", ICF, TEXT, AssessmentSection.barriers, limit=2000),
    Field("degree", "Grad", ICF, CHOICE, AssessmentSection.degree, choices=DEGREES),
    Field("proposed_effort", "Forslag til indsats", ICF, TEXT, AssessmentSection.proposed_effort, limit=2000),
    Field("running_elsewhere", "Indsats andetsteds", ICF, TEXT, AssessmentSection.running_elsewhere, limit=2000),
])


def _text(name: str, label: str, section: str, column=None, placeholder: str = "") -> Field:
    return Field(name, label, section, MULTILINE, column, limit=TEXT_LIMIT, edit_action="assessment.write",
                 placeholder=placeholder)


COMMON = [
    Field("assessed_on", "Udredningsdato", BASIS, DATE, Assessment.assessed_on, required=True, past_only=True,
          edit_action="assessment.write"),
    _text("presenting_problems", "Aktuelle problemer", PROBLEMS, Assessment.presenting_problems,
          "Hvad borgeren og du ser som problemet nu"),
    _text("resources", "Ressourcer", PROBLEMS, Assessment.resources),
    _text("barriers_personal", "Personlige barrierer", BARRIERS, Assessment.barriers_personal),
    _text("barriers_workplace", "Barrierer på arbejdspladsen", BARRIERS, Assessment.barriers_workplace),
    _text("barriers_other", "Andre barrierer", BARRIERS, Assessment.barriers_other),
    _text("functional_level", "Funktionsniveau i arbejdet", WORK, Assessment.functional_level),
    _text("treatment_status", "Behandlingsstatus", WORK, Assessment.treatment_status,
          "Igangværende og planlagt behandling"),
    _text("recommendation", "Anbefaling til planen", WORK, Assessment.recommendation),
]
ICF_FIELD = Field("sections", "ICF-områder", ICF, ROWS, rows=ICF_ROWS, edit_action="assessment.write")
FREE_TEXT = _text("summary", "Samlet vurdering og fri tekst", BASIS, Assessment.summary)

OWN_FIELDS: dict[str, list[Field]] = {
    "psychologist": [
        _text("psychological_findings", "Psykologiske fund", FORM_TITLES["psychologist"]),
        _text("work_stressors", "Arbejdsrelaterede belastninger", FORM_TITLES["psychologist"]),
        _text("coping", "Mestring og indsigt", FORM_TITLES["psychologist"]),
    ],
    "physiotherapist": [
        _text("physical_capacity", "Fysisk kapacitet og funktion", FORM_TITLES["physiotherapist"]),
        _text("work_physiology", "Arbejdsfysiologisk vurdering", FORM_TITLES["physiotherapist"]),
        Field("hours_per_day", "Kan arbejde pr. dag", FORM_TITLES["physiotherapist"], NUMBER, bounds=(0, 12),
              unit="timer", edit_action="assessment.write"),
    ],
    "doctor": [
        Field("clinical_picture", "Klinisk billede", FORM_TITLES["doctor"], CHOICE,
              choices={"clear": "Afklaret", "unclear": "Uafklaret"}, edit_action="assessment.write"),
        _text("treatment_plan", "Behandlingsplan", FORM_TITLES["doctor"]),
        _text("work_capacity", "Arbejdsevne", FORM_TITLES["doctor"]),
        _text("accommodations", "Skånehensyn", FORM_TITLES["doctor"]),
    ],
    "job_consultant": [
        _text("work_ability", "Samlet vurdering af arbejdsevnen", FORM_TITLES["job_consultant"]),
        *(_text(name, label, PROFILE) for name, label in (
            ("education", "Uddannelse"), ("work_experience", "Arbejdserfaring"), ("interests", "Interesser"),
            ("social_skills", "Sociale kompetencer"), ("adaptability", "Omstillingsevne"),
            ("learning_ability", "Indlæringsevne"), ("work_wishes", "Arbejdsmæssige ønsker"),
            ("performance_expectations", "Forventninger til egen præstation"),
            ("work_identity", "Arbejdsidentitet"), ("housing_finances", "Bolig og økonomi"),
            ("social_network", "Socialt netværk"), ("health", "Helbred"))),
    ],
    "coordinator": [
        _text("team_summary", "Sammenfatning af teamets udredninger", FORM_TITLES["coordinator"]),
        _text("citizen_view", "Borgerens eget syn og forventninger", FORM_TITLES["coordinator"]),
    ],
}

ASSESSMENT_FORMS: dict[str, FieldTable] = {
    d: FieldTable("assessment", [*COMMON[:1], FREE_TEXT, *OWN_FIELDS[d], *COMMON[1:], ICF_FIELD])
    for d in DISCIPLINES
}
COLUMN_FIELDS = [f.name for f in (*COMMON, FREE_TEXT)]


def own_field_names(discipline: str) -> list[str]:
    """The discipline's own fields, kept in ``details_json``."""
    return [f.name for f in OWN_FIELDS[discipline]]


def all_labels() -> dict[str, str]:
    """Every assessment field's label, for the audit log."""
    out: dict[str, str] = {}
    for table in ASSESSMENT_FORMS.values():
        out.update(table.labels())
    return out
