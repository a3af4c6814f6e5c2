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


def test_prometheus_not_yet_is_usage_error():
    r = run("snapshot", "-f", "prometheus")
    assert r.rc == 2 and r.out == "" and "prometheus" in r.err


def test_table_neutralises_hostile_names():
    from conftest import fixture_roots
    r = run(*fixture_roots("host-hostile"), "snapshot", "-f", "table", "--cpu-window", "0")
    assert r.rc == 0, r.err
    assert "\x1b" not in r.out and "\u009b" not in r.out
    assert "?[31mred" in r.out          # ESC shown as '?'
    assert "x?y" in r.out               # newline in a name stays on one row
    assert "a) b (c" in r.out
    assert "\ufffd\ufffd bad" in r.out  # invalid UTF-8 replaced, not dropped
