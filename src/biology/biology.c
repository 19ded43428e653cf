/* biology.c - cells, cargo, matrix, injury, inflammation sources, barrier,
 * water, pigment and scars of column mode, integrated with SUNDIALS CVODE.
 *
 * Per zone z (docs/biology.md; docs/sources.md M3-M6):
 *   dQ_cq/dt = u_cq - k_q Q_cq                          cargo pools per cell type
 *   da/dt    = k_a [w_G h(Q_F,GF) + w_T h(T) + w_J h(J;1/2) + w_P h(G)] (1-a)(1-s) - k_d a
 *   ds/dt    = k_sen (1 - s) - (k_sc + k_res h(Q_F,GF + Q_F,PM)) s
 *   dRF/dt   = r_F a (2 - RF) - d_F (RF - 1)     (density at most doubles)
 *   dRM/dt   = r_rec h(I; K_rec) - d_M (RM - 1)
 *   dphi2/dt = k_phi ((phi_b + (1-phi_b) h(R + h(Q_M,AI); K_2))/(1 + I) - phi2)
 *   s_C      = RF (1-s)/(1-s_y) k_C f_age (1 + g_a a + g_PM h(Q_F,PM))
 *   dCN/dt   = s_C - (k_dep + k_dn m) CN                      new collagen (days)
 *   dCR/dt   = k_dep CN + k_fw a DW + k_fs a SD - (k_x + k_rd m) CR   remodelling (months)
 *   dCM/dt   = k_x CR - k_dm m CM                              mature (cross-linked, years)
 *   dDW/dt   = -k_fw a DW,   dSD/dt = -k_fs a SD     (ablated void, atrophic scar)
 *              m = 1 + eps (M/M_ref - 1)   (MMP reaching the matrix)
 *   dL/dt    = k_L (RF (1-s)/(1-s_y) f_age - m L)   (elastin, half-life ~70 y)
 *   dJ/dt    = -k_heal J
 *   dMel/dt  = k_turn [p_mel (1 + g_PIH h(I; 1/2)) (1 - g_AM h(Q_Mel,AM)) - Mel]
 *   dVs/dt   = k_v (V_b (1 + g_VI (I - I_rest)) + g_VU U - Vs) - k_prune (RF - 1)+ Vs   superficial vessels (months)
 * Surface: dB/dt = k_B (B* - B) + k_LB h(Q_K,LB) (1 - B); dW/dt = k_W (W_eq - W).
 * More is not better (docs/biology.md): k_dep is k_dep0 (1 + g_dep (a + g_F
 * (RF - 1))) / (1 + b_I h2(I; I_b)) (the wound's extra fibroblasts keep
 * depositing through the remodelling phase; inflammation delays deposition); macrophages make I
 * at P_inn RM h2(V; K_inn) for a free-vesicle load V (innate recognition);
 * non-macrophage uptake stops near cell_uptake_capacity; a session on a zone
 * with activation a destroys min(1, d a^2) of the CN and CR of the area it
 * treats (laser columns, needle channels: events.c) and injures (1 + g_r a)x.
 * h(x; K) = x/(x + K); h(Q) uses K_Q (cargo per cell, ~1e3 vesicles).  k_dep,
 * k_dn, k_x, k_rd and k_dm are derived so that young untreated skin (25 y)
 * has total collagen 1, a fractional synthesis rate FSR_young (Babraj 2005),
 * new collagen turning over in NEW_TURNOVER of which COLLAGEN_DEPOSITED is
 * laid down, deposited collagen living REMODEL_LIFETIME and mature collagen a
 * half-life MATURE_HALF_LIFE.  phi_b > 0 (resident M2 share) makes the
 * untreated state the one stable steady state. */
#include "bio_impl.h"

#include <cvode/cvode.h>
#include <cvode/cvode_diag.h>
#include <math.h>
#include <stdio.h>
#include <string.h>


static double hs(double x, double K) { return x > 0 ? x / (x + K) : 0.0; }
static double hs2(double x, double K) { return x * x / (x * x + K * K); } /* Hill 2, x >= 0 */
static double clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }
static double age_frac(double age) { return clamp01((age - 25.0) / 55.0); } /* 25 -> 80 y */

static double f_age(const exo_config *cfg, double age) { return 1.0 - (1.0 - P(PROCOL_OLD)) * age_frac(age); }
static double f_mmp(const exo_config *cfg, double age) { return 1.0 + (P(MMP_OLD) - 1.0) * age_frac(age); }
static double sen_target(const exo_config *cfg, const exo_skin_cfg *skin, double age)
{
    double s = P(SEN_YOUNG) + (P(SEN_OLD) - P(SEN_YOUNG)) * age_frac(age);
    if (skin->condition == EXO_COND_PHOTOAGED)
        s += P(SEN_PHOTO);
    return fmin(s, 0.9);
}


/* Elastotic fraction of the dermis before treatment: young 0.05, rising with
 * age, plus photo-damage. */
static double leb_target(const exo_bio *b, double age)
{
    const exo_config *cfg = b->cfg;
    return 0.05 + 0.1 * age_frac(age) + (b->skin->condition == EXO_COND_PHOTOAGED ? P(LEB_PHOTO) - 0.05 : 0.0);
}

static double hq(const exo_config *cfg, const double *x, int c, int q)
{
    return hs(x[EXO_V_Q + c * EXO_CARGO_COUNT + q], P(K_Q));
}

double exo__bio_fibroblast_C(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double a, double s, double age,
                             double dens)
{
    const exo_config *cfg = b->cfg;
    return dens * (1 - s) / (1 - b->s_young) * P(FSR_YOUNG) * f_age(cfg, age) *
           (1 + P(ACT_GAIN) * a + P(PM_GAIN) * hs(QF[EXO_CARGO_PM], P(K_Q)));
}

/* Synthesis of collagen in a zone [1/h of young total]. */
static double synthesis(const exo_bio *b, const double *x, double age)
{
    /* the UV response lowers procollagen within a day (Fisher 2000) */
    return exo__bio_fibroblast_C(b, x + EXO_V_Q + EXO_CELL_F * EXO_CARGO_COUNT, x[EXO_V_A], x[EXO_V_S], age,
                                 x[EXO_V_RF]) *
           (1 - b->cfg->params.v[EXO_P_G_UV_COL] * hs(x[EXO_V_UVE], 1.0));
}

/* Deposition of new collagen into fibrils [1/h]: activated fibroblasts
 * deposit more of what they make (hsp47, the collagen chaperone, is raised
 * from day 7 to 3 months after laser: Hantash 2007). */
static double deposition(const exo_bio *b, double a, double RF, double I)
{
    const exo_config *cfg = b->cfg;
    /* the extra fibroblasts a wound recruits (RF > 1, relaxing over months)
     * keep depositing through the remodelling phase, after activation has
     * passed; inflammation delays it: fibroblasts lay down little matrix
     * until the inflammatory phase resolves (Hill 2: an ordinary wound is
     * barely slowed) */
    double drive = a + P(DEPOSIT_DENSITY) * fmax(RF - 1.0, 0.0);
    return b->k_dep * (1 + P(DEPOSIT_GAIN) * drive) / (1 + P(INFL_BLOCK) * hs2(I, P(INFL_BLOCK_LEVEL)));
}

/* Organised (cross-linked or cross-linking) collagen of a zone [1]: what
 * firms the papillary dermis (wrinkles), echoes (ultrasound density) and
 * stains as fibres (histology); new, unfolded collagen does not count and
 * deposited fibrils not yet cross-linked (thinner, type III-rich) count
 * remodelling_collagen_organised_weight: below 1, so that their maturation
 * over months still firms the skin, near 1, so that ablated columns refilled
 * by new matrix do not read as worse skin than the columns they replaced. */
static double organised(const exo_bio *b, const double *x)
{
    return x[EXO_V_CM] + b->cfg->params.v[EXO_P_REMODEL_ORGANISED] * x[EXO_V_CR];
}

static double mmp_matrix(const exo_bio *b, int z, const exo_bio_inputs *in)
{
    double m = in->med[z][4] / (b->mref[z] > 0 ? b->mref[z] : 1.0);
    return 1.0 + b->cfg->params.v[EXO_P_MATURE_MMP_SENS] * (m - 1.0);
}

/* ---- per-cell processes: one code for the zone populations of column mode
 * and the cell agents of tissue mode (src/tissue/agents.c) ---- */

void exo__bio_cargo_rates(const exo_config *cfg, const double uptake[EXO_CARGO_COUNT], const double Q[EXO_CARGO_COUNT],
                          double dQ[EXO_CARGO_COUNT])
{
    const double kq = log(2.0) / P(CARGO_HALF_LIFE);
    for (int q = 0; q < EXO_CARGO_COUNT; q++)
        dQ[q] = uptake[q] - kq * Q[q];
}

void exo__bio_fibroblast_rates(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double a, double s, double J,
                               double T, double G, double *da, double *ds)
{
    const exo_config *cfg = b->cfg;
    double stim = P(W_GF) * hs(QF[EXO_CARGO_GF], P(K_Q)) + P(W_T) * hs(T, 1.0) + P(W_J) * hs(J, 0.5) +
                  P(W_P) * hs(G, 1.0);
    *da = P(K_ACT) * stim * (1 - a) * (1 - s) - P(K_DEACT) * a;
    double rescue = P(K_RES) * hs(QF[EXO_CARGO_GF] + QF[EXO_CARGO_PM], P(K_Q));
    *ds = b->k_sen * (1 - s) - (b->k_sc + rescue) * s;
}

double exo__bio_polarisation_rate(const exo_config *cfg, const double QM[EXO_CARGO_COUNT], double phi2, double I,
                                  double R)
{
    const double pb = P(M2_BASAL);
    double phi_star = (pb + (1 - pb) * hs(R + hs(QM[EXO_CARGO_AI], P(K_Q)), P(K_2))) / (1 + I);
    return (1.0 / EXO_DAY) * (phi_star - phi2);
}

double exo__bio_recruitment(const exo_config *cfg, double I) { return P(R_REC) * hs(I, P(K_REC)); }

double exo__bio_macrophage_I(const exo_config *cfg, const double QM[EXO_CARGO_COUNT], double phi2, double dens)
{
    return P(P_M1) * dens * (1 - phi2) + P(P_IMM) * dens * hs(QM[EXO_CARGO_IM], P(K_IM));
}

double exo__bio_fibroblast_M(const exo_bio *b, const double QF[EXO_CARGO_COUNT], double s, double I, double age,
                             double dens)
{
    const exo_config *cfg = b->cfg;
    return log(2.0) / P(M_HALF_LIFE) * dens * (1 - s) / (1 - b->s_young) * f_mmp(cfg, age) *
           (1 + P(G_MI) * hs(I, 1.0)) * (1 - P(G_MP) * hs(QF[EXO_CARGO_PM], P(K_Q)));
}

static void zone_rhs(const exo_bio *b, int z, double age, const double *x, double *dx, const exo_bio_inputs *in)
{
    const exo_config *cfg = b->cfg;
    const double I = in->med[z][0], R = in->med[z][1], T = in->med[z][2], G = in->med[z][3];
    for (int c = 0; c < EXO_NCELL; c++)
        exo__bio_cargo_rates(cfg, in->uptake[z][c], x + EXO_V_Q + c * EXO_CARGO_COUNT,
                             dx + EXO_V_Q + c * EXO_CARGO_COUNT);
    for (int v = EXO_V_A; v < EXO_NV; v++)
        dx[v] = 0.0;
    const double heal = log(2.0) / P(INJURY_HALF_LIFE) * (1.0 - 0.3 * age_frac(age)) *
                        (1.0 + 0.5 * hs(G, 1.0) + 0.5 * hq(cfg, x, dermal(z) ? EXO_CELL_F : EXO_CELL_K, EXO_CARGO_GF));
    dx[EXO_V_J] = -heal * x[EXO_V_J];
    /* UV: the signal of an exposure drives the response (hours -> days) */
    const double k_uvs = log(2.0) / P(UV_SIGNAL_HALF_LIFE), k_uve = log(2.0) / P(UV_RESPONSE_HALF_LIFE);
    dx[EXO_V_UVS] = -k_uvs * x[EXO_V_UVS];
    if (b->skin->ambient_uv > 0) /* daily ambient sun, as a mean rate, through the film worn (observe.c) */
        dx[EXO_V_UVS] += exo__bio_uv_through_film(b->skin->ambient_uv, in->film_uv_protection) * exo__bio_uv_reach(z);
    dx[EXO_V_UVE] = k_uvs * x[EXO_V_UVS] - k_uve * x[EXO_V_UVE];
    dx[EXO_V_FL] = -log(2.0) / P(FLARE_HALF_LIFE) * x[EXO_V_FL];
    if (!dermal(z)) {
        double k_turn = 1.0 / P(TURNOVER);
        /* post-inflammatory pigmentation grows with phototype; the UV response tans */
        dx[EXO_V_MEL] = k_turn * (b->p_mel *
                                      (1 + P(G_PIH) * exo__bio_pih_factor(b->skin->phototype) * hs(I, 0.5) +
                                       P(G_TAN) * x[EXO_V_UVE]) *
                                      (1 - P(G_AM) * hq(cfg, x, EXO_CELL_MEL, EXO_CARGO_AM)) -
                                  x[EXO_V_MEL]);
        return;
    }
    const double a = x[EXO_V_A], s = x[EXO_V_S];
    exo__bio_fibroblast_rates(b, x + EXO_V_Q + EXO_CELL_F * EXO_CARGO_COUNT, a, s, x[EXO_V_J], T, G,
                              &dx[EXO_V_A], &dx[EXO_V_S]);
    dx[EXO_V_RF] = P(FIB_PROLIF) * a * (2 - x[EXO_V_RF]) - P(FIB_RELAX) * (x[EXO_V_RF] - 1); /* at most doubles */
    dx[EXO_V_RM] = exo__bio_recruitment(cfg, I) - P(D_MAC) * (x[EXO_V_RM] - 1);
    dx[EXO_V_PHI2] = exo__bio_polarisation_rate(cfg, x + EXO_V_Q + EXO_CELL_M * EXO_CARGO_COUNT, x[EXO_V_PHI2], I, R);
    double m = mmp_matrix(b, z, in), sC = synthesis(b, x, age);
    /* new collagen is deposited as fibrils (remodelling pool) or degraded
     * within days; activated fibroblasts also refill ablated matrix and
     * atrophic scars with remodelling collagen, which is cross-linked into
     * the mature pool or degraded over months */
    const double fill_w = P(WOUND_FILL) * a * x[EXO_V_DW], fill_s = P(K_FILL) * a * x[EXO_V_SD];
    const double kdep = deposition(b, a, x[EXO_V_RF], I);
    dx[EXO_V_CN] = sC - (kdep + b->k_dn * m) * x[EXO_V_CN];
    dx[EXO_V_CR] = kdep * x[EXO_V_CN] + fill_w + fill_s - (b->k_x + b->k_rd * m) * x[EXO_V_CR];
    dx[EXO_V_CM] = b->k_x * x[EXO_V_CR] - b->k_dm * m * x[EXO_V_CM];
    dx[EXO_V_DW] = -fill_w;
    /* the open (ablated) share of the void regresses as the void is refilled */
    dx[EXO_V_VW] = -P(WOUND_FILL) * a * x[EXO_V_VW];
    dx[EXO_V_SD] = -fill_s;
    dx[EXO_V_EL] = b->k_el * (x[EXO_V_RF] * (1 - s) / (1 - b->s_young) * f_age(cfg, age) - m * x[EXO_V_EL]);
    /* the elastotic band is remodelled by activated fibroblasts and returns
     * slowly (1 year) towards its age and photo-damage level */
    dx[EXO_V_LEB] = -P(LEB_REMODEL) * a * x[EXO_V_LEB] + (leb_target(b, age) - x[EXO_V_LEB]) / EXO_YEAR;
    /* the superficial vessels return over months to the baseline of the
     * skin's condition, raised by inflammation above its resting level
     * (angiogenic; anti-inflammatory cargo lowers it) and by the UV response;
     * the extra fibroblasts of the remodelling phase (RF > 1, after the
     * proliferative phase, for months) prune them (thrombospondin-2, the
     * maturing matrix), so that they fall below baseline for months after a
     * wound (docs/biology.md, "Superficial vessels") */
    double v_target = b->v_base * (1 + P(VESSEL_INFLAMMATION) * (I - b->i_rest[z])) + P(VESSEL_UV) * x[EXO_V_UVE];
    dx[EXO_V_VS] = log(2.0) / P(VESSEL_HALF_LIFE) * (fmax(v_target, 0.0) - x[EXO_V_VS]) -
                   P(VESSEL_PRUNING) * fmax(x[EXO_V_RF] - 1.0, 0.0) * x[EXO_V_VS];
}

static void surface_rhs(const exo_bio *b, const double *x, const double *zve, double *dx, const exo_bio_inputs *in)
{
    const exo_config *cfg = b->cfg;
    double kB = log(2.0) / P(BARRIER_HALF_LIFE);
    double lb = P(LB_GAIN) * hq(cfg, zve, EXO_CELL_K, EXO_CARGO_LB);
    dx[EXO_V_BARRIER] = kB * (b->B_star - x[EXO_V_BARRIER]) + lb * (1 - x[EXO_V_BARRIER]);
    double weq = x[EXO_V_BARRIER] * (0.7 + 0.6 * b->skin->ambient_rh) * b->water_hold *
                 (1 + (in->occluded ? P(OCCLUSION_WATER) : 0) +
                  exo__bio_film_hydration(in->film_water, in->film_solids, P(FILM_HYDRATION)));
    dx[EXO_V_WATER] = log(2.0) / P(WATER_HALF_LIFE) * (weq - x[EXO_V_WATER]);
}

/* The CVODE vector holds the state without the cargo pools. */
static void pack(const double *full, double *c)
{
    for (int z = 0; z < EXO_NZ; z++)
        memcpy(c + z * NR, full + z * EXO_NV + NQ, NR * sizeof *c);
    memcpy(c + EXO_NZ * NR, full + EXO_NZ * EXO_NV, EXO_NSURF * sizeof *c);
}

static void unpack(const double *c, double *full)
{
    for (int z = 0; z < EXO_NZ; z++)
        memcpy(full + z * EXO_NV + NQ, c + z * NR, NR * sizeof *c);
    memcpy(full + EXO_NZ * EXO_NV, c + EXO_NZ * NR, EXO_NSURF * sizeof *c);
}

/* The cargo pools at time t of the interval that started at tq0 with the
 * pools q0 and the uptake b->in: Q = u/k + (Q0 - u/k) exp(-k (t - tq0)). */
static void cargo_at(const exo_bio *b, double t, double *full)
{
    const exo_config *cfg = b->cfg;
    const double kq = log(2.0) / P(CARGO_HALF_LIFE), e = exp(-kq * (t - b->tq0));
    for (int z = 0; z < EXO_NZ; z++)
        for (int c = 0; c < EXO_NCELL; c++)
            for (int q = 0; q < EXO_CARGO_COUNT; q++) {
                int v = c * EXO_CARGO_COUNT + q;
                double eq = b->in.uptake[z][c][q] / kq;
                full[z * EXO_NV + EXO_V_Q + v] = eq + (b->q0[z][v] - eq) * e;
            }
}

/* CVODE's error handler: keeps the message for the status (warnings are
 * dropped); the library never prints. */
static void cv_error(int code, const char *module, const char *function, char *msg, void *user)
{
    exo_bio *b = user;
    (void)module;
    if (code < 0)
        snprintf(b->cv_msg, sizeof b->cv_msg, "%s: %s", function, msg);
}

void exo__bio_rates(const exo_bio *b, const double *x, const exo_bio_inputs *in, double *dx)
{
    double age = b->age0 + b->t / EXO_YEAR;
    for (int z = 0; z < EXO_NZ; z++)
        zone_rhs(b, z, age, x + z * EXO_NV, dx + z * EXO_NV, in);
    surface_rhs(b, x + EXO_NZ * EXO_NV, x + EXO_ZONE_VE * EXO_NV, dx + EXO_NZ * EXO_NV, in);
}

const double *exo__bio_state(const exo_bio *b) { return b->y; }

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *user)
{
    exo_bio *b = user;
    double *x = b->x, *dx = b->dx;
    cargo_at(b, t, x);
    unpack(N_VGetArrayPointer(y), x);
    double age = b->age0 + t / EXO_YEAR;
    for (int z = 0; z < EXO_NZ; z++)
        zone_rhs(b, z, age, x + z * EXO_NV, dx + z * EXO_NV, &b->in);
    surface_rhs(b, x + EXO_NZ * EXO_NV, x + EXO_ZONE_VE * EXO_NV, dx + EXO_NZ * EXO_NV, &b->in);
    pack(dx, N_VGetArrayPointer(ydot));
    return 0;
}

/* Collagen of an untreated person at `age`: integrated from 20 y (young
 * equilibrium) with the synthesis and MMP of each age, new collagen at its
 * quasi-equilibrium (it turns over in days). */
static void collagen_history(const exo_bio *b, double age, double mnow, double *cn, double *cm)
{
    const exo_config *cfg = b->cfg;
    /* the history's MMP ratio, scaled to meet the simulation's at `age` */
    double s_now = sen_target(cfg, b->skin, age);
    double hist_now = 1.0 + P(MATURE_MMP_SENS) * (f_mmp(cfg, age) * (1 - s_now) / (1 - b->s_young) - 1.0);
    double scale = mnow / hist_now;
    double CN = P(FSR_YOUNG) / (b->k_dep + b->k_dn), CR = b->k_dep * CN / (b->k_x + b->k_rd), CM = 1.0 - CN - CR;
    for (double a = 20.0; a < age; a += 0.25) {
        double step = fmin(0.25, age - a) * EXO_YEAR;
        double mid = a + 0.5 * step / EXO_YEAR;
        double s = sen_target(cfg, b->skin, mid);
        double m = 1.0 + P(MATURE_MMP_SENS) * (f_mmp(cfg, mid) * (1 - s) / (1 - b->s_young) - 1.0);
        m *= 1.0 + (scale - 1.0) * age_frac(mid) / fmax(age_frac(age), 1e-9); /* young: 1; now: the simulation's */
        double sC = (1 - s) / (1 - b->s_young) * P(FSR_YOUNG) * f_age(cfg, mid);
        CN = sC / (b->k_dep + b->k_dn * m);
        CR = b->k_dep * CN / (b->k_x + b->k_rd * m); /* quasi-equilibrium: months against years */
        double kd = b->k_dm * m, eq = b->k_x * CR / kd;
        CM = eq + (CM - eq) * exp(-kd * step); /* exact for constant rates */
    }
    *cn = (1 - s_now) / (1 - b->s_young) * P(FSR_YOUNG) * f_age(cfg, age) / (b->k_dep + b->k_dn * mnow);
    *cm = CM;
}

exo_status exo__bio_create(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, const exo_grid *g,
                           exo_bio **out)
{
    exo_bio *b = exo_alloc(ctx, 1, sizeof *b);
    if (!b)
        return exo_ctx_error(ctx, EXO_ENOMEM, "biology: out of memory");
    b->ctx = ctx;
    b->cfg = cfg;
    b->skin = skin;
    b->age0 = skin->age;
    /* zones: the viable epidermis, two halves of the papillary and of the
     * reticular dermis (split at the transport face nearest the middle) */
    int ve0 = g->first[EXO_LAYER_VE], pap0 = g->first[EXO_LAYER_PAP], ret0 = g->first[EXO_LAYER_RET], n = g->n;
    int cut[EXO_NZ + 1] = {ve0, pap0, 0, ret0, 0, n};
    double zmid_p = 0.5 * (g->top[EXO_LAYER_PAP] + g->top[EXO_LAYER_RET]);
    double zmid_r = 0.5 * (g->top[EXO_LAYER_RET] + g->top[EXO_LAYER_COUNT]);
    cut[2] = pap0 + 1;
    for (int i = pap0 + 1; i < ret0; i++)
        if (g->zf[i] <= zmid_p)
            cut[2] = i;
    cut[4] = ret0 + 1;
    for (int i = ret0 + 1; i < n; i++)
        if (g->zf[i] <= zmid_r)
            cut[4] = i;
    for (int z = 0; z < EXO_NZ; z++) {
        b->i0[z] = cut[z];
        b->i1[z] = cut[z + 1];
        b->thick[z] = g->zf[cut[z + 1]] - g->zf[cut[z]];
        if (!(b->thick[z] > 0) || b->i1[z] <= b->i0[z]) {
            exo_free(ctx, b);
            return exo_ctx_error(ctx, EXO_EINVAL, "biology: layer too thin for its zones (refine the grid)");
        }
        b->rho[z][EXO_CELL_K] = dermal(z) ? 0 : P(RHO_K);
        b->rho[z][EXO_CELL_MEL] = dermal(z) ? 0 : P(RHO_MEL) / b->thick[z];
        b->rho[z][EXO_CELL_F] = dermal(z) ? P(RHO_F) : 0;
        b->rho[z][EXO_CELL_M] = dermal(z) ? P(RHO_M) : 0;
        b->mref[z] = 1.0;
    }
    b->h_dermis = g->top[EXO_LAYER_COUNT] - g->top[EXO_LAYER_PAP];
    /* derived rate constants (young reference, see the file header) */
    b->s_young = P(SEN_YOUNG);
    b->k_sc = log(2.0) / P(SEN_TURNOVER);
    double s_now = sen_target(cfg, b->skin, b->age0);
    b->k_sen = b->k_sc * s_now / (1 - s_now);
    double k_new = 1.0 / P(NEW_TURNOVER), k_r = 1.0 / P(REMODEL_LIFETIME);
    double cn_y = P(FSR_YOUNG) / k_new, cr_y = P(COLLAGEN_DEPOSITED) * P(FSR_YOUNG) / k_r;
    b->k_dm = log(2.0) / P(MATURE_HALF_LIFE);
    b->k_dep = P(COLLAGEN_DEPOSITED) * k_new;
    b->k_dn = k_new - b->k_dep;
    /* cross-linking keeps the mature pool of young skin at 1 - CN - CR */
    b->k_x = fmin(b->k_dm * (1 - cn_y - cr_y) / cr_y, k_r);
    b->k_rd = k_r - b->k_x;
    b->k_el = log(2.0) / (70.0 * EXO_YEAR);
    switch (b->skin->condition) {
    case EXO_COND_DRY: b->B_star = 0.8; break;
    case EXO_COND_SENSITIVE: b->B_star = 0.85; break;
    case EXO_COND_ATOPIC: b->B_star = P(ATOPIC_BARRIER); break;
    case EXO_COND_ROSACEA: b->B_star = P(ROSACEA_BARRIER); break;
    default: b->B_star = 1.0; break;
    }
    b->water_hold = b->skin->condition == EXO_COND_ATOPIC ? P(ATOPIC_WATER) : 1.0;
    /* the superficial vessels of the condition: rosacea's, photo-aged skin's
     * telangiectasia */
    b->v_base = b->skin->condition == EXO_COND_ROSACEA     ? P(VESSEL_ROSACEA)
                : b->skin->condition == EXO_COND_PHOTOAGED ? P(VESSEL_PHOTOAGED)
                                                           : 1.0;
    /* echo-density reference: young (25 y) organised collagen outside the
     * low-echogenic band (0.05) */
    b->org_young = 1 - cn_y - cr_y + P(REMODEL_ORGANISED) * cr_y;
    b->org_ref = (1 - 0.05) * b->org_young;
    b->p_mel = 1.0;
    exo__bio_settle(b, &b->in);

    /* CVODE: BDF with a diagonal Jacobian approximation (the local
     * reactions are dominated by their own decay terms); its messages go
     * into the failure's message, not to stderr */
    if (SUNContext_Create(NULL, &b->sun) != 0 || !(b->nv = N_VNew_Serial(NCV, b->sun)) ||
        !(b->cvode = CVodeCreate(CV_BDF, b->sun))) {
        exo__bio_destroy(&b);
        return exo_ctx_error(ctx, EXO_ENOMEM, "biology: cannot create the CVODE integrator");
    }
    pack(b->y, N_VGetArrayPointer(b->nv));
    if (CVodeInit(b->cvode, cv_rhs, 0.0, b->nv) != CV_SUCCESS || CVodeSetUserData(b->cvode, b) != CV_SUCCESS ||
        CVodeSetErrHandlerFn(b->cvode, cv_error, b) != CV_SUCCESS ||
        CVodeSStolerances(b->cvode, cfg->sim.bio_rtol > 0 ? cfg->sim.bio_rtol : 1e-4,
                          cfg->sim.bio_atol > 0 ? cfg->sim.bio_atol : 1e-8) != CV_SUCCESS || CVDiag(b->cvode) != CV_SUCCESS ||
        CVodeSetMaxNumSteps(b->cvode, 100000) != CV_SUCCESS) {
        exo__bio_destroy(&b);
        return exo_ctx_error(ctx, EXO_ENUMERIC, "biology: cannot set up CVODE");
    }
    *out = b;
    return EXO_OK;
}

void exo__bio_destroy(exo_bio **bp)
{
    if (!bp || !*bp)
        return;
    exo_bio *b = *bp;
    if (b->cvode)
        CVodeFree(&b->cvode);
    if (b->nv)
        N_VDestroy(b->nv);
    if (b->sun)
        SUNContext_Free(&b->sun);
    exo_free(b->ctx, b);
    *bp = NULL;
}

void exo__bio_settle(exo_bio *b, const exo_bio_inputs *in)
{
    const exo_config *cfg = b->cfg;
    double age = b->age0;
    for (int z = 0; z < EXO_NZ; z++) {
        double *x = b->y + z * EXO_NV;
        const double I = in->med[z][0], R = in->med[z][1];
        memset(x, 0, EXO_NV * sizeof *x);
        x[EXO_V_MEL] = 1.0;
        if (!dermal(z)) {
            b->p_mel = 1.0 / (1 + P(G_PIH) * exo__bio_pih_factor(b->skin->phototype) * hs(I, 0.5));
            continue;
        }
        x[EXO_V_S] = sen_target(cfg, b->skin, age);
        x[EXO_V_RF] = 1.0;
        x[EXO_V_RM] = 1.0 + P(R_REC) * hs(I, P(K_REC)) / P(D_MAC);
        x[EXO_V_PHI2] = (P(M2_BASAL) + (1 - P(M2_BASAL)) * hs(R, P(K_2))) / (1 + I);
        double m = mmp_matrix(b, z, in);
        double sC = synthesis(b, x, age);
        double kdep = deposition(b, 0.0, x[EXO_V_RF], I);
        x[EXO_V_CN] = sC / (kdep + b->k_dn * m);
        x[EXO_V_CR] = kdep * x[EXO_V_CN] / (b->k_x + b->k_rd * m);
        double cn, cm;
        collagen_history(b, age, m, &cn, &cm);
        x[EXO_V_CM] = cm;
        x[EXO_V_EL] = x[EXO_V_RF] * (1 - x[EXO_V_S]) / (1 - b->s_young) * f_age(cfg, age) / m;
        x[EXO_V_SD] = b->skin->condition == EXO_COND_ACNE_SCARS ? P(SCAR_DEFICIT) : 0.0;
        x[EXO_V_LEB] = leb_target(b, age);
        x[EXO_V_VS] = b->v_base;
        b->i_rest[z] = I;
    }
    double *sx = b->y + EXO_NZ * EXO_NV;
    sx[EXO_V_BARRIER] = b->B_star;
    sx[EXO_V_WATER] = b->B_star * (0.7 + 0.6 * b->skin->ambient_rh) * b->water_hold;
    double cp = 0, ep = 0, wp = 0;
    for (int z = EXO_ZONE_PAP1; z <= EXO_ZONE_PAP2; z++) {
        const double *x = b->y + z * EXO_NV;
        cp += b->thick[z] * organised(b, x);
        wp += b->thick[z];
    }
    for (int z = EXO_ZONE_PAP1; z < EXO_NZ; z++)
        ep += b->thick[z] * b->y[z * EXO_NV + EXO_V_EL];
    b->cpap0 = cp / wp;
    b->el0 = ep / (b->h_dermis > 0 ? b->h_dermis : 1);
    b->w0 = sx[EXO_V_WATER];
    b->in = *in;
    b->need_restart = true;
}

int exo__bio_zone_of(const exo_bio *b, int i)
{
    for (int z = 0; z < EXO_NZ; z++)
        if (i >= b->i0[z] && i < b->i1[z])
            return z;
    return -1;
}

void exo__bio_zone_range(const exo_bio *b, int z, int *i0, int *i1)
{
    *i0 = b->i0[z];
    *i1 = b->i1[z];
}

/* Room left in a cell for more vesicles [1]: the smooth positive part of
 * 1 - load/capacity (width 0.05), the load being its largest cargo pool (a
 * reference vesicle carries 1 of each class). */
static double room(const exo_config *cfg, const double Q[EXO_CARGO_COUNT])
{
    double load = 0;
    for (int q = 0; q < EXO_CARGO_COUNT; q++)
        load = fmax(load, Q[q]);
    double x = 1.0 - load / P(UPTAKE_CAPACITY), e = 0.05;
    return 0.5 * (x + sqrt(x * x + e * e)) / (0.5 * (1 + sqrt(1 + e * e)));
}

/* Innate recognition of a large vesicle load by the macrophages of a zone,
 * per macrophage density [1]: Hill 2 in the local free-vesicle concentration. */
static double innate(const exo_config *cfg, const exo_bio_inputs *in, int z)
{
    return hs2(fmax(in->vload[z], 0.0), P(INNATE_HALF_LOAD));
}

void exo__bio_uptake_zone(const exo_bio *b, int z, double num[EXO_NCELL], double K[EXO_NCELL])
{
    const exo_config *cfg = b->cfg;
    const double *x = b->y + z * EXO_NV;
    const double vmax[EXO_NCELL] = {P(VMAX_K), P(VMAX_F), P(VMAX_M), P(VMAX_F)};
    const double Kc[EXO_NCELL] = {P(K_UP_K), P(K_UP_F), P(K_UP_M), P(K_UP_F)};
    const double dens[EXO_NCELL] = {1.0, x[EXO_V_RF], x[EXO_V_RM], 1.0};
    const double J = x[EXO_V_J], stress[EXO_NCELL] = {J / pow(1 + pow(J, 4), 0.25), x[EXO_V_S], 0.0, 0.0}; /* smooth min(J, 1) */
    for (int c = 0; c < EXO_NCELL; c++) {
        num[c] = b->rho[z][c] * dens[c] * vmax[c] * (1 + P(TARGETING) * stress[c]);
        K[c] = Kc[c];
        if (c != EXO_CELL_M) /* a full cell stops taking up (macrophages, scavengers, do not) */
            num[c] *= room(cfg, x + EXO_V_Q + c * EXO_CARGO_COUNT);
    }
}

double exo__bio_source(const exo_bio *b, int z, int q) { return exo__bio_source_at(b, b->y, z, q, &b->in); }

double exo__bio_source_at(const exo_bio *b, const double *xall, int z, int q, const exo_bio_inputs *in)
{
    const exo_config *cfg = b->cfg;
    const double *x = xall + z * EXO_NV;
    const double I = in->med[z][0];
    double age = b->age0 + b->t / EXO_YEAR;
    int cell = dermal(z) ? EXO_CELL_F : EXO_CELL_K;
    switch (q) {
    case 0: { /* I: injury, M1 macrophages, immune recognition, baseline tone */
        double v = P(I_PER_INJURY) * x[EXO_V_J] * (1 - P(G_AI) * hq(cfg, x, cell, EXO_CARGO_AI));
        if (dermal(z)) /* macrophages: M1 share, immune recognition of cargo and innate recognition of the load */
            v += exo__bio_macrophage_I(cfg, x + EXO_V_Q + EXO_CELL_M * EXO_CARGO_COUNT, x[EXO_V_PHI2], x[EXO_V_RM]) +
                 P(INNATE_GAIN) * x[EXO_V_RM] * innate(cfg, in, z);
        if (b->skin->condition == EXO_COND_SENSITIVE || b->skin->condition == EXO_COND_ROSACEA)
            v += P(P_BASE_SENSITIVE);
        else if (b->skin->condition == EXO_COND_ATOPIC)
            v += P(P_BASE_ATOPIC);
        return v;
    }
    case 1: /* R: M2 macrophages and anti-inflammatory cargo */
        if (!dermal(z))
            return 0.0;
        return P(P_R) * x[EXO_V_RM] * x[EXO_V_PHI2] + P(P_AIR) * hq(cfg, x, EXO_CELL_M, EXO_CARGO_AI);
    case 2: /* T: TGF-beta-like signal of wounds (decay rate times injury) */
        return log(2.0) / P(T_HALF_LIFE) * x[EXO_V_J];
    case 3: /* G: growth factors released in wounds */
        return 0.5 * log(2.0) / P(G_HALF_LIFE) * x[EXO_V_J];
    case 4: /* M: MMP from fibroblasts (1 = young reference production) */
        if (!dermal(z))
            return 0.0;
        return exo__bio_fibroblast_M(b, x + EXO_V_Q + EXO_CELL_F * EXO_CARGO_COUNT, x[EXO_V_S], I, age, x[EXO_V_RF]) *
               (1 + P(G_UV_MMP) * x[EXO_V_UVS]); /* MMP-1 within hours of UV (Fisher 1996) */
    default:
        return 0.0;
    }
}

/* Young-reference MMP production (for the normalisation of m). */
double exo__bio_source_mref(const exo_bio *b, int z)
{
    const exo_config *cfg = b->cfg;
    return dermal(z) ? log(2.0) / P(M_HALF_LIFE) : 0.0;
}

void exo__bio_set_mref(exo_bio *b, const double mref[EXO_NZ])
{
    for (int z = 0; z < EXO_NZ; z++)
        b->mref[z] = mref[z] > 0 ? mref[z] : 1.0;
}

double exo__bio_cells(const exo_bio *b, int z, int c)
{
    const double *x = b->y + z * EXO_NV;
    double dens = c == EXO_CELL_F ? x[EXO_V_RF] : (c == EXO_CELL_M ? x[EXO_V_RM] : 1.0);
    return b->rho[z][c] * dens * b->thick[z];
}

double exo__bio_macrophage_share(const exo_bio *b, int z)
{
    const double *x = b->y + z * EXO_NV;
    double tot = exo__bio_source(b, z, 0);
    double mac = dermal(z) ? exo__bio_macrophage_I(b->cfg, x + EXO_V_Q + EXO_CELL_M * EXO_CARGO_COUNT, x[EXO_V_PHI2],
                                                   x[EXO_V_RM])
                           : 0.0;
    return tot > 0 ? fmin(fmax(mac / tot, 0.0), 1.0) : 0.0;
}

void exo__bio_new_collagen_rates(const exo_bio *b, int z, double *synth, double *loss)
{
    *synth = *loss = 0.0;
    if (z < 0 || !dermal(z))
        return;
    *synth = synthesis(b, b->y + z * EXO_NV, b->age0 + b->t / EXO_YEAR);
    *loss = deposition(b, b->y[z * EXO_NV + EXO_V_A], b->y[z * EXO_NV + EXO_V_RF], b->in.med[z][0]) + b->k_dn * mmp_matrix(b, z, &b->in);
}

void exo__bio_cell_state(const exo_bio *b, int z, int c, exo_bio_cell *out)
{
    const double *x = b->y + z * EXO_NV;
    memcpy(out->Q, x + EXO_V_Q + c * EXO_CARGO_COUNT, sizeof out->Q);
    out->a = x[EXO_V_A];
    out->s = x[EXO_V_S];
    out->phi2 = x[EXO_V_PHI2];
    out->J = x[EXO_V_J];
    out->age = b->age0 + b->t / EXO_YEAR;
    out->density = b->thick[z] > 0 ? exo__bio_cells(b, z, c) / b->thick[z] : 0.0;
}

double exo__bio_extra_decay_I(const exo_bio *b, int z, const exo_bio_inputs *in)
{
    return b->cfg->params.v[EXO_P_K_RI] * fmax(in->med[z][1], 0.0);
}

exo_status exo__bio_restart(exo_bio *b)
{
    pack(b->y, N_VGetArrayPointer(b->nv));
    if (CVodeReInit(b->cvode, b->t, b->nv) != CV_SUCCESS)
        return exo_ctx_error(b->ctx, EXO_ENUMERIC, "biology: CVODE restart failed");
    b->need_restart = false;
    return EXO_OK;
}

exo_status exo__bio_advance(exo_bio *b, double t1, const exo_bio_inputs *in)
{
    b->in = *in;
    if (b->need_restart) {
        exo_status st = exo__bio_restart(b);
        if (st != EXO_OK)
            return st;
    }
    if (!(t1 > b->t))
        return EXO_OK;
    for (int z = 0; z < EXO_NZ; z++)
        memcpy(b->q0[z], b->y + z * EXO_NV + EXO_V_Q, sizeof b->q0[z]);
    b->tq0 = b->t;
    double tret = b->t;
    CVodeSetStopTime(b->cvode, t1);
    int flag = CVode(b->cvode, t1, b->nv, &tret, CV_NORMAL);
    if (flag < 0)
        return exo_ctx_error(b->ctx, EXO_ENUMERIC, "biology: CVODE failed at t = %g h (flag %d%s%s)", tret, flag,
                             b->cv_msg[0] ? ": " : "", b->cv_msg);
    unpack(N_VGetArrayPointer(b->nv), b->y);
    cargo_at(b, t1, b->y);
    for (int k = 0; k < EXO_BIO_N; k++)
        if (b->y[k] < 0)
            b->y[k] = 0; /* round-off below zero of quantities that are >= 0 */
    b->t = t1;
    return EXO_OK;
}

void exo__bio_readouts(const exo_bio *b, double open_area, const exo_bio_inputs *in, double out[EXO_RD_COUNT])
{
    const exo_config *cfg = b->cfg;
    const double *sx = b->y + EXO_NZ * EXO_NV, *ve = b->y + EXO_ZONE_VE * EXO_NV;
    double age = b->age0 + b->t / EXO_YEAR;
    double wsum = 0, wsd = 0, coll = 0, org = 0, el = 0, sd = 0, syn = 0, ipap = 0, wpap = 0, cpap = 0, ider = 0, proc = 0;
    double uvpap = 0, net = 0, flpap = 0, vwpap = 0, vspap = 0, mmp = 0;
    for (int z = EXO_ZONE_PAP1; z < EXO_NZ; z++) {
        const double *x = b->y + z * EXO_NV;
        double w = b->thick[z], c = x[EXO_V_CN] + x[EXO_V_CR] + x[EXO_V_CM];
        wsum += w;
        coll += w * c;
        org += w * organised(b, x) * (1 - x[EXO_V_LEB]) / (1 + 2 * in->med[z][0]);
        net += w * organised(b, x) * (1 - x[EXO_V_LEB]); /* the load-bearing network (elasticity) */
        el += w * x[EXO_V_EL];
        if (z <= EXO_ZONE_RET1) { /* atrophic scars: papillary and upper reticular dermis */
            sd += w * x[EXO_V_SD];
            wsd += w;
        }
        syn += w * synthesis(b, x, age);
        ider += w * in->med[z][0];
        proc += w * synthesis(b, x, age) / fmax(x[EXO_V_RF], 1e-9);
        mmp += w * in->med[z][4] / (b->mref[z] > 0 ? b->mref[z] : 1.0);
        if (z == EXO_ZONE_PAP1 || z == EXO_ZONE_PAP2) {
            ipap += w * in->med[z][0];
            uvpap += w * x[EXO_V_UVE];
            flpap += w * x[EXO_V_FL];
            vwpap += w * x[EXO_V_VW];
            vspap += w * x[EXO_V_VS];
            cpap += w * organised(b, x);
            wpap += w;
        }
    }
    coll /= wsum;
    org /= wsum;
    net /= wsum;
    el /= wsum;
    sd /= wsd;
    ipap /= wpap;
    uvpap /= wpap;
    flpap /= wpap;
    vwpap /= wpap;
    vspap /= wpap;
    cpap /= wpap;
    /* a stratum corneum left with less than a tenth of its barrier (fully
     * ablative resurfacing) loses water like an open wound: TEWL at most
     * 100 x its reference */
    double B = fmax(sx[EXO_V_BARRIER], 0.1), W = fmax(sx[EXO_V_WATER], 1e-3);
    const exo_region_baseline *rb = exo__bio_region_baseline(b->skin->region);
    double tewl_ref = rb->tewl * (P(TEWL_REF) + P(TEWL_AGE) * (fmin(fmax(age, 20), 40) - 25));
    out[EXO_RD_TEWL] = tewl_ref / (B * B) + P(TEWL_OPEN) * open_area;
    if (b->strip_lip > 0 || b->strip_lay > 0) /* a tape-stripped stratum corneum (events.c) */
        out[EXO_RD_TEWL] += tewl_ref * exo__bio_strip_excess(b);
    out[EXO_RD_CORNEOMETER] = rb->hydration * (P(CORNEO_0) + P(CORNEO_1) * W);
    /* the superficial vessels (months; rosacea's and photo-aged skin's above
     * healthy young skin) plus vasodilation: the flare of a wound (hours),
     * inflammation (days), the vessels of an open ablated wound (weeks), UV;
     * blood flow: the vessels times their dilation (observe.c) */
    const double dilation = P(EI_FLARE) * flpap + P(EI_GAIN) * ipap + P(EI_WOUND) * vwpap + P(EI_UV) * uvpap;
    out[EXO_RD_ERYTHEMA] = exo__bio_erythema_vascular(rb->erythema * P(EI_BASE), P(EI_VASCULAR_SHARE), vspap) + dilation;
    out[EXO_RD_BLOOD_FLOW] = exo__bio_blood_flow(vspap, dilation, P(EI_VASCULAR_SHARE) * P(EI_BASE));
    /* ... as the meter reads it through a tinted film worn (observe.c) */
    out[EXO_RD_ERYTHEMA] = exo__bio_tinted_erythema(out[EXO_RD_ERYTHEMA], rb->erythema * P(EI_BASE), in->film_tint);
    out[EXO_RD_MELANIN] = (P(MI_BASE) + 50.0 * (b->skin->phototype - 3)) * ve[EXO_V_MEL];
    out[EXO_RD_COLLAGEN] = coll;
    out[EXO_RD_PAP_COLLAGEN] = cpap / b->org_young;
    out[EXO_RD_US_DENSITY] = 100.0 * pow(fmax(org, 0) / b->org_ref, P(US_EXPONENT)); /* 25 y = 100 */
    /* the injected fluid of a wheal thickens the dermis until it is absorbed */
    out[EXO_RD_US_THICKNESS] = b->h_dermis / EXO_MM * (1 + 0.3 * (coll - 1) + 0.1 * ider / wsum) +
                               exo__bio_wheal_fluid(b) / EXO_MM;
    /* Cutometer R2: the organised collagen network outside the elastotic band
     * (young reference as for echo density) and elastin; it follows
     * remodelling within months */
    out[EXO_RD_ELASTICITY] = 100.0 * sqrt(fmax(el * net / b->org_ref, 0));
    /* the baseline grade of the age at the start: later ageing enters once,
     * through the structure (collagen, elastin) */
    double w0 = 1.0 + 6.0 * clamp01((b->age0 - 20.0) / 60.0) + (b->skin->condition == EXO_COND_PHOTOAGED ? 1.0 : 0.0);
    /* graded severity of the age (and photo-damage) at baseline, scaled by the
     * papillary collagen, elastin and SC water relative to baseline */
    out[EXO_RD_WRINKLES] = fmin(9.0, w0 * pow(b->cpap0 / fmax(cpap, 1e-3), P(WRINKLE_COLLAGEN)) * b->el0 /
                                         fmax(el, 1e-3) * pow(b->w0 / W, P(WRINKLE_WATER)));
    out[EXO_RD_ECCA] = P(ECCA_BASE) * sd / P(SCAR_DEFICIT);
    out[EXO_RD_FSR] = 100.0 * syn / (coll * wsum);
    out[EXO_RD_PROCOLLAGEN] = proc / wsum / P(FSR_YOUNG);
    out[EXO_RD_INFLAMMATION] = ipap;
    /* what a biopsy's procollagen mRNA (RT-PCR) and MMP protein measure:
     * synthesis and MMP per dermal volume, both against young skin */
    out[EXO_RD_SYNTHESIS] = syn / wsum / P(FSR_YOUNG);
    out[EXO_RD_MMP] = mmp / wsum;
}

double exo__bio_immune_activation(const exo_bio *b)
{
    const exo_config *cfg = b->cfg;
    double sum = 0, w = 0;
    for (int z = EXO_ZONE_PAP1; z < EXO_NZ; z++) {
        const double *x = b->y + z * EXO_NV;
        sum += b->thick[z] * x[EXO_V_RM] *
               (hs(x[EXO_V_Q + EXO_CELL_M * EXO_CARGO_COUNT + EXO_CARGO_IM], P(K_IM)) + innate(cfg, &b->in, z));
        w += b->thick[z];
    }
    return sum / w;
}
