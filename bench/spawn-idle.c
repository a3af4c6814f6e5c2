/* SPDX-License-Identifier: MIT */
/*
 * spawn-idle N PIDFILE: benchmark helper, not part of the product.
 *
 * Puts itself in a new process group, forks N children that only pause(),
 * writes their PIDs (one per line) to PIDFILE, prints "ready <pgid>" on
 * stdout and then waits. On SIGTERM, SIGINT or SIGHUP it SIGKILLs exactly
 * the children it forked, reaps every one of them (PID 1 of a container may
 * not reap orphans) and exits 0. It asks for SIGTERM when its parent dies
 * (PR_SET_PDEATHSIG), so even a SIGKILLed bench/run.sh gets its idle
 * processes stopped; the children get SIGKILL if the spawner dies.
 *
 * Build: cc -O2 -static -o spawn-idle spawn-idle.c (small RSS per child).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void kill_and_reap(const pid_t *pids, long n)
{
        for (long i = 0; i < n; i++)
                kill(pids[i], SIGKILL);
        for (long left = n; left > 0;) {
                pid_t r = waitpid(-1, NULL, 0);
                if (r > 0)
                        left--;
                else if (errno == ECHILD)
                        break;
        }
}

int main(int argc, char **argv)
{
        if (argc != 3) {
                fprintf(stderr, "usage: %s N PIDFILE\n", argv[0]);
                return 2;
        }
        char *end;
        errno = 0;
        long n = strtol(argv[1], &end, 10);
        if (errno || *end || n < 0 || n > 1000000) {
                fprintf(stderr, "spawn-idle: bad count '%s'\n", argv[1]);
                return 2;
        }
        pid_t *pids = calloc((size_t)(n ? n : 1), sizeof *pids);
        if (!pids)
                return 1;

        /* Our own group, so the caller can also stop us all by -PGID. */
        if (setpgid(0, 0) < 0 && getpgid(0) != getpid()) {
                perror("spawn-idle: setpgid");
                return 1;
        }

        /* Block the stop signals before forking: children inherit the
         * mask, then unblock them; the parent collects them with sigwait. */
        sigset_t stop, old;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGHUP);
        sigprocmask(SIG_BLOCK, &stop, &old);

        /* If whoever started us dies, even by SIGKILL, clean up as if told. */
        pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
                kill(getpid(), SIGTERM);

        pid_t self = getpid();
        long made = 0;
        for (; made < n; made++) {
                pid_t c = fork();
                if (c < 0) {
                        fprintf(stderr, "spawn-idle: fork %ld/%ld: %s\n", made + 1, n,
                                strerror(errno));
                        kill_and_reap(pids, made);
                        return 1;
                }
                if (c == 0) {
                        prctl(PR_SET_PDEATHSIG, SIGKILL);
                        if (getppid() != self)
                                _exit(0);
                        sigprocmask(SIG_SETMASK, &old, NULL);
                        for (;;)
                                pause();
                }
                pids[made] = c;
        }

        FILE *f = fopen(argv[2], "w");
        if (!f) {
                perror("spawn-idle: pidfile");
                kill_and_reap(pids, made);
                return 1;
        }
        for (long i = 0; i < made; i++)
                fprintf(f, "%d\n", (int)pids[i]);
        if (fclose(f) != 0) {
                perror("spawn-idle: pidfile");
                kill_and_reap(pids, made);
                return 1;
        }
        printf("ready %d\n", (int)getpgid(0));
        fflush(stdout);
        fclose(stdout);

        int sig;
        sigwait(&stop, &sig);
        kill_and_reap(pids, made);
        return 0;
}
