/* SPDX-License-Identifier: MIT */
#include "render/inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/net.h"
#include "model/process.h"
#include "render/json-util.h"
#include "util/human.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static const char *state_name(char c)
{
        return c ? proc_state_to_string(proc_state_from_char(c)) : NULL;
}

static const char *socket_state_name(const PidSocket *s)
{
        const char *n = s->state ? tcp_state_to_string(s->state) : "NONE";
        return n ? n : "UNKNOWN";
}

static bool start_iso(double start, char out[40])
{
        if (!has_dbl(start) || start < 0)
                return false;
        format_iso8601_utc((usec_t)(start * 1e6), out);
        return true;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *unavailable_if(json_t *unavail, const char *part, json_t *value)
{
        if (!value || json_is_null(value))
                json_array_append_new(unavail, json_string(part));
        return value;
}

static json_t *memory_json(const ProcessDetail *d)
{
        json_t *o = json_object();
        const PidStatus *s = &d->status;
        jset_bytes(o, "rss", d->has_status ? s->vm_rss : U64_ABSENT);
        jset_bytes(o, "vms", d->has_status ? s->vm_size : U64_ABSENT);
        jset_bytes(o, "uss", d->uss);
        jset_bytes(o, "pss", d->has_smaps ? d->smaps.pss : U64_ABSENT);
        jset_bytes(o, "swap", d->has_status ? s->vm_swap : U64_ABSENT);
        jset_bytes(o, "rss_anon", d->has_status ? s->rss_anon : U64_ABSENT);
        jset_bytes(o, "rss_file", d->has_status ? s->rss_file : U64_ABSENT);
        jset_bytes(o, "rss_shmem", d->has_status ? s->rss_shmem : U64_ABSENT);
        return o;
}

static json_t *smaps_json(const ProcessDetail *d)
{
        if (!d->has_smaps)
                return json_null();
        const SmapsRollup *m = &d->smaps;
        json_t *o = json_object();
        jset_bytes(o, "rss", m->rss);
        jset_bytes(o, "pss", m->pss);
        jset_bytes(o, "pss_anon", m->pss_anon);
        jset_bytes(o, "pss_file", m->pss_file);
        jset_bytes(o, "pss_shmem", m->pss_shmem);
        jset_bytes(o, "shared_clean", m->shared_clean);
        jset_bytes(o, "shared_dirty", m->shared_dirty);
        jset_bytes(o, "private_clean", m->private_clean);
        jset_bytes(o, "private_dirty", m->private_dirty);
        jset_bytes(o, "referenced", m->referenced);
        jset_bytes(o, "anonymous", m->anonymous);
        jset_bytes(o, "lazy_free", m->lazy_free);
        jset_bytes(o, "anon_huge_pages", m->anon_huge_pages);
        jset_bytes(o, "swap", m->swap);
        jset_bytes(o, "swap_pss", m->swap_pss);
        jset_bytes(o, "locked", m->locked);
        return o;
}

static json_t *u64_or_null(uint64_t v)
{
        return has_u64(v) ? juint(v) : json_null();
}

static json_t *fds_json(const ProcessDetail *d)
{
        if (!d->has_fds)
                return json_null();
        json_t *o = json_object();
        jset(o, "total", juint(d->n_fds));
        for (int k = 0; k < _FD_KIND_MAX; k++)
                jset(o, fd_kind_to_string((FdKind)k), u64_or_null(d->fds_by_kind[k]));
        return o;
}

static json_t *sockets_json(const ProcessDetail *d)
{
        if (!d->has_sockets)
                return json_null();
        json_t *a = json_array();
        for (size_t i = 0; i < d->n_sockets; i++) {
                const PidSocket *s = &d->sockets[i];
                json_t *o = json_object();
                jset(o, "proto", json_string(s->proto));
                jset(o, "local", json_string(s->local));
                jset(o, "remote", s->remote[0] ? json_string(s->remote) : json_null());
                jset(o, "state", json_string(socket_state_name(s)));
                jset(o, "inode", juint(s->inode));
                json_array_append_new(a, o);
        }
        return a;
}

static json_t *cgroup_json(const ProcessDetail *d)
{
        if (!d->has_cgroup)
                return json_null();
        const CgroupMemory *c = &d->cgroup;
        json_t *o = json_object();
        jset(o, "version", json_integer(c->version));
        jset(o, "path", jstr(c->path));
        /* The directory read, when the path itself is not visible here
         * (a container's view) and an ancestor stood in for it. */
        if (strcmp(c->dir, c->path) != 0)
                jset(o, "read_from", jstr(c->dir));
        /* No limit: null, like the snapshot's cgroup section. */
        jset_bytes(o, "memory_limit", c->limit);
        jset_bytes(o, "memory_usage", c->usage);
        jset_real_opt(o, "memory_percent", c->percent, 1);
        return o;
}

static json_t *env_json(const ProcessDetail *d)
{
        if (!d->has_env)
                return json_null();
        json_t *o = json_object();
        for (int i = 0; i < PID_ENV_N; i++)
                if (d->env.set[i])
                        jset(o, pid_env_name(i), jstr(d->env.value[i]));
        return o;
}

char *render_inspect_json(const ProcessDetail *d, bool pretty)
{
        json_t *root = json_object();
        json_t *un = json_array();
        char iso[40];

        jset(root, "pid", json_integer(d->pid));
        jset(root, "name", jstr(d->name));
        jset(root, "state", state_name(d->state) ? json_string(state_name(d->state)) : json_null());
        jset(root, "uid", unavailable_if(un, "uid", d->has_uid ? json_integer(d->uid) : json_null()));
        jset(root, "euid", d->has_uid ? json_integer(d->euid) : json_null());
        jset(root, "user", d->has_uid ? jstr(d->user) : json_null());
        jset(root, "cmdline", unavailable_if(un, "cmdline", d->has_cmdline ? jstr(d->cmdline) : json_null()));
        jset(root, "cwd", unavailable_if(un, "cwd", d->has_cwd ? jstr(d->cwd) : json_null()));
        jset(root, "start_time", unavailable_if(un, "start_time", jreal(d->start_time, 2)));
        jset(root, "start_time_iso", start_iso(d->start_time, iso) ? json_string(iso) : json_null());
        jset(root, "ppid", d->ppid >= 0 ? json_integer(d->ppid) : json_null());
        jset(root, "parent_name", d->has_parent ? jstr(d->parent_name) : json_null());
        json_t *kids = json_null();
        if (d->has_children) {
                kids = json_array();
                for (size_t i = 0; i < d->n_children; i++) {
                        json_t *c = json_object();
                        jset(c, "pid", json_integer(d->children[i].pid));
                        jset(c, "name", d->children[i].name[0] ? jstr(d->children[i].name) : json_null());
                        json_array_append_new(kids, c);
                }
        }
        jset(root, "children", unavailable_if(un, "children", kids));
        jset(root, "threads", unavailable_if(un, "threads", u64_or_null(d->threads)));
        jset(root, "cpu_percent", unavailable_if(un, "cpu_percent", jreal(d->cpu_percent, 1)));
        if (!d->has_status)
                json_array_append_new(un, json_string("memory"));
        jset(root, "memory", memory_json(d));
        jset(root, "smaps_rollup", unavailable_if(un, "smaps_rollup", smaps_json(d)));

        json_t *pf = json_object();
        jset(pf, "minor", u64_or_null(d->minflt));
        jset(pf, "major", u64_or_null(d->majflt));
        if (!has_u64(d->minflt))
                json_array_append_new(un, json_string("page_faults"));
        jset(root, "page_faults", pf);
        json_t *cs = json_object();
        jset(cs, "voluntary", u64_or_null(d->status.voluntary_ctxt_switches));
        jset(cs, "involuntary", u64_or_null(d->status.nonvoluntary_ctxt_switches));
        jset(root, "context_switches", cs);

        jset(root, "fds", unavailable_if(un, "fds", fds_json(d)));
        if (d->has_fds && !has_u64(d->fds_by_kind[FD_KIND_FILE]))
                json_array_append_new(un, json_string("fd_kinds"));
        jset(root, "sockets", unavailable_if(un, "sockets", sockets_json(d)));
        jset(root, "cgroup", unavailable_if(un, "cgroup", cgroup_json(d)));
        jset(root, "oom_score", unavailable_if(un, "oom_score", u64_or_null(d->oom_score)));
        jset(root, "oom_score_adj", unavailable_if(un, "oom_score_adj",
                                                   d->has_oom_score_adj ? json_integer(d->oom_score_adj)
                                                                        : json_null()));
        jset(root, "environment", unavailable_if(un, "environment", env_json(d)));
        jset(root, "unavailable", un);

        size_t flags = JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
        char *out = json_dumps(root, flags);
        json_decref(root);
        return out;
}

/* ---- text ------------------------------------------------------------------ */


typedef struct Out {
        FILE *f;
        bool color;
} Out;

static void label(const Out *o, const char *name)
{
        if (o->color)
                fprintf(o->f, "\033[1m%-10s\033[0m", name);
        else
                fprintf(o->f, "%-10s", name);
}

static const char *bytes_or_na(uint64_t v, char buf[HUMAN_BYTES_MAX])
{
        if (!has_u64(v))
                return "n/a";
        human_bytes(v, buf);
        return buf;
}

static void put_safe(FILE *f, const char *s)
{
        /* Worst case: every byte becomes a 3-byte U+FFFD. */
        size_t cap = strlen(s) * 3 + 4;
        char small[1024];
        char *t = cap <= sizeof small ? small : malloc(cap);
        if (!t) {
                fputs("?", f);
                return;
        }
        utf8_terminal_safe(s, t, cap);
        fputs(t, f);
        if (t != small)
                free(t);
}

/* "name value" items: the first after the label takes one space, the
 * rest two. */
typedef struct Items {
        FILE *f;
        bool first;
} Items;

static void item_sep(Items *it)
{
        fputs(it->first ? " " : "  ", it->f);
        it->first = false;
}

static void kv_bytes(Items *it, const char *name, uint64_t v)
{
        char b[HUMAN_BYTES_MAX];
        item_sep(it);
        fprintf(it->f, "%s %s", name, bytes_or_na(v, b));
}

static void kv_count(Items *it, const char *name, uint64_t v)
{
        item_sep(it);
        if (has_u64(v))
                fprintf(it->f, "%s %llu", name, (unsigned long long)v);
        else
                fprintf(it->f, "%s n/a", name);
}

/* Ends a line of items and indents the next one under the first item. */
static void items_break(Items *it)
{
        fprintf(it->f, "\n%-10s", "");
        it->first = true;
}

#define TABLE_MAX_CHILDREN 20
#define TABLE_MAX_SOCKETS 50

static void section_process(const Out *o, const ProcessDetail *d)
{
        FILE *f = o->f;
        char iso[40];

        fprintf(f, "30secs inspect: PID %d (", d->pid);
        put_safe(f, d->name);
        fputs(")\n", f);

        label(o, "Process");
        fputc(' ', f);
        put_safe(f, d->name);
        fprintf(f, "  %s", state_name(d->state) ? state_name(d->state) : "n/a");
        if (d->has_uid) {
                fputs("  user ", f);
                put_safe(f, d->user);
                fprintf(f, " (uid %u", (unsigned)d->uid);
                if (d->euid != d->uid)
                        fprintf(f, ", euid %u", (unsigned)d->euid);
                fputc(')', f);
        } else {
                fputs("  user n/a", f);
        }
        fputc('\n', f);

        label(o, "Command");
        fputc(' ', f);
        if (d->has_cmdline)
                put_safe(f, d->cmdline);
        else
                fputs("n/a", f);
        fputc('\n', f);

        label(o, "Cwd");
        fputc(' ', f);
        if (d->has_cwd)
                put_safe(f, d->cwd);
        else
                fputs("n/a", f);
        fputc('\n', f);

        label(o, "Started");
        if (start_iso(d->start_time, iso))
                fprintf(f, " %.19sZ\n", iso);
        else
                fputs(" n/a\n", f);

        label(o, "Parent");
        if (d->ppid < 0) {
                fputs(" n/a\n", f);
        } else {
                fprintf(f, " %d", d->ppid);
                if (d->ppid == 0)
                        fputs(" (none)", f);
                else if (d->has_parent) {
                        fputs(" (", f);
                        put_safe(f, d->parent_name);
                        fputc(')', f);
                }
                fputc('\n', f);
        }

        label(o, "Children");
        if (!d->has_children) {
                fputs(" n/a\n", f);
        } else if (d->n_children == 0) {
                fputs(" none\n", f);
        } else {
                fprintf(f, " %zu:", d->n_children);
                for (size_t i = 0; i < d->n_children && i < TABLE_MAX_CHILDREN; i++) {
                        fprintf(f, "%s %d", i ? "," : "", d->children[i].pid);
                        if (d->children[i].name[0]) {
                                fputs(" (", f);
                                put_safe(f, d->children[i].name);
                                fputc(')', f);
                        }
                }
                if (d->n_children > TABLE_MAX_CHILDREN)
                        fprintf(f, ", ... %zu more", d->n_children - TABLE_MAX_CHILDREN);
                fputc('\n', f);
        }
}

static void section_resources(const Out *o, const ProcessDetail *d, unsigned window_ms)
{
        FILE *f = o->f;
        const PidStatus *s = &d->status;
        const SmapsRollup *m = &d->smaps;
        bool st = d->has_status, sm = d->has_smaps;

        label(o, "Threads");
        if (has_u64(d->threads))
                fprintf(f, " %llu", (unsigned long long)d->threads);
        else
                fputs(" n/a", f);
        if (has_dbl(d->cpu_percent))
                fprintf(f, "  CPU %.1f%% over %u ms\n", d->cpu_percent, window_ms);
        else
                fputs("  CPU n/a\n", f);

        Items it = { f, true };
        label(o, "Memory");
        kv_bytes(&it, "RSS", st ? s->vm_rss : U64_ABSENT);
        kv_bytes(&it, "VMS", st ? s->vm_size : U64_ABSENT);
        kv_bytes(&it, "USS", d->uss);
        kv_bytes(&it, "PSS", sm ? m->pss : U64_ABSENT);
        kv_bytes(&it, "Swap", st ? s->vm_swap : U64_ABSENT);
        items_break(&it);
        kv_bytes(&it, "anon", st ? s->rss_anon : U64_ABSENT);
        kv_bytes(&it, "file", st ? s->rss_file : U64_ABSENT);
        kv_bytes(&it, "shmem", st ? s->rss_shmem : U64_ABSENT);
        fputc('\n', f);

        it.first = true;
        label(o, "Mappings");
        if (!sm) {
                fputs(" n/a\n", f);
        } else {
                kv_bytes(&it, "Shared_Clean", m->shared_clean);
                kv_bytes(&it, "Shared_Dirty", m->shared_dirty);
                kv_bytes(&it, "Private_Clean", m->private_clean);
                kv_bytes(&it, "Private_Dirty", m->private_dirty);
                items_break(&it);
                kv_bytes(&it, "Anonymous", m->anonymous);
                kv_bytes(&it, "Swap", m->swap);
                kv_bytes(&it, "SwapPss", m->swap_pss);
                kv_bytes(&it, "Locked", m->locked);
                items_break(&it);
                kv_bytes(&it, "Pss_Anon", m->pss_anon);
                kv_bytes(&it, "Pss_File", m->pss_file);
                kv_bytes(&it, "Pss_Shmem", m->pss_shmem);
                kv_bytes(&it, "AnonHugePages", m->anon_huge_pages);
                fputc('\n', f);
        }

        it.first = true;
        label(o, "Faults");
        kv_count(&it, "minor", d->minflt);
        kv_count(&it, "major", d->majflt);
        fputs("   context switches", f);
        it.first = false;
        kv_count(&it, "voluntary", s->voluntary_ctxt_switches);
        kv_count(&it, "involuntary", s->nonvoluntary_ctxt_switches);
        fputc('\n', f);
}

static void section_files(const Out *o, const ProcessDetail *d)
{
        FILE *f = o->f;

        label(o, "FDs");
        if (!d->has_fds) {
                fputs(" n/a\n", f);
        } else {
                fprintf(f, " %llu open:", (unsigned long long)d->n_fds);
                if (!has_u64(d->fds_by_kind[FD_KIND_FILE])) {
                        fputs(" kinds n/a (links not readable)", f);
                } else {
                        for (int k = 0; k < _FD_KIND_MAX; k++)
                                fprintf(f, "%s %llu %s", k ? "," : "", (unsigned long long)d->fds_by_kind[k],
                                        fd_kind_to_string((FdKind)k));
                }
                fputc('\n', f);
        }

        label(o, "Sockets");
        if (!d->has_sockets) {
                fputs(" n/a\n", f);
                return;
        }
        if (d->n_sockets == 0) {
                fputs(" no TCP/UDP sockets\n", f);
                return;
        }
        /* Addresses are ASCII (inet_ntop): bytes are columns. */
        int wl = 5, wr = 6;
        for (size_t i = 0; i < d->n_sockets && i < TABLE_MAX_SOCKETS; i++) {
                int l = (int)strlen(d->sockets[i].local), r = (int)strlen(d->sockets[i].remote);
                wl = l > wl ? l : wl;
                wr = r > wr ? r : wr;
        }
        fprintf(f, " %-5s %-*s %-*s %s\n", "PROTO", wl, "LOCAL", wr, "REMOTE", "STATE");
        for (size_t i = 0; i < d->n_sockets && i < TABLE_MAX_SOCKETS; i++) {
                const PidSocket *s = &d->sockets[i];
                fprintf(f, "%-10s %-5s %-*s %-*s %s\n", "", s->proto, wl, s->local, wr,
                        s->remote[0] ? s->remote : "-", socket_state_name(s));
        }
        if (d->n_sockets > TABLE_MAX_SOCKETS)
                fprintf(f, "%-10s ... %zu more (see -f json)\n", "", d->n_sockets - TABLE_MAX_SOCKETS);
}

static void section_limits(const Out *o, const ProcessDetail *d)
{
        FILE *f = o->f;
        char a[HUMAN_BYTES_MAX], b[HUMAN_BYTES_MAX];

        label(o, "Cgroup");
        if (!d->has_cgroup) {
                fputs(" n/a\n", f);
        } else {
                const CgroupMemory *c = &d->cgroup;
                fprintf(f, " v%d ", c->version);
                put_safe(f, c->path);
                fprintf(f, "  memory limit %s  usage %s",
                        has_u64(c->limit) ? bytes_or_na(c->limit, a) : "none", bytes_or_na(c->usage, b));
                if (has_dbl(c->percent))
                        fprintf(f, " (%.1f%% of limit)", c->percent);
                if (strcmp(c->dir, c->path) != 0) {
                        fputs("  (read from ", f);
                        put_safe(f, c->dir);
                        fputc(')', f);
                }
                fputc('\n', f);
        }

        Items it = { f, true };
        label(o, "OOM");
        kv_count(&it, "score", d->oom_score);
        if (d->has_oom_score_adj)
                fprintf(f, "  adj %d\n", d->oom_score_adj);
        else
                fputs("  adj n/a\n", f);

        label(o, "Env");
        if (!d->has_env) {
                fputs(" n/a\n", f);
                return;
        }
        bool any = false;
        for (int i = 0; i < PID_ENV_N; i++) {
                if (!d->env.set[i])
                        continue;
                fprintf(f, "%s%s=", any ? "\n           " : " ", pid_env_name(i));
                put_safe(f, d->env.value[i]);
                if (d->env.truncated[i])
                        fputs("...", f);
                any = true;
        }
        fputs(any ? "\n" : " none of PATH, HOME, USER, LANG, JAVA_HOME, NODE_ENV\n", f);
}

char *render_inspect_table(const ProcessDetail *d, unsigned window_ms, const TableStyle *style)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        Out o = { .f = f, .color = style && style->color };

        section_process(&o, d);
        section_resources(&o, d, window_ms);
        section_files(&o, d);
        section_limits(&o, d);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        if (len && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}
