/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

typedef struct LoggedInUser {
        char name[33];
        char terminal[33];
        char host[257];
        double started; /* epoch seconds */
        int pid;
} LoggedInUser;

typedef struct SystemInfo {
        char hostname[256];
        char os_type[72];  /* "Linux" */
        char release[128]; /* kernel release */
        char version[256]; /* kernel build version string */
        char machine[72];  /* "x86_64" */
        uint64_t boot_time; /* epoch seconds, U64_ABSENT if unknown */
        double uptime_seconds; /* NAN if unknown */
        bool users_available;
        LoggedInUser *users;
        size_t n_users;
} SystemInfo;

void system_info_done(SystemInfo *s);
