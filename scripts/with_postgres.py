"""Run a command beside a throwaway PostgreSQL server, then stop the server and delete it.

    python scripts/with_postgres.py -- python -m pytest

The server runs from Debian's ``postgresql`` package (installed with apt-get when it is missing
and this runs as root), in a temporary directory, listening on a Unix socket only, with its
database cluster created for this run. The command sees the server in the environment as
``INFLUCAMPAIGN_TEST_PG_URL`` (an SQLAlchemy URL). When the server cannot start, the command
runs without it, unless ``CI`` is ``true``: then this fails, so that no PostgreSQL test is
ever skipped in CI.

The cluster is created with an ICU collation (not ``C``) on purpose: influcampaign must sort
ids the same way on every server, whatever its default collation.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER_USER = "postgres"  # PostgreSQL refuses to run as root: Debian's package creates this user
DATABASE = "influcampaign"


def _log(message: str) -> None:
    print(f"with_postgres: {message}", file=sys.stderr, flush=True)


def _bindir() -> Path | None:
    """The directory of pg_ctl/initdb (Debian keeps them out of PATH), newest version first."""

    def major(path: str) -> int:
        name = Path(path).parent.parent.name
        return int(name) if name.isdigit() else 0

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=major, reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _install() -> None:
    """Install Debian's PostgreSQL server (root only; the package registry is reachable)."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    _log("PostgreSQL is not installed: installing Debian's postgresql package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
        check=True,
        env=env,
    )


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", SERVER_USER, "--", *argv]


def _start(bindir: Path, root: Path) -> str:
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        for path in (root, data, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
    root.chmod(0o755)
    owner = SERVER_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", owner, "-A", "trust", "-E", "UTF8"]
    icu = [*initdb, "--locale-provider=icu", "--icu-locale=und", "--locale=C.UTF-8"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    if subprocess.run(_as_server_user(icu), check=False, **quiet).returncode != 0:  # type: ignore[call-overload]
        shutil.rmtree(data)
        data.mkdir()
        if os.geteuid() == 0:
            os.chown(data, pwd.getpwnam(SERVER_USER).pw_uid, pwd.getpwnam(SERVER_USER).pw_gid)
        subprocess.run(_as_server_user(initdb), check=True, **quiet)  # type: ignore[call-overload]
    options = (
        f"-k {sockets} -c listen_addresses='' -c max_connections=300 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB"
    )
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log")]
    subprocess.run(
        _as_server_user([*start, "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [str(bindir / "createdb"), "-h", str(sockets), "-U", owner, DATABASE], check=True
    )
    return f"postgresql+psycopg://{owner}@/{DATABASE}?host={sockets}"


def _stop(bindir: Path, root: Path) -> None:
    subprocess.run(
        _as_server_user(
            [str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"]
        ),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    ci = os.environ.get("CI", "").lower() == "true"
    bindir = _bindir()
    if bindir is None:
        try:
            _install()
        except subprocess.CalledProcessError as e:
            _log(f"could not install PostgreSQL: {e}")
        bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="ic-pg-"))
    env = dict(os.environ)
    started = False
    try:
        if bindir is None:
            raise RuntimeError("no PostgreSQL server found (Debian package postgresql)")
        env["INFLUCAMPAIGN_TEST_PG_URL"] = _start(bindir, root)
        started = True
        _log(f"PostgreSQL from {bindir} is up at {env['INFLUCAMPAIGN_TEST_PG_URL']}")
    except (RuntimeError, OSError, subprocess.CalledProcessError, KeyError) as e:
        log = root / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        _log(f"PostgreSQL could not start: {e}\n{detail}")
        if ci:
            _log("CI=true: PostgreSQL tests may not be skipped, failing")
            return 1
        _log("running without PostgreSQL (its tests are skipped outside CI)")
    try:
        return subprocess.run(argv, env=env, check=False).returncode
    finally:
        if started and bindir is not None:
            _stop(bindir, root)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
