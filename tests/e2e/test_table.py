"""--format table: a report for people; only checks what a reader relies on."""
import re

from conftest import run


def test_table_sections_live():
    r = run("snapshot", "-f", "table")
    assert r.rc == 0, r.err
    for section in ("System", "CPU", "Memory", "Disk", "Network", "Processes", "Top by CPU", "Top by memory"):
        assert re.search(rf"^\s*{section}\b", r.out, re.M), section
    # plain ASCII control-free output when not a terminal
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.out)


def test_table_quick_has_no_process_section():
    r = run("quick", "--format", "table")
    assert r.rc == 0
    assert "Processes" not in r.out and "Memory" in r.out


def test_table_neutralises_hostile_names():
    from conftest import fixture_roots
    r = run(*fixture_roots("host-hostile"), "snapshot", "-f", "table", "--cpu-window", "0")
    assert r.rc == 0, r.err
    assert "\x1b" not in r.out and "\u009b" not in r.out
    assert "?[31mred" in r.out          # ESC shown as '?'
    assert "x?y" in r.out               # newline in a name stays on one row
    assert "a) b (c" in r.out
    assert "\ufffd\ufffd bad" in r.out  # invalid UTF-8 replaced, not dropped


def _run_on_tty(*args, env_extra=None):
    """Runs build/30secs with stdout on a pseudo-terminal; returns the bytes."""
    import os
    import pty
    from conftest import BIN
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["LANG"] = "C.UTF-8"
    env.update(env_extra or {})
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(BIN, [BIN, *args], env)
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return b"".join(chunks)


def test_colour_only_on_a_terminal_and_without_no_color():
    coloured = _run_on_tty("quick", "-f", "table")
    assert b"\x1b[" in coloured and "\u2588".encode() in coloured or "\u2591".encode() in coloured
    plain = _run_on_tty("quick", "-f", "table", env_extra={"NO_COLOR": "1"})
    assert b"\x1b[" not in plain
    assert "\u2591".encode() not in plain and b"[" in plain


import os
import re as _re
import pytest
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def _normalise_table(text):
    """Drops what varies between runs on fixture roots: the time of the
    snapshot, and usage of mount points statvfs reaches on the real disk."""
    text = _re.sub(r"^30secs snapshot at .*$", "30secs snapshot at <time>", text, flags=_re.M)
    text = _re.sub(r"\s+[\d.]+ [KMGTPE]?B / +[\d.]+ [KMGTPE]?B +[\d.]+%$", " <usage>", text, flags=_re.M)
    return text


@pytest.mark.parametrize("scenario", ["host-basic", "host-hostile", "host-old-kernel"])
def test_table_golden(scenario):
    from conftest import fixture_roots
    r = run(*fixture_roots(scenario), "snapshot", "-f", "table", "--cpu-window", "0")
    assert r.rc == 0, r.err
    got = _normalise_table(r.out)
    path = GOLDEN / f"{scenario}.snapshot.table"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(got)
    assert path.exists(), f"missing {path}; run with UPDATE_GOLDEN=1 and review the diff"
    assert got == path.read_text()
