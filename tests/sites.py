"""Sites of their own for the tests that run Iskra's commands or servers as processes:
a var folder with an SQLite database, built once per test session and copied for each
test (a migration takes half a minute, the demo as long again)."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ISKRA = [sys.executable, "-m", "iskra.cli"]


def site_env(folder, **extra):
    """The environment of a site whose var folder is ``folder`` (SQLite, no Redis)."""
    env = {
        **os.environ,
        "ISKRA_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "iskra.settings.base",
        "PYTHONPATH": str(ROOT),
        "TASKS_BACKEND": "immediate",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def build(folder, *commands):
    """Run ``iskra`` ``commands`` in a new site at ``folder``; return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for command in commands:
        result = subprocess.run(
            [*ISKRA, *command], env=site_env(folder), cwd=ROOT, capture_output=True, text=True
        )
        if result.returncode:
            raise AssertionError(f"iskra {' '.join(command)}:\n{result.stdout}{result.stderr}")
    return folder


def copy(template, folder):
    """A copy of the site ``template`` at ``folder`` (its database, media and keys)."""
    shutil.copytree(template, folder, dirs_exist_ok=True)
    return folder


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
