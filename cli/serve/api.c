/* api.c - the answers of `exoskin serve`'s API (docs/serve.md): a scenario
 * from the request's memory through the library's loader
 * (exo_config_load_buffer, the messages `exoskin check` gives), its work
 * estimated as the loader does (exo_config_steps) and capped, then run as
 * `exoskin run` runs it (exo_run, or exo_run_draws with ?draws=N), behind a
 * gate that lets a few runs go at once and a few more wait.  Every answer is
 * JSON built with cJSON, so every string from the input is escaped. */
#include "serve.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The name a scenario from a request has in messages (as a file's would):
 * "scenario.yaml:3:7: skin.age: ..." */
#define SCENARIO_NAME "scenario.yaml"
#define SERIES_MAX_POINTS 1000 /* [1] recorded rows sent per arm and readout (evenly thinned) */

struct serve_api {
    serve_limits lim;
    /* udunits2 is not thread-safe (its XML reader and unit parser keep global
     * state): one unit system for the server, used under units_lock by the
     * loader and the YAML writer, never by a run */
    pthread_mutex_t units_lock;
    exo_ctx *units_ctx;
    exo_units *u;
    exo_ctx *post_ctx;   /* owns the posterior's memory; used at start and stop only */
    exo_posterior *post; /* NULL: no posterior found (draws refused) */
    char *schema;        /* GET /api/schema, made once */
    size_t schema_len;
    pthread_mutex_t lock;
    pthread_cond_t free_slot;
    int running, waiting;
    bool stopping;
};

/* ---- replies ---------------------------------------------------------- */

static void reply_json(serve_reply *out, int status, cJSON *root)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        *out = (serve_reply){500, "text/plain; charset=utf-8", strdup("out of memory\n"), 14};
        if (!out->body)
            out->len = 0;
        return;
    }
    *out = (serve_reply){status, "application/json", text, strlen(text)};
}

void serve_reply_error(serve_reply *out, int status, const char *msg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "error", msg);
    reply_json(out, status, root);
}

/* A library failure: 400 for the input (with the loader's located message),
 * 503 out of memory, 500 otherwise. */
static void reply_status(serve_reply *out, exo_ctx *ctx, exo_status st)
{
    const char *msg = ctx && exo_ctx_last_error(ctx)[0] ? exo_ctx_last_error(ctx) : exo_status_str(st);
    int status = (st == EXO_EINPUT || st == EXO_EUNIT || st == EXO_EIO) ? 400 : st == EXO_ENOMEM ? 503 : 500;
    serve_reply_error(out, status, msg);
}

/* ---- the shared state ------------------------------------------------- */

serve_api *serve_api_create(const serve_limits *lim, char *why, size_t cap)
{
    serve_api *api = calloc(1, sizeof *api);
    if (!api) {
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    api->lim = *lim;
    pthread_mutex_init(&api->lock, NULL);
    pthread_cond_init(&api->free_slot, NULL);
    pthread_mutex_init(&api->units_lock, NULL);
    char *text = NULL;
    exo_status st = exo_ctx_create(0, &api->units_ctx);
    if (st == EXO_OK)
        st = exo_units_create(api->units_ctx, &api->u);
    if (st == EXO_OK)
        st = exo_config_schema(api->units_ctx, api->u, &text);
    if (st == EXO_OK && !(api->schema = strdup(text)))
        st = EXO_ENOMEM;
    if (st != EXO_OK)
        snprintf(why, cap, "the unit system or the schema: %s",
                 api->units_ctx && exo_ctx_last_error(api->units_ctx)[0] ? exo_ctx_last_error(api->units_ctx)
                                                                         : exo_status_str(st));
    else
        api->schema_len = strlen(api->schema);
    exo_free(api->units_ctx, text);
    if (st != EXO_OK) {
        serve_api_destroy(api);
        return NULL;
    }
    /* the posterior of ?draws=N; without one the page runs the defaults only */
    if (api->lim.max_draws > 0 &&
        (exo_ctx_create(0, &api->post_ctx) != EXO_OK || exo_posterior_load(api->post_ctx, NULL, &api->post) != EXO_OK)) {
        exo_posterior_destroy(&api->post);
        exo_ctx_destroy(&api->post_ctx);
        api->lim.max_draws = 0;
    }
    return api;
}

void serve_api_stop(serve_api *api)
{
    pthread_mutex_lock(&api->lock);
    api->stopping = true;
    pthread_cond_broadcast(&api->free_slot);
    pthread_mutex_unlock(&api->lock);
}

void serve_api_destroy(serve_api *api)
{
    if (!api)
        return;
    exo_posterior_destroy(&api->post);
    exo_ctx_destroy(&api->post_ctx);
    exo_units_destroy(&api->u);
    exo_ctx_destroy(&api->units_ctx);
    pthread_mutex_destroy(&api->units_lock);
    free(api->schema);
    pthread_cond_destroy(&api->free_slot);
    pthread_mutex_destroy(&api->lock);
    free(api);
}

/* Takes one of the max_runs places, waiting in a queue of at most max_queue.
 * false: the queue is full or the server is stopping (503). */
static bool gate_enter(serve_api *api)
{
    pthread_mutex_lock(&api->lock);
    bool ok = false;
    if (!api->stopping && (api->running < api->lim.max_runs || api->waiting < api->lim.max_queue)) {
        api->waiting++;
        while (!api->stopping && api->running >= api->lim.max_runs)
            pthread_cond_wait(&api->free_slot, &api->lock);
        api->waiting--;
        if (!api->stopping) {
            api->running++;
            ok = true;
        }
    }
    pthread_mutex_unlock(&api->lock);
    return ok;
}

static void gate_leave(serve_api *api)
{
    pthread_mutex_lock(&api->lock);
    api->running--;
    pthread_cond_signal(&api->free_slot);
    pthread_mutex_unlock(&api->lock);
}

/* ---- loading ---------------------------------------------------------- */

/* A scenario from the request: loaded, validated and its work estimated
 * and capped (scenario_load: true, or false with the reply filled; either
 * way scenario_free after). */
typedef struct {
    exo_ctx *ctx;
    exo_config cfg;
    bool loaded;
    double steps; /* [1] the loader's estimate, all arms */
} scenario;

static void scenario_free(scenario *s)
{
    if (s->loaded)
        exo_config_fini(s->ctx, &s->cfg);
    exo_ctx_destroy(&s->ctx);
}

static bool scenario_load(serve_api *api, const char *body, size_t len, int draws, scenario *s,
                          serve_reply *out)
{
    memset(s, 0, sizeof *s);
    exo_status st = exo_ctx_create(0, &s->ctx);
    if (st == EXO_OK) {
        pthread_mutex_lock(&api->units_lock);
        st = exo_config_load_buffer(s->ctx, api->u, SCENARIO_NAME, body, len, NULL, 0, &s->cfg);
        pthread_mutex_unlock(&api->units_lock);
    }
    if (st != EXO_OK) {
        reply_status(out, s->ctx, st);
        return false;
    }
    s->loaded = true;
    char msg[320];
    if (s->cfg.sim.fidelity == EXO_FIDELITY_TISSUE) {
        snprintf(msg, sizeof msg, "%s: simulation.fidelity: tissue mode is not served (expected column; run it "
                                  "with 'exoskin run FILE -o DIR')", SCENARIO_NAME);
        serve_reply_error(out, 400, msg);
        return false;
    }
    for (int a = 0; a < s->cfg.n_arms; a++)
        s->steps += exo_config_steps(&s->cfg, a);
    double work = s->steps * (draws + 1);
    if (!(work <= api->lim.max_steps)) {
        snprintf(msg, sizeof msg, "%s: simulation: about %.3g time steps in all arms%s (expected at most %.3g on "
                                  "this server: a shorter duration, a longer dt_max, fewer sessions, arms or draws; "
                                  "or run it with 'exoskin run')",
                 SCENARIO_NAME, work, draws > 0 ? " and draws" : "", api->lim.max_steps);
        serve_reply_error(out, 400, msg);
        return false;
    }
    return true;
}

void serve_api_check(serve_api *api, const char *body, size_t len, serve_reply *out)
{
    scenario s;
    if (scenario_load(api, body, len, 0, &s, out)) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddBoolToObject(root, "ok", true);
        cJSON_AddStringToObject(root, "scenario", s.cfg.name);
        cJSON_AddNumberToObject(root, "arms", s.cfg.n_arms);
        cJSON_AddNumberToObject(root, "steps", s.steps);
        cJSON_AddNumberToObject(root, "max_steps", api->lim.max_steps);
        cJSON *tree = serve_yaml_tree(body, len); /* the form shows the scenario as written */
        if (tree)
            cJSON_AddItemToObject(root, "input", tree);
        reply_json(out, 200, root);
    }
    scenario_free(&s);
}

/* ---- running ---------------------------------------------------------- */

/* ?draws=N: a whole number 0..max_draws, or -1 after a 400. */
static int parse_draws(const serve_api *api, const char *text, serve_reply *out)
{
    if (!text || !*text)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    char msg[160];
    if (errno || *end || n < 0 || n > api->lim.max_draws) {
        if (api->lim.max_draws == 0)
            snprintf(msg, sizeof msg, "draws: no posterior on this server (expected draws=0)");
        else
            snprintf(msg, sizeof msg, "draws: expected a whole number from 0 to %d", api->lim.max_draws);
        serve_reply_error(out, 400, msg);
        return -1;
    }
    return (int)n;
}

/* A number as short text (series for the figures; the readouts keep every digit). */
static cJSON *short_number(double v)
{
    char buf[32];
    if (!isfinite(v))
        return cJSON_CreateNull();
    snprintf(buf, sizeof buf, "%.6g", v);
    return cJSON_CreateRaw(buf);
}

/* The row after i when every stride-th is kept, the last always. */
static int next_row(int i, int stride, int rows)
{
    return i >= rows - 1 ? rows : i + stride < rows - 1 ? i + stride : rows - 1;
}

/* The course of every readout of one arm for the figures: the recorded
 * times and values (and the draws' 5-95 % band), thinned to at most
 * SERIES_MAX_POINTS, the last row always. */
static cJSON *course_json(const exo_result *res, int a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", exo_result_arm_name(res, a));
    int rows = exo_result_rows(res, a), stride = (rows + SERIES_MAX_POINTS - 1) / SERIES_MAX_POINTS;
    if (stride < 1)
        stride = 1;
    double band[3];
    bool bands = rows > 0 && exo_result_row_band(res, a, 0, 0, false, band);
    cJSON *t = cJSON_AddArrayToObject(o, "time_days");
    cJSON *series = cJSON_AddObjectToObject(o, "series");
    cJSON *bnd = bands ? cJSON_AddObjectToObject(o, "bands") : NULL;
    for (int i = 0; i < rows; i = next_row(i, stride, rows))
        cJSON_AddItemToArray(t, short_number(exo_result_row_time(res, a, i) / 24.0));
    for (int k = 0; k < exo_readout_count(); k++) {
        cJSON *v = cJSON_AddArrayToObject(series, exo_readout_name(k));
        cJSON *lo = NULL, *hi = NULL;
        if (bnd) {
            cJSON *b = cJSON_AddObjectToObject(bnd, exo_readout_name(k));
            lo = cJSON_AddArrayToObject(b, "p05");
            hi = cJSON_AddArrayToObject(b, "p95");
        }
        for (int i = 0; i < rows; i = next_row(i, stride, rows)) {
            cJSON_AddItemToArray(v, short_number(exo_result_row_readout(res, a, i, k)));
            if (bnd && exo_result_row_band(res, a, i, k, false, band)) {
                cJSON_AddItemToArray(lo, short_number(band[0]));
                cJSON_AddItemToArray(hi, short_number(band[2]));
            }
        }
    }
    /* the depth profiles of all vesicles at the profile times, and the layers */
    cJSON *dp = cJSON_AddObjectToObject(o, "depth");
    cJSON_AddStringToObject(dp, "unit", "particles/mL");
    cJSON *z = cJSON_AddArrayToObject(dp, "depth_um");
    for (int i = 0; i < exo_result_cells(res, a); i++)
        cJSON_AddItemToArray(z, short_number(exo_result_cell_depth(res, a, i)));
    cJSON *pt = cJSON_AddArrayToObject(dp, "times_h"), *pv = cJSON_AddArrayToObject(dp, "vesicles");
    for (int p = 0; p < exo_result_profiles(res, a); p++) {
        cJSON_AddItemToArray(pt, short_number(exo_result_profile_time(res, a, p)));
        cJSON *row = cJSON_CreateArray();
        for (int i = 0; i < exo_result_cells(res, a); i++)
            cJSON_AddItemToArray(row, short_number(exo_result_profile_vesicles(res, a, p, i)));
        cJSON_AddItemToArray(pv, row);
    }
    cJSON *ly = cJSON_AddArrayToObject(dp, "layers");
    for (int l = 0; l < exo_layer_count(); l++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", exo_layer_name(l));
        cJSON_AddNumberToObject(x, "top_um", exo_result_layer_top(res, a, l));
        cJSON_AddNumberToObject(x, "bottom_um", exo_result_layer_top(res, a, l + 1));
        cJSON_AddItemToArray(ly, x);
    }
    return o;
}

/* The answer of a run: summary.json itself (exo_result_summary: the numbers
 * of `exoskin run`, by construction) and the courses for the figures. */
static exo_status result_json(exo_ctx *ctx, const exo_config *cfg, const exo_result *res, int draws, double steps,
                              double seconds, cJSON **out)
{
    char *yaml = NULL, *summary = NULL;
    exo_status st = exo_config_to_yaml(ctx, cfg, &yaml); /* what exoskin run records */
    if (st == EXO_OK)
        st = exo_result_summary(ctx, res, yaml, &summary);
    exo_free(ctx, yaml);
    if (st != EXO_OK)
        return st;
    cJSON *root = *out = cJSON_CreateObject();
    cJSON *sj = cJSON_Parse(summary);
    exo_free(ctx, summary);
    if (!root || !sj) {
        cJSON_Delete(sj);
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
    }
    cJSON_AddItemToObject(root, "summary", sj);
    cJSON_AddNumberToObject(root, "duration_days", cfg->sim.duration / 24.0);
    cJSON_AddNumberToObject(root, "posterior_draws", draws);
    cJSON_AddNumberToObject(root, "steps_estimate", steps);
    cJSON_AddNumberToObject(root, "seconds", seconds);
    cJSON *rd = cJSON_AddArrayToObject(root, "readouts");
    for (int k = 0; k < exo_readout_count(); k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", exo_readout_name(k));
        cJSON_AddStringToObject(x, "unit", exo_readout_unit(k));
        cJSON_AddStringToObject(x, "scale", exo_readout_scale(k));
        cJSON_AddStringToObject(x, "label", exo_report_translate(ctx, exo_readout_label(k)));
        cJSON_AddItemToArray(rd, x);
    }
    cJSON *arms = cJSON_AddArrayToObject(root, "arms");
    for (int a = 0; a < exo_result_arms(res); a++)
        cJSON_AddItemToArray(arms, course_json(res, a));
    return EXO_OK;
}

void serve_api_run(serve_api *api, const char *body, size_t len, const char *draws_text, const char *lang,
                   serve_reply *out)
{
    if (lang && strcmp(lang, "en") && strcmp(lang, "fr")) {
        serve_reply_error(out, 400, "lang: expected en or fr");
        return;
    }
    int draws = parse_draws(api, draws_text, out);
    if (draws < 0)
        return;
    scenario s;
    if (!scenario_load(api, body, len, draws, &s, out)) {
        scenario_free(&s);
        return;
    }
    if (lang)
        (void)exo_ctx_set_language(s.ctx, lang); /* en or fr: checked above */
    if (!gate_enter(api)) {
        serve_reply_error(out, 503, "busy: every run place and the queue are taken (try again in a moment)");
        scenario_free(&s);
        return;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exo_result *res = NULL;
    exo_status st = draws > 0 ? exo_run_draws(s.ctx, &s.cfg, api->post, draws, NULL, NULL, &res)
                              : exo_run(s.ctx, &s.cfg, NULL, NULL, &res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    gate_leave(api);
    cJSON *answer = NULL;
    if (st == EXO_OK)
        st = result_json(s.ctx, &s.cfg, res, draws, s.steps * (draws + 1),
                         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), &answer);
    if (st != EXO_OK) {
        cJSON_Delete(answer);
        reply_status(out, s.ctx, st);
    } else
        reply_json(out, 200, answer);
    exo_result_destroy(&res);
    scenario_free(&s);
}

/* ---- fixed answers ---------------------------------------------------- */

void serve_api_schema(serve_api *api, serve_reply *out)
{
    char *copy = malloc(api->schema_len + 1);
    if (!copy) {
        serve_reply_error(out, 503, "out of memory");
        return;
    }
    memcpy(copy, api->schema, api->schema_len + 1);
    *out = (serve_reply){200, "application/schema+json", copy, api->schema_len};
}

/* The built-in examples: "examples/NAME.yaml" assets. */
static const char *example_name(const serve_asset *x, size_t *n)
{
    if (strncmp(x->name, "examples/", 9) != 0)
        return NULL;
    const char *dot = strrchr(x->name, '.');
    *n = dot ? (size_t)(dot - (x->name + 9)) : strlen(x->name + 9);
    return x->name + 9;
}

/* The first comment line of an example (what it shows), into buf. */
static const char *example_title(const serve_asset *x, char *buf, size_t cap)
{
    const char *s = x->data, *end = x->data + x->size;
    buf[0] = '\0';
    if (s < end && *s == '#') {
        for (s++; s < end && *s == ' '; s++)
            ;
        const char *e = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)((e ? e : end) - s);
        snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
    }
    return buf;
}

void serve_api_examples(serve_reply *out)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < serve_n_assets; i++) {
        size_t n;
        const char *name = example_name(&serve_assets[i], &n);
        if (!name)
            continue;
        char nb[128], title[256];
        snprintf(nb, sizeof nb, "%.*s", (int)n, name);
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", nb);
        cJSON_AddStringToObject(x, "title", example_title(&serve_assets[i], title, sizeof title));
        cJSON_AddItemToArray(list, x);
    }
    reply_json(out, 200, list);
}

void serve_api_example(const char *name, serve_reply *out)
{
    for (int i = 0; i < serve_n_assets; i++) {
        size_t n;
        const char *x = example_name(&serve_assets[i], &n);
        if (!x || strlen(name) != n || strncmp(name, x, n) != 0)
            continue;
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "name", name);
        cJSON_AddStringToObject(root, "yaml", serve_assets[i].data);
        cJSON *tree = serve_yaml_tree(serve_assets[i].data, serve_assets[i].size);
        if (tree)
            cJSON_AddItemToObject(root, "input", tree);
        reply_json(out, 200, root);
        return;
    }
    serve_reply_error(out, 404, "no such example");
}

void serve_api_info(serve_api *api, serve_reply *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "program", "exoskin");
    cJSON_AddStringToObject(root, "version", EXO_VERSION_STRING);
    cJSON_AddStringToObject(root, "git_revision", exo_git_revision());
    cJSON_AddNumberToObject(root, "max_body_bytes", (double)api->lim.max_body);
    cJSON_AddNumberToObject(root, "max_steps", api->lim.max_steps);
    cJSON_AddNumberToObject(root, "max_draws", api->lim.max_draws);
    cJSON_AddNumberToObject(root, "max_runs", api->lim.max_runs);
    cJSON_AddNumberToObject(root, "max_queue", api->lim.max_queue);
    reply_json(out, 200, root);
}

const serve_asset *serve_asset_find(const char *name)
{
    for (int i = 0; i < serve_n_assets; i++)
        if (!strcmp(serve_assets[i].name, name))
            return &serve_assets[i];
    return NULL;
}
