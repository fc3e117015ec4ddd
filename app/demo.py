"""Fictitious demo data: a team, its users and a realistic spread of return-to-work cases.

Everything here is invented. CPR numbers carry day + 60 (``app.validation.FICTITIOUS_DAY_OFFSET``)
so they can never belong to a real person, and e-mail addresses use the reserved ``.example``
top-level domain. The generator is deterministic for a given seed and ``today``.

Speed matters (10,000 cases in well under a minute on SQLite), so rows are built as plain dicts
with their primary keys assigned here and written with Core bulk inserts in dependency order;
no ORM object is created per row.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.security import hash_password
from app.validation import FICTITIOUS_DAY_OFFSET, name_search_key, name_sort_key
from db import codes
from db.base import utcnow
from db.derived import refresh_case_name_keys, refresh_next_deadlines, sync_sequences
from db.models import (ActionPlan, AfterFollowUp, Assessment, AssessmentSection, AuditEntry, Case, CaseAbsenceReason,
                       CaseConference, CaseIcd10, CaseTeamMember, CatalogItem, Citizen, ConferenceItem, Consent,
                       GradualReturnWeek, InstrumentResult, JournalNote, Letter, MeetingItem, MeetingParticipant,
                       PlanGoal, PlanIntervention, RoundTableMeeting, Task, Team, User, WorkplaceContact)

DEMO_PASSWORD = "demo1234"
TEAM_NAME = "TTA-teamet"

# (username, full name, role, initials)
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("koordinator", "Mette Kjærgaard Holm", "coordinator", "MKH"),
    ("koordinator2", "Søren Østergaard Bech", "coordinator", "SØB"),
    ("koordinator3", "Sanne Bødker Lund", "coordinator", "SBL"),
    ("psykolog", "Signe Dahl Mikkelsen", "psychologist", "SDM"),
    ("fysioterapeut", "Rasmus Brøndum Kjær", "physiotherapist", "RBK"),
    ("laege", "Birgitte Vang Sørensen", "doctor", "BVS"),
    ("jobkonsulent", "Jesper Nørgaard Friis", "job_consultant", "JNF"),
    ("teamleder", "Annette Frøslev Madsen", "team_lead", "AFM"),
    ("admin", "Thomas Winther Ærenlund", "admin", "TWÆ"),
]

# --- Names, places, workplaces ------------------------------------------------------------------
FEMALE_FIRST = (
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Camilla", "Louise", "Maria", "Charlotte", "Tina", "Marianne",
    "Pia", "Helle", "Karina", "Line", "Julie", "Sofie", "Signe", "Ida", "Emma", "Cecilie", "Nanna", "Trine",
    "Rikke", "Birgitte", "Dorthe", "Lone", "Bente", "Gitte", "Åse", "Søs", "Lærke", "Kirsten", "Inger",
    "Grethe", "Astrid", "Frida", "Maja", "Mathilde", "Josefine", "Stine", "Malene", "Janni", "Britt",
    "Anne Marie", "Sørine", "Bodil", "Jytte", "Vibeke", "Tove",
)
MALE_FIRST = (
    "Søren", "Bjørn", "Jørgen", "Henrik", "Lars", "Jens", "Peter", "Michael", "Thomas", "Martin", "Anders",
    "Morten", "Rasmus", "Jesper", "Niels", "Kim", "Claus", "Brian", "Mads", "Frederik", "Jonas", "Kasper",
    "Mikkel", "Christian", "Torben", "Ole", "Steen", "Bent", "Poul", "Jørn", "Bo", "Flemming", "Kåre",
    "Asbjørn", "Bjarke", "Emil", "Mathias", "Tobias", "Nikolaj", "Allan", "René", "Finn", "Per", "Carsten",
    "Hans Jørgen", "Ib", "Knud", "Erik", "Stig", "Tue",
)
LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
    "Møller", "Mortensen", "Østergaard", "Ærenlund", "Kjær", "Jakobsen", "Knudsen", "Mikkelsen", "Lund", "Holm",
    "Schmidt", "Frederiksen", "Nørgaard", "Dahl", "Bertelsen", "Skov", "Bach", "Vestergaard", "Søndergaard",
    "Brødsgaard", "Kjærgaard", "Højgaard", "Bøgh", "Lykke", "Damgaard", "Winther", "Bang", "Friis",
    "Sønderby", "Ågaard", "Krogh", "Bødker", "Løvgreen", "Nørregaard", "Dræbye", "Fogh", "Juhl", "Kirkegaard",
)
# Half the draws come from the twenty commonest surnames, as in the population.
_COMMON_LAST = LAST_NAMES[:20]

STREETS = (
    "Amagerbrogade", "Nørrebrogade", "Vesterbrogade", "Østerbrogade", "Jagtvej", "Frederikssundsvej",
    "Valby Langgade", "Gammel Kongevej", "Istedgade", "Søndre Fasanvej", "Tagensvej", "Strandvejen",
    "Roskildevej", "Hvidovrevej", "Gladsaxevej", "Ålholmvej", "Ørnevej", "Bispebjerg Bakke", "Grøndalsvej",
    "Peter Bangs Vej", "Kongevej", "Skolevej", "Kirkevej", "Møllevej", "Søvej", "Engvej", "Bøgevej", "Ahornvej",
    "Æblehaven", "Egevej", "Lærkevej", "Rosenvænget", "Hørsholmvej", "Bellahøjvej", "Tårnbygårdsvej",
    "Sønderbrogade", "Bredgade", "Fælledvej", "Åboulevard", "Kløvervænget",
)
FLOORS = ("", "", "", ", st. tv.", ", st. th.", ", 1. tv.", ", 1. th.", ", 2. tv.", ", 2. th.", ", 3. mf.",
          ", 4. tv.")

# (jobcentre, weight, [(postcode, city), ...])
JOBCENTRES: list[tuple[str, int, list[tuple[str, str]]]] = [
    ("Jobcenter København", 50, [("2100", "København Ø"), ("2200", "København N"), ("2300", "København S"),
                                 ("2400", "København NV"), ("2450", "København SV"), ("2500", "Valby"),
                                 ("2700", "Brønshøj"), ("2720", "Vanløse"), ("1799", "København V"),
                                 ("1360", "København K")]),
    ("Jobcenter Frederiksberg", 8, [("2000", "Frederiksberg")]),
    ("Jobcenter Gentofte", 6, [("2820", "Gentofte"), ("2900", "Hellerup"), ("2920", "Charlottenlund")]),
    ("Jobcenter Gladsaxe", 5, [("2860", "Søborg"), ("2880", "Bagsværd")]),
    ("Jobcenter Hvidovre", 5, [("2650", "Hvidovre")]),
    ("Jobcenter Rødovre", 4, [("2610", "Rødovre")]),
    ("Jobcenter Tårnby", 3, [("2770", "Kastrup")]),
    ("Jobcenter Lyngby-Taarbæk", 4, [("2800", "Kongens Lyngby")]),
    ("Jobcenter Ballerup", 4, [("2750", "Ballerup")]),
    ("Jobcenter Høje-Taastrup", 4, [("2630", "Taastrup")]),
    ("Jobcenter Roskilde", 4, [("4000", "Roskilde")]),
    ("Jobcenter Albertslund", 3, [("2620", "Albertslund")]),
]

EMPLOYERS = (
    ("Københavns Kommune, Børne- og Ungdomsforvaltningen", "Gyldenløvesgade 15, 1600 København V"),
    ("Københavns Kommune, Sundheds- og Omsorgsforvaltningen", "Bjerregårdsvej 5, 2500 Valby"),
    ("Region Hovedstaden, Hvidovre Hospital", "Kettegård Allé 30, 2650 Hvidovre"),
    ("Region Hovedstaden, Bispebjerg Hospital", "Bispebjerg Bakke 23, 2400 København NV"),
    ("Frederiksberg Kommune, Ældreplejen", "Smallegade 1, 2000 Frederiksberg"),
    ("Nordlys Revision ApS", "Vesterbrogade 112, 1620 København V"),
    ("Havnens VVS A/S", "Sydhavnsgade 8, 2450 København SV"),
    ("Bøgh & Friis Advokatfirma", "Bredgade 40, 1260 København K"),
    ("Østerbro Tandklinik", "Østerbrogade 98, 2100 København Ø"),
    ("Kystens Rengøring ApS", "Roskildevej 221, 2620 Albertslund"),
    ("DataNord A/S", "Lautrupvang 4, 2750 Ballerup"),
    ("Grøn Logistik A/S", "Industrivej 12, 2630 Taastrup"),
    ("Valby Bageri ApS", "Valby Langgade 61, 2500 Valby"),
    ("Amager Auto ApS", "Englandsvej 290, 2770 Kastrup"),
    ("Lykke Forsikring A/S", "Strandvejen 70, 2900 Hellerup"),
    ("Skovgaard Arkitekter", "Nørregade 7, 1165 København K"),
    ("Brødrene Damgaard Byg ApS", "Gladsaxevej 300, 2860 Søborg"),
    ("Nørrebro Privatskole", "Jagtvej 155, 2200 København N"),
    ("Sønderby Software ApS", "Lyngby Hovedgade 50, 2800 Kongens Lyngby"),
    ("Kjærgaard Ejendomsservice A/S", "Hvidovrevej 80, 2610 Rødovre"),
    ("Roskilde Kommune, Jobcenter og Borgerservice", "Køgevej 80, 4000 Roskilde"),
    ("Supermarked Nord, afd. Vanløse", "Jernbane Allé 40, 2720 Vanløse"),
    ("Ærø Kaffebrænderi ApS", "Istedgade 30, 1650 København V"),
    ("Mølleparkens Børnehus", "Møllevej 9, 2880 Bagsværd"),
    ("Gentofte Kommune, Hjemmeplejen", "Bernstorffsvej 161, 2920 Charlottenlund"),
    ("Højgaard Transport A/S", "Vallensbækvej 22, 2605 Brøndby"),
)

# Job titles per socio-economic level
JOB_TITLES = {
    "top_manager": ("Direktør", "Afdelingschef", "Centerchef", "Administrerende direktør"),
    "wage_highest": ("Jurist", "Ingeniør", "Projektleder", "IT-udvikler", "Økonom", "Overlæge", "Arkitekt",
                     "Specialkonsulent"),
    "wage_middle": ("Sygeplejerske", "Pædagog", "Folkeskolelærer", "Socialrådgiver", "HR-konsulent",
                    "Regnskabsmedarbejder", "Laborant", "Afdelingsleder", "Ergoterapeut", "Bogholder"),
    "wage_basic": ("Social- og sundhedsassistent", "Butiksassistent", "Lagermedarbejder", "Chauffør",
                   "Kontorassistent", "Rengøringsassistent", "Kok", "Tandklinikassistent", "Pædagogmedhjælper",
                   "Kundeservicemedarbejder", "Håndværker", "Elektriker"),
    "other": ("Selvstændig", "Freelancer", "Studerende med studiejob"),
}

GP_CLINICS = (
    "Lægehuset på Amagerbrogade", "Lægerne Valby Langgade", "Lægeklinikken Østerbro", "Lægehuset Nørrebro",
    "Lægerne i Hvidovre", "Lægepraksis Frederiksberg Allé", "Lægehuset Søborg", "Lægerne ved Vanløse Torv",
    "Lægeklinikken Ørestad", "Lægerne i Lyngby", "Lægehuset Roskilde Bymidte", "Lægerne Brønshøj Torv",
)

MEETING_LOCATIONS = ("På arbejdspladsen", "TTA-teamets mødelokale", "Jobcentrets mødelokale 2",
                     "Virtuelt møde (video)", "På arbejdspladsen, HR's mødelokale")

# --- Clinical content ---------------------------------------------------------------------------
# ICD-10 codes by subgroup (first code) and a second code pool
ICD_BY_SUBGROUP = {
    1: ("F43.0", "F43.2", "F43.8", "F43.9", "Z73.0"),
    2: ("F43.2", "F43.0", "F43.8", "F41.2"),
    3: ("F32.0", "F32.1", "F33.0", "F33.1"),
    4: ("F32.1", "F32.2", "F33.1", "F33.2"),
    5: ("F43.2", "F43.8", "F41.1", "F43.9"),
    6: ("F43.1", "F41.1", "F43.2", "F41.0"),
    7: ("F43.1",),
    8: ("Z73.0", "F43.8", "F48.0", "Z73.0"),
    None: ("F43.2", "F43.9", "F32.1", "F41.1", "F43.8", "F32.0", "Z73.0"),
}
ICD_SECOND = ("F41.0", "F41.1", "F41.2", "F41.9", "F51.0", "F32.0", "F43.2")

ABSENCE_BY_SUBGROUP = {
    1: ("stress", "stress", "burnout", "anxiety"),
    2: ("stress", "stress", "depression", "anxiety"),
    3: ("depression", "depression", "stress", "anxiety"),
    4: ("depression", "depression", "anxiety", "chronic_fatigue"),
    5: ("stress", "anxiety", "depression"),
    6: ("anxiety", "depression", "stress", "other"),
    7: ("anxiety", "anxiety", "stress", "other"),
    8: ("burnout", "burnout", "chronic_fatigue", "stress"),
    None: ("stress", "depression", "anxiety", "burnout", "chronic_fatigue", "other"),
}
ABSENCE_OTHER_TEXT = ("Søvnproblemer", "Sorg efter dødsfald i familien", "Smerter i nakke og skuldre",
                      "Tinnitus", "Konflikt på arbejdspladsen")

SUBGROUP_SEVERITY = {1: 1, 2: 1, 3: 2, 4: 3, 5: 2, 6: 2, 7: 3, 8: 2, None: 2}

REFERRAL_TEXTS = {
    1: ("Sygemeldt med stress efter længere tids højt arbejdspres og en omstrukturering i afdelingen. "
        "Ønsker at vende tilbage til sin stilling.",
        "Borgeren beskriver mange opgaver, uklare forventninger og manglende pauser. Sover dårligt og har "
        "hjertebanken søndag aften."),
    2: ("Sygemeldt med stress efter skilsmisse og sygdom i nærmeste familie. Har svært ved at overskue "
        "hverdagen og arbejdet samtidig.",
        "Borgeren har mistet en forælder og har samtidig store økonomiske bekymringer. Egen læge anbefaler "
        "støttende samtaler."),
    3: ("Sygemeldt med let til moderat depression. Egen læge har opstartet antidepressiv behandling.",
        "Nedtrykt, træt og koncentrationsbesværet gennem flere måneder. Har trukket sig fra venner og familie."),
    4: ("Sygemeldt med tilbagevendende depression, nu moderat til svær. Har tidligere været sygemeldt med "
        "samme problematik.",
        "Markant nedsat energi og initiativ. Er i behandling hos psykiater. Egen læge vurderer langvarigt forløb."),
    5: ("Sygemeldt efter længerevarende konflikt med nærmeste leder. Oplever sig udsat for krænkende adfærd.",
        "Borgeren beskriver mobning fra kolleger gennem et år. Frygter at møde op på arbejdspladsen."),
    6: ("Sygemeldt med angst og uro. Gamle, ubearbejdede oplevelser fra barndommen er blevet aktiveret.",
        "Borgeren har været udsat for vold i et tidligere parforhold og har nu svært ved at fungere i "
        "hverdagen."),
    7: ("Sygemeldt efter voldsom episode med en klient på arbejdspladsen. Genoplevelser, mareridt og "
        "undgåelsesadfærd.",
        "Borgeren blev truet med kniv på arbejdet. Har siden haft svært ved at færdes alene og ved at sove."),
    8: ("Udbrændt efter flere år med mange overarbejdstimer. Træt, glemsom og irritabel.",
        "Borgeren oplever total udmattelse og manglende glæde ved arbejdet. Har haft symptomer i over et år."),
}
REFERRAL_EMPLOYMENT_TAIL = {
    "employed": " Er fortsat ansat, og arbejdspladsen er positiv over for en gradvis tilbagevenden.",
    "dismissed": " Er blevet afskediget under sygemeldingen og ønsker afklaring af fremtidig beskæftigelse.",
    "resigned": " Har selv sagt op under sygemeldingen og ønsker hjælp til at finde et nyt job.",
    "unemployed": " Var ledig ved sygemeldingen; skal afklares i forhold til job eller uddannelse.",
}

VISITATION_NOTES = (
    "Visiteret efter visitationssamtale. Opfylder kriterierne.",
    "Drøftet på casekonferencen. Borgeren er motiveret for forløbet.",
    "Visiteret. Borgeren ønsker at vende tilbage til arbejdspladsen.",
    "Visiteret efter telefonisk samtale med sagsbehandler og borger.",
)
REJECTION_NOTES = (
    "Ikke visiteret. Sagsbehandler er orienteret telefonisk.",
    "Ikke visiteret efter drøftelse på casekonferencen. Anbefaler anden indsats.",
    "Borgeren er orienteret om afgørelsen og begrundelsen.",
)
OUTSIDE_REASONS = {
    "age": "Borgeren er over 60 år, men optages for at høste erfaring med målgruppen.",
    "sick_weeks": "Sygemeldt i mere end 12 uger ved henvisningen; optaget efter drøftelse på casekonferencen.",
    "wage_earner": "Ikke lønmodtager (selvstændig), men optaget som erfaringsforløb.",
    "diagnosis": "Fraværet skyldes primært kroniske smerter med psykisk overbygning; optaget som erfaringsforløb.",
}

ASSESSMENT_SUMMARIES = {
    "coordinator": (
        "Screening gennemført. Borgeren er motiveret og har gode ressourcer i netværket.",
        "Fælles screening med læge, psykolog og fysioterapeut. Forløbet drøftes på casekonferencen.",
        "Borgeren har klare ønsker om at vende tilbage, men er usikker på tempoet.",
    ),
    "psychologist": (
        "Psykologisk udredning: symptomer på stress med nedsat koncentration og søvnforstyrrelser.",
        "Depressive symptomer i moderat grad. Anbefaler støttende samtaler og arbejdsfokuseret kognitiv terapi.",
        "Angst med undgåelsesadfærd i forhold til arbejdspladsen. Gradvis eksponering anbefales.",
        "Udtalt træthed og tristhed; god indsigt og motivation for forandring.",
    ),
    "physiotherapist": (
        "Nedsat fysisk kapacitet og spændinger i nakke og skuldre. Anbefaler fysisk aktivitet og dagsstruktur.",
        "Funktionsvurdering: kan klare let fysisk arbejde i 3-4 timer dagligt med pauser.",
        "Arbejdsfysiologisk vurdering: behov for variation og pauser i arbejdsdagen.",
    ),
    "doctor": (
        "Lægelig vurdering: klinisk billede afklaret. Behandlingsplan hos egen læge fortsættes.",
        "Medicinsk behandling er opstartet; anbefaler opfølgning hos egen læge om 4 uger.",
        "Klinisk billede endnu ikke afklaret. Anbefaler vurdering hos psykiater.",
    ),
}
SECTION_RESOURCES = {
    "function": ("God hukommelse for rutineopgaver", "Kan koncentrere sig i kortere perioder",
                 "Sover bedre end ved sygemeldingen", "Har overskud om formiddagen"),
    "activity_participation": ("Går dagligt ture", "Deltager i familielivet", "Passer hjemmet",
                               "Har kontakt til enkelte kolleger"),
    "health": ("Ingen somatisk sygdom", "Tager medicin som ordineret", "Er i gang med behandling hos psykolog",
               "Dyrker motion to gange om ugen"),
    "environment": ("Støttende partner", "Positiv arbejdsgiver", "Godt netværk af venner",
                    "Forstående nærmeste leder"),
    "personal": ("Motiveret for at vende tilbage", "Pligtopfyldende og ansvarsbevidst", "God selvindsigt",
                 "Erfaren i sit fag"),
}
SECTION_BARRIERS = {
    "function": ("Koncentrationsbesvær efter 1-2 timer", "Nedsat hukommelse", "Uro og indre spænding",
                 "Hurtigt udtrættet"),
    "activity_participation": ("Undgår sociale sammenhænge", "Svært ved at planlægge dagen",
                               "Har svært ved at handle ind i travle butikker", "Trækker sig fra familien"),
    "health": ("Søvnforstyrrelser", "Hovedpine og spændinger", "Hjertebanken ved tanken om arbejdet",
               "Bivirkninger af medicin"),
    "environment": ("Højt arbejdspres i afdelingen", "Uafklaret konflikt med leder", "Økonomiske bekymringer",
                    "Lang transporttid"),
    "personal": ("Høje krav til sig selv", "Svært ved at sige fra", "Bekymring for at blive afskediget",
                 "Skyld og skam over sygemeldingen"),
}
SECTION_EFFORTS = {
    "function": ("Struktur på dagen med faste pauser", "Gradvis øgning af krav", "Psykoedukation om stress"),
    "activity_participation": ("Aftaler om sociale aktiviteter", "Ugeskema med aktiviteter",
                               "Gradvis eksponering"),
    "health": ("Søvnhygiejne", "Fysisk aktivitet tre gange om ugen", "Opfølgning hos egen læge"),
    "environment": ("Rundbordssamtale med arbejdspladsen", "Kontakt til nærmeste leder",
                    "Afklaring af arbejdsopgaver"),
    "personal": ("Arbejde med grænsesætning", "Kognitive samtaler om tankemønstre",
                 "Fokus på realistiske forventninger"),
}
RUNNING_ELSEWHERE = ("", "", "", "Samtaler hos privatpraktiserende psykolog", "Behandling i distriktspsykiatrien",
                     "Samtaler via arbejdsgiverens sundhedsforsikring", "Medicinsk behandling hos egen læge")

WHO5_BANDS = ((35, "Høj risiko"), (50, "Nogen risiko"), (100, "Normal"))
MDI_BANDS = ((20, "Ingen eller tvivlsom depression"), (25, "Let depression"), (30, "Moderat depression"),
             (50, "Svær depression"))

PLAN_PURPOSES = (
    "At borgeren vender tilbage til sit arbejde på fuld tid inden for 12 uger.",
    "At borgeren gradvist genoptager arbejdet med tilpassede opgaver.",
    "At afklare borgerens arbejdsevne og anbefale den næste indsats.",
    "At borgeren fastholder tilknytningen til arbejdspladsen gennem en delvis raskmelding.",
    "At borgeren kommer i job eller uddannelse med støtte fra jobkonsulent og mentor.",
)
CITIZEN_VIEWS = (
    "Jeg vil gerne tilbage til mit arbejde, men i et tempo jeg kan holde til.",
    "Jeg er bange for at gå ned igen og vil gerne have hjælp til at sige fra.",
    "Jeg savner mine kolleger og vil gerne i gang med nogle få timer.",
    "Jeg vil ikke tilbage til samme afdeling, men gerne i job igen.",
    "Jeg har brug for at få styr på søvnen, før jeg kan arbejde igen.",
)
CITIZEN_GOALS = (
    "Sove mindst 6 timer hver nat", "Gå en tur hver dag", "Kunne være på arbejde 4 timer om dagen",
    "Sige fra over for ekstra opgaver", "Genoptage kontakten til kolleger", "Lave mad til familien igen",
    "Deltage i et personalemøde", "Kunne køre med offentlig transport i myldretiden",
    "Være tilbage på fuld tid", "Finde et nyt job inden for faget",
)
TEAM_GOALS = (
    "Afklare arbejdsevnen og anbefale næste indsats", "Etablere delvis raskmelding med gradvis optrapning",
    "Gennemføre rundbordssamtale med arbejdspladsen", "Sikre behandling hos egen læge eller psykiater",
    "Aftale tilpassede arbejdsopgaver med nærmeste leder", "Gennemføre jobmatch med jobkonsulent",
    "Reducere symptomer målt med WHO-5 og MDI", "Skriftlig status til jobcentret hver 4. uge",
)
INTERVENTION_NOTES = ("", "", "Hver 14. dag", "Ugentligt de første 4 uger", "Aftalt med borgeren",
                      "Afholdes på arbejdspladsen", "Holdstart i næste måned")
GRADUAL_TASKS = (
    "Kendte driftsopgaver uden deadlines", "Kontoropgaver uden borgerkontakt", "Faglige opgaver i eget tempo",
    "Deltagelse i teammøder", "Enkelte borgerkontakter med kollega", "Fulde opgaver undtagen vagtplan",
    "Sædvanlige opgaver med færre sager",
)
GRADUAL_ACCOMMODATIONS = (
    "Fast pause midt på dagen", "Ingen telefonvagt", "Eget kontor eller stille arbejdsplads",
    "Ingen overarbejde", "Mødetid efter myldretiden", "Hjemmearbejde en dag om ugen",
)
GRADUAL_FOLLOW_UP = ("Ugentlig kort samtale med leder", "Status med koordinator hver 14. dag",
                     "Timer indberettes til jobcentret ugentligt", "Telefonisk opfølgning fredag")

MEETING_PURPOSES = (
    "Aftale gradvis tilbagevenden og tilpassede opgaver.",
    "Status på delvis raskmelding og plan for optrapning.",
    "Afklare fremtiden på arbejdspladsen.",
    "Fælles forståelse af skånehensyn og næste skridt.",
)
CITIZEN_ACCOUNTS = (
    "Borgeren fortæller, at hun/han har det bedre, men bliver hurtigt træt.",
    "Borgeren beskriver bekymring for at komme tilbage til et travlt team.",
    "Borgeren er glad for at være i gang og ønsker langsom optrapning.",
    "Borgeren oplever, at søvnen er bedre, og at overskuddet er på vej tilbage.",
)
FUNCTION_DESCRIPTIONS = (
    "Kan koncentrere sig 2-3 timer ad gangen; har brug for pauser og forudsigelighed.",
    "Kan løse kendte opgaver, men ikke opgaver med tidspres eller mange afbrydelser.",
    "Nedsat energi; kan arbejde 3-4 timer dagligt i starten.",
    "Har brug for at undgå konfliktfyldte opgaver i en periode.",
)
WORKPLACE_OPTIONS = (
    "Arbejdspladsen kan tilbyde kontoropgaver og fleksibel mødetid.",
    "Lederen kan fjerne vagtplanlægning og telefonvagt i en periode.",
    "Mulighed for at arbejde i en anden afdeling i optrapningsperioden.",
    "Arbejdspladsen kan tilbyde mentor blandt kollegerne.",
)
MEETING_ITEMS = {
    "obstacle_employee": ("Bekymret for arbejdsmængden ved tilbagevenden", "Svært ved mange afbrydelser",
                          "Usikker på kollegernes reaktion", "Træthed sidst på dagen"),
    "obstacle_employer": ("Travl periode i afdelingen", "Behov for at planlægge vagter",
                          "Usikkerhed om, hvilke opgaver der er realistiske", "Kunderne efterspørger fast kontakt"),
    "solution": ("Start med 3 timer om dagen tre dage om ugen", "Ingen telefonvagt de første 4 uger",
                 "Fast ugentligt møde med nærmeste leder", "Kollega som makker i de første uger"),
    "agreement": ("Leder informerer kollegerne om tilbagevenden", "Borgeren indberetter timer til jobcentret",
                  "Koordinator sender referat til alle deltagere", "Nyt møde om 4 uger"),
}

CONFERENCE_NOTES = {
    "new_referral": ("Ny henvisning gennemgået.", "Henvisning fra jobcentret drøftet; kriterierne er vurderet."),
    "assessment_done": ("Udredningen er afsluttet og gennemgået af teamet.", "Tværfaglig udredning drøftet."),
    "plan_review": ("Handlingsplanen gennemgået; optrapningen følger planen.", "Planen skal justeres."),
    "round_table": ("Rundbordssamtale forberedt.", "Dagsorden til rundbordssamtalen drøftet."),
    "deadline": ("Frist for status til jobcentret nærmer sig.", "Opfølgningsfrist er overskredet."),
    "stalled": ("Forløbet står stille; borgeren har aflyst to samtaler.", "Ingen fremdrift de seneste uger."),
    "closing": ("Forløbet nærmer sig afslutning.", "Afslutning og anbefaling drøftet."),
    "other": ("Drøftet efter ønske fra psykologen.", "Spørgsmål fra sagsbehandler drøftet."),
}
CONFERENCE_DECISIONS = {
    "new_referral": ("Visiteres. Koordinator indkalder til første samtale.", "Visiteres med psykolog på."),
    "assessment_done": ("Koordinator udarbejder udkast til handlingsplan.", "Psykologsamtaler fortsætter."),
    "plan_review": ("Optrapning fortsætter som planlagt.", "Ny version af planen udarbejdes."),
    "round_table": ("Koordinator leder mødet; jobkonsulent deltager.", "Invitation sendes i dag."),
    "deadline": ("Status sendes til sagsbehandler inden fredag.", "Koordinator ringer til sagsbehandler."),
    "stalled": ("Koordinator kontakter borgeren telefonisk.", "Lægelig vurdering bestilles."),
    "closing": ("Forløbet afsluttes; afsluttende rapport sendes.", "Anbefaling: fortsat opfølgning i jobcentret."),
    "other": ("Taget til efterretning.", "Koordinator følger op."),
}
CONFERENCE_MINUTES = ("Deltagere: hele teamet.", "Psykolog fraværende.", "Deltagere: teamet og lægen.",
                      "Kort møde pga. ferie.")

JOURNAL_TEXTS = {
    "referral": {
        "phone": ("Telefonsamtale med sagsbehandler om henvisningen.", "Ringet til borgeren; aftalt første møde."),
        "email": ("Henvisning modtaget fra jobcentret.", "Mail til borgeren med information om forløbet."),
        "meeting": ("Visitationssamtale med borgeren. Borgeren ønsker forløbet.",),
        "other": ("Lægeattest modtaget fra egen læge.",),
    },
    "assessment": {
        "phone": ("Telefonisk opfølgning; borgeren sover stadig dårligt.", "Talt med egen læge om behandling."),
        "email": ("LÆ 285 rekvireret hos egen læge.", "Indkaldelse til psykologsamtale sendt."),
        "meeting": ("Udredningssamtale. Borgeren fortæller om forløbet op til sygemeldingen.",
                    "Fælles screening med psykolog og fysioterapeut.", "Samtale om søvn, dagsstruktur og energi."),
        "other": ("WHO-5 og MDI udfyldt sammen med borgeren.",),
    },
    "plan": {
        "phone": ("Talt med nærmeste leder om mulige opgaver.", "Aftalt møde om handlingsplanen."),
        "email": ("Udkast til handlingsplan sendt til borgeren.",),
        "meeting": ("Handlingsplanen gennemgået med borgeren; borgerens egne mål noteret.",),
        "other": ("Handlingsplanen forelagt teamleder.",),
    },
    "intervention": {
        "phone": ("Opfølgning på delvis raskmelding; går efter planen.", "Borgeren har haft en hård uge.",
                  "Talt med leder; opgaverne fungerer.", "Aftalt optrapning med en time mere om dagen."),
        "email": ("Timer indberettet til jobcentret.", "Invitation til rundbordssamtale sendt."),
        "meeting": ("Støttende samtale. Borgeren oplever fremgang.", "Samtale om grænsesætning på arbejdet.",
                    "Arbejdspladsbesøg sammen med borgeren.", "Samtale om tilbagefald og handleplan."),
        "other": ("Borgeren har deltaget i stresshåndteringskursus.",),
    },
    "follow_up": {
        "phone": ("Borgeren arbejder nu næsten fuld tid.", "Status til sagsbehandler givet telefonisk."),
        "email": ("Afsluttende status sendt til sagsbehandler.",),
        "meeting": ("Afslutningssamtale med borgeren.", "Evaluering af forløbet med borgeren."),
        "other": ("Afsluttende rapport udarbejdet.",),
    },
}
ANNOTATIONS = ("Tilføjelse: borgeren har efterfølgende bekræftet aftalen.",
               "Tilføjelse: datoen for næste samtale er rettet.",
               "Tilføjelse: oplysningen om medicin er bekræftet af egen læge.")

CLOSING_NOTES = {
    "full_return": ("Borgeren er raskmeldt på fuld tid og fungerer godt i opgaverne.",),
    "part_time_return": ("Borgeren er raskmeldt på nedsat tid efter aftale med arbejdspladsen.",),
    "fit_to_akasse": ("Borgeren er raskmeldt og tilmeldt a-kassen; jobsøgning i gang.",),
    "rehabilitation": ("Anbefaler revalidering; borgeren kan ikke vende tilbage til sit fag.",),
    "work_trial": ("Anbefaler arbejdsprøvning for at afklare arbejdsevnen.",),
    "still_sick": ("Borgeren er fortsat sygemeldt; anbefaler fortsat behandling og opfølgning i jobcentret.",),
    "other": ("Forløbet er afsluttet uden tilbagevenden.",),
}
AFTER_NOTES = ("Telefonisk opfølgning med borgeren.", "Oplysninger fra jobcentret.", "Borgeren har svaret på mail.",
               "Status fra arbejdsgiver med borgerens samtykke.", "")

LETTER_TITLES = {
    "status_start": "Startstatus til jobcentret",
    "status_midway": "Midtvejsstatus til jobcentret",
    "status_closing": "Afsluttende status til jobcentret",
    "action_plan": "TTA-handlingsplan",
    "invitation": "Invitation til rundbordssamtale",
    "round_table_minutes": "Referat af rundbordssamtale",
    "closing_report": "Afsluttende rapport",
    "other": "Brev",
}
LETTER_BODIES = {
    "status_start": "Forløbet er startet. Udredningen er gennemført, og handlingsplanen er godkendt.",
    "status_midway": "Borgeren følger handlingsplanen. Den gradvise tilbagevenden forløber som aftalt.",
    "status_closing": "Forløbet er afsluttet. Se den afsluttende rapport for status og anbefaling.",
    "action_plan": "Vedlagt din handlingsplan. Kontakt din koordinator, hvis du har spørgsmål.",
    "invitation": "Du inviteres til en rundbordssamtale om din tilbagevenden til arbejdet.",
    "round_table_minutes": "Referat med aftaler om opgaver, timer og skånehensyn. Diagnoser nævnes ikke.",
    "closing_report": "Afsluttende rapport med status ved afslutning og anbefalet næste indsats.",
    "other": "",
}

# Task titles by the stage they belong to: (title, role of owner)
TASKS_BY_STAGE = {
    "referral": (("Visitér henvisningen", "coordinator"),
                 ("Indkald til visitationssamtale", "coordinator")),
    "assessment": (("Indhent lægeattest (LÆ 285) fra egen læge", "coordinator"),
                   ("Gennemfør psykologisk udredning", "psychologist"),
                   ("Book fælles screening", "coordinator")),
    "plan": (("Udarbejd udkast til handlingsplan", "coordinator"),
             ("Få handlingsplanen godkendt af teamleder", "coordinator")),
    "intervention": (("Send startstatus til sagsbehandler", "coordinator"),
                     ("Følg op på delvis raskmelding", "coordinator"),
                     ("Forbered rundbordssamtale", "coordinator"),
                     ("Send midtvejsstatus til sagsbehandler", "coordinator")),
    "follow_up": (("Planlæg afslutningssamtale", "coordinator"),
                  ("Skriv afsluttende rapport", "coordinator")),
}
OPEN_CASE_TASKS = ("Opfølgende samtale med borgeren", "Ring til sagsbehandler med status",
                   "Følg op på aftaler fra sidste samtale", "Opdatér journal efter samtale")
TEAM_TASKS = ("Forbered casekonference", "Kvartalsstatistik til teamleder", "Opdatér kataloget over tilbud",
              "Planlæg teamets ferie")

# --- Distributions ------------------------------------------------------------------------------
PHASE_WEIGHTS = {"referral": 0.05, "visitation": 0.05, "assessment": 0.15, "plan": 0.15, "intervention": 0.20,
                 "follow_up": 0.10, "closed": 0.30}
SUBGROUP_WEIGHTS = (18, 12, 16, 12, 12, 8, 6, 16)
OUTCOMES_EMPLOYED = (("full_return", 31), ("part_time_return", 17), ("fit_to_akasse", 2),
                     ("rehabilitation", 4), ("work_trial", 5), ("still_sick", 29), ("other", 12))
OUTCOMES_NOT_EMPLOYED = (("full_return", 7), ("part_time_return", 3), ("fit_to_akasse", 37),
                         ("rehabilitation", 11), ("work_trial", 17), ("still_sick", 15), ("other", 10))
NEXT_EFFORT_BY_OUTCOME = {
    "full_return": ("none", "workplace_follow_up", "none"),
    "part_time_return": ("workplace_follow_up", "jobcentre_follow_up"),
    "fit_to_akasse": ("jobcentre_follow_up", "education"),
    "rehabilitation": ("rehabilitation_team", "education"),
    "work_trial": ("work_trial", "flex_job"),
    "still_sick": ("treatment", "jobcentre_follow_up", "rehabilitation_team"),
    "other": ("jobcentre_follow_up", "none"),
}
AFTER_TRANSITIONS = {
    "full_return": (("full_return", 85), ("part_time_return", 5), ("still_sick", 7), ("other", 3)),
    "part_time_return": (("full_return", 50), ("part_time_return", 38), ("still_sick", 12)),
    "fit_to_akasse": (("full_return", 35), ("fit_to_akasse", 45), ("work_trial", 10), ("rehabilitation", 5),
                      ("still_sick", 5)),
    "rehabilitation": (("rehabilitation", 60), ("full_return", 15), ("work_trial", 15), ("other", 10)),
    "work_trial": (("work_trial", 40), ("part_time_return", 20), ("full_return", 15), ("rehabilitation", 15),
                   ("still_sick", 10)),
    "still_sick": (("still_sick", 45), ("part_time_return", 20), ("full_return", 15), ("work_trial", 10),
                   ("rehabilitation", 10)),
    "other": (("other", 60), ("still_sick", 20), ("full_return", 20)),
}
REJECTION_WEIGHTS = (("age", 10), ("sick_weeks", 20), ("not_wage_earner", 10), ("not_mental_health", 20),
                     ("needs_treatment", 20), ("declined", 15), ("other", 5))

_TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (
    Citizen, Case, CaseIcd10, CaseAbsenceReason, WorkplaceContact, CaseTeamMember, Consent, Assessment,
    AssessmentSection, InstrumentResult, ActionPlan, PlanGoal, PlanIntervention, GradualReturnWeek,
    RoundTableMeeting, MeetingParticipant, MeetingItem, JournalNote, Letter, AfterFollowUp, CaseConference,
    ConferenceItem, Task, AuditEntry))

_JOBCENTRE_WEIGHTS = [j[1] for j in JOBCENTRES]
_FLUSH_EVERY = 40_000  # buffered rows before writing; keeps memory flat for large runs


# --- Helpers ------------------------------------------------------------------------------------
def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _ascii(text: str) -> str:
    """Danish letters spelt the way they are in e-mail addresses."""
    return (text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("é", "e")
            .replace(" ", "").replace("&", "").replace(",", "").replace(".", ""))


def _slug(name: str) -> str:
    """'Bøgh & Friis Advokatfirma' -> 'boegh-friis': a fictitious domain for a workplace."""
    words = [w for w in (_ascii(part) for part in name.split(",")[0].split()) if w]
    return "-".join(words[:2])


def _band(score: float, bands) -> str:
    for upper, label in bands:
        if score <= upper:
            return label
    return bands[-1][1]


def who5_score(answers: Sequence[int]) -> tuple[float, str]:
    """WHO-5: five items 0-5, raw sum times 4 gives 0-100; bands of the Danish occupational therapists."""
    score = float(sum(answers) * 4)
    return score, _band(score, WHO5_BANDS)


def mdi_score(answers: Sequence[int]) -> tuple[float, str]:
    """MDI: twelve answers 0-5 in the order 1-7, 8a, 8b, 9, 10a, 10b; only the higher of 8a/8b and of
    10a/10b counts, so ten item scores sum to 0-50. Bands after Bech (0-20, 21-25, 26-30, 31-50)."""
    a = list(answers)
    score = float(sum(a[0:7]) + max(a[7], a[8]) + a[9] + max(a[10], a[11]))
    return score, _band(score, MDI_BANDS)


class _Writer:
    """Buffers rows per table, assigns primary keys and bulk-inserts in dependency order."""

    def __init__(self, session: Session):
        self.session = session
        self.buf: dict[str, list[dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        self.stamped: dict[str, tuple[bool, bool]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0
        for t in _TABLES:
            self.buf[t.name] = []
            self.counts[t.name] = 0
            self.next_id[t.name] = (session.scalar(select(func.max(t.c.id))) or 0) + 1
            d = {}
            for c in t.columns:
                if c.name != "id":
                    d[c.name] = c.default.arg if c.default is not None and c.default.is_scalar else None
            self.defaults[t.name] = d
            self.stamped[t.name] = ("created_at" in d, "updated_at" in d)

    def add(self, table: str, at: dt.datetime | None, values: dict[str, Any]) -> int:
        row = self.defaults[table].copy()
        row.update(values)
        ident = self.next_id[table]
        self.next_id[table] = ident + 1
        row["id"] = ident
        created, updated = self.stamped[table]
        if created and row["created_at"] is None:
            row["created_at"] = at
        if updated and row["updated_at"] is None:
            row["updated_at"] = at
        self.buf[table].append(row)
        self.pending += 1
        return ident

    def maybe_flush(self) -> None:
        if self.pending >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for t in _TABLES:
            rows = self.buf[t.name]
            if rows:
                self.session.execute(insert(t), rows)
                self.counts[t.name] += len(rows)
                self.buf[t.name] = []
        self.pending = 0


class _Spec:
    """The plan of one case before its rows are written: who, when, how it went."""
    __slots__ = ("phase", "kind", "sg", "sex", "first", "last", "birth", "cpr", "employment", "socio", "job",
                 "employer", "employer_address", "hours", "jobcentre", "postcode", "city", "R", "t", "vis",
                 "ass_start", "ass_done", "plan_created", "plan_approved", "interv_end", "close", "last_day",
                 "outcome", "other_reason", "rejection", "outside", "sick_start", "wage_earner", "rtw", "id",
                 "number", "coordinator", "citizen_id")


class _Builder:
    def __init__(self, session: Session, rng: random.Random, today: dt.date, users: dict[str, int],
                 coordinators: list[int], team_id: int, catalog: dict[tuple[str, str], int]):
        self.s = session
        self.rng = rng
        self.today = today
        self.u = users  # role -> a user id (first demo user of that role)
        self.coordinators = coordinators
        self.team_id = team_id
        self.cat = catalog
        self.w = _Writer(session)
        self.conf_events: dict[dt.date, list[tuple[int, str]]] = {}
        self.active: list[tuple[int, dt.date, dt.date, int]] = []  # case id, from, to, coordinator
        self.user_names: dict[int, str] = {}

    # -- small random helpers ----------------------------------------------------------------
    def ts(self, d: dt.date) -> dt.datetime:
        r = self.rng
        return dt.datetime(d.year, d.month, d.day, r.randint(8, 15), r.randrange(0, 60, 5))

    def phone(self) -> str:
        r = self.rng
        n = f"{r.choice('2345')}{r.randrange(10_000_000):07d}"
        return f"{n[0:2]} {n[2:4]} {n[4:6]} {n[6:8]}"

    def person_name(self, sex: str | None = None) -> tuple[str, str]:
        r = self.rng
        if sex is None:
            sex = "female" if r.random() < 0.6 else "male"
        first = r.choice(FEMALE_FIRST if sex == "female" else MALE_FIRST)
        last = r.choice(_COMMON_LAST) if r.random() < 0.5 else r.choice(LAST_NAMES)
        if r.random() < 0.15:
            other = r.choice(LAST_NAMES)
            if other != last:
                last = f"{other} {last}"
        return first, last

    def full_name(self) -> str:
        return " ".join(self.person_name())

    def weighted(self, pairs):
        return self.rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]

    def conf_event(self, d: dt.date, case_id: int, reason: str) -> None:
        # The weekly conference is on Tuesdays: the first one on or after the event.
        tuesday = d + dt.timedelta(days=(1 - d.weekday()) % 7)
        self.conf_events.setdefault(tuesday, []).append((case_id, reason))

    # -- pass 1: the plan of every case ------------------------------------------------------
    def plan_cases(self, n: int, existing_cprs: set[str]) -> list[_Spec]:
        r = self.rng
        counts = {p: int(n * w) for p, w in PHASE_WEIGHTS.items()}
        if n >= len(codes.PHASES):
            for p in codes.PHASES:
                counts[p] = max(1, counts[p])
        counts["closed"] += n - sum(counts.values())
        if counts["closed"] < 0:  # tiny n: trim from the front
            for p in codes.PHASES:
                while counts["closed"] < 0 and counts[p] > 0 and p != "closed":
                    counts[p] -= 1
                    counts["closed"] += 1
        phases = [p for p in codes.PHASES for _ in range(counts[p])]
        r.shuffle(phases)

        specs = [self.plan_case(p) for p in phases]
        # Make sure every subgroup occurs (the small demo should show all eight).
        with_sg = [c for c in specs if c.sg is not None]
        if len(with_sg) >= 8:
            for i, c in enumerate(r.sample(with_sg, 8)):
                c.sg = i + 1
        for c in specs:
            self.fill_person(c, existing_cprs)
        specs.sort(key=lambda c: c.R)
        per_year: dict[int, int] = {}
        for c in specs:
            per_year[c.R.year] = per_year.get(c.R.year, 0) + 1
            c.number = f"TTA-{c.R.year}-{per_year[c.R.year]:05d}"
        return specs

    def plan_case(self, phase: str) -> _Spec:
        r = self.rng
        c = _Spec()
        c.phase = phase
        c.kind = "open"
        c.outcome = c.other_reason = c.rejection = c.outside = None
        c.employment = self.weighted((("employed", 72), ("dismissed", 12), ("resigned", 8), ("unemployed", 8)))
        c.sg = None
        if phase not in ("referral", "visitation"):
            c.sg = r.choices(range(1, 9), SUBGROUP_WEIGHTS)[0]
        if phase == "closed":
            x = r.random()
            if x < 0.07:
                c.kind = "rejected"
            elif x < 0.10:
                c.kind = "never"
            else:
                ladder = OUTCOMES_EMPLOYED if c.employment == "employed" else OUTCOMES_NOT_EMPLOYED
                c.outcome = self.weighted(ladder)
                c.kind = "early" if c.outcome == "other" else "full"
            if c.kind in ("rejected", "never"):
                c.sg = None
                c.outcome = "other"
        long = c.sg is not None and c.sg >= 4
        c.vis = r.randint(4, 14)
        c.ass_start = c.vis + r.randint(2, 10)
        c.ass_done = c.ass_start + r.randint(14, 35)
        c.plan_created = c.ass_done + r.randint(1, 4)
        c.plan_approved = c.plan_created + r.randint(3, 12)
        if not long:
            length = r.randint(35, 70)
        elif c.employment == "employed":
            length = r.randint(70, 180)
        else:
            length = r.randint(120, 250)
        c.interv_end = c.plan_approved + length
        c.close = c.interv_end + r.randint(14, 42)

        if c.kind == "rejected":
            c.rejection = self.weighted(REJECTION_WEIGHTS)
            c.other_reason = "declined" if c.rejection == "declined" else "not_target_group"
            c.close = c.vis
        elif c.kind == "never":
            c.other_reason = r.choice(("moved", "fit_before_start", "other_programme"))
            c.close = r.randint(1, c.vis - 1)
        elif c.kind == "early":
            c.other_reason = r.choice(("no_show", "declined", "declined", "not_target_group"))
            c.close = c.ass_start + r.randint(3, 40)

        # Where is "today" in the case's life?
        if phase == "referral":
            c.t = r.randint(0, max(0, c.vis // 3))
        elif phase == "visitation":
            c.t = r.randint(c.vis // 3 + 1, c.vis - 1)
        elif phase == "assessment":
            c.t = r.randint(c.vis, c.ass_done - 1)
        elif phase == "plan":
            c.t = r.randint(c.plan_created, c.plan_approved - 1)
        elif phase == "intervention":
            c.t = r.randint(c.plan_approved, c.interv_end - 1)
        elif phase == "follow_up":
            c.t = r.randint(c.interv_end, c.close - 1)
        else:
            c.t = r.randint(c.close, max(c.close, 540))
        c.last_day = c.close if phase == "closed" else c.t
        c.R = self.today - dt.timedelta(days=c.t)

        accepted = phase not in ("referral", "visitation") and c.kind not in ("rejected", "never")
        if accepted and r.random() < 0.05:
            c.outside = r.choice(("age", "sick_weeks", "wage_earner", "diagnosis"))
        return c

    def fill_person(self, c: _Spec, existing_cprs: set[str]) -> None:
        r = self.rng
        c.sex = "female" if r.random() < 0.64 else "male"
        c.first, c.last = self.person_name(c.sex)
        if c.outside == "age" or c.rejection == "age":
            age = r.randint(61, 64)
        elif r.random() < 0.85:
            age = r.randint(25, 58)
        else:
            age = r.randint(20, 60)
        c.birth = c.R - dt.timedelta(days=age * 365 + r.randint(age // 4, age // 4 + 364))
        while True:
            yy = c.birth.year % 100
            if c.birth.year < 2000:
                d7 = r.choice((0, 1, 2, 3, 4, 9) if yy > 36 else (0, 1, 2, 3))
            else:
                d7 = r.choice((4, 9, 5, 6, 7, 8) if yy <= 36 else (5, 6, 7, 8))
            last = r.randrange(1, 10, 2) if c.sex == "male" else r.randrange(0, 10, 2)
            cpr = (f"{c.birth.day + FICTITIOUS_DAY_OFFSET:02d}{c.birth.month:02d}{yy:02d}"
                   f"{d7}{r.randrange(100):02d}{last}")
            if cpr not in existing_cprs:
                existing_cprs.add(cpr)
                c.cpr = cpr
                break

        if c.outside == "wage_earner" or c.rejection == "not_wage_earner":
            c.socio = "other"
            c.wage_earner = False
        else:
            c.socio = self.weighted((("top_manager", 5), ("wage_highest", 22), ("wage_middle", 38),
                                     ("wage_basic", 32), ("other", 3)))
            c.wage_earner = c.socio != "other" or r.random() < 0.3
        c.job = r.choice(JOB_TITLES[c.socio])
        if c.employment == "employed":
            c.employer, c.employer_address = r.choice(EMPLOYERS)
        else:
            c.employer, c.employer_address = "", ""
        c.hours = r.choice((37.0, 37.0, 37.0, 37.0, 32.0, 30.0, 40.0, 25.0))
        c.jobcentre, _weight, places = r.choices(JOBCENTRES, _JOBCENTRE_WEIGHTS)[0]
        c.postcode, c.city = r.choice(places)
        if c.outside == "sick_weeks" or c.rejection == "sick_weeks":
            c.sick_start = c.R - dt.timedelta(days=r.randint(85, 98))
        else:
            c.sick_start = c.R - dt.timedelta(days=r.randint(21, 84))
        good = c.outcome in ("full_return", "part_time_return", "fit_to_akasse")
        mean = 7.0 if good else (4.5 if c.outcome else 5.5)
        c.rtw = max(0, min(10, round(r.gauss(mean, 2.0))))

    # -- pass 2: the rows ---------------------------------------------------------------------
    def write_cases(self, specs: list[_Spec]) -> None:
        w = self.w
        for i, c in enumerate(specs):
            c.coordinator = self.coordinators[i % len(self.coordinators)]
            c.citizen_id = w.add("citizen", self.ts(c.R), self.citizen_row(c))
            c.id = w.next_id["tta_case"]
            last_activity = self.case_children(c)
            w.add("tta_case", self.ts(c.R), self.case_row(c, last_activity))
            w.maybe_flush()
        w.flush()

    def citizen_row(self, c: _Spec) -> dict[str, Any]:
        r = self.rng
        email = ""
        if r.random() < 0.6:
            email = f"{_ascii(c.first)}.{_ascii(c.last.split()[-1])}{r.randint(1, 99)}@post.example"
        return dict(cpr=c.cpr, first_name=c.first, last_name=c.last, name_search=name_search_key(c.first, c.last),
                    name_sort=name_sort_key(c.first, c.last),
                    birth_date=c.birth, sex=c.sex, address=f"{r.choice(STREETS)} {r.randint(1, 180)}{r.choice(FLOORS)}",
                    postcode=c.postcode, city=c.city, phone=self.phone(), email=email)

    def case_row(self, c: _Spec, last_activity: dt.datetime) -> dict[str, Any]:
        r = self.rng

        def D(x: int) -> dt.date:
            return c.R + dt.timedelta(days=x)

        caseworker = self.full_name()
        cw_initials = "".join(p[0] for p in caseworker.split())
        jc_domain = _ascii(c.jobcentre.replace("Jobcenter ", "jobcenter-"))
        known = c.phase != "referral" and c.kind != "never"
        decided = c.kind == "rejected" or (known and c.phase != "visitation" and c.kind != "never")
        row = dict(
            case_number=c.number, citizen_id=c.citizen_id, team_id=self.team_id, coordinator_id=c.coordinator,
            phase=c.phase, referral_date=c.R, referring_jobcentre=c.jobcentre, caseworker_name=caseworker,
            caseworker_phone=self.phone(), caseworker_email=f"{_ascii(cw_initials)}@{jc_domain}.example",
            referral_text=r.choice(REFERRAL_TEXTS[c.sg or r.randint(1, 8)]) + REFERRAL_EMPLOYMENT_TAIL[c.employment],
            sick_leave_start=c.sick_start, employment_status=c.employment, employer_name=c.employer,
            employer_address=c.employer_address, job_title=c.job, normal_hours_per_week=c.hours,
            gp_name=f"Læge {self.full_name()}", gp_clinic=r.choice(GP_CLINICS), gp_phone=self.phone(),
            socio_economic_level=c.socio, wage_earner=c.wage_earner, subgroup=c.sg,
            absent_before_same_cause=(r.random() < 0.3) if known else None,
            expects_return_same_workplace=((r.random() < 0.75) if c.employment == "employed" else False)
            if known else None,
            referred_to_psych=(r.random() < 0.45) if known else None,
            rtw_expectation=c.rtw if known else None,
            visitation_decision="pending", last_activity_at=last_activity, updated_at=last_activity,
        )
        if decided:
            row["visitation_date"] = D(c.vis)
            row["visitation_by_id"] = c.coordinator if r.random() < 0.7 else self.u["team_lead"]
            if c.kind == "rejected":
                row["visitation_decision"] = "rejected"
                row["rejection_reason_id"] = self.cat[("rejection_reason", c.rejection)]
                row["visitation_note"] = r.choice(REJECTION_NOTES)
            else:
                row["visitation_decision"] = "accepted"
                row["visitation_note"] = r.choice(VISITATION_NOTES)
                if c.outside:
                    row["outside_criteria"] = True
                    row["outside_criteria_reason"] = OUTSIDE_REASONS[c.outside]
        if c.phase == "closed":
            row["closed_date"] = D(c.close)
            row["outcome_id"] = self.cat[("outcome", c.outcome)]
            if c.outcome == "other":
                row["other_reason_id"] = self.cat[("other_reason", c.other_reason)]
            row["next_effort_id"] = self.cat[("next_effort", r.choice(NEXT_EFFORT_BY_OUTCOME[c.outcome]))]
            row["closing_note"] = r.choice(CLOSING_NOTES[c.outcome])
            if c.outcome == "part_time_return":
                row["final_hours_per_week"] = float(r.choice((15, 18, 20, 22, 24, 25, 28, 30)))
        return row

    def case_children(self, c: _Spec) -> dt.datetime:
        """Write every row that hangs off the case; returns the time of the latest past activity."""
        r = self.rng
        w = self.w
        cid = c.id
        R = c.R
        last = c.last_day
        is_open = c.phase != "closed"
        today_off = c.t

        def D(x: int) -> dt.date:
            return R + dt.timedelta(days=x)

        latest = [0]

        def touch(x: int) -> None:
            if x > latest[0] and x <= last:
                latest[0] = x

        self.conf_event(R, cid, "new_referral")
        self.active.append((cid, R, D(last) if not is_open else self.today + dt.timedelta(days=30),
                            c.coordinator))

        # Diagnoses and reasons from the referral
        sg = c.sg
        icd = [r.choice(ICD_BY_SUBGROUP[sg])]
        if c.outside == "diagnosis":
            icd = ["M54.2"]
        elif c.rejection == "not_mental_health":
            icd = [r.choice(("M54.5", "M79.7", "G93.3"))]
        if r.random() < 0.35:
            second = r.choice(ICD_SECOND)
            if second not in icd:
                icd.append(second)
        for code in icd:
            w.add("case_icd10", None, dict(case_id=cid, code=code))
        reasons = {r.choice(ABSENCE_BY_SUBGROUP[sg]) for _ in range(r.randint(1, 3))}
        for code in sorted(reasons):
            w.add("case_absence_reason", None, dict(
                case_id=cid, reason_id=self.cat[("absence_reason", code)],
                other_text=r.choice(ABSENCE_OTHER_TEXT) if code == "other" else ""))

        employed = c.employment == "employed"
        contacts: dict[str, tuple[str, str]] = {}
        if employed:
            org = _slug(c.employer) + ".example"
            for kind, p in (("manager", 1.0), ("hr", 0.5), ("union_rep", 0.3)):
                if r.random() < p:
                    first, lname = self.person_name()
                    name = f"{first} {lname}"
                    contacts[kind] = (name, org)
                    w.add("workplace_contact", self.ts(D(0)), dict(
                        case_id=cid, kind=kind, name=name, phone=self.phone(),
                        email=f"{_ascii(first)[:4]}{_ascii(lname.split()[-1])[:4]}@{org}"))

        accepted = c.kind in ("open", "full", "early") and c.phase not in ("referral", "visitation")
        members: list[tuple[str, int]] = [("coordinator", c.coordinator)]
        if accepted:
            severe = SUBGROUP_SEVERITY[sg] >= 2
            picks = (("psychologist", 0.9 if severe else 0.7), ("physiotherapist", 0.45),
                     ("doctor", 0.5 if severe else 0.25),
                     ("job_consultant", 0.15 if employed else 0.85))
            for role, p in picks:
                if r.random() < p:
                    members.append((role, self.u[role]))
                    w.add("case_team_member", None, dict(case_id=cid, user_id=self.u[role]))
        member_roles = {role for role, _ in members}

        def member(role: str) -> int:
            return self.u[role] if role in member_roles else c.coordinator

        # Consent
        if accepted and c.vis + 1 <= last:
            if r.random() < 0.65:
                g = min(last, c.vis + r.randint(1, 10))
                withdrawn = D(min(last, g + r.randint(10, 60))) if r.random() < 0.03 else None
                w.add("consent", self.ts(D(g)), dict(case_id=cid, party="gp", given_date=D(g),
                                                      withdrawn_date=withdrawn,
                                                      scope="Udveksling af oplysninger med egen læge om "
                                                            "behandling og arbejdsevne"))
        want_meetings = (employed and accepted and c.plan_approved <= last and r.random() < 0.65)
        if employed and accepted and (want_meetings or r.random() < 0.4) and c.ass_start <= last:
            g = min(last, c.ass_start + r.randint(0, 10))
            w.add("consent", self.ts(D(g)), dict(
                case_id=cid, party="employer", given_date=D(g),
                scope="Funktionsbeskrivelse og aftaler til nærmeste leder og HR; ingen diagnose"))

        # Assessments and instruments
        if accepted and c.ass_start <= last:
            span = max(1, c.ass_done - c.ass_start)
            assessment_by_role: dict[str, int] = {}
            for role in ("coordinator", "psychologist", "physiotherapist", "doctor"):
                if role not in member_roles:
                    continue
                x = c.ass_start if role == "coordinator" else c.ass_start + r.randint(0, span)
                if x > last:
                    continue
                at = self.ts(D(x))
                signed = None
                if x + 2 <= last and (last >= c.ass_done or r.random() < 0.7):
                    signed = at + dt.timedelta(minutes=r.randint(30, 360))
                author = member(role)
                aid = w.add("assessment", at, dict(
                    case_id=cid, author_id=author, discipline=role, assessed_on=D(x),
                    summary=r.choice(ASSESSMENT_SUMMARIES[role]), signed_at=signed))
                assessment_by_role[role] = aid
                touch(x)
                sev = SUBGROUP_SEVERITY[sg]
                for heading in codes.ICF_HEADINGS:
                    w.add("assessment_section", at, dict(
                        assessment_id=aid, heading=heading, resources=r.choice(SECTION_RESOURCES[heading]),
                        barriers=r.choice(SECTION_BARRIERS[heading]),
                        degree=max(0, min(4, sev + r.choice((-1, 0, 0, 1)))),
                        proposed_effort=r.choice(SECTION_EFFORTS[heading]),
                        running_elsewhere=r.choice(RUNNING_ELSEWHERE)))
            instr_role = "psychologist" if "psychologist" in assessment_by_role else "coordinator"
            if instr_role in assessment_by_role:
                aid = assessment_by_role[instr_role]
                x = c.ass_start
                self.instruments(cid, aid, D(x), member(instr_role), sg, improved=False)
                coord_aid = assessment_by_role.get("coordinator")
                w.add("instrument_result", self.ts(D(x)), dict(
                    case_id=cid, assessment_id=coord_aid, instrument="RTW_EXPECTATION", taken_on=D(x),
                    answers_json=json.dumps([c.rtw]), score=float(c.rtw), band="",
                    recorded_by_id=c.coordinator))
            if c.kind == "full" and r.random() < 0.8:
                self.instruments(cid, None, D(c.close - r.randint(0, 7)), member("psychologist"), sg,
                                 improved=c.outcome in ("full_return", "part_time_return", "fit_to_akasse"))
            if c.ass_done <= last:
                self.conf_event(D(c.ass_done), cid, "assessment_done")

        # Action plans
        plans: list[int] = []
        if accepted and c.plan_created <= last:
            approved = c.plan_approved <= last
            v2_day = c.plan_approved + r.randint(28, 70)
            make_v2 = approved and r.random() < 0.25 and v2_day <= last and v2_day < c.interv_end
            v2_approved_day = v2_day + r.randint(1, 5)
            v2_approved = make_v2 and v2_approved_day <= last
            v1_status = "approved" if approved else "draft"
            if v2_approved:
                v1_status = "superseded"
            expected = D(c.plan_approved + r.randint(28, 112))
            plans.append(self.plan(c, 1, c.plan_created, v1_status, c.plan_approved if approved else None,
                                   expected, member_roles, member, employed, touch))
            self.conf_event(D(c.plan_created), cid, "plan_review")
            if make_v2:
                plans.append(self.plan(c, 2, v2_day, "approved" if v2_approved else "draft",
                                       v2_approved_day if v2_approved else None,
                                       D(v2_day + r.randint(28, 84)), member_roles, member, employed, touch))
                self.conf_event(D(v2_day), cid, "plan_review")

        # Round-table meetings
        meetings: list[tuple[int, int, str]] = []  # (day, id, status)
        if want_meetings:
            max_meetings = 3 if (sg or 0) >= 4 else 2
            x = c.plan_approved + r.randint(3, 21)
            seq = 0
            days = []
            while seq < max_meetings:
                if x <= last:
                    days.append((x, "cancelled" if r.random() < 0.04 else "held"))
                elif is_open and x <= today_off + 21:
                    days.append((x, "planned"))
                    break
                else:
                    break
                seq += 1
                x += r.randint(21, 42)
            if is_open and days and days[-1][1] != "planned" and len(days) < max_meetings and r.random() < 0.35:
                days.append((today_off + r.randint(1, 21), "planned"))
            for seq, (x, status) in enumerate(days, start=1):
                nxt = days[seq][0] if seq < len(days) else None
                mid = self.meeting(c, seq, x, status, nxt, contacts, members, touch)
                meetings.append((x, mid, status))
                self.conf_event(D(x) - dt.timedelta(days=r.randint(1, 7)), cid, "round_table")

        # Gradual return and midway/closing deadlines for the conference
        if accepted and c.plan_approved <= last and r.random() < 0.25:
            self.conf_event(D(min(last, c.plan_approved + r.randint(30, 60))), cid, r.choice(("deadline", "stalled")))
        if c.phase == "closed" or (c.phase == "follow_up" and c.close - today_off <= 14):
            self.conf_event(D(c.close) - dt.timedelta(days=r.randint(0, 6)), cid, "closing")

        # Tasks
        self.tasks(c, members, member, touch, is_open)

        # Journal notes
        self.journal(c, members, touch)

        # Letters
        self.letters(c, meetings, contacts, touch, accepted)

        # After-follow-up at 3, 6 and 12 months
        if c.phase == "closed" and c.kind in ("full", "early"):
            self.after_follow_ups(c)

        return self.ts(D(max(latest[0], 0)))

    def instruments(self, cid: int, aid: int | None, day: dt.date, by: int, sg: int | None, *,
                    improved: bool) -> None:
        r = self.rng
        sev = SUBGROUP_SEVERITY[sg]
        who_mu = {1: 2.2, 2: 1.7, 3: 1.2}[sev] + (1.3 if improved else 0.0)
        mdi_mu = {1: 1.7, 2: 2.4, 3: 3.1}[sev] - (1.4 if improved else 0.0)
        who = [max(0, min(5, round(r.gauss(who_mu, 1.0)))) for _ in range(5)]
        mdi = [max(0, min(5, round(r.gauss(mdi_mu, 1.0)))) for _ in range(12)]
        at = self.ts(day)
        score, band = who5_score(who)
        self.w.add("instrument_result", at, dict(case_id=cid, assessment_id=aid, instrument="WHO5", taken_on=day,
                                                 answers_json=json.dumps(who), score=score, band=band,
                                                 recorded_by_id=by))
        score, band = mdi_score(mdi)
        self.w.add("instrument_result", at, dict(case_id=cid, assessment_id=aid, instrument="MDI", taken_on=day,
                                                 answers_json=json.dumps(mdi), score=score, band=band,
                                                 recorded_by_id=by))

    def plan(self, c: _Spec, version: int, created: int, status: str, approved: int | None, expected: dt.date,
             member_roles: set[str], member, employed: bool, touch) -> int:
        r = self.rng
        w = self.w
        R = c.R
        D = lambda x: R + dt.timedelta(days=x)  # noqa: E731
        at = self.ts(D(created))
        approved_at = self.ts(D(approved)) if approved is not None else None
        pid = w.add("action_plan", at, dict(
            case_id=c.id, version_no=version, status=status, purpose=r.choice(PLAN_PURPOSES),
            citizen_view=r.choice(CITIZEN_VIEWS), expected_return_date=expected, created_by_id=c.coordinator,
            approved_by_id=self.u["team_lead"] if approved is not None else None, approved_at=approved_at,
            updated_at=approved_at or at))
        touch(created)
        if approved is not None:
            touch(approved)
        base = approved if approved is not None else created + 7
        goals = r.sample(CITIZEN_GOALS, r.randint(1, 2))
        team_goals = r.sample(TEAM_GOALS, r.randint(1, 3))
        done = c.phase == "closed" and c.outcome in ("full_return", "part_time_return", "fit_to_akasse")
        order = 0
        for owner, texts in (("citizen", goals), ("team", team_goals)):
            for text in texts:
                order += 1
                w.add("plan_goal", at, dict(plan_id=pid, owner=owner, text=text,
                                            target_date=D(base + r.randint(14, 84)),
                                            achieved=done and r.random() < 0.8, sort_order=order))
        codes_ = ["psych_conversations"] if "psychologist" in member_roles else []
        pool = (["gradual_return", "workplace_visit", "round_table", "stress_course", "physical_activity",
                 "work_focused_cbt", "communication_course"] if employed else
                ["job_matching", "workplace_mentor", "stress_course", "physical_activity", "work_focused_cbt"])
        if "doctor" in member_roles:
            pool.append("doctor_motivation")
        if "job_consultant" in member_roles:
            pool.append("workplace_consultant")
        for code in r.sample(pool, min(len(pool), r.randint(1, 4))):
            if code not in codes_:
                codes_.append(code)
        responsible = {"psych_conversations": "psychologist", "doctor_motivation": "doctor",
                       "job_matching": "job_consultant", "workplace_mentor": "job_consultant",
                       "workplace_consultant": "job_consultant", "physical_activity": "physiotherapist"}
        for code in codes_:
            start = base + r.randint(0, 14)
            w.add("plan_intervention", at, dict(
                plan_id=pid, intervention_id=self.cat[("intervention", code)],
                responsible_id=member(responsible.get(code, "coordinator")),
                start_date=D(start), end_date=D(start + r.randint(14, 84)) if r.random() < 0.85 else None,
                note=r.choice(INTERVENTION_NOTES)))
        if employed and r.random() < 0.75:
            first = D(base + r.randint(3, 14))
            first += dt.timedelta(days=(7 - first.weekday()) % 7)  # a Monday
            weeks = r.randint(4, 8)
            start_h = r.choice((6, 8, 8, 10, 12))
            target = max(start_h + weeks, round(c.hours * r.choice((0.75, 0.85, 1.0))))
            for k in range(weeks):
                hours = float(round(start_h + (target - start_h) * k / (weeks - 1)))
                days = max(2, min(5, -(-int(hours) // 7)))
                w.add("gradual_return_week", at, dict(
                    plan_id=pid, week_no=k + 1, starts_on=first + dt.timedelta(weeks=k), days_per_week=days,
                    hours_per_day=round(hours / days, 1), hours_per_week=hours,
                    tasks=r.choice(GRADUAL_TASKS), accommodations=r.choice(GRADUAL_ACCOMMODATIONS),
                    follow_up=r.choice(GRADUAL_FOLLOW_UP)))
        return pid

    def meeting(self, c: _Spec, seq: int, x: int, status: str, nxt: int | None,
                contacts: dict[str, tuple[str, str]], members, touch) -> int:
        r = self.rng
        w = self.w
        day = c.R + dt.timedelta(days=x)
        at = self.ts(min(self.today, c.R + dt.timedelta(days=max(0, x - r.randint(7, 21)))))
        held = status == "held"
        if held:
            touch(x)
        mid = w.add("round_table_meeting", at, dict(
            case_id=c.id, sequence_no=seq, meeting_date=day,
            start_time=dt.time(r.randint(9, 14), r.choice((0, 30))), location=r.choice(MEETING_LOCATIONS),
            purpose=r.choice(MEETING_PURPOSES), status=status,
            citizen_account=r.choice(CITIZEN_ACCOUNTS) if held else "",
            function_description=r.choice(FUNCTION_DESCRIPTIONS) if held else "",
            workplace_options=r.choice(WORKPLACE_OPTIONS) if held else "",
            next_meeting_date=c.R + dt.timedelta(days=nxt) if (nxt is not None and held) else None,
            facilitator_id=c.coordinator,
            updated_at=self.ts(day) if held else at))
        attended = (lambda: r.random() > 0.05) if held else (lambda: None)
        people = [(f"{c.first} {c.last}", "Borger", "", None)]
        if "manager" in contacts:
            people.append((contacts["manager"][0], "Nærmeste leder", c.employer, None))
        if "hr" in contacts and r.random() < 0.7:
            people.append((contacts["hr"][0], "HR", c.employer, None))
        if "union_rep" in contacts:
            people.append((contacts["union_rep"][0], "Tillidsrepræsentant", c.employer, None))
        people.append((self.user_names[c.coordinator], "TTA-koordinator", TEAM_NAME, c.coordinator))
        for role, uid in members:
            if role in ("psychologist", "job_consultant") and r.random() < 0.4:
                label = "Psykolog" if role == "psychologist" else "Jobkonsulent"
                people.append((self.user_names[uid], label, TEAM_NAME, uid))
        for name, label, org, uid in people:
            w.add("meeting_participant", at, dict(meeting_id=mid, name=name, role_label=label, organisation=org,
                                                  user_id=uid, attended=True if label == "Borger" and held
                                                  else attended(), receives_minutes=True))
        if held:
            order = 0
            for kind in codes.MEETING_ITEM_KINDS:
                for text in r.sample(MEETING_ITEMS[kind], r.randint(1, 2)):
                    order += 1
                    agreement = kind == "agreement"
                    w.add("meeting_item", self.ts(day), dict(
                        meeting_id=mid, kind=kind, text=text,
                        responsible=r.choice(("Borgeren", "Nærmeste leder", "TTA-koordinator")) if agreement else "",
                        due_date=day + dt.timedelta(days=r.randint(7, 28)) if agreement else None,
                        sort_order=order))
        return mid

    def tasks(self, c: _Spec, members, member, touch, is_open: bool) -> None:
        r = self.rng
        w = self.w
        last = c.last_day
        D = lambda x: c.R + dt.timedelta(days=x)  # noqa: E731
        # (day created, stage, due offset)
        moments = [(0, "referral", c.vis)]
        if c.kind in ("open", "full", "early"):
            moments += [(c.vis, "assessment", c.ass_done), (c.ass_done, "plan", c.plan_approved),
                        (c.plan_approved, "intervention", c.plan_approved + (c.interv_end - c.plan_approved) // 2),
                        (c.interv_end, "follow_up", c.close)]
        has_open = False
        for created, stage, due in moments:
            if created > last:
                break
            picks = r.sample(TASKS_BY_STAGE[stage], r.randint(1, min(2, len(TASKS_BY_STAGE[stage]))))
            for title, role in picks:
                owner = member(role)
                d = max(created + 1, due - r.randint(0, 5))
                done_day = d + r.randint(-3, 3)
                if r.random() < 0.15:
                    done_day += r.randint(8, 30)  # late: shows up as overdue while open
                done_day = max(created, done_day)
                if not is_open:
                    done_day = min(done_day, last)
                done_at = None
                if done_day <= last:
                    done_at = self.ts(D(done_day))
                    touch(done_day)
                else:
                    has_open = True
                w.add("task", self.ts(D(created)), dict(
                    case_id=c.id, title=title, description="", owner_id=owner, due_date=D(d), done_at=done_at,
                    kind="manual", created_by_id=c.coordinator, updated_at=done_at or self.ts(D(created))))
        if is_open and not has_open:
            due = self.today + dt.timedelta(days=r.randint(-7, 14))
            w.add("task", self.ts(D(c.t)), dict(
                case_id=c.id, title=r.choice(OPEN_CASE_TASKS), description="", owner_id=c.coordinator,
                due_date=due, done_at=None, kind="manual", created_by_id=c.coordinator))

    def journal(self, c: _Spec, members, touch) -> None:
        r = self.rng
        w = self.w
        last = c.last_day
        n = min(14, 1 + last // 10 + r.randint(0, 2))
        days = sorted({0} | {r.randint(0, last) for _ in range(n - 1)}) if last > 0 else [0]
        kinds = ("phone", "meeting", "email", "other")
        kind_weights = (40, 35, 20, 5)
        clinical = [uid for role, uid in members if role != "coordinator"]
        signed_notes: list[tuple[int, int]] = []
        for x in days:
            if x < c.vis:
                stage = "referral"
            elif x < c.ass_done:
                stage = "assessment"
            elif x < c.plan_approved:
                stage = "plan"
            elif x < c.interv_end:
                stage = "intervention"
            else:
                stage = "follow_up"
            kind = r.choices(kinds, kind_weights)[0]
            author = c.coordinator if (not clinical or r.random() < 0.7) else r.choice(clinical)
            day = c.R + dt.timedelta(days=x)
            at = self.ts(day)
            recent = (self.today - day).days <= 7
            signed = at + dt.timedelta(minutes=r.randint(5, 240)) if r.random() < (0.4 if recent else 0.95) else None
            nid = w.add("journal_note", at, dict(case_id=c.id, author_id=author, note_date=day, kind=kind,
                                                 text=r.choice(JOURNAL_TEXTS[stage][kind]), signed_at=signed))
            touch(x)
            if signed is not None:
                signed_notes.append((x, nid))
        if signed_notes and r.random() < 0.05:
            x0, nid = r.choice(signed_notes)
            x = min(last, x0 + r.randint(1, 10))
            day = c.R + dt.timedelta(days=x)
            at = self.ts(day)
            w.add("journal_note", at, dict(case_id=c.id, author_id=c.coordinator, note_date=day, kind="other",
                                           text=r.choice(ANNOTATIONS), signed_at=at, annotates_id=nid))

    def letters(self, c: _Spec, meetings, contacts, touch, accepted: bool) -> None:
        r = self.rng
        last = c.last_day
        caseworker = f"Sagsbehandler, {c.jobcentre}"
        citizen = f"{c.first} {c.last}"
        items: list[tuple[int, str, str]] = []
        if accepted and c.plan_approved <= last:
            if r.random() < 0.8:
                items.append((c.plan_approved + r.randint(2, 7), "status_start", caseworker))
            if r.random() < 0.6:
                items.append((c.plan_approved, "action_plan", citizen))
            mid = c.plan_approved + (c.interv_end - c.plan_approved) // 2
            if r.random() < 0.6:
                items.append((mid, "status_midway", caseworker))
        for x, _mid, status in meetings:
            if r.random() < 0.7:
                items.append((max(0, x - r.randint(7, 14)), "invitation", citizen))
            if status == "held" and r.random() < 0.8:
                recipient = contacts.get("manager", ("Arbejdsgiver", ""))[0]
                items.append((x + r.randint(1, 5), "round_table_minutes", f"{citizen}; {recipient}"))
        if c.phase == "closed" and c.kind in ("full", "early"):
            items.append((c.close, "status_closing", caseworker))
            if r.random() < 0.7:
                items.append((c.close, "closing_report", caseworker))
        for x, kind, recipient in items:
            if x > last:
                continue
            day = c.R + dt.timedelta(days=x)
            self.w.add("letter", self.ts(day), dict(
                case_id=c.id, kind=kind, recipient=recipient[:200], sent_on=day, created_by_id=c.coordinator,
                title=f"{LETTER_TITLES[kind]} – {c.number}", body=LETTER_BODIES[kind]))
            touch(x)

    def after_follow_ups(self, c: _Spec) -> None:
        r = self.rng
        closed = c.R + dt.timedelta(days=c.close)
        status = c.outcome
        for months in codes.FOLLOW_UP_MONTHS:
            due = _add_months(closed, months)
            values: dict[str, Any] = dict(case_id=c.id, months=months, due_date=due)
            at = self.ts(closed)
            # Older ones are nearly all recorded; the last weeks' ones are often still waiting.
            if due < self.today and r.random() < (0.97 if (self.today - due).days > 45 else 0.5):
                rec = min(self.today, due + dt.timedelta(days=r.randint(0, 21)))
                status = self.weighted(AFTER_TRANSITIONS[status])
                at = self.ts(rec)
                values.update(recorded_date=rec, outcome_id=self.cat[("outcome", status)],
                              recorded_by_id=c.coordinator, note=r.choice(AFTER_NOTES),
                              hours_per_week=float(r.choice((15, 20, 24, 25, 30)))
                              if status == "part_time_return" else None,
                              other_reason_id=self.cat[("other_reason", r.choice(("moved", "other_programme")))]
                              if status == "other" else None)
            elif due <= self.today:
                self.w.add("task", self.ts(due - dt.timedelta(days=14)), dict(
                    case_id=c.id, title=f"Registrér efteropfølgning ({months} mdr.)", description="",
                    owner_id=c.coordinator, due_date=due, done_at=None, kind="manual",
                    created_by_id=c.coordinator))
            self.w.add("after_follow_up", at, values)

    # -- conferences --------------------------------------------------------------------------
    def conferences(self, existing_dates: set[dt.date]) -> None:
        r = self.rng
        w = self.w
        if not self.active:
            return
        # Start once a handful of cases have arrived, so the first agendas are not nearly empty.
        referrals = sorted(a[1] for a in self.active)
        start = referrals[min(4, len(referrals) - 1)]
        start += dt.timedelta(days=(1 - start.weekday()) % 7)
        end = self.today + dt.timedelta(days=14)
        chair = self.u["team_lead"]
        coordinator_of = {a[0]: a[3] for a in self.active}
        day = start
        while day <= end:
            if day in existing_dates:
                day += dt.timedelta(weeks=1)
                continue
            past = day < self.today
            conf_id = w.add("case_conference", self.ts(min(self.today, day - dt.timedelta(days=6))), dict(
                held_on=day, chair_id=chair if r.random() < 0.8 else self.coordinators[0],
                notes=r.choice(CONFERENCE_MINUTES) if past else "", closed=past,
                updated_at=self.ts(day) if past else None))
            chosen: dict[int, str] = {}
            events = self.conf_events.get(day, [])
            r.shuffle(events)
            want = r.randint(5, 15)
            for case_id, reason in events:
                if len(chosen) >= want:
                    break
                chosen.setdefault(case_id, reason)
            tries = 0
            while len(chosen) < 5 and tries < 40:
                tries += 1
                case_id, frm, to, _ = self.active[r.randrange(len(self.active))]
                if frm <= day <= to and case_id not in chosen:
                    chosen[case_id] = r.choice(("plan_review", "stalled", "deadline", "other"))
            for order, (case_id, reason) in enumerate(chosen.items(), start=1):
                item_id = w.add("conference_item", self.ts(day), dict(
                    conference_id=conf_id, case_id=case_id, reason=reason, sort_order=order,
                    notes=r.choice(CONFERENCE_NOTES[reason]) if past else "",
                    decision=r.choice(CONFERENCE_DECISIONS[reason]) if past else ""))
                if past and r.random() < 0.25:
                    owner = coordinator_of[case_id]
                    due = day + dt.timedelta(days=r.randint(3, 14))
                    done = due < self.today and ((self.today - due).days > 14 or r.random() < 0.7)
                    w.add("task", self.ts(day), dict(
                        case_id=case_id, title="Opfølgning fra casekonferencen",
                        description=r.choice(CONFERENCE_DECISIONS[reason]), owner_id=owner, due_date=due,
                        done_at=self.ts(min(due, self.today)) if done else None, kind="conference",
                        conference_item_id=item_id, created_by_id=chair))
            w.maybe_flush()
            day += dt.timedelta(weeks=1)
        # A few team tasks without a case
        for title in TEAM_TASKS:
            due = self.today + dt.timedelta(days=r.randint(-5, 20))
            w.add("task", self.ts(self.today - dt.timedelta(days=7)), dict(
                case_id=None, title=title, description="", owner_id=r.choice(self.coordinators + [chair]),
                due_date=due, done_at=None, kind="manual", created_by_id=chair))
        w.flush()


# --- Public API ---------------------------------------------------------------------------------
def _ensure_team_and_users(session: Session, counts: dict[str, int]) -> tuple[int, dict[str, int]]:
    team_id = session.scalar(select(Team.id).where(Team.name == TEAM_NAME))
    now = utcnow()
    if team_id is None:
        team_id = (session.scalar(select(func.max(Team.id))) or 0) + 1
        session.execute(insert(Team.__table__), [dict(id=team_id, name=TEAM_NAME, version=1, updated_at=now)])
        counts["team"] = 1
    existing = set(session.scalars(select(User.username)))
    missing = [u for u in DEMO_USERS if u[0] not in existing]
    if missing:
        pw_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
        next_id = (session.scalar(select(func.max(User.id))) or 0) + 1
        rows = []
        for i, (username, full_name, role, initials) in enumerate(missing):
            rows.append(dict(id=next_id + i, username=username, full_name=full_name, initials=initials, role=role,
                             email=f"{username}@tta-teamet.example", team_id=team_id, password_hash=pw_hash,
                             active=True, failed_logins=0, locked_until=None, must_change_password=False,
                             last_login_at=None, created_at=now, version=1, updated_at=now))
        session.execute(insert(User.__table__), rows)
        counts["user_account"] = len(rows)
    ids = dict(session.execute(select(User.username, User.id).where(
        User.username.in_([u[0] for u in DEMO_USERS]))).all())
    return team_id, ids


def generate_demo(session: Session, *, cases: int, seed: int, today: dt.date | None = None) -> dict[str, int]:
    """Fill a migrated, reference-seeded database with ``cases`` fictitious cases and everything
    around them. Runs inside the caller's write transaction and does not commit. Returns the number
    of rows added per table. Deterministic for a given ``seed`` and ``today``."""
    if cases < 0:
        raise ValueError("Antallet af forløb kan ikke være negativt.")
    if session.scalar(select(func.count()).select_from(Case)):
        raise ValueError("Databasen indeholder allerede forløb; demodata kan kun lægges i en tom database.")
    today = today or dt.date.today()
    catalog = {(k, c): i for i, k, c in session.execute(select(CatalogItem.id, CatalogItem.kind, CatalogItem.code))}
    needed = [("outcome", o) for o in ("full_return", "other")] + [("rejection_reason", "age")]
    if any(key not in catalog for key in needed):
        raise ValueError("Referencedata mangler; kør migrering og seed (prepare_database) først.")

    counts: dict[str, int] = {}
    team_id, user_ids = _ensure_team_and_users(session, counts)
    role_of = {u[0]: u[2] for u in DEMO_USERS}
    by_role: dict[str, int] = {}
    for username, _full, role, _ini in DEMO_USERS:
        by_role.setdefault(role, user_ids[username])
    coordinators = [user_ids[u] for u in ("koordinator", "koordinator2", "koordinator3")
                    if role_of[u] == "coordinator"]

    rng = random.Random(seed)
    b = _Builder(session, rng, today, by_role, coordinators, team_id, catalog)
    b.user_names = dict(session.execute(select(User.id, User.full_name)).all())
    existing_cprs = set(session.scalars(select(Citizen.cpr)))
    specs = b.plan_cases(cases, existing_cprs)
    b.write_cases(specs)
    b.conferences(set(session.scalars(select(CaseConference.held_on))))
    b.w.add("audit_log", None, dict(at=utcnow(), user_id=None, username="system", action="create", entity="demo",
                                    entity_id=None, case_id=None, fields="",
                                    detail=f"Demodata: {cases} fiktive forløb (seed {seed}, dato {today})"))
    b.w.flush()
    refresh_next_deadlines(session.connection())  # bulk inserts bypass the ORM's flush events
    refresh_case_name_keys(session.connection())
    sync_sequences(session.connection())  # ids were assigned here, not by PostgreSQL's sequences
    for table, n in b.w.counts.items():
        if n:
            counts[table] = counts.get(table, 0) + n
    return counts


def run_demo(url: str, *, cases: int, seed: int) -> dict[str, int]:
    """Migrate and seed the database at ``url``, then add demo data in one transaction."""
    from app.bootstrap import prepare_database

    services = prepare_database(url)
    try:
        with services.db.write() as s:
            counts = generate_demo(s, cases=cases, seed=seed)
    finally:
        services.db.dispose()
    return counts
