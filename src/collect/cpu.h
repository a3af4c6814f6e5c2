/* SPDX-License-Identifier: MIT */
/* CPU: /proc/stat (times, boot time, counters), /proc/loadavg,
 * /proc/pressure/cpu, sysfs topology and cpufreq, /proc/cpuinfo as the
 * fallback for frequency and physical cores. */
#pragma once
#include "collect/rootfs.h"
#include "model/cpu.h"

int proc_stat_parse(const char *buf, ProcStat *ret);
/* keep_fd (may be NULL): a /proc/stat fd kept open between samples, -1
 * at first; re-read with pread, opened when needed, closed on error. */
int proc_stat_read(const RootFS *fs, int *keep_fd, ProcStat *ret);
int loadavg_parse(const char *buf, double *ret1, double *ret5, double *ret15);

/* Busy share of the interval between two samples of one CPU line, in
 * percent with psutil's definition: busy = total - idle - iowait, where
 * total excludes guest time (already counted in user/nice). NAN when no
 * time passed. */
double cpu_times_busy_percent(const CpuTimes *before, const CpuTimes *after);

/* "cpu MHz" average and distinct (physical id, core id) pairs. */
int cpuinfo_parse(const char *buf, double *ret_mhz_avg, unsigned *ret_physical_cores);

/* The levels: load averages, frequency, physical cores when cpuinfo
 * tells them, pressure. Never fails (each field degrades alone). */
int cpu_collect_levels(const RootFS *fs, CpuInfo *ret);
/* The rest from the second /proc/stat sample; percent and
 * percent_per_core from before/after (NULL: no percentages). Physical
 * cores from the sysfs topology if cpu_collect_levels() found none. */
int cpu_collect(const RootFS *fs, const ProcStat *before, const ProcStat *after, CpuInfo *ret);
