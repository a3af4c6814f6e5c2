/* SPDX-License-Identifier: MIT */
/* Conventions shared by every model struct:
 *  - sizes are bytes (uint64_t), times are seconds (double) or usec_t,
 *    unless the name says otherwise (_kb, _ticks, _mhz, _usec);
 *  - a uint64_t field the kernel did not provide holds U64_ABSENT and is
 *    left out of JSON ("n/a" in tables), never reported as 0;
 *  - a double field that is unavailable holds NAN (test with isnan()). */
#pragma once
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#define U64_ABSENT UINT64_MAX
#define has_u64(v) ((v) != U64_ABSENT)
#define has_dbl(v) (!isnan(v))

/* Pressure stall information, one line ("some" or "full") of a PSI file. */
typedef struct PsiLine {
        double avg10, avg60, avg300; /* percent */
        uint64_t total_usec;
} PsiLine;

typedef struct Psi {
        bool has_some;
        bool has_full;
        PsiLine some;
        PsiLine full;
} Psi;
