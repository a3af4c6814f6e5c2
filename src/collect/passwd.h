/* SPDX-License-Identifier: MIT */
/* User names from <rootfs>/etc/passwd. Read directly instead of through
 * NSS so that (a) the static binary needs no libnss at run time and
 * (b) with --rootfs /host the names are the host's, not the container's.
 * Users that exist only in LDAP/SSSD are shown by number, as ps does. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

#include "collect/rootfs.h"
#include "util/fileio.h"

/* Finds uid in a passwd file image ("name:x:uid:gid:..."). 0 with the name
 * copied (truncated to cap-1) or -ENOENT. */
int passwd_find_name(const char *buf, uid_t uid, char *out, size_t cap);

typedef struct PasswdCache {
        Buf file;
        int loaded; /* 0 not yet, 1 loaded, -1 unreadable */
} PasswdCache;

/* Loads the file into cache unless it was tried already. */
void passwd_cache_load(const RootFS *fs, PasswdCache *cache);
/* Name of uid from a loaded cache, or its decimal number when unknown. */
void passwd_cache_name(const PasswdCache *cache, uid_t uid, char *out, size_t cap);
/* Both: loads the file once, then looks uid up. */
void passwd_name(const RootFS *fs, PasswdCache *cache, uid_t uid, char *out, size_t cap);
void passwd_cache_done(PasswdCache *cache);
