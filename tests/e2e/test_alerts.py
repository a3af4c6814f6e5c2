"""--alerts: exit codes, stderr-only logs, environment thresholds."""
import json

from conftest import fixture_roots, run

# host-basic: memory 1.3% used (captured from an idle VM), cgroup v2 at 25.0% of its limit.
BASIC = fixture_roots("host-basic")


def test_no_alert_exit_0_and_empty_list():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0")
    assert r.rc == 0, r.err
    assert r.json()["alerts"] == []


def test_memory_alert_exit_1_json_still_parses():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0", env={"ALERT_MEMORY_THRESHOLD": "1"})
    assert r.rc == 1
    doc = json.loads(r.out)  # stdout holds only the record
    rules = {a["rule"]: a for a in doc["alerts"]}
    assert rules["memory"]["severity"] == "warning" and rules["memory"]["threshold"] == 1
    # one structured log line per alert on stderr
    lines = [l for l in r.err.splitlines() if "event=alert" in l]
    assert len(lines) == 1 and "rule=memory" in lines[0] and "level=warn" in lines[0]


def test_critical_replaces_warning():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0",
            env={"ALERT_MEMORY_THRESHOLD": "1", "ALERT_MEMORY_CRITICAL_THRESHOLD": "1.2"})
    assert r.rc == 1
    rules = [a["rule"] for a in r.json()["alerts"]]
    assert "memory_critical" in rules and "memory" not in rules


def test_cgroup_rule_uses_the_container_limit():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0", env={"ALERT_CGROUP_THRESHOLD": "20"})
    assert r.rc == 1
    (a,) = [a for a in r.json()["alerts"] if a["rule"] == "cgroup_memory"]
    assert a["value"] == 25.0


def test_bad_environment_value_warns_and_uses_default():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0", env={"ALERT_MEMORY_THRESHOLD": "lots"})
    assert r.rc == 0
    assert "ALERT_MEMORY_THRESHOLD" in r.err and "lots" in r.err
    assert r.json()["alerts"] == []


def test_alerts_without_flag_are_not_evaluated():
    r = run(*BASIC, "snapshot", "--cpu-window", "0", env={"ALERT_MEMORY_THRESHOLD": "1"})
    assert r.rc == 0 and "alerts" not in r.json()


def test_watch_alerts_go_to_stderr_and_watch_keeps_running():
    r = run(*BASIC, "watch", "--alerts", "-i", "0.05", "-n", "3", env={"ALERT_MEMORY_THRESHOLD": "1"})
    assert r.rc == 0
    assert len(r.out.splitlines()) == 3
    assert sum("rule=memory" in l for l in r.err.splitlines()) == 3


def test_log_level_error_hides_warnings():
    r = run(*BASIC, "snapshot", "--alerts", "--cpu-window", "0",
            env={"ALERT_MEMORY_THRESHOLD": "1", "LOG_LEVEL": "ERROR"})
    assert r.rc == 1 and r.err == ""


def test_include_hostname_0():
    r = run(*BASIC, "snapshot", "--cpu-window", "0", "-f", "table", env={"INCLUDE_HOSTNAME": "0"})
    assert "fixture-host" not in r.out
    r = run(*BASIC, "snapshot", "--cpu-window", "0", env={"INCLUDE_HOSTNAME": "0"})
    assert "fixture-host" not in r.out and r.json()["system"]["hostname"] is None
