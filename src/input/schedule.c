/* schedule.c - when an event happens: the schedule of a protocol event in
 * its string form ("3 sessions 4 weeks apart", "twice daily for 12 weeks",
 * "every 2 days for 4 weeks starting at 1 week", "once", "at 3 days") or its
 * mapping form ({start, every, count}, {start, every, until}, {times: [...]})
 * becomes an ascending array of times in hours.  Grammar: docs/config.md. */
#include "input/input_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 16
/* Longest span any schedule may cover; beyond the 5-year simulation limit. */
#define SPAN_MAX (10.0 * EXO_YEAR)

static const exo__range range_at = {0.0, SPAN_MAX, "h", 0};
static const exo__range range_every = {0.0, SPAN_MAX, "h", EXO__LO_OPEN};

/* Reads a "NUMBER UNIT" piece of a schedule string as a time; messages point
 * at the schedule scalar and quote the piece. */
static exo_status time_of(exo__walk *w, const exo__node *at, const char *num, const char *unit,
                          const exo__range *r, double *out)
{
    char buf[EXO_INPUT_MAX_STRING + 2];
    snprintf(buf, sizeof buf, "%s %s", num, unit);
    exo__node piece = *at;
    piece.text = buf;
    return exo__get_qty(w, &piece, &exo__dim_time, r, out);
}

static bool parse_count(const char *s, long *out)
{
    long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > EXO_INPUT_MAX_TIMES)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

static bool is(const char *tok, const char *word) { return strcasecmp(tok, word) == 0; }

/* start + k*every for k < count, into a new array. */
static exo_status fill(exo__walk *w, const exo__node *at, double start, double every,
                       long count, double **times, int *n_times)
{
    if (count < 1 || count > EXO_INPUT_MAX_TIMES)
        return exo__walk_error(w, at, EXO_EINPUT, "%ld sessions (expected 1 to %d)", count,
                               EXO_INPUT_MAX_TIMES);
    double *t = exo_alloc(w->ctx, (size_t)count, sizeof *t);
    if (!t)
        return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
    for (long k = 0; k < count; k++)
        t[k] = start + (double)k * every;
    *times = t;
    *n_times = (int)count;
    return EXO_OK;
}

/* How many of start, start+every, ... fall before start+span. */
static exo_status count_within(exo__walk *w, const exo__node *at, double every, double span,
                               long *count)
{
    double est = span / every;
    if (est > (double)EXO_INPUT_MAX_TIMES + 1.0)
        return exo__walk_error(w, at, EXO_EINPUT, "about %.0f sessions (expected at most %d)",
                               est, EXO_INPUT_MAX_TIMES);
    long k = 0;
    /* relative slack so that "every 8 h for 24 h" gives 3, not 4, times */
    while ((double)k * every < span * (1.0 - 1e-12))
        k++;
    if (k == 0)
        k = 1;
    *count = k;
    return EXO_OK;
}

static exo_status from_string(exo__walk *w, const exo__node *n, double **times, int *n_times)
{
    exo_status st = EXO_OK;
    char buf[EXO_INPUT_MAX_STRING + 1], val[96];
    const char *t[MAX_TOKENS];
    int nt = 0;
    snprintf(buf, sizeof buf, "%s", n->text);
    char *save = NULL;
    for (char *s = strtok_r(buf, " \t", &save); s; s = strtok_r(NULL, " \t", &save)) {
        if (nt == MAX_TOKENS)
            goto out_bad;
        t[nt++] = s;
    }
    double offset = 0.0, x, y;
    long count = 0;
    if (nt >= 5 && is(t[nt - 4], "starting") && is(t[nt - 3], "at")) {
        EXO_TRY(time_of(w, n, t[nt - 2], t[nt - 1], &range_at, &offset));
        nt -= 4;
    }
    if (nt == 1 && is(t[0], "once"))
        return fill(w, n, offset, 0.0, 1, times, n_times);
    if (nt == 3 && is(t[0], "at")) {
        EXO_TRY(time_of(w, n, t[1], t[2], &range_at, &x));
        return fill(w, n, offset + x, 0.0, 1, times, n_times);
    }
    if (nt == 5 && (is(t[1], "sessions") || is(t[1], "session")) && is(t[4], "apart")) {
        if (!parse_count(t[0], &count) || count < 1 || count > EXO_INPUT_MAX_TIMES)
            return exo__walk_error(w, n, EXO_EINPUT, "bad session count '%s' (expected a whole "
                                   "number from 1 to %d)",
                                   exo__quote(val, sizeof val, t[0], 24), EXO_INPUT_MAX_TIMES);
        EXO_TRY(time_of(w, n, t[2], t[3], &range_every, &x));
        return fill(w, n, offset, x, count, times, n_times);
    }
    /* [once|twice|thrice|N times] daily for X UNIT */
    int per_day = 0, rest = 0; /* rest: index of "for" */
    if (nt == 4 && is(t[0], "daily")) {
        per_day = 1;
        rest = 1;
    } else if (nt == 5 && is(t[1], "daily")) {
        per_day = is(t[0], "once") ? 1 : is(t[0], "twice") ? 2 : is(t[0], "thrice") ? 3 : -1;
        rest = 2;
    } else if (nt == 6 && is(t[1], "times") && is(t[2], "daily")) {
        per_day = parse_count(t[0], &count) && count >= 1 && count <= 48 ? (int)count : -1;
        rest = 3;
    }
    if (per_day < 0)
        return exo__walk_error(w, n, EXO_EINPUT, "bad daily count '%s' (expected once, twice, "
                               "thrice or N times daily with N from 1 to 48)",
                               exo__quote(val, sizeof val, t[0], 24));
    if (per_day > 0 && is(t[rest], "for")) {
        EXO_TRY(time_of(w, n, t[rest + 1], t[rest + 2], &range_every, &y));
        double every = EXO_DAY / per_day;
        EXO_TRY(count_within(w, n, every, y, &count));
        return fill(w, n, offset, every, count, times, n_times);
    }
    if (nt == 6 && is(t[0], "every") && is(t[3], "for")) {
        EXO_TRY(time_of(w, n, t[1], t[2], &range_every, &x));
        EXO_TRY(time_of(w, n, t[4], t[5], &range_every, &y));
        EXO_TRY(count_within(w, n, x, y, &count));
        return fill(w, n, offset, x, count, times, n_times);
    }
out_bad:
    return exo__walk_error(w, n, EXO_EINPUT,
                           "cannot read schedule '%s' (expected 'once', 'at 2 days', "
                           "'3 sessions 4 weeks apart', 'twice daily for 12 weeks' or "
                           "'every 2 days for 4 weeks', optionally followed by 'starting at "
                           "1 week')",
                           exo__quote(val, sizeof val, n->text, 60));
out:
    return st;
}

static const char *const map_keys[] = {"start", "every", "count", "until", "times", NULL};

static exo_status from_list(exo__walk *w, const exo__node *list, double **times, int *n_times)
{
    exo_status st;
    static const exo__range any = {-INFINITY, SPAN_MAX, "h", 0};
    if ((st = exo__need_seq(w, list, 1, EXO_INPUT_MAX_ITEMS)) != EXO_OK)
        return st;
    double *t = exo_alloc(w->ctx, (size_t)list->n, sizeof *t);
    if (!t)
        return exo__walk_error(w, list, EXO_ENOMEM, "out of memory");
    for (int i = 0; i < list->n; i++) {
        const exo__node *item = list->items[i];
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_qty(w, item, &exo__dim_time, &any, &t[i]);
        if (st == EXO_OK && t[i] < 0.0)
            st = exo__walk_error(w, item, EXO_EINPUT, "negative time (expected times from 0 h "
                                                      "on)");
        if (st == EXO_OK && i > 0 && t[i] <= t[i - 1])
            st = exo__walk_error(w, item, EXO_EINPUT, "overlapping or unsorted times (expected "
                                                      "each time after the one before)");
        exo__path_pop(&w->path, old);
        if (st != EXO_OK) {
            exo_free(w->ctx, t);
            return st;
        }
    }
    *times = t;
    *n_times = list->n;
    return EXO_OK;
}

static exo_status from_map(exo__walk *w, const exo__node *n, double **times, int *n_times)
{
    exo_status st;
    if ((st = exo__need_map(w, n, map_keys)) != EXO_OK)
        return st;
    const exo__node *list = exo__map_get(n, "times");
    if (list) {
        if (n->n != 1)
            return exo__walk_error(w, n, EXO_EINPUT, "'times' cannot be combined with other "
                                                     "keys (expected {times: [...]} alone)");
        size_t old = exo__path_key(&w->path, "times");
        st = from_list(w, list, times, n_times);
        exo__path_pop(&w->path, old);
        return st;
    }
    double start = 0.0, every = 0.0, until = 0.0;
    long long count = 0;
    exo__node *every_n;
    if ((st = exo__need_key(w, n, "every", "a time such as '1 week', with 'count' or 'until', "
                                           "or a list 'times'",
                            &every_n)) != EXO_OK)
        return st;
    if ((st = exo__opt_qty(w, n, "start", &exo__dim_time, &range_at, &start)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "every", &exo__dim_time, &range_every, &every)) != EXO_OK)
        return st;
    const exo__node *count_n = exo__map_get(n, "count"), *until_n = exo__map_get(n, "until");
    if (!count_n == !until_n)
        return exo__walk_error(w, n, EXO_EINPUT, "%s (expected exactly one of 'count' and "
                                                 "'until' beside 'every')",
                               count_n ? "both 'count' and 'until'" : "neither 'count' nor 'until'");
    if (count_n) {
        size_t old = exo__path_key(&w->path, "count");
        st = exo__get_int(w, count_n, 1, EXO_INPUT_MAX_TIMES, &count);
        exo__path_pop(&w->path, old);
        if (st != EXO_OK)
            return st;
        return fill(w, n, start, every, (long)count, times, n_times);
    }
    if ((st = exo__opt_qty(w, n, "until", &exo__dim_time, &range_at, &until)) != EXO_OK)
        return st;
    if (until <= start) {
        size_t old = exo__path_key(&w->path, "until");
        st = exo__walk_error(w, until_n, EXO_EINPUT, "'until' is not after 'start' (expected a "
                                                     "later time)");
        exo__path_pop(&w->path, old);
        return st;
    }
    long k = 0;
    if ((st = count_within(w, n, every, until - start, &k)) != EXO_OK)
        return st;
    return fill(w, n, start, every, k, times, n_times);
}

exo_status exo__get_schedule(exo__walk *w, const exo__node *n, double **times, int *n_times)
{
    *times = NULL;
    *n_times = 0;
    if (n->kind == EXO__NODE_SCALAR)
        return from_string(w, n, times, n_times);
    if (n->kind == EXO__NODE_MAP)
        return from_map(w, n, times, n_times);
    return exo__walk_error(w, n, EXO_EINPUT, "found a list (expected a schedule such as "
                                             "'3 sessions 4 weeks apart' or {times: [0 h, 1 week]})");
}
