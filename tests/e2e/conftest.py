"""Shared helpers: run build/30secs as a user would and parse what it prints."""
import json
import os
import pwd
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BIN = os.environ.get("THIRTYSECS_BIN", str(ROOT / "build" / "30secs"))


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)


def run(*args, env=None, user=None, timeout=60, stdin=None):
    cmd = [BIN, *args]
    if user is not None:
        # setpriv (util-linux) drops to the user without a login shell.
        uid = pwd.getpwnam(user)
        cmd = ["setpriv", f"--reuid={uid.pw_uid}", f"--regid={uid.pw_gid}", "--clear-groups", *cmd]
    full_env = dict(os.environ)
    full_env.pop("LOG_LEVEL", None)
    if env:
        full_env.update(env)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout,
                          stdin=stdin, errors="strict")
    return Result(proc)


def fixture_roots(name):
    base = FIXTURES / name
    return ["--procfs", str(base / "proc"), "--sysfs", str(base / "sys"), "--rootfs", str(base / "root")]


def contract_keys():
    """Key paths of the original tool's snapshot (tests/fixtures/snapshot-keys.txt):
    returns (always, conditional) lists of dotted paths."""
    always, conditional = [], []
    target = always
    for line in (FIXTURES / "snapshot-keys.txt").read_text().splitlines():
        if line.startswith("# Present only"):
            target = conditional
            continue
        if not line or line.startswith("#"):
            continue
        target.append(line.strip())
    return always, conditional


def lookup(doc, path):
    """Follows a dotted contract path; '[]' means every element of an array,
    '{map}' an object with data keys. Returns a list of the values found
    (empty when an array is empty); raises KeyError naming the missing part."""
    values = [doc]
    for part in path.split("."):
        nxt = []
        for v in values:
            if part == "[]":
                if not isinstance(v, list):
                    raise KeyError(f"{path}: expected an array, got {type(v).__name__}")
                nxt.extend(v)
            elif part == "{map}":
                if not isinstance(v, dict):
                    raise KeyError(f"{path}: expected an object, got {type(v).__name__}")
                nxt.append(v)
            else:
                if not isinstance(v, dict) or part not in v:
                    raise KeyError(f"{path}: missing '{part}'")
                nxt.append(v[part])
        values = nxt
    return values


@pytest.fixture
def tmp_out(tmp_path):
    return tmp_path / "out.jsonl"
