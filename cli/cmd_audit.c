/* cmd_audit.c - the commands that answer a question about one product or one
 * person: `exoskin audit` (can this label be true?) and `exoskin optimize`
 * (the protocol that does most for one person under constraints). */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- audit ----------------------------------------------------------- */

static void print_audit(const exo_audit_result *r)
{
    printf("exoskin %s: label audit of '%s' (%s%s), %s",
           EXO_VERSION_STRING, r->product, exo_origin_name(r->origin), r->origin_stated ? "" : ", origin not stated",
           r->conc_known ? "" : "concentration unknown, ");
    if (r->conc_known)
        printf("%.3g particles/mL, ", r->label_conc);
    else
        printf("runs at the model's assumed %.3g particles/mL, ", r->used_conc);
    printf("%.3g mg/cm^2 %s\n", r->amount, r->frequency);
    printf("functional vesicles per cm^2 (per application / per month of 30 days) and the %s change at 4 weeks;\n"
           "each route run with the label and with its vehicle alone by the same protocol (0 particles/mL)\n",
           exo_quantity_name(r->readout));
    printf("  %-14s %-10s %8s %21s %21s %21s %10s %s\n", "route", "arm", "uses/mo", "applied", "viable epidermis",
           "dermis", "change %", "measurable");
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_route_result *x = &r->routes[k];
        if (!x->present)
            continue;
        const exo_audit_arm *arms[2] = {&x->product, &x->vehicle};
        for (int i = 0; i < 2; i++) {
            const exo_audit_arm *m = arms[i];
            printf("  %-14s %-10s %8.4g %10.3g /%9.3g %10.3g /%9.3g %10.3g /%9.3g %+10.4f\n",
                   i ? "" : exo_audit_route_name((exo_audit_route)k), i ? "vehicle" : "product", x->per_month,
                   m->applied[0], m->applied[1], m->viable_epidermis[0], m->viable_epidermis[1], m->dermis[0],
                   m->dermis[1], m->change);
        }
        printf("  %-14s %-10s %8s %10.3g /%9.3g %10.3g /%9.3g %10.3g /%9.3g %+10.4f %s\n", "", "difference", "",
               x->product.applied[0] - x->vehicle.applied[0], x->product.applied[1] - x->vehicle.applied[1],
               x->product.viable_epidermis[0] - x->vehicle.viable_epidermis[0],
               x->product.viable_epidermis[1] - x->vehicle.viable_epidermis[1],
               x->product.dermis[0] - x->vehicle.dermis[0], x->product.dermis[1] - x->vehicle.dermis[1],
               x->own_change, x->measurable ? "yes" : "no");
        if (x->n_draws > 0)
            printf("  %-14s probability measurable %.2f over %d posterior draws (own change %+.4g to %+.4g %%)\n", "",
                   x->p_measurable, x->n_draws, x->own_p05, x->own_p95);
    }
    printf("measurable change beyond the vehicle: %+.3g %% of %s (threshold %+g %%, minimal detectable difference "
           "%.3g)\n", r->measurable, exo_quantity_name(r->readout), r->threshold, r->mdd);
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++) {
        const exo_audit_dose *d = &r->needed[k];
        if (!d->searched || !(r->routes[k].present || k == EXO_AUDIT_TOPICAL))
            continue;
        printf("  needed by %-13s ", exo_audit_route_name((exo_audit_route)k));
        if (!d->found)
            printf("more than %.3g particles/mL (not reached)", EXO_AUDIT_SCAN_HI);
        else
            printf("%s%.3g particles/mL (%+.3g %% beyond the vehicle's %+.3g %%)", d->at_floor ? "at most " : "",
                   d->conc, d->change, d->vehicle_change);
        if (r->conc_known)
            printf("; label %.3g particles/mL", r->label_conc);
        printf("\n");
    }
    printf("what the label can claim:\n");
    for (int k = 0; k < EXO_AUDIT_ROUTE_COUNT; k++)
        if (r->routes[k].present)
            printf("  %-14s %s\n", exo_audit_route_name((exo_audit_route)k), r->routes[k].claim);
}

static int audit_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    rc = 0;
    const char *file = a.file, *dir = a.out;
    const bool force = a.force, quiet = a.quiet;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_config cfg;
    memset(&cfg, 0, sizeof cfg);
    exo_audit_result res;
    char *yaml = NULL;
    exo_status st;
    if ((rc = cli_load_input(&a, &ctx, &u, &cfg, &yaml)) >= 0)
        goto out;
    rc = 0;
    if (!cfg.audit.present) {
        fprintf(stderr, "exoskin: %s: no audit: block (expected one; see docs/audit.md)\n", file);
        rc = 2;
        goto out;
    }
    cli_progress ps = {isatty(STDERR_FILENO) && !quiet, time(NULL), -1};
    if ((st = exo_audit_run(ctx, &cfg, NULL, cli_progress_bar, &ps, &res)) != EXO_OK ||
        (dir && (st = exo_audit_write(ctx, &res, yaml, dir, force)) != EXO_OK)) {
        rc = cli_fail(ctx, st);
        goto out;
    }
    if (!quiet)
        print_audit(&res);
    printf("verdict: %s\n", exo_audit_verdict_name(res.verdict));
    if (!quiet && isfinite(res.p_measurable))
        printf("  probability that the label's own topical effect is measurable: %.2f (over %d posterior draws)\n",
               res.p_measurable, res.routes[EXO_AUDIT_TOPICAL].n_draws);
    for (int i = 0; !quiet && i < res.n_reasons; i++)
        printf("  - %s\n", res.reasons[i]);
    if (dir && !quiet)
        printf("results in %s/ (report.html, audit.json)\n", dir);
out:
    cli_unload(&ctx, &u, &cfg, yaml, &a);
    return rc;
}

/* ---- optimize -------------------------------------------------------- */

static void print_point(const exo_optimize_result *r, const exo_optimize_point *p, const char *indent)
{
    for (int i = 0; i < r->opt.n_vars; i++)
        printf("%s%-40s %s\n", indent, r->opt.vars[i].key, p->values[i]);
    printf("%s%-40s %+.4g %% (%.5g -> %.5g %s)\n", indent, exo_quantity_name(r->opt.endpoint), p->change,
           p->baseline, p->final, r->endpoint_scale);
    if (r->opt.draws > 0)
        printf("%s%-40s %.3g mean, %.3g at %.0f %% credibility (limit %.3g; within it in %.0f %% of %d posterior "
               "draws)\n", indent, "serious adverse-event risk", p->serious_risk, p->risk_credible,
               100.0 * r->opt.credibility, r->opt.max_serious_risk, 100.0 * p->p_within_risk, r->opt.draws);
    else
        printf("%s%-40s %.3g (limit %.3g)\n", indent, "serious adverse-event risk", p->serious_risk,
               r->opt.max_serious_risk);
    if (r->opt.max_sessions > 0)
        printf("%s%-40s %d (limit %d)\n", indent, "sessions", p->sessions, r->opt.max_sessions);
    else
        printf("%s%-40s %d\n", indent, "sessions", p->sessions);
    if (r->opt.max_cost > 0)
        printf("%s%-40s %.4g (limit %.4g)\n", indent, "cost", p->cost, r->opt.max_cost);
}

static void print_optimize(const exo_optimize_result *r, const char *dir)
{
    printf("optimize %s (%s): %d combinations of choices, %d runs; %s\n", exo_quantity_name(r->opt.endpoint),
           r->opt.decrease ? "decrease" : "increase", r->combinations, r->evaluations, r->message);
    if (r->n_best > 0) {
        printf(r->outcome == EXO_OPT_FOUND ? "best protocol:\n" : "least violating protocol (infeasible):\n");
        print_point(r, &r->best[0], "  ");
    }
    for (int i = 0; i < r->opt.n_vars && r->n_best > 0; i++)
        if (r->on_bound[i])
            printf("warning: %s = %s sits on the %s bound of its range (%g to %g %s): the optimum may lie beyond "
                   "it; widen the range\n", r->opt.vars[i].key, r->best[0].values[i],
                   r->on_bound[i] < 0 ? "lower" : "upper", r->opt.vars[i].min, r->opt.vars[i].max,
                   r->opt.vars[i].unit);
    if (r->n_draws > 0)
        printf("  predicted change over %d posterior draws: mean %+.4g %%, SD %.3g %%, 5-95 %% range %+.4g to "
               "%+.4g %%\n", r->n_draws, r->change_mean, r->change_sd, r->change_p05, r->change_p95);
    if (r->has_vehicle && r->uses_product && r->n_draws > 0)
        printf("  the same protocol with the vehicle alone (every product at 0 particles/mL): %+.4g %% (%.5g %s);\n"
               "  the product's marginal contribution: %+.4g %% (5-95 %% range over the draws %+.4g to %+.4g %%)\n",
               r->vehicle.change, r->vehicle.final, r->endpoint_scale, r->marginal, r->marginal_p05, r->marginal_p95);
    else if (r->has_vehicle && r->uses_product)
        printf("  the same protocol with the vehicle alone (every product at 0 particles/mL): %+.4g %% (%.5g %s);\n"
               "  the product's marginal contribution: %+.4g %%\n",
               r->vehicle.change, r->vehicle.final, r->endpoint_scale, r->marginal);
    else if (r->has_vehicle)
        printf("  the protocol applies no product: no marginal contribution to report\n");
    for (int i = 1; i < r->n_best; i++) {
        printf("runner-up %d:\n", i);
        print_point(r, &r->best[i], "  ");
    }
    if (dir)
        printf("results in %s/ (report.html, optimize.json)\n", dir);
}

static int optimize_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    rc = 0;
    if (a.print_config) {
        cli_args_free(&a);
        return cli_usage_error(c, "%s", "--print-config: not an option of optimize");
    }
    const char *file = a.file, *dir = a.out;
    const bool force = a.force, quiet = a.quiet;
    exo_ctx *ctx = NULL;
    exo_units *u = NULL;
    exo_optimize_result *res = NULL;
    exo_status st;
    if ((st = cli_make_ctx(&ctx)) != EXO_OK) {
        rc = 1;
        goto out;
    }
    if ((st = exo_units_create(ctx, &u)) != EXO_OK || (dir && (st = exo_output_check(ctx, dir, force)) != EXO_OK) ||
        (st = exo_optimize_run(ctx, u, file, a.sets, a.n_sets, &res)) != EXO_OK ||
        (dir && (st = exo_optimize_write(ctx, res, dir, force)) != EXO_OK)) {
        rc = cli_fail(ctx, st);
        goto out;
    }
    if (!quiet)
        print_optimize(res, dir);
    if (res->outcome != EXO_OPT_FOUND) {
        fprintf(stderr, "exoskin: %s: %s\n", file, res->message);
        rc = 1;
    }
out:
    exo_optimize_destroy(ctx, &res);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    cli_args_free(&a);
    return rc;
}

/* ---- the tables ------------------------------------------------------ */

static const cli_option audit_options[] = {
    CLI_OPT_OUTPUT(1, 0, "also write DIR/audit.json and DIR/report.html (created; must not exist\n"
                         "or be empty)"),
    CLI_OPT_FORCE(3),
    CLI_OPT_SET(2, "override any input key, e.g. --set audit.frequency='once daily'"),
    CLI_OPT_PRINT_CONFIG(4, "print the effective input as YAML and exit"),
    CLI_OPT_QUIET(5, "print the verdict line only"),
    CLI_OPT_LANG(6),
};

const cli_command cli_audit = {
    .name = "audit",
    .main = audit_main,
    .synopsis = "FILE [-o DIR]",
    .summary = "can this label be true? delivered dose per route vs the dose needed; verdict",
    .args = "FILE",
    .description =
        "\n"
        "Can this label be true?  FILE is an audit file (docs/audit.md): a scenario whose only\n"
        "product is the label and whose audit: block gives the amount per use, the frequency, the\n"
        "routes and the threshold of a measurable change.  For each route (topical use at the label's\n"
        "amount and frequency for 4 weeks; 1 mm microneedling, fractional laser, each followed by one\n"
        "application; 0.05 mL intradermal injection) prints the functional vesicles applied and those\n"
        "that reach the viable epidermis and the dermis per application and per month and the\n"
        "readout's change at 4 weeks, with the label and with its vehicle alone by the same protocol;\n"
        "the product's own change beyond the vehicle, the concentration needed for a measurable one,\n"
        "what the label can claim by each route, and a verdict (plausible, implausible at this dose,\n"
        "unknown) with its reasons and the probability behind it: the share of audit.draws (default 4)\n"
        "draws of the calibrated posterior in which the product's own change is measurable.\n"
        "\n",
    .epilogue = "Exit status: 0 audited (any verdict), 1 a run failed, 2 bad input (nothing written).\n",
    .options = audit_options,
    .n_options = CLI_COUNT(audit_options),
    .flags = CLI_SCENARIO,
    .unknown = "unknown option",
};

static const cli_option optimize_options[] = {
    CLI_OPT_OUTPUT(1, 0, "write DIR/optimize.json and DIR/report.html (created; must not exist\n"
                         "or be empty)"),
    CLI_OPT_FORCE(3),
    CLI_OPT_SET(2, "override any input key, e.g. --set optimize.max_serious_risk=0.005"),
    CLI_OPT_PRINT_CONFIG(0, NULL), /* accepted, then refused: not an option of optimize */
    CLI_OPT_QUIET(4, "print nothing"),
    CLI_OPT_LANG(5),
};

const cli_command cli_optimize = {
    .name = "optimize",
    .main = optimize_main,
    .synopsis = "FILE",
    .summary = "the protocol that does most for one person under constraints (-o DIR)",
    .args = "FILE",
    .description = "\n"
                   "Finds, for the person of the scenario FILE, the protocol that does most for the\n"
                   "endpoint of its optimize: block (docs/optimize.md) under its constraints (serious\n"
                   "adverse-event risk, sessions, cost): every combination of the choices, and a\n"
                   "Nelder-Mead search over the continuous variables for each.  Each candidate runs at\n"
                   "optimize.draws (default 4) draws of the calibrated posterior: the benefit is their mean\n"
                   "and the risk limit must hold in optimize.credibility (default 0.9) of them.  Prints the\n"
                   "best protocol with the uncertainty of its benefit, a warning for each variable that sits\n"
                   "on a bound of its range, what the product adds to it (the same protocol with every\n"
                   "product replaced by its vehicle) and the runner-ups.\n"
                   "\n",
    .epilogue = "Exit status: 0 a feasible protocol found, 1 none satisfies the constraints or a run\n"
                "failed, 2 bad input or usage (nothing written).\n",
    .options = optimize_options,
    .n_options = CLI_COUNT(optimize_options),
    .flags = CLI_SCENARIO,
    .unknown = "unknown option",
};
