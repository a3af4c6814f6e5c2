/* SPDX-License-Identifier: MIT */
/* Kernel log -> OOM kill events (pure: text in, OomEvent out, no I/O).
 *
 * One event per "Killed process" line. Its context is the report that
 * opened with the last "NAME invoked oom-killer:" header before it: the
 * header gives invoked_by, gfp_mask/gfp_flags, order; the memcg block
 * ("memory: usage U kB, limit L kB", pre-5.0 "Task in A killed as a result
 * of limit of B"), the 5.0+ "oom-kill:" summary and the task dump may be
 * present with or without the header (an excerpt may start mid-report).
 * A report ends at its first kill line: a later kill without a header of
 * its own (rate-limited) gets no context at all, except after a "Tasks in
 * X are going to be killed due to memory.oom.group set" line, whose kills
 * share the report. The summary's constraint / memcgs / uid are used when
 * its pid= is the killed pid (or was cut off). A header without a kill
 * line yields nothing. docs/oom.md lists the formats by kernel version. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "analyze/kmsg-lines.h"
#include "model/oom.h"

/* Events kept by oom_parse_text; beyond this the oldest are dropped and
 * counted in OomEventList.dropped (a kill loop can log thousands). */
#define OOM_EVENTS_MAX 10000

/* An event with every field absent. */
void oom_event_init(OomEvent *ev);

/* "guaranteed", "burstable", "besteffort", or NULL for K8S_QOS_NONE. */
const char *k8s_qos_name(K8sQos q);

typedef struct OomParser OomParser;

OomParser *oom_parser_new(void);
void oom_parser_free(OomParser *p);
/* Forgets the open report (e.g. between two inputs or across a reboot). */
void oom_parser_reset(OomParser *p);

typedef enum OomFeedResult {
        OOM_FEED_NONE = 0,      /* context recorded, or an unrelated line */
        OOM_FEED_KILL,          /* *ret_event holds a complete kill */
        OOM_FEED_REAP,          /* *ret_reap holds an oom_reaper result */
} OomFeedResult;

/* Feeds one logical line (lines with kernel == false are ignored). An
 * event is complete at its kill line; the oom_reaper line, if any, comes
 * later as OOM_FEED_REAP (a follower may print it or drop it). Either
 * output pointer may be NULL when the caller does not want that kind. */
OomFeedResult oom_parser_feed_line(OomParser *p, const LogLine *line, OomEvent *ret_event,
                                   OomReap *ret_reap);

/* Parses a whole log (any mix of the kmsg-lines.h formats; buf need not
 * be NUL-terminated and may hold anything) into ret, which is initialised
 * here; oom_reaper results are merged into their events. Never fails on
 * content: returns 0, or -EINVAL for NULL arguments. */
int oom_parse_text(const char *buf, size_t len, OomEventList *ret);
/* The same, appending to a list that is already initialised (several
 * inputs). */
int oom_parse_text_append(const char *buf, size_t len, OomEventList *list);

void oom_event_list_init(OomEventList *l);
void oom_event_list_free(OomEventList *l);
/* Appends a copy (dropping the oldest half when OOM_EVENTS_MAX is reached). */
void oom_event_list_append(OomEventList *l, const OomEvent *ev);
/* Attaches r to the newest event of its pid that has no reaper result yet.
 * Returns whether one was found. */
bool oom_event_list_apply_reap(OomEventList *l, const OomReap *r);

/* Same kill seen through two sources (kmsg and journal, dmesg and
 * kern.log): same pid and kernel time within 1 us, and the same boot
 * when both know it. Without kernel times on both sides: same pid, same
 * name and same memory figures. */
bool oom_event_same_kill(const OomEvent *a, const OomEvent *b);

/* Kubernetes identity from a memcg path of the kubelet's shape:
 *   cgroupfs  /kubepods[/burstable|/besteffort]/pod<uid>/<container id>
 *   systemd   /kubepods.slice/kubepods-burstable.slice/
 *             kubepods-burstable-pod<uid with _>.slice/cri-containerd-<id>.scope
 *             (docker-<id>.scope, crio-<id>.scope)
 * at any depth (kind, custom --cgroup-root). Returns 0 and fills ret, or
 * -ENOENT (ret->qos == K8S_QOS_NONE) for other paths. */
int oom_k8s_from_cgroup(const char *path, K8sContext *ret);
