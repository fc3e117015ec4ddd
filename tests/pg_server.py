"""A throwaway PostgreSQL server for the test run: initdb in a temporary folder, a unix socket,
no TCP. Runs as the ``postgres`` user when the tests run as root (PostgreSQL refuses root)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PgServer:
    """``with PgServer() as server:`` starts the server in a fresh temporary folder; leaving the
    block stops it and removes the folder, also when starting failed halfway."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed (initdb not found); run the tests with ./dev test, "
                               "which installs Debian's postgresql package")
        self.run_as: str | None = "postgres" if os.geteuid() == 0 else None
        self.user = "tta"
        self.root: Path | None = None

    def __enter__(self) -> PgServer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def data(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "data"

    @property
    def sock(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "sock"

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tta-pg-"))
        try:
            self.sock.mkdir()
            if self.run_as:
                pw = pwd.getpwnam(self.run_as)
                for p in (self.root, self.sock):
                    os.chown(p, pw.pw_uid, pw.pw_gid)
            subprocess.run(self._cmd("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                                     "--locale=C.UTF-8", "--no-sync"),
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            opts = f"-k {self.sock} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"),
                                     "-w", "start"), check=True, stdout=subprocess.DEVNULL)
        except BaseException:
            self.stop()
            raise

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.sock}"

    def stop(self) -> None:
        if self.root is None:
            return
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
