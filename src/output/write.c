/* write.c - the files of a column run: timeseries.csv and profiles.csv (units
 * in every header) and summary.json (version, seed, effective input as YAML
 * text and as a structured object, mass
 * ledger, delivery per layer and per route).  Files are written into a
 * temporary folder that is renamed into place only when complete, so a
 * failure never leaves partial output or damages an earlier result.  The
 * report is not written here: the front door (src/publish/) adds it. */
#include "output/output.h"
#include "input/to_json.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CM2 (EXO_CM * EXO_CM) /* [um^2] per cm^2 */

static exo_status write_timeseries(exo_ctx *ctx, const exo_result *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "arm,time [h],time [d],applied [particles/cm^2],film [particles/cm^2],"
               "follicles [particles/cm^2],channels [particles/cm^2]");
    for (int l = 0; l < EXO_LAYER_COUNT; l++)
        fprintf(f, ",%s [particles/cm^2]", exo__layer_name(l));
    fprintf(f, ",degraded [particles/cm^2],cleared [particles/cm^2],washed_off [particles/cm^2],"
               "hypodermis_out [particles/cm^2],reached_viable_epidermis [particles/cm^2],"
               "reached_dermis [particles/cm^2],absorbed_fraction [1]");
    for (int q = 0; q < EXO_ROUTE_COUNT; q++)
        fprintf(f, ",via_%s [particles/cm^2]", exo__route_name(q));
    fprintf(f, ",open_channel_area [1],open_laser_area [1],film_water [um]");
    for (int m = 0; m < EXO_MED_COUNT; m++)
        fprintf(f, ",%s_tissue [activity*um]", exo__mediator_name(m));
    fprintf(f, ",taken_up [particles/cm^2]");
    for (int q = 0; q < EXO_RD_COUNT; q++)
        fprintf(f, ",%s [%s]", exo_readout_name(q), exo_readout_unit(q));
    fprintf(f, ",ledger_error [1]");
    for (int q = 0; r->band_runs > 0 && q < EXO_RD_COUNT; q++) /* --draws: the posterior bands */
        fprintf(f, ",%s p05 [%s],%s p50 [%s],%s p95 [%s]", exo_readout_name(q), exo_readout_unit(q),
                exo_readout_name(q), exo_readout_unit(q), exo_readout_name(q), exo_readout_unit(q));
    fputc('\n', f);
    for (int a = 0; a < r->n_arms; a++) {
        const exo_arm_result *ar = &r->arms[a];
        for (int i = 0; i < ar->n_rows; i++) {
            const exo_row *w = &ar->rows[i];
            exo__csv_quoted(f, ar->name);
            fprintf(f, ",%.6g,%.6g,%.6e,%.6e,%.6e,%.6e", w->t, w->t / EXO_DAY,
                    w->applied * CM2, w->film * CM2, w->follicles * CM2, w->channels * CM2);
            for (int l = 0; l < EXO_LAYER_COUNT; l++)
                fprintf(f, ",%.6e", w->layer[l] * CM2);
            fprintf(f, ",%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e", w->degraded * CM2, w->cleared * CM2,
                    w->washed * CM2, w->bottom * CM2, w->below[EXO_LAYER_VE] * CM2,
                    w->below[EXO_LAYER_PAP] * CM2, w->applied > 0 ? w->absorbed / w->applied : 0.0);
            for (int q = 0; q < EXO_ROUTE_COUNT; q++)
                fprintf(f, ",%.6e", w->route[q] * CM2);
            fprintf(f, ",%.6e,%.6e,%.6g", w->open_needle, w->open_laser, w->water);
            for (int m = 0; m < EXO_MED_COUNT; m++)
                fprintf(f, ",%.6e", w->med[m]);
            fprintf(f, ",%.6e", w->taken_up * CM2);
            for (int q = 0; q < EXO_RD_COUNT; q++)
                fprintf(f, ",%.6g", w->rd[q]);
            fprintf(f, ",%.3e", w->balance);
            for (int q = 0; ar->band && q < EXO_RD_COUNT; q++) {
                const double *b = &ar->band[3 * ((size_t)i * EXO_RD_COUNT + (size_t)q)];
                fprintf(f, ",%.6g,%.6g,%.6g", b[0], b[1], b[2]);
            }
            fputc('\n', f);
        }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static exo_status write_profiles(exo_ctx *ctx, const exo_result *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create: %s", path, strerror(errno));
    fprintf(f, "arm,time [h],depth [um],cell_size [um],layer,vesicles [particles/mL],"
               "growth_factor_G [activity/um^3]\n");
    for (int a = 0; a < r->n_arms; a++) {
        const exo_arm_result *ar = &r->arms[a];
        const exo_grid *g = ar->grid;
        for (int p = 0; p < ar->n_prof; p++)
            for (int i = 0; i < g->n; i++) {
                exo__csv_quoted(f, ar->name);
                fprintf(f, ",%.6g,%.6g,%.4g,%s,%.6e,%.6e\n", ar->prof_t[p], g->zc[i], g->h[i],
                        exo__layer_name(g->layer[i]), ar->prof_E[(size_t)p * g->n + i] / EXO_PER_ML,
                        ar->prof_G[(size_t)p * g->n + i]);
            }
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: write failed: %s", path, strerror(errno));
    return EXO_OK;
}

static cJSON *ledger_json(const exo_result *r, const exo_arm_result *ar, bool vesicles, int only)
{
    double film = 0, fol = 0, chn = 0, lay[EXO_LAYER_COUNT] = {0}, deg[EXO_LAYER_COUNT] = {0},
           clr[EXO_LAYER_COUNT] = {0}, up[EXO_LAYER_COUNT] = {0}, degs = 0, washed = 0, bot = 0, applied = 0;
    double route[EXO_ROUTE_COUNT] = {0};
    for (int k = 0; k < r->n_species; k++) {
        if (r->species[k].vesicle != vesicles || (only >= 0 && k != only))
            continue;
        const exo_species *s = &ar->final[k];
        applied += s->applied;
        film += s->V;
        fol += s->F;
        for (int j = 0; j < EXO_MAX_CHANNELS; j++)
            chn += s->ch[j];
        degs += s->degraded_surface;
        washed += s->washed;
        bot += s->bottom_out;
        for (int l = 0; l < EXO_LAYER_COUNT; l++) {
            lay[l] += ar->final_layers[k][l];
            up[l] += s->taken_up[l];
            deg[l] += s->degraded[l];
            clr[l] += s->cleared[l];
        }
        for (int q = 0; q < EXO_ROUTE_COUNT; q++)
            route[q] += s->route[q];
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "applied", applied * CM2);
    cJSON_AddNumberToObject(o, "in_film", film * CM2);
    cJSON_AddNumberToObject(o, "in_follicles", fol * CM2);
    cJSON_AddNumberToObject(o, "in_channels", chn * CM2);
    cJSON_AddNumberToObject(o, "washed_off", washed * CM2);
    cJSON_AddNumberToObject(o, "degraded_at_surface", degs * CM2);
    cJSON_AddNumberToObject(o, "left_through_bottom", bot * CM2);
    cJSON *layers = cJSON_AddObjectToObject(o, "layers");
    double total = film + fol + chn + washed + degs + bot;
    for (int l = 0; l < EXO_LAYER_COUNT; l++) {
        cJSON *lo = cJSON_AddObjectToObject(layers, exo__layer_name(l));
        cJSON_AddNumberToObject(lo, "present", lay[l] * CM2);
        cJSON_AddNumberToObject(lo, "degraded", deg[l] * CM2);
        cJSON_AddNumberToObject(lo, "cleared", clr[l] * CM2);
        cJSON_AddNumberToObject(lo, "taken_up", up[l] * CM2);
        total += lay[l] + deg[l] + clr[l] + up[l];
    }
    cJSON_AddNumberToObject(o, "accounted", total * CM2);
    cJSON_AddNumberToObject(o, "relative_error", applied > 0 ? (applied - total) / applied : 0.0);
    cJSON *ro = cJSON_AddObjectToObject(o, "delivered_by_route");
    for (int q = 0; q < EXO_ROUTE_COUNT; q++)
        cJSON_AddNumberToObject(ro, exo__route_name(q), route[q] * CM2);
    return o;
}

/* "final_p05", ... and "percent_change_p05", ... of a readout (exoskin run --draws). */
static void add_bands(cJSON *x, const double *final, const double *change)
{
    static const char *const names[3][2] = {{"final_p05", "percent_change_p05"},
                                            {"final_p50", "percent_change_p50"},
                                            {"final_p95", "percent_change_p95"}};
    for (int k = 0; k < 3; k++)
        cJSON_AddNumberToObject(x, names[k][0], final[k]);
    for (int k = 0; k < 3 && isfinite(change[k]); k++)
        cJSON_AddNumberToObject(x, names[k][1], change[k]);
}

/* summary.json as a cJSON tree into *out (the caller deletes it). */
static exo_status summary_json(exo_ctx *ctx, const exo_result *r, const char *yaml, cJSON **out)
{
    const exo_config *cfg = r->cfg;
    cJSON *root = *out = cJSON_CreateObject();
    if (!root)
        return exo_ctx_error(ctx, EXO_ENOMEM, "summary: out of memory");
    cJSON_AddStringToObject(root, "program", "exoskin");
    cJSON_AddStringToObject(root, "version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddStringToObject(root, "fidelity", cfg->sim.fidelity == EXO_FIDELITY_TISSUE ? "tissue" : "column");
    cJSON_AddStringToObject(root, "scenario", cfg->name);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a JSON integer, not a double */
    cJSON_AddStringToObject(root, "amount_unit", "particles/cm^2"); /* per cm^2 of skin surface */
    cJSON_AddStringToObject(root, "effective_input", yaml ? yaml : "");
    if (yaml) { /* the same as a structured object: {"value": 10, "unit": "um"} */
        cJSON *eff = NULL;
        exo_status st = exo__yaml_to_json(ctx, yaml, &eff);
        if (st != EXO_OK) {
            cJSON_Delete(root);
            *out = NULL;
            return st;
        }
        cJSON_AddItemToObject(root, "effective_input_structured", eff);
    }
    if (r->band_runs > 0) /* --draws N: N + 1 runs, the plain run and N posterior draws */
        cJSON_AddNumberToObject(root, "posterior_draws", r->band_runs - 1);
    cJSON *sp = cJSON_AddArrayToObject(root, "species");
    for (int k = 0; k < r->n_species; k++) {
        const exo_species_meta *m = &r->species[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", m->name);
        cJSON_AddStringToObject(o, "kind", m->vesicle ? "vesicle" : "mediator");
        cJSON_AddNumberToObject(o, "diameter_nm", m->diameter / EXO_NM);
        cJSON_AddNumberToObject(o, "share", m->weight);
        cJSON_AddItemToArray(sp, o);
    }
    cJSON *arms = cJSON_AddArrayToObject(root, "arms");
    for (int a = 0; a < r->n_arms; a++) {
        const exo_arm_result *ar = &r->arms[a];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", ar->name);
        cJSON_AddNumberToObject(o, "steps", ar->delivery.steps);
        cJSON *grid = cJSON_AddObjectToObject(o, "grid");
        cJSON_AddNumberToObject(grid, "cells", ar->grid->n);
        cJSON_AddNumberToObject(grid, "thickness_um", ar->grid->top[EXO_LAYER_COUNT]);
        cJSON *lt = cJSON_AddObjectToObject(grid, "layer_top_um");
        for (int l = 0; l < EXO_LAYER_COUNT; l++)
            cJSON_AddNumberToObject(lt, exo__layer_name(l), ar->grid->top[l]);
        if (ar->tissue.present) {
            const exo_tissue_info *ti = &ar->tissue;
            cJSON *tb = cJSON_AddObjectToObject(o, "tissue");
            cJSON_AddNumberToObject(tb, "voxels_x", ti->nx);
            cJSON_AddNumberToObject(tb, "voxels_y", ti->ny);
            cJSON_AddNumberToObject(tb, "voxels_z", ti->nz);
            cJSON_AddNumberToObject(tb, "voxel_um", ti->dx);
            cJSON_AddNumberToObject(tb, "follicles", ti->follicles);
            cJSON_AddNumberToObject(tb, "most_channels_per_session", ti->channels);
            cJSON_AddNumberToObject(tb, "cell_agents", ti->cells);
            cJSON_AddNumberToObject(tb, "agent_updates", ti->agent_updates);
        }
        cJSON_AddNumberToObject(o, "applied_vesicles", ar->delivery.applied);
        cJSON_AddNumberToObject(o, "reached_viable_epidermis", ar->delivery.viable_epidermis);
        cJSON_AddNumberToObject(o, "reached_dermis", ar->delivery.dermis);
        cJSON_AddNumberToObject(o, "ledger_relative_error", ar->delivery.balance_error);
        cJSON_AddItemToObject(o, "vesicle_ledger", ledger_json(r, ar, true, -1));
        exo_adverse_event ev[64];
        int nev = exo_result_adverse(r, a, ev, 64);
        cJSON *ae = cJSON_AddObjectToObject(o, "adverse_events");
        cJSON_AddNumberToObject(ae, "serious_probability", ar->n_rows ? ar->rows[ar->n_rows - 1].p_serious : 0.0);
        cJSON_AddNumberToObject(ae, "immune_exposure_days", ar->n_rows ? ar->rows[ar->n_rows - 1].immune_exposure : 0.0);
        cJSON *evs = cJSON_AddArrayToObject(ae, "events");
        for (int e = 0; e < nev && e < 64; e++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "kind", ev[e].kind);
            cJSON_AddBoolToObject(x, "serious", ev[e].serious);
            cJSON_AddNumberToObject(x, "onset_days", ev[e].onset);
            cJSON_AddNumberToObject(x, "duration_days", ev[e].duration);
            cJSON_AddNumberToObject(x, "peak", ev[e].peak);
            cJSON_AddItemToArray(evs, x);
        }
        cJSON *ro = cJSON_AddObjectToObject(o, "readouts");
        for (int q = 0; q < EXO_RD_COUNT && ar->n_rows > 0; q++) {
            double b0 = ar->rows[0].rd[q], b1 = ar->rows[ar->n_rows - 1].rd[q];
            cJSON *x = cJSON_AddObjectToObject(ro, exo_readout_name(q));
            cJSON_AddStringToObject(x, "unit", exo_readout_unit(q));
            if (strcmp(exo_readout_scale(q), exo_readout_unit(q)) != 0)
                cJSON_AddStringToObject(x, "scale", exo_readout_scale(q));
            cJSON_AddNumberToObject(x, "baseline", b0);
            cJSON_AddNumberToObject(x, "final", b1);
            cJSON_AddNumberToObject(x, "change", b1 - b0);
            if (b0 != 0)
                cJSON_AddNumberToObject(x, "percent_change", 100.0 * (b1 - b0) / b0);
            if (ar->band) /* --draws: the posterior bands of the end value and of the change */
                add_bands(x, &ar->band[3 * ((size_t)(ar->n_rows - 1) * EXO_RD_COUNT + (size_t)q)],
                          ar->change_band[q]);
        }
        cJSON *pb = cJSON_AddArrayToObject(o, "ledger_by_species");
        for (int k = 0; k < r->n_species; k++) {
            if (ar->final[k].applied == 0)
                continue;
            cJSON *so = ledger_json(r, ar, r->species[k].vesicle, k);
            cJSON_AddStringToObject(so, "species", r->species[k].name);
            cJSON_AddItemToArray(pb, so);
        }
        cJSON_AddItemToArray(arms, o);
    }
    return EXO_OK;
}

static exo_status write_summary(exo_ctx *ctx, const exo_result *r, const char *yaml, const char *path)
{
    cJSON *root = NULL;
    exo_status st = summary_json(ctx, r, yaml, &root);
    return st == EXO_OK ? exo__write_json(ctx, root, path) : st;
}

exo_status exo_result_summary(exo_ctx *ctx, const exo_result *r, const char *effective_yaml, char **out)
{
    *out = NULL;
    cJSON *root = NULL;
    exo_status st = summary_json(ctx, r, effective_yaml, &root);
    char *text = st == EXO_OK ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (st != EXO_OK)
        return st;
    size_t n = text ? strlen(text) : 0;
    if (!text || !(*out = exo_alloc(ctx, n + 2, 1))) {
        cJSON_free(text);
        return exo_ctx_error(ctx, EXO_ENOMEM, "summary: out of memory");
    }
    memcpy(*out, text, n); /* the bytes of summary.json, its final newline included */
    (*out)[n] = '\n';
    (*out)[n + 1] = '\0';
    cJSON_free(text);
    return EXO_OK;
}

exo_status exo__write_json(exo_ctx *ctx, cJSON *root, const char *path)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory writing %s", path);
    exo_status st = EXO_OK;
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    if (f && fclose(f) != 0 && st == EXO_OK)
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    cJSON_free(text);
    return st;
}

exo_status exo__result_write_files(exo_ctx *ctx, const exo_result *r, const char *yaml, const char *tmp)
{
    char path[4200];
    exo_status st;
    snprintf(path, sizeof path, "%s/timeseries.csv", tmp);
    if ((st = write_timeseries(ctx, r, path)) != EXO_OK)
        return st;
    snprintf(path, sizeof path, "%s/profiles.csv", tmp);
    if ((st = write_profiles(ctx, r, path)) != EXO_OK)
        return st;
    snprintf(path, sizeof path, "%s/summary.json", tmp);
    if ((st = write_summary(ctx, r, yaml, path)) != EXO_OK)
        return st;
    return exo__tissue_write_fields(ctx, r, tmp);
}

const char *exo_git_revision(void)
{
#ifdef EXO_GIT_REVISION
    return EXO_GIT_REVISION[0] ? EXO_GIT_REVISION : "unknown";
#else
    return "unknown";
#endif
}
