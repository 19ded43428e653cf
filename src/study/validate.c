/* validate.c - runs study definitions (scenario + `study:` block) and
 * compares the predicted endpoint with the published value and its
 * tolerance; extra `checks` (e.g. "the intact arm delivers < 1 %") must hold
 * too.  The format is documented in docs/studies.md. */
#include <exoskin/exo_study.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

exo_status exo_validate_config(exo_ctx *ctx, const exo_config *cfg, exo_validation_row *row)
{
    const exo_study_cfg *sd = &cfg->study;
    if (!sd->present)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: no study block", cfg->name);
    exo_result *r = NULL;
    exo_status st = exo_run(ctx, cfg, NULL, NULL, &r);
    if (st != EXO_OK)
        return st;
    snprintf(row->id, sizeof row->id, "%s", sd->id);
    snprintf(row->level, sizeof row->level, "%s", sd->level);
    snprintf(row->unit, sizeof row->unit, "%s", sd->unit);
    row->reported = sd->reported;
    row->low = sd->endpoint.low;
    row->high = sd->endpoint.high;
    st = exo_result_endpoint(ctx, r, &sd->endpoint, &row->predicted);
    if (st != EXO_OK)
        goto out;
    row->pass = row->predicted >= row->low && row->predicted <= row->high;
    row->note[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < sd->n_checks; i++) {
        const exo_endpoint_cfg *ck = &sd->checks[i];
        double v;
        st = exo_result_endpoint(ctx, r, ck, &v);
        if (st != EXO_OK)
            goto out;
        bool ok = v >= ck->low && v <= ck->high;
        row->pass = row->pass && ok;
        int w = snprintf(row->note + used, sizeof row->note - used, "%scheck %s %s=%.4g in [%g, %g]: %s",
                         i ? "; " : "", exo_quantity_name(ck->quantity), cfg->arms[ck->arm].name, v, ck->low,
                         ck->high, ok ? "ok" : "FAILED");
        if (w > 0 && (size_t)w < sizeof row->note - used)
            used += (size_t)w;
    }
out:
    exo_result_destroy(&r);
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
    if (!out) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < k; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        exo_config cfg;
        st = exo_config_load(ctx, u, path, sets, n_sets, &cfg);
        if (st != EXO_OK)
            break;
        snprintf(out[i].file, sizeof out[i].file, "%s", names[i]);
        st = exo_validate_config(ctx, &cfg, &out[i]);
        exo_config_fini(ctx, &cfg);
        if (st != EXO_OK)
            break;
    }
done:
    for (int i = 0; i < k; i++)
        free(names[i]);
    if (st != EXO_OK) {
        exo_free(ctx, out);
        return st;
    }
    *rows = out;
    *n = k;
    return EXO_OK;
}
