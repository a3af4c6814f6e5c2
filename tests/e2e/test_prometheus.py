"""--format prometheus: `promtool check metrics` accepts the exposition with no
complaint (live machine and every host-* fixture tree, hostile names included),
an independent parser finds one HELP/TYPE per family, contiguous families and no
duplicate series, and golden files pin the output of two fixture trees.

Regenerate the golden files with UPDATE_GOLDEN=1 (then review the diff)."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import FIXTURES, ROOT, fixture_roots, run

GOLDEN = ROOT / "tests" / "golden"
HOST_SCENARIOS = sorted(p.name for p in FIXTURES.glob("host-*") if (p / "proc").is_dir())
GOLDEN_SCENARIOS = ["host-basic", "host-hostile"]


def promtool_check(text):
    """Runs `promtool check metrics` on text; fails unless it exits 0 silently."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool not found: install Debian's prometheus package (tools/deps.sh prometheus)")
    proc = subprocess.run([promtool, "check", "metrics"], input=text.encode("utf-8"),
                          capture_output=True, timeout=60)
    complaints = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip()
    assert proc.returncode == 0 and complaints == "", \
        f"promtool exit {proc.returncode}:\n{complaints}"


# ---- a small parser of the 0.0.4 text format ---------------------------------

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE_RE = re.compile(rf"^({NAME})(\{{.*\}})? (\S+)$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|\})')


def parse_labels(text):
    """'{a="x",b="y"}' -> [('a', 'x'), ('b', 'y')] with escapes undone;
    AssertionError on anything the format does not allow."""
    assert text.startswith("{"), text
    pos, labels = 1, []
    while True:
        m = LABEL_RE.match(text, pos)
        assert m, f"bad label set at {text[pos:]!r}"
        value = re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), m.group(2))
        labels.append((m.group(1), value))
        pos = m.end()
        if m.group(3) == "}":
            assert pos == len(text), f"junk after labels: {text[pos:]!r}"
            return labels


def parse_exposition(text):
    """Returns {family: {"type": t, "help": h, "samples": [(labels, value)]}}
    after checking the structure; AssertionError names the first problem."""
    assert text.endswith("\n"), "exposition does not end with a line feed"
    assert not text.endswith("\n\n"), "blank line at the end"
    families, order, series = {}, [], set()
    current = None
    lines = text[:-1].split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        assert line, f"empty line {i + 1}"
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            assert re.fullmatch(NAME, name), line
            assert name not in families, f"second HELP for {name}: family not contiguous"
            assert help_text, f"empty HELP for {name}"
            assert i + 1 < len(lines), f"HELP of {name} without TYPE"
            m = re.fullmatch(rf"# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)", lines[i + 1])
            assert m and m.group(1) == name, f"HELP of {name} not followed by its TYPE: {lines[i + 1]!r}"
            if current is not None:
                assert families[current]["samples"], f"family {current} has no samples"
            current = name
            families[name] = {"type": m.group(2), "help": help_text, "samples": []}
            order.append(name)
            i += 2
            continue
        assert not line.startswith("#"), f"unexpected comment line {line!r}"
        m = SAMPLE_RE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels_text, value = m.groups()
        assert name == current, f"sample of {name} outside its family (current {current})"
        labels = parse_labels(labels_text) if labels_text else []
        names = [k for k, _ in labels]
        assert len(set(names)) == len(names), f"repeated label name: {line!r}"
        float(value)  # Go ParseFloat accepts the same spellings we print
        assert value.lower() not in ("nan",), f"NaN sample: {line!r}"
        key = (name, tuple(sorted(labels)))
        assert key not in series, f"duplicate series: {line!r}"
        series.add(key)
        families[name]["samples"].append((dict(labels), value))
        i += 1
    if current is not None:
        assert families[current]["samples"], f"family {current} has no samples"
    return families


def check_conventions(families):
    for name, fam in families.items():
        assert name.startswith("thirtysecs_"), name
        assert (fam["type"] == "counter") == name.endswith("_total"), name
        for labels, _ in fam["samples"]:
            assert "host" not in labels and "hostname" not in labels, name
            assert "pid" not in labels and "comm" not in labels, name
        if name.endswith("_ratio"):
            for _, value in fam["samples"]:
                assert 0.0 <= float(value) <= 1.0, (name, value)
    assert families["thirtysecs_build_info"]["samples"][0][1] == "1"


def prometheus(*args):
    r = run(*args)
    assert r.rc == 0, r.err
    assert r.out, "empty output"
    return r.out


def check_all(text):
    promtool_check(text)
    families = parse_exposition(text)
    check_conventions(families)
    return families


# ---- live machine --------------------------------------------------------------

def test_live_snapshot_promtool_clean():
    families = check_all(prometheus("snapshot", "-f", "prometheus"))
    for name in ("thirtysecs_cpu_seconds_total", "thirtysecs_memory_total_bytes",
                 "thirtysecs_processes", "thirtysecs_scrape_collector_success"):
        assert name in families, name
    modes = {labels["mode"] for labels, _ in families["thirtysecs_cpu_seconds_total"]["samples"]}
    assert {"user", "system", "idle"} <= modes
    collectors = {labels["collector"] for labels, _ in
                  families["thirtysecs_scrape_collector_success"]["samples"]}
    assert {"cpu", "memory", "disk", "network", "processes"} <= collectors


def test_live_quick_and_long_flag():
    families = check_all(prometheus("quick", "--format", "prometheus"))
    # quick skips the process scan: no process series, no collector row.
    assert "thirtysecs_processes" not in families
    collectors = {labels["collector"] for labels, _ in
                  families["thirtysecs_scrape_collector_success"]["samples"]}
    assert "processes" not in collectors


def test_live_without_disk_and_network():
    families = check_all(prometheus("snapshot", "-f", "prometheus", "--no-disk", "--no-network",
                                    "--no-processes"))
    assert not [n for n in families if n.startswith(("thirtysecs_filesystem_", "thirtysecs_disk_",
                                                     "thirtysecs_network_", "thirtysecs_tcp_"))]


def test_no_hostname_in_output():
    host = os.uname().nodename
    out = prometheus("snapshot", "-f", "prometheus", "--no-processes")
    assert "host=" not in out
    if len(host) > 3:
        assert f'"{host}"' not in out


# ---- every fixture tree -----------------------------------------------------

@pytest.mark.parametrize("scenario", HOST_SCENARIOS)
@pytest.mark.parametrize("command", ["snapshot", "quick"])
def test_fixture_promtool_clean(scenario, command):
    check_all(prometheus(*fixture_roots(scenario), command, "-f", "prometheus", "--cpu-window", "0"))


def test_hostile_names_escaped():
    out = prometheus(*fixture_roots("host-hostile"), "snapshot", "-f", "prometheus", "--cpu-window", "0")
    families = check_all(out)
    # Interface we"ird\é: quote and backslash escaped, UTF-8 kept.
    assert 'thirtysecs_network_mtu_bytes{device="we\\"ird\\\\\u00e9"} 9000\n' in out
    # Mount point with a tab (left raw: the format allows it) and a backslash.
    assert 'mountpoint="/mnt/tab\tand\\\\backslash"' in out
    assert 'mountpoint="/mnt/my disk"' in out
    # Parsed back, the label values are the original names.
    devices = {labels["device"] for labels, _ in families["thirtysecs_network_up"]["samples"]}
    assert 'we"ird\\\u00e9' in devices
    mounts = {labels["mountpoint"] for labels, _ in
              families["thirtysecs_filesystem_device_error"]["samples"]}
    assert "/mnt/tab\tand\\backslash" in mounts
    # Hostile process names never reach the exposition.
    for name in ("a) b (c", "quoted", "[31mred", "averyveryverylongname"):
        assert name not in out


# ---- golden files -----------------------------------------------------------

# Families whose values describe the machine running the test rather than
# the fixture: usage of "/" comes from statvfs on the fixture's root/
# directory, which lives on the test machine's disk.
HOST_DEPENDENT = re.compile(r"^thirtysecs_filesystem_(size_bytes|used_bytes|free_bytes|avail_bytes|"
                            r"used_ratio|files|files_free)$")
VARYING_VALUE = {"thirtysecs_scrape_collector_duration_seconds"}


def normalise(text):
    out, skip = [], False
    for line in text.splitlines():
        m = re.match(r"^# (HELP|TYPE) (\S+)", line)
        if m:
            skip = bool(HOST_DEPENDENT.match(m.group(2)))
        if skip:
            continue
        name = re.match(r"^[^{ ]+", line).group(0)
        if name in VARYING_VALUE:
            line = line.rsplit(" ", 1)[0] + " <varies>"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("scenario", GOLDEN_SCENARIOS)
def test_golden(scenario):
    out = prometheus(*fixture_roots(scenario), "snapshot", "-f", "prometheus", "--cpu-window", "0")
    got = normalise(out)
    path = GOLDEN / f"{scenario}.snapshot.prom"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 to create it"
    want = path.read_text(encoding="utf-8")
    if got != want:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            str(path), "output", n=1))
        pytest.fail(f"output differs from {path} (UPDATE_GOLDEN=1 regenerates it):\n{diff}")


def test_parser_rejects_broken_expositions():
    """The checks above must be able to fail."""
    good = "# HELP thirtysecs_x x\n# TYPE thirtysecs_x gauge\nthirtysecs_x{a=\"1\"} 1\n"
    parse_exposition(good)
    bad = [
        good[:-1],                                             # no final line feed
        good + "thirtysecs_x{a=\"1\"} 2\n",                      # duplicate series
        good + "# HELP thirtysecs_y y\n# TYPE thirtysecs_y gauge\nthirtysecs_y 1\n"
               "# HELP thirtysecs_x x\n# TYPE thirtysecs_x gauge\nthirtysecs_x 1\n",  # split family
        good.replace('a="1"', 'a="C:\\data"'),                 # invalid escape
        good.replace('a="1"', 'a="x"y"'),                      # unescaped quote
        good.replace(" 1\n", " NaN\n"),                        # NaN
        "# HELP thirtysecs_x x\nthirtysecs_x 1\n",             # no TYPE
        good + "thirtysecs_y 1\n",                             # sample outside its family
    ]
    for text in bad:
        with pytest.raises(AssertionError):
            parse_exposition(text)


def test_watch_stdout_records_are_each_complete():
    """watch -f prometheus on stdout: whole expositions separated by a
    '# EOF' comment line; each one alone passes promtool (the original
    printed an invalid concatenation)."""
    r = run(*fixture_roots("host-basic"), "watch", "-f", "prometheus", "-i", "0.05", "-n", "3", "--cpu-window", "0")
    assert r.rc == 0, r.err
    records = r.out.split("# EOF\n")
    assert len(records) == 3
    for rec in records:
        check_all(rec)


def test_watch_output_file_is_replaced_atomically(tmp_path):
    out = tmp_path / "node.prom"
    r = run("watch", "-f", "prometheus", "-i", "0.05", "-n", "3", "--no-processes", "--output", str(out))
    assert r.rc == 0 and r.out == ""
    text = out.read_text()
    assert text.count("# HELP thirtysecs_build_info") == 1  # one exposition, not three appended
    check_all(text)
    assert [p.name for p in tmp_path.iterdir()] == ["node.prom"]  # no temporary file left behind
