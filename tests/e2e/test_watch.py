"""watch: JSON Lines, monotonic ticks, signals and write errors."""
import json
import os
import signal
import subprocess
import time

from conftest import BIN, fixture_roots, run


def test_jsonl_count_and_interval():
    t0 = time.monotonic()
    r = run("watch", "-i", "0.2", "-n", "5", "--no-processes", "--no-disk")
    elapsed = time.monotonic() - t0
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert len(lines) == 5
    docs = [json.loads(line) for line in lines]
    # CPU percent comes from the delta between ticks: present on every record.
    assert all(d["cpu"]["percent"] is not None for d in docs)
    # 100 ms window + 4 intervals of 200 ms, plus start-up; generous upper bound.
    assert 0.85 <= elapsed < 3.0, elapsed


def test_ticks_do_not_drift():
    """Ticks are scheduled on absolute monotonic deadlines: over 20 ticks of
    100 ms the timestamps stay on the grid (collection time is not added)."""
    r = run("watch", "-i", "0.1", "-n", "20", "--no-network", "--no-disk", *fixture_roots("host-basic"))
    assert r.rc == 0, r.err
    from datetime import datetime
    ts = [datetime.fromisoformat(json.loads(l)["timestamp"]).timestamp() for l in r.out.splitlines()]
    assert len(ts) == 20
    total = ts[-1] - ts[0]
    assert abs(total - 1.9) < 0.1, total


def test_output_file_is_valid_jsonl(tmp_path):
    out = tmp_path / "metrics.jsonl"
    r = run("watch", "-i", "0.05", "-n", "3", "--no-processes", "--output", str(out))
    assert r.rc == 0 and r.out == ""
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and all(json.loads(l)["schema_version"] == 1 for l in lines)


def test_sigterm_mid_watch_keeps_whole_records(tmp_path):
    out = tmp_path / "metrics.jsonl"
    p = subprocess.Popen([BIN, "watch", "-i", "0.05", "--output", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.8)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=10)
    assert p.returncode == 0, err
    text = out.read_text()
    assert text.endswith("\n")
    lines = text.splitlines()
    assert len(lines) >= 2
    for line in lines:
        json.loads(line)


def test_sigint_on_stdout_stream():
    p = subprocess.Popen([BIN, "watch", "-i", "0.05", "--no-processes"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.6)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=10)
    assert p.returncode == 0
    for line in out.decode().splitlines():
        json.loads(line)


def test_disk_full_is_reported():
    r = run("watch", "-i", "0.05", "-n", "3", "--output", "/dev/full")
    assert r.rc == 1 and "No space left" in r.err and r.out == ""


def test_bad_interval_and_count():
    for args, needle in ((["-i", "0"], "--interval"), (["-i", "abc"], "--interval"),
                         (["-i", "-1"], "--interval"), (["-n", "x"], "--count"), (["-n", "-2"], "--count")):
        r = run("watch", *args)
        assert r.rc == 2 and r.out == "" and needle in r.err, (args, r.err)


def test_default_interval_from_env_and_bad_env_warns():
    # A bad value warns (naming the variable) and falls back to 30 s; with
    # --count 1 the first record comes after the 100 ms window anyway.
    r = run("watch", "-n", "1", "--no-processes", env={"DEFAULT_INTERVAL_SECONDS": "soon"})
    assert r.rc == 0
    assert "DEFAULT_INTERVAL_SECONDS" in r.err
    json.loads(r.out)


def test_table_stream_not_a_terminal():
    r = run("watch", "-f", "table", "-i", "0.05", "-n", "2", "--no-processes")
    assert r.rc == 0
    assert r.out.count("30secs snapshot at") == 2
    assert "\x1b" not in r.out  # no clear-screen codes into a pipe
