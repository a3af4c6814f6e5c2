"""leak PID / leak top against programs with known behaviour (tests/progs/memshape.c)."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import BIN, run

PROGS = os.environ.get("THIRTYSECS_PROGS", os.path.join(os.path.dirname(BIN), "tests", "progs"))
MEMSHAPE = os.path.join(PROGS, "memshape")
ORDER = ["none", "low", "medium", "high"]


class Shape:
    def __init__(self, mode, *args):
        self.p = subprocess.Popen([MEMSHAPE, mode, *map(str, args)], stdout=subprocess.PIPE)
        assert self.p.stdout.readline() == b"ready\n"
        self.pid = self.p.pid

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


@pytest.fixture
def shape():
    made = []

    def start(mode, *args):
        s = Shape(mode, *args)
        made.append(s)
        return s

    yield start
    for s in made:
        s.stop()


def leak_json(pid, *extra):
    r = run("leak", str(pid), "-f", "json", "-i", "0.15", "-n", "30", *extra, timeout=60)
    assert r.rc == 0, r.err
    return r.json()


def test_linear_leak_is_high(shape):
    s = shape("linear", 256, 100)
    doc = leak_json(s.pid)
    assert doc["confidence"] == "high", doc["diagnosis"]
    assert 85 <= doc["score"] <= 95
    assert doc["sample_count"] == 30 and 4.0 < doc["duration_seconds"] < 5.5
    rss = doc["rss"]
    for key in ("start", "end", "growth", "growth_percent", "increasing_ratio", "slope", "r_squared", "samples"):
        assert key in rss
    assert len(rss["samples"]) == 30 and rss["growth"] > 0
    assert doc["uss"]["end"] > 0 and doc["pss"]["end"] > 0  # from smaps_rollup


def test_flat_is_none(shape):
    s = shape("flat", 1024, 100)
    time.sleep(0.3)
    doc = leak_json(s.pid)
    assert doc["confidence"] == "none", doc["diagnosis"]
    assert doc["resource_warnings"] == []


def test_gc_sawtooth_without_growth_is_at_most_low(shape):
    s = shape("sawtooth", 1024, 100)
    doc = leak_json(s.pid)
    assert ORDER.index(doc["confidence"]) <= ORDER.index("low"), doc["diagnosis"]


def test_sawtooth_with_rising_floor_is_at_least_medium(shape):
    s = shape("sawtooth-rising", 1024, 60)
    doc = leak_json(s.pid, "-n", "60")
    assert ORDER.index(doc["confidence"]) >= ORDER.index("medium"), doc["diagnosis"]


def test_warmup_then_flat_is_at_most_low(shape):
    s = shape("warmup", 1024, 100)
    doc = leak_json(s.pid)
    assert ORDER.index(doc["confidence"]) <= ORDER.index("low"), doc["diagnosis"]


def test_fd_leak_raises_a_warning_naming_fds(shape):
    s = shape("fds", 0, 50)
    doc = leak_json(s.pid)
    assert any("FD" in w for w in doc["resource_warnings"]), doc["resource_warnings"]


def test_thread_leak_raises_a_warning_naming_threads(shape):
    s = shape("threads", 0, 50)
    doc = leak_json(s.pid)
    assert any("thread" in w for w in doc["resource_warnings"]), doc["resource_warnings"]


def test_table_report_has_a_sparkline(shape):
    s = shape("linear", 256, 100)
    r = run("leak", str(s.pid), "-i", "0.1", "-n", "12")
    assert r.rc == 0, r.err
    assert "Verdict" in r.out and "Diagnosis" in r.out
    line = [l for l in r.out.splitlines() if l.startswith("RSS")][0]
    assert "_" in line and "#" in line  # ASCII chart when not a terminal


def test_sigint_stops_early_and_reports(shape):
    s = shape("linear", 256, 100)
    p = subprocess.Popen([BIN, "leak", str(s.pid), "-f", "json", "-i", "0.1", "-n", "1000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    assert p.returncode == 0, err
    doc = json.loads(out)
    assert 5 <= doc["sample_count"] < 1000


def test_process_exiting_mid_sampling(shape):
    s = shape("linear", 256, 100)
    p = subprocess.Popen([BIN, "leak", str(s.pid), "-f", "json", "-i", "0.1", "-n", "100"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    s.stop()
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    doc = json.loads(out)
    assert doc["exited"] is True and 0.5 < doc["exited_after_seconds"] < 3
    assert f"PID {s.pid} exited after" in err.decode()


def test_errors():
    r = run("leak", "999999")
    assert r.rc == 1 and "no process with PID 999999" in r.err and r.out == ""
    for args, needle in ((["abc"], "'abc' is not a PID"), (["1", "-n", "1"], "--count"),
                         (["1", "-i", "0"], "--interval"), (["1", "-i", "-2"], "--interval"),
                         ([], "give a PID"), (["1", "-f", "xml"], "xml"), (["1", "2"], "unexpected")):
        r = run("leak", *args)
        assert r.rc == 2 and r.out == "" and needle in r.err, (args, r.err)
        assert len(r.err.strip().splitlines()) == 1


def test_leak_top_ranks_the_leaker_first(shape):
    leaker = shape("linear", 2048, 100)
    flat = shape("flat", 8192, 100)  # heavier than the leaker at the start
    r = run("leak", "top", "-f", "json", "-i", "0.15", "-n", "25", "-l", "20", timeout=60)
    assert r.rc == 0, r.err
    doc = r.json()
    cands = {c["pid"]: c for c in doc["candidates"]}
    assert leaker.pid in cands and flat.pid in cands
    assert cands[leaker.pid]["rank"] < cands[flat.pid]["rank"]
    assert cands[leaker.pid]["confidence"] == "high"
    ranks = [c["rank"] for c in doc["candidates"]]
    assert ranks == list(range(1, len(ranks) + 1))


def test_leak_top_reports_exited_processes(shape):
    s = shape("flat", 65536, 100)  # 64 MiB: certainly among the top 5
    p = subprocess.Popen([BIN, "leak", "top", "-f", "json", "-i", "0.1", "-n", "20", "-l", "5"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.8)
    s.stop()
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    cands = {c["pid"]: c for c in json.loads(out)["candidates"]}
    assert s.pid in cands and cands[s.pid]["exited"] is True


def test_leak_top_table():
    r = run("leak", "top", "-i", "0.05", "-n", "3", "-l", "3")
    assert r.rc == 0, r.err
    assert "RANK" in r.out and "Top diagnoses" in r.out
