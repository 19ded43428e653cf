/* act.c - what the events of a protocol do to an arm (the act phase of
 * engine.c): each event's route plan (protocol/registry.c) executed as
 * primitive actions on the surface film, the open channels, the transport
 * species, the tissue block and the biology; the film's SPF and tint worn
 * until its wash; the wash itself. */
#include "arm.h"

#include "biology/biology.h"
#include "tissue/tissue.h"
#include "protocol/protocol.h"

#include <math.h>
#include <string.h>

/* A film that no wash ends (a mask's residue, the film after a procedure)
 * keeps its SPF and tint for film_wear_time, until the evening wash. */


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

/* A film of product p applied at t that carries a UV filter or a tint: worn
 * for `wear` [h] unless washed off sooner; over a film still worn the
 * higher SPF and tint hold. */
static void wear_film(arm_sim *a, int p, double t, double wear)
{
    const exo_product_cfg *pr = &a->cfg->products[p];
    if (!(pr->spf > 1) && !(pr->tint > 0))
        return; /* nothing optical: a plain film leaves the run as it was */
    bool worn = film_worn(a, t);
    a->film_spf = fmax(worn ? a->film_spf : 1.0, pr->spf);
    a->film_tint = fmax(worn ? a->film_tint : 0.0, pr->tint);
    a->film_worn_until = fmax(worn ? a->film_worn_until : t, t + wear);
}

/* Executes one primitive action of an event at time t: the one place that
 * turns routes (src/protocol) into changes of the film, channels, tissue;
 * a film is worn for `wear` [h]. */
static exo_status execute(arm_sim *a, const exo__prim *x, double t, double wear)
{
    switch (x->kind) {
    case EXO__PRIM_FILM:
        apply_film(a, x->product, x->amount);
        wear_film(a, x->product, t, wear);
        break;
    case EXO__PRIM_MASK_ON:
        a->mask_on = true;
        break;
    case EXO__PRIM_CHANNELS:
        open_channels(a, x->zones ? EXO_ROUTE_LASER : EXO_ROUTE_CHANNEL, x->fraction, x->diameter, x->depth);
        break;
    case EXO__PRIM_INJURE:
        exo__bio_injure(a->bio, x->severity, x->depth, x->fraction);
        break;
    case EXO__PRIM_ABLATE:
        exo__bio_ablate(a->bio, x->fraction, x->depth);
        break;
    case EXO__PRIM_BOLUS:
        exo__bio_wheal(a->bio, x->volume * x->points, x->depth);
        return deposit_bolus(a, x);
    case EXO__PRIM_OCCLUDE:
        a->occl_until = fmax(a->occl_until, t + x->duration);
        break;
    case EXO__PRIM_COAGULATE:
        exo__bio_coagulate(a->bio, x->fraction, x->depth);
        break;
    case EXO__PRIM_UV:
        exo__bio_uv(a->bio, x->dose, x->energy, film_worn(a, t) ? exo__bio_spf_in_use(a->film_spf, a->cfg->params.v[EXO_P_SPF_IN_USE_SHARE]) : 1.0);
        break;
    case EXO__PRIM_STRIP:
        exo__bio_tape_strip(a->bio, x->fraction);
        break;
    }
    return EXO_OK;
}

/* One event: its route's primitive actions, in order. */
exo_status exo__engine_do_event(arm_sim *a, const exo_event_cfg *ev, double t)
{
    exo__prim prims[EXO__PRIM_MAX];
    int n = exo__route_plan(ev, a->cfg, prims);
    /* the film is worn until its wash-off (the leave-on time), else a day */
    const exo__route *r = exo__route_get((int)ev->kind);
    double wear = r && r->session == EXO__SESSION_CONTACT && ev->contact > 0 ? ev->contact : a->cfg->params.v[EXO_P_FILM_WEAR];
    for (int i = 0; i < n; i++) {
        exo_status st = execute(a, &prims[i], t, wear);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

void exo__engine_remove_film(arm_sim *a, double keep)
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
    if (!(keep > 0))
        a->film_worn_until = 0; /* washed off: its SPF and tint with it */
}

