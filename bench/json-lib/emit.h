/* SPDX-License-Identifier: MIT */
/*
 * The interface each JSON library implements for the benchmark (bench only,
 * not part of 30secs). The document is described once, in bench.c, through
 * these calls, so every library builds exactly the same document (a tree
 * for jansson and json-c, a stream of generator calls for yajl).
 */
#ifndef BENCH_EMIT_H
#define BENCH_EMIT_H

#include <stddef.h>
#include <stdint.h>

/* tuned = 0: the plain API everyone uses first.
 * tuned = 1: what a careful caller may do for literal ASCII keys and
 *            strings that are already valid UTF-8 (see json-lib.md). */
extern int emit_tuned;

/* Layout of the next document: 1 = pretty, 0 = compact. Set by bench.c
 * before emit_begin(): a streaming generator (yajl) writes the text while
 * the document is described, so it needs the layout up front; emitters that
 * build a tree only see it again in emit_dump(). */
extern int emit_pretty;

void emit_begin(void);                        /* new root object */
void emit_obj(const char *key);               /* open object (key NULL in arrays) */
void emit_arr(const char *key);               /* open array */
void emit_end(void);                          /* close innermost container */
void emit_str(const char *key, const char *s, size_t len);
void emit_int(const char *key, int64_t v);
void emit_real(const char *key, double v);
void emit_bool(const char *key, int v);
void emit_null(const char *key);
/* Serializes the root (pretty: 2-space indent, else compact), stores the
 * text length in *len and returns the text; valid until emit_finish().
 * A streaming emitter only closes the root here: the text exists already. */
const char *emit_dump(int pretty, size_t *len);
void emit_finish(void);                       /* free the tree and the text */

extern const char *const emit_lib_name;

#endif
