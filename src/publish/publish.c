/* publish.c - the front door of every result folder: each command's writer
 * (exo_result_write, exo_trial_write, exo_sweep_write, exo_audit_write,
 * exo_optimize_write, exo_sensitivity_write) fills one temporary folder with
 * the data files (src/output/, the study writers of src/study/writers.h)
 * and then the report (src/report/), which is renamed into place only when
 * both are complete (exo__write_folder).  The study reports show a typical
 * patient: it is run here, between the files and the report, so the report
 * only renders results it is given.  The layers below never call upwards:
 * output never calls the report, the report never runs a simulation. */
#include <exoskin/exo_input.h>
#include <exoskin/exo_report.h>
#include <exoskin/exo_units.h>

#include "output/output.h"
#include "report/study_report.h"
#include "study/writers.h"

#include <string.h>

typedef struct {
    const exo_result *r;
    const char *yaml;
} run_files;

static exo_status fill_run(exo_ctx *ctx, const void *user, const char *tmp)
{
    const run_files *rf = user;
    exo_status st = exo__result_write_files(ctx, rf->r, rf->yaml, tmp);
    if (st != EXO_OK)
        return st;
    return exo_report_write(ctx, rf->r, rf->yaml, tmp); /* report.html, figures/ */
}

exo_status exo_result_write(exo_ctx *ctx, const exo_result *r, const char *yaml, const char *dir, bool replace)
{
    run_files rf = {r, yaml};
    return exo__write_folder(ctx, dir, replace, fill_run, &rf);
}

/* The typical patient of a study report: cfg, or (cfg NULL) the effective
 * input yaml loaded with the overrides sets, run once with the model's
 * central values. */
typedef struct {
    exo_result *typ;  /* its run */
    exo_config own;   /* the configuration when loaded from the effective input */
    bool loaded;
} typical;

static exo_status typical_run(exo_ctx *ctx, typical *t, const exo_config *cfg, const char *yaml,
                              const exo_override *sets, int n_sets)
{
    memset(t, 0, sizeof *t);
    exo_status st = EXO_OK;
    if (!cfg) {
        exo_units *u = NULL;
        if (!yaml)
            st = exo_ctx_error(ctx, EXO_EINVAL, "report: no effective input to run a typical patient");
        if (st == EXO_OK)
            st = exo_units_create(ctx, &u);
        if (st == EXO_OK)
            st = exo_config_load_buffer(ctx, u, "effective input", yaml, strlen(yaml), sets, n_sets, &t->own);
        exo_units_destroy(&u);
        t->loaded = st == EXO_OK;
        cfg = &t->own;
    }
    if (st == EXO_OK)
        st = exo_run(ctx, cfg, NULL, NULL, &t->typ);
    return st;
}

static exo_status typical_done(exo_ctx *ctx, typical *t, exo_status st)
{
    exo_result_destroy(&t->typ);
    if (t->loaded)
        exo_config_fini(ctx, &t->own);
    return st;
}

/* One study command's folder: its data files, its typical patient (cfg, or
 * the effective input `input` with the overrides sets) and its report. */
typedef struct {
    const void *res;
    const char *yaml;  /* the effective input for the files and the report (may be NULL) */
    exo_status (*files)(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp);
    const exo_config *cfg;
    const char *input;
    const exo_override *sets;
    int n_sets;
    exo_status (*report)(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ, const char *tmp);
} study_folder;

static exo_status fill_study(exo_ctx *ctx, const void *user, const char *tmp)
{
    const study_folder *f = user;
    typical t;
    exo_status st = f->files(ctx, f->res, f->yaml, tmp);
    if (st != EXO_OK)
        return st;
    if ((st = typical_run(ctx, &t, f->cfg, f->input, f->sets, f->n_sets)) == EXO_OK)
        st = f->report(ctx, f->res, f->yaml, t.typ, tmp); /* report.html, figures/ */
    return typical_done(ctx, &t, st);
}

static exo_status trial_files(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp)
{
    return exo__trial_write_files(ctx, res, yaml, tmp);
}
static exo_status trial_report(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ, const char *tmp)
{
    return exo__report_write_trial(ctx, res, yaml, typ, tmp);
}

exo_status exo_trial_write(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml, const char *dir,
                           bool replace)
{
    study_folder f = {res, effective_yaml, trial_files, res->cfg, NULL, NULL, 0, trial_report};
    return exo__write_folder(ctx, dir, replace, fill_study, &f);
}

static exo_status sweep_files(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp)
{
    return exo__sweep_write_files(ctx, res, tmp);
}
static exo_status sweep_report(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ, const char *tmp)
{
    return exo__report_write_sweep(ctx, res, typ, tmp);
}

exo_status exo_sweep_write(exo_ctx *ctx, const exo_sweep_result *res, const char *dir, bool replace)
{
    study_folder f = {res, NULL, sweep_files, NULL, res->effective_input, NULL, 0, sweep_report};
    return exo__write_folder(ctx, dir, replace, fill_study, &f);
}

static exo_status audit_files(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp)
{
    return exo__audit_write_files(ctx, res, yaml, tmp);
}
static exo_status audit_report(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ, const char *tmp)
{
    return exo__report_write_audit(ctx, res, yaml, typ, tmp);
}

exo_status exo_audit_write(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml, const char *dir,
                           bool replace)
{
    study_folder f = {res, effective_yaml, audit_files, NULL, effective_yaml, NULL, 0, audit_report};
    return exo__write_folder(ctx, dir, replace, fill_study, &f);
}

static exo_status optimize_files(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp)
{
    return exo__optimize_write_files(ctx, res, tmp);
}
static exo_status optimize_report(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ,
                                  const char *tmp)
{
    return exo__report_write_optimize(ctx, res, typ, tmp);
}

exo_status exo_optimize_write(exo_ctx *ctx, const exo_optimize_result *res, const char *dir, bool replace)
{
    exo_override sets[EXO_OPT_MAX_VARS]; /* the typical patient: the best protocol */
    int n_sets = res->n_best > 0 ? res->opt.n_vars : 0;
    for (int i = 0; i < n_sets; i++)
        sets[i] = (exo_override){res->opt.vars[i].key, res->best[0].values[i]};
    study_folder f = {res, NULL, optimize_files, NULL, res->effective_input, sets, n_sets, optimize_report};
    return exo__write_folder(ctx, dir, replace, fill_study, &f);
}

static exo_status sensitivity_files(exo_ctx *ctx, const void *res, const char *yaml, const char *tmp)
{
    return exo__sensitivity_write_files(ctx, res, tmp);
}
static exo_status sensitivity_report(exo_ctx *ctx, const void *res, const char *yaml, const exo_result *typ,
                                     const char *tmp)
{
    return exo__report_write_sensitivity(ctx, res, typ, tmp);
}

exo_status exo_sensitivity_write(exo_ctx *ctx, const exo_sensitivity_result *res, const char *dir, bool replace)
{
    if (!ctx || !res || !dir)
        return ctx ? exo_ctx_error(ctx, EXO_EINVAL, "sensitivity: NULL argument") : EXO_EINVAL;
    study_folder f = {res, NULL, sensitivity_files, NULL, res->effective_input, NULL, 0, sensitivity_report};
    return exo__write_folder(ctx, dir, replace, fill_study, &f);
}

typedef struct {
    const exo_validation_row *rows;
    int n;
    const char *studies;
} validation_folder;

static exo_status fill_validation(exo_ctx *ctx, const void *user, const char *tmp)
{
    const validation_folder *v = user;
    exo_status st = exo__validation_write_files(ctx, v->rows, v->n, v->studies, tmp);
    if (st == EXO_OK)
        st = exo__report_write_validation(ctx, v->rows, v->n, v->studies, tmp); /* report.html, figures/ */
    return st;
}

exo_status exo_validation_write(exo_ctx *ctx, const exo_validation_row *rows, int n, const char *studies,
                                const char *dir, bool replace)
{
    if (!ctx || !rows || !studies || !dir)
        return ctx ? exo_ctx_error(ctx, EXO_EINVAL, "validate: NULL argument") : EXO_EINVAL;
    validation_folder v = {rows, n, studies};
    return exo__write_folder(ctx, dir, replace, fill_validation, &v);
}
