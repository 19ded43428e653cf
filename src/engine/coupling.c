/* coupling.c - the coupling of transport and biology in one arm: uptake rate
 * constants and cell-made mediator sources from the current cells, the uptake
 * accumulated between biology syncs, the syncs themselves, and the deferral
 * of mediator transport steps on closed skin.  Called from the time loop
 * (engine.c). */
#include "arm.h"

#include <math.h>
#include <string.h>

#define MED_FLOOR 0.1 /* [1] changes of a mediator below this share of its largest level so far do not limit the step */
#define STEADY_DT 1e7 /* [h] a backward-Euler step this long is a steady-state solve */

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
void exo__engine_set_mediators(arm_sim *a, double tol)
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
void exo__engine_set_uptake(arm_sim *a)
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
void exo__engine_accumulate_uptake(arm_sim *a, double h)
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
    /* the free-vesicle load the macrophages meet (innate recognition) */
    memset(a->in.vload, 0, sizeof a->in.vload);
    for (int k = 0; k < a->ns; k++) {
        if (!a->meta[k].vesicle || a->sp[k].applied == 0)
            continue;
        double m[EXO_NZ];
        zone_means(a, a->sp[k].E, m);
        for (int z = 0; z < EXO_NZ; z++)
            a->in.vload[z] += m[z];
    }
}

/* Brings the cells and matrix up to time t (the transport's time). */
exo_status exo__engine_sync_biology(arm_sim *a, double t)
{
    if (a->acc_time <= 0)
        return EXO_OK;
    double t0 = t - a->acc_time, old[EXO_NZ][EXO_MED_COUNT], change = 0;
    memcpy(old, a->in.med, sizeof old);
    collect_inputs(a);
    /* how fast the mediators the cells read move: the time loop limits the
     * step so that they change by at most a few per cent per sync */
    for (int q = 0; q < EXO_MED_COUNT; q++) {
        double top = a->med_scale[q];
        for (int z = 0; z < EXO_NZ; z++)
            top = fmax(top, fabs(a->in.med[z][q]));
        a->med_scale[q] = top;
        for (int z = 0; z < EXO_NZ; z++) {
            double x = a->in.med[z][q], x0 = old[z][q];
            double ref = fmax(fmax(fabs(x), fabs(x0)), MED_FLOOR * top);
            if (ref > 0)
                change = fmax(change, fabs(x - x0) / ref);
        }
    }
    exo_status st = exo__bio_advance(a->bio, t, &a->in);
    a->med_rate = change / (t - t0);
    if (st == EXO_OK && a->ag) /* the agents follow, in their voxels */
        st = exo__agents_update(a->ag, a->tis, a->bio, a->meta, a->kappa, a->med, t - t0);
    if (st == EXO_OK)
        a->immune_exposure += (t - t0) / EXO_DAY * exo__bio_immune_activation(a->bio);
    return st;
}

/* Untreated steady state: the mediators at steady state for the cell
 * sources, the cells and matrix settled for those mediators, a few rounds;
 * then the mediator fields become the initial content of their species. */
exo_status exo__engine_biology_init(arm_sim *a)
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
        exo__engine_set_mediators(a, 0.0);
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
    exo__engine_set_mediators(a, 0.0);
    exo__engine_set_uptake(a);
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

exo_status exo__engine_catch_up_all(arm_sim *a)
{
    for (int k = 0; k < a->ns; k++) {
        exo_status st = catch_up(a, k);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

/* One transport step of length h for species k, or its deferral. */
exo_status exo__engine_defer_step(arm_sim *a, int k, double h, double dt_max)
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
