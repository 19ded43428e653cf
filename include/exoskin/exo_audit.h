/* exo_audit.h - "can this label be true": a product label (the only product
 * of an audit file and its `audit:` block, docs/audit.md) becomes the
 * functional vesicle dose that reaches the viable epidermis and the dermis
 * per application and per month for each route (topical use at the label's
 * amount and frequency, microneedling or fractional laser followed by one
 * application, intradermal injection), each run twice: with the product and
 * with its vehicle alone by the same protocol.  The product is judged by the
 * difference: its own change of a readout beyond the vehicle-and-procedure
 * arm, and the concentration at which that difference becomes measurable;
 * a claim per route and a verdict with reasons.
 * Every number comes from column runs of the model (exo_run). */
#ifndef EXO_AUDIT_H
#define EXO_AUDIT_H

#include "exo_run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_AUDIT_DAYS_PER_MONTH 30.0 /* [d] a month, for the per-month values */
#define EXO_AUDIT_SCAN_LO 1e6         /* [particles/mL] lowest concentration of the dose search */
#define EXO_AUDIT_SCAN_HI 1e14        /* [particles/mL] highest (the loader's limit) */
#define EXO_AUDIT_IMPLAUSIBLE_FACTOR 10.0 /* needed / labelled above which a label is implausible */

typedef enum { EXO_AUDIT_PLAUSIBLE, EXO_AUDIT_IMPLAUSIBLE, EXO_AUDIT_UNKNOWN, EXO_AUDIT_VERDICT_COUNT } exo_audit_verdict;
/* "plausible", "implausible at this dose", "unknown". */
const char *exo_audit_verdict_name(exo_audit_verdict v);

/* One arm of a route run over 4 weeks (all per cm^2 of skin). */
typedef struct {
    double applied[2];           /* [particles/cm^2] functional vesicles applied: per application, per month */
    double viable_epidermis[2];  /* [particles/cm^2] reached the viable epidermis or deeper: per application, per month */
    double dermis[2];            /* [particles/cm^2] reached the dermis or deeper: per application, per month */
    double baseline, week4;      /* the threshold readout at 0 and 4 weeks, readout unit */
    double change;               /* [%] its change from baseline */
} exo_audit_arm;

/* One route: the label and its vehicle alone by the same protocol (same
 * amount, schedule and procedure; the product's concentration set to 0),
 * judged by the difference. */
typedef struct {
    bool present;                /* the route was asked for (audit.routes) */
    double applications;         /* [1] applications of the label in the 4-week run */
    double per_month;            /* [1] applications per 30 days (procedures: one session a month) */
    exo_audit_arm product;       /* the label at the concentration used */
    exo_audit_arm vehicle;       /* the vehicle alone (and the procedure) */
    double difference;           /* product - vehicle readout at 4 weeks, readout unit */
    double own_change;           /* [%] the product's own change: difference / baseline */
    bool measurable;             /* own_change reaches the measurable change (exo_audit_result.measurable) */
    int n_draws;                 /* [1] posterior draws run (audit.draws; 0: none) */
    double p_measurable;         /* [1] share of the draws whose own change reaches the measurable change */
    double own_p05, own_p95;     /* [%] 5-95 % range of the own change over the draws */
    char claim[320];             /* what the label can honestly claim for this route, one sentence */
} exo_audit_route_result;

/* The smallest concentration at which a route's product changes the readout
 * measurably beyond its vehicle. */
typedef struct {
    bool searched;
    bool found;        /* false: not reached even at EXO_AUDIT_SCAN_HI */
    bool at_floor;     /* reached already at EXO_AUDIT_SCAN_LO (the value is an upper bound) */
    double conc;       /* [particles/mL] needed (upper end of the last bisection bracket) */
    double change;     /* [%] the product's own change beyond the vehicle there */
    double vehicle_change; /* [%] the vehicle arm's change from baseline (procedure and film) */
    int runs;          /* [1] model runs spent, the vehicle arm's included */
} exo_audit_dose;

#define EXO_AUDIT_MAX_REASONS 5
typedef struct {
    char product[EXO_NAME_MAX];
    exo_origin origin;
    bool conc_known;           /* the label states a concentration */
    bool origin_stated;
    double label_conc;         /* [particles/mL] as labelled (0 if unknown) */
    double used_conc;          /* [particles/mL] in the runs: the label's, or the model's assumed one */
    double amount;             /* [mg/cm^2] per use (at 1 g/mL) */
    char frequency[64];
    exo_quantity readout;      /* the threshold readout */
    double threshold;          /* [%] change that counts as measurable, as given (sign: direction) */
    double mdd;                /* the readout's minimal detectable difference (exo_readout_mdd), readout unit */
    double measurable;         /* [%] the change beyond the vehicle that counts: the threshold, or the MDD
                                  as a % of baseline where larger (sign: direction) */
    exo_audit_route_result routes[EXO_AUDIT_ROUTE_COUNT];
    exo_audit_dose needed[EXO_AUDIT_ROUTE_COUNT]; /* every route run */
    exo_audit_verdict verdict;
    double p_measurable;       /* [1] the probability behind the verdict: the topical route's p_measurable
                                  (NAN without draws) */
    int n_reasons;
    char reasons[EXO_AUDIT_MAX_REASONS][512];
    int runs;                  /* [1] model runs in all */
} exo_audit_result;

typedef struct {
    bool search;      /* look for the needed concentrations (default true) */
    int bisections;   /* log-space bisections after the decade scan (default 4, 0..20) */
} exo_audit_options;

/* Audits the label of cfg (cfg->audit.present, one product); opt may be NULL
 * for the defaults.  Fills *out (caller-owned, nothing to free).  EXO_EINPUT
 * when cfg has no audit block; statuses of exo_run otherwise. */
exo_status exo_audit_run(exo_ctx *ctx, const exo_config *cfg, const exo_audit_options *opt,
                         exo_progress_fn progress, void *user, exo_audit_result *out);

/* The smallest concentration at which the product changes cfg->audit's
 * readout by `route` at least `threshold` [%] (or the readout's minimal
 * detectable difference, where larger) beyond the same protocol with its
 * vehicle alone in 4 weeks. */
exo_status exo_audit_needed(exo_ctx *ctx, const exo_config *cfg, exo_audit_route route, double threshold,
                            int bisections, exo_audit_dose *out);

/* Writes audit.json (the effective input, every route, the needed
 * concentrations, the verdict and its reasons) into dir atomically. */
exo_status exo_audit_write(exo_ctx *ctx, const exo_audit_result *res, const char *effective_yaml,
                           const char *dir, bool replace);

#ifdef __cplusplus
}
#endif
#endif
