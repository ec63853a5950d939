/*
 * Debian's cron.c, compiled verbatim, with the daemon's contact points to the
 * outside world redirected to the oracle harness (harness.c):
 *
 *   time(), sleep()          -> a simulated clock (oracle_time, oracle_sleep)
 *   access(), creat()        -> the @reboot guard file (reported as present)
 *   acquire_daemonlock(), set_cron_uid(), set_cron_cwd()
 *                            -> no-ops (no pid file, no chdir to the spool)
 *   load_database(), check_orphans()
 *                            -> hand the daemon a database holding the one entry
 *   job_add()                -> Debian's real job_add (job.c), except while the
 *                               harness probes whether a day can match at all
 *   log_it()                 -> discarded
 *   main()                   -> renamed cron_main(), called once per case
 *
 * Nothing in cron.c itself is edited: it is #included below after these macros.
 * Everything else cron.c calls (localtime, gmtime, get_gmtoff from misc.c,
 * find_jobs, set_time, cron_sleep, the main loop) is Debian's code as is.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <libgen.h>
#include <locale.h>
#include <langinfo.h>
#include <errno.h>

time_t oracle_time(time_t *t);
unsigned int oracle_sleep(unsigned int seconds);
int oracle_access(const char *path, int mode);
int oracle_creat(const char *path, mode_t mode);

#define time(t) oracle_time(t)
#define sleep(s) oracle_sleep(s)
#define access(p, m) oracle_access(p, m)
#define creat(p, m) oracle_creat(p, m)
#define acquire_daemonlock oracle_acquire_daemonlock
#define set_cron_uid oracle_set_cron_uid
#define set_cron_cwd oracle_set_cron_cwd
#define load_database oracle_load_database
#define check_orphans oracle_check_orphans
#define job_add oracle_job_add
#define log_it oracle_log_it
#define main cron_main

#include "cron.c"

#undef main

/* find_jobs is static in cron.c; the harness uses it, unchanged, to ask whether
 * an entry can match on a given day (see harness.c, "fast-forward"). */
void
oracle_find_jobs(time_min vtime, cron_db *db, int doWild, int doNonWild)
{
	find_jobs(vtime, db, doWild, doNonWild);
}
