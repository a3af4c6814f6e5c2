/* SPDX-License-Identifier: MIT */
/* Pressure stall information: /proc/pressure/{cpu,memory,io} and the cgroup
 * v2 memory.pressure file share one format:
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * Kernels before 4.20, or booted with psi=0, have no such files; cpu has a
 * "full" line only since 5.13. */
#pragma once
#include "collect/rootfs.h"
#include "model/common.h"

/* Parses a NUL-terminated PSI file. Lines that do not parse are ignored;
 * returns 0 when at least one line parsed, -EBADMSG otherwise. */
int psi_parse(const char *buf, Psi *ret);
/* Reads proc/pressure/<resource>. 0 or -errno (-ENOENT without PSI). */
int psi_read(const RootFS *fs, const char *resource, Psi *ret);
