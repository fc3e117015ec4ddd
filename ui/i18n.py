"""Translation: every string a user reads goes through ``tr`` with the Danish text as the source.

Danish is the source language, so no translation file is needed for it; an English (or other)
``.qm`` file in ``resources/translations/`` can be added later without touching code. Qt's own
Danish translations (standard buttons, file dialogs) are loaded from PySide6's translations folder.
Domain codes never reach the screen: ``label`` turns a code into its Danish label from
``app.labels`` and passes it through the translator too.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []


def tr(text: str, context: str = "TTA") -> str:
    """The text in the user's language (Danish source text)."""
    return QCoreApplication.translate(context, text)


def label(table: Mapping[str, str], code: str | None, default: str = "") -> str:
    """The Danish label of a domain code, translated; never the code itself."""
    if code is None or code == "":
        return default
    text = table.get(code)
    return QCoreApplication.translate("labels", text) if text is not None else default


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> None:
    """Load Qt's own translations for the locale (Danish by default) and the app's, if any."""
    locale = locale or QLocale(QLocale.Danish, QLocale.Denmark)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    ours = Path(__file__).resolve().parent.parent / "resources" / "translations"
    for name, folder in (("qtbase", qt_dir), ("tta", str(ours))):
        t = QTranslator(app)
        if t.load(locale, name, "_", folder):
            app.installTranslator(t)
            _installed.append(t)
