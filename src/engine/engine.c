/* engine.c - the column-mode time loop: scheduled events (applications,
 * procedures, wash-off, mask removal, end of occlusion) become actions on the
 * surface state and the tissue; between actions the transport steps run with
 * a step that restarts at dt_min after every action and grows geometrically
 * to dt_max, landing exactly on actions, output times and film drying. */
#include "engine_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

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

typedef struct {
    exo_ctx *ctx;
    const exo_config *cfg;
    const exo_grid *g;
    int ns;
    const exo_species_meta *meta;
    exo_species *sp;
    exo_coeffs *co;
    exo_stepper **w; /* one per species: each keeps its own factorisation */
    exo_surface sf;
    double occl_until;  /* [h] occlusion (mask or dressing) lasts until */
    bool mask_on;
    bool coeff_occluded;
} arm_sim;

static bool occluded_at(const arm_sim *a, double t) { return a->mask_on || t < a->occl_until; }

static double product_conc(const exo_config *cfg, const exo_product_cfg *p)
{
    double c = p->conc_known ? p->conc : cfg->params.v[EXO_P_ASSUMED_CONC]; /* [1/um^3] */
    return c * p->functional_fraction * (1.0 - p->storage_loss);
}

/* Adds a film of thickness `amount` [um] of product p. */
static void apply_film(arm_sim *a, int p, double amount)
{
    const exo_product_cfg *pr = &a->cfg->products[p];
    a->sf.water += amount * pr->water_fraction;
    a->sf.solids += amount * (1.0 - pr->water_fraction);
    double c = product_conc(a->cfg, pr);
    for (int k = 0; k < a->ns; k++) {
        double add = 0;
        if (a->meta[k].vesicle && a->meta[k].product == p)
            add = c * a->meta[k].weight * amount;
        else if (!a->meta[k].vesicle && a->meta[k].mediator == EXO_MED_G)
            add = pr->growth_factor * amount;
        a->sp[k].V += add;
        a->sp[k].applied += add;
    }
}

static int free_channel_slot(arm_sim *a)
{
    int best = 0;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        if (!a->sf.ch[j].active)
            return j;
        if (a->sf.ch[j].a < a->sf.ch[best].a)
            best = j;
    }
    /* all in use: the most closed family is retired early (mass-conserving) */
    for (int k = 0; k < a->ns; k++)
        exo__channels_retire(a->g, &a->sf, best, &a->sp[k]);
    a->sf.ch[best].active = false;
    return best;
}

static void open_channels(arm_sim *a, int route, double a0, double diameter, double depth)
{
    int j = free_channel_slot(a);
    exo_channels *ch = &a->sf.ch[j];
    ch->active = true;
    ch->route = route;
    ch->a0 = ch->a = fmin(a0, 0.5);
    ch->diameter = diameter;
    ch->depth = fmin(depth, a->g->top[EXO_LAYER_COUNT] - 1e-6);
    ch->k_close = 0; /* set every step from the occlusion state */
}

/* Deposits `amount_per_area` of species k as a Gaussian over depth. */
static void deposit_gaussian(arm_sim *a, int k, double amount, double z0, double sigma, int route)
{
    const exo_grid *g = a->g;
    double wsum = 0;
    for (int i = g->first[EXO_LAYER_VE]; i < g->n; i++) {
        double x = (g->zc[i] - z0) / sigma;
        wsum += g->h[i] * exp(-0.5 * x * x);
    }
    if (!(wsum > 0))
        return;
    for (int i = g->first[EXO_LAYER_VE]; i < g->n; i++) {
        double x = (g->zc[i] - z0) / sigma;
        a->sp[k].E[i] += amount * exp(-0.5 * x * x) / wsum;
    }
    a->sp[k].applied += amount;
    a->sp[k].route[route] += amount;
}

static void do_event(arm_sim *a, const exo_event_cfg *ev, double t)
{
    const exo_paramset *p = &a->cfg->params;
    switch (ev->kind) {
    case EXO_EV_TOPICAL:
        apply_film(a, ev->product, ev->amount);
        break;
    case EXO_EV_MASK:
        apply_film(a, ev->product, ev->amount);
        a->mask_on = true;
        break;
    case EXO_EV_MICRONEEDLING: {
        double d = p->v[EXO_P_MN_CHANNEL_DIAMETER];
        double a0 = ev->passes * ev->needle_density * PI * 0.25 * d * d;
        open_channels(a, EXO_ROUTE_CHANNEL, a0, d, p->v[EXO_P_MN_DEPTH_FRACTION] * ev->needle_length);
        if (ev->product >= 0)
            apply_film(a, ev->product, ev->amount > 0 ? ev->amount : 10.0 * EXO_UM);
        break;
    }
    case EXO_EV_LASER:
        open_channels(a, EXO_ROUTE_LASER, ev->zone_fraction, ev->zone_width, ev->zone_depth);
        break;
    case EXO_EV_INJECTION:
    case EXO_EV_PRP: {
        double vol = ev->volume * ev->point_density; /* [um] injected per skin area */
        double sig = p->v[EXO_P_INJECTION_SPREAD];
        for (int k = 0; k < a->ns; k++) {
            const exo_species_meta *m = &a->meta[k];
            double amt = 0;
            if (ev->kind == EXO_EV_INJECTION && m->vesicle && m->product == ev->product)
                amt = product_conc(a->cfg, &a->cfg->products[ev->product]) * m->weight * vol;
            else if (!m->vesicle && m->mediator == EXO_MED_G) {
                if (ev->kind == EXO_EV_PRP)
                    amt = ev->prp_activity * vol;
                else if (ev->product >= 0)
                    amt = a->cfg->products[ev->product].growth_factor * vol;
            }
            if (amt > 0)
                deposit_gaussian(a, k, amt, ev->depth, sig, EXO_ROUTE_INJECTION);
        }
        if (ev->kind == EXO_EV_PRP && ev->product >= 0)
            apply_film(a, ev->product, ev->amount > 0 ? ev->amount : 10.0 * EXO_UM);
        break;
    }
    default:
        break;
    }
    if (ev->occlusion && ev->kind != EXO_EV_MASK)
        a->occl_until = fmax(a->occl_until, t + ev->occlusion_time);
}

static void remove_film(arm_sim *a, double keep)
{
    for (int k = 0; k < a->ns; k++) {
        double out = a->sp[k].V * (1.0 - keep);
        a->sp[k].V -= out;
        a->sp[k].washed += out;
    }
    a->sf.water *= keep;
    a->sf.solids *= keep;
}

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
    r->water = a->sf.water;
    r->open_needle = total_open(&a->sf, EXO_ROUTE_CHANNEL);
    r->open_laser = total_open(&a->sf, EXO_ROUTE_LASER);
    for (int k = 0; k < a->ns; k++) {
        const exo_species *s = &a->sp[k];
        double lay[EXO_LAYER_COUNT];
        exo__species_layers(a->g, s, lay);
        if (s->applied > 0) {
            double err = fabs(exo__species_balance(a->g, s)) / s->applied;
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
            r->below[l] += exo__species_delivered_below(a->g, s, l);
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
        for (int i = 0; i < ev->n_times; i++) {
            double t = ev->times[i];
            acts[k++] = (action){t, 1, e, ACT_EVENT, ev};
            if (ev->kind == EXO_EV_TOPICAL && ev->contact > 0)
                acts[k++] = (action){t + ev->contact, 0, e, ACT_WASH, ev};
            else if (ev->kind == EXO_EV_MASK)
                acts[k++] = (action){t + ev->contact, 0, e, ACT_MASK_OFF, ev};
            else if (ev->occlusion)
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

static exo_status run_arm(exo_ctx *ctx, exo_result *r, int ai, exo_progress_fn progress, void *user)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = r->cfg;
    const exo_paramset *p = &cfg->params;
    const exo_grid *g = r->grid;
    exo_arm_result *res = &r->arms[ai];
    res->name = cfg->arms[ai].name;
    arm_sim a;
    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    a.cfg = cfg;
    a.g = g;
    a.ns = r->n_species;
    a.meta = r->species;
    action *acts = NULL;
    double *probes = NULL;
    int nacts = 0, nprobes = 0;

    a.sp = exo_alloc(ctx, (size_t)a.ns, sizeof *a.sp);
    a.co = exo_alloc(ctx, (size_t)a.ns, sizeof *a.co);
    a.w = exo_alloc(ctx, (size_t)a.ns, sizeof *a.w);
    res->final = exo_alloc(ctx, (size_t)a.ns, sizeof *res->final);
    res->final_layers = exo_alloc(ctx, (size_t)a.ns, sizeof *res->final_layers);
    if (!a.sp || !a.co || !a.w || !res->final || !res->final_layers) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for species");
        goto out;
    }
    for (int k = 0; k < a.ns; k++) {
        EXO_TRY(exo__species_init(ctx, g, &a.sp[k]));
        EXO_TRY(exo__coeffs_init(ctx, g, &a.co[k]));
        exo__species_coeffs(cfg, g, &a.meta[k], false, &a.co[k]);
        EXO_TRY(exo__stepper_create(ctx, g, &a.w[k]));
    }
    a.sf.dry_limit = p->v[EXO_P_FILM_DRY_THICKNESS];
    a.sf.f_fol = cfg->skin.follicle_area_fraction;
    a.sf.k_fol = p->v[EXO_P_FOLLICLE_ENTRY_VELOCITY];
    a.sf.k_rel = log(2.0) / p->v[EXO_P_FOLLICLE_RELEASE_HALF_LIFE];
    a.sf.k_fill = p->v[EXO_P_CHANNEL_FILL_RATE];
    a.sf.h_sc = g->top[EXO_LAYER_VE];
    a.sf.i_fol = g->first[EXO_LAYER_VE];
    for (int i = g->first[EXO_LAYER_VE]; i < g->n; i++)
        if (g->zf[i] <= p->v[EXO_P_FOLLICLE_DEPTH])
            a.sf.i_fol = i;

    EXO_TRY(build_actions(ctx, &cfg->arms[ai], &acts, &nacts));
    EXO_TRY(probe_times(ctx, cfg, &probes, &nprobes));
    res->prof_t = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1), sizeof(double));
    res->prof_E = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1) * g->n, sizeof(double));
    res->prof_G = exo_alloc(ctx, (size_t)(cfg->sim.n_profile_times + 1) * g->n, sizeof(double));
    if (!res->prof_t || !res->prof_E || !res->prof_G) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for profiles");
        goto out;
    }

    const double T = cfg->sim.duration, evap = p->v[EXO_P_EVAP_RATE];
    const double k_open = log(2.0) / p->v[EXO_P_MN_CLOSE_HALF_LIFE];
    const double k_occl = log(2.0) / p->v[EXO_P_MN_CLOSE_HALF_LIFE_OCCLUDED];
    const double k_laser = log(10.0) / p->v[EXO_P_LASER_REEPI_TIME];
    double t = 0, dt = cfg->sim.dt_min;
    int ia = 0, ip = 0, iprof = 0, steps = 0;
    const double tiny = 1e-9 * fmax(T, 1.0);
    for (;;) {
        /* 1. actions due now */
        while (ia < nacts && acts[ia].t <= t + tiny) {
            const action *ac = &acts[ia++];
            if (ac->kind == ACT_EVENT)
                do_event(&a, ac->ev, t);
            else if (ac->kind == ACT_WASH)
                remove_film(&a, 0.0);
            else if (ac->kind == ACT_MASK_OFF) {
                remove_film(&a, ac->ev->mask_residue);
                a.mask_on = false;
            }
            dt = cfg->sim.dt_min;
        }
        /* 2. records due now */
        while (ip < nprobes && probes[ip] <= t + tiny) {
            EXO_TRY(grow(ctx, (void **)&res->rows, &res->cap_rows, res->n_rows + 1, sizeof(exo_row)));
            fill_row(&a, probes[ip], &res->rows[res->n_rows++]);
            for (; iprof < cfg->sim.n_profile_times && cfg->sim.profile_times[iprof] <= t + tiny; iprof++) {
                res->prof_t[res->n_prof] = cfg->sim.profile_times[iprof];
                record_profile(&a, res, res->n_prof++);
            }
            ip++;
        }
        if (t >= T - tiny)
            break;
        /* 3. the next step: refined after actions, landing on breakpoints */
        bool occl = occluded_at(&a, t);
        double next = T;
        if (ia < nacts && acts[ia].t < next)
            next = acts[ia].t;
        if (ip < nprobes && probes[ip] < next)
            next = probes[ip];
        if (a.occl_until > t + tiny && a.occl_until < next)
            next = a.occl_until;
        bool evaporating = !occl && exo__surface_wet(&a.sf), dries = false;
        if (evaporating) {
            double t_dry = t + (a.sf.water - a.sf.dry_limit) / evap;
            if (t_dry <= t + tiny) {
                a.sf.water = a.sf.dry_limit; /* dry now: transfer stops */
                evaporating = false;
            } else if (t_dry <= next) {
                next = t_dry;
                dries = true;
            }
        }
        double h = fmin(dt, next - t);
        if (next - t - h < 0.01 * h)
            h = next - t; /* no sliver steps before a breakpoint */
        /* 4. surface state at t + h (prescribed functions of time) */
        if (occl != a.coeff_occluded) {
            for (int k = 0; k < a.ns; k++)
                exo__species_coeffs(cfg, g, &a.meta[k], occl, &a.co[k]);
            a.coeff_occluded = occl;
        }
        if (evaporating) {
            if (dries && h == next - t)
                a.sf.water = a.sf.dry_limit; /* dry at the end of this step: transfer stops */
            else
                a.sf.water = fmax(a.sf.water - evap * h, a.sf.dry_limit);
        }
        for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
            exo_channels *ch = &a.sf.ch[j];
            if (!ch->active)
                continue;
            ch->k_close = ch->route == EXO_ROUTE_LASER ? k_laser : (occl ? k_occl : k_open);
            ch->a *= exp(-ch->k_close * h);
        }
        for (int k = 0; k < a.ns; k++) {
            exo_species *s = &a.sp[k];
            if (s->applied == 0)
                continue; /* nothing of it yet: zero stays zero */
            EXO_TRY(exo__step(a.w[k], g, &a.co[k], &a.sf, h, s));
        }
        t += h;
        steps++;
        dt = fmin(dt * cfg->sim.dt_growth, cfg->sim.dt_max);
        /* retire closed channels, keeping their last content in the tissue */
        for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
            exo_channels *ch = &a.sf.ch[j];
            if (ch->active && ch->a < 1e-6 * ch->a0) {
                for (int k = 0; k < a.ns; k++)
                    exo__channels_retire(g, &a.sf, j, &a.sp[k]);
                ch->active = false;
            }
        }
        EXO_TRY(grow(ctx, (void **)&res->hist, &res->cap_hist, res->n_hist + 1, sizeof(exo_hist)));
        res->hist[res->n_hist++] = (exo_hist){t, total_open(&a.sf, EXO_ROUTE_CHANNEL),
                                              total_open(&a.sf, EXO_ROUTE_LASER)};
        if (progress && (steps & 255) == 0)
            progress(user, (ai + t / T) / cfg->n_arms);
    }
    for (int k = 0; k < a.ns; k++) {
        for (int i = 0; i < g->n; i++)
            if (!(a.sp[k].E[i] >= 0) && a.sp[k].E[i] < -1e-30) {
                st = exo_ctx_error(ctx, EXO_ENUMERIC, "arm '%s': negative concentration of %s at %g um",
                                   res->name, a.meta[k].name, g->zc[i]);
                goto out;
            }
    }
    {
        exo_row last;
        fill_row(&a, t, &last);
        exo_arm_delivery *d = &res->delivery;
        d->applied = last.applied * EXO_CM * EXO_CM;
        d->viable_epidermis = last.below[EXO_LAYER_VE] * EXO_CM * EXO_CM;
        d->dermis = last.below[EXO_LAYER_PAP] * EXO_CM * EXO_CM;
        d->balance_error = last.balance;
        d->steps = steps;
        d->cells = g->n;
    }
    for (int k = 0; k < a.ns; k++) {
        exo__species_layers(g, &a.sp[k], res->final_layers[k]);
        res->final[k] = a.sp[k];
        res->final[k].E = NULL; /* the profile is not kept */
    }
out:
    for (int k = 0; a.sp && k < a.ns; k++)
        exo__species_fini(ctx, &a.sp[k]);
    for (int k = 0; a.co && k < a.ns; k++)
        exo__coeffs_fini(ctx, &a.co[k]);
    exo_free(ctx, a.sp);
    exo_free(ctx, a.co);
    for (int k = 0; a.w && k < a.ns; k++)
        exo__stepper_destroy(&a.w[k]);
    exo_free(ctx, a.w);
    exo_free(ctx, acts);
    exo_free(ctx, probes);
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
    const exo_skin_cfg *sk = &cfg->skin;
    double thick[EXO_LAYER_COUNT] = {sk->h_sc, sk->h_ve, sk->h_pap,
                                     sk->h_total - sk->h_sc - sk->h_ve - sk->h_pap};
    EXO_TRY(exo__grid_create(ctx, thick, cfg->sim.h_surface, cfg->sim.h_max, cfg->sim.grid_growth, &r->grid));
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
    }
    exo_free(ctx, r->arms);
    exo_free(ctx, r->species);
    exo__grid_destroy(&r->grid);
    exo_free(ctx, r);
    *rp = NULL;
}

int exo_result_arms(const exo_result *r) { return r->n_arms; }
const char *exo_result_arm_name(const exo_result *r, int arm) { return r->arms[arm].name; }
void exo_result_delivery(const exo_result *r, int arm, exo_arm_delivery *out) { *out = r->arms[arm].delivery; }
