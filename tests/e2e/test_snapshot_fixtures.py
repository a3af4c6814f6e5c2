"""snapshot / quick against the host-* fixture trees (--procfs/--sysfs/--rootfs),
checked value by value with a JSON parser. Expected numbers come from the
fixture files themselves (see each scenario's META)."""
import json
import os
import re

import pytest

from conftest import FIXTURES, contract_keys, fixture_roots, lookup, run

SCENARIOS = ["host-basic", "host-hostile", "host-old-kernel", "host-malformed"]
PAGE = os.sysconf("SC_PAGESIZE")
TCK = os.sysconf("SC_CLK_TCK")
KB = 1024

_cache = {}


def snap(scenario, command="snapshot", *extra):
    """Runs once per (scenario, command, extra) and checks the basics every
    run must satisfy: exit 0, one JSON document on stdout."""
    key = (scenario, command, extra)
    if key not in _cache:
        r = run(*fixture_roots(scenario), command, "--cpu-window", "0", *extra)
        assert r.rc == 0, (scenario, command, r.rc, r.err)
        _cache[key] = (r, json.loads(r.out))
    return _cache[key]


def meminfo_kb(scenario):
    out = {}
    for line in (FIXTURES / scenario / "proc" / "meminfo").read_text().splitlines():
        key, _, rest = line.partition(":")
        out[key] = int(rest.split()[0])
    return out


def failed(doc):
    return {name: c for name, c in doc["collectors"].items() if not c["success"]}


def missing_contract_keys(doc, allowed_missing=()):
    always, _ = contract_keys()
    missing = []
    for path in always:
        if path == "system.platform.python_version" or path in allowed_missing:
            continue
        try:
            lookup(doc, path)
        except KeyError as e:
            missing.append(str(e))
    return missing


# ---- every scenario ----------------------------------------------------------

@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("command", ["snapshot", "quick"])
def test_runs_and_is_json(scenario, command):
    r, doc = snap(scenario, command)
    assert doc["schema_version"] == 1
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", doc["timestamp"])
    assert ("processes" in doc) == (command == "snapshot")
    for name, c in doc["collectors"].items():
        assert isinstance(c["success"], bool)
        assert ("error" in c) == (not c["success"]), (name, c)
    # Only the memory collector of host-malformed fails.
    expect = {"memory"} if scenario == "host-malformed" else set()
    assert set(failed(doc)) == expect, doc["collectors"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_sampled_window(scenario):
    """With the default 100 ms window both samples read the same files: no
    CPU time passed, so CPU percent is unknown (null) and every process 0."""
    r = run(*fixture_roots(scenario), "snapshot")
    assert r.rc == 0, r.err
    doc = r.json()
    assert doc["cpu"]["percent"] is None
    assert all(v is None for v in doc["cpu"]["percent_per_core"])
    assert all(p["cpu_percent"] == 0.0 for p in doc["processes"]["top_by_cpu"])
    assert doc["processes"]["total"] == snap(scenario)[1]["processes"]["total"]


# ---- host-basic ----------------------------------------------------------------

def test_basic_contract_keys():
    _, doc = snap("host-basic")
    assert missing_contract_keys(doc) == []
    _, conditional = contract_keys()
    for path in ("memory.cgroup.limit", "memory.cgroup.limit_human", "memory.cgroup.percent",
                 "memory.cgroup.swap_usage", "memory.cgroup.pressure.some.avg10",
                 "memory.cgroup.pressure.full.avg10", "system.users.[].name",
                 "system.users.[].terminal", "system.users.[].host", "system.users.[].started"):
        assert path in conditional
        assert lookup(doc, path), path


def test_basic_memory():
    _, doc = snap("host-basic")
    mi = meminfo_kb("host-basic")
    v = doc["memory"]["virtual"]
    total = mi["MemTotal"] * KB
    cached = (mi["Cached"] + mi["SReclaimable"]) * KB
    assert v["total"] == total == 25276063744
    assert v["total_human"] == "23.5 GB"
    assert v["free"] == mi["MemFree"] * KB
    assert v["buffers"] == mi["Buffers"] * KB
    assert v["cached"] == cached
    assert v["available"] == mi["MemAvailable"] * KB
    assert v["used"] == total - mi["MemFree"] * KB - mi["Buffers"] * KB - cached
    assert v["percent"] == round((mi["MemTotal"] - mi["MemAvailable"]) / mi["MemTotal"] * 100, 1)
    assert v["shared"] == mi["Shmem"] * KB
    s = doc["memory"]["swap"]
    assert (s["total"], s["used"], s["free"], s["percent"]) == (0, 0, 0, 0.0)
    assert (s["sin"], s["sout"]) == (0, 0)
    d = doc["memory"]["detail"]
    assert d["MemTotal"] == total
    assert d["Hugepagesize"] == 2048 * KB
    assert d["HugePages_Total"] == 0 and d["HugePages_Total_human"] == "0 pages"
    assert doc["memory"]["oom_kill_count"] == 0
    assert doc["memory"]["pressure"]["some"]["total"] == 0


def test_basic_cgroup():
    _, doc = snap("host-basic")
    cg = doc["memory"]["cgroup"]
    assert cg["version"] == 2 and cg["hybrid"] is False
    assert cg["path"] == "/system.slice/app.service"
    assert cg["usage"] == 134217728 and cg["usage_human"] == "128.0 MB"
    assert cg["limit"] == 536870912 and cg["limit_human"] == "512.0 MB"
    assert cg["percent"] == 25.0
    assert cg["peak"] == 201326592
    assert cg["swap_usage"] == 0
    assert "swap_limit" not in cg  # "max"
    assert cg["pressure"]["some"]["total"] == 1532
    assert cg["events"]["oom_kill"] == 0
    assert cg["stat"]["anon"] == 104857600


def test_basic_cpu():
    _, doc = snap("host-basic")
    c = doc["cpu"]
    assert c["count_logical"] == 2 and c["count_physical"] == 2
    assert c["frequency"] == {"current": 2222.7, "min": 1500.0, "max": 3500.0}
    assert c["loadavg"] == {"1m": 0.52, "5m": 0.51, "15m": 0.22}
    assert c["times"]["user"] == round(9917 / TCK, 2)
    assert c["times"]["system"] == round(12825 / TCK, 2)
    assert c["times"]["idle"] == round(148980 / TCK, 2)
    assert c["times"]["steal"] == round(171 / TCK, 2)
    assert c["ctx_switches"] == 348303 and c["interrupts"] == 242901
    assert c["pressure"]["some"]["total"] == 14172558
    assert c["pressure"]["full"]["total"] == 0
    # --cpu-window 0: no second sample.
    assert c["percent"] is None and c["percent_per_core"] == []


def test_basic_system():
    _, doc = snap("host-basic")
    s = doc["system"]
    assert s["hostname"] == "fixture-host"
    assert s["platform"]["system"] == "Linux"
    assert s["platform"]["release"] == "6.18.44-fc-v782"
    assert s["platform"]["version"] == "#1 SMP PREEMPT_DYNAMIC @0"
    assert s["boot_time"] == 1795631133
    assert s["uptime_seconds"] == 864.75
    assert s["uptime_human"] == "0:14:24"
    assert s["users"] == [{"name": "alice", "terminal": "pts/0", "host": "203.0.113.7",
                           "started": 1795632000.5, "pid": 1234}]


def test_basic_hostname_hidden():
    r = run(*fixture_roots("host-basic"), "quick", "--cpu-window", "0",
            env={"INCLUDE_HOSTNAME": "false"})
    assert r.rc == 0, r.err
    doc = r.json()
    assert doc["system"]["hostname"] is None
    assert doc["system"]["users"][0]["host"] is None
    assert "fixture-host" not in r.out and "203.0.113.7" not in r.out


def test_basic_processes():
    _, doc = snap("host-basic")
    p = doc["processes"]
    assert p["total"] == 6
    assert p["threads_total"] == 9
    assert p["status_counts"] == {"sleeping": 3, "running": 1, "zombie": 1, "idle": 1}
    total = meminfo_kb("host-basic")["MemTotal"] * KB
    expect = [  # pid, name, username, status, rss pages, threads
        (200, "postgres", "postgres", "running", 25000, 1),
        (100, "nginx", "www-data", "sleeping", 5200, 4),
        (1, "systemd", "root", "sleeping", 3000, 1),
        (42, "sshd", "root", "sleeping", 1800, 1),
        (300, "bash", "alice", "zombie", 0, 1),
        (400, "kworker/0:1-events", "root", "idle", 0, 1),
    ]
    for lst in ("top_by_memory", "top_by_cpu"):
        got = [(e["pid"], e["name"], e["username"], e["status"], e["rss"] // PAGE, e["num_threads"])
               for e in p[lst]]
        assert got == expect, lst
        for e, (_, _, _, _, rss, _) in zip(p[lst], expect):
            assert e["rss"] == rss * PAGE
            assert e["memory_percent"] == round(rss * PAGE / total * 100, 2)
            assert e["cpu_percent"] == 0.0


def test_basic_network():
    _, doc = snap("host-basic")
    n = doc["network"]
    assert n["connections_source"] == "procfs"
    assert n["connections"] == {"LISTEN": 3, "ESTABLISHED": 2}
    ifs = {i["name"]: i for i in n["interfaces"]}
    assert sorted(ifs) == ["eth0", "ifb0", "ifb1", "lo"]
    assert ifs["lo"]["is_up"] is True and ifs["lo"]["mtu"] == 65536
    assert ifs["eth0"]["is_up"] is True and ifs["eth0"]["mtu"] == 1400
    assert ifs["eth0"]["speed"] == 0  # sysfs says -1
    assert ifs["ifb0"]["is_up"] is False
    # No getifaddrs for a foreign /proc: no addresses, not ours.
    assert all(i["addresses"] == [] for i in n["interfaces"])
    assert ifs["eth0"]["io"]["bytes_recv"] == 18559614
    assert n["io"]["bytes_recv"] == 18559614 + 10439
    assert n["io"]["packets_sent"] == 451 + 159


def test_basic_disk():
    _, doc = snap("host-basic")
    d = doc["disk"]
    assert [(p["device"], p["mountpoint"], p["fstype"]) for p in d["partitions"]] == [
        ("/dev/vda", "/", "ext4")]
    # "/" is --rootfs itself, so statvfs describes the disk of the checkout.
    root = d["partitions"][0]
    assert isinstance(root["total"], int) and root["total"] > 0
    assert 0 <= root["percent"] <= 100
    assert d["io"]["read_count"] == 31874 and d["io"]["write_count"] == 4189
    assert d["io"]["read_bytes"] == 2626962 * 512
    assert d["io"]["write_bytes"] == 600152 * 512
    assert list(d["devices"]) == ["vda"]
    assert d["pressure"]["full"]["total"] == 3652198


def test_basic_quick():
    _, doc = snap("host-basic", "quick")
    _, full = snap("host-basic")
    assert "processes" not in doc and "processes" not in doc["collectors"]
    assert doc["memory"]["virtual"] == full["memory"]["virtual"]
    assert doc["system"]["users"] == full["system"]["users"]
    assert doc["network"]["connections"] == {"LISTEN": 3, "ESTABLISHED": 2}
    assert missing_contract_keys(doc, [k for k in contract_keys()[0] if k.startswith("processes.")]) == []


# ---- host-hostile ----------------------------------------------------------------

HOSTILE = [  # pid, name as JSON decodes it, username, status
    (10, "a) b (c", "alice", "sleeping"),
    (11, "x\ny", "alice", "sleeping"),
    (12, "\ufffd\ufffd bad", "root", "running"),
    (13, '"quoted\\"', "4242", "disk-sleep"),
    (14, "\x1b[31mred", "nobody", "stopped"),
    (15, "averyveryverylongname", "alice", "sleeping"),
    (17, "nostatus", None, "sleeping"),
    (18, "dirstatus", None, "sleeping"),
    (19, ")", None, "dead"),
    (21, "renamedprocess1", "root", "tracing-stop"),
]


def test_hostile_contract_keys():
    _, doc = snap("host-hostile")
    assert missing_contract_keys(doc) == []
    # The v2 root cgroup has no memory.* files: usage is null, not 0.
    assert doc["memory"]["cgroup"]["usage"] is None


def test_hostile_names():
    _, doc = snap("host-hostile")
    p = doc["processes"]
    assert p["total"] == 10  # 16 (truncated stat) and 007 (not a pid) skipped
    assert p["status_counts"] == {"sleeping": 5, "running": 1, "disk-sleep": 1, "stopped": 1,
                                  "dead": 1, "tracing-stop": 1}
    for lst in ("top_by_memory", "top_by_cpu"):
        got = [(e["pid"], e["name"], e["username"], e["status"]) for e in p[lst]]
        assert got == HOSTILE, lst


def test_hostile_raw_json_escaping():
    r, _ = snap("host-hostile")
    # Output to a pipe is one JSON document per line (JSON Lines).
    assert r.out.count("\n") == 1 and r.out.endswith("}\n")
    # The newline of "x\ny" is escaped inside the string, never raw.
    assert '"name":"x\\ny"' in r.out
    # Control bytes are \u-escaped (ESC), quotes and backslashes escaped.
    assert "\x1b" not in r.out
    assert re.search(r'"\\u001[bB]\[31mred"', r.out)
    assert '"name":"\\"quoted\\\\\\""' in r.out
    # Invalid UTF-8 became U+FFFD (run() decodes stdout strictly).
    assert "\ufffd\ufffd bad" in r.out
    # No raw newline split a string: the whole document is one line.
    assert len(r.out.splitlines()) == 1


def test_hostile_mounts_and_interfaces():
    _, doc = snap("host-hostile")
    parts = {p["mountpoint"]: p for p in doc["disk"]["partitions"]}
    assert sorted(parts) == ["/", "/mnt/my disk", "/mnt/tab\tand\\backslash"]
    for mp in ("/mnt/my disk", "/mnt/tab\tand\\backslash"):
        # Not below --rootfs: no statvfs, null usage (not zeros).
        assert parts[mp]["total"] is None and parts[mp]["total_human"] is None
        assert parts[mp]["used"] is None and parts[mp]["free"] is None
        assert parts[mp]["percent"] is None
    assert parts["/mnt/my disk"]["device"] == "/dev/sdb1"
    ifs = {i["name"]: i for i in doc["network"]["interfaces"]}
    odd = 'we"ird\\\u00e9'
    assert sorted(ifs) == ["eth0", "lo", odd]
    assert ifs[odd]["mtu"] == 9000 and ifs[odd]["is_up"] is True
    io = ifs[odd]["io"]
    assert (io["bytes_recv"], io["errin"], io["dropin"], io["errout"], io["dropout"]) == (300, 1, 2, 5, 6)
    assert doc["network"]["io"]["bytes_recv"] == 2000 + 300 + 5000


def test_hostile_passwd():
    """A commented-out '#olduser' entry with uid 1000 precedes alice; uid
    4294967296 must not be taken for root."""
    _, doc = snap("host-hostile")
    users = {e["pid"]: e["username"] for e in doc["processes"]["top_by_memory"]}
    assert users[10] == "alice" and users[12] == "root"
    assert "#olduser" not in json.dumps(doc) and "wrap" not in users.values()


# ---- host-old-kernel --------------------------------------------------------------

def test_old_kernel_contract_keys():
    _, doc = snap("host-old-kernel")
    mi = meminfo_kb("host-old-kernel")
    always, _ = contract_keys()
    # Absent by design: PSI (no proc/pressure) and meminfo keys the kernel
    # does not print (DirectMap1G).
    allowed = [k for k in always if k.startswith("memory.pressure.")]
    allowed += [k for k in always if k.startswith("memory.detail.")
                and k.split(".")[2].removesuffix("_human") not in mi]
    assert "memory.detail.DirectMap1G" in allowed
    assert missing_contract_keys(doc, allowed) == []
    for path in allowed:
        with pytest.raises(KeyError):
            lookup(doc, path)
    for section in (doc["cpu"], doc["memory"], doc["disk"], doc["memory"]["cgroup"]):
        assert "pressure" not in section


def test_old_kernel_memory():
    _, doc = snap("host-old-kernel")
    v = doc["memory"]["virtual"]
    assert v["total"] == 8255889408
    assert v["free"] == 524288000
    assert v["buffers"] == 209715200
    assert v["cached"] == 3460300800
    # No MemAvailable: free + buffers + cached.
    assert v["available"] == 524288000 + 209715200 + 3460300800 == 4194304000
    assert v["used"] == 4061585408
    assert v["percent"] == 49.2
    s = doc["memory"]["swap"]
    assert (s["total"], s["used"], s["free"], s["percent"]) == (4294959104, 103473152, 4191485952, 2.4)
    assert s["sin"] == 1234 * PAGE and s["sout"] == 5678 * PAGE
    assert "MemAvailable" not in doc["memory"]["detail"]
    assert doc["memory"]["detail"]["HugePages_Total"] == 16
    assert doc["memory"]["detail"]["HugePages_Free_human"] == "12 pages"
    assert "oom_kill_count" not in doc["memory"]


def test_old_kernel_cpu_and_cgroup():
    _, doc = snap("host-old-kernel")
    c = doc["cpu"]
    assert c["count_logical"] == 4 and c["count_physical"] == 2
    assert c["frequency"] == {"current": 1900.0, "min": None, "max": None}
    assert c["times"]["user"] == round(81234 / TCK, 2)
    assert c["times"]["softirq"] == round(910 / TCK, 2)
    assert c["times"]["steal"] == 0.0 and c["times"]["guest"] == 0.0
    assert c["loadavg"] == {"1m": 0.08, "5m": 0.03, "15m": 0.01}
    cg = doc["memory"]["cgroup"]
    assert cg["version"] == 1 and cg["path"] == "/user.slice"
    assert cg["usage"] == 1073741824 and cg["peak"] == 2147483648
    assert "limit" not in cg and "percent" not in cg  # 9223372036854771712: unlimited
    assert cg["events"] == {"under_oom": 0, "oom_kill_disable": 0, "failcnt": 0}


def test_old_kernel_rest():
    _, doc = snap("host-old-kernel")
    p = doc["processes"]
    assert [(e["pid"], e["name"], e["username"]) for e in p["top_by_memory"]] == [
        (500, "mysqld", "mysql"), (600, "httpd", "apache"), (700, "bash", "bob"),
        (1, "init", "root"), (2, "kthreadd", "root")]
    assert p["status_counts"] == {"sleeping": 4, "running": 1}
    assert p["threads_total"] == 24
    s = doc["system"]
    assert s["platform"]["release"] == "2.6.32-754.35.1.el6.x86_64"
    assert s["boot_time"] == 1262304000
    assert s["uptime_human"] == "1 day, 10:17:36"
    assert s["users"] == []  # no utmp: nobody logged in
    n = doc["network"]
    assert n["connections"] == {"LISTEN": 2, "ESTABLISHED": 1, "TIME_WAIT": 1, "NONE": 1}
    assert n["io"]["bytes_recv"] == 987654321 + 123456
    d = doc["disk"]
    assert d["io"]["read_count"] == 12345 and d["io"]["read_bytes"] == 987654 * 512
    assert d["io"]["busy_time_ms"] == 6789
    assert [p["mountpoint"] for p in d["partitions"]] == ["/", "/boot"]
    assert d["partitions"][1]["total"] is None


# ---- host-malformed ---------------------------------------------------------------

def test_malformed_memory_fails_alone():
    _, doc = snap("host-malformed")
    mem = doc["collectors"]["memory"]
    assert mem["success"] is False
    assert mem["error"].startswith("reading proc/meminfo")
    assert "Bad message" in mem["error"]
    assert all(c["success"] for n, c in doc["collectors"].items() if n != "memory")
    m = doc["memory"]
    assert m["virtual"] == {} and m["swap"] == {}
    assert "detail" not in m and "pressure" not in m and "oom_kill_count" not in m
    # The cgroup collector still ran: usage overflowed, limit unparsable.
    assert m["cgroup"]["version"] == 2
    assert m["cgroup"]["usage"] is None and "limit" not in m["cgroup"]


def test_malformed_cpu_and_system():
    _, doc = snap("host-malformed")
    c = doc["cpu"]
    assert c["count_logical"] == 1  # cpu0 overflowed, cpu1 parsed
    assert c["count_physical"] is None
    assert c["loadavg"] == {"1m": None, "5m": None, "15m": None}
    assert c["frequency"] == {"current": None, "min": None, "max": None}
    assert c["times"]["user"] == round(100 / TCK, 2)
    assert "ctx_switches" not in c and "interrupts" not in c
    assert "pressure" not in c
    s = doc["system"]
    assert s["hostname"] == "malformed-host"
    assert s["boot_time"] is None  # "btime -5"
    assert s["users"] is None  # utmp is not whole records: unknown


def test_malformed_processes_network_disk():
    _, doc = snap("host-malformed")
    p = doc["processes"]
    assert p["total"] == 3
    got = [(e["pid"], e["name"], e["username"], e["memory_percent"]) for e in p["top_by_memory"]]
    # No MemTotal: memory_percent unknown; passwd has no root; bad Uid lines.
    assert got == [(1, "init", "0", None), (5, "worker", None, None), (6, "nouid", None, None)]
    n = doc["network"]
    assert n["connections"] == {"LISTEN": 1}
    ifs = {i["name"]: i for i in n["interfaces"]}
    assert ifs["lo"]["mtu"] is None and ifs["lo"]["is_up"] is False
    assert "io" not in ifs["eth0"]  # its net/dev row overflowed
    assert n["io"]["bytes_recv"] == 100
    d = doc["disk"]
    assert d["io"]["read_count"] == 10 and list(d["devices"]) == ["vdb"]
    assert "pressure" not in d


# Regression test (fixed: uptime_parse now rejects absurd values): uptime_human
# is human_duration((uint64_t)s->uptime_seconds); uptime_parse accepts any
# finite non-negative number, and for proc/uptime "18446744073709551616.00"
# the double 1.8446744073709552e19 does not fit uint64_t: the conversion is
# undefined behaviour (x86-64 yields 0) and the JSON says
# "uptime_seconds": 1.84467440737096e+19 with "uptime_human": "0:00:00".
# Either reject such an uptime (null) or clamp before converting.
def test_malformed_huge_uptime():
    _, doc = snap("host-malformed")
    s = doc["system"]
    assert s["uptime_seconds"] is None and s["uptime_human"] is None, s
