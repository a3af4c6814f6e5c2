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
