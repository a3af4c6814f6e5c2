"""The command line itself: help, version, health, usage errors."""
import json
import re

from conftest import run


def test_help_lists_commands():
    r = run("--help")
    assert r.rc == 0
    for cmd in ("snapshot", "quick", "health", "version"):
        assert re.search(rf"^\s+{cmd}\s", r.out, re.M), cmd


def test_version_forms_agree():
    outs = {run(a).out for a in ("--version", "-V", "version")}
    assert len(outs) == 1
    assert re.fullmatch(r"30secs \d+\.\d+\.\d+\n", outs.pop())


def test_command_help():
    r = run("snapshot", "--help")
    assert r.rc == 0
    assert "--no-processes" in r.out and "--procfs" in r.out


def test_health_is_one_json_line():
    r = run("health", env={"SERVICE_NAME": 'svc "quoted"'})
    assert r.rc == 0
    assert r.out.count("\n") == 1
    doc = json.loads(r.out)
    assert doc["ok"] is True and doc["status"] == "ok"
    assert doc["service"] == 'svc "quoted"'
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", doc["timestamp"])


def test_health_default_service():
    assert run("health", env={"SERVICE_NAME": ""}).json()["service"] == "30secs"


def usage_error(r, needle):
    assert r.rc == 2, (r.rc, r.err)
    assert r.out == ""
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert needle in r.err


def test_no_command():
    usage_error(run(), "no command")


def test_unknown_command():
    usage_error(run("snapshop"), "unknown command 'snapshop'")


def test_unknown_flag():
    usage_error(run("snapshot", "--bogus"), "--bogus")


def test_missing_flag_value():
    usage_error(run("snapshot", "--format"), "--format")


def test_unknown_format():
    usage_error(run("snapshot", "-f", "xml"), "xml")


def test_extra_argument():
    usage_error(run("quick", "extra"), "extra")


def test_bad_procfs_is_runtime_error():
    r = run("--procfs", "/nonexistent/proc", "quick")
    assert r.rc == 1 and r.out == ""
    assert "--procfs" in r.err
