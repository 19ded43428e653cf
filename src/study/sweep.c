/* sweep.c - one-key sweeps (dose-response): the scenario is loaded once per
 * value with that value as a `--set` override, run, and summarised per arm:
 * baseline and final readouts, peak inflammation, serious adverse-event
 * probability, vesicles delivered to the dermis.  sweep.csv is written
 * atomically (docs/sweeps.md). */
#include <exoskin/exo_report.h>
#include <exoskin/exo_sweep.h>

#include "engine/engine_impl.h"

#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

_Static_assert(EXO_RD_COUNT <= 32, "exo_sweep_point holds 32 readouts");

static void point_fini(exo_ctx *ctx, exo_sweep_point *p)
{
    exo_free(ctx, p->arm);
    exo_free(ctx, p->baseline);
    exo_free(ctx, p->final);
    exo_free(ctx, p->peak_inflammation);
    exo_free(ctx, p->p_serious);
    exo_free(ctx, p->delivered_dermis);
}

void exo_sweep_destroy(exo_ctx *ctx, exo_sweep_result **rp)
{
    if (!rp || !*rp)
        return;
    for (int i = 0; i < (*rp)->n; i++)
        point_fini(ctx, &(*rp)->points[i]);
    exo_free(ctx, (*rp)->effective_input);
    exo_free(ctx, (*rp)->points);
    exo_free(ctx, *rp);
    *rp = NULL;
}

exo_status exo_sweep_run(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets, int n_sets,
                         const char *key, const char *const *values, int n_values, exo_sweep_result **out)
{
    if (n_values < 1 || n_values > 1000 || n_sets < 0 || n_sets > 1000)
        return exo_ctx_error(ctx, EXO_EINPUT, "--sweep: %d values (expected 1 to 1000)", n_values);
    exo_status st = EXO_OK;
    exo_sweep_result *res = exo_alloc(ctx, 1, sizeof *res);
    exo_override *all = exo_alloc(ctx, (size_t)n_sets + 1, sizeof *all);
    if (!res || !all || !(res->points = exo_alloc(ctx, (size_t)n_values, sizeof *res->points))) {
        exo_free(ctx, all);
        exo_sweep_destroy(ctx, &res);
        return exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
    }
    snprintf(res->key, sizeof res->key, "%s", key);
    {
        exo_config base;
        st = exo_config_load(ctx, u, path, sets, n_sets, &base);
        if (st == EXO_OK) {
            res->seed = base.seed;
            st = exo_config_to_yaml(ctx, &base, &res->effective_input);
            exo_config_fini(ctx, &base);
        }
        if (st != EXO_OK)
            goto out;
    }
    for (int i = 0; i < n_sets; i++)
        all[i] = sets[i];
    for (int v = 0; v < n_values; v++) {
        exo_config cfg;
        exo_result *r = NULL;
        all[n_sets] = (exo_override){key, values[v]};
        EXO_TRY(exo_config_load(ctx, u, path, all, n_sets + 1, &cfg));
        st = exo_run(ctx, &cfg, NULL, NULL, &r);
        exo_sweep_point *p = &res->points[v];
        res->n = v + 1;
        int na = cfg.n_arms;
        if (st == EXO_OK) {
            snprintf(p->value, sizeof p->value, "%s", values[v]);
            p->n_arms = na;
            p->arm = exo_alloc(ctx, (size_t)na, sizeof *p->arm);
            p->baseline = exo_alloc(ctx, (size_t)na, sizeof *p->baseline);
            p->final = exo_alloc(ctx, (size_t)na, sizeof *p->final);
            p->peak_inflammation = exo_alloc(ctx, (size_t)na, sizeof(double));
            p->p_serious = exo_alloc(ctx, (size_t)na, sizeof(double));
            p->delivered_dermis = exo_alloc(ctx, (size_t)na, sizeof(double));
            if (!p->arm || !p->baseline || !p->final || !p->peak_inflammation || !p->p_serious || !p->delivered_dermis)
                st = exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
        }
        for (int a = 0; st == EXO_OK && a < na; a++) {
            snprintf(p->arm[a], sizeof p->arm[a], "%s", cfg.arms[a].name);
            for (int k = 0; k < EXO_RD_COUNT; k++)
                exo_result_readout(r, a, k, &p->baseline[a][k], &p->final[a][k]);
            p->peak_inflammation[a] = exo_result_readout_peak(r, a, EXO_RD_INFLAMMATION);
            p->p_serious[a] = exo_result_serious_ae(r, a);
            exo_arm_delivery d;
            exo_result_delivery(r, a, &d);
            p->delivered_dermis[a] = d.dermis;
        }
        exo_result_destroy(&r);
        exo_config_fini(ctx, &cfg);
        if (st != EXO_OK)
            goto out;
    }
    exo_free(ctx, all);
    *out = res;
    return EXO_OK;
out:
    exo_free(ctx, all);
    exo_sweep_destroy(ctx, &res);
    return st;
}

double exo_sweep_net_benefit(const exo_sweep_point *p, int arm, double harm_weight)
{
    double b0 = p->baseline[arm][EXO_RD_COLLAGEN], b1 = p->final[arm][EXO_RD_COLLAGEN];
    double gain = b0 > 0 ? 100.0 * (b1 - b0) / b0 : 0.0;
    return gain - harm_weight * 100.0 * p->p_serious[arm];
}

typedef struct {
    const exo_sweep_result *res;
    double w;
} sweep_files;

static exo_status fill_sweep(exo_ctx *ctx, const void *user, const char *tmp)
{
    const sweep_files *sf = user;
    const exo_sweep_result *res = sf->res;
    char path[4200];
    snprintf(path, sizeof path, "%s/sweep.csv", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "\"%s\",arm", res->key);
    for (int k = 0; k < EXO_RD_COUNT; k++)
        fprintf(f, ",%s baseline [%s],%s final [%s],%s change [%%]", exo__readout_name(k), exo__readout_unit(k),
                exo__readout_name(k), exo__readout_unit(k), exo__readout_name(k));
    fprintf(f, ",peak_inflammation [1],serious_ae_probability [1],reached_dermis [particles/cm^2],"
               "net_benefit [%% collagen - %g x %% risk]\n", sf->w);
    for (int v = 0; v < res->n; v++) {
        const exo_sweep_point *p = &res->points[v];
        for (int a = 0; a < p->n_arms; a++) {
            fprintf(f, "\"%s\",\"%s\"", p->value, p->arm[a]);
            for (int k = 0; k < EXO_RD_COUNT; k++) {
                double b0 = p->baseline[a][k], b1 = p->final[a][k];
                fprintf(f, ",%.6g,%.6g,", b0, b1);
                if (b0 != 0)
                    fprintf(f, "%.6g", 100.0 * (b1 - b0) / b0);
            }
            fprintf(f, ",%.6g,%.6g,%.6e,%.6g\n", p->peak_inflammation[a], p->p_serious[a], p->delivered_dermis[a],
                    exo_sweep_net_benefit(p, a, sf->w));
        }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EIO, "%s: write failed: %s", path, strerror(errno));
    /* provenance */
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "sweep: out of memory");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
    cJSON_AddStringToObject(root, "program", "exoskin");
    cJSON_AddStringToObject(root, "version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddStringToObject(root, "seed", seed);
    cJSON_AddStringToObject(root, "key", res->key);
    cJSON *vals = cJSON_AddArrayToObject(root, "values");
    for (int v = 0; v < res->n; v++)
        cJSON_AddItemToArray(vals, cJSON_CreateString(res->points[v].value));
    cJSON_AddNumberToObject(root, "harm_weight", sf->w);
    cJSON_AddStringToObject(root, "effective_input", res->effective_input ? res->effective_input : "");
    snprintf(path, sizeof path, "%s/sweep.json", tmp);
    exo_status st = exo__write_json(ctx, root, path);
    return st != EXO_OK ? st : exo_report_write_sweep(ctx, res, sf->w, tmp); /* report.html, figures/ */
}

exo_status exo_sweep_write(exo_ctx *ctx, const exo_sweep_result *res, double harm_weight, const char *dir,
                           bool replace)
{
    sweep_files sf = {res, harm_weight};
    return exo__write_folder(ctx, dir, replace, fill_sweep, &sf);
}
