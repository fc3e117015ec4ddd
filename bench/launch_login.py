"""Bench-only stand-in for ``python main.py --db URL``: starts the GUI exactly as ``ui.app.run_gui``
does up to the login window, reports when the window has been shown and painted, then exits.

    python bench/launch_login.py --db URL [--until shown|ready]

Prints to stdout (flushed), one line each:
    shown   the login dialog has been shown and its first paint has been processed
    ready   additionally, the database was prepared and ``auth.has_users()`` answered, as ``run_gui``
            does right after showing the window (the window does not react to typing before that)

The parent (bench/run.py) times from before ``Popen`` to the arrival of each line, so interpreter
start-up and every import are included, as when a user starts the program.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import main  # noqa: E402  (the real entry module, with its light top-level imports)


def run(argv: list[str]) -> int:
    until = "shown"
    if "--until" in argv:
        i = argv.index("--until")
        until = argv[i + 1]
        del argv[i:i + 2]
    # Same steps as main.main() -> ui.app.run_gui(url), up to the login window.
    args = main.build_parser().parse_args(argv)
    from app.config import resolve_db_url
    url = resolve_db_url(args.db)
    from ui.app import make_application
    app = make_application()
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ui.dialogs.login import FirstAdminDialog, LoginDialog  # noqa: F401  (run_gui imports both)

    state = {"painted": False, "services": None}

    def finish_shown():
        print("shown", flush=True)
        if until == "shown":
            app.quit()
            return
        # run_gui: services() -> prepare_database(url), then auth.has_users()
        from app.bootstrap import prepare_database
        state["services"] = prepare_database(url, check=False)  # run_gui's worker; quick_check runs later
        state["services"].auth.has_users()
        app.processEvents()
        print("ready", flush=True)
        app.quit()

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint and not state["painted"]:
                state["painted"] = True
                QTimer.singleShot(0, finish_shown)  # after the paint has been processed
            return False

    login = LoginDialog(lambda _u, _p: None)
    watch = PaintWatch()
    login.installEventFilter(watch)
    login.show()

    def fallback():  # a platform that never paints: report "shown" anyway, but say so
        if not state["painted"]:
            state["painted"] = True
            print("warning: no paint event within 10 s", file=sys.stderr, flush=True)
            finish_shown()
    QTimer.singleShot(10_000, fallback)
    app.exec()
    login.close()
    if state["services"] is not None:
        state["services"].close()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
