"""Performance benchmark of TTA-team on large SQLite demo databases.

    python bench/run.py [--cases 10000,50000] [--repeat 5] [--keep DIR] [--regen] [--profile]

Run from the repository root (the script puts the root on ``sys.path`` itself). Demo databases are
generated once per size with ``app.demo.run_demo(url, cases=N, seed=1)`` into the cache folder
(default ``bench/out/``, git-ignored) and reused while they hold the right number of cases. Every run
works on a fresh copy of the cached file, so the audit rows the measurements write (logins, searches,
case reads) never pile up in the cache.

stdout gets exactly one line per measurement, ``name[N]: median_seconds``; progress, warnings and
errors go to stderr. All samples are also written to ``<cache>/results.json``. The exit status is
1 when any measurement failed (its line then reads ``name[N]: FAILED``).

With ``--profile`` every in-process measurement also runs under cProfile (timings are then
inflated); the top functions per measurement go to stderr and ``<cache>/profile-<name>-<N>.prof``.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before PySide6 is imported anywhere
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

SEED = 1
USERNAME = "teamleder"
PASSWORD = "demo1234"
# Prefixes of a common Danish surname, then Danish letters that the search folds (ø -> oe).
KEYSTROKES = ["h", "ha", "han", "hans", "hanse", "ø", "øs", "øst", "øste", "øster"]
CASES_OPENED_PER_REPEAT = 3
CHILD_TIMEOUT = 120


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- results ---------------------------------------------------------------------------------------
class Results:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}
        self.failed: list[str] = []

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds)

    def emit(self, name: str, value: float | None = None) -> None:
        """Print the one stdout line for ``name`` (median of its samples unless ``value`` is given)."""
        if name in self.failed:
            print(f"{name}: FAILED", flush=True)
            return
        if value is None:
            xs = self.samples.get(name)
            if not xs:
                print(f"{name}: FAILED", flush=True)
                self.failed.append(name)
                return
            value = statistics.median(xs)
        print(f"{name}: {value:.3f}", flush=True)

    def fail(self, name: str, exc: BaseException | str) -> None:
        if name not in self.failed:
            self.failed.append(name)
        if isinstance(exc, BaseException):
            log(f"error: measurement {name} failed: {type(exc).__name__}: {exc}")
            log("".join(traceback.format_exception(exc)).rstrip())
        else:
            log(f"error: measurement {name} failed: {exc}")


class Profiles:
    """cProfile per measurement name, switched on around the timed region only (with --profile)."""

    def __init__(self, enabled: bool, out: Path):
        self.enabled = enabled
        self.out = out
        self.profiles: dict[str, cProfile.Profile] = {}

    @contextlib.contextmanager
    def around(self, name: str):
        if not self.enabled:
            yield
            return
        prof = self.profiles.setdefault(name, cProfile.Profile())
        prof.enable()
        try:
            yield
        finally:
            prof.disable()

    def report(self) -> None:
        for name, prof in self.profiles.items():
            safe = name.replace("[", "-").replace("]", "")
            prof.dump_stats(str(self.out / f"profile-{safe}.prof"))
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            log(f"\n===== profile {name} (cumulative) =====\n{buf.getvalue()}")


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


# -- databases -------------------------------------------------------------------------------------
def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def case_count(path: Path) -> int | None:
    """Cases in the SQLite file, or None when it is missing or not a (complete) TTA database."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM tta_case").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()


def checkpoint(path: Path) -> None:
    """Fold any WAL into the main file so a plain file copy is the whole database."""
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def ensure_database(cache: Path, n: int, regen: bool) -> Path:
    from app.demo import run_demo
    path = cache / f"demo-{n}-seed{SEED}.db"
    have = None if regen else case_count(path)
    if have == n:
        log(f"[{n}] reusing {path}")
        return path
    if have is not None:
        log(f"[{n}] {path} holds {have} cases, not {n}: generating again")
    tmp = cache / f"demo-{n}-seed{SEED}.generating.db"
    remove_db(tmp)
    remove_db(path)
    log(f"[{n}] generating {n} demo cases into {path} (once; ~1-2 s per 1000 cases) ...")
    t, counts = timed(run_demo, sqlite_url(tmp), cases=n, seed=SEED)
    checkpoint(tmp)
    remove_db(path)
    tmp.rename(path)
    remove_db(tmp)
    if case_count(path) != n:
        raise RuntimeError(f"generated database {path} does not hold {n} cases (counts: {counts})")
    log(f"[{n}] generated in {t:.1f} s")
    return path


def working_copy(cached: Path, n: int) -> Path:
    work = cached.parent / f"work-{n}.db"
    remove_db(work)
    checkpoint(cached)
    shutil.copyfile(cached, work)
    warm(work)
    return work


def warm(path: Path) -> None:
    """Read the file once, as a database in daily use is in the operating system's cache: the
    measurements are of the app, not of the first read from disk of a file just copied."""
    with open(path, "rb") as f:
        while f.read(1 << 22):
            pass


# -- start-up (separate processes) -----------------------------------------------------------------
def spawn_login(url: str, env: dict[str, str]) -> dict[str, float]:
    """Start bench/launch_login.py; seconds from just before Popen to each line it prints."""
    cmd = [sys.executable, str(ROOT / "bench" / "launch_login.py"), "--db", url, "--until", "ready"]
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, bufsize=1)
    try:
        for line in proc.stdout:
            word = line.strip()
            if word in ("shown", "ready"):
                marks[word] = time.perf_counter() - t0
        proc.wait(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"launch_login.py did not exit within {CHILD_TIMEOUT} s") from exc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read()
    proc.stderr.close()
    proc.stdout.close()
    if proc.returncode != 0 or "shown" not in marks or "ready" not in marks:
        raise RuntimeError(f"launch_login.py exited with {proc.returncode}, printed {sorted(marks)}; "
                           f"stderr:\n{err.strip()}")
    return marks


def bench_startup(n: int, url: str, repeat: int, res: Results, env: dict[str, str]) -> None:
    names = (f"startup_to_login_window[{n}]", f"startup_login_ready[{n}]")
    try:
        spawn_login(url, env)  # warm-up: .pyc files and the OS file cache, as on any second start
        for i in range(repeat):
            marks = spawn_login(url, env)
            res.add(names[0], marks["shown"])
            res.add(names[1], marks["ready"])
            log(f"  startup {i + 1}/{repeat}: shown {marks['shown']:.3f} s, ready {marks['ready']:.3f} s")
    except Exception as exc:  # noqa: BLE001
        for name in names:
            res.fail(name, exc)


# -- in-process GUI measurements -------------------------------------------------------------------
def settle(app) -> None:
    """Wait until the task runner has run every queued service call and delivered its result, and the
    window has painted what that changed: what the user waits for between an action and its result
    on screen, and before their next action."""
    from ui.tasks import runner
    while True:
        while not runner().idle():
            app.processEvents()
            time.sleep(0.0002)
        end = time.perf_counter() + 0.03  # paints are scheduled, not immediate
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        if runner().idle():
            return


def paint(app, widget, model=None) -> None:
    """Let the results arrive, then paint ``widget`` synchronously; when the paint asked ``model`` for
    rows it has not fetched yet (a block of the list), they are fetched on the worker and painted
    again when they arrive."""
    settle(app)
    widget.repaint()
    if model is not None and model.loading():
        settle(app)
        widget.repaint()


def spare_ready(app, page) -> None:
    """Wait (up to 3 s) until the list has built its spare record for the next case opened, as it has
    while the user reads the list or the last case."""
    deadline = time.perf_counter() + 3
    while not page.spare_ready() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    if not page.spare_ready():
        raise RuntimeError("no spare record was built within 3 s")
    settle(app)


def painted_when(app, widget, done) -> float:
    """Wait until ``done()`` holds and ``widget`` has then been painted by the event loop, as the user
    sees it; returns the moment that paint ended (``widget.repaint()`` when it is not on screen to be
    painted). The end of the paint is the next event the application handles after it."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    state: dict[str, float | bool] = {}

    class Painted(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if "painting" in state and "end" not in state:
                state["end"] = time.perf_counter()
            if watched is widget and event.type() == QEvent.Paint and done() and "painting" not in state:
                state["painting"] = True
            return False
    watcher = Painted()
    app.installEventFilter(watcher)
    try:
        # Sleeping in the event loop until something happens (a spinning loop would take Python's
        # lock from the worker thread the measurement waits for); a timer wakes it to check the time.
        wake = QTimer()
        wake.start(50)
        deadline = time.perf_counter() + 10
        while not done():
            if time.perf_counter() > deadline:
                raise RuntimeError("not done within 10 s")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        wake.stop()
        deadline = time.perf_counter() + 0.5
        while "end" not in state and time.perf_counter() < deadline:
            app.processEvents()  # without waiting: a paint is the last thing that happens for a while
            if "painting" in state and "end" not in state:
                state["end"] = time.perf_counter()  # no event came after the paint
        if "end" not in state:
            if os.environ.get("BENCH_DEBUG"):
                log(f"debug: no paint seen after done ({state})")
            widget.repaint()
            state["end"] = time.perf_counter()
        return float(state["end"])
    finally:
        app.removeEventFilter(watcher)


def shown(app, record) -> float:
    """Wait until an opened record shows its case (read, its first tab built and filled in) and has
    been painted; returns when the paint ended."""
    return painted_when(app, record, record.ready)


def first_rows_painted(app, page) -> float:
    """Wait until the list's new first rows have arrived (the model is reset with them) and the table
    has painted them: the moment the user sees the results. Every id of a long result list follows in
    a second read, which ``settle`` waits for outside the timing."""
    generation = page.model._generation
    end = painted_when(app, page.table.viewport(), lambda: page.model._generation != generation)
    if page.model.loading():
        raise RuntimeError("the first rows were painted before they had arrived")
    return end


def bench_gui(n: int, url: str, repeat: int, res: Results, prof: Profiles) -> None:
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import health_check, prepare_database
    from ui import gc_timer
    from ui.main_window import BUILD_AHEAD_AFTER_MS, MainWindow
    from ui.models.case_table import COLUMNS

    app = QApplication.instance()
    rng = random.Random(SEED)
    names = {k: f"{k}[{n}]" for k in (
        "prepare_database", "health_check", "login_to_main_window", "main_window_build", "open_case_list",
        "search_keystroke", "search_keystroke_max", "sort_column", "sort_column_max", "open_one_case",
        "open_case_cold", "open_case_from_overview")}
    per_sort: dict[str, list[float]] = {}
    per_key: dict[str, list[float]] = {}

    def attempt(key, fn, *args):
        """Run one measured step, ``fn(*args)``; on failure mark it failed and carry on with the others."""
        if names[key] in res.failed:
            return None
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001
            res.fail(names[key], exc)
            return None

    for rep in range(repeat):
        services = window = None
        if url.startswith("sqlite:///"):
            warm(Path(url.removeprefix("sqlite:///")))
        try:
            # prepare_database: what run_gui does (in a worker) right after showing the login window;
            # the full-file health check then runs in the background while the password is typed.
            with prof.around(names["prepare_database"]):
                t, services = timed(prepare_database, url, check=False)
            res.add(names["prepare_database"], t)
            with prof.around(names["health_check"]):
                t, _ = timed(health_check, services)
            res.add(names["health_check"], t)

            # login -> main window with Overblik rendered
            def login_and_build(services):
                with prof.around(names["login_to_main_window"]):
                    t0 = time.perf_counter()
                    actor = services.auth.login(USERNAME, PASSWORD)
                    t1 = time.perf_counter()
                    gc_timer.freeze_startup()  # as the app does when its main window first opens
                    w = MainWindow(services, actor, idle_minutes=60)
                    w.show()
                    paint(app, w)
                    app.processEvents()
                    t2 = time.perf_counter()
                if "overview" not in w.pages:
                    raise RuntimeError("the Overblik page was not built (see the error above)")
                res.add(names["login_to_main_window"], t2 - t0)
                res.add(names["main_window_build"], t2 - t1)
                return actor, w
            got = attempt("login_to_main_window", login_and_build, services)
            if got is None:
                for k in ("main_window_build", "open_case_list", "search_keystroke", "sort_column",
                          "open_one_case", "open_case_cold", "open_case_from_overview"):
                    res.fail(names[k], "not run: needs the main window")
                break
            actor, window = got

            # the case list, first time
            def open_list(window):
                with prof.around(names["open_case_list"]):
                    t0 = time.perf_counter()
                    p = window.show_section("cases")
                    paint(app, p.table.viewport(), p.model)
                    t1 = time.perf_counter()
                if p.model.rowCount() != n:
                    raise RuntimeError(f"case list shows {p.model.rowCount()} rows, expected {n}")
                if not p.model._rows:
                    raise RuntimeError("no rows were fetched when the table was painted "
                                       "(the view did not paint; the timing would be meaningless)")
                res.add(names["open_case_list"], t1 - t0)
                return p
            page = attempt("open_case_list", open_list, window)
            if page is None:
                for k in ("search_keystroke", "sort_column", "open_one_case", "open_case_cold",
                          "open_case_from_overview"):
                    res.fail(names[k], "not run: needs the case list")
                break
            viewport = page.table.viewport()

            # typing in the search field (debounce bypassed)
            def search(page, viewport):
                for text in KEYSTROKES:
                    with prof.around(names["search_keystroke"]):
                        t0 = time.perf_counter()
                        page.search.setText(text)
                        page._debounce.stop()   # the 150 ms debounce is bypassed
                        page.refresh()
                        t = first_rows_painted(app, page) - t0
                    settle(app)
                    res.add(names["search_keystroke"], t)
                    per_key.setdefault(text, []).append(t)
                    if page.model.rowCount() == 0:
                        raise RuntimeError(f"search {text!r} found no cases")
                page.search.setText("")
                page._debounce.stop()
                page.refresh()
                settle(app)
            attempt("search_keystroke", search, page, viewport)

            # sorting on every column, both directions
            def sort(page, viewport):
                for _header, key in COLUMNS:
                    for desc in (False, True):
                        with prof.around(names["sort_column"]):
                            t0 = time.perf_counter()
                            page._sorted(key, desc)
                            t = first_rows_painted(app, page) - t0
                        settle(app)
                        res.add(names["sort_column"], t)
                        per_sort.setdefault(f"{key} {'desc' if desc else 'asc'}", []).append(t)
                page._sorted("last_activity", True)
                settle(app)
            attempt("sort_column", sort, page, viewport)

            # opening case records: after reading the list or the last case (the list has built a
            # spare record by then), and right after opening another (no spare: built from scratch)
            def open_one(page, case_id, key):
                with prof.around(names[key]):
                    t0 = time.perf_counter()
                    record = page.open_case(case_id)
                    t = shown(app, record) - t0
                if record is None or record.detail is None:
                    raise RuntimeError(f"case {case_id} did not open (see the error above)")
                res.add(names[key], t)
                page._close_tab(page.tabs.indexOf(record))

            def open_cases(page):
                rows = page.model.rowCount()
                for case_id in [page.model.case_id(rng.randrange(rows)) for _ in range(CASES_OPENED_PER_REPEAT)]:
                    spare_ready(app, page)  # the user reads a case for a moment before the next
                    open_one(page, case_id, "open_one_case")
                    settle(app)

            def open_cases_cold(page):
                rows = page.model.rowCount()
                for case_id in [page.model.case_id(rng.randrange(rows)) for _ in range(CASES_OPENED_PER_REPEAT)]:
                    spare_ready(app, page)
                    open_one(page, page.model.case_id(rng.randrange(rows)), "open_one_case")
                    page._spare_timer.stop()  # the next case follows at once: no spare built yet
                    settle(app)
                    if page.spare_ready():
                        raise RuntimeError("a spare record was built; the cold open would not be cold")
                    open_one(page, case_id, "open_case_cold")
                    settle(app)
            attempt("open_one_case", open_cases, page)
            attempt("open_case_cold", open_cases_cold, page)

            # a link from Overblik in a new window, once the user has read it for a moment
            def open_from_overview(case_id, services=services, actor=actor):
                other = MainWindow(services, actor, idle_minutes=60)
                try:
                    other.show()
                    paint(app, other)
                    # the user reads Overblik for a moment: the case list and a spare record are built
                    deadline = time.perf_counter() + BUILD_AHEAD_AFTER_MS / 1000 + 2
                    while "cases" not in other.pages and time.perf_counter() < deadline:
                        app.processEvents()
                        time.sleep(0.005)
                    if "cases" not in other.pages:
                        raise RuntimeError("the case list was not built ahead behind Overblik")
                    spare_ready(app, other.pages["cases"])
                    with prof.around(names["open_case_from_overview"]):
                        t0 = time.perf_counter()
                        other.navigate("cases", case_id)
                        records = other.pages["cases"].open_records()
                        if len(records) != 1:
                            raise RuntimeError(f"case {case_id} did not open from Overblik")
                        t = shown(app, records[0]) - t0
                    res.add(names["open_case_from_overview"], t)
                    settle(app)
                finally:
                    other.close_without_logout()
                    other.deleteLater()
                    settle(app)
            attempt("open_case_from_overview", open_from_overview, page.model.case_id(rng.randrange(n)))
            log(f"  gui {rep + 1}/{repeat} done")
        except Exception as exc:  # noqa: BLE001 - e.g. prepare_database failed: nothing else can run
            log(f"error: GUI repeat {rep + 1} for {n} cases stopped: {type(exc).__name__}: {exc}")
            log("".join(traceback.format_exception(exc)).rstrip())
            for k in names.values():
                if k not in res.samples:
                    res.fail(k, "not run: an earlier step of the GUI sequence failed")
            break
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
            app.processEvents()
            if services is not None:
                services.close()

    if per_sort:
        worst = max(per_sort, key=lambda k: statistics.median(per_sort[k]))
        res.notes[names["sort_column_max"]] = worst
        res.samples[names["sort_column_max"]] = per_sort[worst]
        log(f"  slowest sort: {worst} (median {statistics.median(per_sort[worst]):.3f} s); all: " + ", ".join(
            f"{k} {statistics.median(v):.3f}" for k, v in per_sort.items()))
    if per_key:
        worst = max(per_key, key=lambda k: statistics.median(per_key[k]))
        res.notes[names["search_keystroke_max"]] = worst
        res.samples[names["search_keystroke_max"]] = per_key[worst]
        log(f"  slowest keystroke: {worst!r} (median {statistics.median(per_key[worst]):.3f} s); all: " +
            ", ".join(f"{k!r} {statistics.median(v):.3f}" for k, v in per_key.items()))


# -- service level, no Qt --------------------------------------------------------------------------
def bench_services(n: int, url: str, repeat: int, res: Results, prof: Profiles) -> None:
    from app.bootstrap import prepare_database
    names = {k: f"{k}[{n}]" for k in ("svc_search_ids_all", "svc_list_rows_100", "svc_search_ids_text",
                                      "svc_get_case")}
    services = None
    try:
        services = prepare_database(url)
        actor = services.auth.login(USERNAME, PASSWORD)
        ids = services.cases.search_ids(actor, "")  # warm-up
        rng = random.Random(SEED)
        for _ in range(repeat):
            with prof.around(names["svc_search_ids_all"]):
                t, ids = timed(services.cases.search_ids, actor, "")
            res.add(names["svc_search_ids_all"], t)
            if len(ids) != n:
                raise RuntimeError(f"search_ids returned {len(ids)} ids, expected {n}")
            start = rng.randrange(0, max(1, n - 100))
            block = ids[start:start + 100]
            with prof.around(names["svc_list_rows_100"]):
                t, rows = timed(services.cases.list_rows, actor, block)
            res.add(names["svc_list_rows_100"], t)
            if len(rows) != len(block):
                raise RuntimeError(f"list_rows returned {len(rows)} rows for {len(block)} ids")
            with prof.around(names["svc_search_ids_text"]):
                t, _ = timed(services.cases.search_ids, actor, "hans")
            res.add(names["svc_search_ids_text"], t)
            with prof.around(names["svc_get_case"]):
                t, _ = timed(services.cases.get_case, actor, ids[rng.randrange(n)])
            res.add(names["svc_get_case"], t)
    except Exception as exc:  # noqa: BLE001
        for name in names.values():
            res.fail(name, exc if name == names["svc_search_ids_all"] else "see the error above")
    finally:
        if services is not None:
            services.close()


# -- printing ---------------------------------------------------------------------------------------
PLAN_PDF_REPEAT = 20


def typical_plan_document():
    """A typical action plan in memory (no database): the citizen's words, four goals, five
    interventions and an eight-week schedule, about two pages in the team's version."""
    import datetime as dt

    from app.reference import DEFAULT_SETTINGS
    from app.services.plans import PlanDetail, PlanDocument
    start = dt.date(2026, 11, 30)
    goals = [{"owner": o, "text": t, "target_date": start + dt.timedelta(weeks=6)} for o, t in (
        ("citizen", "Sove mindst 6 timer hver nat"), ("citizen", "Kunne være på arbejde 4 timer om dagen"),
        ("team", "Rundbordssamtale med arbejdspladsen inden for fire uger"),
        ("team", "Fuld tid ved forløbets slutning"))]
    interventions = [{"intervention": code, "label": label, "responsible_id": 1, "responsible": "Karin Koordinator",
                      "start_date": start, "end_date": start + dt.timedelta(weeks=8), "status": "in_progress",
                      "note": "Hver 14. dag"} for code, label in (
        ("psych_conversations", "Individuelle støttende og afklarende samtaler med psykolog"),
        ("stress_course", "Stresshåndteringskursus"), ("workplace_visit", "Arbejdspladsbesøg"),
        ("round_table", "Rundbordssamtale"), ("gradual_return", "Gradvis tilbagevenden med nedsat tid"))]
    weeks = [{"week_no": k + 1, "starts_on": start + dt.timedelta(weeks=k), "weekdays": "man, ons, fre",
              "hours_per_week": float(8 + 4 * k), "tasks": "Kendte driftsopgaver uden deadlines",
              "accommodations": "Fast pause midt på dagen", "follow_up": "Ugentlig kort samtale med leder",
              "actual_hours": float(8 + 4 * k) if k < 3 else None} for k in range(8)]
    values = {"overall_goal": "own_job", "expected_return_date": start + dt.timedelta(weeks=12), "target_hours": 37.0,
              "purpose": "At borgeren vender tilbage til sit arbejde på fuld tid inden for 12 uger. " * 3,
              "citizen_view": "Jeg vil gerne tilbage til mit arbejde, men i et tempo jeg kan holde til. " * 6,
              "work_adaptations": "Ingen telefonvagt, fast pause og mødetid efter myldretiden. " * 3}
    now = dt.datetime(2026, 11, 23, 9, 0)
    plan = PlanDetail(1, 1, 3, 2, "approved", values, goals, interventions, weeks, [], "Karin Koordinator", now,
                      "Lene Leder", now, [])
    return PlanDocument("team", plan, "TTA-2026-00107", "Åse Østergaard", "170584-xxxx", "Karin Koordinator",
                        "Aarhus Kommune", "Pædagog", 37.0, [], ["F43.2"], ["Stress"], ["WHO-5: 44 (12-10-2026)"],
                        dict(DEFAULT_SETTINGS["letterhead"]), "Lene Leder", now)


def bench_plan_pdf(res: Results) -> None:
    """``plan_pdf``: the team's printout of a typical two-page plan (median of 20; aim 60 ms)."""
    from app.printing.action_plan import render_action_plan
    try:
        doc = typical_plan_document()
        render_action_plan(doc)  # warm-up: fonts registered, modules loaded
        for _ in range(PLAN_PDF_REPEAT):
            t, data = timed(render_action_plan, doc)
            res.add("plan_pdf", t)
        log(f"plan_pdf: {len(data)} bytes, {data.count(b'/Type /Page') - data.count(b'/Type /Pages')} pages")
    except Exception as exc:  # noqa: BLE001
        res.fail("plan_pdf", exc)


# -- main ------------------------------------------------------------------------------------------
ORDER = ["startup_to_login_window", "startup_login_ready", "prepare_database", "health_check",
         "login_to_main_window",
         "main_window_build", "open_case_list", "search_keystroke", "search_keystroke_max", "sort_column",
         "sort_column_max", "open_one_case", "open_case_cold", "open_case_from_overview", "svc_search_ids_all",
         "svc_list_rows_100",
         "svc_search_ids_text", "svc_get_case"]


GROUPS = ("startup", "gui", "services", "documents")   # documents: no demo database needed


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", default="10000,50000", help="comma-separated case counts (default 10000,50000)")
    p.add_argument("--repeat", type=int, default=5, help="repeats per measurement; the median is reported")
    p.add_argument("--keep", metavar="DIR", default=str(ROOT / "bench" / "out"),
                   help="folder for the cached demo databases and results (default bench/out/)")
    p.add_argument("--regen", action="store_true", help="generate the demo databases again")
    p.add_argument("--profile", action="store_true", help="cProfile the in-process measurements (slower)")
    p.add_argument("--only", metavar="GROUPS", default=",".join(GROUPS),
                   help=f"comma-separated groups to run (default all: {','.join(GROUPS)})")
    args = p.parse_args(argv)
    args.groups = {g.strip() for g in args.only.split(",") if g.strip()}
    if not args.groups or args.groups - set(GROUPS):
        p.error(f"--only takes groups from {', '.join(GROUPS)}")
    try:
        args.sizes = [int(x) for x in args.cases.split(",") if x.strip()]
    except ValueError:
        p.error(f"--cases must be comma-separated whole numbers, not {args.cases!r}")
    if not args.sizes or any(n < 1 for n in args.sizes):
        p.error("--cases needs at least one positive number")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.groups == {"documents"}:
        res = Results()
        bench_plan_pdf(res)
        res.emit("plan_pdf")
        return 1 if res.failed else 0
    cache = Path(args.keep).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    # Keep the app's QSettings (window geometry, list header) away from the user's own settings.
    qt_config = cache / "qt-config"
    qt_config.mkdir(exist_ok=True)
    os.environ["XDG_CONFIG_HOME"] = str(qt_config)
    child_env = dict(os.environ)

    from PySide6.QtCore import qInstallMessageHandler

    from ui.app import make_application

    def qt_messages(_mode, _context, message):  # the offscreen platform's chatter is not news
        if "propagateSizeHints" not in message:
            log(f"qt: {message}")
    qInstallMessageHandler(qt_messages)
    app = make_application([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)

    res = Results()
    prof = Profiles(args.profile, cache)
    t_start = time.perf_counter()
    for n in args.sizes:
        try:
            cached = ensure_database(cache, n, args.regen)
            work = working_copy(cached, n)
        except Exception as exc:  # noqa: BLE001
            for base in ORDER:
                res.fail(f"{base}[{n}]", exc if base == ORDER[0] else "no demo database")
            for base in ORDER:
                res.emit(f"{base}[{n}]")
            continue
        url = sqlite_url(work)
        t_size = time.perf_counter()
        if "startup" in args.groups:
            log(f"[{n}] start-up ...")
            bench_startup(n, url, args.repeat, res, child_env)
        if "gui" in args.groups:
            log(f"[{n}] GUI ...")
            bench_gui(n, url, args.repeat, res, prof)
        if "services" in args.groups:
            log(f"[{n}] services ...")
            bench_services(n, url, args.repeat, res, prof)
        log(f"[{n}] measured in {time.perf_counter() - t_size:.1f} s")
        for base in ORDER:
            if f"{base}[{n}]" in res.samples or f"{base}[{n}]" in res.failed:
                res.emit(f"{base}[{n}]")
        remove_db(work)

    if "documents" in args.groups:
        bench_plan_pdf(res)
        res.emit("plan_pdf")
    out = cache / "results.json"
    out.write_text(json.dumps({
        "sizes": args.sizes, "repeat": args.repeat, "python": sys.version.split()[0],
        "median": {k: statistics.median(v) for k, v in res.samples.items() if v},
        "samples": res.samples, "slowest": res.notes, "failed": res.failed,
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    log(f"total {time.perf_counter() - t_start:.1f} s; samples in {out}")
    prof.report()
    if res.failed:
        log(f"FAILED: {', '.join(res.failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
