/* input_impl.h - internals of the input loader shared by its files: the YAML
 * node tree with source positions (tree.c), typed value readers that check
 * units and ranges and format "FILE:LINE:COL: KEY: ..." messages (values.c),
 * schedules (schedule.c), the schema walk (load.c and its blocks in
 * load_skin.c, load_sim.c, load_study.c, load_blocks.c) and the writer
 * (emit.c). */
#ifndef EXO_INPUT_IMPL_H
#define EXO_INPUT_IMPL_H

#include <exoskin/exo_input.h>

/* ---- node tree (tree.c) ------------------------------------------------ */

typedef enum { EXO__NODE_SCALAR, EXO__NODE_MAP, EXO__NODE_SEQ } exo__node_kind;

typedef struct exo__node exo__node;

/* One mapping entry: the key text and where it was written. */
typedef struct {
    char *key;
    const char *src;    /* borrowed: file name or "--set" */
    int line, col;      /* 1-based */
    exo__node *value;
} exo__pair;

struct exo__node {
    exo__node_kind kind;
    const char *src;    /* borrowed: file name or "--set" */
    int line, col;      /* 1-based position of the node's first character */
    char *text;         /* scalar: NUL-terminated text (may be "") */
    bool plain;         /* scalar: written without quotes */
    int n, cap;         /* entries of a mapping or items of a sequence */
    exo__pair *pairs;   /* mapping */
    exo__node **items;  /* sequence */
};

/* Parses YAML text into a tree.  `src` names the text in messages (and is
 * stored, borrowed, in every node); `prefix` is the dotted key path the text
 * stands at ("" for a file).  *root is NULL for an empty document. */
exo_status exo__tree_parse(exo_ctx *ctx, const char *src, const char *prefix,
                           const char *text, size_t len, exo__node **root);
void exo__tree_free(exo_ctx *ctx, exo__node *n);
/* Applies one --set override to the tree (see exo_input.h). */
exo_status exo__tree_override(exo_ctx *ctx, exo__node *root, const exo_override *set);
/* The value of `key` in a mapping, or NULL. */
exo__node *exo__map_get(const exo__node *map, const char *key);
const exo__pair *exo__map_pair(const exo__node *map, const char *key);

/* ---- dotted key paths ------------------------------------------------- */

#define EXO__PATH_MAX 512
typedef struct {
    char s[EXO__PATH_MAX];
    size_t n;
} exo__path;

/* Appends ".key" (or "key" at the root); returns the old length for pop. */
size_t exo__path_key(exo__path *p, const char *key);
size_t exo__path_index(exo__path *p, int i);
void exo__path_pop(exo__path *p, size_t len);

/* Records "src:line:col: path: message" on ctx and returns st.  An empty
 * path prints as "(file)". */
exo_status exo__input_error(exo_ctx *ctx, exo_status st, const char *src, int line, int col,
                            const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Copies at most n characters of s into buf (cap bytes) for a message,
 * replacing control characters, with "..." when cut. */
const char *exo__quote(char *buf, size_t cap, const char *s, size_t n);

/* Composes, in place, the Latin letters followed by combining marks into
 * their precomposed (NFC) form (nfc.c, limits there): every scalar and key
 * of the input passes through it, so that names equal after normalisation
 * compare equal.  Never lengthens the text. */
void exo__nfc_latin(char *text);

/* ---- typed readers (values.c) ------------------------------------------ */

/* The walk over one tree: where messages go and the current key path. */
typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    exo__path path;
} exo__walk;

/* A physical dimension: the internal unit and how to describe it. */
typedef struct {
    const char *unit;   /* internal unit, e.g. "um" */
    const char *what;   /* "a length such as '0.5 mm'" */
} exo__dim;

extern const exo__dim exo__dim_length, exo__dim_time, exo__dim_area_density,
    exo__dim_conc, exo__dim_volume, exo__dim_none, exo__dim_fluence;

enum {
    EXO__LO_OPEN = 1u,  /* value must be > lo */
    EXO__HI_OPEN = 2u,  /* value must be < hi */
};

/* An accepted range in internal units, shown in `show` units in messages. */
typedef struct {
    double lo, hi;
    const char *show;
    unsigned flags;
} exo__range;

exo_status exo__walk_error(exo__walk *w, const exo__node *at, exo_status st, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));
exo_status exo__walk_error_key(exo__walk *w, const exo__pair *at, exo_status st,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Checks that n is a mapping whose keys are all in `allowed` (NULL-ended). */
exo_status exo__need_map(exo__walk *w, const exo__node *n, const char *const *allowed);
exo_status exo__need_seq(exo__walk *w, const exo__node *n, int min, int max);
/* Finds a required key; the message names the mapping's position. */
exo_status exo__need_key(exo__walk *w, const exo__node *map, const char *key,
                         const char *expected, exo__node **out);

exo_status exo__get_qty(exo__walk *w, const exo__node *n, const exo__dim *d,
                        const exo__range *r, double *out);
exo_status exo__get_number(exo__walk *w, const exo__node *n, const exo__range *r, double *out);
exo_status exo__get_int(exo__walk *w, const exo__node *n, long long lo, long long hi,
                        long long *out);
exo_status exo__get_bool(exo__walk *w, const exo__node *n, bool *out);
exo_status exo__get_enum(exo__walk *w, const exo__node *n, const char *const *names, int count,
                         int *out);
exo_status exo__get_string(exo__walk *w, const exo__node *n, char *dst, size_t cap);
/* Range check alone, for values derived from several keys. */
exo_status exo__check_range(exo__walk *w, const exo__node *n, const exo__dim *d,
                            const exo__range *r, double v);

/* Optional keys: look the key up in `map`, push it onto the path, read it,
 * pop.  Absent keys leave *out untouched. */
exo_status exo__opt_qty(exo__walk *w, const exo__node *map, const char *key, const exo__dim *d,
                        const exo__range *r, double *out);
exo_status exo__opt_number(exo__walk *w, const exo__node *map, const char *key,
                           const exo__range *r, double *out);
exo_status exo__opt_bool(exo__walk *w, const exo__node *map, const char *key, bool *out);
exo_status exo__opt_int(exo__walk *w, const exo__node *map, const char *key, long long lo, long long hi, int *out);
exo_status exo__opt_enum(exo__walk *w, const exo__node *map, const char *key,
                         const char *const *names, int count, int *out);
exo_status exo__opt_string(exo__walk *w, const exo__node *map, const char *key, char *dst,
                           size_t cap);

/* ---- schedules (schedule.c) -------------------------------------------- */

/* Reads a schedule (string or mapping form) into an exo_alloc'd array of
 * ascending times [h]. */
exo_status exo__get_schedule(exo__walk *w, const exo__node *n, double **times, int *n_times);

/* ---- names (names.c) --------------------------------------------------- */

extern const char *const exo__region_names[EXO_REGION_COUNT];
extern const char *const exo__sex_names[EXO_SEX_COUNT];
extern const char *const exo__condition_names[EXO_COND_COUNT];
extern const char *const exo__origin_names[EXO_ORIGIN_COUNT];
extern const char *const exo__vehicle_names[EXO_VEHICLE_COUNT];
extern const char *const exo__cargo_names[EXO_CARGO_COUNT];
extern const char *const exo__quantity_names[EXO_Q_COUNT];
extern const char *const exo__compare_names[EXO_CMP_COUNT];
extern const char *const exo__trial_design_names[EXO_TRIAL_DESIGN_COUNT];

/* ---- skin presets (load_skin.c) ----------------------------------------  */

/* Preset whole-skin thickness [um] of a region for a sex and age (the value
 * the loader uses when `thickness` is not given; docs/config.md). */
double exo__skin_thickness_preset(exo_region region, exo_sex sex, double age);
/* An age [year] as the skin and trial blocks read it. */
extern const exo__dim exo__dim_age;
/* Reads a Fitzpatrick phototype written I..VI (or 1..6) into *out, 1..6. */
exo_status exo__get_phototype(exo__walk *w, const exo__node *n, int *out);

/* ---- loading (load.c) -------------------------------------------------- */

/* The schema walk of one top-level block of the tree `root` into cfg; the
 * first problem found ends the walk with its message on w->ctx.  Skin and
 * products (load_skin.c), simulation and parameters (load_sim.c), study and
 * trial (load_study.c), optimize and sweep (load_blocks.c); walk_top
 * (load.c) calls them in this order, after the arms. */
exo_status exo__walk_skin(exo__walk *w, const exo__node *root, exo_skin_cfg *skin);
exo_status exo__walk_products(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_simulation(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_parameters(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_study(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_trial(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_optimize(exo__walk *w, const exo__node *root, exo_config *cfg);
exo_status exo__walk_sweep(exo__walk *w, const exo__node *root, exo_config *cfg);
/* Reads the arm name at `key` of `map` (if present) into *out, the arm's
 * index in cfg->arms (load_study.c; the study, trial and sweep walks). */
exo_status exo__find_arm(exo__walk *w, const exo_config *cfg, const exo__node *map, const char *key,
                         int *out);

/* exo_config_load; check_sweep false skips the check of every value of the
 * sweep block (for the grid points of a sweep, whose base was checked). */
exo_status exo__config_load_opts(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets,
                                 int n_sets, bool check_sweep, exo_config *cfg);
/* Turns the error on ctx (from loading the input with value `value` of
 * variable `var`) into one at the place the value was written. */
exo_status exo__sweep_value_error(exo_ctx *ctx, exo_status st, const exo_sweep_cfg *s, int var, int value);

#endif
