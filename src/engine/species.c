/* species.c - the mobile species of a column run and their transport
 * coefficients: one vesicle population per product and size bin (log-normal
 * distribution split by Gauss-Hermite quadrature in log-diameter, GSL), and
 * the soluble mediators I, R, T, G, M (docs/sources.md M2).
 *
 * Vesicle diffusivity (docs/model.md; docs/sources.md M2 and literature 1.2):
 *   D0 = k_B T / (3 pi eta d)                          Stokes-Einstein
 *   dermis:  D = D0 exp(-sqrt(phi) (1 + r/r_f))        Ogston hindrance
 *   viable epidermis: D = D0 H_epi
 *   intact SC: D = D_sc,100nm exp(-(d - 100 nm)/scale) (1 + g_occ [occluded])
 * Losses: functional decay everywhere; lymphatic clearance in the dermis;
 * mediators also leave through papillary capillaries. */
#include "engine_impl.h"

#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const mediator_names[EXO_MED_COUNT] = {"I", "R", "T", "G", "M"};
const char *exo__mediator_name(int m) { return (m >= 0 && m < EXO_MED_COUNT) ? mediator_names[m] : "?"; }

exo_status exo__species_list(exo_ctx *ctx, const exo_config *cfg, exo_species_meta **out, int *count)
{
    int n = EXO_MED_COUNT;
    for (int p = 0; p < cfg->n_products; p++)
        n += cfg->products[p].size_bins > 0 ? cfg->products[p].size_bins : 1;
    exo_species_meta *m = exo_alloc(ctx, (size_t)n, sizeof *m);
    if (!m)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for %d species", n);
    int k = 0;
    for (int p = 0; p < cfg->n_products; p++) {
        const exo_product_cfg *pr = &cfg->products[p];
        int nb = pr->size_bins > 0 ? pr->size_bins : 1;
        double sigma = log(pr->size_gsd > 1 ? pr->size_gsd : 1.0);
        double median = pr->size_mode * exp(sigma * sigma); /* log-normal: mode = median e^-s^2 */
        gsl_integration_fixed_workspace *gw = NULL;
        if (nb > 1) {
            gw = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, (size_t)nb, 0.0, 0.5, 0.0, 0.0);
            if (!gw) {
                exo_free(ctx, m);
                return exo_ctx_error(ctx, EXO_ENOMEM, "quadrature workspace");
            }
        }
        double wsum = 0;
        for (int b = 0; b < nb; b++) {
            double x = gw ? gsl_integration_fixed_nodes(gw)[b] : 0.0;
            double wt = gw ? gsl_integration_fixed_weights(gw)[b] : 1.0;
            exo_species_meta *s = &m[k + b];
            s->vesicle = true;
            s->product = p;
            s->mediator = -1;
            s->diameter = median * exp(sigma * x);
            s->weight = wt;
            wsum += wt;
            snprintf(s->name, sizeof s->name, "%.40s/%.0fnm", pr->name, s->diameter * 1e3);
        }
        for (int b = 0; b < nb; b++)
            m[k + b].weight /= wsum;
        if (gw)
            gsl_integration_fixed_free(gw);
        k += nb;
    }
    for (int q = 0; q < EXO_MED_COUNT; q++, k++) {
        m[k].vesicle = false;
        m[k].product = -1;
        m[k].mediator = q;
        m[k].diameter = cfg->params.v[EXO_P_MEDIATOR_DIAMETER];
        m[k].weight = 1.0;
        snprintf(m[k].name, sizeof m[k].name, "%s", mediator_names[q]);
    }
    *out = m;
    *count = n;
    return EXO_OK;
}

static double half_life_rate(double t_half) { return log(2.0) / t_half; }

double exo__sc_diffusivity(const exo_paramset *p, double d, bool occluded)
{
    return p->v[EXO_P_D_SC_VESICLE] * exp(-(d - 0.1 * EXO_UM) / p->v[EXO_P_SC_SIZE_SCALE]) *
           (1.0 + (occluded ? p->v[EXO_P_SC_OCCLUSION_GAIN] : 0.0));
}

void exo__species_coeffs(const exo_config *cfg, const exo_grid *g, const exo_species_meta *sp,
                         bool occluded, exo_coeffs *c)
{
    const exo_paramset *p = &cfg->params;
    const double Dsc = exo__sc_diffusivity(p, sp->diameter, occluded);
    double Dl[EXO_LAYER_COUNT], kdeg, kclr[EXO_LAYER_COUNT] = {0};
    if (sp->vesicle) {
        double D0 = exo__stokes_einstein(p, sp->diameter);
        double rr = 0.5 * sp->diameter / p->v[EXO_P_FIBRE_RADIUS];
        Dl[EXO_LAYER_SC] = Dsc;
        Dl[EXO_LAYER_VE] = D0 * p->v[EXO_P_H_EPI];
        Dl[EXO_LAYER_PAP] = D0 * exp(-sqrt(p->v[EXO_P_PHI_COL_PAP]) * (1.0 + rr));
        Dl[EXO_LAYER_RET] = D0 * exp(-sqrt(p->v[EXO_P_PHI_COL_RET]) * (1.0 + rr));
        kdeg = half_life_rate(p->v[EXO_P_TISSUE_DECAY_HALF_LIFE]);
        c->k_film = half_life_rate(p->v[EXO_P_FILM_DECAY_HALF_LIFE]);
        c->k_chan = kdeg;
    } else {
        static const exo_param_id hl[EXO_MED_COUNT] = {EXO_P_I_HALF_LIFE, EXO_P_R_HALF_LIFE,
                                                       EXO_P_T_HALF_LIFE, EXO_P_G_HALF_LIFE,
                                                       EXO_P_M_HALF_LIFE};
        double Dm = sp->mediator == EXO_MED_M ? p->v[EXO_P_D_MMP] : p->v[EXO_P_D_CYTOKINE];
        Dl[EXO_LAYER_SC] = Dsc;
        Dl[EXO_LAYER_VE] = Dl[EXO_LAYER_PAP] = Dl[EXO_LAYER_RET] = Dm;
        kdeg = half_life_rate(p->v[hl[sp->mediator]]);
        kclr[EXO_LAYER_PAP] = half_life_rate(p->v[EXO_P_CAP_CLEAR_HALF_LIFE]);
        c->k_film = kdeg;
        c->k_chan = kdeg;
    }
    double klym = half_life_rate(p->v[EXO_P_LYMPH_CLEAR_HALF_LIFE]);
    kclr[EXO_LAYER_PAP] += klym;
    kclr[EXO_LAYER_RET] += klym;
    for (int i = 0; i < g->n; i++) {
        int L = g->layer[i];
        c->D[i] = Dl[L];
        c->k_deg[i] = kdeg;
        c->k_clr[i] = kclr[L];
    }
    c->bottom_sink = cfg->sim.bottom_sink;
    c->version++;
}
