"""leak --deep-python against small Python programs of our own (tests/deep/)."""
import json
import os
import subprocess
import sys

import pytest

from conftest import BIN, ROOT, run

DEEP = ROOT / "tests" / "deep"
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"


def leak_line(path):
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if "# LEAK-LINE" in line:
            return i
    raise AssertionError("no LEAK-LINE in %s" % path)


def deep(tmp_path, *args, timeout=90):
    out = tmp_path / "report.json"
    r = run("leak", "--deep-python", "--python", PY, "-f", "json", "-o", str(out), *args, timeout=timeout)
    doc = json.loads(out.read_text()) if out.exists() and out.stat().st_size else None
    return r, doc


@pytest.mark.parametrize("name,top_type", [
    ("leak_list.py", "__main__.Record"),
    ("leak_cache.py", "list"),
])
def test_top_line_and_type(tmp_path, name, top_type):
    r, doc = deep(tmp_path, "--script", str(DEEP / name))
    assert r.rc == 0, r.err
    top = doc["top_lines"][0]
    assert (os.path.basename(top["filename"]), top["lineno"]) == (name, leak_line(DEEP / name))
    assert top["size_diff"] > 100_000 and top["count_diff"] > 0
    assert doc["top_types"][0]["type_name"] == top_type
    assert doc["top_types"][0]["count_diff"] > 100
    for key in ("target", "args", "duration_seconds", "traced_current_bytes", "traced_peak_bytes"):
        assert key in doc
    for key in ("filename", "lineno", "size_diff", "count_diff", "traceback"):
        assert key in top
    assert top["traceback"][-1].endswith("%s:%d" % (name, top["lineno"]))
    assert not any("30secs-bootstrap" in f or "runpy" in f for f in top["traceback"])
    assert {"type_name", "count_diff", "size_diff"} <= set(doc["top_types"][0])
    assert doc["baseline"] == "warmup"


def test_reference_cycle(tmp_path):
    r, doc = deep(tmp_path, "--script", str(DEEP / "leak_cycle.py"))
    assert r.rc == 0, r.err
    top = doc["top_lines"][0]
    assert os.path.basename(top["filename"]) == "leak_cycle.py"
    assert any("leak_cycle.py:" in f for f in top["traceback"])
    assert doc["top_types"][0]["type_name"] == "__main__.Node"


def test_no_leak(tmp_path):
    r, doc = deep(tmp_path, "--script", str(DEEP / "no_leak.py"))
    assert r.rc == 0, r.err
    assert all(line["size_diff"] < 20_000 for line in doc["top_lines"]), doc["top_lines"]
    assert all(t["count_diff"] < 50 for t in doc["top_types"]), doc["top_types"]


def test_module_mode(tmp_path):
    r, doc = deep(tmp_path, "--module", "pkg.worker", "--script-args", "--count 20000", "--warmup", "0.2")
    # the package is found from the current directory, like python -m
    assert r.rc == 1 and "no module named pkg.worker" in r.err
    proc = subprocess.run([BIN, "leak", "--deep-python", "--python", PY, "--module", "pkg.worker",
                           "--script-args", "--count 20000", "--warmup", "0.2", "-f", "json",
                           "-o", str(tmp_path / "m.json")], cwd=DEEP, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "stored 20000\n"
    doc = json.loads((tmp_path / "m.json").read_text())
    assert doc["mode"] == "module" and doc["target"] == "pkg.worker" and doc["args"] == ["--count", "20000"]
    top = doc["top_lines"][0]
    assert (os.path.basename(top["filename"]), top["lineno"]) == ("store.py", leak_line(DEEP / "pkg" / "store.py"))
    assert doc["top_types"][0]["type_name"] == "pkg.store.Item"


def test_server_stopped_by_duration_with_every(tmp_path):
    r, doc = deep(tmp_path, "--script", str(DEEP / "server.py"), "--script-args", "--port 8080",
                  "--duration", "6", "--every", "0.3", "--warmup", "0.5")
    assert r.rc == 0, r.err
    assert r.out == "serving --port 8080\n"
    assert doc["stopped_by"] == "duration" and doc["outcome"] == "stopped"
    assert 5.5 < doc["duration_seconds"] < 12
    top = doc["top_lines"][0]
    assert (os.path.basename(top["filename"]), top["lineno"]) == ("server.py", leak_line(DEEP / "server.py"))
    assert doc["top_types"][0]["type_name"] == "__main__.Session"
    assert len(top["series"]) == len(doc["snapshot_times"]) >= 4
    assert len(top["growth_per_snapshot"]) == len(top["series"]) - 1
    assert top["trend"]["verdict"] in ("leak", "possible")
    assert top["trend"]["slope_bytes_per_second"] > 0


def test_stdout_is_untouched(tmp_path):
    plain = subprocess.run([PY, str(DEEP / "prints.py"), "a b"], capture_output=True, timeout=30)
    proc = subprocess.run([BIN, "leak", "--deep-python", "--python", PY, "--script", str(DEEP / "prints.py"),
                           "--script-args", "'a b'", "-o", str(tmp_path / "r.txt")],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == plain.stdout
    assert proc.stderr == plain.stderr
    assert "Top growing lines" in (tmp_path / "r.txt").read_text()


def test_target_raises(tmp_path):
    r, doc = deep(tmp_path, "--script", str(DEEP / "raises.py"))
    assert r.rc == 1
    assert "RuntimeError: target failed on purpose" in r.err
    assert 'File "%s", line' % (DEEP / "raises.py") in r.err
    assert "30secs-bootstrap" not in r.err and "runpy" not in r.err
    assert doc["outcome"] == "raised"
    top = doc["top_lines"][0]
    assert (os.path.basename(top["filename"]), top["lineno"]) == ("raises.py", leak_line(DEEP / "raises.py"))
    assert doc["top_types"][0]["type_name"] == "__main__.Thing"


def test_missing_script():
    r = run("leak", "--deep-python", "--python", PY, "--script", "/nonexistent/app.py")
    assert r.rc == 1 and "script not found: /nonexistent/app.py" in r.err and r.out == ""


def test_missing_module():
    r = run("leak", "--deep-python", "--python", PY, "--module", "no_such_mod_30secs.main")
    assert r.rc == 1 and "no module named no_such_mod_30secs.main" in r.err


def test_bad_python():
    r = run("leak", "--deep-python", "--python", "/nonexistent/python9", "--script", str(DEEP / "no_leak.py"))
    assert r.rc == 1 and "--python" in r.err and "/nonexistent/python9" in r.err


def test_python_not_a_python(tmp_path):
    r = run("leak", "--deep-python", "--python", "/bin/false", "--script", str(DEEP / "no_leak.py"))
    assert r.rc == 1 and "3.8 or newer" in r.err and "--python" in r.err


@pytest.mark.parametrize("bad", ["'unterminated", '"open', "trailing\\"])
def test_bad_script_args_quoting(bad):
    r = run("leak", "--deep-python", "--script", str(DEEP / "no_leak.py"), "--script-args", bad)
    assert r.rc == 2 and "--script-args" in r.err


def test_usage_errors():
    assert run("leak", "--deep-python").rc == 2
    assert run("leak", "--deep-python", "--script", "a.py", "--module", "b").rc == 2
    assert run("leak", "--deep-python", "--script", "a.py", "1234").rc == 2
    assert run("leak", "--deep-python", "--script", "a.py", "--every", "0").rc == 2
