/* trial_write.c - the files of a virtual trial (docs/trials.md):
 * patients.csv (one row per patient and arm, units in the header) and
 * trial.json (input, design, per-arm and per-visit statistics, the primary
 * comparison, sample size, adverse events), written atomically through a
 * temporary sibling folder by the front door (exo_trial_write, src/publish/). */
#include <exoskin/exo_trial.h>

#include "output/output.h"
#include "study/study_impl.h"
#include "study/writers.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const roman[] = {"?", "I", "II", "III", "IV", "V", "VI"};

/* "12 weeks", "3 days", "6 h" */
const char *exo__visit_label(char *buf, size_t cap, double h)
{
    if (h >= EXO_WEEK && fabs(h / EXO_WEEK - round(h / EXO_WEEK)) < 1e-9)
        snprintf(buf, cap, "%g week%s", round(h / EXO_WEEK), round(h / EXO_WEEK) == 1 ? "" : "s");
    else if (h >= EXO_DAY && fabs(h / EXO_DAY - round(h / EXO_DAY)) < 1e-9)
        snprintf(buf, cap, "%g day%s", round(h / EXO_DAY), round(h / EXO_DAY) == 1 ? "" : "s");
    else
        snprintf(buf, cap, "%g h", h);
    return buf;
}

static exo_status write_patients(exo_ctx *ctx, const exo_trial_result *r, const char *path)
{
    const exo_trial_cfg *t = &r->cfg->trial;
    int k = t->endpoint - EXO_Q_READOUT_FIRST;
    const char *q = exo_quantity_name(t->endpoint), *unit = exo_readout_unit(k);
    char lab[64];
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    fprintf(f, "patient,arm,age [years],sex,phototype,%s baseline [%s]", q, unit);
    for (int v = 0; v < r->n_visits; v++) {
        exo__visit_label(lab, sizeof lab, t->visits[v]);
        fprintf(f, ",%s at %s [%s],change at %s [%%]", q, lab, unit, lab);
    }
    fprintf(f, ",serious_ae_probability [1],serious_ae\n");
    for (int i = 0; i < r->n_patients; i++) {
        const exo_trial_patient *p = &r->patients[i];
        fprintf(f, "%d,", p->patient);
        exo__csv_quoted(f, r->arms[p->arm].name);
        fprintf(f, ",%.4f,%s,%s,%.9g", p->age, exo_sex_name(p->sex),
                roman[p->phototype >= 1 && p->phototype <= 6 ? p->phototype : 0], p->baseline);
        for (int v = 0; v < r->n_visits; v++)
            fprintf(f, ",%.9g,%.9g", p->value[v], p->change[v]);
        fprintf(f, ",%.6g,%s\n", p->p_serious, p->serious_ae ? "yes" : "no");
    }
    if (fclose(f) != 0)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    return EXO_OK;
}

static cJSON *summary_json(const exo_trial_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", s->n);
    cJSON_AddNumberToObject(o, "mean", s->mean);
    cJSON_AddNumberToObject(o, "sd", s->sd);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(s->ci_lo));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(s->ci_hi));
    return o;
}

typedef struct {
    const exo_trial_result *r;
    const char *yaml;
} trial_files;

static exo_status write_json(exo_ctx *ctx, const exo_trial_result *r, const char *yaml, const char *path)
{
    const exo_config *cfg = r->cfg;
    const exo_trial_cfg *t = &cfg->trial;
    int k = t->endpoint - EXO_Q_READOUT_FIRST;
    char lab[64], seed[32];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "exoskin_version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    cJSON_AddRawToObject(root, "seed", seed); /* exact: a JSON integer, not a double */
    cJSON_AddStringToObject(root, "input", yaml ? yaml : "");
    if (r->posterior[0])
        cJSON_AddStringToObject(root, "posterior", r->posterior);
    else
        cJSON_AddNullToObject(root, "posterior");
    cJSON_AddStringToObject(root, "design", exo_trial_design_name(t->design));
    cJSON_AddNumberToObject(root, "patients", t->patients);
    cJSON_AddStringToObject(root, "endpoint", exo_quantity_name(t->endpoint));
    cJSON_AddStringToObject(root, "unit", exo_readout_unit(k));
    if (strcmp(exo_readout_scale(k), exo_readout_unit(k)) != 0)
        cJSON_AddStringToObject(root, "scale", exo_readout_scale(k));
    cJSON_AddNumberToObject(root, "responder_threshold_percent", t->responder_threshold);
    cJSON *vis = cJSON_AddArrayToObject(root, "visits");
    for (int v = 0; v < r->n_visits; v++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "time_h", t->visits[v]);
        cJSON_AddStringToObject(o, "label", exo__visit_label(lab, sizeof lab, t->visits[v]));
        cJSON_AddItemToArray(vis, o);
    }
    cJSON *arms = cJSON_AddArrayToObject(root, "arms");
    for (int a = 0; a < r->n_arms; a++) {
        const exo_trial_arm *arm = &r->arms[a];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", arm->name);
        cJSON_AddItemToObject(o, "baseline", summary_json(&arm->baseline));
        cJSON *va = cJSON_AddArrayToObject(o, "visits");
        for (int v = 0; v < r->n_visits; v++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "time_h", t->visits[v]);
            cJSON_AddItemToObject(x, "value", summary_json(&arm->value[v]));
            cJSON_AddItemToObject(x, "change_percent", summary_json(&arm->change[v]));
            cJSON_AddNumberToObject(x, "responder_rate", arm->responder_rate[v]);
            cJSON_AddItemToArray(va, x);
        }
        cJSON *ae = cJSON_AddObjectToObject(o, "adverse_events");
        cJSON_AddNumberToObject(ae, "patients_with_serious_event", arm->n_serious);
        cJSON_AddNumberToObject(ae, "mean_serious_probability", arm->mean_p_serious);
        cJSON_AddItemToArray(arms, o);
    }
    const exo_trial_comparison *c = &r->primary;
    if (c->present) {
        cJSON *o = cJSON_AddObjectToObject(root, "primary_comparison");
        cJSON_AddStringToObject(o, "what", c->what);
        cJSON_AddStringToObject(o, "test", c->paired ? "paired t-test" : "Welch t-test");
        cJSON_AddNumberToObject(o, "mean_difference", c->test.mean_diff);
        cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->test.ci_lo));
        cJSON_AddItemToArray(ci, cJSON_CreateNumber(c->test.ci_hi));
        cJSON_AddNumberToObject(o, "t", c->test.t);
        cJSON_AddNumberToObject(o, "df", c->test.df);
        cJSON_AddNumberToObject(o, "p", c->test.p);
        cJSON_AddNumberToObject(o, c->paired ? "cohens_dz" : "cohens_d", c->test.d);
        cJSON_AddNumberToObject(o, c->paired ? "pairs_for_80_percent_power" : "patients_per_arm_for_80_percent_power",
                                c->sample_size);
    } else {
        cJSON_AddNullToObject(root, "primary_comparison");
    }
    return exo__write_json(ctx, root, path);
}

static exo_status fill_trial(exo_ctx *ctx, const void *user, const char *tmp)
{
    const trial_files *tf = user;
    char path[4200];
    exo_status st;
    snprintf(path, sizeof path, "%s/patients.csv", tmp);
    if ((st = write_patients(ctx, tf->r, path)) != EXO_OK)
        return st;
    snprintf(path, sizeof path, "%s/trial.json", tmp);
    return write_json(ctx, tf->r, tf->yaml, path);
}

exo_status exo__trial_write_files(exo_ctx *ctx, const exo_trial_result *res, const char *effective_yaml,
                                  const char *dir)
{
    trial_files tf = {res, effective_yaml};
    return fill_trial(ctx, &tf, dir);
}
