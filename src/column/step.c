/* step.c - one implicit (backward-Euler), mass-conserving step of column
 * transport for one species, with its mass ledger.
 *
 * Unknowns at t+dt: E_i (n cells) and the scalars X = (V, F, Ch_0..Ch_m-1).
 * Cell i (per unit skin area):
 *   h_i (E_i' - E_i)/dt = G_{i-1/2}(E_{i-1}' - E_i') - G_{i+1/2}(E_i' - E_{i+1}')
 *                         - (k_deg,i + k_clr,i) h_i E_i'
 *                         + [i = 0] G_top (V'/W - E_0')          film through the SC
 *                         + [i = i_fol] k_rel F'                  follicular release
 *                         + sum_j b_ij (Ch_j'/v_j - E_i')         channel walls
 *                         + sum_j k_close,j w_ij Ch_j'            closing channels
 * with G_{i+1/2} = 1 / (h_i/(2 D_i) + h_{i+1}/(2 D_{i+1})) (harmonic mean),
 * G_top = D_0/(h_0/2) (well-mixed film of thickness W), b_ij the channel wall
 * exchange (4 a_j/d_j) D_i / l_j times the overlap of cell i with the channel
 * below the SC, w_ij the overlap fraction.  The scalar balances are the
 * mirror images of these fluxes, so total mass is conserved exactly.
 * Eliminating E through the tridiagonal block (Thomas algorithm, one
 * factorisation, 1 + m + 2 right-hand sides) leaves an (m+2)x(m+2) dense
 * system for X, solved with partial pivoting. */
#include "column.h"

#include <math.h>
#include <string.h>

#define NS (2 + EXO_MAX_CHANNELS) /* scalar unknowns: V, F, channels */
#define PI 3.14159265358979323846

/* A kept factorisation of the tridiagonal block (no channels open): it
 * depends on dt, the coefficients, the wet/dry state and the follicle cell.
 * Steps grow geometrically from dt_min after every event, so the same few
 * dozen values of dt recur between events and their factorisations are kept. */
#define NSLOT 40
/* The uptake rate constants change at every biology sync, by little.  The
 * matrix keeps the ones it was factorised with (kref) while every cell's
 * uptake stays within UPTAKE_LAG of them and the difference times dt stays
 * below UPTAKE_LAG_DT; the difference is then taken explicitly, at the
 * current state (docs/numerics.md). */
#define UPTAKE_LAG 0.1
#define UPTAKE_LAG_DT 0.1
typedef struct {
    bool valid;
    double dt;          /* [h] */
    unsigned version;   /* the stepper's matrix version (mver) */
    bool wet;
    int ifol;
    unsigned long last; /* for least-recently-used replacement */
    bool has_e0, has_ef; /* the unit responses are solved when first needed */
    double *cp, *den, *ml, *e0, *ef;
    double mid;
} slot;

struct exo_stepper {
    exo_ctx *ctx;
    int n;
    double *lo, *di, *up;   /* tridiagonal block */
    double *cp, *den, *ml;  /* factorisation of the current slot (babe_factor) */
    double mid;
    double *tmp;            /* net inflow at the current state, then the increment of E */
    double *U0[NS];         /* coupling columns of the channels (from index 2) */
    double *U[NS];          /* T^{-1} U0 */
    double wtop;            /* [um/h] the film row draws on the top cell (Gtop, or 0 when dry) */
    double *G;              /* [um/h] internal face conductances, for coefficient version Gver */
    double *kh;             /* [um/h] (k_deg + k_clr + k_up) h per cell, for version Gver */
    double *kref;           /* [1/h] the uptake rate constants in the matrix */
    double *khm;            /* [um/h] (k_deg + k_clr + kref) h per cell: the matrix's sink */
    double *kold;           /* [1/h] k_deg + k_clr of the matrix */
    double dkmax;           /* [1/h] largest |k_up - kref| */
    bool lag;               /* some k_up != kref */
    unsigned mver;          /* matrix version: moves when G, khm change */
    unsigned Gver;
    bool Gvalid;
    slot slots[NSLOT];      /* factorisations kept for reuse; cp, den, ml point into one */
    unsigned long uses;
    double *beta[EXO_MAX_CHANNELS]; /* [um/h] wall exchange per cell */
    double *trap[EXO_MAX_CHANNELS]; /* [1] closure deposit fraction per cell, per channel family */
    double *ovl[EXO_MAX_CHANNELS];  /* [um] overlap of each cell with the family's channel */
    double ovl_key[EXO_MAX_CHANNELS][2]; /* [um] (SC depth, channel depth) they were made for */
    int ovl_lo[EXO_MAX_CHANNELS], ovl_hi[EXO_MAX_CHANNELS]; /* cells [lo, hi) along the channel */
    int span_lo[NS], span_hi[NS];   /* the same per scalar row (channels from index 2) */
};

exo_status exo__stepper_create(exo_ctx *ctx, const exo_grid *g, exo_stepper **out)
{
    exo_stepper *w = exo_alloc(ctx, 1, sizeof *w);
    if (!w)
        return EXO_ENOMEM;
    w->ctx = ctx;
    w->n = g->n;
    size_t n = (size_t)g->n;
    bool ok = true;
    double **arrays[] = {&w->lo, &w->di, &w->up, &w->tmp, &w->G, &w->kh, &w->kref, &w->khm, &w->kold};
    for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++)
        ok = ok && (*arrays[k] = exo_alloc(ctx, n, sizeof(double)));
    for (int k = 0; k < NSLOT; k++) {
        slot *sl = &w->slots[k];
        ok = ok && (sl->cp = exo_alloc(ctx, 5 * n, sizeof(double)));
        if (ok) {
            sl->den = sl->cp + n;
            sl->ml = sl->cp + 2 * n;
            sl->e0 = sl->cp + 3 * n;
            sl->ef = sl->cp + 4 * n;
        }
    }
    for (int s = 0; s < NS; s++) {
        ok = ok && (w->U[s] = exo_alloc(ctx, n, sizeof(double)));
        ok = ok && (w->U0[s] = exo_alloc(ctx, n, sizeof(double)));
    }
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        ok = ok && (w->beta[j] = exo_alloc(ctx, n, sizeof(double)));
        ok = ok && (w->trap[j] = exo_alloc(ctx, n, sizeof(double)));
        ok = ok && (w->ovl[j] = exo_alloc(ctx, n, sizeof(double)));
        w->ovl_key[j][1] = -1; /* none yet */
    }
    if (!ok) {
        exo__stepper_destroy(&w);
        return EXO_ENOMEM;
    }
    *out = w;
    return EXO_OK;
}

void exo__stepper_destroy(exo_stepper **wp)
{
    if (!wp || !*wp)
        return;
    exo_stepper *w = *wp;
    exo_ctx *ctx = w->ctx;
    exo_free(ctx, w->lo);
    exo_free(ctx, w->di);
    exo_free(ctx, w->up);
    for (int k = 0; k < NSLOT; k++)
        exo_free(ctx, w->slots[k].cp);
    exo_free(ctx, w->G);
    exo_free(ctx, w->kh);
    exo_free(ctx, w->kref);
    exo_free(ctx, w->khm);
    exo_free(ctx, w->kold);
    exo_free(ctx, w->tmp);
    for (int s = 0; s < NS; s++) {
        exo_free(ctx, w->U[s]);
        exo_free(ctx, w->U0[s]);
    }
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        exo_free(ctx, w->beta[j]);
        exo_free(ctx, w->trap[j]);
        exo_free(ctx, w->ovl[j]);
    }
    exo_free(ctx, w);
    *wp = NULL;
}

exo_status exo__coeffs_init(exo_ctx *ctx, const exo_grid *g, exo_coeffs *c)
{
    memset(c, 0, sizeof *c);
    c->D = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    c->k_deg = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    c->k_clr = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    c->k_up = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    c->src = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    if (!c->D || !c->k_deg || !c->k_clr || !c->k_up || !c->src) {
        exo__coeffs_fini(ctx, c);
        return EXO_ENOMEM;
    }
    return EXO_OK;
}

void exo__coeffs_fini(exo_ctx *ctx, exo_coeffs *c)
{
    exo_free(ctx, c->D);
    exo_free(ctx, c->k_deg);
    exo_free(ctx, c->k_clr);
    exo_free(ctx, c->k_up);
    exo_free(ctx, c->src);
    memset(c, 0, sizeof *c);
}

exo_status exo__species_init(exo_ctx *ctx, const exo_grid *g, exo_species *s)
{
    memset(s, 0, sizeof *s);
    s->E = exo_alloc(ctx, (size_t)g->n, sizeof(double));
    return s->E ? EXO_OK : EXO_ENOMEM;
}

void exo__species_fini(exo_ctx *ctx, exo_species *s)
{
    exo_free(ctx, s->E);
    memset(s, 0, sizeof *s);
}

double exo__surface_film(const exo_surface *sf) { return sf->water + sf->solids; }
bool exo__surface_wet(const exo_surface *sf) { return sf->water > sf->dry_limit; }
bool exo__surface_transfers(const exo_surface *sf) { return exo__surface_wet(sf) || sf->drying; }

static double face_conductance(const exo_grid *g, const exo_coeffs *c, int i)
{
    /* between cells i and i+1 */
    double r = 0.5 * g->h[i] / c->D[i] + 0.5 * g->h[i + 1] / c->D[i + 1];
    return r > 0 ? 1.0 / r : 0.0;
}

/* The tridiagonal block is factorised from both ends at once ("burn at both
 * ends"): rows 0..p from the top, rows p+1..n-1 from the bottom, p = (n-1)/2,
 * so that the sweeps run as two independent chains (they are bound by the
 * latency from cell to cell, not by arithmetic).  Top half: den = 1/pivot,
 * cp = up/pivot, ml = lo/pivot; bottom half: den = 1/pivot, cp = lo/pivot,
 * ml = up/pivot; mid = 1/(1 - cp_p cp_{p+1}) joins the halves. */
static void babe_factor(exo_stepper *w)
{
    const int n = w->n, p = (n - 1) / 2;
    const double *restrict lo = w->lo, *restrict di = w->di, *restrict up = w->up;
    double *restrict den = w->den, *restrict cp = w->cp, *restrict ml = w->ml;
    den[0] = 1.0 / di[0];
    cp[0] = n > 1 ? up[0] * den[0] : 0.0;
    ml[0] = 0.0;
    if (n == 1) {
        w->mid = 1.0;
        return;
    }
    den[n - 1] = 1.0 / di[n - 1];
    cp[n - 1] = lo[n - 1] * den[n - 1];
    ml[n - 1] = 0.0;
    /* the values carried from cell to cell stay in registers */
    double ct = cp[0], cb = cp[n - 1];
    int i = 1, j = n - 2;
    for (; j > p; i++, j--) {
        double rt = 1.0 / (di[i] - lo[i] * ct), db = 1.0 / (di[j] - up[j] * cb);
        ct = up[i] * rt;
        cb = lo[j] * db;
        den[i] = rt;
        cp[i] = ct;
        ml[i] = lo[i] * rt;
        den[j] = db;
        cp[j] = cb;
        ml[j] = up[j] * db;
    }
    if (i == p) { /* the top half has one row more */
        double rt = 1.0 / (di[i] - lo[i] * ct);
        den[i] = rt;
        cp[i] = up[i] * rt;
        ml[i] = lo[i] * rt;
    }
    w->mid = 1.0 / (1.0 - cp[p] * cp[p + 1]);
}

/* Solves the factorised tridiagonal system in place on x. */
static void thomas_solve(const exo_stepper *w, double *restrict x)
{
    const int n = w->n, p = (n - 1) / 2;
    const double *restrict den = w->den, *restrict ml = w->ml, *restrict cp = w->cp;
    x[0] *= den[0];
    if (n == 1)
        return;
    x[n - 1] *= den[n - 1];
    double xt = x[0], xb = x[n - 1];
    int i = 1, j = n - 2;
    for (; j > p; i++, j--) {
        xt = x[i] * den[i] - ml[i] * xt;
        xb = x[j] * den[j] - ml[j] * xb;
        x[i] = xt;
        x[j] = xb;
    }
    if (i == p)
        x[i] = xt = x[i] * den[i] - ml[i] * xt;
    xt = x[p] = (xt - cp[p] * xb) * w->mid;
    xb = x[p + 1] = xb - cp[p + 1] * xt;
    for (i = p - 1, j = p + 2; j < n; i--, j++) {
        xt = x[i] - cp[i] * xt;
        xb = x[j] - cp[j] * xb;
        x[i] = xt;
        x[j] = xb;
    }
    if (i == 0)
        x[0] = x[0] - cp[0] * xt;
}

/* The matrix takes the current uptake: every kept factorisation is stale. */
static void new_matrix(exo_stepper *w, const exo_coeffs *c)
{
    memcpy(w->kref, c->k_up, (size_t)w->n * sizeof(double));
    memcpy(w->khm, w->kh, (size_t)w->n * sizeof(double));
    w->mver++;
    w->dkmax = 0;
    w->lag = false;
}

/* Responses of the factorised block to unit sources at the top cell (e0)
 * and at the follicle cell (ef), solved the first time a step needs them. */
static void unit_responses(exo_stepper *w, slot *sl, int ifol, bool need_e0, bool need_ef)
{
    need_e0 = need_e0 && !sl->has_e0;
    need_ef = need_ef && !sl->has_ef;
    size_t bytes = (size_t)w->n * sizeof(double);
    if (need_e0) {
        memset(sl->e0, 0, bytes);
        sl->e0[0] = 1.0;
    }
    if (need_ef) {
        memset(sl->ef, 0, bytes);
        sl->ef[ifol] = 1.0;
    }
    if (need_e0)
        thomas_solve(w, sl->e0);
    if (need_ef)
        thomas_solve(w, sl->ef);
    sl->has_e0 = sl->has_e0 || need_e0;
    sl->has_ef = sl->has_ef || need_ef;
}

/* LU factorisation with partial pivoting of the m x m scalar system. */
static exo_status lu_factor(int m, double A[NS][NS], int *piv)
{
    for (int k = 0; k < m; k++) {
        int p = k;
        for (int r = k + 1; r < m; r++)
            if (fabs(A[r][k]) > fabs(A[p][k]))
                p = r;
        if (!(fabs(A[p][k]) > 0))
            return EXO_ENUMERIC;
        piv[k] = p;
        if (p != k)
            for (int j = 0; j < m; j++) {
                double t = A[k][j];
                A[k][j] = A[p][j];
                A[p][j] = t;
            }
        for (int r = k + 1; r < m; r++) {
            A[r][k] /= A[k][k];
            for (int j = k + 1; j < m; j++)
                A[r][j] -= A[r][k] * A[k][j];
        }
    }
    return EXO_OK;
}

static void lu_solve(int m, double A[NS][NS], const int *piv, double *b)
{
    for (int k = 0; k < m; k++) {
        if (piv[k] != k) {
            double t = b[k];
            b[k] = b[piv[k]];
            b[piv[k]] = t;
        }
        for (int r = k + 1; r < m; r++)
            b[r] -= A[r][k] * b[k];
    }
    for (int k = m - 1; k >= 0; k--) {
        double sum = b[k];
        for (int j = k + 1; j < m; j++)
            sum -= A[k][j] * b[j];
        b[k] = sum / A[k][k];
    }
}

/* Row k of the scalar rows' coupling to the cells, applied to x: the film
 * row draws on the top cell, the follicle row on none, channel rows on the
 * cells along the channel (wall exchange beta). */
static double wr_dot(const exo_stepper *w, int k, const double *x)
{
    if (k == 0)
        return w->wtop * x[0];
    if (k == 1)
        return 0.0;
    const double *b = w->beta[k - 2];
    double sum = 0;
    for (int i = w->span_lo[k]; i < w->span_hi[k]; i++) /* beta is 0 outside */
        sum += b[i] * x[i];
    return sum;
}

/* One step's surface terms, open channel families and scalar system, shared
 * by the stages of exo__step. */
typedef struct {
    bool wet;
    double W;      /* [um] film */
    double iW;     /* [1/um] 1/W averaged over the step */
    double Gtop;   /* [um/h] film -> top cell conductance */
    double kfol;   /* [um/h] film -> follicles */
    double kfill;  /* [1/h] film -> channel fluid */
    double Gbot;   /* [um/h] bottom sink */
    double sV;     /* [1/h] film column of the coupling: Gtop / W */
    int m, ns;     /* open channel families; scalar rows (2 + m) */
    int chi[EXO_MAX_CHANNELS];     /* family index of each open family */
    double vch[EXO_MAX_CHANNELS];  /* [um] channel fluid per skin area */
    double bsum[EXO_MAX_CHANNELS]; /* [um/h] total wall exchange */
    slot *sl;      /* the factorisation used */
    double S[NS][NS], X[NS], RS[NS], old[NS];
    int piv[NS];
} step_terms;

/* Stage 1, channels: the geometry of the open families this step, wall
 * exchange b_ij and closure deposit w_ij. */
static exo_status channel_terms(exo_stepper *w, const exo_grid *g, const exo_coeffs *c,
                                const exo_surface *sf, step_terms *t)
{
    const int n = g->n;
    int *chi = t->chi, m = 0;
    double *vch = t->vch, *bsum = t->bsum;
    for (int j = 0; j < EXO_MAX_CHANNELS; j++) {
        const exo_channels *ch = &sf->ch[j];
        if (!ch->active)
            continue;
        int q = m++;
        chi[q] = j;
        vch[q] = ch->a * ch->depth; /* [um] channel fluid per skin area */
        double nden = ch->a0 / (PI * 0.25 * ch->diameter * ch->diameter); /* [1/um^2] */
        double llat = 0.5 / sqrt(nden);                                      /* [um] */
        double per = 4.0 * ch->a / ch->diameter;                            /* [1/um] */
        /* the cells along the channel, kept while the family's geometry stays */
        if (w->ovl_key[j][0] != sf->h_sc || w->ovl_key[j][1] != ch->depth) {
            double olen = 0;
            int lo = n, hi = 0;
            for (int i = 0; i < n; i++) {
                double o = exo__grid_overlap(g, i, sf->h_sc, ch->depth);
                w->ovl[j][i] = o;
                olen += o;
                if (o != 0) {
                    lo = i < lo ? i : lo;
                    hi = i + 1;
                }
            }
            if (!(olen > 0))
                return exo_ctx_error(w->ctx, EXO_ENUMERIC, "channel family %d has no volume", j);
            for (int i = 0; i < n; i++)
                w->trap[j][i] = w->ovl[j][i] / olen;
            w->ovl_key[j][0] = sf->h_sc;
            w->ovl_key[j][1] = ch->depth;
            w->ovl_lo[j] = lo;
            w->ovl_hi[j] = hi;
        }
        w->span_lo[2 + q] = w->ovl_lo[j];
        w->span_hi[2 + q] = w->ovl_hi[j];
        bsum[q] = 0;
        const double *o = w->ovl[j];
        for (int i = 0; i < n; i++) {
            w->beta[q][i] = per * c->D[i] / llat * o[i]; /* [um/h] */
            bsum[q] += w->beta[q][i];
        }
        if (!(vch[q] > 0))
            return exo_ctx_error(w->ctx, EXO_ENUMERIC, "channel family %d has no volume", j);
    }
    t->m = m;
    t->ns = 2 + m;
    return EXO_OK;
}

/* Stage 2, assembly: the tridiagonal block and its factorisation (kept or
 * made), and the coupling columns U = T^{-1} U0 of the scalar rows.
 * The block depends on dt, the coefficients, the wet flag and the open
 * channels.  Without channels it is reused while dt stays the same (most
 * steps run at dt_max), together with its responses e0, ef to unit sources
 * at the top cell and at the follicle cell. */
static void assemble(exo_stepper *w, const exo_grid *g, const exo_coeffs *c, const exo_surface *sf,
                     double dt, step_terms *t)
{
    const int n = g->n, m = t->m;
    const bool wet = t->wet;
    const double Gtop = t->Gtop, Gbot = t->Gbot;
    if (!w->Gvalid || w->Gver != c->version) {
        /* the kept matrix stays while only the uptake moved, and by little */
        bool keep = w->Gvalid;
        double dk = 0;
        for (int i = 0; i < n - 1; i++) {
            double Gi = face_conductance(g, c, i);
            keep = keep && Gi == w->G[i];
            w->G[i] = Gi;
        }
        for (int i = 0; i < n; i++) {
            double ko = c->k_deg[i] + c->k_clr[i], d = fabs(c->k_up[i] - w->kref[i]);
            keep = keep && ko == w->kold[i] && d <= UPTAKE_LAG * w->kref[i];
            dk = fmax(dk, d);
            w->kold[i] = ko;
            w->kh[i] = (ko + c->k_up[i]) * g->h[i];
        }
        w->dkmax = dk;
        w->lag = dk != 0;
        w->Gver = c->version;
        w->Gvalid = true;
        if (!keep)
            new_matrix(w, c);
    }
    if (w->lag && w->dkmax * dt > UPTAKE_LAG_DT) /* too long a step for the explicit difference */
        new_matrix(w, c);
    slot *sl = NULL;
    bool reuse = false;
    w->uses++;
    if (m == 0) {
        for (int k = 0; k < NSLOT && !sl; k++) {
            slot *x = &w->slots[k];
            if (x->valid && x->dt == dt && x->version == w->mver && x->wet == wet && x->ifol == sf->i_fol)
                sl = x;
        }
        reuse = sl != NULL;
    }
    if (!sl) { /* least recently used (slot 0 is scratch while channels are open) */
        sl = &w->slots[0];
        for (int k = 1; k < NSLOT && m == 0; k++)
            if (!w->slots[k].valid || w->slots[k].last < sl->last)
                sl = &w->slots[k];
    }
    sl->last = w->uses;
    w->cp = sl->cp;
    w->den = sl->den;
    w->ml = sl->ml;
    w->mid = sl->mid;
    const double *G = w->G;
    if (!reuse) {
        double *lo = w->lo, *di = w->di, *up = w->up;
        for (int i = 0; i < n; i++) {
            double gl = i > 0 ? G[i - 1] : Gtop;
            double gr = i < n - 1 ? G[i] : Gbot;
            lo[i] = i > 0 ? -gl : 0.0;
            up[i] = i < n - 1 ? -gr : 0.0;
            double d = g->h[i] / dt + gl + gr + w->khm[i];
            for (int q = 0; q < m; q++)
                d += w->beta[q][i];
            di[i] = d;
        }
        babe_factor(w); /* diagonally dominant M-matrix: no pivoting needed */
        sl->mid = w->mid;
        sl->valid = m == 0;
        sl->dt = dt;
        sl->version = w->mver;
        sl->wet = wet;
        sl->ifol = sf->i_fol;
        sl->has_e0 = sl->has_ef = false;
    }
    /* coupling: cell rows gain from the scalars through the columns U0 (film:
     * Gtop/W at the top cell; follicles: k_rel at the follicle cell; channels:
     * along the channel); U = T^{-1} U0.  The film and follicle columns are
     * multiples of the unit responses e0, ef: U_0 = sV e0, U_1 = k_rel ef. */
    const double sV = Gtop * t->iW;
    t->sV = sV;
    t->sl = sl;
    w->wtop = t->W > 0 ? Gtop : 0.0;
    /* the Schur complement reads e0 and ef through the film row (wet) and the
     * channel rows; otherwise they are needed only if X_0, X_1 turn out non-zero */
    unit_responses(w, sl, sf->i_fol, (w->wtop != 0 || m > 0) && sV != 0, (w->wtop != 0 || m > 0) && sf->k_rel != 0);
    for (int q = 0; q < m; q++) {
        double kc = sf->ch[t->chi[q]].k_close;
        for (int i = 0; i < n; i++) {
            w->U0[2 + q][i] = w->beta[q][i] / t->vch[q] + kc * w->trap[t->chi[q]][i];
        }
        memcpy(w->U[2 + q], w->U0[2 + q], (size_t)n * sizeof(double));
        thomas_solve(w, w->U[2 + q]);
    }
}

/* Stage 3, surface system: the scalar rows A0 X - Wr E = old/dt and their
 * Schur complement S, factorised. */
static exo_status surface_system(exo_stepper *w, const exo_coeffs *c, const exo_surface *sf, double dt,
                                 const exo_species *s, step_terms *t)
{
    const int m = t->m, ns = t->ns, *chi = t->chi;
    const double *vch = t->vch, *bsum = t->bsum, iW = t->iW, sV = t->sV;
    const double Gtop = t->Gtop, kfol = t->kfol, kfill = t->kfill;
    const slot *sl = t->sl;
    double A0[NS][NS] = {{0}}, (*S)[NS] = t->S, *old = t->old;
    old[0] = s->V;
    old[1] = s->F;
    for (int q = 0; q < m; q++)
        old[2 + q] = s->ch[chi[q]];
    double sumv = 0;
    for (int q = 0; q < m; q++)
        sumv += vch[q];
    A0[0][0] = 1.0 / dt + c->k_film + (Gtop + kfol + kfill * sumv) * iW;
    for (int q = 0; q < m; q++)
        A0[0][2 + q] = -kfill;
    A0[1][1] = 1.0 / dt + sf->k_rel + c->k_film;
    A0[1][0] = -kfol * iW;
    for (int q = 0; q < m; q++) {
        A0[2 + q][2 + q] = 1.0 / dt + kfill + bsum[q] / vch[q] + sf->ch[chi[q]].k_close + c->k_chan;
        A0[2 + q][0] = -kfill * vch[q] * iW;
    }
    for (int k = 0; k < ns; k++)
        for (int l = 0; l < ns; l++) {
            /* rows that draw on no cell: the follicles, and the film when dry */
            bool none = k == 1 || (k == 0 && w->wtop == 0);
            double u = 0;
            if (none)
                u = 0;
            else if (l == 0)
                u = sV != 0 ? sV * wr_dot(w, k, sl->e0) : 0.0;
            else if (l == 1)
                u = sf->k_rel != 0 ? sf->k_rel * wr_dot(w, k, sl->ef) : 0.0;
            else
                u = wr_dot(w, k, w->U[l]);
            S[k][l] = A0[k][l] - u;
        }
    exo_status st = lu_factor(ns, S, t->piv);
    if (st != EXO_OK)
        return exo_ctx_error(w->ctx, st, "transport step: singular surface system");
    return EXO_OK;
}

/* Stage 4, net inflow: R (cells) and RS (scalars) at the current state, in
 * delta form: M (x' - x) = net inflow.  Every exchange is evaluated once and
 * added to one compartment and taken from the other, so the right-hand side
 * conserves mass exactly and the rounding of the stored matrix only touches
 * the (small) increment.  The internal face fluxes are formed in the same
 * sweep as the cells' own terms.  Returns what the sources made
 * [amount/um^2/h]. */
static double net_inflow(exo_stepper *w, const exo_grid *g, const exo_coeffs *c, const exo_surface *sf,
                         const exo_species *s, step_terms *t)
{
    const int n = g->n, m = t->m, *chi = t->chi;
    const double *vch = t->vch, *old = t->old, W = t->W, iW = t->iW;
    const double Gtop = t->Gtop, kfol = t->kfol, kfill = t->kfill, Gbot = t->Gbot;
    const double *G = w->G;
    double *R = w->tmp, *RS = t->RS;
    const double *E = s->E, *kh = w->kh;
    double made = 0;
    {
        double fin = 0; /* [amount/um^2/h] flux into cell i from above */
        for (int i = 0; i < n - 1; i++) {
            double f = G[i] * (E[i] - E[i + 1]);
            double sh = c->src[i] * g->h[i];
            R[i] = ((sh - kh[i] * E[i]) + fin) - f;
            made += sh;
            fin = f;
        }
        made += c->src[n - 1] * g->h[n - 1];
        int i = n - 1;
        R[i] = (c->src[i] * g->h[i] - kh[i] * E[i]) + fin;
        R[i] -= Gbot * E[i];
    }
    if (W > 0) {
        double f = Gtop * (old[0] * iW - E[0]); /* film -> top cell */
        R[0] += f;
        RS[0] -= f;
        f = kfol * old[0] * iW; /* film -> follicles */
        RS[0] -= f;
        RS[1] += f;
    }
    {
        double f = sf->k_rel * old[1]; /* follicles -> tissue */
        RS[1] -= f;
        R[sf->i_fol] += f;
    }
    RS[0] -= c->k_film * old[0];
    RS[1] -= c->k_film * old[1];
    for (int q = 0; q < m; q++) {
        double Ch = old[2 + q], cc = Ch / vch[q], kc = sf->ch[chi[q]].k_close;
        const double *tr = w->trap[chi[q]];
        for (int i = w->span_lo[2 + q]; i < w->span_hi[2 + q]; i++) {
            double f = w->beta[q][i] * (cc - E[i]) + kc * Ch * tr[i]; /* walls + closure (none outside) */
            R[i] += f;
            RS[2 + q] -= f;
        }
        if (W > 0) {
            double f = kfill * (vch[q] * old[0] * iW - Ch); /* film -> channel fluid */
            RS[0] -= f;
            RS[2 + q] += f;
        }
        RS[2 + q] -= c->k_chan * Ch;
    }
    return made;
}

/* Stage 5, bordered solve: E' - E = T^{-1} R + sum_k U_k X_k with the Schur
 * complement S X = RS + Wr T^{-1} R.  R ends with the cell and channel terms;
 * the film and follicle terms are a0 e0 + a1 ef. */
static void bordered_solve(exo_stepper *w, const exo_surface *sf, step_terms *t, double *a0, double *a1)
{
    const int n = w->n, m = t->m, ns = t->ns;
    double *R = w->tmp, *RS = t->RS, *X = t->X;
    thomas_solve(w, R);
    for (int k = 0; k < ns; k++)
        RS[k] += wr_dot(w, k, R);
    lu_solve(ns, t->S, t->piv, RS);
    for (int k = 0; k < ns; k++)
        X[k] = RS[k];
    for (int q = 0; q < m; q++) {
        const double *u = w->U[2 + q];
        for (int i = 0; i < n; i++)
            R[i] += u[i] * X[2 + q];
    }
    *a0 = t->sV * X[0];
    *a1 = sf->k_rel * X[1];
    unit_responses(w, t->sl, sf->i_fol, *a0 != 0, *a1 != 0);
}

/* Stage 6, ledger: the new state, and every flux at its t+dt value, times
 * dt (backward Euler), in the same sweep. */
static void ledger(exo_stepper *w, const exo_grid *g, const exo_coeffs *c, const exo_surface *sf, double dt,
                   exo_species *s, step_terms *t, double made, double a0, double a1)
{
    const int n = g->n, m = t->m, ns = t->ns, *chi = t->chi;
    const double *vch = t->vch, *old = t->old, W = t->W, iW = t->iW, Gtop = t->Gtop, Gbot = t->Gbot;
    const double *G = w->G, *R = w->tmp, *e0 = t->sl->e0, *ef = t->sl->ef;
    double *X = t->X;
    double *En = s->E;
    const double *kref = w->kref;
    for (int L = 0; L < EXO_LAYER_COUNT; L++) {
        double deg = 0, clr = 0, up = 0;
        const int i0 = g->first[L], i1 = g->first[L + 1];
        if (w->lag) /* the uptake the matrix lags by, taken at the current state */
            for (int i = i0; i < i1; i++)
                up += (c->k_up[i] - kref[i]) * g->h[i] * En[i];
        if (a0 != 0 && a1 != 0)
            for (int i = i0; i < i1; i++)
                En[i] += R[i] + a0 * e0[i] + a1 * ef[i];
        else if (a1 != 0)
            for (int i = i0; i < i1; i++)
                En[i] += R[i] + a1 * ef[i];
        else if (a0 != 0)
            for (int i = i0; i < i1; i++)
                En[i] += R[i] + a0 * e0[i];
        else
            for (int i = i0; i < i1; i++)
                En[i] += R[i];
        for (int i = i0; i < i1; i++) {
            double m_i = g->h[i] * En[i];
            deg += c->k_deg[i] * m_i;
            clr += c->k_clr[i] * m_i;
            up += kref[i] * m_i;
        }
        s->degraded[L] += dt * deg;
        s->cleared[L] += dt * clr;
        s->taken_up[L] += dt * up;
    }
    for (int k = 0; k < ns; k++)
        X[k] += old[k];
    const double V = X[0], F = X[1];
    s->produced += dt * made;
    s->applied += dt * made;
    s->bottom_out += dt * Gbot * En[n - 1];
    double surf_decay = c->k_film * (V + F);
    /* net flux into the viable tissue across the SC/epidermis face */
    int isc = g->first[EXO_LAYER_VE];
    if (isc > 0 && isc < n)
        s->route[EXO_ROUTE_SC] += dt * G[isc - 1] * (En[isc - 1] - En[isc]);
    else if (isc == 0) /* no SC: the film feeds the epidermis directly */
        s->route[EXO_ROUTE_SC] += dt * (W > 0 ? Gtop * (V * iW - En[0]) : 0.0);
    s->route[EXO_ROUTE_FOLLICLE] += dt * sf->k_rel * F;
    for (int q = 0; q < m; q++) {
        const exo_channels *ch = &sf->ch[chi[q]];
        double Ch = X[2 + q], cc = Ch / vch[q], into = 0;
        for (int i = w->span_lo[2 + q]; i < w->span_hi[2 + q]; i++)
            into += w->beta[q][i] * (cc - En[i]);
        into += ch->k_close * Ch;
        s->route[ch->route] += dt * into;
        surf_decay += c->k_chan * Ch;
        s->ch[chi[q]] = Ch;
    }
    s->degraded_surface += dt * surf_decay;
    s->V = V;
    s->F = F;
}

/* One backward-Euler step of the column with its surface compartments, in
 * named stages: channels, assembly, surface system, net inflow, bordered
 * solve, ledger (the operations and their order are those of one sweep). */
exo_status exo__step(exo_stepper *w, const exo_grid *g, const exo_coeffs *c,
                     const exo_surface *sf, double dt, exo_species *s)
{
    const int n = g->n;
    if (!(dt > 0) || !isfinite(dt))
        return exo_ctx_error(w->ctx, EXO_EINVAL, "transport step: dt = %g h", dt);
    step_terms t;
    t.wet = exo__surface_transfers(sf);
    t.W = exo__surface_film(sf); /* [um] */
    /* 1/W averaged over the step (the film thins during it; sf->inv_film, when
     * set, is the exact time average, else 1/W at the end of the step) */
    t.iW = t.W > 0 ? (sf->inv_film > 0 ? sf->inv_film : 1.0 / t.W) : 0.0; /* [1/um] */
    t.Gtop = t.wet ? c->D[0] / (0.5 * g->h[0]) : 0.0; /* [um/h] */
    t.kfol = t.wet ? sf->f_fol * sf->k_fol : 0.0;     /* [um/h] */
    t.kfill = t.wet ? sf->k_fill : 0.0;               /* [1/h] */
    t.Gbot = c->bottom_sink ? c->D[n - 1] / (0.5 * g->h[n - 1]) : 0.0;
    for (int k = 0; k < NS; k++)
        t.RS[k] = 0;
    exo_status st = channel_terms(w, g, c, sf, &t);
    if (st != EXO_OK)
        return st;
    assemble(w, g, c, sf, dt, &t);
    if ((st = surface_system(w, c, sf, dt, s, &t)) != EXO_OK)
        return st;
    double made = net_inflow(w, g, c, sf, s, &t), a0, a1;
    bordered_solve(w, sf, &t, &a0, &a1);
    ledger(w, g, c, sf, dt, s, &t, made, a0, a1);
    return EXO_OK;
}

void exo__species_layers(const exo_grid *g, const exo_species *s, double out[EXO_LAYER_COUNT])
{
    for (int l = 0; l < EXO_LAYER_COUNT; l++)
        out[l] = 0;
    for (int i = 0; i < g->n; i++)
        out[g->layer[i]] += g->h[i] * s->E[i];
}

double exo__species_total_of(const exo_species *s, const double lay[EXO_LAYER_COUNT])
{
    double t = s->V + s->F + s->washed + s->bottom_out + s->degraded_surface;
    for (int l = 0; l < EXO_LAYER_COUNT; l++)
        t += lay[l] + s->degraded[l] + s->cleared[l] + s->taken_up[l];
    for (int j = 0; j < EXO_MAX_CHANNELS; j++)
        t += s->ch[j];
    return t;
}

double exo__species_total(const exo_grid *g, const exo_species *s)
{
    double lay[EXO_LAYER_COUNT];
    exo__species_layers(g, s, lay);
    return exo__species_total_of(s, lay);
}

double exo__species_balance(const exo_grid *g, const exo_species *s)
{
    return s->applied - exo__species_total(g, s);
}

double exo__species_delivered_below_of(const exo_species *s, const double lay[EXO_LAYER_COUNT], int layer)
{
    double t = s->bottom_out;
    for (int l = layer; l < EXO_LAYER_COUNT; l++)
        t += lay[l] + s->degraded[l] + s->cleared[l] + s->taken_up[l];
    return t;
}

double exo__species_delivered_below(const exo_grid *g, const exo_species *s, int layer)
{
    double lay[EXO_LAYER_COUNT];
    exo__species_layers(g, s, lay);
    return exo__species_delivered_below_of(s, lay, layer);
}

void exo__channels_retire(const exo_grid *g, exo_surface *sf, int j, exo_species *s)
{
    exo_channels *ch = &sf->ch[j];
    double olen = 0;
    for (int i = 0; i < g->n; i++)
        olen += exo__grid_overlap(g, i, sf->h_sc, ch->depth);
    if (olen > 0 && s->ch[j] != 0) {
        /* the last channel fluid is trapped in the tissue along the channel */
        for (int i = 0; i < g->n; i++) {
            double o = exo__grid_overlap(g, i, sf->h_sc, ch->depth);
            s->E[i] += s->ch[j] * (o / olen) / g->h[i];
        }
        s->route[ch->route] += s->ch[j];
        s->ch[j] = 0;
    }
}
