"""A throwaway PostgreSQL 15 cluster for the test suite, from Debian's packages.

`make test` starts one for its PostgreSQL stage (in .tmp/pg) and stops it afterwards, whatever
happened. By hand (in .tmp/pg-manual, so that `make test` leaves it alone):

    .venv/bin/python scripts/pg_cluster.py start   # prints export DATABASE_URL=...
    .venv/bin/python scripts/pg_cluster.py stop

The cluster trades durability for speed (fsync, synchronous commits and full-page writes are off):
it holds nothing worth keeping. It listens on 127.0.0.1 only, on a free port, with Unix sockets off,
and trusts every local connection.

PostgreSQL refuses to run as root, so when we are root the cluster belongs to the `postgres` user and
every server command runs as that user.
"""

import argparse
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")

DATABASE_NAME = "support_exchange"
SUPERUSER = "postgres"
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
}


class ClusterError(Exception):
    """The cluster could not be started or stopped; the message says why."""


@dataclass(frozen=True)
class Place:
    """Where a cluster lives, and the file that remembers it so that a later run can stop it."""

    base: Path
    state_file: Path


TEST_RUN = Place(base=ROOT / ".tmp" / "pg", state_file=ROOT / ".tmp" / "pg-cluster.json")
BY_HAND = Place(base=ROOT / ".tmp" / "pg-manual", state_file=ROOT / ".tmp" / "pg-manual.json")


@dataclass(frozen=True)
class Cluster:
    base: str  # the folder holding data/ and the server log
    port: int
    state_file: str

    @property
    def data_dir(self) -> Path:
        return Path(self.base) / "data"

    @property
    def log_file(self) -> Path:
        return Path(self.base) / "postgres.log"

    @property
    def database_url(self) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE_NAME}"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _as_server_user(command: list[str]) -> list[str]:
    if _running_as_root():
        return ["runuser", "-u", SUPERUSER, "--", *command]
    return command


def _run(command: list[str], *, what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ClusterError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user_can_write(folder: Path) -> bool:
    # A clone under a private home folder (/root is 0700) is out of the postgres user's reach even
    # after chown, because it cannot pass through the parent folders.
    probe = subprocess.run(_as_server_user(["test", "-w", str(folder)]), check=False)  # noqa: S603
    return probe.returncode == 0


def _candidate_bases(preferred: Path) -> Iterator[Path]:
    yield preferred
    yield Path(tempfile.mkdtemp(prefix="support-exchange-pg-"))


def _prepare_base(preferred: Path) -> Path:
    for base in _candidate_bases(preferred):
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        if _running_as_root():
            postgres = pwd.getpwnam(SUPERUSER)
            os.chown(base, postgres.pw_uid, postgres.pw_gid)
        if _server_user_can_write(base):
            return base
        shutil.rmtree(base)
    raise ClusterError(f"the {SUPERUSER} user can write neither {preferred} nor a folder under the temp folder")


def _initdb(cluster: Cluster) -> None:
    _run(
        _as_server_user(
            [
                str(PG_BIN / "initdb"),
                "--pgdata",
                str(cluster.data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ]
        ),
        what="initdb",
    )
    # initdb made postgresql.conf as the server user; appending keeps that owner.
    with (cluster.data_dir / "postgresql.conf").open("a") as conf:
        conf.write("\n# Throwaway test cluster (scripts/pg_cluster.py)\n")
        conf.write(f"port = {cluster.port}\n")
        for name, value in SERVER_SETTINGS.items():
            conf.write(f"{name} = {value}\n")


def _pg_ctl(cluster: Cluster, *args: str) -> subprocess.CompletedProcess:
    command = _as_server_user([str(PG_BIN / "pg_ctl"), "--pgdata", str(cluster.data_dir), *args])
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def start(place: Place = TEST_RUN) -> Cluster:
    """Create, start and fill a new cluster; one an earlier run left in the same place is stopped first."""
    if not (PG_BIN / "initdb").exists():
        raise ClusterError(f"PostgreSQL 15 is not installed at {PG_BIN} (Debian package postgresql-15)")
    stop_recorded(place)
    base = _prepare_base(place.base)
    cluster = Cluster(base=str(base), port=_free_port(), state_file=str(place.state_file))
    _initdb(cluster)
    started = _pg_ctl(cluster, "--wait", "--timeout", "60", "--log", str(cluster.log_file), "start")
    if started.returncode != 0:
        log = cluster.log_file.read_text() if cluster.log_file.exists() else ""
        raise ClusterError(f"pg_ctl start failed:\n{started.stdout}{started.stderr}\n{log}")
    place.state_file.parent.mkdir(parents=True, exist_ok=True)
    place.state_file.write_text(json.dumps(asdict(cluster)))
    _run(
        [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", SUPERUSER, DATABASE_NAME],
        what="createdb",
    )
    return cluster


def stop(cluster: Cluster) -> None:
    """Stop the server at once and delete its files: nothing in it is kept."""
    if (cluster.data_dir / "postmaster.pid").exists():
        _pg_ctl(cluster, "--mode", "immediate", "--wait", "stop")
    shutil.rmtree(cluster.base, ignore_errors=True)
    Path(cluster.state_file).unlink(missing_ok=True)


def stop_recorded(place: Place) -> None:
    """Stop the cluster the place's state file names, if an earlier run left one behind."""
    if place.state_file.exists():
        recorded = json.loads(place.state_file.read_text())
        stop(Cluster(base=recorded["base"], port=recorded["port"], state_file=str(place.state_file)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop"])
    action = parser.parse_args().action
    try:
        if action == "start":
            cluster = start(BY_HAND)
            print(f"export DATABASE_URL={cluster.database_url}")
        else:
            stop_recorded(BY_HAND)
    except ClusterError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
