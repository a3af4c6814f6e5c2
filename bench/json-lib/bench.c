/* SPDX-License-Identifier: MIT */
/*
 * json-lib benchmark (bench only, not part of 30secs): builds and
 * serializes a document shaped like `30secs snapshot` N times with the
 * library linked in (emit-*.c), and reports CPU per document (build,
 * dump, free) and peak RSS.
 *
 *   bench-jansson [-n N] [-c] [-t] [-o FILE]
 *     -n N     documents (default 10000); 0 = baseline RSS only
 *     -c       compact output (default: 2-space indent, like `snapshot`)
 *     -t       "tuned" API variant (see emit.h)
 *     -o FILE  also write the last document to FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "emit.h"

#define S(key, lit) emit_str(key, lit, sizeof(lit) - 1)

int emit_pretty = 1;

static int n_keys, counting = 1;
/* Counts object members while describing (first document only). */
#define K(x) (n_keys += counting, (x))

static void pressure(const char *key, double base)
{
        emit_obj(K(key));
        emit_obj(K("some"));
        emit_real(K("avg10"), base);
        emit_real(K("avg60"), base / 2);
        emit_real(K("avg300"), base / 4);
        emit_int(K("total"), 45087711);
        emit_end();
        emit_obj(K("full"));
        emit_real(K("avg10"), 0.0);
        emit_real(K("avg60"), 0.0);
        emit_real(K("avg300"), 0.0);
        emit_int(K("total"), 0);
        emit_end();
        emit_end();
}

static void bytes(const char *key, const char *human_key, int64_t v, const char *human)
{
        emit_int(K(key), v);
        emit_str(K(human_key), human, strlen(human));
}

/* Process names and command lines as the kernel may hand them over:
 * quotes, backslashes, newlines, tabs, ESC, DEL and other control bytes
 * (all valid UTF-8, like 30secs' strings after utf8_sanitize). */
static const char *const names[10] = {
        "python3",      "my \"worker\"",    "evil\nname",   "tab\tbed",  "esc\x1b[31mred",
        "back\\slash",  "bell\a\b\f\v",     "del\x7f",      "kworker/0:2-mm_percpu_wq",
        "na\xc3\xafve \xe2\x9c\x93", /* UTF-8 */
};

static void process(int i, int iter)
{
        emit_obj(NULL);
        emit_int(K("pid"), 1000 + i * 37);
        emit_str(K("name"), names[i], strlen(names[i]));
        S(K("username"), "root");
        emit_real(K("cpu_percent"), 97.6 - i * 3.3 + (iter % 7) * 0.1);
        emit_real(K("memory_percent"), 0.08 * (i + 1));
        S(K("status"), "sleeping");
        emit_int(K("rss"), 19898368 - i * 100000);
        emit_int(K("num_threads"), 1 + i);
        emit_str(K("cmdline"), names[(i + 3) % 10], strlen(names[(i + 3) % 10]));
        emit_real(K("create_time"), 1795631133.52 + i);
        emit_end();
}

static void describe(int iter)
{
        emit_begin();
        S(K("timestamp"), "2026-11-25T18:53:00.747571+00:00");
        emit_int(K("schema_version"), 1);

        emit_obj(K("system"));
        S(K("hostname"), "node-7");
        emit_obj(K("platform"));
        S(K("system"), "Linux");
        S(K("release"), "6.18.44-fc-v782");
        S(K("version"), "#1 SMP PREEMPT_DYNAMIC @0");
        S(K("machine"), "x86_64");
        S(K("processor"), "x86_64");
        S(K("libc_version"), "glibc 2.36");
        S(K("tool_version"), "0.1.0");
        emit_end();
        emit_int(K("boot_time"), 1795631133);
        emit_real(K("uptime_seconds"), 1646.97 + iter);
        S(K("uptime_human"), "0:27:26");
        emit_arr(K("users"));
        for (int u = 0; u < 2; u++) {
                emit_obj(NULL);
                S(K("name"), "alice");
                S(K("terminal"), "pts/0");
                S(K("host"), "10.0.0.1");
                emit_real(K("started"), 1795631200.0);
                emit_end();
        }
        emit_end();
        emit_end();

        emit_obj(K("cpu"));
        emit_real(K("percent"), 50.0);
        emit_arr(K("percent_per_core"));
        for (int c = 0; c < 8; c++)
                emit_real(NULL, c * 12.5);
        emit_end();
        emit_int(K("count_logical"), 8);
        emit_int(K("count_physical"), 4);
        emit_obj(K("frequency"));
        emit_real(K("current"), 2445.4);
        emit_null(K("min"));
        emit_null(K("max"));
        emit_end();
        emit_obj(K("loadavg"));
        emit_real(K("1m"), 1.48);
        emit_real(K("5m"), 1.71);
        emit_real(K("15m"), 0.17);
        emit_end();
        emit_obj(K("times"));
        static const char *const tk[10] = { "user", "system", "idle", "nice", "iowait",
                                            "irq", "softirq", "steal", "guest", "guest_nice" };
        for (int t = 0; t < 10; t++)
                emit_real(K(tk[t]), 230.86 * t);
        emit_end();
        emit_int(K("ctx_switches"), 876170);
        emit_int(K("interrupts"), 648312);
        pressure("pressure", 28.65);
        emit_end();

        emit_obj(K("memory"));
        emit_obj(K("virtual"));
        bytes("total", "total_human", 25276063744, "23.5 GB");
        bytes("available", "available_human", 24851308544, "23.1 GB");
        bytes("used", "used_human", 176390144, "168.2 MB");
        emit_int(K("free"), 24662028288);
        emit_real(K("percent"), 1.7);
        emit_int(K("buffers"), 4558848);
        emit_int(K("cached"), 433086464);
        emit_int(K("shared"), 9166848);
        emit_int(K("active"), 259821568);
        emit_int(K("inactive"), 136925184);
        emit_end();
        emit_obj(K("swap"));
        bytes("total", "total_human", 0, "0 B");
        bytes("used", "used_human", 0, "0 B");
        emit_int(K("free"), 0);
        emit_real(K("percent"), 0.0);
        emit_int(K("sin"), 0);
        emit_int(K("sout"), 0);
        emit_end();
        emit_obj(K("cgroup"));
        emit_int(K("version"), 2);
        S(K("path"), "/kubepods.slice/kubepods-burstable.slice/pod\"x\"/cri-containerd-1.scope");
        bytes("limit", "limit_human", 536870912, "512.0 MB");
        bytes("usage", "usage_human", 301989888, "288.0 MB");
        emit_real(K("percent"), 56.25);
        emit_int(K("oom_kill"), 3);
        pressure("pressure", 1.5);
        emit_end();
        emit_end();

        emit_obj(K("disk"));
        emit_arr(K("partitions"));
        for (int p = 0; p < 3; p++) {
                emit_obj(NULL);
                S(K("device"), "/dev/vda");
                S(K("mountpoint"), "/var/lib/kubelet/pods/x y/volumes");
                S(K("fstype"), "ext4");
                bytes("total", "total_human", 270553174016, "252.0 GB");
                bytes("used", "used_human", 17031102464, "15.9 GB");
                bytes("free", "free_human", 85714178048, "79.8 GB");
                emit_real(K("percent"), 16.6);
                emit_int(K("inodes_total"), 16777216);
                emit_int(K("inodes_free"), 16365550);
                emit_end();
        }
        emit_end();
        emit_obj(K("io"));
        emit_int(K("read_count"), 44621);
        emit_int(K("write_count"), 5993);
        bytes("read_bytes", "read_bytes_human", 1596130304, "1.5 GB");
        bytes("write_bytes", "write_bytes_human", 416952320, "397.6 MB");
        emit_int(K("read_time_ms"), 22664);
        emit_int(K("write_time_ms"), 5082);
        emit_int(K("busy_time_ms"), 7596);
        emit_end();
        emit_end();

        emit_obj(K("network"));
        emit_obj(K("io"));
        bytes("bytes_sent", "bytes_sent_human", 54835, "53.5 KB");
        bytes("bytes_recv", "bytes_recv_human", 18579781, "17.7 MB");
        emit_int(K("packets_sent"), 787);
        emit_int(K("packets_recv"), 958);
        emit_int(K("errin"), 0);
        emit_int(K("errout"), 0);
        emit_int(K("dropin"), 0);
        emit_int(K("dropout"), 0);
        emit_end();
        emit_arr(K("interfaces"));
        for (int f = 0; f < 2; f++) {
                emit_obj(NULL);
                S(K("name"), "eth0");
                emit_bool(K("is_up"), 1);
                emit_int(K("mtu"), 1500);
                emit_int(K("speed"), 10000);
                emit_arr(K("addresses"));
                for (int a = 0; a < 3; a++) {
                        emit_obj(NULL);
                        S(K("family"), "AF_INET6");
                        S(K("address"), "fe80::fc:ff:fe00:1");
                        S(K("netmask"), "ffff:ffff:ffff:ffff::");
                        emit_null(K("broadcast"));
                        emit_end();
                }
                emit_end();
                emit_end();
        }
        emit_end();
        emit_obj(K("connections"));
        emit_int(K("total"), 42);
        emit_int(K("established"), 17);
        emit_int(K("listen"), 5);
        emit_int(K("time_wait"), 20);
        emit_end();
        emit_end();

        emit_obj(K("processes"));
        emit_int(K("total"), 312);
        emit_int(K("threads_total"), 1089);
        emit_obj(K("status_counts"));
        emit_int(K("running"), 2);
        emit_int(K("sleeping"), 273);
        emit_int(K("idle"), 37);
        emit_end();
        emit_arr(K("top_by_cpu"));
        for (int i = 0; i < 10; i++)
                process(i, iter);
        emit_end();
        emit_arr(K("top_by_memory"));
        for (int i = 0; i < 10; i++)
                process(9 - i, iter);
        emit_end();
        emit_end();

        emit_obj(K("collectors"));
        static const char *const col[7] = { "system", "cpu",     "memory",   "cgroup",
                                            "disk",   "network", "processes" };
        for (int c = 0; c < 7; c++) {
                emit_obj(K(col[c]));
                emit_bool(K("success"), 1);
                emit_real(K("duration_seconds"), 0.000089 * (c + 1));
                emit_end();
        }
        emit_end();
}

/* Peak RSS of this program only. ru_maxrss would also count the RSS the
 * process had before exec (the forking shell's), VmHWM does not. */
static long vm_hwm_kib(void)
{
        char line[256];
        long v = -1;
        FILE *f = fopen("/proc/self/status", "r");
        if (!f)
                return -1;
        while (fgets(line, sizeof line, f))
                if (sscanf(line, "VmHWM: %ld kB", &v) == 1)
                        break;
        fclose(f);
        return v;
}

static double now_cpu(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
        long n = 10000;
        int pretty = 1, opt;
        const char *out = NULL;
        while ((opt = getopt(argc, argv, "n:cto:")) != -1) {
                switch (opt) {
                case 'n': n = strtol(optarg, NULL, 10); break;
                case 'c': pretty = 0; break;
                case 't': emit_tuned = 1; break;
                case 'o': out = optarg; break;
                default: return 2;
                }
        }

        emit_pretty = pretty;

        double t_build = 0, t_dump = 0, t_free = 0;
        size_t len = 0, total = 0;
        const char *text = NULL;
        FILE *f = NULL;
        for (long i = 0; i < n; i++) {
                double t0 = now_cpu();
                describe((int)i);
                double t1 = now_cpu();
                text = emit_dump(pretty, &len);
                double t2 = now_cpu();
                if (!text) {
                        fprintf(stderr, "dump failed\n");
                        return 1;
                }
                total += len;
                if (i == n - 1 && out) {
                        f = fopen(out, "w");
                        if (!f || fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF || fclose(f))
                                return 1;
                }
                emit_finish();
                double t3 = now_cpu();
                t_build += t1 - t0;
                t_dump += t2 - t1;
                t_free += t3 - t2;
                counting = 0;
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                     ru.ru_stime.tv_usec / 1e6;
        double per = n ? 1e6 / n : 0;
        printf("lib=%s%s mode=%s docs=%ld keys=%d bytes=%zu cpu_total_s=%.3f "
               "us_per_doc=%.2f build_us=%.2f dump_us=%.2f free_us=%.2f peak_rss_kib=%ld\n",
               emit_lib_name, emit_tuned ? " (tuned)" : "", pretty ? "pretty" : "compact", n,
               n_keys, n ? total / (size_t)n : 0, cpu, cpu * per, t_build * per, t_dump * per,
               t_free * per, vm_hwm_kib());
        return 0;
}
