"""The codes and labels of the KIA report (seed 000, table 2), as the report and its JSON show them.

The catalogue keeps its own codes (``app.reference``); these are the fixed codes of the report's
JSON form and of the import file, each mapped to the catalogue code once, here. The labels follow
the seed's wording exactly.
"""
from __future__ import annotations

# report code -> (catalogue code, label in the report)
STATUSES: dict[str, tuple[str, str]] = {
    "fuld_tid": ("full_return", "Raskmeldt fuld tid"),
    "deltid": ("part_time_return", "Raskmeldt deltid"),
    "a_kasse": ("fit_to_akasse", "Raskmeldt a-kasse"),
    "revalidering": ("rehabilitation", "Revalidering"),
    "arbejdsproevning": ("work_trial", "Arbejdsprøvning"),
    "fortsat_sygemeldt": ("still_sick", "Fortsat sygemeldt"),
    "andet": ("other", "Andet, herunder"),
}
# The statuses of the headline return-to-work rate.
RETURN_STATUSES = ("fuld_tid", "deltid", "a_kasse")
OTHER = "andet"

VISITED, NOT_VISITED = "Visiteret", "Ikke visiteret"
# report code -> (catalogue code, label, comment): why a case closed as "andet".
OTHER_REASONS: dict[str, tuple[str, str, str]] = {
    "ikke_i_maalgruppen": ("not_target_group", "Ikke i målgruppen", VISITED),
    "ikke_moedt": ("no_show", "Ikke mødt", VISITED),
    "oensker_ikke_tilbud": ("declined", "Ønsker ikke tilbud", VISITED),
    "flyttet": ("moved", "Flyttet", NOT_VISITED),
    "raskmeldt_foer_start": ("fit_before_start", "Raskmeldt før start", NOT_VISITED),
    "andet_forloeb": ("other_programme", "Var i andet forløb", NOT_VISITED),
}

STATUS_BY_CATALOGUE = {cat: code for code, (cat, _label) in STATUSES.items()}
REASON_BY_CATALOGUE = {cat: code for code, (cat, _label, _c) in OTHER_REASONS.items()}


def status_code(catalogue_code: str) -> str:
    """The report's status for a catalogue outcome; an outcome the team added later counts as "andet"."""
    return STATUS_BY_CATALOGUE.get(catalogue_code, OTHER)
