"""Printed documents (PDF via ReportLab): one stylesheet, shared page templates, one module each.

``styles`` holds the stylesheet factory and table look, ``templates`` the letterhead page layouts,
the two-pass build for "Side x af y" and the helpers that make user text safe to print, ``fonts``
the embedded DejaVu Sans family. Each document (``access_log`` first) builds a story of flowables
from plain data and never touches the database: services fetch, printing lays out.
"""
