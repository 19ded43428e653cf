/* adverse.c - adverse events of a run.  Acute events follow
 * deterministically from the readouts: redness while the erythema index is
 * more than 10 % above baseline, swelling while papillary inflammation is
 * above 0.5 (half the post-needling peak), barrier disruption while TEWL is
 * more than 50 % above baseline, a wheal while the fluid of an intradermal
 * injection not yet absorbed thickens the dermis by more than 10 % of its
 * baseline (ultrasound thickness).  Rare events are drawn for the virtual
 * patient: hypersensitivity and delayed granuloma occur with probability
 * 1 - exp(-lambda E), E the time integral of immune activation by foreign
 * cargo (docs/readouts.md); granuloma onset is 2 weeks to 3 months after the
 * exposure (Nahm 2024), hypersensitivity within 1-3 days.  Random numbers
 * come from the counter-based stream keyed by (seed, purpose, arm). */
#include "engine_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { PURPOSE_HYPER = 0xAE01, PURPOSE_GRAN = 0xAE02 };

static double readout_of(const exo_row *r, int k) { return r->rd[k]; }
static double wheal_of(const exo_row *r, int k)
{
    (void)k;
    return r->wheal;
}

/* Episodes while value(row, k) is above lim; the peak is counted from b0. */
static int episodes(const exo_arm_result *a, double (*value)(const exo_row *, int), int k, double b0, double lim,
                    const char *kind, exo_adverse_event *ev, int n, int max)
{
    bool on = false;
    for (int i = 0; i < a->n_rows; i++) {
        double v = value(&a->rows[i], k);
        if (!on && v > lim) {
            on = true;
            if (n < max) {
                memset(&ev[n], 0, sizeof ev[n]);
                snprintf(ev[n].kind, sizeof ev[n].kind, "%s", kind);
                ev[n].onset = a->rows[i].t / EXO_DAY;
                ev[n].duration = -1;
                ev[n].peak = v - b0;
            }
            n++;
        } else if (on && v > lim) {
            if (n - 1 < max)
                ev[n - 1].peak = fmax(ev[n - 1].peak, v - b0);
        } else if (on && v <= lim) {
            on = false;
            if (n - 1 < max)
                ev[n - 1].duration = a->rows[i].t / EXO_DAY - ev[n - 1].onset;
        }
    }
    return n;
}

int exo_result_adverse(const exo_result *r, int arm, exo_adverse_event *ev, int max)
{
    const exo_arm_result *a = &r->arms[arm];
    if (a->n_rows == 0)
        return 0;
    int n = 0;
    const double *rd0 = a->rows[0].rd;
    n = episodes(a, readout_of, EXO_RD_ERYTHEMA, rd0[EXO_RD_ERYTHEMA], 1.10 * rd0[EXO_RD_ERYTHEMA], "redness", ev, n,
                 max);
    n = episodes(a, readout_of, EXO_RD_INFLAMMATION, 0.0, 0.5, "swelling", ev, n, max);
    n = episodes(a, readout_of, EXO_RD_TEWL, rd0[EXO_RD_TEWL], 1.5 * rd0[EXO_RD_TEWL], "barrier_disruption", ev, n,
                 max);
    n = episodes(a, wheal_of, 0, 0.0, 0.10 * rd0[EXO_RD_US_THICKNESS], "wheal", ev, n, max);
    const exo_row *last = &a->rows[a->n_rows - 1];
    const exo_paramset *p = &r->cfg->params;
    const double lam[2] = {p->v[EXO_P_AE_HYPER], p->v[EXO_P_AE_GRANULOMA]};
    const uint64_t purpose[2] = {PURPOSE_HYPER, PURPOSE_GRAN};
    const char *kinds[2] = {"hypersensitivity", "granuloma"};
    for (int j = 0; j < 2; j++) {
        double prob = 1.0 - exp(-lam[j] * last->immune_exposure);
        if (exo_rng_uniform(r->cfg->seed, purpose[j], (uint64_t)arm, 0) >= prob)
            continue;
        /* onset after the exposure began: the first record with any exposure */
        double t0 = 0;
        for (int i = 0; i < a->n_rows; i++)
            if (a->rows[i].immune_exposure > 0) {
                t0 = a->rows[i].t / EXO_DAY;
                break;
            }
        double u = exo_rng_uniform(r->cfg->seed, purpose[j], (uint64_t)arm, 1);
        if (n < max) {
            memset(&ev[n], 0, sizeof ev[n]);
            snprintf(ev[n].kind, sizeof ev[n].kind, "%s", kinds[j]);
            ev[n].serious = true;
            ev[n].onset = t0 + (j == 0 ? 1 + 2 * u : 14 + 76 * u);
            ev[n].duration = j == 0 ? 7 : 90; /* resolves with treatment over days (hypersensitivity) or months */
            ev[n].peak = prob;
        }
        n++;
    }
    return n;
}
