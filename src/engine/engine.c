/* engine.c - the column-mode time loop: scheduled events (applications,
 * procedures, wash-off, mask removal, end of occlusion) become actions on the
 * surface state and the tissue; between actions the transport steps run with
 * a step that restarts at dt_min after every action and grows geometrically
 * to dt_max, landing exactly on actions, output times and film drying. */
#include "engine_impl.h"

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
    const exo_skin_cfg *skin; /* the arm's skin */
    exo_bio *bio;       /* cells and matrix */
    exo_bio_inputs in;  /* zone mediators and uptake of the last step */
    int *zone;          /* biology zone of each transport cell (-1: SC) */
    double *kappa;      /* [1/h] uptake rate constants, cells x cell types */
    double *kdeg_I;     /* [1/h] base decay of I per cell (before resolution by R) */
    int med[EXO_MED_COUNT]; /* species index of each mediator */
    double immune_exposure; /* [d] */
    double upt_acc[EXO_NZ][EXO_NCELL][EXO_CARGO_COUNT]; /* uptake since the last biology sync */
    double acc_time;        /* [h] since the last biology sync */
    bool bio_moved;         /* cells changed since uptake and sources were last set */
    double (*upt_k)[EXO_NZ][EXO_NCELL]; /* per vesicle species: taken up since the last sync */
    double *pending;    /* [h] per species: time not yet stepped (deferred, see defer_step) */
    exo_tissue *tis;    /* fidelity tissue: the 3D block that does the transport (else NULL) */
    exo_tissue_info *res_tissue; /* where the arm's tissue results go */
    exo_agents *ag;     /* fidelity tissue: the cells as agents */
    float *fbuf;        /* fidelity tissue: [slab voxels] a recorded field of this rank's slab */
} arm_sim;

#define STEADY_DT 1e7 /* [h] a backward-Euler step this long is a steady-state solve */
#define BIO_INTERVAL (2.0 * EXO_H) /* longest interval between biology updates */
#define FILM_CHANGE 0.05     /* [1] largest relative thinning of an evaporating film per step while channels are open */
#define FILM_CHANGE_CLOSED 0.25 /* [1] the same on closed skin (docs/numerics.md) */
#define CHANNEL_CHANGE 0.2 /* [1] largest relative closure of open channels per step */

/* Mediator fields at steady state for the current cell sources: one
 * backward-Euler step of STEADY_DT from zero on a scratch species. */
static exo_status steady_mediator(arm_sim *a, int q, exo_species *tmp)
{
    int k = a->med[q];
    exo_surface dry;
    memset(&dry, 0, sizeof dry);
    dry.i_fol = a->sf.i_fol;
    dry.h_sc = a->sf.h_sc;
    memset(tmp->E, 0, (size_t)a->g->n * sizeof(double));
    double *E = tmp->E;
    memset(tmp, 0, sizeof *tmp);
    tmp->E = E;
    return exo__step(a->w[k], a->g, &a->co[k], &dry, STEADY_DT, tmp);
}

static void zone_means(const arm_sim *a, const double *E, double out[EXO_NZ])
{
    for (int z = 0; z < EXO_NZ; z++) {
        int i0, i1;
        exo__bio_zone_range(a->bio, z, &i0, &i1);
        double m = 0, w = 0;
        for (int i = i0; i < i1; i++) {
            m += E[i] * a->g->h[i];
            w += a->g->h[i];
        }
        out[z] = w > 0 ? m / w : 0.0;
    }
}

/* Cell-made mediator sources and the resolution of I by R, from the current
 * biology state; coefficient versions move only when a rate changes by more
 * than 1e-3 (relative), so factorisations are kept while the tissue is quiet. */
static void set_mediator_coefficients(arm_sim *a, double tol)
{
    const exo_grid *g = a->g;
    for (int q = 0; q < EXO_MED_COUNT; q++) {
        exo_coeffs *c = &a->co[a->med[q]];
        double src[EXO_NZ];
        for (int z = 0; z < EXO_NZ; z++)
            src[z] = exo__bio_source(a->bio, z, q);
        c->sourced = false;
        for (int i = 0; i < g->n; i++) {
            c->src[i] = a->zone[i] >= 0 ? src[a->zone[i]] : 0.0;
            c->sourced = c->sourced || c->src[i] != 0;
        }
        if (q == EXO_MED_I) {
            bool changed = false;
            double xk[EXO_NZ];
            for (int z = 0; z < EXO_NZ; z++)
                xk[z] = exo__bio_extra_decay_I(a->bio, z, &a->in);
            for (int i = 0; i < g->n; i++) {
                double k = a->kdeg_I[i] + (a->zone[i] >= 0 ? xk[a->zone[i]] : 0.0);
                if (fabs(k - c->k_deg[i]) > tol * c->k_deg[i]) {
                    c->k_deg[i] = k;
                    changed = true;
                }
            }
            if (changed)
                c->version++;
        }
    }
}

/* Uptake rate constants of every cell type in every transport cell, from
 * the total vesicle concentration (saturation) and the cell state. */
static void set_uptake(arm_sim *a)
{
    const exo_grid *g = a->g;
    bool changed = false;
    double num[EXO_NZ][EXO_NCELL], K[EXO_NZ][EXO_NCELL];
    for (int z = 0; z < EXO_NZ; z++)
        exo__bio_uptake_zone(a->bio, z, num[z], K[z]);
    for (int i = 0; i < g->n; i++) {
        const int z = a->zone[i];
        double *kap = a->kappa + (size_t)i * EXO_NCELL, knew[EXO_NCELL] = {0}, tot = 0, old = 0;
        if (z >= 0) { /* none in the SC */
            double Etot = 0;
            for (int k = 0; k < a->ns; k++)
                if (a->meta[k].vesicle)
                    Etot += a->sp[k].E[i];
            for (int c = 0; c < EXO_NCELL; c++)
                knew[c] = num[z][c] / (K[z][c] + fmax(Etot, 0));
        }
        for (int c = 0; c < EXO_NCELL; c++) {
            tot += knew[c];
            old += kap[c];
        }
        if (fabs(tot - old) > 1e-3 * old || (old == 0) != (tot == 0)) {
            memcpy(kap, knew, sizeof knew);
            changed = true;
        }
    }
    if (!changed)
        return;
    exo_coeffs *first = NULL; /* every vesicle species has the same k_up */
    for (int k = 0; k < a->ns; k++) {
        if (!a->meta[k].vesicle)
            continue;
        if (first)
            memcpy(a->co[k].k_up, first->k_up, (size_t)g->n * sizeof(double));
        else
            for (int i = 0; i < g->n; i++) {
                double tot = 0;
                for (int c = 0; c < EXO_NCELL; c++)
                    tot += a->kappa[(size_t)i * EXO_NCELL + c];
                a->co[k].k_up[i] = tot;
            }
        first = first ? first : &a->co[k];
        a->co[k].version++;
    }
}

/* What each cell type took up during the last step [vesicle-eq per cell per
 * h, by cargo class], and the zone means of the mediators. */
/* Adds what each cell type took up during a step of length h [h] to the
 * running totals (vesicle-equivalents per skin area, by cargo class). */
static void accumulate_uptake(arm_sim *a, double h)
{
    const exo_grid *g = a->g;
    for (int k = 0; k < a->ns; k++) {
        if (!a->meta[k].vesicle || a->sp[k].applied == 0)
            continue;
        double (*acc)[EXO_NCELL] = a->upt_k[k];
        const double *E = a->sp[k].E;
        for (int z = 0; z < EXO_NZ; z++) { /* zones are runs of cells: sums in registers */
            int i0, i1;
            exo__bio_zone_range(a->bio, z, &i0, &i1);
            double sum[EXO_NCELL] = {0};
            for (int i = i0; i < i1; i++) {
                double amount = E[i] * g->h[i]; /* times kappa, as in the ledger */
                const double *kap = a->kappa + (size_t)i * EXO_NCELL;
                for (int c = 0; c < EXO_NCELL; c++)
                    sum[c] += amount * kap[c];
            }
            for (int c = 0; c < EXO_NCELL; c++)
                acc[z][c] += h * sum[c];
        }
    }
    a->acc_time += h;
}

/* Biology inputs for the interval since the last sync: mean uptake per cell
 * [vesicle-eq/cell/h] and the zone means of the mediators now. */
static void collect_inputs(arm_sim *a)
{
    /* cargo of what was taken up: vesicles of species k carry the cargo vector
     * of their product */
    for (int k = 0; k < a->ns; k++) {
        if (!a->meta[k].vesicle)
            continue;
        const double *chi = a->cfg->products[a->meta[k].product].cargo;
        for (int z = 0; z < EXO_NZ; z++)
            for (int c = 0; c < EXO_NCELL; c++) {
                for (int q = 0; q < EXO_CARGO_COUNT; q++)
                    a->upt_acc[z][c][q] += a->upt_k[k][z][c] * chi[q];
                a->upt_k[k][z][c] = 0;
            }
    }
    for (int z = 0; z < EXO_NZ; z++)
        for (int c = 0; c < EXO_NCELL; c++) {
            double cells = exo__bio_cells(a->bio, z, c) * a->acc_time;
            for (int q = 0; q < EXO_CARGO_COUNT; q++)
                a->in.uptake[z][c][q] = cells > 0 ? a->upt_acc[z][c][q] / cells : 0.0;
        }
    memset(a->upt_acc, 0, sizeof a->upt_acc);
    a->acc_time = 0;
    for (int q = 0; q < EXO_MED_COUNT; q++) {
        double m[EXO_NZ];
        zone_means(a, a->sp[a->med[q]].E, m);
        for (int z = 0; z < EXO_NZ; z++)
            a->in.med[z][q] = m[z];
    }
}

/* Brings the cells and matrix up to time t (the transport's time). */
static exo_status sync_biology(arm_sim *a, double t)
{
    if (a->acc_time <= 0)
        return EXO_OK;
    double t0 = t - a->acc_time;
    collect_inputs(a);
    exo_status st = exo__bio_advance(a->bio, t, &a->in);
    if (st == EXO_OK && a->ag) /* the agents follow, in their voxels */
        st = exo__agents_update(a->ag, a->tis, a->bio, a->meta, a->kappa, a->med, t - t0);
    if (st == EXO_OK)
        a->immune_exposure += (t - t0) / EXO_DAY * exo__bio_immune_activation(a->bio);
    return st;
}

/* Untreated steady state: the mediators at steady state for the cell
 * sources, the cells and matrix settled for those mediators, a few rounds;
 * then the mediator fields become the initial content of their species. */
static exo_status biology_init(arm_sim *a)
{
    exo_status st = EXO_OK;
    const exo_grid *g = a->g;
    exo_species tmp;
    EXO_TRY(exo__bio_create(a->ctx, a->cfg, a->skin, g, &a->bio));
    a->zone = exo_alloc(a->ctx, (size_t)g->n, sizeof *a->zone);
    a->kappa = exo_alloc(a->ctx, (size_t)g->n * EXO_NCELL, sizeof *a->kappa);
    a->kdeg_I = exo_alloc(a->ctx, (size_t)g->n, sizeof *a->kdeg_I);
    a->upt_k = exo_alloc(a->ctx, (size_t)a->ns, sizeof *a->upt_k);
    if (!a->zone || !a->kappa || !a->kdeg_I || !a->upt_k)
        return exo_ctx_error(a->ctx, EXO_ENOMEM, "out of memory for the biology");
    for (int i = 0; i < g->n; i++)
        a->zone[i] = exo__bio_zone_of(a->bio, i);
    for (int k = 0; k < a->ns; k++)
        if (!a->meta[k].vesicle)
            a->med[a->meta[k].mediator] = k;
    memcpy(a->kdeg_I, a->co[a->med[EXO_MED_I]].k_deg, (size_t)g->n * sizeof(double));
    EXO_TRY(exo__species_init(a->ctx, g, &tmp));
    /* MMP of a young reference, to normalise the MMP that reaches the matrix */
    {
        exo_coeffs *c = &a->co[a->med[EXO_MED_M]];
        for (int i = 0; i < g->n; i++)
            c->src[i] = a->zone[i] >= 0 ? exo__bio_source_mref(a->bio, a->zone[i]) : 0.0;
        c->sourced = true;
        EXO_TRY(steady_mediator(a, EXO_MED_M, &tmp));
        double mref[EXO_NZ];
        zone_means(a, tmp.E, mref);
        exo__bio_set_mref(a->bio, mref);
    }
    for (int round = 0; round < 200; round++) {
        set_mediator_coefficients(a, 0.0);
        double change = 0;
        for (int q = 0; q < EXO_MED_COUNT; q++) {
            EXO_TRY(steady_mediator(a, q, &tmp));
            double m[EXO_NZ];
            zone_means(a, tmp.E, m);
            for (int z = 0; z < EXO_NZ; z++) {
                change = fmax(change, fabs(m[z] - a->in.med[z][q]) / fmax(fabs(m[z]), 1e-300));
                a->in.med[z][q] = m[z];
            }
            memcpy(a->sp[a->med[q]].E, tmp.E, (size_t)g->n * sizeof(double));
        }
        exo__bio_settle(a->bio, &a->in);
        if (change < 1e-12)
            break;
    }
    set_mediator_coefficients(a, 0.0);
    set_uptake(a);
    for (int q = 0; q < EXO_MED_COUNT; q++) {
        exo_species *s = &a->sp[a->med[q]];
        double lay[EXO_LAYER_COUNT], tot = 0;
        exo__species_layers(g, s, lay);
        for (int l = 0; l < EXO_LAYER_COUNT; l++)
            tot += lay[l];
        s->applied = tot; /* the initial content enters the ledger as applied */
    }
out:
    exo__species_fini(a->ctx, &tmp);
    return st;
}

/* Mediators only matter to the cells, which read them at biology syncs and
 * records, and on closed skin they have no exchange with the surface worth the
 * name (the SC holds almost none: their film leak is ~1e-12 of what the cells
 * make).  So while no channel is open and a mediator's film holds at most
 * 1e-12 of all it ever had, its transport steps are deferred and taken as one
 * sealed step (no film; the follicle store still releases) of the accumulated
 * time, at most dt_max long, before anything reads or changes it: syncs,
 * records, actions (all at breakpoints), occlusion changes, or a step it must
 * take with the surface.  Between syncs its coefficients and sources do not
 * change, so in the long steps this is the same sequence of steps, only
 * later; the many short steps of a drying film become one. */
static bool deferrable(const arm_sim *a, int k)
{
    const exo_species *s = &a->sp[k];
    if (a->meta[k].vesicle || s->V > 1e-12 * s->applied)
        return false;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        if (a->sf.ch[j].active || s->ch[j] != 0)
            return false;
    return true;
}

/* One transport step of species k with surface sf: the column's, or the
 * tissue block's in tissue mode. */
static exo_status transport_step(arm_sim *a, int k, const exo_surface *sf, double h)
{
    if (a->tis)
        return exo__tissue_step(a->tis, k, &a->co[k], sf, h, &a->sp[k]);
    return exo__step(a->w[k], a->g, &a->co[k], sf, h, &a->sp[k]);
}

/* Takes species k's deferred time as one step with the surface sealed. */
static exo_status catch_up(arm_sim *a, int k)
{
    if (!(a->pending[k] > 0))
        return EXO_OK;
    exo_surface sealed = a->sf;
    sealed.water = sealed.solids = 0;
    sealed.drying = false;
    sealed.inv_film = 0;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        sealed.ch[j].active = false;
    double h = a->pending[k];
    a->pending[k] = 0;
    return transport_step(a, k, &sealed, h);
}

static exo_status catch_up_all(arm_sim *a)
{
    for (int k = 0; k < a->ns; k++) {
        exo_status st = catch_up(a, k);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

/* One transport step of length h for species k, or its deferral. */
static exo_status defer_step(arm_sim *a, int k, double h, double dt_max)
{
    if (deferrable(a, k)) {
        if (a->pending[k] + h > dt_max * (1 + 1e-12)) {
            exo_status st = catch_up(a, k);
            if (st != EXO_OK)
                return st;
        }
        a->pending[k] += h;
        return EXO_OK;
    }
    exo_status st = catch_up(a, k);
    if (st != EXO_OK)
        return st;
    return transport_step(a, k, &a->sf, h);
}

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
        if (a->tis && add != 0)
            exo__tissue_film_add(a->tis, k, add);
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
    if (a->tis) {
        exo__tissue_open(a->tis, j, ch);
        if (a->tis->n_open[j] > a->res_tissue->channels)
            a->res_tissue->channels = a->tis->n_open[j];
    }
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

/* A bolus injected at each point: the product's vesicles and growth factors
 * of the injected volume; a sphere per point in tissue, a Gaussian over depth
 * in a column. */
static exo_status deposit_bolus(arm_sim *a, const exo__prim *x)
{
    double vol = x->volume * x->points; /* [um] injected per skin area */
    for (int k = 0; k < a->ns; k++) {
        const exo_species_meta *m = &a->meta[k];
        double amt = 0;
        if (x->product >= 0 && m->vesicle && m->product == x->product)
            amt = product_conc(a->cfg, &a->cfg->products[x->product]) * m->weight * vol;
        else if (!m->vesicle && m->mediator == EXO_MED_G)
            amt = x->activity * vol;
        if (amt > 0 && a->tis) {
            exo_status st = exo__tissue_bolus(a->tis, k, amt, x->depth, x->volume, x->points, EXO_ROUTE_INJECTION,
                                              &a->sp[k]);
            if (st != EXO_OK)
                return st;
        } else if (amt > 0)
            deposit_gaussian(a, k, amt, x->depth, x->spread, EXO_ROUTE_INJECTION);
    }
    return EXO_OK;
}

/* Executes one primitive action of an event at time t: the one place that
 * turns routes (src/protocol) into changes of the film, channels, tissue. */
static exo_status execute(arm_sim *a, const exo__prim *x, double t)
{
    switch (x->kind) {
    case EXO__PRIM_FILM:
        apply_film(a, x->product, x->amount);
        break;
    case EXO__PRIM_MASK_ON:
        a->mask_on = true;
        break;
    case EXO__PRIM_CHANNELS:
        open_channels(a, x->zones ? EXO_ROUTE_LASER : EXO_ROUTE_CHANNEL, x->fraction, x->diameter, x->depth);
        break;
    case EXO__PRIM_INJURE:
        exo__bio_injure(a->bio, x->severity, x->depth);
        break;
    case EXO__PRIM_ABLATE:
        exo__bio_ablate(a->bio, x->fraction, x->depth);
        break;
    case EXO__PRIM_BOLUS:
        return deposit_bolus(a, x);
    case EXO__PRIM_OCCLUDE:
        a->occl_until = fmax(a->occl_until, t + x->duration);
        break;
    }
    return EXO_OK;
}

/* One event: its route's primitive actions, in order. */
static exo_status do_event(arm_sim *a, const exo_event_cfg *ev, double t)
{
    exo__prim prims[EXO__PRIM_MAX];
    int n = exo__route_plan(ev, a->cfg, prims);
    for (int i = 0; i < n; i++) {
        exo_status st = execute(a, &prims[i], t);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

static void remove_film(arm_sim *a, double keep)
{
    for (int k = 0; k < a->ns; k++) {
        double out = a->sp[k].V * (1.0 - keep);
        a->sp[k].V -= out;
        a->sp[k].washed += out;
        if (a->tis)
            exo__tissue_film_scale(a->tis, k, keep);
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
    exo__bio_readouts(a->bio, total_open(&a->sf, EXO_ROUTE_CHANNEL) + total_open(&a->sf, EXO_ROUTE_LASER),
                      &a->in, r->rd);
    for (int k = 0; k < a->ns; k++)
        if (a->meta[k].vesicle)
            for (int l = 0; l < EXO_LAYER_COUNT; l++)
                r->taken_up += a->sp[k].taken_up[l];
    r->immune_exposure = a->immune_exposure;
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

static exo_status run_arm(exo_ctx *ctx, exo_result *r, int ai, exo_progress_fn progress, void *user)
{
    exo_status st = EXO_OK;
    const exo_config *cfg = r->cfg;
    const exo_paramset *p = &cfg->params;
    action *acts = NULL;
    double *probes = NULL;
    int nacts = 0, nprobes = 0;
    arm_sim a;
    memset(&a, 0, sizeof a);
    exo_arm_result *res = &r->arms[ai];
    res->name = cfg->arms[ai].name;
    const exo_skin_cfg *sk = &cfg->arms[ai].skin;
    double thick[EXO_LAYER_COUNT] = {sk->h_sc, sk->h_ve, sk->h_pap, sk->h_total - sk->h_sc - sk->h_ve - sk->h_pap};
    EXO_TRY(exo__grid_create(ctx, thick, cfg->sim.h_surface, cfg->sim.h_max, cfg->sim.grid_growth, &res->grid));
    const exo_grid *g = res->grid;
    a.ctx = ctx;
    a.cfg = cfg;
    a.g = g;
    a.ns = r->n_species;
    a.meta = r->species;
    a.skin = sk;
    a.res_tissue = &res->tissue;

    a.sp = exo_alloc(ctx, (size_t)a.ns, sizeof *a.sp);
    a.co = exo_alloc(ctx, (size_t)a.ns, sizeof *a.co);
    a.w = exo_alloc(ctx, (size_t)a.ns, sizeof *a.w);
    a.pending = exo_alloc(ctx, (size_t)a.ns, sizeof *a.pending);
    res->final = exo_alloc(ctx, (size_t)a.ns, sizeof *res->final);
    res->final_layers = exo_alloc(ctx, (size_t)a.ns, sizeof *res->final_layers);
    if (!a.sp || !a.co || !a.w || !a.pending || !res->final || !res->final_layers) {
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
    a.sf.f_fol = sk->follicle_area_fraction;
    a.sf.k_fol = p->v[EXO_P_FOLLICLE_ENTRY_VELOCITY];
    a.sf.k_rel = log(2.0) / p->v[EXO_P_FOLLICLE_RELEASE_HALF_LIFE];
    a.sf.k_fill = p->v[EXO_P_CHANNEL_FILL_RATE];
    a.sf.h_sc = g->top[EXO_LAYER_VE];
    a.sf.i_fol = g->first[EXO_LAYER_VE];
    for (int i = g->first[EXO_LAYER_VE]; i < g->n; i++)
        if (g->zf[i] <= p->v[EXO_P_FOLLICLE_DEPTH])
            a.sf.i_fol = i;

    if (cfg->sim.fidelity == EXO_FIDELITY_TISSUE) {
        EXO_TRY(exo__tissue_create(ctx, cfg, sk, g, a.ns, a.meta, &a.tis));
        exo_tissue_info *ti = &res->tissue;
        *ti = (exo_tissue_info){true, a.tis->nx, a.tis->nyg, a.tis->nz, a.tis->dx, a.tis->n_follicles, 0, 0, 0, NULL, NULL, NULL};
        /* the recorded fields of the whole block, on rank 0 (the one that writes) */
        size_t nf = (size_t)(cfg->sim.n_profile_times + 1) * (size_t)a.tis->nx * a.tis->nyg * a.tis->nz;
        bool root = a.tis->rank == 0;
        if (root) {
            ti->vesicles = exo_alloc(ctx, nf, sizeof *ti->vesicles);
            ti->inflammation = exo_alloc(ctx, nf, sizeof *ti->inflammation);
            ti->collagen = exo_alloc(ctx, nf, sizeof *ti->collagen);
        }
        a.fbuf = exo_alloc(ctx, a.tis->n, sizeof *a.fbuf);
        if ((root && (!ti->vesicles || !ti->inflammation || !ti->collagen)) || !a.fbuf) {
            st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the tissue fields");
            goto out;
        }
    }
    EXO_TRY(biology_init(&a));
    for (int k = 0; a.tis && k < a.ns; k++) /* the untreated mediator fields, laterally uniform */
        EXO_TRY(exo__tissue_load(a.tis, k, &a.sp[k]));
    if (a.tis)
        EXO_TRY(exo__agents_create(ctx, cfg, a.tis, a.bio, &a.ag));
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
        /* 1. records due now: a visit measures before that day's session */
        while (ip < nprobes && probes[ip] <= t + tiny) {
            EXO_TRY(grow(ctx, (void **)&res->rows, &res->cap_rows, res->n_rows + 1, sizeof(exo_row)));
            fill_row(&a, probes[ip], &res->rows[res->n_rows++]);
            for (; iprof < cfg->sim.n_profile_times && cfg->sim.profile_times[iprof] <= t + tiny; iprof++) {
                res->prof_t[res->n_prof] = cfg->sim.profile_times[iprof];
                EXO_TRY(record_profile(&a, res, res->n_prof++));
            }
            ip++;
        }
        /* 2. actions due now */
        while (ia < nacts && acts[ia].t <= t + tiny) {
            const action *ac = &acts[ia++];
            if (ac->kind == ACT_EVENT) {
                EXO_TRY(do_event(&a, ac->ev, t));
                /* new vesicles (uptake saturation) and injury (cell-made
                 * sources): refresh both before the next step, also at
                 * t = 0, where no biology sync precedes the event */
                a.bio_moved = true;
            } else if (ac->kind == ACT_WASH)
                remove_film(&a, 0.0);
            else if (ac->kind == ACT_MASK_OFF) {
                remove_film(&a, ac->ev->mask_residue);
                a.mask_on = false;
            }
            dt = cfg->sim.dt_min;
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
        /* accuracy: the prescribed surface changes (film thickness, open
         * channel area) may change by at most FILM_CHANGE (FILM_CHANGE_CLOSED
         * with no channel open) and CHANNEL_CHANGE per step */
        double hlim = dt;
        bool open = false;
        for (int j = 0; j < EXO_MAX_CHANNELS; j++)
            if (a.sf.ch[j].active) {
                double kc = a.sf.ch[j].route == EXO_ROUTE_LASER ? k_laser : (occl ? k_occl : k_open);
                hlim = fmin(hlim, CHANNEL_CHANGE / kc);
                open = true;
            }
        if (evaporating)
            hlim = fmin(hlim, (open ? FILM_CHANGE : FILM_CHANGE_CLOSED) * exo__surface_film(&a.sf) / evap);
        if (hlim < dt) {
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
        /* 4. surface state at t + h (prescribed functions of time) */
        if (occl != a.coeff_occluded) {
            EXO_TRY(catch_up_all(&a)); /* before their coefficients change */
            for (int k = 0; k < a.ns; k++)
                exo__species_coeffs(cfg, g, &a.meta[k], occl, &a.co[k]);
            memcpy(a.kdeg_I, a.co[a.med[EXO_MED_I]].k_deg, (size_t)g->n * sizeof(double));
            for (int k = 0; k < a.ns; k++)
                if (a.meta[k].vesicle)
                    memset(a.co[k].k_up, 0, (size_t)g->n * sizeof(double));
            memset(a.kappa, 0, (size_t)g->n * EXO_NCELL * sizeof(double));
            a.coeff_occluded = occl;
            a.bio_moved = true;
        }
        if (a.bio_moved) { /* the cells changed: refresh uptake and cell-made sources */
            set_uptake(&a);
            set_mediator_coefficients(&a, 1e-3);
            a.bio_moved = false;
        }
        a.sf.inv_film = 0;
        a.sf.drying = false;
        if (evaporating) {
            double W0 = exo__surface_film(&a.sf);
            if (dries && h == next - t) {
                a.sf.water = a.sf.dry_limit; /* dry at the end of this step: transfer stops after it */
                a.sf.drying = true;
            } else
                a.sf.water = fmax(a.sf.water - evap * h, a.sf.dry_limit);
            double W1 = exo__surface_film(&a.sf);
            /* the film thins linearly: mean of 1/W over the step = ln(W0/W1)/(W0 - W1) */
            a.sf.inv_film = W0 > W1 * (1 + 1e-12) ? log(W0 / W1) / (W0 - W1) : 1.0 / W1;
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
            if (s->applied == 0 && !a.co[k].sourced)
                continue; /* nothing of it yet and none made: zero stays zero */
            EXO_TRY(defer_step(&a, k, h, cfg->sim.dt_max));
        }
        accumulate_uptake(&a, h);
        a.in.occluded = occl;
        /* the cells must be current at actions and records (not at film drying) */
        bool at_break = h == next - t && !(dries && next < T);
        t += h;
        /* the biology follows every biology_interval, and at every breakpoint
         * (actions, records, occlusion changes), where it must be current */
        if (a.acc_time >= BIO_INTERVAL || at_break) {
            EXO_TRY(catch_up_all(&a));
            EXO_TRY(sync_biology(&a, t));
            a.bio_moved = true;
        }
        steps++;
        dt = fmin(dt * cfg->sim.dt_growth, cfg->sim.dt_max);
        /* retire closed channels, keeping their last content in the tissue */
        for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
            exo_channels *ch = &a.sf.ch[j];
            if (ch->active && ch->a < 1e-6 * ch->a0) {
                for (int k = 0; k < a.ns; k++)
                    exo__channels_retire(g, &a.sf, j, &a.sp[k]);
                ch->active = false;
                if (a.tis)
                    exo__tissue_close(a.tis, j);
            }
        }
        EXO_TRY(grow(ctx, (void **)&res->hist, &res->cap_hist, res->n_hist + 1, sizeof(exo_hist)));
        res->hist[res->n_hist++] = (exo_hist){t, total_open(&a.sf, EXO_ROUTE_CHANNEL),
                                              total_open(&a.sf, EXO_ROUTE_LASER)};
        if (progress && (steps & 255) == 0)
            progress(user, (ai + t / T) / cfg->n_arms);
    }
    EXO_TRY(catch_up_all(&a)); /* (the last step ends at a breakpoint: nothing is left) */
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
    if (a.ag) {
        res->tissue.cells = exo__agents_count(a.ag);
        res->tissue.agent_updates = exo__agents_updates(a.ag);
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
    exo__bio_destroy(&a.bio);
    exo__agents_destroy(&a.ag);
    exo_free(ctx, a.fbuf);
    exo__tissue_destroy(&a.tis);
    exo_free(ctx, a.zone);
    exo_free(ctx, a.kappa);
    exo_free(ctx, a.kdeg_I);
    exo_free(ctx, a.upt_k);
    exo_free(ctx, a.pending);
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

int exo_readout_count(void) { return EXO_RD_COUNT; }
const char *exo_readout_name(int k) { return exo__readout_name(k); }
const char *exo_readout_unit(int k) { return exo__readout_unit(k); }

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
