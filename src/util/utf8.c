/* SPDX-License-Identifier: MIT */
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (RFC 3629, table 3-7 of
 * the Unicode standard), or 0 if the bytes there are not one. */
static size_t seq_len(const unsigned char *s, size_t avail)
{
        unsigned char c = s[0];
        if (c >= 0x01 && c <= 0x7f)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
        if (c >= 0xe0 && c <= 0xef) {
                if (avail < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
                        return 0;
                if (c == 0xe0 && s[1] < 0xa0)
                        return 0; /* overlong */
                if (c == 0xed && s[1] > 0x9f)
                        return 0; /* UTF-16 surrogates */
                return 3;
        }
        if (c >= 0xf0 && c <= 0xf4) {
                if (avail < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
                    (s[3] & 0xc0) != 0x80)
                        return 0;
                if (c == 0xf0 && s[1] < 0x90)
                        return 0; /* overlong */
                if (c == 0xf4 && s[1] > 0x8f)
                        return 0; /* above U+10FFFF */
                return 4;
        }
        return 0;
}

size_t utf8_sanitize(const char *src, size_t len, char *out, size_t out_cap)
{
        static const char replacement[] = "\xef\xbf\xbd";
        const unsigned char *s = (const unsigned char *)src;
        size_t i = 0, o = 0;

        while (i < len) {
                size_t n = seq_len(s + i, len - i);
                const char *piece = n ? src + i : replacement;
                size_t piece_len = n ? n : 3;
                if (o + piece_len + 1 > out_cap)
                        break;
                memcpy(out + o, piece, piece_len);
                o += piece_len;
                i += n ? n : 1;
        }
        out[o] = '\0';
        return o;
}

void utf8_terminal_safe(const char *s, char *out, size_t cap)
{
        utf8_sanitize(s, strlen(s), out, cap);
        char *w = out;
        for (const char *p = out; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (c == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f) {
                        *w++ = '?';
                        p++;
                } else {
                        *w++ = c < 0x20 || c == 0x7f ? '?' : (char)c;
                }
        }
        *w = '\0';
}
