/* engine.c - the time loop of both fidelities (column and tissue):
 * scheduled events (applications, procedures, wash-off, mask removal, end of
 * occlusion) become actions on the surface state and the tissue; between
 * actions the transport steps run with a step that restarts at dt_min after
 * every action and grows geometrically to dt_max, landing exactly on
 * actions, output times and film drying.  Each pass of the loop (run_arm)
 * is five named phases: record, act, plan, step, sync.  The coupling of
 * transport and biology is in coupling.c. */
#include "arm.h"

#include "biology/biology.h"
#include "tissue/tissue.h"
#include "protocol/protocol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { ACT_WASH, ACT_MASK_OFF, ACT_OCCL_END, ACT_EVENT } act_kind;

typedef struct {
    double t;     /* [h] */
    int prio;     /* surface actions before events at the same time */
    int order;    /* protocol order */
    act_kind kind;
    const exo_event_cfg *ev;
} action;

static int cmp_action(const void *a, const void *b)
{
    const action *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->prio != y->prio)
        return x->prio - y->prio;
    return x->order - y->order;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define MED_CHANGE 0.02 /* [1] largest relative change of the mediators the cells read per step (docs/numerics.md) */
#define FILM_CHANGE 0.05     /* [1] largest relative thinning of an evaporating film per step while channels are open */
#define FILM_CHANGE_CLOSED 0.25 /* [1] the same on closed skin (docs/numerics.md) */
#define CHANNEL_CHANGE 0.2 /* [1] largest relative closure of open channels per step */

static bool occluded_at(const arm_sim *a, double t) { return a->mask_on || t < a->occl_until; }

/* Growable array append. */
static exo_status grow(exo_ctx *ctx, void **arr, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return EXO_OK;
    int nc = *cap ? 2 * *cap : 256;
    while (nc < need)
        nc *= 2;
    void *p = exo_realloc(ctx, *arr, (size_t)nc, size);
    if (!p)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for results");
    *arr = p;
    *cap = nc;
    return EXO_OK;
}

static double total_open(const exo_surface *sf, int route)
{
    double s = 0;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        if (sf->ch[j].active && sf->ch[j].route == route)
            s += sf->ch[j].a;
    return s;
}

static void fill_row(const arm_sim *a, double t, exo_row *r)
{
    memset(r, 0, sizeof *r);
    r->t = t;
    exo__bio_readouts(a->bio, total_open(&a->sf, EXO_ROUTE_CHANNEL) + total_open(&a->sf, EXO_ROUTE_LASER),
                      &a->in, r->rd);
    for (int k = 0; k < a->ns; k++)
        if (a->meta[k].vesicle)
            for (int l = 0; l < EXO_LAYER_COUNT; l++)
                r->taken_up += a->sp[k].taken_up[l];
    r->immune_exposure = a->immune_exposure;
    r->wheal = exo__bio_wheal_fluid(a->bio) / EXO_MM;
    const exo_paramset *p = &a->cfg->params;
    r->p_serious = 1.0 - exp(-(p->v[EXO_P_AE_HYPER] + p->v[EXO_P_AE_GRANULOMA]) * a->immune_exposure);
    r->water = a->sf.water;
    r->open_needle = total_open(&a->sf, EXO_ROUTE_CHANNEL);
    r->open_laser = total_open(&a->sf, EXO_ROUTE_LASER);
    for (int k = 0; k < a->ns; k++) {
        const exo_species *s = &a->sp[k];
        double lay[EXO_LAYER_COUNT];
        exo__species_layers(a->g, s, lay);
        if (s->applied > 0) {
            double err = fabs(s->applied - exo__species_total_of(s, lay)) / s->applied;
            if (err > r->balance)
                r->balance = err;
        }
        if (!a->meta[k].vesicle) {
            for (int l = EXO_LAYER_VE; l < EXO_LAYER_COUNT; l++)
                r->med[a->meta[k].mediator] += lay[l];
            continue;
        }
        r->applied += s->applied;
        r->film += s->V;
        r->follicles += s->F;
        for (int j = 0; j < EXO_MAX_CHANNELS; j++)
            r->channels += s->ch[j];
        r->washed += s->washed;
        r->bottom += s->bottom_out;
        double deg = s->degraded_surface, clr = 0;
        for (int l = 0; l < EXO_LAYER_COUNT; l++) {
            r->layer[l] += lay[l];
            deg += s->degraded[l];
            clr += s->cleared[l];
            r->below[l] += exo__species_delivered_below_of(s, lay, l);
        }
        r->degraded += deg;
        r->cleared += clr;
        for (int q = 0; q < EXO_ROUTE_COUNT; q++)
            r->route[q] += s->route[q];
    }
    /* below the surface: everything but the film, the washed and film decay */
    r->absorbed = r->follicles + r->channels + r->below[EXO_LAYER_SC];
}

static exo_status record_profile(arm_sim *a, exo_arm_result *res, int idx)
{
    int n = a->g->n;
    if (a->tis) { /* the 3D fields too, the whole block's on rank 0 */
        exo_tissue *t = a->tis;
        size_t nv = (size_t)t->nx * t->nyg * t->nz;
        float *out[3] = {res->tissue.vesicles, res->tissue.inflammation, res->tissue.collagen};
        const double *src[3] = {NULL, t->C[a->med[EXO_MED_I]], exo__agents_new_collagen(a->ag)};
        for (int f = 0; f < 3; f++) {
            if (f == 0)
                exo__tissue_vesicles(t, a->meta, a->fbuf);
            else
                for (size_t v = 0; v < t->n; v++)
                    a->fbuf[v] = (float)src[f][v];
            exo_status st = exo__tissue_gather_field(t, a->fbuf, out[f] ? out[f] + (size_t)idx * nv : NULL);
            if (st != EXO_OK)
                return st;
        }
    }
    for (int i = 0; i < n; i++) {
        double e = 0, gval = 0;
        for (int k = 0; k < a->ns; k++) {
            if (a->meta[k].vesicle)
                e += a->sp[k].E[i];
            else if (a->meta[k].mediator == EXO_MED_G)
                gval = a->sp[k].E[i];
        }
        res->prof_E[(size_t)idx * n + i] = e;
        res->prof_G[(size_t)idx * n + i] = gval;
    }
    return EXO_OK;
}

/* What ends a session of each rule (protocol.h). */
static const act_kind session_end[] = {[EXO__SESSION_CONTACT] = ACT_WASH, [EXO__SESSION_WEAR] = ACT_MASK_OFF,
                                       [EXO__SESSION_OCCLUSION] = ACT_OCCL_END};

/* Expands the arm's schedule into sorted actions. */
static exo_status build_actions(exo_ctx *ctx, const exo_arm_cfg *arm, action **out, int *count)
{
    int n = 0;
    for (int e = 0; e < arm->n_events; e++)
        n += arm->events[e].n_times * 2;
    action *acts = exo_alloc(ctx, (size_t)(n > 0 ? n : 1), sizeof *acts);
    if (!acts)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the schedule");
    int k = 0;
    for (int e = 0; e < arm->n_events; e++) {
        const exo_event_cfg *ev = &arm->events[e];
        const exo__route *r = exo__route_get((int)ev->kind);
        for (int i = 0; r && i < ev->n_times; i++) {
            double t = ev->times[i];
            acts[k++] = (action){t, 1, e, ACT_EVENT, ev};
            if (session_end[r->session] == ACT_WASH && ev->contact > 0)
                acts[k++] = (action){t + ev->contact, 0, e, ACT_WASH, ev};
            else if (session_end[r->session] == ACT_MASK_OFF)
                acts[k++] = (action){t + ev->contact, 0, e, ACT_MASK_OFF, ev};
            else if (session_end[r->session] == ACT_OCCL_END && ev->occlusion)
                acts[k++] = (action){t + ev->occlusion_time, 0, e, ACT_OCCL_END, ev};
        }
    }
    qsort(acts, (size_t)k, sizeof *acts, cmp_action);
    *out = acts;
    *count = k;
    return EXO_OK;
}

static exo_status probe_times(exo_ctx *ctx, const exo_config *cfg, double **out, int *count)
{
    const exo_sim_cfg *sim = &cfg->sim;
    int nout = (int)floor(sim->duration / sim->output_interval + 1e-9) + 1;
    int n = nout + sim->n_profile_times + 2 + 2 * (1 + cfg->study.n_checks);
    double *t = exo_alloc(ctx, (size_t)n, sizeof *t);
    if (!t)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for output times");
    int k = 0;
    for (int i = 0; i < nout; i++)
        t[k++] = i * sim->output_interval;
    for (int i = 0; i < sim->n_profile_times; i++)
        t[k++] = sim->profile_times[i];
    t[k++] = sim->duration;
    if (cfg->study.present) {
        t[k++] = cfg->study.endpoint.time;
        for (int i = 0; i < cfg->study.n_checks; i++)
            t[k++] = cfg->study.checks[i].time;
    }
    qsort(t, (size_t)k, sizeof *t, cmp_double);
    int u = 0;
    for (int i = 0; i < k; i++)
        if ((u == 0 || t[i] > t[u - 1]) && t[i] <= sim->duration && t[i] >= 0)
            t[u++] = t[i];
    *out = t;
    *count = u;
    return EXO_OK;
}

/* Where one arm's time loop stands: the schedule's actions and the record
 * times, the next of each, and the clock. */
typedef struct {
    action *acts;      /* the schedule, sorted */
    double *probes;    /* [h] record times, sorted and distinct */
    int nacts, nprobes;
    int ia, ip, iprof; /* the next action, record time and profile time */
    int steps;         /* transport steps taken */
    double t, dt;      /* [h] now, and the step length before the limits */
    double T, tiny;    /* [h] the duration, and the tolerance of "due now" */
    double evap;       /* [um/h] evaporation of the film's water */
    double k_open, k_occl, k_laser; /* [1/h] closure of open channels: open, occluded, laser zones */
} arm_clock;

/* The next step: where it ends and what the surface does over it. */
typedef struct {
    bool occl;        /* occluded over the step */
    bool evaporating; /* the film loses water over the step */
    bool dries;       /* the film reaches its dry limit at the next breakpoint */
    double next;      /* [h] the next breakpoint: action, record, end of occlusion, drying, end */
    double h;         /* [h] the step's length */
} step_plan;

/* Creates the arm's grid, species, surface, tissue block (fidelity tissue)
 * and cells; on failure what was made is left for arm_close. */
static exo_status arm_open(exo_ctx *ctx, exo_result *r, int ai, arm_sim *a)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = r->cfg;
    const exo_paramset *p = &cfg->params;
    exo_arm_result *res = &r->arms[ai];
    res->name = cfg->arms[ai].name;
    const exo_skin_cfg *sk = &cfg->arms[ai].skin;
    double thick[EXO_LAYER_COUNT] = {sk->h_sc, sk->h_ve, sk->h_pap, sk->h_total - sk->h_sc - sk->h_ve - sk->h_pap};
    EXO_TRY(exo__grid_create(ctx, thick, cfg->sim.h_surface, cfg->sim.h_max, cfg->sim.grid_growth, &res->grid));
    const exo_grid *g = res->grid;
    a->ctx = ctx;
    a->cfg = cfg;
    a->g = g;
    a->ns = r->n_species;
    a->meta = r->species;
    a->skin = sk;
    a->res_tissue = &res->tissue;

    a->sp = exo_alloc(ctx, (size_t)a->ns, sizeof *a->sp);
    a->co = exo_alloc(ctx, (size_t)a->ns, sizeof *a->co);
    a->w = exo_alloc(ctx, (size_t)a->ns, sizeof *a->w);
    a->pending = exo_alloc(ctx, (size_t)a->ns, sizeof *a->pending);
    res->final = exo_alloc(ctx, (size_t)a->ns, sizeof *res->final);
    res->final_layers = exo_alloc(ctx, (size_t)a->ns, sizeof *res->final_layers);
    if (!a->sp || !a->co || !a->w || !a->pending || !res->final || !res->final_layers) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for species");
        goto out;
    }
    for (int k = 0; k < a->ns; k++) {
        EXO_TRY(exo__species_init(ctx, g, &a->sp[k]));
        EXO_TRY(exo__coeffs_init(ctx, g, &a->co[k]));
        exo__species_coeffs(cfg, g, &a->meta[k], false, &a->co[k]);
        EXO_TRY(exo__stepper_create(ctx, g, &a->w[k]));
    }
    a->sf.dry_limit = p->v[EXO_P_FILM_DRY_THICKNESS];
    a->sf.f_fol = sk->follicle_area_fraction;
    a->sf.k_fol = p->v[EXO_P_FOLLICLE_ENTRY_VELOCITY];
    a->sf.k_rel = log(2.0) / p->v[EXO_P_FOLLICLE_RELEASE_HALF_LIFE];
    a->sf.k_fill = p->v[EXO_P_CHANNEL_FILL_RATE];
    a->sf.h_sc = g->top[EXO_LAYER_VE];
    a->sf.i_fol = g->first[EXO_LAYER_VE];
    for (int i = g->first[EXO_LAYER_VE]; i < g->n; i++)
        if (g->zf[i] <= p->v[EXO_P_FOLLICLE_DEPTH])
            a->sf.i_fol = i;

    if (cfg->sim.fidelity == EXO_FIDELITY_TISSUE) {
        EXO_TRY(exo__tissue_create(ctx, cfg, sk, g, a->ns, a->meta, &a->tis));
        exo_tissue_info *ti = &res->tissue;
        *ti = (exo_tissue_info){true, a->tis->nx, a->tis->nyg, a->tis->nz, a->tis->dx, a->tis->n_follicles, 0, 0, 0, NULL, NULL, NULL, NULL};
        /* the recorded fields of the whole block, on rank 0 (the one that writes) */
        size_t nf = (size_t)(cfg->sim.n_profile_times + 1) * (size_t)a->tis->nx * a->tis->nyg * a->tis->nz;
        bool root = a->tis->rank == 0;
        if (root) {
            ti->vesicles = exo_alloc(ctx, nf, sizeof *ti->vesicles);
            ti->inflammation = exo_alloc(ctx, nf, sizeof *ti->inflammation);
            ti->collagen = exo_alloc(ctx, nf, sizeof *ti->collagen);
            ti->outline = exo_alloc(ctx, EXO_OUTLINE_COUNT * (size_t)a->tis->nx * a->tis->nyg, sizeof *ti->outline);
        }
        a->fbuf = exo_alloc(ctx, a->tis->n, sizeof *a->fbuf);
        if ((root && (!ti->vesicles || !ti->inflammation || !ti->collagen || !ti->outline)) || !a->fbuf) {
            st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the tissue fields");
            goto out;
        }
    }
    EXO_TRY(exo__engine_biology_init(a));
    for (int k = 0; a->tis && k < a->ns; k++) /* the untreated mediator fields, laterally uniform */
        EXO_TRY(exo__tissue_load(a->tis, k, &a->sp[k]));
    if (a->tis)
        EXO_TRY(exo__agents_create(ctx, cfg, a->tis, a->bio, &a->ag));
out:
    return st;
}

/* Frees what arm_open made (NULL-safe: after a failure, part of it). */
static void arm_close(arm_sim *a)
{
    exo_ctx *ctx = a->ctx;
    for (int k = 0; a->sp && k < a->ns; k++)
        exo__species_fini(ctx, &a->sp[k]);
    for (int k = 0; a->co && k < a->ns; k++)
        exo__coeffs_fini(ctx, &a->co[k]);
    exo_free(ctx, a->sp);
    exo_free(ctx, a->co);
    for (int k = 0; a->w && k < a->ns; k++)
        exo__stepper_destroy(&a->w[k]);
    exo_free(ctx, a->w);
    exo__bio_destroy(&a->bio);
    exo__agents_destroy(&a->ag);
    exo_free(ctx, a->fbuf);
    exo__tissue_destroy(&a->tis);
    exo_free(ctx, a->zone);
    exo_free(ctx, a->kappa);
    exo_free(ctx, a->kdeg_I);
    exo_free(ctx, a->upt_k);
    exo_free(ctx, a->pending);
}

/* The plan of the time loop: the schedule's actions, the record times and
 * the profile buffers; the clock at 0. */
static exo_status clock_open(exo_ctx *ctx, const exo_config *cfg, int ai, exo_arm_result *res, arm_clock *c)
{
    exo_status st = EXO_OK;
    const exo_paramset *p = &cfg->params;
    EXO_TRY(build_actions(ctx, &cfg->arms[ai], &c->acts, &c->nacts));
    EXO_TRY(probe_times(ctx, cfg, &c->probes, &c->nprobes));
    res->prof_t = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1), sizeof(double));
    res->prof_E = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1) * res->grid->n, sizeof(double));
    res->prof_G = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1) * res->grid->n, sizeof(double));
    if (!res->prof_t || !res->prof_E || !res->prof_G) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for profiles");
        goto out;
    }
    c->T = cfg->sim.duration;
    c->evap = p->v[EXO_P_EVAP_RATE];
    c->k_open = log(2.0) / p->v[EXO_P_MN_CLOSE_HALF_LIFE];
    c->k_occl = log(2.0) / p->v[EXO_P_MN_CLOSE_HALF_LIFE_OCCLUDED];
    c->k_laser = log(10.0) / p->v[EXO_P_LASER_REEPI_TIME];
    c->t = 0;
    c->dt = cfg->sim.dt_min;
    c->tiny = 1e-9 * fmax(c->T, 1.0);
out:
    return st;
}

/* Phase 1, record: the rows and profiles due now (a visit measures before
 * that day's session). */
static exo_status record(arm_sim *a, exo_arm_result *res, arm_clock *c)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = a->cfg;
    while (c->ip < c->nprobes && c->probes[c->ip] <= c->t + c->tiny) {
        EXO_TRY(grow(a->ctx, (void **)&res->rows, &res->cap_rows, res->n_rows + 1, sizeof(exo_row)));
        fill_row(a, c->probes[c->ip], &res->rows[res->n_rows++]);
        for (; c->iprof < cfg->sim.n_profile_times && cfg->sim.profile_times[c->iprof] <= c->t + c->tiny;
             c->iprof++) {
            res->prof_t[res->n_prof] = cfg->sim.profile_times[c->iprof];
            EXO_TRY(record_profile(a, res, res->n_prof++));
        }
        c->ip++;
    }
out:
    return st;
}

/* Phase 2, act: the actions due now; each restarts the step at dt_min. */
static exo_status act(arm_sim *a, arm_clock *c)
{
    exo_status st = EXO_OK;
    while (c->ia < c->nacts && c->acts[c->ia].t <= c->t + c->tiny) {
        const action *ac = &c->acts[c->ia++];
        if (ac->kind == ACT_EVENT) {
            EXO_TRY(exo__engine_do_event(a, ac->ev, c->t));
            /* new vesicles (uptake saturation) and injury (cell-made
             * sources): refresh both before the next step, also at
             * t = 0, where no biology sync precedes the event */
            a->bio_moved = true;
        } else if (ac->kind == ACT_WASH)
            exo__engine_remove_film(a, 0.0);
        else if (ac->kind == ACT_MASK_OFF) {
            exo__engine_remove_film(a, ac->ev->mask_residue);
            a->mask_on = false;
        }
        c->dt = a->cfg->sim.dt_min;
    }
out:
    return st;
}

/* Phase 3, plan: the next step, refined after actions, landing on
 * breakpoints (a film already at its dry limit is set dry here). */
static void plan(arm_sim *a, const arm_clock *c, step_plan *s)
{
    const exo_config *cfg = a->cfg;
    const double t = c->t, tiny = c->tiny, evap = c->evap;
    bool occl = occluded_at(a, t);
    double next = c->T;
    if (c->ia < c->nacts && c->acts[c->ia].t < next)
        next = c->acts[c->ia].t;
    if (c->ip < c->nprobes && c->probes[c->ip] < next)
        next = c->probes[c->ip];
    if (a->occl_until > t + tiny && a->occl_until < next)
        next = a->occl_until;
    if (a->film_worn_until > t + tiny && a->film_worn_until < next)
        next = a->film_worn_until; /* the SPF and tint end there */
    bool evaporating = !occl && exo__surface_wet(&a->sf), dries = false;
    if (evaporating) {
        double t_dry = t + (a->sf.water - a->sf.dry_limit) / evap;
        if (t_dry <= t + tiny) {
            a->sf.water = a->sf.dry_limit; /* dry now: transfer stops */
            evaporating = false;
        } else if (t_dry <= next) {
            next = t_dry;
            dries = true;
        }
    }
    /* accuracy: the prescribed surface changes (film thickness, open
     * channel area) may change by at most FILM_CHANGE (FILM_CHANGE_CLOSED
     * with no channel open) and CHANNEL_CHANGE per step */
    double hlim = c->dt;
    bool open = false;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        if (a->sf.ch[j].active) {
            double kc = a->sf.ch[j].route == EXO_ROUTE_LASER ? c->k_laser : (occl ? c->k_occl : c->k_open);
            hlim = fmin(hlim, CHANNEL_CHANGE / kc);
            open = true;
        }
    if (evaporating)
        hlim = fmin(hlim, (open ? FILM_CHANGE : FILM_CHANGE_CLOSED) * exo__surface_film(&a->sf) / evap);
    if (a->med_rate > 0) /* the biology syncs every step: the inflammatory phase sets it */
        hlim = fmin(hlim, MED_CHANGE / a->med_rate);
    if (hlim < c->dt) {
        /* snap down to the ladder dt_min * growth^k, so that the same few
         * step lengths recur after every application and their
         * factorisations are reused (column/step.c) */
        double k = floor(log(hlim / cfg->sim.dt_min) / log(cfg->sim.dt_growth));
        hlim = cfg->sim.dt_min * pow(cfg->sim.dt_growth, fmax(k, 0.0));
    }
    hlim = fmax(hlim, cfg->sim.dt_min);
    double h = fmin(hlim, next - t);
    if (next - t - h < 0.01 * h)
        h = next - t; /* no sliver steps before a breakpoint */
    *s = (step_plan){occl, evaporating, dries, next, h};
}

/* Phase 4, step: the surface state at t + h (prescribed functions of time),
 * the coefficients it changes, and the transport step of every species. */
static exo_status step(arm_sim *a, const arm_clock *c, const step_plan *s)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = a->cfg;
    const exo_grid *g = a->g;
    const bool occl = s->occl;
    const double t = c->t, h = s->h, evap = c->evap;
    if (occl != a->coeff_occluded) {
        EXO_TRY(exo__engine_catch_up_all(a)); /* before their coefficients change */
        for (int k = 0; k < a->ns; k++)
            exo__species_coeffs(cfg, g, &a->meta[k], occl, &a->co[k]);
        memcpy(a->kdeg_I, a->co[a->med[EXO_MED_I]].k_deg, (size_t)g->n * sizeof(double));
        for (int k = 0; k < a->ns; k++)
            if (a->meta[k].vesicle)
                memset(a->co[k].k_up, 0, (size_t)g->n * sizeof(double));
        memset(a->kappa, 0, (size_t)g->n * EXO_NCELL * sizeof(double));
        a->coeff_occluded = occl;
        a->bio_moved = true;
    }
    if (a->bio_moved) { /* the cells changed: refresh uptake and cell-made sources */
        exo__engine_set_uptake(a);
        exo__engine_set_mediators(a, 1e-3);
        a->bio_moved = false;
    }
    a->sf.inv_film = 0;
    a->sf.drying = false;
    if (s->evaporating) {
        double W0 = exo__surface_film(&a->sf);
        if (s->dries && h == s->next - t) {
            a->sf.water = a->sf.dry_limit; /* dry at the end of this step: transfer stops after it */
            a->sf.drying = true;
        } else
            a->sf.water = fmax(a->sf.water - evap * h, a->sf.dry_limit);
        double W1 = exo__surface_film(&a->sf);
        /* the film thins linearly: mean of 1/W over the step = ln(W0/W1)/(W0 - W1) */
        a->sf.inv_film = W0 > W1 * (1 + 1e-12) ? log(W0 / W1) / (W0 - W1) : 1.0 / W1;
    }
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        exo_channels *ch = &a->sf.ch[j];
        if (!ch->active)
            continue;
        ch->k_close = ch->route == EXO_ROUTE_LASER ? c->k_laser : (occl ? c->k_occl : c->k_open);
        ch->a *= exp(-ch->k_close * h);
    }
    for (int k = 0; k < a->ns; k++) {
        exo_species *sp = &a->sp[k];
        if (sp->applied == 0 && !a->co[k].sourced)
            continue; /* nothing of it yet and none made: zero stays zero */
        EXO_TRY(exo__engine_defer_step(a, k, h, cfg->sim.dt_max));
    }
    exo__engine_accumulate_uptake(a, h);
    a->in.occluded = occl;
    a->in.film_water = a->sf.water; /* the film hydrates the SC (observe.c) */
    a->in.film_solids = a->sf.solids;
    bool worn = film_worn(a, t); /* constant over the step: its end is a breakpoint */
    a->in.film_uv_protection = worn ? exo__bio_spf_in_use(a->film_spf, a->cfg->params.v[EXO_P_SPF_IN_USE_SHARE]) : 1.0;
    a->in.film_tint = worn ? a->film_tint : 0.0;
out:
    return st;
}

/* Phase 5, sync: the clock moves to t + h; the biology follows, closed
 * channels retire and the open area joins the history. */
static exo_status sync(arm_sim *a, exo_arm_result *res, arm_clock *c, const step_plan *s)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = a->cfg;
    c->t += s->h;
    /* the biology follows after every step: its schedule is the steps', which
     * the surface and the mediators set (plan), not the output times */
    EXO_TRY(exo__engine_catch_up_all(a));
    EXO_TRY(exo__engine_sync_biology(a, c->t));
    a->bio_moved = true;
    c->steps++;
    c->dt = fmin(c->dt * cfg->sim.dt_growth, cfg->sim.dt_max);
    /* retire closed channels, keeping their last content in the tissue */
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        exo_channels *ch = &a->sf.ch[j];
        if (ch->active && ch->a < 1e-6 * ch->a0) {
            for (int k = 0; k < a->ns; k++)
                exo__channels_retire(a->g, &a->sf, j, &a->sp[k]);
            ch->active = false;
            if (a->tis)
                exo__tissue_close(a->tis, j);
        }
    }
    EXO_TRY(grow(a->ctx, (void **)&res->hist, &res->cap_hist, res->n_hist + 1, sizeof(exo_hist)));
    res->hist[res->n_hist++] = (exo_hist){c->t, total_open(&a->sf, EXO_ROUTE_CHANNEL),
                                          total_open(&a->sf, EXO_ROUTE_LASER)};
out:
    return st;
}

/* After the last step: the fields checked, the delivery summary and the
 * final state of every species. */
static exo_status finish(arm_sim *a, exo_arm_result *res, const arm_clock *c)
{
    exo_status st = EXO_OK;
    const exo_grid *g = a->g;
    EXO_TRY(exo__engine_catch_up_all(a)); /* (the last step ends at a breakpoint: nothing is left) */
    for (int k = 0; k < a->ns; k++) {
        for (int i = 0; i < g->n; i++)
            if (!(a->sp[k].E[i] >= 0) && a->sp[k].E[i] < -1e-30) {
                st = exo_ctx_error(a->ctx, EXO_ENUMERIC, "arm '%s': negative concentration of %s at %g um",
                                   res->name, a->meta[k].name, g->zc[i]);
                goto out;
            }
    }
    {
        exo_row last;
        fill_row(a, c->t, &last);
        exo_arm_delivery *d = &res->delivery;
        d->applied = last.applied * EXO_CM * EXO_CM;
        d->viable_epidermis = last.below[EXO_LAYER_VE] * EXO_CM * EXO_CM;
        d->dermis = last.below[EXO_LAYER_PAP] * EXO_CM * EXO_CM;
        d->balance_error = last.balance;
        d->steps = c->steps;
        d->cells = g->n;
    }
    if (a->tis && res->tissue.outline) /* the block's follicles and the channels of the whole run */
        memcpy(res->tissue.outline, a->tis->outline,
               EXO_OUTLINE_COUNT * (size_t)a->tis->nx * a->tis->nyg * sizeof *res->tissue.outline);
    if (a->ag) {
        res->tissue.cells = exo__agents_count(a->ag);
        res->tissue.agent_updates = exo__agents_updates(a->ag);
    }
    for (int k = 0; k < a->ns; k++) {
        exo__species_layers(g, &a->sp[k], res->final_layers[k]);
        res->final[k] = a->sp[k];
        res->final[k].E = NULL; /* the profile is not kept */
    }
out:
    return st;
}

/* One arm: open, then record -> act -> plan -> step -> sync until the
 * duration is reached, then finish. */
static exo_status run_arm(exo_ctx *ctx, exo_result *r, int ai, exo_progress_fn progress, void *user)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = r->cfg;
    exo_arm_result *res = &r->arms[ai];
    arm_sim a;
    arm_clock c;
    memset(&a, 0, sizeof a);
    memset(&c, 0, sizeof c);
    a.ctx = ctx;
    EXO_TRY(arm_open(ctx, r, ai, &a));
    EXO_TRY(clock_open(ctx, cfg, ai, res, &c));
    for (;;) {
        EXO_TRY(record(&a, res, &c));
        EXO_TRY(act(&a, &c));
        if (c.t >= c.T - c.tiny)
            break;
        step_plan s;
        plan(&a, &c, &s);
        EXO_TRY(step(&a, &c, &s));
        EXO_TRY(sync(&a, res, &c, &s));
        if (progress && (c.steps & 255) == 0)
            progress(user, (ai + c.t / c.T) / cfg->n_arms);
    }
    EXO_TRY(finish(&a, res, &c));
out:
    arm_close(&a);
    exo_free(ctx, c.acts);
    exo_free(ctx, c.probes);
    return st;
}

exo_status exo_run(exo_ctx *ctx, const exo_config *cfg, exo_progress_fn progress, void *user,
                   exo_result **out)
{
    exo_status st = EXO_OK;
    exo_result *r = exo_alloc(ctx, 1, sizeof *r);
    if (!r)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
    r->ctx = ctx;
    r->cfg = cfg;
    EXO_TRY(exo__species_list(ctx, cfg, &r->species, &r->n_species));
    r->arms = exo_alloc(ctx, (size_t)cfg->n_arms, sizeof *r->arms);
    if (!r->arms) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory");
        goto out;
    }
    r->n_arms = cfg->n_arms;
    for (int ai = 0; ai < cfg->n_arms; ai++)
        EXO_TRY(run_arm(ctx, r, ai, progress, user));
    if (progress)
        progress(user, 1.0);
    *out = r;
    return EXO_OK;
out:
    exo_result_destroy(&r);
    return st;
}

void exo_result_destroy(exo_result **rp)
{
    if (!rp || !*rp)
        return;
    exo_result *r = *rp;
    exo_ctx *ctx = r->ctx;
    for (int i = 0; r->arms && i < r->n_arms; i++) {
        exo_arm_result *a = &r->arms[i];
        exo_free(ctx, a->rows);
        exo_free(ctx, a->hist);
        exo_free(ctx, a->prof_t);
        exo_free(ctx, a->prof_E);
        exo_free(ctx, a->prof_G);
        exo_free(ctx, a->final);
        exo_free(ctx, a->final_layers);
        exo_free(ctx, a->tissue.vesicles);
        exo_free(ctx, a->tissue.inflammation);
        exo_free(ctx, a->tissue.collagen);
        exo_free(ctx, a->tissue.outline);
        exo_free(ctx, a->band);
        exo__grid_destroy(&a->grid);
    }
    exo_free(ctx, r->arms);
    exo_free(ctx, r->species);
    exo_free(ctx, r);
    *rp = NULL;
}

int exo_result_arms(const exo_result *r) { return r->n_arms; }
const char *exo_result_arm_name(const exo_result *r, int arm) { return r->arms[arm].name; }
void exo_result_delivery(const exo_result *r, int arm, exo_arm_delivery *out) { *out = r->arms[arm].delivery; }

void exo_result_readout(const exo_result *r, int arm, int k, double *baseline, double *final)
{
    const exo_arm_result *a = &r->arms[arm];
    *baseline = a->n_rows ? a->rows[0].rd[k] : 0.0;
    *final = a->n_rows ? a->rows[a->n_rows - 1].rd[k] : 0.0;
}

double exo_result_readout_peak(const exo_result *r, int arm, int k)
{
    const exo_arm_result *a = &r->arms[arm];
    double m = a->n_rows ? a->rows[0].rd[k] : 0.0;
    for (int i = 1; i < a->n_rows; i++)
        m = fmax(m, a->rows[i].rd[k]);
    return m;
}

double exo_result_serious_ae(const exo_result *r, int arm)
{
    const exo_arm_result *a = &r->arms[arm];
    return a->n_rows ? a->rows[a->n_rows - 1].p_serious : 0.0;
}
