"""Where the database file lives: a synced or network folder breaks SQLite's locking (RELIABILITY.md).

Detected by the path (a folder of OneDrive, Dropbox, Google Drive, iCloud, Nextcloud, a UNC path)
and, on Linux, by the file system of the mount the file is on (``/proc/mounts``: SMB/CIFS, NFS,
sshfs and other FUSE mounts). The warning names PostgreSQL for teams that share their data.
"""
from __future__ import annotations

from pathlib import Path

SYNC_NAMES = ("onedrive", "dropbox", "google drive", "googledrive", "my drive", "icloud", "icloud drive",
              "mobile documents", "nextcloud", "owncloud", "box sync", "sync.com")
NETWORK_FS = ("cifs", "smb", "smb2", "smb3", "smbfs", "nfs", "nfs4", "afs", "9p", "fuse.sshfs", "davfs",
              "fuse.davfs2", "fuse.rclone", "fuse.gcsfuse", "webdav")


def synced_folder(path: Path) -> str:
    """The name of the sync service whose folder holds ``path`` ("" when none is recognised)."""
    for part in Path(path).resolve().parts:
        low = part.lower()
        for name in SYNC_NAMES:
            if low == name or low.startswith(name + " ") or low.startswith(name + "-"):
                return part
    return ""


def mount_fs(path: Path, mounts: str | None = None) -> str:
    """The file system type of the mount holding ``path`` (Linux; "" elsewhere)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = str(Path(path).resolve())
    best, fs = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, fs = point, parts[2]
    return fs


def location_warning(path: Path | None, *, mounts: str | None = None) -> str:
    """A Danish warning when the database lies in a synced or network folder, else ""."""
    if path is None:
        return ""
    where = ""
    if str(path).startswith(("\\\\", "//")):
        where = "en netværksmappe"
    elif name := synced_folder(path):
        where = f"en synkroniseret mappe ({name})"
    else:
        fs = mount_fs(path, mounts)
        if fs.lower() in NETWORK_FS or (fs.lower().startswith(("fuse.", "nfs")) and fs.lower() != "fuse.portal"):
            where = f"et netværksdrev ({fs})"
    if not where:
        return ""
    return (f"Databasen ligger i {where}. Der virker SQLite's låse ikke sikkert, og data kan gå tabt eller "
            "blive beskadiget. Flyt databasen til en lokal disk på denne pc; et team, der deler data, bruger en "
            "PostgreSQL-server.")

