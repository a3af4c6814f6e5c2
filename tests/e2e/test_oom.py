"""oom over saved logs (--input), errors, and an unprivileged run."""
import glob
import json
import os

from conftest import FIXTURES, run

CORPUS = sorted(glob.glob(str(FIXTURES / "oom" / "*.log")))


def expected(log):
    with open(log[: -len(".log")] + ".expected.json") as f:
        return json.load(f)


def test_every_corpus_file_through_the_cli():
    assert len(CORPUS) >= 17
    for log in CORPUS:
        exp = expected(log)
        r = run("oom", "--input", log, "-f", "json")
        assert r.rc == 0, (log, r.err)
        doc = r.json()
        assert doc["total_events"] == exp["event_count"], log
        got = sorted((e["pid"], e["name"], e["anon_rss_kb"], e["memcg_limit_kb"]) for e in doc["events"])
        want = sorted((e["pid"], e["name"], e["anon_rss_kb"], e["memcg_limit_kb"]) for e in exp["events"])
        assert got == want, log
        assert doc["sources"] == [f"file:{log}"[:105]] or doc["sources"][0].startswith("file:")


def test_several_inputs_and_stdin():
    a, b = CORPUS[0], CORPUS[1]
    with open(b, "rb") as f:
        r = run("oom", "--input", a, "--input", "-", "-f", "json", stdin=f)
    assert r.rc == 0, r.err
    assert r.json()["total_events"] == expected(a)["event_count"] + expected(b)["event_count"]


def test_most_killed_and_per_cgroup_counts():
    burst = [l for l in CORPUS if "burst" in l][0]
    doc = run("oom", "--input", burst, "-f", "json").json()
    assert doc["most_killed_process"] is not None
    assert sum(doc["kills_per_cgroup"].values()) == doc["total_events"] == 5


def test_table_output_and_hostile_names():
    evil = [l for l in CORPUS if "evil" in l][0]
    r = run("oom", "--input", evil)
    assert r.rc == 0 and "Most killed:" in r.out
    assert "\x1b" not in r.out


def test_since_filters_by_time():
    iso = [l for l in CORPUS if "dmesg-iso" in l][0]
    assert run("oom", "--input", iso, "-f", "json", "--since", "2026-11-25T00:00:00Z").json()["total_events"] == 1
    assert run("oom", "--input", iso, "-f", "json", "--since", "2026-11-26").json()["total_events"] == 0


def test_errors():
    r = run("oom", "--input", "/nonexistent.log")
    assert r.rc == 1 and "/nonexistent.log" in r.err and r.out == ""
    for args, needle in ((["--since", "yesterday"], "--since"), (["-f", "xml"], "xml"),
                         (["--follow", "--input", "x"], "--follow"), (["extra"], "extra")):
        r = run("oom", *args)
        assert r.rc == 2 and r.out == "" and needle in r.err, (args, r.err)


def test_malformed_and_binary_input_never_crash(tmp_path):
    junk = tmp_path / "junk.log"
    junk.write_bytes(os.urandom(200000) + b"\nKilled process 12 (x) total-vm:\n[ 1.0] Killed process\n")
    r = run("oom", "--input", str(junk), "-f", "json")
    assert r.rc == 0
    json.loads(r.out)


def test_unprivileged_user_gets_a_clear_source_error():
    r = run("oom", "-f", "json", user="nobody")
    assert r.rc == 0, r.err
    doc = r.json()
    with open("/proc/sys/kernel/dmesg_restrict") as f:
        restricted = f.read().strip() == "1"
    if restricted:
        assert any("CAP_SYSLOG" in e for e in doc["source_errors"]), doc["source_errors"]
        assert "CAP_SYSLOG" in r.err
