"""`inspect PID`: against the inspect-* fixture trees (exact values from
their META files), against a child process of known shape, as the nobody
user, and its errors."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, fixture_roots, run

TCK = os.sysconf("SC_CLK_TCK")
KB = 1024
SECRETS = ("hunter2", "AKIAFAKESECRET123", "AWS_SECRET", "DATABASE_URL", "SECRET_TOKEN", "xyz")


def inspect(scenario, pid, *extra):
    r = run(*fixture_roots(scenario), "inspect", str(pid), "--cpu-window", "0", *extra)
    assert r.rc == 0, (r.rc, r.err)
    assert r.err == ""
    return r


def inspect_json(scenario, pid):
    return json.loads(inspect(scenario, pid, "-f", "json").out)


# ---- fixture trees --------------------------------------------------------------

def test_basic_json_exact():
    d = inspect_json("inspect-basic", 4242)
    assert d["pid"] == 4242
    assert d["name"] == "python3"
    assert d["state"] == "sleeping"
    assert (d["uid"], d["euid"], d["user"]) == (33, 33, "www-data")
    assert d["cmdline"] == "/usr/bin/python3 app.py --name 'my app' --quote 'it'\\''s'"
    assert d["cwd"] == "/srv/app"
    assert d["start_time"] == round(1700000000 + 12345 / TCK, 2)
    assert d["start_time_iso"].startswith("2023-11-14T22:")
    assert (d["ppid"], d["parent_name"]) == (1, "systemd")
    assert d["children"] == [{"pid": 4243, "name": "worker"}, {"pid": 4244, "name": "worker 2"}]
    assert d["threads"] == 3
    assert d["cpu_percent"] is None  # --cpu-window 0
    m = d["memory"]
    assert (m["rss"], m["vms"], m["swap"]) == (10240 * KB, 102400 * KB, 512 * KB)
    assert (m["rss_anon"], m["rss_file"], m["rss_shmem"]) == (8192 * KB, 2048 * KB, 0)
    assert (m["uss"], m["pss"]) == ((512 + 8192) * KB, 9000 * KB)
    assert m["rss_human"] == "10.0 MB"
    s = d["smaps_rollup"]
    expect = {"rss": 10240, "pss": 9000, "pss_anon": 8192, "pss_file": 808, "pss_shmem": 0,
              "shared_clean": 1536, "shared_dirty": 0, "private_clean": 512, "private_dirty": 8192,
              "referenced": 10000, "anonymous": 8192, "lazy_free": 0, "anon_huge_pages": 2048,
              "swap": 512, "swap_pss": 256, "locked": 4}
    assert {k: s[k] for k in expect} == {k: v * KB for k, v in expect.items()}
    assert d["page_faults"] == {"minor": 1500, "major": 7}
    assert d["context_switches"] == {"voluntary": 120, "involuntary": 7}
    assert d["fds"] == {"total": 10, "file": 2, "socket": 4, "pipe": 2, "anon_inode": 1, "other": 1}
    assert d["sockets"] == [
        {"proto": "tcp", "local": "0.0.0.0:8080", "remote": None, "state": "LISTEN", "inode": 5001},
        {"proto": "tcp6", "local": "[::1]:8443", "remote": "[2001:db8::1]:51000",
         "state": "ESTABLISHED", "inode": 5002},
        {"proto": "udp", "local": "127.0.0.1:5353", "remote": None, "state": "NONE", "inode": 5003},
    ]
    c = d["cgroup"]
    assert (c["version"], c["path"]) == (2, "/app.slice/web.service")
    assert (c["memory_limit"], c["memory_usage"], c["memory_percent"]) == (512 << 20, 128 << 20, 25.0)
    assert "read_from" not in c
    assert (d["oom_score"], d["oom_score_adj"]) == (683, -500)
    assert d["environment"] == {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/var/www",
                                "USER": "www-data", "LANG": "C.UTF-8", "NODE_ENV": "production"}
    assert d["unavailable"] == ["cpu_percent"]


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("scenario,pid", [("inspect-basic", 4242), ("inspect-hostile", 666)])
def test_secrets_never_printed(scenario, pid, fmt):
    r = inspect(scenario, pid, "-f", fmt)
    for s in SECRETS:
        assert s not in r.out, s
    assert "PATHOLOGICAL" not in r.out and "/second/path" not in r.out


def test_basic_table():
    out = inspect("inspect-basic", 4242, "-f", "table").out
    assert out.startswith("30secs inspect: PID 4242 (python3)\n")
    lines = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith(" ")}
    assert "user www-data (uid 33)" in lines["Process"]
    assert lines["Command"].endswith("--name 'my app' --quote 'it'\\''s'")
    assert lines["Parent"].split(None, 1)[1] == "1 (systemd)"
    assert lines["Children"].split(None, 1)[1] == "2: 4243 (worker), 4244 (worker 2)"
    assert "RSS 10.0 MB" in lines["Memory"] and "USS 8.5 MB" in lines["Memory"]
    assert "Private_Dirty 8.0 MB" in lines["Mappings"]
    assert "minor 1500  major 7" in lines["Faults"]
    assert lines["FDs"].split(None, 1)[1] == "10 open: 2 file, 4 socket, 2 pipe, 1 anon_inode, 1 other"
    assert re.search(r"^\s+tcp6\s+\[::1\]:8443\s+\[2001:db8::1\]:51000\s+ESTABLISHED$", out, re.M)
    assert re.search(r"^\s+tcp\s+0\.0\.0\.0:8080\s+-\s+LISTEN$", out, re.M)
    assert "memory limit 512.0 MB  usage 128.0 MB (25.0% of limit)" in lines["Cgroup"]
    assert lines["OOM"].split(None, 1)[1] == "score 683  adj -500"
    assert "NODE_ENV=production" in out and "JAVA_HOME" not in out.split("Env", 1)[1]


def test_hostile_json():
    d = inspect_json("inspect-hostile", 666)
    assert d["name"] == "a) (b\x1b[31m\nc"  # exact bytes, escaped by JSON
    assert d["cmdline"] == "evil: master process \x1b]0;pwned\x07"
    for key in ("uid", "user", "cwd", "start_time", "parent_name", "smaps_rollup", "fds", "sockets",
                "oom_score", "oom_score_adj"):
        assert d[key] is None, key
    assert d["memory"]["rss"] is None and d["memory"]["vms"] is None and d["memory"]["uss"] is None
    assert d["memory"]["swap"] == 1024
    assert d["page_faults"] == {"minor": None, "major": 3}  # only the overflowing counter is lost
    assert d["threads"] == 2
    assert d["children"] == [{"pid": 667, "name": "child"}]
    assert d["cgroup"]["path"] == "/gone.slice/x.service"
    assert d["cgroup"]["read_from"] == "/gone.slice"
    assert d["cgroup"]["memory_limit"] == 1 << 30
    assert d["environment"] == {"HOME": "/root\x1b]0;pwned\x07", "LANG": ""}
    assert set(d["unavailable"]) == {"uid", "cwd", "start_time", "cpu_percent", "smaps_rollup",
                                     "page_faults", "fds", "sockets", "oom_score", "oom_score_adj"}


def test_hostile_table_is_terminal_safe():
    out = inspect("inspect-hostile", 666, "-f", "table").out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]", out)
    assert out.startswith("30secs inspect: PID 666 (a) (b?[31m?c)\n")
    assert "Command    evil: master process ?]0;pwned?" in out
    for label in ("Cwd", "Started", "Mappings", "FDs", "Sockets"):
        assert re.search(rf"^{label}\s+n/a$", out, re.M), label
    assert "user n/a" in out
    assert "minor n/a  major 3" in out


def test_kernel_thread_and_zombie():
    d = inspect_json("inspect-hostile", 700)
    assert d["name"] == "kworker/0:1-events"
    assert d["state"] == "idle"
    assert d["cmdline"] is None and d["smaps_rollup"] is None
    assert d["fds"]["total"] == 0
    assert d["environment"] == {}
    z = inspect_json("inspect-hostile", 701)
    assert z["state"] == "zombie"


def test_fixture_missing_pid():
    r = run(*fixture_roots("inspect-basic"), "inspect", "5555")
    assert r.rc == 1
    assert r.out == ""
    assert r.err == "30secs inspect: no process with PID 5555\n"


def test_output_file_appends(tmp_path):
    out = tmp_path / "inspect.jsonl"
    for _ in range(2):
        r = run(*fixture_roots("inspect-basic"), "inspect", "-o", str(out), "-f", "json", "4242",
                "--cpu-window", "0")
        assert r.rc == 0 and r.out == ""
    lines = out.read_text().splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["pid"] == 4242 for line in lines)
    # A missing process leaves no file behind.
    missing = tmp_path / "none.jsonl"
    r = run(*fixture_roots("inspect-basic"), "inspect", "5555", "-o", str(missing))
    assert r.rc == 1 and not missing.exists()


# ---- live ---------------------------------------------------------------------------

CHILD = r"""
import os, socket, sys, time
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen()
f = open(sys.argv[1])
r, w = os.pipe()
print(ls.getsockname()[1], flush=True)
time.sleep(60)
"""


@pytest.fixture
def child(tmp_path):
    """A python3 with a listening TCP socket, an open file and a pipe, a
    known cwd, and a secret in its environment."""
    data = tmp_path / "data.txt"
    data.write_text("x")
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent-home", "LANG": "C.UTF-8",
           "SECRET_TOKEN": "tok-9f8e7d6c5b4a"}
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(data)], stdout=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, cwd=tmp_path, env=env, text=True)
    port = int(p.stdout.readline())
    yield p, port, tmp_path
    p.kill()
    p.wait()


def test_live_child(child):
    p, port, cwd = child
    r = run("inspect", str(p.pid), "-f", "json")
    assert r.rc == 0, r.err
    assert "tok-9f8e7d6c5b4a" not in r.out and "SECRET_TOKEN" not in r.out
    d = json.loads(r.out)
    assert d["pid"] == p.pid
    assert d["name"].startswith("python")
    assert d["ppid"] == os.getpid()
    assert d["uid"] == os.getuid()
    assert d["cwd"] == os.path.realpath(cwd)
    assert "-c" in d["cmdline"] and str(cwd / "data.txt") in d["cmdline"]
    assert d["cpu_percent"] is not None and d["cpu_percent"] >= 0
    assert d["environment"] == {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent-home", "LANG": "C.UTF-8"}
    assert d["fds"]["socket"] >= 1 and d["fds"]["pipe"] >= 2 + 1 and d["fds"]["file"] >= 1
    assert d["fds"]["total"] == sum(d["fds"][k] for k in ("file", "socket", "pipe", "anon_inode", "other"))
    assert {"proto": "tcp", "local": f"127.0.0.1:{port}", "remote": None, "state": "LISTEN"}.items() <= \
        next(s for s in d["sockets"] if s["local"].endswith(f":{port}")).items()
    assert d["memory"]["rss"] > 0 and d["memory"]["uss"] > 0 and d["memory"]["pss"] > 0
    assert d["smaps_rollup"]["private_dirty"] > 0
    assert d["page_faults"]["minor"] > 0
    assert d["start_time"] <= time.time() + 1
    assert d["threads"] >= 1
    assert d["oom_score_adj"] is not None and d["oom_score"] is not None
    # As its owner everything is readable (a host without a memory cgroup
    # has no cgroup part).
    assert set(d["unavailable"]) <= {"cgroup"}

    t = run("inspect", str(p.pid))
    assert t.rc == 0
    assert "tok-9f8e7d6c5b4a" not in t.out and "SECRET_TOKEN" not in t.out
    assert re.search(rf"^\s+tcp\s+127\.0\.0\.1:{port}\s+-\s+LISTEN$", t.out, re.M)


def test_live_as_nobody(child):
    p, _, _ = child
    r = run("inspect", str(p.pid), "-f", "json", user="nobody")
    assert r.rc == 0, r.err
    assert "tok-9f8e7d6c5b4a" not in r.out
    d = r.json()
    # What another user's process keeps to itself: unavailable, not zero.
    for key in ("cwd", "fds", "sockets", "environment", "smaps_rollup"):
        assert d[key] is None, key
        assert key in d["unavailable"]
    assert d["memory"]["uss"] is None and d["memory"]["pss"] is None
    # What anyone may read is there.
    assert d["name"].startswith("python") and d["uid"] == 0 and d["user"] == "root"
    assert d["memory"]["rss"] > 0
    assert d["cmdline"] and d["threads"] >= 1

    t = run("inspect", str(p.pid), user="nobody")
    assert t.rc == 0
    assert re.search(r"^FDs\s+n/a$", t.out, re.M) and re.search(r"^Env\s+n/a$", t.out, re.M)


def test_live_missing_pid():
    r = run("inspect", "2147483647")
    assert r.rc == 1
    assert r.out == ""
    assert r.err == "30secs inspect: no process with PID 2147483647\n"


def test_live_exited_child():
    p = subprocess.Popen(["true"])
    p.wait()
    r = run("inspect", str(p.pid))
    assert r.rc == 1 and r.err == f"30secs inspect: no process with PID {p.pid}\n"


# ---- usage ----------------------------------------------------------------------------

@pytest.mark.parametrize("args,needle", [
    ([], "missing PID"),
    (["abc"], "PID must be a positive whole number, got 'abc'"),
    (["12x"], "got '12x'"),
    (["0"], "got '0'"),
    (["2147483648"], "got '2147483648'"),
    (["1", "2"], "unexpected argument '2'"),
    (["-5"], "unknown option '-5'"),
    (["1", "-f", "xml"], "unknown format 'xml'"),
    (["1", "--cpu-window", "-1"], "--cpu-window"),
    (["1", "--cpu-window", "10001"], "--cpu-window"),
    (["1", "-f"], "option '-f' needs a value"),
    (["1", "--bogus"], "unknown option '--bogus'"),
])
def test_usage_errors(args, needle):
    r = run("inspect", *args)
    assert r.rc == 2, (r.rc, r.err)
    assert r.out == ""
    assert len(r.err.strip().splitlines()) == 1, r.err
    assert r.err.startswith("30secs inspect: ")
    assert needle in r.err


def test_help_and_listing():
    r = run("inspect", "--help")
    assert r.rc == 0 and "--cpu-window" in r.out and "Usage: 30secs inspect PID" in r.out
    assert re.search(r"^\s+inspect\s", run("--help").out, re.M)
