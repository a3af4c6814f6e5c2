# SPDX-License-Identifier: MIT
"""30secs leak --deep-python: run a Python target under tracemalloc and
report which source lines and object types grew.

Embedded into the 30secs binary at build time (Makefile -> gen C array)
and run as

    python3 -c STUB  [options] (--script F | --module M) [-- args]

where STUB compiles this source (taken from $THIRTYSECS_BOOTSTRAP) under the
file name "<30secs-bootstrap>" so its frames can be filtered. It also runs
on its own for tests: python3 tracemalloc_bootstrap.py --fd 1 --script x.py

Results go as JSON lines to the file descriptor given by --fd (or
$THIRTYSECS_DEEP_FD); the target's stdin/stdout/stderr are never touched.
Records ("type" key): "hello" (interpreter ok), "error" (cannot start the
target: code script_not_found / module_not_found / python_too_old / usage),
"sample" (one per snapshot, small), "final" (the report, once).

Snapshots
- "start": just before the target runs (interpreter start-up and this
  bootstrap's own imports are already traced and so never count as growth).
- baseline: the snapshot growth is measured against. It is taken by the
  sampler thread --warmup seconds (default 1) after the target started, so
  the target's own imports and start-up allocations are not reported as
  growth. A target that ends (or is stopped) before the warm-up has elapsed
  is measured against "start" instead, and the report says so
  ("baseline": "start").
- every --every seconds after the baseline (optional), from a daemon thread.
- final: when the target returns, raises or calls sys.exit (at atexit, after
  its non-daemon threads ended), or on SIGTERM/SIGINT while it still runs.

Each snapshot is reduced once with statistics('lineno') to a {line: size,
count} aggregate and dropped; diffs are computed here (never compare_to or
filter_traces, which are many times slower on large heaps). Types come from
Counter(map(type, gc.get_objects())): objects the GC does not track (str,
bytes, int, float, containers of only those) are invisible to it. A type's
size_diff is count_diff x the mean sys.getsizeof of up to 1000 live
instances (shallow size; an estimate, cheap at any heap size).
"""
import atexit
import collections
import gc
import json
import os
import signal
import sys
import threading
import time

SELF_NAME = "<30secs-bootstrap>"
MAX_POINTS = 120          # per-snapshot series kept (decimated beyond)
TYPE_SAMPLE = 1000        # instances sampled per type for the size estimate
# Frames of this bootstrap and runpy under the target's own frames: traced
# on top of --traceback-limit, then cut from the reported tracebacks.
BOOTSTRAP_FRAMES = 6


def _self_file():
    return _self_file.__code__.co_filename


def _usage(msg):
    raise _UsageError(msg)


class _UsageError(Exception):
    pass


def parse_args(argv):
    opts = {"fd": None, "every": 0.0, "warmup": 1.0, "top_lines": 15,
            "top_types": 15, "traceback_limit": 25, "script": None,
            "module": None, "args": []}
    i = 0
    floats = {"--every": "every", "--warmup": "warmup"}
    ints = {"--fd": "fd", "--top-lines": "top_lines", "--top-types": "top_types",
            "--traceback-limit": "traceback_limit"}
    while i < len(argv):
        a = argv[i]
        if a == "--":
            opts["args"] = list(argv[i + 1:])
            break
        if a in floats or a in ints or a in ("--script", "--module"):
            if i + 1 >= len(argv):
                _usage("%s needs a value" % a)
            v = argv[i + 1]
            try:
                if a in floats:
                    opts[floats[a]] = float(v)
                    if not opts[floats[a]] >= 0:
                        raise ValueError
                elif a in ints:
                    opts[ints[a]] = int(v)
                    if opts[ints[a]] < 0:
                        raise ValueError
                else:
                    opts[a[2:]] = v
            except ValueError:
                _usage("bad value for %s: %r" % (a, v))
            i += 2
            continue
        _usage("unknown argument %r" % a)
    if (opts["script"] is None) == (opts["module"] is None):
        _usage("give exactly one of --script or --module")
    if opts["fd"] is None:
        env = os.environ.get("THIRTYSECS_DEEP_FD")
        if env is None:
            _usage("give --fd N or set THIRTYSECS_DEEP_FD")
        opts["fd"] = int(env)
    return opts


class Channel(object):
    """One JSON object per line, one os.write per record."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()
        try:
            os.set_inheritable(fd, False)   # not for the target's children
        except OSError:
            pass

    def send(self, rec):
        data = (json.dumps(rec, separators=(",", ":")) + "\n").encode("utf-8", "replace")
        with self.lock:
            while data:
                try:
                    n = os.write(self.fd, data)
                except InterruptedError:
                    continue
                except OSError:
                    return      # reader gone: keep the target running
                data = data[n:]


class Sampler(object):
    def __init__(self, opts, chan, tracemalloc):
        self.o = opts
        self.chan = chan
        self.tm = tracemalloc
        self.lock = threading.RLock()
        self.t0 = time.monotonic()
        # Line keys as "file:line" strings and parallel lists: strings are
        # not GC-tracked, so this bookkeeping never shows up as a growing
        # type in the target's report (tuples would).
        self.key_ids = {}        # "filename:lineno" -> int
        self.key_file = []       # int -> filename
        self.key_line = []       # int -> lineno
        self.type_ids = {}       # type -> int
        self.types = []
        self.points = []         # [(t, {id: size}, {id: count}, {tid: n})]
        self.baseline_kind = "start"
        self.final_started = False
        self.final_sent = False
        self.stop_reason = None
        self.outcome = "running"
        self.exit_code = None
        skip = {SELF_NAME, _self_file(), self.tm.__file__, threading.__file__,
                "<frozen runpy>", "<frozen importlib._bootstrap>",
                "<frozen importlib._bootstrap_external>"}
        import runpy
        skip.add(runpy.__file__)
        self.skip = skip

    # -- one snapshot -> aggregates ------------------------------------
    def _aggregate(self, snap):
        stats = snap.statistics("lineno")
        sizes, counts = {}, {}
        key_ids, skip = self.key_ids, self.skip
        for st in stats:
            fr = st.traceback[0]
            if fr.filename in skip:
                continue
            k = "%s:%d" % (fr.filename, fr.lineno)
            kid = key_ids.get(k)
            if kid is None:
                kid = key_ids[k] = len(self.key_file)
                self.key_file.append(fr.filename)
                self.key_line.append(fr.lineno)
            sizes[kid] = st.size
            counts[kid] = st.count
        del stats
        return sizes, counts

    def _type_counts(self):
        objs = gc.get_objects()
        c = collections.Counter(map(type, objs))
        del objs
        out = {}
        for t, n in c.items():
            tid = self.type_ids.get(t)
            if tid is None:
                tid = self.type_ids[t] = len(self.types)
                self.types.append(t)
            out[tid] = n
        return out

    def take(self, label, keep_snapshot=False):
        """Takes one snapshot; returns the Snapshot if keep_snapshot."""
        with self.lock:
            c0 = time.monotonic()
            t = c0 - self.t0
            # The type count and take_snapshot each hold the GIL from start
            # to end, so both see (nearly) the same moment, and the count
            # runs first so the snapshot's own trace tuples are not in it.
            # The slow part (grouping
            # by line) then runs on the frozen snapshot while the target
            # goes on. Type counts only where the report needs them (ticks
            # feed the per-line series only, and stay cheaper).
            types = self._type_counts() if label != "tick" else {}
            snap = self.tm.take_snapshot()
            c1 = time.monotonic()
            sizes, counts = self._aggregate(snap)
            c2 = time.monotonic()
            if label == "baseline":
                self.points = [(t, sizes, counts, types)]
                self.baseline_kind = "warmup"
            else:
                self.points.append((t, sizes, counts, types))
                if len(self.points) > MAX_POINTS:
                    # keep baseline and the latest; drop every other in between
                    mid = self.points[1:-1][1::2]
                    self.points = [self.points[0]] + mid + [self.points[-1]]
            cur, peak = self.tm.get_traced_memory()
            self.chan.send({"type": "sample", "label": label, "t": round(t, 3),
                            "traced_current_bytes": cur, "traced_peak_bytes": peak,
                            "capture_seconds": round(c1 - c0, 4),
                            "lines_seconds": round(c2 - c1, 4)})
            if keep_snapshot:
                return snap
            return None

    # -- sampler thread -------------------------------------------------
    def run_thread(self):
        warm = self.o["warmup"]
        every = self.o["every"]
        next_t = self.t0 + warm
        first = True
        while True:
            delay = next_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            with self.lock:
                if self.final_started:
                    return
                cost0 = time.monotonic()
                self.take("baseline" if first else "tick")
                cost = time.monotonic() - cost0
            first = False
            if every <= 0:
                return
            # at least 10x the snapshot's own cost between snapshots, so the
            # sampler takes at most ~10% of the target's time
            next_t = max(next_t + every, time.monotonic() + 10 * cost)

    # -- the report -----------------------------------------------------
    def final(self, reason):
        with self.lock:
            if self.final_started:
                return
            self.final_started = True
            for s in (signal.SIGTERM, signal.SIGINT):
                try:
                    signal.signal(s, signal.SIG_IGN)
                except (ValueError, OSError):
                    pass          # not the main thread
            if self.stop_reason is None:
                self.stop_reason = reason
            snap = self.take("final", keep_snapshot=True)
            rep = self._report(snap)
            del snap
            self.chan.send(rep)
            self.final_sent = True

    def _tracebacks(self, snap, want):
        """Per wanted line id: the traceback carrying the most bytes."""
        out = {}
        raw = getattr(getattr(snap, "traces", None), "_traces", None)
        if raw is None:
            return out
        wanted = {}
        for kid in want:
            wanted[(self.key_file[kid], self.key_line[kid])] = kid
        acc = {}
        for tr in raw:
            frames = tr[2]
            if not frames:
                continue
            kid = wanted.get(frames[0])
            if kid is None:
                continue
            d = acc.setdefault(kid, {})
            d[frames] = d.get(frames, 0) + tr[1]
        limit = self.o["traceback_limit"]
        skip = self.skip
        for kid, d in acc.items():
            frames = max(d.items(), key=lambda kv: kv[1])[0]
            # most recent first in the raw form; report oldest first like
            # tracemalloc.Traceback, without this bootstrap and runpy
            lst = ["%s:%d" % (f, ln) for (f, ln) in reversed(frames)
                   if f not in skip and f != "<string>"]
            out[kid] = lst[-limit:] if limit else []
        return out

    def _report(self, snap):
        import linecache
        o = self.o
        pts = self.points
        base, last = pts[0], pts[-1]
        bs, bc, bt = base[1], base[2], base[3]
        ls, lc, lt = last[1], last[2], last[3]
        diffs = []
        for kid in set(ls) | set(bs):
            sd = ls.get(kid, 0) - bs.get(kid, 0)
            if sd > 0:
                diffs.append((sd, lc.get(kid, 0) - bc.get(kid, 0), kid))
        diffs.sort(key=lambda d: (-d[0], -d[1], d[2]))
        top = diffs[:o["top_lines"]]
        tbs = self._tracebacks(snap, [d[2] for d in top]) if snap is not None else {}
        times = [round(p[0], 3) for p in pts]
        lines = []
        for sd, cd, kid in top:
            fn, ln = self.key_file[kid], self.key_line[kid]
            b = bs.get(kid, 0)
            ent = {"filename": fn, "lineno": ln, "size_diff": sd, "count_diff": cd,
                   "size": ls.get(kid, 0), "count": lc.get(kid, 0),
                   "code": linecache.getline(fn, ln).strip(),
                   "traceback": tbs.get(kid, ["%s:%d" % (fn, ln)])}
            if len(pts) > 2:
                ent["series"] = [p[1].get(kid, 0) for p in pts]
            lines.append(ent)
        tdiffs = []
        for tid in set(lt) | set(bt):
            cd = lt.get(tid, 0) - bt.get(tid, 0)
            if cd > 0:
                tdiffs.append((cd, tid))
        tdiffs.sort(key=lambda d: (-d[0], d[1]))
        ttop = tdiffs[:o["top_types"]]
        sizes = self._type_sizes([tid for _, tid in ttop])
        types = []
        for cd, tid in ttop:
            t = self.types[tid]
            ent = {"type_name": _type_name(t), "count_diff": cd,
                   "size_diff": int(round(cd * sizes.get(tid, 0.0))),
                   "count": lt.get(tid, 0)}
            types.append(ent)
        cur, peak = self.tm.get_traced_memory()
        return {
            "type": "final",
            "target": o["script"] if o["script"] is not None else o["module"],
            "mode": "script" if o["script"] is not None else "module",
            "args": o["args"],
            "python": sys.version.split()[0],
            "duration_seconds": round(time.monotonic() - self.t0, 3),
            "traced_current_bytes": cur,
            "traced_peak_bytes": peak,
            "tracemalloc_memory_bytes": self.tm.get_tracemalloc_memory(),
            "traceback_frames": self.tm.get_traceback_limit(),
            "baseline": self.baseline_kind,
            "baseline_seconds": round(base[0], 3),
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "stop_reason": self.stop_reason,
            "snapshot_times": times,
            "top_lines": lines,
            "top_types": types,
        }

    def _type_sizes(self, tids):
        want = {}
        for tid in tids:
            want[self.types[tid]] = tid
        acc = {}
        getsizeof = sys.getsizeof
        for ob in gc.get_objects():
            tid = want.get(type(ob))
            if tid is None:
                continue
            a = acc.setdefault(tid, [0, 0])
            if a[1] >= TYPE_SAMPLE:
                continue
            try:
                a[0] += getsizeof(ob)
                a[1] += 1
            except Exception:
                pass
        return dict((tid, float(s) / n) for tid, (s, n) in acc.items() if n)


def _type_name(t):
    mod = getattr(t, "__module__", None)
    name = getattr(t, "__qualname__", None) or getattr(t, "__name__", "?")
    if mod in (None, "builtins"):
        return name
    return "%s.%s" % (mod, name)


def _print_target_error(exc, skip):
    """Prints exc as Python would for the target: frames of this bootstrap
    and runpy left out."""
    import traceback
    tb = exc.__traceback__
    while tb is not None and (tb.tb_frame.f_code.co_filename in skip or
                              tb.tb_frame.f_code.co_filename == "<string>"):
        tb = tb.tb_next
    try:
        traceback.print_exception(type(exc), exc, tb)
        sys.stderr.flush()
    except Exception:
        pass


def main(argv):
    if sys.version_info < (3, 8):
        fd = os.environ.get("THIRTYSECS_DEEP_FD")
        msg = "Python %d.%d is too old: 3.8 or newer is needed" % sys.version_info[:2]
        if fd is not None:
            os.write(int(fd), (json.dumps({"type": "error", "code": "python_too_old",
                                           "message": msg}) + "\n").encode())
        sys.stderr.write(msg + "\n")
        return 1
    try:
        opts = parse_args(argv)
    except _UsageError as e:
        sys.stderr.write("30secs bootstrap: %s\n" % e)
        return 2
    os.environ.pop("THIRTYSECS_BOOTSTRAP", None)
    os.environ.pop("THIRTYSECS_DEEP_FD", None)
    chan = Channel(opts["fd"])
    import linecache     # noqa: F401
    import pkgutil       # noqa: F401  (runpy.run_path imports it)
    import runpy
    import tracemalloc
    chan.send({"type": "hello", "python": sys.version.split()[0],
               "executable": sys.executable, "pid": os.getpid()})

    # Resolve the target before anything runs.
    if opts["script"] is not None:
        path = opts["script"]
        if not os.path.isfile(path):
            chan.send({"type": "error", "code": "script_not_found",
                       "message": "script not found: %s" % path})
            return 1
        sys.argv = [path] + opts["args"]
        sys.path[0] = os.path.dirname(os.path.abspath(path))
    else:
        import importlib.util
        sys.path[0] = os.getcwd()
        sys.argv = [opts["module"]] + opts["args"]
        try:
            spec = importlib.util.find_spec(opts["module"])
        except ImportError:
            spec = None
        except ValueError:
            spec = None
        if spec is None:
            chan.send({"type": "error", "code": "module_not_found",
                       "message": "no module named %s" % opts["module"]})
            return 1

    # Tracing starts here, right before the target runs, not with
    # -X tracemalloc at interpreter start: tracing the interpreter's own
    # start-up made it ~10x slower (1.3 s instead of 0.13 s with a pyenv
    # 3.11) and left ~50k start-up traces that made every snapshot cost
    # seconds, for allocations that can never be the target's growth.
    # A tracing already started (PYTHONTRACEMALLOC, -X) is kept as it is.
    if not tracemalloc.is_tracing():
        tracemalloc.start(max(1, opts["traceback_limit"]) + BOOTSTRAP_FRAMES)
    s = Sampler(opts, chan, tracemalloc)
    keep = []          # the target's globals / exception stay alive for the final snapshot

    def on_term(signum, frame):
        s.stop_reason = "SIGTERM"
        raise SystemExit(128 + signum)

    def on_int(signum, frame):
        if s.stop_reason is None:
            s.stop_reason = "SIGINT"
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    # Explicitly: a child started in the background by a non-interactive
    # shell inherits SIGINT ignored and would never see KeyboardInterrupt.
    signal.signal(signal.SIGINT, on_int)
    atexit.register(s.final, "exit")

    s.t0 = time.monotonic()
    s.take("start")
    th = threading.Thread(target=s.run_thread, name="30secs-sampler", daemon=True)
    th.start()
    rc = 0
    try:
        if opts["script"] is not None:
            keep.append(runpy.run_path(opts["script"], run_name="__main__"))
        else:
            keep.append(runpy.run_module(opts["module"], run_name="__main__", alter_sys=True))
        s.outcome = "returned"
    except SystemExit as e:
        keep.append(e)
        code = e.code
        if s.stop_reason is not None:
            s.outcome = "stopped"
        else:
            s.outcome = "exited"
        if code is None:
            rc = 0
        elif isinstance(code, int):
            rc = code
        else:
            sys.stderr.write("%s\n" % (code,))
            rc = 1
    except KeyboardInterrupt as e:
        keep.append(e)
        s.outcome = "stopped" if s.stop_reason else "interrupted"
        _print_target_error(e, s.skip)
        rc = 130
    except BaseException as e:
        keep.append(e)
        s.outcome = "raised"
        _print_target_error(e, s.skip)
        rc = 1
    s.exit_code = rc
    # The final snapshot is taken at atexit (after the target's non-daemon
    # threads ended); the sampler holds the target's globals (or its
    # exception, whose frames hold them) until then.
    s.keep = keep
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
