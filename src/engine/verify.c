/* verify.c - verification of the column transport against analytic
 * solutions.  Each case sets up the solver directly (grid, coefficients,
 * surface) in internal units (um, h) and compares with theory:
 *   decay         dE/dt = -k E            E = E0 exp(-k t); backward Euler order 1
 *   gaussian      dE/dt = D E''           sigma^2 = sigma0^2 + 2 D t; order 2 in space
 *   lag (1 layer) c(0) = C0, c(L) = 0     J = D C0/L, t_lag = L^2/(6 D) (Crank 1975, 4.3)
 *   lag (2 layers in series)              J = C0/(L1/D1 + L2/D2),
 *       t_lag = [L1^2/D1 (L1/(6D1) + L2/(2D2)) + L2^2/D2 (L2/(6D2) + L1/(2D1))]
 *               / (L1/D1 + L2/D2)          (Ash, Barrer & Palmer 1965, equal partition)
 *   conservation  film + follicles + channels + tissue + sinks = applied
 * Observed orders come from successive halvings: p = log2(e_h / e_h/2). */
#include <exoskin/exo_units.h>
#include <exoskin/exo_verify.h>

#include "column/column.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    exo_ctx *ctx;
    exo_grid *g;
    exo_coeffs c;
    exo_stepper *w;
    exo_surface sf;
    exo_species s;
} rig;

static void rig_fini(rig *r)
{
    exo__species_fini(r->ctx, &r->s);
    exo__coeffs_fini(r->ctx, &r->c);
    exo__stepper_destroy(&r->w);
    exo__grid_destroy(&r->g);
}

/* Sets up solver state on grid g (taken over by the rig) with uniform D and k. */
static exo_status rig_init(exo_ctx *ctx, exo_grid *g, double D, double k, rig *r)
{
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->g = g;
    exo_status st = exo__coeffs_init(ctx, g, &r->c);
    if (st == EXO_OK)
        st = exo__stepper_create(ctx, g, &r->w);
    if (st == EXO_OK)
        st = exo__species_init(ctx, g, &r->s);
    if (st != EXO_OK) {
        rig_fini(r);
        return exo_ctx_error(ctx, st, "verify: out of memory");
    }
    for (int i = 0; i < g->n; i++) {
        r->c.D[i] = D;
        r->c.k_deg[i] = k;
    }
    r->sf.i_fol = 0;
    r->sf.h_sc = 0;
    return EXO_OK;
}

static exo_status run_to(rig *r, double T, double dt)
{
    int nsteps = (int)lround(T / dt);
    for (int s = 0; s < nsteps; s++) {
        exo_status st = exo__step(r->w, r->g, &r->c, &r->sf, dt, &r->s);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

static void add_case(exo_verify_case *c, int *n, const char *name, const char *unit, double expected,
                     double observed, double error, double tol, bool pass, const char *detail)
{
    exo_verify_case *v = &c[(*n)++];
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->unit, sizeof v->unit, "%s", unit);
    v->expected = expected;
    v->observed = observed;
    v->error = error;
    v->tolerance = tol;
    v->pass = pass;
    snprintf(v->detail, sizeof v->detail, "%s", detail);
}

static exo_status case_decay(exo_ctx *ctx, exo_verify_case *c, int *n)
{
    const double k = 0.1 * EXO_PER_H, T = 10.0 * EXO_H, exact = exp(-k * T);
    double err[4];
    const double dts[4] = {1.0, 0.5, 0.25, 0.125};
    for (int m = 0; m < 4; m++) {
        exo_grid *g;
        exo_status st = exo__grid_create_uniform(ctx, 100.0 * EXO_UM, 10, EXO_LAYER_VE, &g);
        if (st != EXO_OK)
            return st;
        rig r;
        if ((st = rig_init(ctx, g, 10.0, k, &r)) != EXO_OK)
            return st;
        for (int i = 0; i < g->n; i++)
            r.s.E[i] = 1.0;
        st = run_to(&r, T, dts[m]);
        double worst = 0;
        for (int i = 0; i < g->n; i++)
            worst = fmax(worst, fabs(r.s.E[i] - exact));
        err[m] = worst;
        rig_fini(&r);
        if (st != EXO_OK)
            return st;
    }
    double p = log2(err[2] / err[3]);
    char d[256];
    snprintf(d, sizeof d, "dt = 1, 0.5, 0.25, 0.125 h: max errors %.3e %.3e %.3e %.3e", err[0], err[1], err[2], err[3]);
    add_case(c, n, "decay.value", "1", exact, exact + err[3], err[3] / exact, 1e-2, err[3] / exact < 1e-2, d);
    add_case(c, n, "decay.order_time", "1", 1.0, p, fabs(p - 1.0), 0.1, p >= 0.9, d);
    return EXO_OK;
}

static exo_status case_gaussian(exo_ctx *ctx, exo_verify_case *c, int *n)
{
    const double L = 2000 * EXO_UM, D = 100.0, z0 = 1000 * EXO_UM, s0 = 50 * EXO_UM, T = 20 * EXO_H;
    const double s2 = s0 * s0 + 2 * D * T;
    const int ns[3] = {100, 200, 400};
    double err[3], peak = 1.0 / sqrt(2 * 3.14159265358979323846 * s2);
    for (int m = 0; m < 3; m++) {
        exo_grid *g;
        exo_status st = exo__grid_create_uniform(ctx, L, ns[m], EXO_LAYER_VE, &g);
        if (st != EXO_OK)
            return st;
        rig r;
        if ((st = rig_init(ctx, g, D, 0.0, &r)) != EXO_OK)
            return st;
        for (int i = 0; i < g->n; i++) {
            double x = g->zc[i] - z0;
            r.s.E[i] = exp(-x * x / (2 * s0 * s0)) / sqrt(2 * 3.14159265358979323846 * s0 * s0);
        }
        double h = L / ns[m], dt = 0.02 * h * h / D; /* dt ~ h^2: time error shrinks as h^2 */
        st = run_to(&r, T, dt);
        double worst = 0;
        for (int i = 0; i < g->n; i++) {
            double x = g->zc[i] - z0;
            worst = fmax(worst, fabs(r.s.E[i] - exp(-x * x / (2 * s2)) / sqrt(2 * 3.14159265358979323846 * s2)));
        }
        err[m] = worst / peak;
        rig_fini(&r);
        if (st != EXO_OK)
            return st;
    }
    double p = log2(err[1] / err[2]);
    char d[256];
    snprintf(d, sizeof d, "h = 20, 10, 5 um (dt = 0.02 h^2/D): max error / peak %.3e %.3e %.3e", err[0], err[1], err[2]);
    add_case(c, n, "gaussian.profile", "1", 0.0, err[2], err[2], 1e-2, err[2] < 1e-2, d);
    add_case(c, n, "gaussian.order_space", "1", 2.0, p, fabs(p - 2.0), 0.2, p >= 1.8 && p <= 2.2, d);
    return EXO_OK;
}

/* Steady-state permeation: Dirichlet C0 at the surface (a film too large to
 * deplete), sink at the bottom; fits Q(t) = J (t - t_lag) over late times. */
static exo_status permeation(exo_ctx *ctx, exo_grid *g, const double *Dl, double T, double dt,
                             double *J, double *lag)
{
    rig r;
    exo_status st = rig_init(ctx, g, 1.0, 0.0, &r);
    if (st != EXO_OK)
        return st;
    for (int i = 0; i < g->n; i++)
        r.c.D[i] = Dl[g->layer[i]];
    r.c.bottom_sink = true;
    r.sf.water = 1e12 * EXO_UM; /* film concentration stays C0 = 1 to 1e-9 */
    r.sf.dry_limit = 0;
    r.s.V = 1e12;
    r.s.applied = r.s.V;
    int nsteps = (int)lround(T / dt);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int k = 1; k <= nsteps; k++) {
        if ((st = exo__step(r.w, r.g, &r.c, &r.sf, dt, &r.s)) != EXO_OK)
            break;
        double t = k * dt;
        if (t >= 0.5 * T) {
            sx += t;
            sy += r.s.bottom_out;
            sxx += t * t;
            sxy += t * r.s.bottom_out;
            m++;
        }
    }
    if (st == EXO_OK) {
        double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        double icpt = (sy - slope * sx) / m;
        *J = slope;
        *lag = -icpt / slope;
    }
    rig_fini(&r);
    return st;
}

static exo_status case_lag(exo_ctx *ctx, exo_verify_case *c, int *n)
{
    char d[256];
    /* one layer: L = 100 um, D = 10 um^2/h */
    {
        const double L = 100 * EXO_UM, D = 10.0;
        double Dl[EXO_LAYER_COUNT] = {D, D, D, D}, J, lag;
        exo_grid *g;
        exo_status st = exo__grid_create_uniform(ctx, L, 100, EXO_LAYER_SC, &g);
        if (st != EXO_OK || (st = permeation(ctx, g, Dl, 2000 * EXO_H, 0.05 * EXO_H, &J, &lag)) != EXO_OK)
            return st;
        double Je = D / L, lage = L * L / (6 * D);
        snprintf(d, sizeof d, "L = 100 um, D = 10 um^2/h, 100 cells, dt = 0.05 h; fit of Q(t) over 1000-2000 h");
        add_case(c, n, "lag1.steady_flux", "1/h", Je, J, fabs(J / Je - 1), 1e-3, fabs(J / Je - 1) < 1e-3, d);
        add_case(c, n, "lag1.lag_time", "h", lage, lag, fabs(lag / lage - 1), 1e-2, fabs(lag / lage - 1) < 1e-2, d);
    }
    /* two layers in series on the non-uniform layered grid */
    {
        const double L1 = 50 * EXO_UM, D1 = 10.0, L2 = 100 * EXO_UM, D2 = 100.0;
        double thick[EXO_LAYER_COUNT] = {L1, L2, 0, 0}, Dl[EXO_LAYER_COUNT] = {D1, D2, D2, D2}, J, lag;
        exo_grid *g;
        exo_status st = exo__grid_create(ctx, thick, 0.25, 2.0, 1.1, &g);
        int cells = g ? g->n : 0;
        if (st != EXO_OK || (st = permeation(ctx, g, Dl, 1200 * EXO_H, 0.05 * EXO_H, &J, &lag)) != EXO_OK)
            return st;
        double R = L1 / D1 + L2 / D2, Je = 1.0 / R;
        double lage = (L1 * L1 / D1 * (L1 / (6 * D1) + L2 / (2 * D2)) + L2 * L2 / D2 * (L2 / (6 * D2) + L1 / (2 * D1))) / R;
        snprintf(d, sizeof d, "L1 = 50 um D1 = 10, L2 = 100 um D2 = 100 um^2/h, %d graded cells, dt = 0.05 h", cells);
        add_case(c, n, "lag2.steady_flux", "1/h", Je, J, fabs(J / Je - 1), 1e-3, fabs(J / Je - 1) < 1e-3, d);
        add_case(c, n, "lag2.lag_time", "h", lage, lag, fabs(lag / lage - 1), 1e-2, fabs(lag / lage - 1) < 1e-2, d);
    }
    return EXO_OK;
}

/* Film, follicles, two channel families and closed boundaries: every route of
 * the step at once; with no sinks the content is constant, with sinks the
 * ledger closes. */
static exo_status case_conservation(exo_ctx *ctx, exo_verify_case *c, int *n)
{
    double worst[2] = {0, 0};
    for (int withsinks = 0; withsinks < 2; withsinks++) {
        double thick[EXO_LAYER_COUNT] = {15, 55, 200, 1730};
        exo_grid *g;
        exo_status st = exo__grid_create(ctx, thick, 0.5, 25, 1.15, &g);
        if (st != EXO_OK)
            return st;
        rig r;
        if ((st = rig_init(ctx, g, 1.0, 0.0, &r)) != EXO_OK)
            return st;
        for (int i = 0; i < g->n; i++) {
            const double Dl[EXO_LAYER_COUNT] = {0.01, 500, 4000, 3000};
            r.c.D[i] = Dl[g->layer[i]];
            r.c.k_deg[i] = withsinks ? 0.02 : 0.0;
            r.c.k_clr[i] = withsinks && g->layer[i] >= EXO_LAYER_PAP ? 0.015 : 0.0;
        }
        r.c.k_film = withsinks ? 0.01 : 0.0;
        r.c.k_chan = withsinks ? 0.02 : 0.0;
        r.sf = (exo_surface){.water = 9, .solids = 1, .dry_limit = 0.5, .f_fol = 0.005, .k_fol = 20,
                             .k_rel = 0.003, .k_fill = 4, .h_sc = 15};
        for (int i = 0; i < g->n; i++)
            if (g->zf[i] <= 300)
                r.sf.i_fol = i;
        r.sf.ch[0] = (exo_channels){true, EXO_ROUTE_CHANNEL, 0.02, 0.02, 70, 400, 0.5};
        r.sf.ch[3] = (exo_channels){true, EXO_ROUTE_LASER, 0.1, 0.1, 150, 800, 0.05};
        r.s.V = 1e-2 * 10; /* 1e10/mL in a 10 um film */
        r.s.applied = r.s.V;
        double dt = 1e-3;
        for (int k = 0; k < 400 && st == EXO_OK; k++) {
            r.sf.water = fmax(r.sf.dry_limit, r.sf.water - 30 * dt);
            for (int j = 0; j < EXO_MAX_CHANNELS; j++)
                r.sf.ch[j].a *= exp(-r.sf.ch[j].k_close * dt);
            st = exo__step(r.w, r.g, &r.c, &r.sf, dt, &r.s);
            for (int j = 0; j < EXO_MAX_CHANNELS; j++)
                if (r.sf.ch[j].active && r.sf.ch[j].a < 1e-6 * r.sf.ch[j].a0) {
                    exo__channels_retire(g, &r.sf, j, &r.s); /* as the engine does */
                    r.sf.ch[j].active = false;
                }
            dt = fmin(dt * 1.3, 2.0);
            double e = fabs(exo__species_balance(g, &r.s)) / r.s.applied;
            worst[withsinks] = fmax(worst[withsinks], e);
        }
        if (st == EXO_OK)
            for (int j = 0; j < EXO_MAX_CHANNELS; j++)
                if (r.sf.ch[j].active)
                    exo__channels_retire(g, &r.sf, j, &r.s);
        worst[withsinks] = fmax(worst[withsinks], fabs(exo__species_balance(g, &r.s)) / r.s.applied);
        rig_fini(&r);
        if (st != EXO_OK)
            return st;
    }
    add_case(c, n, "conservation.closed", "1", 0.0, worst[0], worst[0], 1e-12, worst[0] <= 1e-12,
             "film+follicles+2 channel families, no sinks, 400 steps from 1e-3 h growing to 2 h: max |total-applied|/applied");
    add_case(c, n, "conservation.ledger", "1", 0.0, worst[1], worst[1], 1e-12, worst[1] <= 1e-12,
             "same with decay, clearance and film decay: max |applied - ledger|/applied");
    return EXO_OK;
}

exo_status exo_verify_run(exo_ctx *ctx, exo_verify_case **cases, int *count)
{
    exo_verify_case *c = exo_alloc(ctx, 16, sizeof *c);
    if (!c)
        return exo_ctx_error(ctx, EXO_ENOMEM, "verify: out of memory");
    int n = 0;
    exo_status st;
    if ((st = case_decay(ctx, c, &n)) != EXO_OK || (st = case_gaussian(ctx, c, &n)) != EXO_OK ||
        (st = case_lag(ctx, c, &n)) != EXO_OK || (st = case_conservation(ctx, c, &n)) != EXO_OK) {
        exo_free(ctx, c);
        return st;
    }
    *cases = c;
    *count = n;
    return EXO_OK;
}
