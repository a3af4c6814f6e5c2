#!/bin/bash
# bench/json-lib/run.sh [OUTDIR [N]]: jansson vs json-c vs yajl for a document
# shaped like `30secs snapshot`. Prints markdown on stdout (pasted into
# bench/json-lib.md). Usually run as `make -C bench/json-lib run`.
set -euo pipefail
cd "$(dirname "$0")"
O=${1:-../../build/json-lib}
N=${2:-10000}
RUNS=${RUNS:-5}
make -s O="$O" all >&2 2> >(grep -v 'statically linked' >&2)

echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), kernel $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(cc --version | awk 'NR == 1'); Debian libjansson-dev $(dpkg-query -W -f='${Version}' libjansson-dev), libjson-c-dev $(dpkg-query -W -f='${Version}' libjson-c-dev), libyajl-dev $(dpkg-query -W -f='${Version}' libyajl-dev); all binaries linked -static"
echo

# ---- escaping / correctness
echo "### Escaping and edge values"
echo
echo "Each value alone in a compact array. Non-ASCII bytes and DEL are shown as \\xNN; \"valid\" = the"
echo "output is UTF-8 and strict JSON (Python json.loads, NaN/Infinity rejected)."
echo
"$O/escape-jansson" >"$O/esc-jansson.txt"
"$O/escape-jsonc" >"$O/esc-jsonc.txt"
"$O/escape-yajl" >"$O/esc-yajl.txt"
/usr/bin/python3 - "$O/esc-jansson.txt" "$O/esc-jsonc.txt" "$O/esc-yajl.txt" <<'PY'
import json, sys

def load(path):
    rows = {}
    order = []
    for line in open(path, "rb").read().split(b"\n"):
        if not line:
            continue
        name, _, out = line.partition(b"\t")
        name = name.decode()
        rows[name] = out
        order.append(name)
    return rows, order

def show(b):
    s = "".join(chr(c) if 0x20 <= c < 0x7f else "\\x%02x" % c for c in b)
    return "`" + s.replace("|", "\\|") + "`"

def valid(b):
    if b.startswith(b"REFUSED"):
        return "—"
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        return "**no** (not UTF-8)"
    def bad(c):
        raise ValueError(c)
    try:
        json.loads(text, parse_constant=bad)
    except ValueError as e:
        return "**no** (%s)" % str(e).split(":")[0]
    return "yes"

libs = [load(path) for path in sys.argv[1:]]
order = []
for _, o in libs:
    for n in o:
        if n not in order:
            order.append(n)
print("| case | jansson 2.14 | valid | json-c 0.16 | valid | yajl 2.1.0 | valid |")
print("|---|---|---|---|---|---|---|")
for n in order:
    cells = []
    for rows, _ in libs:
        x = rows.get(n)
        cells += [show(x), valid(x)] if x is not None else ["n/a", ""]
    print("| %s | %s |" % (n, " | ".join(cells)))
PY
echo

# ---- speed and memory
VARIANTS=("none pretty" "jansson pretty" "jsonc pretty" "yajl pretty"
          "jansson compact" "jsonc compact" "yajl compact"
          "jansson pretty -t" "jsonc pretty -t" "yajl pretty -t")
flags_of() {
        local f=""
        [ "$2" = compact ] && f="-c"
        [ "${3:-}" = -t ] && f="$f -t"
        echo "$f"
}
RAW=$O/raw.txt
: >"$RAW"
for ((r = 1; r <= RUNS; r++)); do
        for ((i = 0; i < ${#VARIANTS[@]}; i++)); do
                v=${VARIANTS[$(((i + r) % ${#VARIANTS[@]}))]}
                # shellcheck disable=SC2046,SC2086 # flags_of takes the words of $v
                line=$("$O/bench-${v%% *}" -n "$N" $(flags_of $v))
                echo "$v|$line" >>"$RAW"
        done
done
# Instructions per document (callgrind; deterministic, immune to machine
# load): Ir(2 * CG_N docs) - Ir(CG_N docs), divided by CG_N.
CG_N=${CG_N:-200}
IR=$O/ir.txt
: >"$IR"
if command -v valgrind >/dev/null; then
        for v in "${VARIANTS[@]}"; do
                for n in "$CG_N" $((2 * CG_N)); do
                        # shellcheck disable=SC2046,SC2086
                        valgrind --tool=callgrind --callgrind-out-file="$O/cg.out" \
                                "$O/bench-${v%% *}" -n "$n" $(flags_of $v) >/dev/null 2>&1
                        echo "$v|$n|$(awk '/^(summary|totals):/ { print $2; exit }' "$O/cg.out")" >>"$IR"
                done
        done
        rm -f "$O/cg.out"
fi
for lib in jansson jsonc yajl; do
        "$O/bench-$lib" -n 1 -o "$O/doc-$lib.json" >/dev/null
        "$O/bench-$lib" -n 1 -c -o "$O/doc-$lib-compact.json" >/dev/null
done
# All six documents must parse back to the same value. Then yajl's text
# against jansson's byte for byte (-o adds a final newline to both; yajl's
# pretty text has one of its own).
same=$(/usr/bin/python3 - "$O" <<'PY'
import json, sys
o = sys.argv[1]
docs = [json.load(open("%s/doc-%s%s.json" % (o, lib, suffix)))
        for lib in ("jansson", "jsonc", "yajl") for suffix in ("", "-compact")]
print("identical" if all(d == docs[0] for d in docs) else "DIFFERENT")
PY
)
bytecmp=$(/usr/bin/python3 - "$O" <<'PY'
import sys
o = sys.argv[1]
rd = lambda lib, suffix: open("%s/doc-%s%s.json" % (o, lib, suffix), "rb").read()
c = "equals" if rd("jansson", "-compact") == rd("yajl", "-compact") else "DIFFERS from"
a, b = rd("jansson", ""), rd("yajl", "")
if a == b:
    p = "equal too"
elif b == a + b"\n":
    p = "equal too apart from a final newline yajl adds (+1 byte)"
else:
    p = "DIFFERENT"
print("Byte for byte, yajl's compact text %s jansson's; pretty: %s." % (c, p))
PY
)
keys=$(sed -n '1s/.* keys=\([0-9]*\).*/\1/p' "$RAW")

echo "### Build + serialize, $N documents, $RUNS interleaved runs"
echo
echo "Document: $keys object keys (nested objects, arrays of 10 process objects whose strings hold"
echo "quotes, backslashes, newlines, tabs, ESC, DEL and other control bytes; 111 reals, 131 integers, 146 strings); all three libraries"
echo "produce the same document ($same when parsed back, pretty and compact)."
echo "$bytecmp"
echo "yajl streams: it writes the text while the document is described, so its \"build\" column is the"
echo "whole serialization, \"dump\" only closes the root, \"free\" frees the generator and its buffer."
echo "Times are CPU (CLOCK_PROCESS_CPUTIME_ID)"
echo "per document, median (and minimum) of the runs; Ir/doc is callgrind's instruction count per"
echo "document (build + dump + free), which machine load cannot disturb. Peak RSS is the whole"
echo "static process (VmHWM)."
echo
echo "| library | output | API | bytes/doc | Ir/doc | total µs/doc (min) | build µs | dump µs | free µs | peak RSS KiB |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for v in "${VARIANTS[@]}"; do
        # shellcheck disable=SC2086
        set -- $v
        api=plain
        [ "${3:-}" = -t ] && api=tuned
        awk -F'|' -v v="$v" '$1 == v { print $2 }' "$RAW" | /usr/bin/python3 -c '
import re, statistics, sys
rows = [dict(kv.split("=", 1) for kv in re.findall(r"(\w+=\S+)", l)) for l in sys.stdin]
med = lambda k: statistics.median(float(r[k]) for r in rows)
low = lambda k: min(float(r[k]) for r in rows)
lib, out, api, v, irfile = sys.argv[1:6]
ir = {}
for l in open(irfile):
    name, n, total = l.rstrip("\n").split("|")
    if name == v and total:
        ir[int(n)] = int(total)
irdoc = "%d" % ((max(ir.values()) - min(ir.values())) / (max(ir) - min(ir))) if len(ir) == 2 else "n/a"
name = {"none": "none (baseline)", "jansson": "jansson", "jsonc": "json-c", "yajl": "yajl"}[lib]
print("| %s | %s | %s | %d | %s | %.1f (%.1f) | %.1f | %.1f | %.1f | %d |" % (name, out, api,
      med("bytes"), irdoc, med("us_per_doc"), low("us_per_doc"), med("build_us"), med("dump_us"),
      med("free_us"), med("peak_rss_kib")))
' "$1" "$2" "$api" "$v" "$IR"
done
echo

echo "### Static-link size"
echo
base=$(mktemp)
strip -o "$base" "$O/bench-none"
bs=$(stat -c %s "$base")
echo "| | bytes | stripped | stripped delta vs no JSON library |"
echo "|---|---:|---:|---:|"
for lib in none jansson jsonc yajl; do
        s=$(mktemp)
        strip -o "$s" "$O/bench-$lib"
        ss=$(stat -c %s "$s")
        printf '| bench-%s | %s | %s | %+d |\n' "$lib" "$(stat -c %s "$O/bench-$lib")" "$ss" $((ss - bs))
        rm -f "$s"
done
rm -f "$base"
for a in libjansson.a libjson-c.a libyajl_s.a; do
        f=/usr/lib/x86_64-linux-gnu/$a
        printf '| %s (archive, whole) | %s | | |\n' "$a" "$(stat -c %s "$f")"
done
