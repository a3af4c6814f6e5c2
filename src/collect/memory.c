/* SPDX-License-Identifier: MIT */
#include "collect/memory.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "collect/psi.h"
#include "util/fileio.h"
#include "util/parse.h"

/* Lines look like "MemTotal:       24683656 kB"; HugePages_Total and
 * HugePages_Free have no unit (they are page counts). */
int meminfo_parse(const char *buf, MemInfo *ret)
{
        MemInfo mi;
        for (int k = 0; k < _MEM_MAX; k++)
                mi.value[k] = U64_ABSENT;

        for (const char *line = buf; line; line = next_line(line)) {
                const char *colon = line_find(line, ':');
                if (!colon)
                        continue;
                size_t klen = (size_t)(colon - line);
                for (int k = 0; k < _MEM_MAX; k++) {
                        const char *name = mem_key_to_string((MemKey)k);
                        if (strlen(name) != klen || memcmp(name, line, klen) != 0)
                                continue;
                        const char *p = colon + 1;
                        uint64_t v;
                        if (scan_u64(&p, &v) < 0)
                                break;
                        while (*p == ' ')
                                p++;
                        /* Sizes carry " kB", page counts nothing; a value in
                         * the other form is not what we think it is. */
                        bool kb = startswith(p, "kB");
                        if (kb != !mem_key_is_count((MemKey)k))
                                break;
                        if (kb) {
                                if (v > UINT64_MAX / 1024)
                                        break; /* overflow: leave absent */
                                v *= 1024;
                        } else if (*p != '\n' && *p != '\0') {
                                break; /* an unknown unit: do not guess */
                        }
                        mi.value[k] = v;
                        break;
                }
        }
        if (!has_u64(mi.value[MEM_MemTotal]))
                return -EBADMSG;
        *ret = mi;
        return 0;
}

static uint64_t val0(const MemInfo *mi, MemKey k)
{
        return has_u64(mi->value[k]) ? mi->value[k] : 0;
}

static double round1(double v)
{
        return (double)(long long)(v * 10.0 + 0.5) / 10.0;
}

/* psutil (psutil/_pslinux.py virtual_memory), reproduced so users' alert
 * thresholds mean the same thing:
 *   cached    = Cached + SReclaimable
 *   used      = MemTotal - MemFree - Buffers - cached (total - free if < 0)
 *   available = MemAvailable (kernel >= 3.14); older kernels: free +
 *               buffers + cached, an overestimate documented as such
 *   percent   = (total - available) / total * 100
 * swap: used = SwapTotal - SwapFree, percent = used / total * 100. */
void memory_derive(const MemInfo *mi, VirtualMemory *ret_virt, SwapMemory *ret_swap)
{
        VirtualMemory v = { 0 };
        v.total = val0(mi, MEM_MemTotal);
        v.free = val0(mi, MEM_MemFree);
        v.buffers = val0(mi, MEM_Buffers);
        v.cached = val0(mi, MEM_Cached) + val0(mi, MEM_SReclaimable);
        v.shared = val0(mi, MEM_Shmem);
        v.active = val0(mi, MEM_Active);
        v.inactive = val0(mi, MEM_Inactive);
        uint64_t sub = v.free + v.buffers + v.cached;
        v.used = v.total >= sub ? v.total - sub : (v.total > v.free ? v.total - v.free : 0);
        v.available = has_u64(mi->value[MEM_MemAvailable]) ? mi->value[MEM_MemAvailable] : sub;
        if (v.available > v.total)
                v.available = v.total;
        v.percent = v.total ? round1((double)(v.total - v.available) / (double)v.total * 100.0) : 0.0;
        *ret_virt = v;

        SwapMemory s = *ret_swap;
        s.total = val0(mi, MEM_SwapTotal);
        s.free = val0(mi, MEM_SwapFree);
        if (s.free > s.total)
                s.free = s.total;
        s.used = s.total - s.free;
        s.percent = s.total ? round1((double)s.used / (double)s.total * 100.0) : 0.0;
        *ret_swap = s;
}

int memory_collect(const RootFS *fs, MemoryInfo *ret)
{
        char buf[8192];
        ssize_t n = read_record_at(fs->proc_fd, "meminfo", buf, sizeof buf);
        if (n < 0 && n != -EFBIG)
                return (int)n;
        int r = meminfo_parse(buf, &ret->detail);
        if (r < 0)
                return r;
        ret->has_meminfo = true;
        memory_derive(&ret->detail, &ret->virt, &ret->swap);

        /* /proc/vmstat is ~5 KiB and growing; we need three counters. */
        static const char *const keys[] = { "pswpin", "pswpout", "oom_kill" };
        uint64_t vals[3] = { U64_ABSENT, U64_ABSENT, U64_ABSENT };
        char vm[16384];
        n = read_file_at(fs->proc_fd, "vmstat", vm, sizeof vm);
        if (n >= 0 || n == -EFBIG) {
                keyed_u64_parse(vm, keys, 3, vals);
                long page = sysconf(_SC_PAGESIZE);
                if (has_u64(vals[0]))
                        ret->swap.sin_bytes = vals[0] * (uint64_t)page;
                if (has_u64(vals[1]))
                        ret->swap.sout_bytes = vals[1] * (uint64_t)page;
                ret->oom_kill_count = vals[2];
        }
        (void)psi_read(fs, "memory", &ret->pressure);
        return 0;
}
