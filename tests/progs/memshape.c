/* SPDX-License-Identifier: MIT */
/* memshape MODE [STEP_KIB] [PERIOD_MS]: a test program whose memory or
 * resource use follows a known shape, for the `leak` end-to-end tests.
 * Memory is taken with mmap and touched, and given back with munmap, so
 * RSS (RssAnon) follows the shape exactly, without malloc's caching.
 *
 *   linear           +STEP KiB every PERIOD ms, forever
 *   flat             one block at start, then nothing
 *   sawtooth         grow by STEP per PERIOD for 10 periods, free it all (GC-like)
 *   sawtooth-rising  like sawtooth, but each cycle keeps one STEP (the floor rises)
 *   warmup           grow by STEP per PERIOD for the first 20 periods, then flat
 *   fds              open /dev/null every PERIOD ms and never close it
 *   threads          start a sleeping thread every PERIOD ms
 *
 * Prints "ready" on stdout once started, then runs until killed. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_BLOCKS 100000

static void *blocks[MAX_BLOCKS];
static size_t n_blocks;

static void take(size_t bytes)
{
        if (n_blocks == MAX_BLOCKS)
                return;
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return;
        memset(p, 0xa5, bytes);
        blocks[n_blocks++] = p;
}

static void give_back(size_t keep, size_t bytes)
{
        while (n_blocks > keep)
                munmap(blocks[--n_blocks], bytes);
}

static void sleep_ms(long ms)
{
        struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0)
                ;
}

static void *idle_thread(void *arg)
{
        (void)arg;
        for (;;)
                pause();
        return NULL;
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: memshape MODE [STEP_KIB] [PERIOD_MS]\n");
                return 2;
        }
        const char *mode = argv[1];
        size_t step = (size_t)(argc > 2 ? atol(argv[2]) : 1024) * 1024;
        long period = argc > 3 ? atol(argv[3]) : 100;
        size_t floor_blocks = 0;

        setvbuf(stdout, NULL, _IONBF, 0);
        if (strcmp(mode, "flat") == 0)
                take(step * 20);
        printf("ready\n");
        for (unsigned long tick = 0;; tick++) {
                if (strcmp(mode, "linear") == 0) {
                        take(step);
                } else if (strcmp(mode, "sawtooth") == 0 || strcmp(mode, "sawtooth-rising") == 0) {
                        if (tick % 10 == 9) {
                                give_back(floor_blocks, step);
                                if (strcmp(mode, "sawtooth-rising") == 0) {
                                        take(step);
                                        floor_blocks = n_blocks;
                                }
                        } else {
                                take(step);
                        }
                } else if (strcmp(mode, "warmup") == 0) {
                        if (tick < 20)
                                take(step);
                } else if (strcmp(mode, "fds") == 0) {
                        (void)open("/dev/null", O_RDONLY);
                } else if (strcmp(mode, "threads") == 0) {
                        pthread_t t;
                        if (pthread_create(&t, NULL, idle_thread, NULL) == 0)
                                pthread_detach(t);
                } else if (strcmp(mode, "flat") != 0) {
                        fprintf(stderr, "memshape: unknown mode '%s'\n", mode);
                        return 2;
                }
                sleep_ms(period);
        }
}
