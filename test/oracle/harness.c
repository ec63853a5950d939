/*
 * cron-oracle: Debian cron 3.0pl1-162 as a test oracle.
 *
 * Linked with Debian's own entry.c (crontab line parser), job.c (job queue),
 * misc.c (get_char, skip_comments, get_gmtoff, ...), env.c, and cron.c (the
 * daemon's main loop, through cron_main.c). This file provides only what the
 * daemon would get from the system: a clock, a database with one crontab entry,
 * and do_command() (which records when a job would start instead of forking).
 *
 * Modes (one case per input line on stdin, one result line per case on stdout):
 *
 *   cron-oracle accept
 *       input:  EXPR
 *       The line "EXPR /bin/true\n" is checked exactly as `crontab` checks a
 *       file before installing it (crontab.c: load_env, then load_entry).
 *       output: ok<TAB>FLAGS<TAB>MIN<TAB>HOUR<TAB>DOM<TAB>MONTH<TAB>DOW<TAB>CMD
 *               error<TAB>MESSAGE      (crontab's "bad minute" etc.)
 *               env                    (the line is an environment assignment)
 *               none                   (no entry: blank or comment line)
 *       FLAGS: letters for DOM_STAR (D), DOW_STAR (W), WHEN_REBOOT (R),
 *       MIN_STAR (M), HR_STAR (H), or "-". Field values are the set bits as a
 *       list of ranges ("0-4,7", "" for none) in cron's numbering (dow 0-7).
 *
 *   cron-oracle runs [--no-skip] [--warmup=SECONDS]
 *       input:  ZONE<TAB>START<TAB>COUNT<TAB>HORIZON<TAB>EXPR
 *       START and HORIZON in seconds since the epoch. Runs Debian's daemon loop
 *       (cron_main) under TZ=ZONE on a simulated clock. The daemon is started
 *       SECONDS (default 86400) before START, so that at START it is in the state
 *       of a daemon that has been running all along (inside a DST fold, say), and
 *       starts are recorded from the first minute after START. It stops when the
 *       job has started in COUNT distinct minutes or the clock passes HORIZON.
 *       output: ok<TAB>complete|horizon<TAB>T1 T2 ...   (every recorded job start,
 *               in simulated seconds since the epoch, in order; a minute can
 *               repeat, and a start is recorded when floor(T/60)*60 > START)
 *               error<TAB>MESSAGE
 *
 * The simulated clock: time() returns the simulated second and advances the
 * clock by one microsecond per call (the daemon's own work takes time, so a busy
 * loop can never freeze the clock); sleep(n) advances it by n seconds. Nothing
 * else moves it. do_command() starts the job "now".
 *
 * Fast-forward (disabled by --no-skip): simulating every minute of ten years is
 * slow, so when the daemon goes to sleep at local 23:59 in its steady state
 * (virtualTime == timeRunning == clockTime, queue empty), the harness asks
 * cron.c's own find_jobs, with a copy of the entry whose minute and hour bits are
 * all set, whether the entry can match on the next local day. If it cannot, and
 * the UTC offset stays the same through that day, the whole day is skipped:
 * the clock and timeRunning/virtualTime/clockTime advance by exactly one day,
 * which is the state 1440 idle iterations of the loop would have reached.
 */

#include "cron.h"

#include <setjmp.h>
#include <stdint.h>
#include <pwd.h>

extern int cron_main(int argc, char *argv[]);
extern void oracle_find_jobs(time_min vtime, cron_db *db, int doWild, int doNonWild);
extern void job_add(entry *e, user *u);

/* ------------------------------------------------------------------ clock */

static int64_t sim_us;		/* simulated time, microseconds since the epoch */

static int64_t
sim_seconds(void)
{
	return sim_us >= 0 ? sim_us / 1000000 : -((-sim_us + 999999) / 1000000);
}

time_t
oracle_time(time_t *t)
{
	time_t now;

	sim_us += 1;
	now = (time_t) sim_seconds();
	if (t)
		*t = now;
	return now;
}

/* ------------------------------------------------------------- one case */

static struct passwd oracle_pw = {
	"oracle", "x", 1000, 1000, "", "/nonexistent", "/bin/sh"
};

static user the_user;		/* the database: one user, one entry */
static entry probe_entry;	/* the entry with every minute and hour bit set */
static user probe_user;
static cron_db probe_db;

static int probing, probe_hit;
static int skip_enabled = 1;

static int64_t run_count_goal, horizon, record_after;
static int64_t warmup = 86400;
static int64_t *starts;
static size_t nstarts, starts_cap;
static int64_t distinct_minutes, last_minute;
static jmp_buf stop;
static const char *stop_reason;

void
oracle_load_database(cron_db *db)
{
	db->head = db->tail = &the_user;
}

void
oracle_check_orphans(cron_db *db)
{
	(void) db;
}

void oracle_acquire_daemonlock(int closeflag) { (void) closeflag; }
void oracle_set_cron_uid(void) {}
void oracle_set_cron_cwd(void) {}
void oracle_log_it(char *username, int pid, char *event, char *detail)
{
	(void) username; (void) pid; (void) event; (void) detail;
}

int
oracle_access(const char *path, int mode)
{
	(void) mode;
	/* REBOOT_FILE exists: the daemon is not starting at boot, so @reboot
	 * jobs are skipped, as on any cron restart. */
	if (strcmp(path, REBOOT_FILE) == 0)
		return 0;
	errno = ENOENT;
	return -1;
}

int
oracle_creat(const char *path, mode_t mode)
{
	(void) path; (void) mode;
	errno = EACCES;
	return -1;
}

void
oracle_job_add(entry *e, user *u)
{
	if (probing) {
		probe_hit = 1;
		return;
	}
	job_add(e, u);		/* Debian's job.c */
}

/* Called by Debian's job_runqueue() for each queued job. */
void
do_command(entry *e, user *u)
{
	int64_t now = sim_seconds();
	int64_t minute = now >= 0 ? now / 60 : -((-now + 59) / 60);

	(void) e; (void) u;
	/* Starts during the warm-up (minute not after START) are not recorded. */
	if (minute * 60 <= record_after)
		return;
	if (nstarts == starts_cap) {
		starts_cap = starts_cap ? starts_cap * 2 : 64;
		starts = realloc(starts, starts_cap * sizeof *starts);
		if (!starts) {
			fprintf(stderr, "cron-oracle: out of memory\n");
			exit(2);
		}
	}
	starts[nstarts++] = now;
	if (distinct_minutes == 0 || minute != last_minute) {
		distinct_minutes++;
		last_minute = minute;
	}
}

static long
offset_at(int64_t when)
{
	time_t t = (time_t) when;
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

/* Whether the UTC offset is `offset` throughout [from, to]. Sampled every three
 * hours: no zone has an offset that lasts less than that (Lord Howe's half-hour
 * shift still lasts months), so a change always shows in a sample. */
static int
offset_constant(int64_t from, int64_t to, long offset)
{
	int64_t t;

	for (t = from; t < to; t += 3 * 3600)
		if (offset_at(t) != offset)
			return 0;
	return offset_at(to) == offset;
}

static int
any_bit(bitstr_t *bits, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (bit_test(bits, i))
			return 1;
	return 0;
}

/* Whether cron.c's find_jobs could start the entry at some minute of the local
 * day that begins at local minute `day_start`: the probe entry (all minute and
 * hour bits set) matches that day, and the entry has a minute and an hour at all
 * (a reversed range like 5-2 leaves a field empty). */
static int
day_can_match(time_min day_start)
{
	if (!any_bit(the_user.crontab->minute, MINUTE_COUNT) || !any_bit(the_user.crontab->hour, HOUR_COUNT))
		return 0;
	probing = 1;
	probe_hit = 0;
	oracle_find_jobs(day_start, &probe_db, TRUE, TRUE);
	probing = 0;
	return probe_hit;
}

static time_min
floor_mod(time_min a, time_min m)
{
	time_min r = a % m;
	return r < 0 ? r + m : r;
}

unsigned int
oracle_sleep(unsigned int seconds)
{
	int64_t now;

	sim_us += (int64_t) seconds * 1000000;
	now = sim_seconds();

	if (distinct_minutes >= run_count_goal && now / 60 > last_minute) {
		stop_reason = "complete";
		longjmp(stop, 1);
	}
	if (now > horizon) {
		stop_reason = "horizon";
		longjmp(stop, 1);
	}

	if (skip_enabled && virtualTime == timeRunning && clockTime == timeRunning
	    && floor_mod(timeRunning + 1, 1440) == 0) {
		long offset = offset_at(now - 120);
		int64_t days = 0;

		for (;;) {
			int64_t from = now + days * 86400 - 120;
			int64_t to = now + (days + 1) * 86400 + 120;

			if (to > horizon)
				break;
			if (day_can_match(timeRunning + 1 + (time_min) (days * 1440)))
				break;
			if (!offset_constant(from, to, offset))
				break;
			days++;
		}
		if (days > 0) {
			sim_us += days * 86400 * (int64_t) 1000000;
			timeRunning += (time_min) (days * 1440);
			virtualTime += (time_min) (days * 1440);
			clockTime += (time_min) (days * 1440);
		}
	}
	return 0;
}

/* --------------------------------------------------------------- parsing */

static char *check_message;
static int check_errors;

static void
check_error(char *msg)
{
	check_errors++;
	if (!check_message)
		check_message = strdup(msg);
}

enum parse_result { PARSED_ENTRY, PARSED_ERROR, PARSED_ENV, PARSED_NONE };

/* Parse "EXPR /bin/true\n" the way crontab(1) checks a new crontab. */
static enum parse_result
parse_line(const char *expr, entry **out)
{
	static char **envp;
	char envstr[MAX_ENVSTR];
	char *text;
	size_t len;
	FILE *f;
	int eof = FALSE, envs = 0;
	entry *found = NULL, *e;

	if (!envp)
		envp = env_init();
	len = strlen(expr) + sizeof " /bin/true\n";
	text = malloc(len);
	snprintf(text, len, "%s /bin/true\n", expr);
	f = fmemopen(text, strlen(text), "r");
	if (!f) {
		perror("fmemopen");
		exit(2);
	}

	free(check_message);
	check_message = NULL;
	check_errors = 0;
	Set_LineNum(1)
	while (!check_errors && !eof) {
		switch (load_env(envstr, f)) {
		case ERR:
			eof = TRUE;
			break;
		case FALSE:
			e = load_entry(f, check_error, &oracle_pw, envp);
			if (e) {
				if (!found)
					found = e;
				else
					free_entry(e);
			}
			break;
		case TRUE:
			envs++;
			break;
		}
	}
	fclose(f);
	free(text);

	*out = NULL;
	if (check_errors) {
		if (found)
			free_entry(found);
		return PARSED_ERROR;
	}
	if (found) {
		*out = found;
		return PARSED_ENTRY;
	}
	return envs ? PARSED_ENV : PARSED_NONE;
}

static void
print_bits(bitstr_t *bits, int count, int low)
{
	int i = 0, first = 1;

	while (i < count) {
		int j;

		if (!bit_test(bits, i)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < count && bit_test(bits, j + 1); j++)
			;
		printf(first ? "%d" : ",%d", i + low);
		if (j > i)
			printf("-%d", j + low);
		first = 0;
		i = j + 1;
	}
}

static void
print_entry(entry *e)
{
	int f = e->flags;

	printf("ok\t");
	if (f & DOM_STAR) putchar('D');
	if (f & DOW_STAR) putchar('W');
	if (f & WHEN_REBOOT) putchar('R');
	if (f & MIN_STAR) putchar('M');
	if (f & HR_STAR) putchar('H');
	if (!(f & (DOM_STAR | DOW_STAR | WHEN_REBOOT | MIN_STAR | HR_STAR)))
		putchar('-');
	putchar('\t');
	print_bits(e->minute, MINUTE_COUNT, FIRST_MINUTE);
	putchar('\t');
	print_bits(e->hour, HOUR_COUNT, FIRST_HOUR);
	putchar('\t');
	print_bits(e->dom, DOM_COUNT, FIRST_DOM);
	putchar('\t');
	print_bits(e->month, MONTH_COUNT, FIRST_MONTH);
	putchar('\t');
	print_bits(e->dow, DOW_COUNT, FIRST_DOW);
	printf("\t%s\n", e->cmd);
}

static void
print_parse_failure(enum parse_result r)
{
	if (r == PARSED_ERROR)
		printf("error\t%s\n", check_message ? check_message : "?");
	else if (r == PARSED_ENV)
		printf("env\n");
	else
		printf("none\n");
}

/* ------------------------------------------------------------------ runs */

static void
run_case(const char *zone, int64_t start, int64_t count, int64_t until, const char *expr)
{
	entry *e;
	enum parse_result r = parse_line(expr, &e);
	char *argv[] = { "cron", "-f", NULL };
	size_t i;

	if (r != PARSED_ENTRY) {
		print_parse_failure(r);
		return;
	}

	if (setenv("TZ", zone, 1) != 0) {
		perror("setenv");
		exit(2);
	}
	tzset();

	e->next = NULL;
	memset(&the_user, 0, sizeof the_user);
	the_user.name = "oracle";
	the_user.crontab = e;

	probe_entry = *e;
	probe_entry.next = NULL;
	bit_nset(probe_entry.minute, 0, MINUTE_COUNT - 1);
	bit_nset(probe_entry.hour, 0, HOUR_COUNT - 1);
	memset(&probe_user, 0, sizeof probe_user);
	probe_user.name = "probe";
	probe_user.crontab = &probe_entry;
	memset(&probe_db, 0, sizeof probe_db);
	probe_db.head = probe_db.tail = &probe_user;

	sim_us = (start - warmup) * (int64_t) 1000000;
	record_after = start;
	run_count_goal = count;
	horizon = until;
	nstarts = 0;
	distinct_minutes = 0;
	last_minute = 0;
	stop_reason = NULL;

	if (setjmp(stop) == 0) {
		optind = 0;	/* glibc: reinitialise getopt for parse_args() */
		cron_main(2, argv);
		fprintf(stderr, "cron-oracle: cron_main returned\n");
		exit(2);
	}

	printf("ok\t%s\t", stop_reason);
	for (i = 0; i < nstarts; i++)
		printf(i ? " %lld" : "%lld", (long long) starts[i]);
	putchar('\n');
	free_entry(e);
}

static char *
next_field(char **line)
{
	char *field = *line, *tab = strchr(field, '\t');

	if (!tab) {
		fprintf(stderr, "cron-oracle: expected ZONE<TAB>START<TAB>COUNT<TAB>HORIZON<TAB>EXPR\n");
		exit(2);
	}
	*tab = '\0';
	*line = tab + 1;
	return field;
}

int
main(int argc, char *argv[])
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int runs, i;

	if (argc < 2 || (strcmp(argv[1], "accept") && strcmp(argv[1], "runs"))) {
		fprintf(stderr, "usage: %s accept | runs [--no-skip] [--warmup=SECONDS]   (cases on stdin)\n", argv[0]);
		return 2;
	}
	runs = strcmp(argv[1], "runs") == 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--no-skip") == 0)
			skip_enabled = 0;
		else if (strncmp(argv[i], "--warmup=", 9) == 0)
			warmup = strtoll(argv[i] + 9, NULL, 10);
		else {
			fprintf(stderr, "cron-oracle: unknown option %s\n", argv[i]);
			return 2;
		}
	}

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!runs) {
			entry *e;
			enum parse_result r = parse_line(line, &e);

			if (r == PARSED_ENTRY) {
				print_entry(e);
				free_entry(e);
			} else {
				print_parse_failure(r);
			}
		} else {
			char *rest = line;
			char *zone = next_field(&rest);
			char *start = next_field(&rest);
			char *count = next_field(&rest);
			char *until = next_field(&rest);

			run_case(zone, strtoll(start, NULL, 10), strtoll(count, NULL, 10),
				 strtoll(until, NULL, 10), rest);
		}
		fflush(stdout);
	}
	free(line);
	return 0;
}
