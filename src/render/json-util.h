/* SPDX-License-Identifier: MIT */
/* Small helpers over jansson shared by the JSON renderers. Every string
 * that came from the kernel goes through jstr(), which replaces invalid
 * UTF-8 (jansson rejects it) — escaping is jansson's job. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

json_t *jstr(const char *s);
json_t *jstrn(const char *s, size_t len);
/* A double rounded to `decimals` places; NULL-valued (json null) if NAN. */
json_t *jreal(double v, int decimals);
/* uint64 as a JSON integer (json_int_t is signed 64-bit: values above
 * INT64_MAX are emitted as reals rather than wrapped negative). */
json_t *juint(uint64_t v);

void jset(json_t *obj, const char *key, json_t *value);
/* Adds key only when v is not NAN. */
void jset_real_opt(json_t *obj, const char *key, double v, int decimals);
/* Adds key and key_human ("1.5 GB"); null for both when absent. */
void jset_bytes(json_t *obj, const char *key, uint64_t v);
