"""The embedded bootstrap (src/deep/tracemalloc_bootstrap.py) on its own,
run directly with python3, without the C binary."""
import json
import os
import subprocess
import sys

from conftest import ROOT

BOOT = ROOT / "src" / "deep" / "tracemalloc_bootstrap.py"
DEEP = ROOT / "tests" / "deep"


def run_boot(*args, cwd=None):
    r, w = os.pipe()
    proc = subprocess.run([sys.executable, str(BOOT), "--fd", str(w), *args], pass_fds=(w,),
                          capture_output=True, timeout=90, cwd=cwd)
    os.close(w)
    with os.fdopen(r) as f:
        recs = [json.loads(line) for line in f]
    return proc, recs


def test_records_and_report():
    proc, recs = run_boot("--every", "0.2", "--warmup", "0.3", "--script", str(DEEP / "leak_list.py"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    types = [r["type"] for r in recs]
    assert types[0] == "hello" and types[-1] == "final" and types.count("final") == 1
    assert [r["label"] for r in recs if r["type"] == "sample"][:2] == ["start", "baseline"]
    fin = recs[-1]
    top = fin["top_lines"][0]
    assert os.path.basename(top["filename"]) == "leak_list.py" and "LEAK-LINE" in top["code"]
    # --every is stretched to at least 10x a snapshot's cost: at least
    # start-or-baseline and final are there
    assert len(fin["snapshot_times"]) >= 2
    assert fin["top_types"][0]["type_name"] == "__main__.Record"


def test_argv_and_path():
    prog = DEEP / "prints.py"
    proc, recs = run_boot("--script", str(prog), "--", "x", "y z")
    plain = subprocess.run([sys.executable, str(prog), "x", "y z"], capture_output=True, timeout=30)
    assert proc.stdout == plain.stdout and proc.stderr == plain.stderr
    assert recs[-1]["args"] == ["x", "y z"]


def test_errors():
    proc, recs = run_boot("--script", "/nonexistent.py")
    assert proc.returncode == 1 and recs[-1]["code"] == "script_not_found"
    proc, recs = run_boot("--module", "pkg.nothing_here", cwd=DEEP)
    assert proc.returncode == 1 and recs[-1]["code"] == "module_not_found"
    proc = subprocess.run([sys.executable, str(BOOT), "--fd", "1"], capture_output=True, timeout=30)
    assert proc.returncode == 2 and b"--script or --module" in proc.stderr


def test_sigterm_takes_final_snapshot():
    r, w = os.pipe()
    p = subprocess.Popen([sys.executable, str(BOOT), "--fd", str(w), "--warmup", "0.2", "--every", "0.2",
                          "--script", str(DEEP / "server.py")], pass_fds=(w,), stdout=subprocess.PIPE)
    os.close(w)
    assert p.stdout.readline() == b"serving \n"
    import time
    time.sleep(2.5)
    p.terminate()
    p.wait(timeout=30)
    with os.fdopen(r) as f:
        recs = [json.loads(line) for line in f]
    fin = recs[-1]
    assert fin["type"] == "final" and fin["stop_reason"] == "SIGTERM" and fin["outcome"] == "stopped"
    assert fin["top_types"][0]["type_name"] == "__main__.Session"
    top = fin["top_lines"][0]
    assert len(top["series"]) == len(fin["snapshot_times"]) >= 3
    assert top["series"][-1] > top["series"][0]
