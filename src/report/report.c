/* report.c - report.html of a column run (docs/report.md): a self-contained
 * page (inline CSS and SVG, no script, no network) whose plain-language
 * summary comes first and quotes only numbers shown in the sections below,
 * then readouts, figures, delivery, depth, cross-section, adverse events and
 * provenance.  PNG copies of the figures go to figures/.  The precautions,
 * side effects and adverse-event table are shared with the study reports. */
#include "report/report_impl.h"
#include "protocol/protocol.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define put exo__html_put
#define putf exo__html_printf
#define put_esc exo__html_esc
#define put_sci exo__html_sci

/* The readouts the summary sentence of each arm quotes, in its order: those
 * that matter for the skin's condition lead (scar score for acne scars,
 * redness for rosacea, water loss and hydration for atopic skin). */
#define N_SUMMARY 4
static const exo_readout *summary_readouts(exo_condition c)
{
    static const exo_readout plain[N_SUMMARY] = {EXO_RD_COLLAGEN, EXO_RD_WRINKLES, EXO_RD_US_DENSITY, EXO_RD_TEWL};
    static const exo_readout scars[N_SUMMARY] = {EXO_RD_ECCA, EXO_RD_COLLAGEN, EXO_RD_US_DENSITY, EXO_RD_TEWL};
    static const exo_readout rosacea[N_SUMMARY] = {EXO_RD_ERYTHEMA, EXO_RD_INFLAMMATION, EXO_RD_COLLAGEN,
                                                   EXO_RD_TEWL};
    static const exo_readout atopic[N_SUMMARY] = {EXO_RD_TEWL, EXO_RD_CORNEOMETER, EXO_RD_ERYTHEMA, EXO_RD_COLLAGEN};
    switch (c) {
    case EXO_COND_ACNE_SCARS: return scars;
    case EXO_COND_ROSACEA: return rosacea;
    case EXO_COND_ATOPIC: return atopic;
    default: return plain;
    }
}

const char *exo__report_readout_label(int k)
{
    return k >= 0 && k < EXO_RD_COUNT ? _(exo_readout_label(k)) : "?";
}

void exo__report_prose(exo__html *b, const char *s)
{
    char buf[96];
    for (const char *p = s ? s : ""; *p;) {
        const bool word_start = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
        const bool num = word_start && (isdigit((unsigned char)*p) ||
                                        ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])));
        if (num) {
            char *end;
            double v = strtod(p, &end);
            const char *e = p;
            while (e < end && *e != 'e' && *e != 'E')
                e++;
            if (e < end) { /* 2.05e+13: the reports' power of ten */
                exo__html_put(b, *p == '+' ? exo__html_signed_str(v, buf, sizeof buf)
                                           : exo__html_sci_str(v, buf, sizeof buf));
                p = end;
                continue;
            }
        }
        if (word_start && islower((unsigned char)*p)) {
            size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
            char word[64];
            int k = -1;
            if (n < sizeof word && memchr(p, '_', n)) {
                memcpy(word, p, n);
                word[n] = '\0';
                k = exo_readout_index(word);
            }
            if (k >= 0) { /* dermal_collagen: its label */
                exo__html_esc(b, exo__report_readout_label(k));
                p += n;
                continue;
            }
            exo__html_putn(b, p, n);
            p += n;
            continue;
        }
        if (*p == '^' && (isdigit((unsigned char)p[1]) || (p[1] == '-' && isdigit((unsigned char)p[2])))) {
            size_t n = 1 + (p[1] == '-') + strspn(p + 1 + (p[1] == '-'), "0123456789");
            char unit[16], shown[64];
            snprintf(unit, sizeof unit, "%.*s", (int)(n < 15 ? n : 15), p);
            exo__html_put(b, exo__unit_str(unit, shown, sizeof shown)); /* mg/cm^2: superscripts */
            p += n;
            continue;
        }
        exo__html_esc(b, (char[2]){*p, 0});
        p++;
    }
}

/* The route's label for readers (src/protocol), translated. */
static const char *plain_kind(exo_event_kind k)
{
    const exo__route *r = exo__route_get((int)k);
    return r ? _(r->label) : "?";
}

static bool is_procedure(exo_event_kind k)
{
    const exo__route *r = exo__route_get((int)k);
    return r && r->procedure;
}

static const char *plain_event(const char *kind)
{
    if (!strcmp(kind, "barrier_disruption"))
        return _("a weakened skin barrier (water loss more than 50 % above baseline)");
    if (!strcmp(kind, "redness"))
        return _("redness (erythema index more than 10 % above baseline)");
    if (!strcmp(kind, "swelling"))
        return _("swelling (inflammation above 0.5)");
    if (!strcmp(kind, "wheal"))
        return _("a raised wheal where the product was injected (injected fluid thickening the skin by more than 10 %)");
    if (!strcmp(kind, "hypersensitivity"))
        return _("an allergic (hypersensitivity) reaction");
    if (!strcmp(kind, "granuloma"))
        return _("a delayed granuloma (a firm lump)");
    return kind;
}

void exo__report_band_note(const exo_result *r, char *buf, size_t n)
{
    int runs = exo_result_band_runs(r);
    if (runs > 1)
        snprintf(buf, n, _("shaded: 90 %% interval over %d posterior draws and the default run"), runs - 1);
    else
        snprintf(buf, n, "%s", _("the posterior median only (--draws 0): no interval"));
}

/* "up by 8.2-15 % (most likely 11 %)" of a 5-50-95 % band q of a change [%]
 * (one number when the band has no width). */
static void change_range(exo__html *b, const double q[3])
{
    double lo = exo__html_round0(q[0], 1), mid = exo__html_round0(q[1], 1), hi = exo__html_round0(q[2], 1);
    if (fmax(fabs(lo), fabs(hi)) < 1)
        putf(b, _("about unchanged (%.1f&#8239;%%)"), mid);
    else if (hi - lo < 0.05)
        putf(b, mid > 0 ? _("up by %.1f&#8239;%%") : _("down by %.1f&#8239;%%"), fabs(mid));
    else if (lo >= 0)
        putf(b, _("up by %.1f&ndash;%.1f&#8239;%% (most likely %.1f&#8239;%%)"), lo, hi, mid);
    else if (hi <= 0)
        putf(b, _("down by %.1f&ndash;%.1f&#8239;%% (most likely %.1f&#8239;%%)"), -hi, -lo, -mid);
    else
        putf(b, _("between %+.1f and %+.1f&#8239;%% (most likely %+.1f&#8239;%%)"), lo, hi, mid);
}

static void summary_arm(exo__html *b, const exo_result *r, int a, double weeks)
{
    const exo_config *cfg = exo_result_config(r);
    const exo_arm_cfg *arm = &cfg->arms[a];
    put(b, "<li><strong>");
    put_esc(b, exo_result_arm_name(r, a));
    put(b, "</strong> (");
    for (int e = 0; e < arm->n_events; e++) {
        const exo_event_cfg *ev = &arm->events[e];
        putf(b, "%s%d&times; %s", e ? ", " : "", ev->n_times, plain_kind(ev->kind));
        if (ev->product >= 0 && ev->product < cfg->n_products) {
            putf(b, " %s ", _("of"));
            put_esc(b, cfg->products[ev->product].name);
        }
    }
    put(b, "): ");
    char when[64];
    const bool bands = exo_result_band_runs(r) > 0;
    putf(b, bands ? _("after %s, for one typical patient, the model predicts (90&#8239;%% interval over the "
                      "posterior of its parameters)")
                  : _("after %s, for one typical patient, the model predicts"),
         exo__html_duration(weeks * EXO_WEEK / EXO_H, when, sizeof when));
    put(b, " ");
    const exo_readout *lead = summary_readouts(arm->skin.condition);
    int n = N_SUMMARY;
    for (int q = 0; q < n; q++) {
        int k = lead[q];
        double b0, b1, band[3];
        exo_result_readout(r, a, k, &b0, &b1);
        double pc = exo__html_round0(b0 != 0 ? 100 * (b1 - b0) / b0 : 0, 1);
        putf(b, "%s%s ", q == 0 ? "" : q == n - 1 ? _(" and ") : ", ", exo__report_readout_label(k));
        if (bands && exo_result_change_band(r, a, k, band))
            change_range(b, band);
        else if (fabs(pc) < 1)
            putf(b, _("about unchanged (%.1f&#8239;%%)"), pc);
        else
            putf(b, pc > 0 ? _("up by %.1f&#8239;%%") : _("down by %.1f&#8239;%%"), fabs(pc));
    }
    exo_arm_delivery d;
    exo_result_delivery(r, a, &d);
    char s1[96], s2[96];
    put(b, ". ");
    if (d.applied > 0)
    {
        char s3[96];
        putf(b, _("Of the %s functional vesicles applied per cm&sup2;, about %s (%s&#8239;%%) reached the dermis, "
                  "where the collagen-making cells are."),
             exo__html_sci_str(d.applied, s1, sizeof s1), exo__html_sci_str(d.dermis, s2, sizeof s2),
             exo__html_sci_str(100 * d.dermis / d.applied, s3, sizeof s3));
    }
    else
        put(b, _("No vesicles were applied in this arm (vehicle or procedure only)."));
    put(b, "</li>\n");
}

static void summary_side_effects(exo__html *b, const exo_result *r, int a, exo_adverse_event *ev)
{
    int n = exo_result_adverse(r, a, ev, EXO_REPORT_MAX_EVENTS);
    if (n > EXO_REPORT_MAX_EVENTS)
        n = EXO_REPORT_MAX_EVENTS;
    put(b, "<li><strong>");
    put_esc(b, exo_result_arm_name(r, a));
    put(b, "</strong>: ");
    static const char *const kinds[] = {"redness", "swelling", "wheal", "barrier_disruption", "hypersensitivity",
                                        "granuloma"};
    int shown = 0;
    for (int k = 0; k < (int)(sizeof kinds / sizeof *kinds); k++) {
        int count = 0, open = 0;
        double first = 0, dmin = INFINITY, dmax = 0;
        for (int e = 0; e < n; e++) {
            if (strcmp(ev[e].kind, kinds[k]))
                continue;
            if (count++ == 0)
                first = ev[e].onset;
            if (ev[e].duration < 0)
                open++;
            else {
                dmin = fmin(dmin, ev[e].duration);
                dmax = fmax(dmax, ev[e].duration);
            }
        }
        if (!count)
            continue;
        put(b, shown++ ? "; " : _("expect "));
        if (first < 1)
            putf(b, count > 1 ? _("%s, %d times (the first on the day of the session)")
                              : _("%s, %d time (on the day of the session)"),
                 plain_event(kinds[k]), count);
        else
            putf(b, count > 1 ? _("%s, %d times (first on day %.0f)") : _("%s, %d time (on day %.0f)"),
                 plain_event(kinds[k]), count, floor(first));
        char d0[64], d1[64];
        if (dmax > 0 && dmin < dmax)
            putf(b, _(", each going away within %s to %s"), exo__html_duration(24 * dmin, d0, sizeof d0),
                 exo__html_duration(24 * dmax, d1, sizeof d1));
        else if (dmax > 0)
            putf(b, _(", going away within %s"), exo__html_duration(24 * dmax, d1, sizeof d1));
        if (open)
            put(b, open > 1 ? _(", some still present at the end of the run") : _(", one still present at the end "
                                                                                    "of the run"));
    }
    if (!shown)
        put(b, _("no redness, swelling or barrier weakening above the thresholds below"));
    put(b, ". ");
    char risk[96];
    putf(b, _("Chance of a serious reaction (allergy or granuloma) for this treatment: %s."),
         exo__html_risk_str(exo_result_serious_ae(r, a), risk, sizeof risk));
    put(b, "</li>\n");
}

void exo__report_precautions(exo__html *b, const exo_config *cfg, bool procedure, const exo_result *r,
                             exo_adverse_event *ev)
{
    putf(b, "<p><strong>%s</strong> ", _("Precautions."));
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++)
            procedure |= is_procedure(cfg->arms[a].events[e].kind);
    if (procedure)
        putf(b, "<span class=\"warn\">%s</span> ",
             _("Microneedling, laser, injections and PRP are medical procedures: have a consultation with a "
               "dermatologist or physician before any injection or needling."));
    put(b, _("Dose used: "));
    for (int p = 0; p < cfg->n_products; p++) {
        const exo_product_cfg *pr = &cfg->products[p];
        put(b, p ? "; " : "");
        put_esc(b, pr->name);
        if (pr->conc_known && pr->conc == 0) {
            put(b, _(" (vehicle only: no vesicles)"));
        } else if (pr->conc_known) {
            put(b, _(" at "));
            put_sci(b, pr->conc / EXO_PER_ML);
            putf(b, _(" particles/mL, %.0f&#8239;%% of them functional"), 100 * pr->functional_fraction);
        } else
            put(b, _(" (the label states no concentration)"));
    }
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++) {
            const exo_event_cfg *x = &cfg->arms[a].events[e];
            const exo__route *route = exo__route_get((int)x->kind);
            if (route && route->dose_film && x->product >= 0) {
                put(b, "; ");
                put_esc(b, cfg->arms[a].name);
                putf(b, x->n_times == 1 ? _(": %.2g&#8239;mg/cm&sup2; per application (%s), %d application")
                                        : _(": %.2g&#8239;mg/cm&sup2; per application (%s), %d applications"),
                     x->amount / (10 * EXO_UM), plain_kind(x->kind), x->n_times);
            }
        }
    put(b, _(" (the effective input under Inputs states every dose)."));
    if (!r) {
        put(b, "</p>\n");
        return;
    }
    put(b, " ");
    put(b, _("Side effects expected from the simulation of a typical patient:"));
    put(b, "</p>\n<ul>\n");
    for (int a = 0; a < exo_result_arms(r); a++)
        summary_side_effects(b, r, a, ev);
    put(b, "</ul>\n");
}

static void section_summary(exo__html *b, const exo_result *r, exo_adverse_event *ev)
{
    const exo_config *cfg = exo_result_config(r);
    double weeks = cfg->sim.duration / EXO_WEEK;
    exo__html_section(b, "summary", N_("Summary in plain words"));
    putf(b, "<p>%s</p>\n<ul>\n", _("What the simulation predicts for each treatment (arm):"));
    for (int a = 0; a < exo_result_arms(r); a++)
        summary_arm(b, r, a, weeks);
    putf(b, "</ul>\n<p><strong>%s</strong> ", _("How sure is this?"));
    int runs = exo_result_band_runs(r);
    if (runs > 0)
        putf(b, _("The ranges are 90&#8239;%% intervals over %d draws of the calibrated posterior of the model's "
                  "parameters and the run at their defaults (seed %llu; docs/calibration.md): how uncertain the model "
                  "is for <em>one typical patient</em>, the most likely value being their median. They do not show how much "
                  "people differ from one another: for a range over a group of patients, run a virtual trial "
                  "(<code>exoskin trial</code>, docs/trials.md)."),
             runs - 1, (unsigned long long)cfg->seed);
    else
        putf(b, _("These numbers are for <em>one typical patient</em> (the model's central parameter values, seed "
                  "%llu); they do not show how much people differ from one another, and many model parameters are "
                  "estimates. For a range over a group of patients, with uncertainty, run a virtual trial "
                  "(<code>exoskin trial</code>, docs/trials.md)."),
             (unsigned long long)cfg->seed);
    put(b, "</p>\n");
    exo__report_precautions(b, cfg, false, r, ev);
    putf(b, "<p class=\"note\">%s</p>\n</section>\n",
         _("Each number above is shown in the sections below: readouts, delivery and adverse events."));
}

/* A normal range as the reports show it: "low–high", one number where the
 * range is a single value, a dash where the readout has none. */
static const char *normal_range_str(const exo_normal_range *nr, char *buf, size_t cap)
{
    if (!nr->defined)
        snprintf(buf, cap, "\u2013");
    else if (nr->high - nr->low <= 1e-9 * fmax(fabs(nr->high), 1e-300))
        snprintf(buf, cap, "%.3g", nr->low);
    else
        snprintf(buf, cap, "%.3g\u2013%.3g", nr->low, nr->high);
    return buf;
}

static exo_status section_readouts(exo__html *b, const exo_result *r)
{
    const exo_config *cfg = exo_result_config(r);
    double weeks = cfg->sim.duration / EXO_WEEK;
    exo__html_section(b, "readouts", N_("Readouts"));
    putf(b, "<p>%s</p>\n", _("Clinical readouts at baseline and at the end (docs/readouts.md). The healthy range "
                              "is where 95 in 100 healthy people of the arm's age, phototype and skin region "
                              "read: the model's value for healthy untreated skin of that kind, spread by how much "
                              "healthy people differ (a dash: no healthy range); values outside it are marked *."));
    for (int a = 0; a < exo_result_arms(r); a++) {
        exo_normal_range nr[EXO_RD_COUNT];
        exo_status st = exo_skin_normal_ranges(b->ctx, cfg, &cfg->arms[a].skin, nr);
        if (st != EXO_OK)
            return st;
        put(b, "<h3>");
        put_esc(b, exo_result_arm_name(r, a));
        putf(b, "</h3>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>", _("readout"), _("unit"), _("baseline"));
        char when[64];
        if (weeks >= 2)
            putf(b, _("week %g"), weeks);
        else
            put(b, exo__html_duration(weeks * EXO_WEEK / EXO_H, when, sizeof when));
        const bool bands = exo_result_band_runs(r) > 0;
        putf(b, "</th><th>%s</th><th>%s</th>", _("change"), _("change [%]"));
        if (bands)
            putf(b, "<th>%s</th>", _("change [%]: 5&ndash;95&#8239;% (median) over the posterior"));
        putf(b, "<th>%s</th></tr>\n", _("healthy range"));
        for (int k = 0; k < exo_readout_count(); k++) {
            double b0, b1;
            exo_result_readout(r, a, k, &b0, &b1);
            put(b, "<tr><td>");
            exo__html_name(b, exo_readout_name(k));
            put(b, "</td><td>");
            char unit[96], chg[96], range[96];
            put_esc(b, exo__unit_str(exo_readout_scale(k), unit, sizeof unit));
            putf(b, "</td><td>%.4g%s</td><td>%.4g%s</td><td>%s</td><td>", b0,
                 exo_normal_range_outside(&nr[k], b0) ? "*" : "", b1, exo_normal_range_outside(&nr[k], b1) ? "*" : "",
                 exo__html_signed_str(b1 - b0, chg, sizeof chg));
            if (b0 != 0)
                exo__html_pct(b, 100 * (b1 - b0) / b0);
            else
                put(b, "&ndash;");
            double band[3];
            if (bands && exo_result_change_band(r, a, k, band))
                putf(b, "</td><td>%.1f &ndash; %.1f (%.1f)", exo__html_round0(band[0], 1),
                     exo__html_round0(band[2], 1), exo__html_round0(band[1], 1));
            else if (bands)
                put(b, "</td><td>&ndash;");
            put(b, "</td><td>");
            put_esc(b, normal_range_str(&nr[k], range, sizeof range));
            put(b, "</td></tr>\n");
        }
        put(b, "</table>\n");
    }
    put(b, "</section>\n");
    return EXO_OK;
}

/* A study file (a `study:` block, docs/studies.md): its published value
 * with the accepted range beside the prediction of this run, pass or fail,
 * as a row of the validation report. */
static exo_status section_published(exo__html *b, exo_ctx *ctx, const exo_result *r)
{
    exo_validation_row row;
    memset(&row, 0, sizeof row);
    exo_status st = exo_validation_row_of(ctx, exo_result_config(r), r, &row);
    if (st != EXO_OK)
        return st;
    exo__html_section(b, "published", N_("Published data beside the prediction"));
    putf(b, "<p>%s</p>\n", _("This scenario is a study definition: the published value with its accepted range, "
                              "and the prediction of this run (`exoskin validate` runs every such file; "
                              "docs/validation.md lists the known failures)."));
    exo__report_validation_rows(b, &row, 1);
    put(b, "</section>\n");
    return EXO_OK;
}

static void section_delivery_table(exo__html *b, const exo_result *r)
{
    putf(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("arm"),
         _("applied [particles/cm&sup2;]"), _("reached viable epidermis [particles/cm&sup2;]"),
         _("reached dermis [particles/cm&sup2;]"), _("dermis / applied [%]"));
    for (int a = 0; a < exo_result_arms(r); a++) {
        exo_arm_delivery d;
        exo_result_delivery(r, a, &d);
        put(b, "<tr><td>");
        put_esc(b, exo_result_arm_name(r, a));
        put(b, "</td><td>");
        put_sci(b, d.applied);
        put(b, "</td><td>");
        put_sci(b, d.viable_epidermis);
        put(b, "</td><td>");
        put_sci(b, d.dermis);
        char pc[96];
        putf(b, "</td><td>%s</td></tr>\n", exo__html_sci_str(d.applied > 0 ? 100 * d.dermis / d.applied : 0.0, pc, sizeof pc));
    }
    putf(b, "</table>\n<p class=\"note\">%s</p>\n",
         _("'Reached' counts vesicles that entered the layer or deeper, whatever became of them later."));
}

void exo__report_adverse(exo__html *b, const exo_result *r, exo_adverse_event *ev, const char *id, const char *heading)
{
    exo__html_section(b, id, heading);
    putf(b, "<p>%s</p>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
         _("Acute events follow from the readouts (redness: erythema index &gt; 10&#8239;% above baseline; swelling: "
           "inflammation &gt; 0.5; wheal: injected fluid thickening the dermis by more than 10&#8239;%; barrier "
           "disruption: TEWL &gt; 50&#8239;% above baseline); rare serious events are "
           "drawn for this virtual patient from their probability (docs/readouts.md)."),
         _("arm"), _("event"), _("serious"), _("onset [d]"), _("duration [d]"), _("peak"));
    for (int a = 0; a < exo_result_arms(r); a++) {
        int n = exo_result_adverse(r, a, ev, EXO_REPORT_MAX_EVENTS);
        for (int e = 0; e < n && e < EXO_REPORT_MAX_EVENTS; e++) {
            const char *unit = !strcmp(ev[e].kind, "redness") ? _("AU (erythema index rise)")
                             : !strcmp(ev[e].kind, "swelling") ? _("(inflammation, 1)")
                             : !strcmp(ev[e].kind, "wheal") ? _("mm (thickening by injected fluid)")
                             : !strcmp(ev[e].kind, "barrier_disruption") ? _("g/m&sup2;/h (TEWL rise)")
                                                                         : _("(probability)");
            put(b, "<tr><td>");
            put_esc(b, exo_result_arm_name(r, a));
            put(b, "</td><td>");
            exo__html_name(b, ev[e].kind);
            putf(b, "</td><td>%s</td><td>%.2f</td><td>", ev[e].serious ? _("yes") : _("no"), ev[e].onset);
            if (ev[e].duration < 0)
                put(b, _("still present"));
            else
                putf(b, "%.2f", ev[e].duration);
            putf(b, "</td><td>%.3g %s</td></tr>\n", ev[e].peak, unit);
        }
        put(b, "<tr><td>");
        put_esc(b, exo_result_arm_name(r, a));
        char risk[96];
        putf(b, "</td><td>%s</td><td>&ndash;</td><td>&ndash;</td><td>&ndash;</td><td>%s</td></tr>\n",
             _("probability of a serious event"), exo__html_risk_str(exo_result_serious_ae(r, a), risk, sizeof risk));
    }
    put(b, "</table>\n</section>\n");
}

exo_status exo__study_open(exo__study *s, exo_ctx *ctx, const char *dir, const exo_result *typ)
{
    memset(s, 0, sizeof *s);
    if (!(s->ev = exo_alloc(ctx, EXO_REPORT_MAX_EVENTS, sizeof *s->ev)))
        return exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    s->cfg = exo_result_config(typ);
    s->typ = typ;
    exo_status st = exo__html_open(&s->b, ctx, dir);
    if (st != EXO_OK) {
        s->b.ctx = ctx;
        exo__study_close(s, st, NULL, NULL, 0, NULL, 0, NULL);
    }
    return st;
}

exo_status exo__study_close(exo__study *s, exo_status st, const char *heading, const char *mode,
                            unsigned long long seed, const char *const *extra, int n_extra, const char *yaml)
{
    exo_ctx *ctx = s->b.ctx;
    if (s->b.loc) { /* the page is open */
        if (st == EXO_OK) {
            exo__report_adverse(&s->b, s->typ, s->ev, "typical-patient", heading);
            exo__html_provenance(&s->b, mode, s->cfg->name, seed, extra, n_extra, yaml);
        }
        st = exo__html_close(&s->b, st);
    }
    exo_free(ctx, s->ev);
    memset(s, 0, sizeof *s);
    return st;
}

exo_status exo_report_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml, const char *dir)
{
    const exo__figure *fig;
    int nfig = exo__report_figures(&fig);
    exo_adverse_event *ev = exo_alloc(ctx, EXO_REPORT_MAX_EVENTS, sizeof *ev);
    if (!ev)
        return exo_ctx_error(ctx, EXO_ENOMEM, "report: out of memory");
    const exo_config *cfg = exo_result_config(r);
    static const char *const ids[] = {"summary", "published", "readouts", "figures", "delivery", "depth",
                                      "cross-section", "before-after", "tissue", "adverse-events",
                                      "inputs-and-provenance"};
    static const char *const labels[] = {N_("Summary"), N_("Published data"), N_("Readouts"), N_("Figures"),
                                         N_("Delivery"), N_("Depth"), N_("Skin"), N_("Before and after"),
                                         N_("Tissue"), N_("Adverse events"), N_("Inputs")};
    const bool tissue = exo__report_has_tissue(r), study = cfg->study.present;
    const bool before_after = exo__report_has_before_after(r);
    const char *id[11], *label[11]; /* `published` for a study file, `tissue` in tissue mode */
    int nid = 0;
    for (int i = 0; i < 11; i++)
        if ((i != 1 || study) && (i != 7 || before_after) && (i != 8 || tissue)) {
            id[nid] = ids[i];
            label[nid++] = labels[i];
        }
    exo__html b;
    char title[256], note[512], span[64];
    exo_status st = EXO_OK;
    if ((st = exo__html_open(&b, ctx, dir)) != EXO_OK)
        goto out;
    snprintf(title, sizeof title, _("exoskin report: %s"), cfg->name);
    int na = exo_result_arms(r);
    snprintf(note, sizeof note,
             na == 1 ? _("Simulated %s of facial skin treatment, %d arm, %s (exoskin %s). Every "
                         "quantity states its unit.")
                     : _("Simulated %s of facial skin treatment, %d arms, %s (exoskin %s). Every "
                         "quantity states its unit."),
             exo__html_duration(cfg->sim.duration / EXO_H, span, sizeof span), na, tissue ? _("tissue mode") : _("column mode"), EXO_VERSION_STRING);
    exo__html_head(&b, title, note, id, label, nid);
    section_summary(&b, r, ev);
    if (study)
        st = section_published(&b, ctx, r);
    if (st == EXO_OK)
        st = section_readouts(&b, r);
    static const char *const where[] = {"figures", "delivery", "depth", "cross-section"};
    static const char *const heads[] = {N_("Figures: readouts over time"), N_("Delivery"), N_("Depth profiles"),
                                        N_("Skin cross-section")};
    for (int i = 0; i < nfig && st == EXO_OK; i++) {
        exo__html_section(&b, i < 4 ? where[i] : fig[i].name, i < 4 ? heads[i] : fig[i].name);
        exo__figure f = fig[i];
        f.caption = exo__report_figure_caption(&fig[i], r);
        if ((st = exo__html_figure(&b, &f, r)) != EXO_OK)
            break;
        if (i == 0 && exo_result_band_runs(r) > 0) {
            exo__report_band_note(r, note, sizeof note);
            put(&b, "<p class=\"note\">");
            put_esc(&b, note);
            put(&b, ".</p>\n");
        }
        if (i == 1)
            section_delivery_table(&b, r);
        put(&b, "</section>\n");
    }
    if (st == EXO_OK)
        st = exo__report_before_after(&b, r);
    if (st == EXO_OK && tissue)
        st = exo__report_tissue(&b, ctx, r);
    if (st == EXO_OK) {
        exo__report_adverse(&b, r, ev, "adverse-events", N_("Adverse events"));
        exo__html_provenance(&b, tissue ? N_("tissue mode") : N_("column mode"), cfg->name, (unsigned long long)cfg->seed, NULL, 0,
                             effective_yaml);
    }
    st = exo__html_close(&b, st);
out:
    exo_free(ctx, ev);
    return st;
}
