/* bio_impl.h - the inside of the column biology (exo_bio), shared by
 * biology.c (the equations, CVODE, readouts) and events.c (what a procedure
 * or an exposure does to the state).  Private to src/biology. */
#ifndef EXO_BIO_IMPL_H
#define EXO_BIO_IMPL_H

#include "biology.h"

#include <nvector/nvector_serial.h>
#include <stdbool.h>

#define P(id) (cfg->params.v[EXO_P_##id])

/* The cargo pools (the first NQ variables of each zone) are linear with
 * constant input between syncs, dQ/dt = u - k_q Q, and are advanced exactly;
 * CVODE integrates the other NR variables of each zone and the surface. */
#define NQ (EXO_NCELL * EXO_CARGO_COUNT)
#define NR (EXO_NV - NQ)
#define NCV (EXO_NZ * NR + EXO_NSURF)

struct exo_bio {
    exo_ctx *ctx;
    const exo_config *cfg; /* borrowed */
    const exo_skin_cfg *skin; /* borrowed: the arm's skin */
    int i0[EXO_NZ], i1[EXO_NZ];
    double thick[EXO_NZ];  /* [um] */
    double rho[EXO_NZ][EXO_NCELL]; /* [1/um^3] reference densities */
    double mref[EXO_NZ];   /* [1] young-reference MMP level of each zone */
    double h_dermis;       /* [um] */
    double age0;           /* [y] */
    double s_young, k_sen, k_sc;
    double k_dep, k_dn;    /* [1/h] new collagen: deposition into fibrils, degradation (young MMP) */
    double k_x, k_rd;      /* [1/h] remodelling collagen: cross-linking (maturation), degradation */
    double k_dm, k_el;     /* [1/h] mature collagen and elastin loss (young MMP) */
    double p_mel;          /* melanogenesis that keeps Mel = 1 at baseline inflammation */
    double cpap0, el0, w0; /* papillary collagen, elastin, SC water at baseline (wrinkle reference) */
    double org_young;      /* [1] organised collagen of young (25 y) skin: the papillary-collagen reference */
    double org_ref;        /* [1] ... outside the low-echogenic band: the echo-density reference */
    double B_star;
    double v_base;         /* [1] superficial vessel state of the untreated skin of its condition */
    double i_rest[EXO_NZ]; /* [1] inflammation of each zone at rest (the settled state) */
    double water_hold;     /* [1] SC water-holding of the condition (atopic skin holds less) */
    double wheal, t_wheal; /* [um], [h] injected fluid per skin area at t_wheal (absorbed exponentially since) */
    /* tape stripping (events.c): excess TEWL over the intact skin's, relative
     * to it, in a fast (lipid) and a slow (corneocyte layers) pool at t_strip,
     * each repaired exponentially since at its rate [1/h] */
    double strip_lip, strip_lay, t_strip, k_lip, k_lay;
    double y[EXO_BIO_N];
    exo_bio_inputs in;     /* inputs of the current interval */
    double t;              /* [h] */
    double q0[EXO_NZ][NQ]; /* cargo pools at the start of the interval, t = tq0 */
    double tq0;            /* [h] */
    double x[EXO_BIO_N], dx[EXO_BIO_N]; /* the whole state and its rates, for the CVODE right-hand side */
    SUNContext sun;
    N_Vector nv;
    void *cvode;
    bool need_restart;
    char cv_msg[256];      /* CVODE's last error message (its handler: the library does not print) */
};

static inline bool dermal(int z) { return z != EXO_ZONE_VE; }

#endif
