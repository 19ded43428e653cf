/* endpoint.c - study endpoints read off a finished run: delivered amounts at
 * a time, and channel-closure times from the open-area history (the excess
 * TEWL of open micro-channels is proportional to their open area, docs/sources.md M7
 * section 7, so barrier recovery is read from it). */
#include <exoskin/exo_input.h>
#include "engine_impl.h"

#include <math.h>

static const exo_row *row_at(const exo_arm_result *a, double t)
{
    const exo_row *best = NULL;
    for (int i = 0; i < a->n_rows; i++)
        if (!best || fabs(a->rows[i].t - t) < fabs(best->t - t))
            best = &a->rows[i];
    return best;
}

/* First time after the peak of the open area when it falls to frac of the
 * peak, interpolated log-linearly between steps; returns the time since the
 * peak [h], or -1 if it never does. */
static double fall_time(const exo_arm_result *a, double frac)
{
    int ipk = -1;
    double pk = 0;
    for (int i = 0; i < a->n_hist; i++) {
        double v = a->hist[i].a_needle + a->hist[i].a_laser;
        if (v > pk) {
            pk = v;
            ipk = i;
        }
    }
    if (ipk < 0)
        return -1;
    for (int i = ipk + 1; i < a->n_hist; i++) {
        double v = a->hist[i].a_needle + a->hist[i].a_laser;
        if (v <= frac * pk) {
            double v0 = a->hist[i - 1].a_needle + a->hist[i - 1].a_laser;
            double t0 = a->hist[i - 1].t, t1 = a->hist[i].t;
            double tc = t1;
            if (v > 0 && v0 > v)
                tc = t0 + (t1 - t0) * log(v0 / (frac * pk)) / log(v0 / v);
            /* the peak is seen at the end of the first step after the channels
             * opened; that step began at the previous record (or at 0) */
            double t_open = ipk > 0 ? a->hist[ipk - 1].t : 0.0;
            return tc - t_open;
        }
    }
    return -1;
}

/* Time [h] from the first to the last output at which readout k differs from
 * its baseline by more than frac of it, each end interpolated linearly to the
 * crossing; 0 if it never does. */
static double duration_off_baseline(const exo_arm_result *a, int k, double frac)
{
    double b0 = a->rows[0].rd[k], lim = frac * fabs(b0);
    int first = -1, last = -1;
    for (int i = 1; i < a->n_rows; i++)
        if (fabs(a->rows[i].rd[k] - b0) > lim) {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first < 0)
        return 0.0;
    double t0 = a->rows[first].t, t1 = a->rows[last].t;
    double d0 = fabs(a->rows[first - 1].rd[k] - b0), d1 = fabs(a->rows[first].rd[k] - b0);
    if (d1 > d0)
        t0 -= (a->rows[first].t - a->rows[first - 1].t) * (d1 - lim) / (d1 - d0);
    if (last + 1 < a->n_rows) {
        double e0 = fabs(a->rows[last].rd[k] - b0), e1 = fabs(a->rows[last + 1].rd[k] - b0);
        if (e0 > e1)
            t1 += (a->rows[last + 1].t - a->rows[last].t) * (e0 - lim) / (e0 - e1);
    }
    return t1 - t0;
}

/* Share of a disruption of readout k repaired at the output `row` [%]: the
 * peak is the output up to it farthest from the baseline (t = 0), so 100
 * (peak - now) / (peak - baseline); an error if the readout never moved. */
static exo_status recovered_fraction(exo_ctx *ctx, const exo_endpoint_cfg *ep, const exo_arm_result *a, int k,
                                     const exo_row *row, double *v)
{
    double b0 = a->rows[0].rd[k], pk = b0;
    for (int i = 1; i < a->n_rows && a->rows[i].t <= row->t; i++)
        if (fabs(a->rows[i].rd[k] - b0) > fabs(pk - b0))
            pk = a->rows[i].rd[k];
    if (pk == b0)
        return exo_ctx_error(ctx, EXO_ENUMERIC, "endpoint recovered_fraction: %s never leaves its baseline in arm '%s'",
                             exo_quantity_name(ep->quantity), a->name);
    *v = 100.0 * (pk - row->rd[k]) / (pk - b0);
    return EXO_OK;
}

/* The % change of v against b0, the same quantity at the reference time. */
static exo_status percent_change(exo_ctx *ctx, const exo_endpoint_cfg *ep, const exo_arm_result *a, double b0,
                                 double *v)
{
    if (b0 == 0)
        return exo_ctx_error(ctx, EXO_ENUMERIC, "endpoint %s: baseline is 0 in arm '%s'",
                             exo_quantity_name(ep->quantity), a->name);
    *v = 100.0 * (*v - b0) / b0;
    return EXO_OK;
}

exo_status exo_result_quantity(exo_ctx *ctx, const exo_result *r, int arm, const exo_endpoint_cfg *ep,
                               double *out)
{
    if (arm < 0 || arm >= r->n_arms)
        return exo_ctx_error(ctx, EXO_EINVAL, "endpoint: arm %d does not exist", arm);
    const exo_arm_result *a = &r->arms[arm];
    const exo_row *row = row_at(a, ep->time);
    const exo_row *ref = ep->has_reference_time ? row_at(a, ep->reference_time) : &a->rows[0];
    double v;
    switch (ep->quantity) {
    case EXO_Q_DELIVERED_PAST_SC:
        v = row->below[EXO_LAYER_VE] * EXO_CM * EXO_CM; /* [particles/cm^2] */
        break;
    case EXO_Q_DELIVERED_FRACTION:
        v = row->applied > 0 ? row->below[EXO_LAYER_VE] / row->applied : 0.0;
        break;
    case EXO_Q_DELIVERED_DERMIS:
        v = row->below[EXO_LAYER_PAP] * EXO_CM * EXO_CM;
        break;
    case EXO_Q_ABSORBED:
        v = row->applied > 0 ? row->absorbed / row->applied : 0.0;
        break;
    case EXO_Q_RECOVERY_TIME:
        v = fall_time(a, ep->threshold);
        break;
    case EXO_Q_CLOSURE_HALF_LIFE:
        v = fall_time(a, 0.5);
        break;
    case EXO_Q_SERIOUS_AE:
        v = row->p_serious;
        break;
    default:
        if (ep->quantity >= EXO_Q_READOUT_FIRST && ep->quantity < EXO_Q_READOUT_FIRST + EXO_RD_COUNT) {
            int k = ep->quantity - EXO_Q_READOUT_FIRST;
            v = row->rd[k];
            if (ep->compare == EXO_CMP_DURATION) {
                v = duration_off_baseline(a, k, ep->threshold);
            } else if (ep->compare == EXO_CMP_RECOVERED_FRACTION) {
                exo_status st = recovered_fraction(ctx, ep, a, k, row, &v);
                if (st != EXO_OK)
                    return st;
            } else if (ep->compare == EXO_CMP_CHANGE_RATIO) {
                v -= a->rows[0].rd[k]; /* the change from the arm's own baseline */
            } else if (ep->compare == EXO_CMP_PERCENT_CHANGE) {
                exo_status st = percent_change(ctx, ep, a, ref->rd[k], &v);
                if (st != EXO_OK)
                    return st;
            }
            break;
        }
        return exo_ctx_error(ctx, EXO_EINVAL, "endpoint: unknown quantity");
    }
    if (v < 0 && (ep->quantity == EXO_Q_RECOVERY_TIME || ep->quantity == EXO_Q_CLOSURE_HALF_LIFE))
        return exo_ctx_error(ctx, EXO_EINVAL, "endpoint %s: no channels closed in arm '%s'",
                             exo_quantity_name(ep->quantity), a->name);
    *out = v;
    return EXO_OK;
}

exo_status exo_result_endpoint(exo_ctx *ctx, const exo_result *r, const exo_endpoint_cfg *ep, double *out)
{
    double x, y = 0;
    exo_status st = exo_result_quantity(ctx, r, ep->arm, ep, &x);
    if (st != EXO_OK)
        return st;
    if (ep->compare != EXO_CMP_VALUE && ep->compare != EXO_CMP_PERCENT_CHANGE && ep->compare != EXO_CMP_DURATION &&
        ep->compare != EXO_CMP_RECOVERED_FRACTION) {
        exo_endpoint_cfg at = *ep;
        if (ep->has_reference_time)
            at.time = ep->reference_time;
        st = exo_result_quantity(ctx, r, ep->reference_arm, &at, &y);
        if (st != EXO_OK)
            return st;
    }
    switch (ep->compare) {
    case EXO_CMP_VALUE:
    case EXO_CMP_PERCENT_CHANGE:
    case EXO_CMP_DURATION:
    case EXO_CMP_RECOVERED_FRACTION:
        *out = x;
        break;
    case EXO_CMP_ANNUAL_LOSS: {
        double dage = r->cfg->arms[ep->arm].skin.age - r->cfg->arms[ep->reference_arm].skin.age;
        if (!(x > 0) || !(y > 0) || dage == 0)
            return exo_ctx_error(ctx, EXO_ENUMERIC, "endpoint annual_loss: needs positive values and arms of different ages");
        *out = -100.0 * log(x / y) / dage;
        break;
    }
    case EXO_CMP_RATIO:
        if (!(y > 0))
            return exo_ctx_error(ctx, EXO_ENUMERIC, "endpoint ratio: reference arm gives %g", y);
        *out = x / y;
        break;
    case EXO_CMP_CHANGE_RATIO:
        if (y == 0)
            return exo_ctx_error(ctx, EXO_ENUMERIC, "endpoint change_ratio: the reference arm's %s does not change",
                                 exo_quantity_name(ep->quantity));
        *out = x / y;
        break;
    case EXO_CMP_DIFFERENCE:
        *out = x - y;
        break;
    default:
        return exo_ctx_error(ctx, EXO_EINVAL, "endpoint: unknown comparison");
    }
    return EXO_OK;
}
