/* SPDX-License-Identifier: MIT */
/* String tables and lifecycle helpers of the model structs. */
#include <stdlib.h>
#include <string.h>

#include "model/alert.h"
#include "model/snapshot.h"

static const char *const mem_key_names[_MEM_MAX] = {
        [MEM_MemTotal] = "MemTotal",
        [MEM_MemFree] = "MemFree",
        [MEM_MemAvailable] = "MemAvailable",
        [MEM_Buffers] = "Buffers",
        [MEM_Cached] = "Cached",
        [MEM_SwapCached] = "SwapCached",
        [MEM_Active] = "Active",
        [MEM_Inactive] = "Inactive",
        [MEM_SwapTotal] = "SwapTotal",
        [MEM_SwapFree] = "SwapFree",
        [MEM_Dirty] = "Dirty",
        [MEM_Writeback] = "Writeback",
        [MEM_AnonPages] = "AnonPages",
        [MEM_Mapped] = "Mapped",
        [MEM_Shmem] = "Shmem",
        [MEM_KReclaimable] = "KReclaimable",
        [MEM_Slab] = "Slab",
        [MEM_SReclaimable] = "SReclaimable",
        [MEM_SUnreclaim] = "SUnreclaim",
        [MEM_KernelStack] = "KernelStack",
        [MEM_PageTables] = "PageTables",
        [MEM_CommitLimit] = "CommitLimit",
        [MEM_Committed_AS] = "Committed_AS",
        [MEM_VmallocUsed] = "VmallocUsed",
        [MEM_AnonHugePages] = "AnonHugePages",
        [MEM_HugePages_Total] = "HugePages_Total",
        [MEM_HugePages_Free] = "HugePages_Free",
        [MEM_Hugepagesize] = "Hugepagesize",
        [MEM_DirectMap4k] = "DirectMap4k",
        [MEM_DirectMap2M] = "DirectMap2M",
        [MEM_DirectMap1G] = "DirectMap1G",
};

const char *mem_key_to_string(MemKey k)
{
        return k < _MEM_MAX ? mem_key_names[k] : NULL;
}

bool mem_key_is_count(MemKey k)
{
        return k == MEM_HugePages_Total || k == MEM_HugePages_Free;
}

static const char *const proc_state_names[_PROC_STATE_MAX] = {
        [PROC_STATE_RUNNING] = "running",
        [PROC_STATE_SLEEPING] = "sleeping",
        [PROC_STATE_DISK_SLEEP] = "disk-sleep",
        [PROC_STATE_STOPPED] = "stopped",
        [PROC_STATE_TRACING_STOP] = "tracing-stop",
        [PROC_STATE_ZOMBIE] = "zombie",
        [PROC_STATE_DEAD] = "dead",
        [PROC_STATE_WAKE_KILL] = "wake-kill",
        [PROC_STATE_WAKING] = "waking",
        [PROC_STATE_IDLE] = "idle",
        [PROC_STATE_PARKED] = "parked",
        [PROC_STATE_UNKNOWN] = "unknown",
};

ProcState proc_state_from_char(char c)
{
        switch (c) {
        case 'R': return PROC_STATE_RUNNING;
        case 'S': return PROC_STATE_SLEEPING;
        case 'D': return PROC_STATE_DISK_SLEEP;
        case 'T': return PROC_STATE_STOPPED;
        case 't': return PROC_STATE_TRACING_STOP;
        case 'Z': return PROC_STATE_ZOMBIE;
        case 'X':
        case 'x': return PROC_STATE_DEAD;
        case 'K': return PROC_STATE_WAKE_KILL;
        case 'W': return PROC_STATE_WAKING;
        case 'I': return PROC_STATE_IDLE;
        case 'P': return PROC_STATE_PARKED;
        default: return PROC_STATE_UNKNOWN;
        }
}

const char *proc_state_to_string(ProcState s)
{
        return s < _PROC_STATE_MAX ? proc_state_names[s] : "unknown";
}

static const char *const tcp_state_names[_TCP_STATE_MAX] = {
        [TCP_STATE_ESTABLISHED] = "ESTABLISHED",
        [TCP_STATE_SYN_SENT] = "SYN_SENT",
        [TCP_STATE_SYN_RECV] = "SYN_RECV",
        [TCP_STATE_FIN_WAIT1] = "FIN_WAIT1",
        [TCP_STATE_FIN_WAIT2] = "FIN_WAIT2",
        [TCP_STATE_TIME_WAIT] = "TIME_WAIT",
        [TCP_STATE_CLOSE] = "CLOSE",
        [TCP_STATE_CLOSE_WAIT] = "CLOSE_WAIT",
        [TCP_STATE_LAST_ACK] = "LAST_ACK",
        [TCP_STATE_LISTEN] = "LISTEN",
        [TCP_STATE_CLOSING] = "CLOSING",
        [TCP_STATE_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *tcp_state_to_string(int state)
{
        if (state <= 0 || state >= _TCP_STATE_MAX)
                return NULL;
        return tcp_state_names[state];
}

static const char *const collector_names[_COLLECTOR_MAX] = {
        [COLLECTOR_SYSTEM] = "system",
        [COLLECTOR_CPU] = "cpu",
        [COLLECTOR_MEMORY] = "memory",
        [COLLECTOR_CGROUP] = "cgroup",
        [COLLECTOR_DISK] = "disk",
        [COLLECTOR_NETWORK] = "network",
        [COLLECTOR_PROCESSES] = "processes",
};

const char *collector_id_to_string(CollectorId id)
{
        return id < _COLLECTOR_MAX ? collector_names[id] : "unknown";
}

void cgroup_memory_init(CgroupMemory *c)
{
        memset(c, 0, sizeof *c);
        c->usage = c->limit = c->high = c->peak = U64_ABSENT;
        c->swap_usage = c->swap_limit = U64_ABSENT;
        c->ev_low = c->ev_high = c->ev_max = U64_ABSENT;
        c->ev_oom = c->ev_oom_kill = c->ev_oom_group_kill = U64_ABSENT;
        c->v1_failcnt = c->v1_under_oom = c->v1_oom_kill_disable = U64_ABSENT;
        c->percent = c->swap_percent = NAN;
}

void system_info_done(SystemInfo *s)
{
        free(s->users);
        s->users = NULL;
        s->n_users = 0;
}

void proc_stat_done(ProcStat *s)
{
        free(s->per_cpu);
        s->per_cpu = NULL;
        s->n_cpu = 0;
}

void cpu_info_done(CpuInfo *c)
{
        free(c->percent_per_core);
        c->percent_per_core = NULL;
        c->n_cores = 0;
}

void disk_info_done(DiskInfo *d)
{
        for (size_t i = 0; i < d->n_partitions; i++) {
                free(d->partitions[i].device);
                free(d->partitions[i].mountpoint);
                free(d->partitions[i].options);
        }
        free(d->partitions);
        free(d->devices);
        memset(d, 0, sizeof *d);
}

void net_info_done(NetInfo *n)
{
        for (size_t i = 0; i < n->n_interfaces; i++)
                free(n->interfaces[i].addresses);
        free(n->interfaces);
        memset(n, 0, sizeof *n);
}

void snapshot_init(Snapshot *s)
{
        memset(s, 0, sizeof *s);
        s->include_hostname = true;
        s->system.boot_time = U64_ABSENT;
        s->system.uptime_seconds = NAN;
        CpuInfo *c = &s->cpu;
        c->freq_current_mhz = c->freq_min_mhz = c->freq_max_mhz = NAN;
        c->load1 = c->load5 = c->load15 = NAN;
        c->percent = NAN;
        c->ctx_switches = c->interrupts = U64_ABSENT;
        for (int k = 0; k < _MEM_MAX; k++)
                s->memory.detail.value[k] = U64_ABSENT;
        s->memory.virt.percent = s->memory.swap.percent = NAN;
        s->memory.swap.sin_bytes = s->memory.swap.sout_bytes = U64_ABSENT;
        s->memory.oom_kill_count = U64_ABSENT;
        cgroup_memory_init(&s->memory.cgroup);
}

void snapshot_done(Snapshot *s)
{
        system_info_done(&s->system);
        cpu_info_done(&s->cpu);
        disk_info_done(&s->disk);
        net_info_done(&s->net);
}

const char *alert_severity_to_string(AlertSeverity s)
{
        static const char *const names[_ALERT_SEVERITY_MAX] = {
                [ALERT_WARNING] = "warning",
                [ALERT_CRITICAL] = "critical",
        };
        return s < _ALERT_SEVERITY_MAX ? names[s] : "unknown";
}
