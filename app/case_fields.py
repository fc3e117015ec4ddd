"""The field table of a case and its citizen: every field of a referral and of the record's Stamdata.

This is the one place a case field is declared (see ``app.fields`` for what a table drives).
Lengths come from the columns in ``db/models/case.py``; labels, sections, kinds, required rules,
choices and who may change a field after creation are written here and nowhere else. The referral
service validates and creates from ``CASE_FIELDS``, the case service validates changes and builds
``CaseDetail.values`` from it, ``app.labels`` names audited fields from it, and the forms (the
referral dialog, the record's Stamdata) are laid out from its sections and kinds.
"""
from __future__ import annotations

from app.fields import (
                        CATALOG_SET,
                        CHOICE,
                        CPR,
                        DATE,
                        EMAIL,
                        ICD10,
                        MULTILINE,
                        NUMBER,
                        PHONE,
                        POSTCODE,
                        ROWS,
                        USER,
                        USERS,
                        YESNO,
                        Field,
                        FieldTable,
)
from app.reference import SUBGROUPS
from db.models import Case, Citizen, WorkplaceContact

# Section headings (Danish), in form order.
CITIZEN = "Borger"
REFERRAL = "Henvisning"
WORKPLACE = "Arbejdsplads"
HEALTH = "Årsager og helbred"
CHARACTERISTICS = "Karakteristika ved start"
TEAM = "Teamet"
COURSE = "Forløb"

UPDATE = "case.update"      # changing the case's Stamdata
REASSIGN = "case.reassign"  # giving the case another coordinator is the team lead's decision

CONTACT_FIELDS = FieldTable("workplace_contact", [
    Field("kind", "Type", "Kontaktperson", CHOICE, WorkplaceContact.kind, required=True,
          choices={"manager": "Nærmeste leder", "hr": "HR", "union_rep": "Tillidsrepræsentant", "other": "Anden"}),
    Field("name", "Navn", "Kontaktperson", column=WorkplaceContact.name, required=True, placeholder="navn"),
    Field("phone", "Telefon", "Kontaktperson", PHONE, WorkplaceContact.phone, placeholder="telefon"),
    Field("email", "E-mail", "Kontaktperson", EMAIL, WorkplaceContact.email),
])

CASE_FIELDS = FieldTable("tta_case", [
    # -- Borger
    Field("cpr", "CPR-nummer", CITIZEN, CPR, Citizen.cpr, required=True, placeholder="ddmmåå-xxxx"),
    Field("first_name", "Fornavn", CITIZEN, column=Citizen.first_name, required=True),
    Field("last_name", "Efternavn", CITIZEN, column=Citizen.last_name, required=True),
    Field("birth_date", "Fødselsdato", CITIZEN, DATE, Citizen.birth_date, on_create=False),  # from the CPR number
    Field("sex", "Køn", CITIZEN, CHOICE, Citizen.sex, on_create=False,
          choices={"female": "Kvinde", "male": "Mand", "other": "Andet"}),
    Field("address", "Adresse", CITIZEN, column=Citizen.address),
    Field("postcode", "Postnummer", CITIZEN, POSTCODE, Citizen.postcode, placeholder="postnr."),
    Field("city", "By", CITIZEN, column=Citizen.city, placeholder="by"),
    Field("phone", "Telefon", CITIZEN, PHONE, Citizen.phone),
    Field("email", "E-mail", CITIZEN, EMAIL, Citizen.email),
    # -- Henvisning
    Field("referral_date", "Henvisningsdato", REFERRAL, DATE, Case.referral_date, required=True, past_only=True),
    Field("sick_leave_start", "Sygemeldt fra", REFERRAL, DATE, Case.sick_leave_start, required=True,
          past_only=True),
    Field("referring_jobcentre", "Henvisende jobcenter", REFERRAL, column=Case.referring_jobcentre, required=True,
          edit_action=UPDATE),
    Field("caseworker_name", "Sagsbehandler", REFERRAL, column=Case.caseworker_name, required=True,
          edit_action=UPDATE),
    Field("caseworker_phone", "Sagsbehandlers telefon", REFERRAL, PHONE, Case.caseworker_phone, edit_action=UPDATE),
    Field("caseworker_email", "Sagsbehandlers e-mail", REFERRAL, EMAIL, Case.caseworker_email, edit_action=UPDATE),
    Field("referral_text", "Henvisningstekst", REFERRAL, MULTILINE, Case.referral_text, limit=5000,
          edit_action=UPDATE, placeholder="Jobcentrets beskrivelse: hvorfor henvises borgeren?"),
    # -- Arbejdsplads
    Field("employment_status", "Ansættelsesforhold", WORKPLACE, CHOICE, Case.employment_status, required=True,
          default="employed", edit_action=UPDATE,
          choices={"employed": "I ansættelse", "resigned": "Har selv opsagt", "dismissed": "Afskediget",
                   "unemployed": "Ledig"}),
    Field("employer_name", "Arbejdsgiver", WORKPLACE, column=Case.employer_name, edit_action=UPDATE,
          required=lambda values: values.get("employment_status") == "employed"),
    Field("employer_address", "Arbejdsgivers adresse", WORKPLACE, column=Case.employer_address, edit_action=UPDATE),
    Field("job_title", "Stilling", WORKPLACE, column=Case.job_title, edit_action=UPDATE),
    Field("normal_hours_per_week", "Normal ugentlig arbejdstid", WORKPLACE, NUMBER, Case.normal_hours_per_week,
          bounds=(0, 60), unit="timer"),
    Field("contacts", "Kontaktpersoner", WORKPLACE, ROWS, rows=CONTACT_FIELDS),
    # -- Årsager og helbred
    Field("absence_reasons", "Årsager til fravær", HEALTH, CATALOG_SET, catalog="absence_reason", required=True,
          required_rule="vælg mindst én årsag"),
    Field("icd10", "ICD-10-koder", HEALTH, ICD10, placeholder="fx F43.2, F32.1 (adskil med komma)"),
    Field("gp_name", "Egen læge", HEALTH, column=Case.gp_name, edit_action=UPDATE),
    Field("gp_clinic", "Lægepraksis", HEALTH, column=Case.gp_clinic, edit_action=UPDATE),
    Field("gp_phone", "Lægens telefon", HEALTH, PHONE, Case.gp_phone, edit_action=UPDATE),
    # -- Karakteristika ved start (the KIA report's table 1)
    Field("socio_economic_level", "Socioøkonomisk niveau", CHARACTERISTICS, CHOICE, Case.socio_economic_level,
          required=True, default="other",
          choices={"top_manager": "Topleder", "wage_highest": "Lønmodtager, højeste niveau",
                   "wage_middle": "Lønmodtager, mellemniveau", "wage_basic": "Lønmodtager, grundniveau",
                   "other": "Andet"}),
    Field("wage_earner", "Lønmodtager", CHARACTERISTICS, YESNO, Case.wage_earner),
    Field("absent_before_same_cause", "Tidligere sygemeldt af samme årsag", CHARACTERISTICS, YESNO,
          Case.absent_before_same_cause),
    Field("expects_return_same_workplace", "Forventer at vende tilbage til arbejdspladsen", CHARACTERISTICS, YESNO,
          Case.expects_return_same_workplace),
    Field("referred_to_psych", "Allerede henvist til psykiater/psykolog", CHARACTERISTICS, YESNO,
          Case.referred_to_psych),
    # -- Teamet
    Field("coordinator_id", "Koordinator", TEAM, USER, Case.coordinator_id, edit_action=REASSIGN),
    Field("team_member_ids", "Teammedlemmer", TEAM, USERS, on_create=False, edit_action=UPDATE),
    # -- Forløb (set during the course, not at referral)
    Field("subgroup", "Undergruppe", COURSE, CHOICE, Case.subgroup, on_create=False, edit_action=UPDATE,
          catalog="subgroup", choices={int(code): label for code, label in SUBGROUPS}),
    Field("phase", "Fase", COURSE, CHOICE, Case.phase, on_create=False, edit_action=UPDATE,
          choices={"referral": "Henvisning", "visitation": "Visitation", "assessment": "Udredning",
                   "plan": "Handlingsplan", "intervention": "Indsats", "follow_up": "Opfølgning",
                   "closed": "Afsluttet"}),
])
