"""The embedded font family for printed documents, and what it can draw.

Helvetica (ReportLab's default) prints a box for Polish, Cyrillic and emoji, so every printed
document embeds DejaVu Sans from ``resources/fonts/``. If those files are missing (a broken
install) we fall back to the Bitstream Vera fonts bundled with ReportLab rather than refuse to
print; Vera covers Danish but fewer scripts, and the glyph check in ``templates.printable``
turns anything it cannot draw into a visible marker.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"

# (family, regular file, bold file, directory); the first whose files exist wins.
_CANDIDATES = (
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", None),  # None: the directory asked for
    ("TTAVera", "Vera.ttf", "VeraBd.ttf", _VERA_DIR),
)


@dataclass(frozen=True)
class FontSet:
    family: str                 # the name for <font face=...> and registerFontFamily
    regular: str                # registered font names
    bold: str
    source: Path                # the directory the files came from
    covered: frozenset[int]     # code points both faces draw (and the PDF text maps back)

    def can_draw(self, char: str) -> bool:
        return ord(char) in self.covered


_lock = threading.Lock()
_cache: dict[Path, FontSet] = {}


def load_font_set(font_dir: Path = FONT_DIR) -> FontSet:
    """Register the family found in ``font_dir`` (or the Vera fallback) once, and describe it."""
    font_dir = Path(font_dir)
    with _lock:
        cached = _cache.get(font_dir)
        if cached is not None:
            return cached
        for family, regular_file, bold_file, directory in _CANDIDATES:
            where = directory or font_dir
            regular_path, bold_path = where / regular_file, where / bold_file
            if not (regular_path.is_file() and bold_path.is_file()):
                continue
            regular_name, bold_name = family, f"{family}-Bold"
            regular = _register(regular_name, regular_path)
            bold = _register(bold_name, bold_path)
            # No italic faces are embedded: <i> falls back to upright rather than failing.
            pdfmetrics.registerFontFamily(family, normal=regular_name, bold=bold_name,
                                          italic=regular_name, boldItalic=bold_name)
            # Only the Basic Multilingual Plane: DejaVu draws a few emoji (U+1F600...), but ReportLab
            # writes their text mapping wrongly, so copying or searching the PDF gives another
            # character. Treat them as missing; the reader sees the marker, not a wrong letter.
            covered = frozenset(cp for cp in regular.face.charToGlyph
                                if cp <= 0xFFFF and cp in bold.face.charToGlyph)
            font_set = FontSet(family, regular_name, bold_name, where, covered)
            _cache[font_dir] = font_set
            return font_set
        raise FileNotFoundError(f"No usable TTF fonts in {font_dir} or {_VERA_DIR}")


def fonts() -> FontSet:
    """The font set every printed document uses (registered on first use)."""
    return load_font_set(FONT_DIR)


def _register(name: str, path: Path) -> TTFont:
    try:
        font = pdfmetrics.getFont(name)
        if isinstance(font, TTFont):
            return font
    except KeyError:
        pass
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font
