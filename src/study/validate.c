/* validate.c - runs study definitions (scenario + `study:` block) and
 * compares the predicted endpoint with the published value and its
 * tolerance; extra `checks` (e.g. "the intact arm delivers < 1 %") must hold
 * too.  The format is documented in docs/studies.md. */
#include <exoskin/exo_study.h>

#include "core/posterior_impl.h"
#include "output/output.h"
#include "study/calibrate_impl.h"
#include "study/study_impl.h"
#include "study/writers.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool exo__study_direction_only(const exo_study_cfg *sd)
{
    return strncmp(sd->unit, "sign", 4) == 0 || strstr(sd->unit, "by sign") != NULL;
}

exo_status exo_validation_row_of(exo_ctx *ctx, const exo_config *cfg, const exo_result *r, exo_validation_row *row)
{
    const exo_study_cfg *sd = &cfg->study;
    if (!sd->present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no study block", cfg->name);
    snprintf(row->id, sizeof row->id, "%s", sd->id);
    snprintf(row->level, sizeof row->level, "%s", sd->level);
    snprintf(row->unit, sizeof row->unit, "%s", sd->unit);
    snprintf(row->source, sizeof row->source, "%s", sd->source);
    row->known = false;
    row->known_why[0] = '\0';
    row->direction_only = exo__study_direction_only(sd);
    row->reported = sd->reported;
    row->low = sd->endpoint.low;
    row->high = sd->endpoint.high;
    exo_status st = exo_result_endpoint(ctx, r, &sd->endpoint, &row->predicted);
    if (st != EXO_OK)
        return st;
    row->pass = row->predicted >= row->low && row->predicted <= row->high;
    row->note[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < sd->n_checks; i++) {
        const exo_endpoint_cfg *ck = &sd->checks[i];
        double v;
        st = exo_result_endpoint(ctx, r, ck, &v);
        if (st != EXO_OK)
            return st;
        bool ok = v >= ck->low && v <= ck->high;
        row->pass = row->pass && ok;
        int w = snprintf(row->note + used, sizeof row->note - used, "%scheck %s %s=%.4g in [%g, %g]: %s",
                         i ? "; " : "", exo_quantity_name(ck->quantity), cfg->arms[ck->arm].name, v, ck->low,
                         ck->high, ok ? "ok" : "FAILED");
        if (w > 0 && (size_t)w < sizeof row->note - used)
            used += (size_t)w;
    }
    return EXO_OK;
}

exo_status exo_validate_config(exo_ctx *ctx, const exo_config *cfg, exo_validation_row *row)
{
    if (!cfg->study.present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no study block", cfg->name);
    exo_result *r = NULL;
    exo_status st = exo_run(ctx, cfg, NULL, NULL, &r);
    if (st == EXO_OK)
        st = exo_validation_row_of(ctx, cfg, r, row);
    exo_result_destroy(&r);
    return st;
}

/* Marks the rows listed in dir/UNMET (one id a line; '#' comments; a line
 * "# why: REASON" gives the reason of the id that follows it).  No UNMET:
 * nothing is known. */
static void mark_known(const char *dir, exo_validation_row *rows, int n)
{
    char path[4096], line[1024], why[400] = "";
    snprintf(path, sizeof path, "%s/UNMET", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "# why:", 6) == 0) {
            const char *w = line + 6;
            w += strspn(w, " \t");
            snprintf(why, sizeof why, "%s", w);
            continue;
        }
        if (line[0] == '#' || line[0] == '\0')
            continue;
        for (int i = 0; i < n; i++)
            if (strcmp(rows[i].id, line) == 0) {
                rows[i].known = true;
                snprintf(rows[i].known_why, sizeof rows[i].known_why, "%s", why);
            }
        why[0] = '\0';
    }
    fclose(f);
}

/* The 90 % posterior predictive interval of the published value of study
 * cfg into row (interval_*, inside): the predictions y_d at posterior draws
 * 0..n (exo__study_draw_endpoints), and the published value y_d plus the
 * study's noise, N(0, (s h)^2), s the posterior's noise scale and h the row's
 * half-width: the interval is the 5 % and 95 % quantiles of the mixture of
 * these normals over the draws (its median the mid-point), solved by
 * bisection: no random numbers. */
static exo_status predictive_interval(exo_ctx *ctx, const exo_config *cfg, const exo_posterior *post, int n,
                                      exo_validation_row *row)
{
    int runs = n + 1;
    double *y = exo_alloc(ctx, (size_t)runs, sizeof *y);
    if (!y)
        return exo_ctx_error(ctx, EXO_ENOMEM, "validate: out of memory");
    exo_status st = exo__study_draw_endpoints(ctx, cfg, post, n, y);
    if (st == EXO_OK) {
        double sd = post->noise_scale * exo__calib_halfwidth(&cfg->study.endpoint);
        row->interval_runs = runs;
        row->interval_low = exo__mixture_quantile(y, runs, sd, 0.05);
        row->interval_mid = exo__mixture_quantile(y, runs, sd, 0.5);
        row->interval_high = exo__mixture_quantile(y, runs, sd, 0.95);
        row->inside = !row->direction_only && row->reported >= row->interval_low && row->reported <= row->interval_high;
    }
    exo_free(ctx, y);
    return st;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

exo_status exo_validate_dir(exo_ctx *ctx, exo_units *u, const char *dir, exo_validation_row **rows, int *n)
{
    return exo_validate_dir_with(ctx, u, dir, NULL, 0, rows, n);
}

exo_status exo_validate_dir_with(exo_ctx *ctx, exo_units *u, const char *dir, const exo_override *sets, int n_sets,
                                 exo_validation_row **rows, int *n)
{
    return exo_validate_dir_draws(ctx, u, dir, sets, n_sets, NULL, 0, rows, n);
}

exo_status exo_validate_dir_draws(exo_ctx *ctx, exo_units *u, const char *dir, const exo_override *sets, int n_sets,
                                  const exo_posterior *post, int n_draws, exo_validation_row **rows, int *n)
{
    if (post && n_draws < 0)
        return exo_ctx_error(ctx, EXO_EINVAL, "exo_validate_dir_draws: %d draws (0 or more)", n_draws);
    DIR *d = opendir(dir);
    if (!d)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot open folder", dir);
    char *names[1024];
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 1024) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
            names[k++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)k, sizeof *names, cmp_str);
    exo_status st = EXO_OK;
    exo_validation_row *out = exo_alloc(ctx, (size_t)(k ? k : 1), sizeof *out);
    exo_config *cfgs = exo_alloc(ctx, (size_t)(k ? k : 1), sizeof *cfgs);
    int loaded = 0;
    if (!out || !cfgs) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
        goto done;
    }
    /* every file read and checked before any study runs (bad input: nothing computed) */
    for (; loaded < k; loaded++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[loaded]);
        if ((st = exo_config_load(ctx, u, path, sets, n_sets, &cfgs[loaded])) != EXO_OK)
            goto done;
        snprintf(out[loaded].file, sizeof out[loaded].file, "%s", names[loaded]);
    }
    /* the studies on OpenMP threads, each with its own context, each row
     * stored by index: the same rows at any thread count; the first failing
     * study's status and message win */
    exo__first_failure bad;
    exo__first_failure_init(&bad, k);
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < k; i++) {
        exo_ctx *tctx = NULL;
        exo_status ts = exo_ctx_create(exo_ctx_seed(ctx), &tctx);
        if (ts == EXO_OK)
            ts = exo_validate_config(tctx, &cfgs[i], &out[i]);
        out[i].interval_runs = 0;
        if (ts == EXO_OK && post)
            ts = predictive_interval(tctx, &cfgs[i], post, n_draws, &out[i]);
#pragma omp critical(exo_validate_failure)
        exo__first_failure_note(&bad, i, ts, tctx);
        exo_ctx_destroy(&tctx);
    }
    if (bad.st != EXO_OK)
        st = exo_ctx_error(ctx, bad.st, "%s", bad.msg);
done:
    for (int i = 0; i < loaded; i++)
        exo_config_fini(ctx, &cfgs[i]);
    exo_free(ctx, cfgs);
    for (int i = 0; i < k; i++)
        free(names[i]);
    if (st != EXO_OK) {
        exo_free(ctx, out);
        return st;
    }
    mark_known(dir, out, k);
    *rows = out;
    *n = k;
    return EXO_OK;
}

int exo_validation_coverage(const exo_validation_row *rows, int n, int *inside)
{
    int with = 0;
    *inside = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].interval_runs > 0 && !rows[i].direction_only) {
            with++;
            *inside += rows[i].inside;
        }
    return with;
}

/* ---- the data files of `exoskin validate -o DIR` ---------------------- */

static const char *row_verdict(const exo_validation_row *r)
{
    return r->pass ? "pass" : r->known ? "known failure" : "FAIL";
}

static exo_status write_csv(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies, const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/validation.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "# exoskin %s validate ", EXO_VERSION_STRING);
    exo__csv_quoted(f, studies);
    fprintf(f, ": each study's predicted endpoint against its published value; values in the row's unit; verdict "
               "pass, FAIL or known failure (listed in UNMET)\n");
    fprintf(f, "id,file,level,unit,reported [unit],low [unit],high [unit],predicted [unit],verdict,checks,known reason,"
               "source,interval runs [1],interval p05 [unit],interval p50 [unit],interval p95 [unit],"
               "reported inside interval\n");
    for (int i = 0; i < n; i++) {
        const exo_validation_row *r = &rows[i];
        const char *names[] = {r->id, r->file, r->level}, *texts[] = {r->note, r->known_why, r->source};
        for (int j = 0; j < 3; j++) {
            exo__csv_field(f, names[j]);
            fputc(',', f);
        }
        exo__csv_quoted(f, r->unit);
        fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%s", r->reported, r->low, r->high, r->predicted, row_verdict(r));
        for (int j = 0; j < 3; j++) {
            fputc(',', f);
            exo__csv_quoted(f, texts[j]);
        }
        if (r->interval_runs > 0) /* the 90 % prediction interval over posterior draws */
            fprintf(f, ",%d,%.6g,%.6g,%.6g,%s", r->interval_runs, r->interval_low, r->interval_mid, r->interval_high,
                    r->direction_only ? "direction only" : r->inside ? "yes" : "no");
        else
            fputs(",0,,,,", f);
        fputc('\n', f);
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static exo_status write_json(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies, const char *dir)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "validate: out of memory");
    cJSON_AddStringToObject(root, "exoskin_version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddStringToObject(root, "studies", studies);
    int pass = 0, known = 0;
    for (int i = 0; i < n; i++) {
        pass += rows[i].pass;
        known += !rows[i].pass && rows[i].known;
    }
    cJSON_AddNumberToObject(root, "passed", pass);
    cJSON_AddNumberToObject(root, "failed", n - pass);
    cJSON_AddNumberToObject(root, "known_failures", known);
    int inside, with = exo_validation_coverage(rows, n, &inside);
    if (with > 0) { /* the coverage of the 90 % prediction intervals */
        cJSON_AddNumberToObject(root, "posterior_draws", rows[0].interval_runs - 1);
        cJSON_AddNumberToObject(root, "rows_with_interval", with); /* and a published value */
        cJSON_AddNumberToObject(root, "reported_inside_interval", inside);
        cJSON_AddNumberToObject(root, "coverage", (double)inside / with);
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "rows");
    for (int i = 0; arr && i < n; i++) {
        const exo_validation_row *r = &rows[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "file", r->file);
        cJSON_AddStringToObject(o, "level", r->level);
        cJSON_AddStringToObject(o, "unit", r->unit);
        cJSON_AddStringToObject(o, "source", r->source);
        cJSON_AddNumberToObject(o, "reported", r->reported);
        cJSON_AddNumberToObject(o, "low", r->low);
        cJSON_AddNumberToObject(o, "high", r->high);
        cJSON_AddNumberToObject(o, "predicted", r->predicted);
        cJSON_AddBoolToObject(o, "pass", r->pass);
        cJSON_AddBoolToObject(o, "known", r->known);
        cJSON_AddBoolToObject(o, "direction_only", r->direction_only);
        cJSON_AddStringToObject(o, "known_reason", r->known_why);
        cJSON_AddStringToObject(o, "checks", r->note);
        if (r->interval_runs > 0) {
            cJSON *iv = cJSON_AddObjectToObject(o, "interval");
            cJSON_AddNumberToObject(iv, "runs", r->interval_runs);
            cJSON_AddNumberToObject(iv, "p05", r->interval_low);
            cJSON_AddNumberToObject(iv, "p50", r->interval_mid);
            cJSON_AddNumberToObject(iv, "p95", r->interval_high);
            if (r->direction_only) /* a direction: no value to cover */
                cJSON_AddNullToObject(iv, "reported_inside");
            else
                cJSON_AddBoolToObject(iv, "reported_inside", r->inside);
        }
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/validation.json", dir);
    return exo__write_json(ctx, root, path);
}

exo_status exo__validation_write_files(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                       const char *dir)
{
    exo_status st = write_csv(ctx, rows, n, studies, dir);
    if (st == EXO_OK)
        st = write_json(ctx, rows, n, studies, dir);
    return st;
}
