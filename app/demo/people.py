"""Invented people and places: names, addresses, jobcentres, workplaces, phone numbers, CPR numbers.

CPR numbers carry day + 60 (``app.validation.FICTITIOUS_DAY_OFFSET``) so they can never belong to a
real person, and e-mail addresses use the reserved ``.example`` top-level domain.
"""
from __future__ import annotations

import datetime as dt
import random

from app.text import slug
from app.validation import FICTITIOUS_DAY_OFFSET

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
JOBCENTRE_WEIGHTS = [j[1] for j in JOBCENTRES]

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


def person_name(rng: random.Random, sex: str | None = None) -> tuple[str, str]:
    """First and last name; a sixth or so carry a double surname."""
    if sex is None:
        sex = "female" if rng.random() < 0.6 else "male"
    first = rng.choice(FEMALE_FIRST if sex == "female" else MALE_FIRST)
    last = rng.choice(_COMMON_LAST) if rng.random() < 0.5 else rng.choice(LAST_NAMES)
    if rng.random() < 0.15:
        other = rng.choice(LAST_NAMES)
        if other != last:
            last = f"{other} {last}"
    return first, last


def full_name(rng: random.Random) -> str:
    return " ".join(person_name(rng))


def phone(rng: random.Random) -> str:
    """A Danish eight-digit number written in pairs."""
    n = f"{rng.choice('2345')}{rng.randrange(10_000_000):07d}"
    return f"{n[0:2]} {n[2:4]} {n[4:6]} {n[6:8]}"


# Danish letters spelt the way they are in e-mail addresses and domain names.
_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})


def email_part(text: str) -> str:
    """'Anne Marie' -> 'annemarie': a name as part of an e-mail address."""
    return text.lower().translate(_ASCII).replace(" ", "").replace("&", "").replace(",", "").replace(".", "")


def workplace_domain(employer: str) -> str:
    """'Bøgh & Friis Advokatfirma' -> 'boegh-friis.example': a fictitious domain for a workplace."""
    return slug(employer.split(",")[0].lower().translate(_ASCII), sep="-", max_words=2) + ".example"


def fictitious_cpr(rng: random.Random, birth: dt.date, sex: str, taken: set[str]) -> str:
    """A CPR number for ``birth`` and ``sex`` with day + 60, not in ``taken`` (and added to it).

    The seventh digit agrees with the century as in real numbers, the last digit with the sex."""
    while True:
        yy = birth.year % 100
        if birth.year < 2000:
            d7 = rng.choice((0, 1, 2, 3, 4, 9) if yy > 36 else (0, 1, 2, 3))
        else:
            d7 = rng.choice((4, 9, 5, 6, 7, 8) if yy <= 36 else (5, 6, 7, 8))
        last = rng.randrange(1, 10, 2) if sex == "male" else rng.randrange(0, 10, 2)
        cpr = (f"{birth.day + FICTITIOUS_DAY_OFFSET:02d}{birth.month:02d}{yy:02d}"
               f"{d7}{rng.randrange(100):02d}{last}")
        if cpr not in taken:
            taken.add(cpr)
            return cpr
