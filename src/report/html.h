/* html.h - the machinery every report.html shares (docs/report.md): a
 * growing page buffer with escaping and number formats, cairo figures
 * inlined as SVG with a PNG copy under figures/, the page head (inline CSS,
 * navigation), the provenance section, and the report language: message
 * catalogs through gettext (domain "exoskin"), switched per thread with
 * uselocale() so that the caller's locale is left alone and numbers keep a
 * '.' decimal point. */
#ifndef EXO_HTML_H
#define EXO_HTML_H

#include <exoskin/exo_core.h>

#include <cairo.h>
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#define EXO_TEXTDOMAIN "exoskin"
#define _(s) dgettext(EXO_TEXTDOMAIN, s)
#define N_(s) s /* marks a string for the catalog; translate it with _() where used */

/* The PNG copies are drawn at this many pixels per SVG unit. */
#define EXO_REPORT_PNG_SCALE 1 /* PNG encoding dominated the run time at 2 */

/* A page being written; a failed allocation sets failed and drops text. */
typedef struct {
    exo_ctx *ctx;
    char *s;
    size_t len, cap;
    bool failed;
    const char *dir;   /* the result folder */
    locale_t loc, old; /* the report's locale and the thread's before it */
    exo_status err;    /* the first failed figure, returned by exo__html_close */
} exo__html;

/* A figure: drawn by draw onto an SVG surface (inline) and an image
 * surface (figures/NAME.png) from the same data. */
typedef struct {
    const char *name;    /* file stem and HTML id suffix */
    const char *caption; /* one sentence (an msgid: translated when shown) */
    double width, height; /* [px] drawing size (SVG user units) */
    void (*draw)(cairo_t *cr, const void *data, double width, double height);
} exo__figure;

/* Starts a report in folder dir: makes dir/figures and switches this thread
 * to the context's report language (exo_ctx_language).  On failure nothing
 * is left to close. */
exo_status exo__html_open(exo__html *b, exo_ctx *ctx, const char *dir);
/* The page head: title (escaped), a one-line note (HTML) and the
 * navigation: n links "#ids[i]" labelled with the translations of labels[i]. */
void exo__html_head(exo__html *b, const char *title, const char *note_html, const char *const *ids,
                    const char *const *labels, int n);
/* Ends the page, writes dir/report.html (unless st is an error or the page
 * failed), restores the thread's locale and frees the page.  Returns st or
 * the first error. */
exo_status exo__html_close(exo__html *b, exo_status st);

void exo__html_put(exo__html *b, const char *s);
void exo__html_putn(exo__html *b, const char *s, size_t n);
void exo__html_printf(exo__html *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one escaping function of the reports (every string from the input
 * goes through it): < > & " ' become entities, into the page or, for a
 * format's %s, into buf (cut before an entity that does not fit; 6 times
 * the input's length plus one always do). */
void exo__html_esc(exo__html *b, const char *s);
const char *exo__html_esc_str(const char *s, char *buf, size_t cap);
void exo__html_name(exo__html *b, const char *s);          /* escaped, '_' shown as ' ' */
void exo__html_sci(exo__html *b, double v);                /* 1.23 x 10^9 */
const char *exo__html_sci_str(double v, char *buf, size_t cap); /* the same into buf (96 bytes do) */
/* The same as plain UTF-8 text, for figures: "1.23 × 10⁹"; and a power of
 * ten alone ("10⁻⁸"). */
const char *exo__text_pow10(int e, char *buf, size_t cap);
const char *exo__text_sci_str(double v, char *buf, size_t cap);
/* v with its sign ("+" when positive) in the form of exo__html_sci_str. */
const char *exo__html_signed_str(double v, char *buf, size_t cap);
/* v, or 0 when it prints as zero with dec decimals (never "-0.0"). */
double exo__html_round0(double v, int dec);
void exo__html_pct(exo__html *b, double v);                /* +1.2 %, 0.0 % (never -0.0) */
/* A probability p [1] as a reader's percentage, translated: "0.12 %", or
 * "below 0.001 %" (the form of every risk in the reports). */
const char *exo__html_risk_str(double p, char *buf, size_t cap);
/* A udunits unit string ("g/m^2/h", "um") as display text in UTF-8
 * ("g/m²/h", "µm"), for pages (escape it) and figures alike. */
const char *exo__unit_str(const char *unit, char *buf, size_t cap);
/* A duration t_h [h] in the unit a reader expects, translated, into buf:
 * "24 h" under 2 days, "3 days" under 2 weeks, else "12 weeks". */
const char *exo__html_duration(double t_h, char *buf, size_t cap);
/* <section id="id"><h2>heading</h2> (heading translated). */
void exo__html_section(exo__html *b, const char *id, const char *heading);
/* <figure> with the inline SVG and a link to its PNG, which is written; a
 * failure is also kept for exo__html_close. */
exo_status exo__html_figure(exo__html *b, const exo__figure *f, const void *data);
/* The provenance section: program and mode, git revision, scenario, seed,
 * any extra rows (label/value pairs, labels translated, values escaped) and
 * the effective input (escaped). */
void exo__html_provenance(exo__html *b, const char *mode, const char *scenario, unsigned long long seed,
                          const char *const *extra, int n_extra, const char *yaml);

#endif
