/* protocol.h - treatment routes as descriptors: one file per route
 * (topical.c, mask.c, microneedling.c, ...) exports one exo__route that says
 * what it is called, which input keys it takes (with unit, range, default and
 * source), how long a session lasts, and which primitive actions one event
 * turns into.  The loader, the YAML writer, the engine, the report and the
 * audit read these rows instead of switching on the kind; registry.c lists
 * the routes, and exo_event_kind is an index into that list. */
#ifndef EXO_PROTOCOL_H
#define EXO_PROTOCOL_H

#include <stddef.h>

#include <exoskin/exo_config.h>
#include <exoskin/exo_units.h>

#ifndef N_
#define N_(s) s /* marks a string for the catalog; the report translates it */
#endif

#define EXO__ROUTE_MAX 16      /* routes the registry may hold */
#define EXO__ROUTE_KEYS_MAX 12 /* input keys of one route */
#define EXO__PRIM_MAX 8        /* primitive actions of one event */

/* How a key is read and written. */
typedef enum {
    EXO__KEY_PRODUCT, /* a product name (exo_event_cfg.product); `required` says if it must be given */
    EXO__KEY_QTY,     /* a double with a unit */
    EXO__KEY_NUMBER,  /* a dimensionless double */
    EXO__KEY_INT,     /* an int (lo..hi) */
    EXO__KEY_BOOL,    /* a bool */
    EXO__KEY_FILM,    /* a film amount [um]: mass or volume per area, or a thickness */
    EXO__KEY_WORD,    /* an int chosen by a word: `show` lists the words, "a|b|c" (index = value) */
} exo__key_type;

/* One input key of a route. */
typedef struct {
    const char *key;    /* as written in input files */
    exo__key_type type;
    const char *unit;   /* QTY: internal unit of the stored value ("um", "h", "1/um^2", "um^3") */
    size_t offset;      /* offsetof(exo_event_cfg, field) holding the value */
    double lo, hi;      /* [unit] accepted range */
    const char *show;   /* unit the range is shown in, in messages */
    bool lo_open;       /* the value must be > lo */
    bool required;      /* PRODUCT: the key must be given */
    double def;         /* [unit] default (FILM: see the route's `defaults`) */
    const char *source; /* where the default and range come from, or "estimate: why" */
} exo__route_key;

typedef enum { EXO__PRODUCT_NONE, EXO__PRODUCT_OPTIONAL, EXO__PRODUCT_REQUIRED } exo__product_use;

/* What must be over before the next session of the same event starts, and
 * what ends it: the leave-on time (then a wash), the wear time (then the mask
 * comes off), or the occlusion that follows a procedure (when asked for). */
typedef enum { EXO__SESSION_CONTACT, EXO__SESSION_WEAR, EXO__SESSION_OCCLUSION } exo__session_rule;

/* Primitive actions the engine executes (engine.c:execute). */
typedef enum {
    EXO__PRIM_FILM,     /* apply a film of `product`, `amount` [um] thick */
    EXO__PRIM_MASK_ON,  /* a mask lies on the film until it is taken off */
    EXO__PRIM_CHANNELS, /* open channels: area `fraction`, `diameter`, `depth`; `zones`: laser zones */
    EXO__PRIM_INJURE,   /* injure the tissue down to `depth`: `severity` (1 = a standard needling session) */
    EXO__PRIM_ABLATE,   /* ablate a `fraction` of the tissue down to `depth` */
    EXO__PRIM_BOLUS,    /* deposit `volume` per point at `depth`, `points` per area: the vesicles of
                         * `product` (-1: none) and growth factors of activity `activity` */
    EXO__PRIM_OCCLUDE,  /* occlude the skin for `duration` */
    EXO__PRIM_COAGULATE,/* coagulate a `fraction` of the tissue down to `depth` under an intact SC */
    EXO__PRIM_UV,       /* a UV exposure of `dose` MED, or of `energy` when > 0 */
    EXO__PRIM_STRIP,    /* tape stripping: a `fraction` of the stratum corneum removed */
} exo__prim_kind;

typedef struct {
    exo__prim_kind kind;
    int product;        /* FILM, BOLUS: index into exo_config.products, -1 if none */
    bool zones;         /* CHANNELS: laser zones rather than needle channels */
    double amount;      /* [um] FILM: film thickness */
    double fraction;    /* [1] CHANNELS: open area fraction; ABLATE: ablated fraction; STRIP: SC removed;
                         * INJURE: area fraction cut by the needles (where a healing wound's matrix tears) */
    double diameter;    /* [um] CHANNELS: channel or zone diameter */
    double depth;       /* [um] CHANNELS, INJURE, ABLATE, BOLUS */
    double severity;    /* [1] INJURE */
    double volume;      /* [um^3] BOLUS: per point */
    double points;      /* [1/um^2] BOLUS: points per skin area */
    double spread;      /* [um] BOLUS: standard deviation of the deposit over depth (column) */
    double activity;    /* [1] BOLUS: growth-factor activity of the injected volume */
    double duration;    /* [h] OCCLUDE */
    double dose;        /* [1] UV: minimal erythema doses */
    double energy;      /* [J/m^2] UV: erythemally weighted energy (0: use dose) */
} exo__prim;

typedef struct exo__route exo__route;
struct exo__route {
    const char *name;   /* as written in input files ("microneedling") */
    const char *label;  /* for reports, N_() marked ("microneedling") */
    bool procedure;     /* a medical procedure (the report's precaution) */
    bool dose_film;     /* its dose is its film (`amount`): the report lists it */
    exo__session_rule session;
    int n_keys;
    exo__route_key keys[EXO__ROUTE_KEYS_MAX]; /* in the order of the allowed-keys message */
    /* Defaults that depend on the product (NULL: the rows' defaults say all). */
    void (*defaults)(exo_event_cfg *ev, const exo_config *cfg);
    /* Longest needle of an event [um], for the figures (NULL: no needles). */
    double (*needle_length)(const exo_event_cfg *ev);
    /* The primitive actions of one event, in order; returns how many. */
    int (*plan)(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out);
};

/* ---- registry (registry.c) --------------------------------------------- */

int exo__route_count(void);
/* The route of kind k, or NULL when k is out of range. */
const exo__route *exo__route_get(int k);
/* The kind of the route named `name`, or -1. */
int exo__route_find(const char *name);
/* "topical, mask, ... or prp" into buf. */
const char *exo__route_list(char *buf, size_t cap);
exo__product_use exo__route_product(const exo__route *r);
/* The row of `key`, or NULL. */
const exo__route_key *exo__route_key_find(const exo__route *r, const char *key);
/* WORD keys: the index of `word` among the key's words ("a|b" in `show`),
 * -1 if none; and word v into buf ("?" out of range). */
int exo__route_word_index(const exo__route_key *k, const char *word);
const char *exo__route_word(const exo__route_key *k, int v, char *buf, size_t cap);
/* Film a topical application of a product in vehicle v lays down [um]. */
double exo__route_film_default(exo_vehicle v);

/* Every row default (and the route's product-dependent ones) into ev;
 * keeps ev's kind, product, times. */
void exo__route_defaults(exo_event_cfg *ev, const exo_config *cfg);
/* How long a session of ev lasts [h] and the key that says so; 0 and NULL
 * when nothing must be over before the next session. */
double exo__route_session(const exo_event_cfg *ev, const char **what);
/* The primitive actions of ev, ending with the occlusion that follows it
 * when asked for; returns how many (<= EXO__PRIM_MAX). */
int exo__route_plan(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out);

/* A field of ev by its row. */
double *exo__route_double(exo_event_cfg *ev, const exo__route_key *k);
double exo__route_value(const exo_event_cfg *ev, const exo__route_key *k);

/* Rows several routes share. */
#define EXO__KEY_PRODUCT_ROW(req, why) \
    {"product", EXO__KEY_PRODUCT, NULL, offsetof(exo_event_cfg, product), 0, 0, NULL, false, req, -1, why}
#define EXO__KEY_OCCLUSION_ROWS                                                                        \
    {"occlusion", EXO__KEY_BOOL, NULL, offsetof(exo_event_cfg, occlusion), 0, 1, NULL, false, false, 0, \
     "estimate: no dressing unless the protocol says so"},                                          \
    {"occlusion_time", EXO__KEY_QTY, "h", offsetof(exo_event_cfg, occlusion_time), 0.0, 7 * EXO_DAY,   \
     "h", true, false, 24.0 * EXO_H, "estimate: an occlusive dressing is usually left on overnight to a day"}

/* The injection rows, shared with PRP. */
#define EXO__KEY_INJECTION_ROWS                                                                                      \
    {"volume", EXO__KEY_QTY, "um^3", offsetof(exo_event_cfg, volume), 1 * EXO_UL, 2 * EXO_ML, "mL", false, \
     false, 0.05 * EXO_ML, "estimate: intradermal aliquots of 0.02-0.1 mL per point"},                    \
    {"depth", EXO__KEY_QTY, "um", offsetof(exo_event_cfg, depth), 50, 4000, "mm", false, false,           \
     1.0 * EXO_MM, "estimate: mid-dermis of the face"},                                                   \
    {"points", EXO__KEY_QTY, "1/um^2", offsetof(exo_event_cfg, point_density), 0.01 / (EXO_CM * EXO_CM), \
     100 / (EXO_CM * EXO_CM), "1/cm^2", false, false, 1.0 / (EXO_CM * EXO_CM),                            \
     "estimate: injection points about 1 cm apart"}

/* Shared pieces of routes (registry.c, injection.c). */
#define EXO__FILM_AFTER_PROCEDURE 10.0 /* [um] product film applied after a procedure (1 mg/cm^2) */
int exo__plan_film(const exo_event_cfg *ev, exo__prim *out);
int exo__plan_needles(const exo_event_cfg *ev, const exo_config *cfg, exo__prim *out);
/* The injury of the needles and the bolus; `vesicles`: the product whose
 * vesicles are injected (-1: none), `activity`: growth-factor activity of
 * the injected volume. */
int exo__plan_injection(const exo_event_cfg *ev, const exo_config *cfg, int vesicles, double activity,
                        exo__prim *out);

#endif
