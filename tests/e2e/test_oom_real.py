"""A real OOM kill inside a throw-away memory cgroup, reported by `oom`.

Creates a child memory cgroup (cgroup v2 memory.max, or v1
memory.limit_in_bytes on hybrid hosts like this one), runs memshape in it
until the kernel kills it, and checks `oom -f json` and `oom --follow`.
The cgroup is removed afterwards. Where no memory cgroup can be created
(no root, no controller) the tests are skipped with the reason."""
import json
import os
import select
import subprocess
import time
import uuid

import pytest

from conftest import BIN, run

PROGS = os.environ.get("THIRTYSECS_PROGS", os.path.join(os.path.dirname(BIN), "tests", "progs"))
MEMSHAPE = os.path.join(PROGS, "memshape")


def _make_cgroup():
    name = f"30secs-oomtest-{uuid.uuid4().hex[:8]}"
    candidates = []
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        with open("/sys/fs/cgroup/cgroup.controllers") as f:
            if "memory" in f.read().split():
                candidates.append(("v2", "/sys/fs/cgroup", "memory.max"))
    if os.path.isdir("/sys/fs/cgroup/memory"):
        candidates.append(("v1", "/sys/fs/cgroup/memory", "memory.limit_in_bytes"))
    for version, root, limit_file in candidates:
        path = os.path.join(root, name)
        try:
            os.mkdir(path)
            with open(os.path.join(path, limit_file), "w") as f:
                f.write(str(48 * 1024 * 1024))
            return version, root, path
        except OSError:
            try:
                os.rmdir(path)
            except OSError:
                pass
    return None


@pytest.fixture
def oom_cgroup():
    made = _make_cgroup()
    if made is None:
        pytest.skip("cannot create a memory cgroup here (needs root and a v1 or v2 memory controller)")
    version, root, path = made
    yield version, "/" + os.path.relpath(path, root)
    for _ in range(50):
        try:
            os.rmdir(path)
            break
        except OSError:
            time.sleep(0.1)


def _run_hog(cgroup_dir_abs):
    """Starts memshape inside the cgroup; returns the Popen."""
    script = f'echo $$ > "{cgroup_dir_abs}/cgroup.procs" && exec "{MEMSHAPE}" linear 4096 5'
    return subprocess.Popen(["/bin/sh", "-c", script], stdout=subprocess.DEVNULL)


def _abs(version, rel):
    return ("/sys/fs/cgroup" if version == "v2" else "/sys/fs/cgroup/memory") + rel


def _find(events, pid):
    return [e for e in events if e.get("pid") == pid]


def test_real_oom_kill_is_reported(oom_cgroup):
    version, rel = oom_cgroup
    hog = _run_hog(_abs(version, rel))
    hog.wait(timeout=30)
    assert hog.returncode == -9, "the kernel's OOM killer should have sent SIGKILL"
    r = run("oom", "-f", "json", timeout=60)
    assert r.rc == 0, r.err
    doc = r.json()
    (ev,) = _find(doc["events"], hog.pid)
    assert ev["name"] == "memshape"
    assert ev["anon_rss_kb"] > 30 * 1024
    assert ev["total_vm_kb"] >= ev["anon_rss_kb"]
    assert rel in (ev["memcg"] or "") or rel in (ev["task_memcg"] or "") or rel in (ev["oom_memcg"] or "")
    assert ev["memcg_limit_kb"] == 48 * 1024
    assert ev["time"].startswith(time.strftime("%Y-"))
    assert doc["total_events"] >= 1


def test_follow_reports_a_kill_within_a_second(oom_cgroup):
    version, rel = oom_cgroup
    follower = subprocess.Popen([BIN, "oom", "--follow", "-f", "json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)  # let it drain the existing buffer first
        hog = _run_hog(_abs(version, rel))
        hog.wait(timeout=30)
        killed_at = time.monotonic()
        deadline = killed_at + 5
        found = None
        buf = b""
        while time.monotonic() < deadline and found is None:
            ready, _, _ = select.select([follower.stdout], [], [], 0.1)
            if not ready:
                continue
            chunk = os.read(follower.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                ev = json.loads(line)
                if ev.get("pid") == hog.pid:
                    found = (time.monotonic(), ev)
        assert found is not None, "no event for the killed process from --follow"
        assert found[0] - killed_at < 1.0, f"reported {found[0] - killed_at:.2f} s after the kill"
        assert found[1]["name"] == "memshape" and found[1]["anon_rss_kb"] > 0
    finally:
        follower.terminate()
        follower.wait(timeout=10)
    assert follower.returncode == 0
