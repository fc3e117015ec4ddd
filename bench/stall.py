"""How long the GUI thread is blocked while a user works, with the database made slow on purpose.

    .venv/bin/python bench/stall.py --db sqlite:///bench/out/demo-10000-seed1.db [--delay 0.2] [--repeat 3]

Every service call sleeps ``--delay`` seconds (``bench.responsiveness.SlowServices``), as a locked
SQLite file or a slow PostgreSQL server would. The real main window is driven as a coordinator:
reading Overblik while the case list is built ahead, typing a search (a key every 80 ms), opening a
case, editing a field and saving it, and opening another case at once (before a spare record is
built). For each step the longest gap between two ticks of a 10 ms timer is reported
(``GapMeter``): how long the window could not repaint. (How soon a record is on screen without the
delay is ``bench/run.py``'s ``open_one_case``, ``open_case_cold`` and ``open_case_from_overview``.)
Runs on a throw-away copy of the database. One line per measurement on stdout, ``name: median_ms``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _wait(app, cond, timeout=60.0):
    end = time.monotonic() + timeout
    while not cond():
        app.processEvents()
        time.sleep(0.002)
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")


def _overview_ready(record, overview_class) -> bool:
    """The record is on screen as the user opened it: its Oversigt built (in its own time, as the
    record builds it) and filled, and no work left on the runner."""
    from ui.tasks import runner
    tab = record.tab_widgets.get(overview_class)
    return record.detail is not None and tab is not None and tab.ready() and runner().idle()


def _one_round(app, services, args, results: dict[str, list[float]]) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from bench.responsiveness import GapMeter, SlowServices
    from ui import gc_timer
    from ui.main_window import MainWindow
    from ui.record.overview import OverviewTab
    from ui.tasks import runner

    # -- with the database slowed down: the longest stall per step --------------------------
    actor = services.auth.login(args.user, args.password)
    slow = SlowServices(services, delay=args.delay)
    gc_timer.freeze_startup()  # as the app does when its main window first opens
    window = MainWindow(slow, actor, idle_minutes=60)
    window.resize(1280, 800)
    window.show()
    _wait(app, lambda: runner().idle())  # Overblik is up
    meter = GapMeter()
    meter.start()  # while the user reads it, the case list and a spare record are built ahead
    _wait(app, lambda: "cases" in window.pages and window.pages["cases"].spare_ready() and runner().idle())
    results.setdefault("gui_stall_overview_build_ahead", []).append(meter.stop())
    page = window.show_section("cases")
    _wait(app, lambda: runner().idle() and page.model.rowCount() > 0)
    meter.start()
    QTest.keyClicks(page.search, "hans", Qt.NoModifier, 80)
    _wait(app, lambda: runner().idle() and page.model.rowCount() > 0)
    results.setdefault("gui_stall_search_typing", []).append(meter.stop())
    meter.start()
    record = page.open_case(page.model.case_id(0))
    _wait(app, lambda: _overview_ready(record, OverviewTab))
    tab = record.tab_widgets[OverviewTab]
    results.setdefault("gui_stall_open_case", []).append(meter.stop())
    editable = [name for name in ("job_title", "employer_name", "gp_name") if name in tab.inputs]
    meter.start()
    tab.inputs[editable[0]].setText(f"Bench {time.monotonic():.0f}")
    tab.save()
    _wait(app, lambda: not record.has_unsaved_changes() and runner().idle())
    results.setdefault("gui_stall_save", []).append(meter.stop())
    # another case at once, before the list has built a spare record: built from scratch
    page._spare_timer.stop()
    if page._spare is not None:  # built while the save ran: dropped, as if the user had been quicker
        page._discard(page._spare)
        page._spare = None
    meter.start()
    record = page.open_case(page.model.case_id(1))
    _wait(app, lambda: _overview_ready(record, OverviewTab))
    results.setdefault("gui_stall_open_case_cold", []).append(meter.stop())
    if slow.gui_thread_calls:
        print(f"service calls on the GUI thread: {slow.gui_thread_calls}", file=sys.stderr)
        return 1
    window.close_without_logout()
    window.deleteLater()
    app.processEvents()

    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="an SQLite demo database URL (copied, never changed)")
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--user", default="teamleder")  # reads every case (need-to-know)
    parser.add_argument("--password", default="demo1234")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tta-stall-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ.setdefault("TTA_AUDIT_KEY", "bench-" + "k" * 40)
    source = Path(args.db.removeprefix("sqlite:///"))
    copy = tmp / "bench.db"
    shutil.copyfile(source, copy)
    url = f"sqlite:///{copy}"

    from PySide6.QtCore import qInstallMessageHandler

    from app.bootstrap import prepare_database
    from ui.app import make_application
    from ui.tasks import runner

    def qt_messages(_mode, _context, message):  # the offscreen platform's chatter is not news
        if "propagateSizeHints" not in message:
            print(f"qt: {message}", file=sys.stderr)
    qInstallMessageHandler(qt_messages)
    app = make_application()
    services = prepare_database(url, check=False)
    results: dict[str, list[float]] = {}
    try:
        for _ in range(args.repeat):
            if _one_round(app, services, args, results):
                return 1
    finally:
        runner().shutdown()
        services.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for name, values in results.items():
        print(f"{name}[delay {args.delay:g} s]: {statistics.median(values):.0f} ms (max {max(values):.0f})")
        if os.environ.get("BENCH_DEBUG"):
            print("   ", [round(v) for v in values])
    return 0


if __name__ == "__main__":
    sys.exit(main())
