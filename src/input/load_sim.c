/* load_sim.c - the schema walk of the `simulation` block (duration, profile
 * times, grid, tissue block) and the `parameters` overrides of the parameter
 * table.  Called from walk_top (load.c); same rules as load.c. */
#include "input/input_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- simulation -------------------------------------------------------- */

#define DURATION_MAX (5.0 * EXO_YEAR)

static exo_status walk_profile_times(exo__walk *w, const exo__node *n, exo_sim_cfg *sim)
{
    exo_status st;
    exo__range r = {0.0, sim->duration, "h", 0};
    if ((st = exo__need_seq(w, n, 1, EXO_INPUT_MAX_ITEMS)) != EXO_OK)
        return st;
    sim->profile_times = exo_alloc(w->ctx, (size_t)n->n, sizeof *sim->profile_times);
    if (!sim->profile_times)
        return exo__walk_error(w, n, EXO_ENOMEM, "out of memory");
    sim->n_profile_times = n->n;
    for (int i = 0; i < n->n; i++) {
        size_t old = exo__path_index(&w->path, i);
        st = exo__get_qty(w, n->items[i], &exo__dim_time, &r, &sim->profile_times[i]);
        if (st == EXO_OK && i > 0 && sim->profile_times[i] <= sim->profile_times[i - 1])
            st = exo__walk_error(w, n->items[i], EXO_EINPUT, "overlapping or unsorted times "
                                                             "(expected each time after the "
                                                             "one before)");
        exo__path_pop(&w->path, old);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}

static exo_status default_profile_times(exo__walk *w, const exo__node *at, exo_sim_cfg *sim)
{
    static const double early[] = {1.0 * EXO_H, 1.0 * EXO_DAY, 1.0 * EXO_WEEK};
    sim->profile_times = exo_alloc(w->ctx, 4, sizeof *sim->profile_times);
    if (!sim->profile_times)
        return exo__walk_error(w, at, EXO_ENOMEM, "out of memory");
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (early[i] < sim->duration)
            sim->profile_times[n++] = early[i];
    sim->profile_times[n++] = sim->duration;
    sim->n_profile_times = n;
    return EXO_OK;
}

static exo_status walk_grid(exo__walk *w, const exo__node *n, exo_sim_cfg *sim)
{
    static const char *const keys[] = {"surface_cell", "max_cell", "growth", NULL};
    exo_status st;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "surface_cell", &exo__dim_length,
                           &(exo__range){0.01, 10, "um", 0}, &sim->h_surface)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "max_cell", &exo__dim_length, &(exo__range){1, 200, "um", 0},
                           &sim->h_max)) != EXO_OK ||
        (st = exo__opt_number(w, n, "growth", &(exo__range){1.01, 2, "1", 0},
                              &sim->grid_growth)) != EXO_OK)
        return st;
    if (sim->h_surface > sim->h_max)
        return exo__walk_error(w, n, EXO_EINPUT, "surface_cell %g um is larger than max_cell %g "
                                                 "um (expected surface_cell <= max_cell)",
                               sim->h_surface, sim->h_max);
    return EXO_OK;
}

#define TISSUE_MAX_SIDE 512 /* [1] voxels along one side of a tissue block */

static exo_status walk_tissue(exo__walk *w, const exo__node *n, exo_tissue_cfg *t)
{
    static const char *const keys[] = {"size", "size_x", "size_y", "voxel", "follicles", "film", NULL};
    static const char *const follicles[] = {"explicit", "spread", "none"}, *const films[] = {"mixed", "columns"};
    exo_status st;
    int mode = (int)t->follicles, film = (int)t->film;
    double size = t->size_x;
    if ((st = exo__need_map(w, n, keys)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "size", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &size)) != EXO_OK)
        return st;
    t->size_x = t->size_y = size;
    if ((st = exo__opt_qty(w, n, "size_x", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &t->size_x)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "size_y", &exo__dim_length, &(exo__range){20, 5000, "um", 0}, &t->size_y)) != EXO_OK ||
        (st = exo__opt_qty(w, n, "voxel", &exo__dim_length, &(exo__range){1, 100, "um", 0}, &t->voxel)) != EXO_OK ||
        (st = exo__opt_enum(w, n, "follicles", follicles, EXO_FOLLICLES_COUNT, &mode)) != EXO_OK ||
        (st = exo__opt_enum(w, n, "film", films, EXO_FILM_COUNT, &film)) != EXO_OK)
        return st;
    t->follicles = (exo_follicle_mode)mode;
    t->film = (exo_film_mode)film;
    double side = fmax(t->size_x, t->size_y);
    if (side / t->voxel > TISSUE_MAX_SIDE + 1e-9 || fmin(t->size_x, t->size_y) < t->voxel) {
        const exo__node *v = exo__map_get(n, "voxel");
        exo__path_key(&w->path, "voxel");
        return exo__walk_error(w, v ? v : n, EXO_EINPUT,
                               "voxel %g um gives %.0f by %.0f voxel columns (expected 1 to %d along each "
                               "side of the block)",
                               t->voxel, floor(t->size_x / t->voxel + 1e-9), floor(t->size_y / t->voxel + 1e-9),
                               TISSUE_MAX_SIDE);
    }
    return EXO_OK;
}

/* Caps on the work of one run (docs/config.md, "Work caps"), checked before
 * anything is computed so that a valid-looking input cannot hang or exhaust
 * memory.  The engine's integer row and probe counts stay far inside int. */
#define SIM_MAX_ROWS 100000       /* [1] output rows per arm: duration / output_interval + 1 */
#define SIM_MAX_STEPS 2000000.0   /* [1] estimated time steps per arm */
#define TISSUE_MAX_AREA 16.0e6    /* [um^2] tissue block area (4 x 4 mm; the agents' cap) */

/* The error at simulation.KEY (or the block, or the file where there is none). */
static exo_status work_error(exo__walk *w, const exo__node *n, const exo__node *at, const char *key,
                             const char *msg)
{
    const exo__node *k = n ? exo__map_get(n, key) : NULL;
    exo__path_key(&w->path, key);
    return exo__walk_error(w, k ? k : at, EXO_EINPUT, "%s", msg);
}

/* Steps of the ramp after each session: from dt_min up to dt_max by dt_growth. */
static double step_ramp(const exo_sim_cfg *sim)
{
    return ceil(log(sim->dt_max / sim->dt_min) / log(sim->dt_growth)) + 1;
}

static double arm_sessions(const exo_arm_cfg *arm)
{
    double sessions = 0;
    for (int e = 0; e < arm->n_events; e++)
        sessions += arm->events[e].n_times;
    return sessions;
}

double exo_config_steps(const exo_config *cfg, int arm)
{
    if (!cfg || arm < 0 || arm >= cfg->n_arms)
        return 0;
    return cfg->sim.duration / cfg->sim.dt_max + arm_sessions(&cfg->arms[arm]) * step_ramp(&cfg->sim);
}

/* Estimates the steps and rows of each arm and the size of a tissue block and
 * refuses what exceeds the caps.  Steps: at least duration / dt_max, and after
 * each session the step restarts at dt_min and grows by dt_growth up to dt_max. */
static exo_status check_work(exo__walk *w, const exo__node *root, const exo__node *n, const exo__node *at,
                             size_t top, const exo_config *cfg)
{
    const exo_sim_cfg *sim = &cfg->sim;
    char msg[256];
    double rows = floor(sim->duration / sim->output_interval + 1e-9) + 1;
    if (!(rows <= SIM_MAX_ROWS)) {
        snprintf(msg, sizeof msg, "%.4g output rows per arm over %g h (expected at most %d: an output_interval of "
                                  "at least %g h)",
                 rows, sim->duration, SIM_MAX_ROWS, sim->duration / (SIM_MAX_ROWS - 1));
        return work_error(w, n, at, "output_interval", msg);
    }
    double ramp = step_ramp(sim);
    for (int a = 0; a < cfg->n_arms; a++) {
        double sessions = arm_sessions(&cfg->arms[a]);
        double steps = exo_config_steps(cfg, a);
        if (!(steps <= SIM_MAX_STEPS)) {
            snprintf(msg, sizeof msg, "arm '%s' needs about %.3g time steps (%g h at dt_max %g h, %.0f sessions of "
                                      "about %.0f steps; expected at most %.0f: a longer dt_max or fewer sessions)",
                     cfg->arms[a].name, steps, sim->duration, sim->dt_max, sessions, ramp, SIM_MAX_STEPS);
            if (sim->duration / sim->dt_max > SIM_MAX_STEPS / 2)
                return work_error(w, n, at, "dt_max", msg);
            const exo__node *arms = exo__map_get(root, "arms"); /* the sessions: point at the arm */
            exo__path_pop(&w->path, top);
            exo__path_key(&w->path, "arms");
            exo__path_index(&w->path, a);
            return exo__walk_error(w, arms && arms->kind == EXO__NODE_SEQ && a < arms->n ? arms->items[a] : root,
                                   EXO_EINPUT, "%s", msg);
        }
    }
    const exo_tissue_cfg *t = &sim->tissue;
    if (sim->fidelity == EXO_FIDELITY_TISSUE && t->size_x * t->size_y > TISSUE_MAX_AREA) {
        snprintf(msg, sizeof msg, "a block of %g x %g um is %g mm^2 (expected at most %g mm^2: the cells of a larger "
                                  "block exceed the agents' cap)",
                 t->size_x, t->size_y, t->size_x * t->size_y * 1e-6, TISSUE_MAX_AREA * 1e-6);
        return work_error(w, n, at, "tissue", msg);
    }
    return EXO_OK;
}

exo_status exo__walk_simulation(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    static const char *const keys[] = {"duration", "dt_min", "dt_max", "dt_growth",
                                       "rtol", "atol", "output_interval", "profile_times", "grid", "bottom",
                                       "fidelity", "tissue", NULL};
    static const char *const fidelities[] = {"column", "tissue"};
    static const char *const bottoms[] = {"zero_flux", "sink"};
    exo_status st = EXO_OK;
    exo_sim_cfg *sim = &cfg->sim;
    const exo__node *n = exo__map_get(root, "simulation"), *at = n ? n : root;
    size_t old = exo__path_key(&w->path, "simulation");
    int bottom = 0;

    /* default duration: 4 weeks past the last session, whole weeks */
    double last = 0.0;
    long total = 0;
    for (int a = 0; a < cfg->n_arms; a++)
        for (int e = 0; e < cfg->arms[a].n_events; e++) {
            const exo_event_cfg *ev = &cfg->arms[a].events[e];
            total += ev->n_times;
            if (total > EXO_INPUT_MAX_TOTAL_TIMES) {
                exo__path_pop(&w->path, old);
                exo__path_key(&w->path, "arms");
                return exo__walk_error(w, exo__map_get(root, "arms"), EXO_EINPUT,
                                       "%ld scheduled sessions in all arms (expected at most %d)", total,
                                       EXO_INPUT_MAX_TOTAL_TIMES);
            }
            if (ev->n_times > 0 && ev->times[ev->n_times - 1] > last)
                last = ev->times[ev->n_times - 1];
        }
    sim->duration = fmax(1.0, ceil((last + 4.0 * EXO_WEEK) / EXO_WEEK)) * EXO_WEEK;
    sim->output_interval = 6.0 * EXO_H;
    sim->dt_min = 10.0 * EXO_S;
    sim->dt_max = 2.0 * EXO_H;
    sim->dt_growth = 1.3;
    sim->bio_rtol = 1e-5;
    sim->bio_atol = 1e-8;
    sim->h_surface = 0.5 * EXO_UM;
    sim->h_max = 25.0 * EXO_UM;
    sim->grid_growth = 1.15;
    sim->fidelity = EXO_FIDELITY_COLUMN;
    sim->tissue = (exo_tissue_cfg){400.0 * EXO_UM, 400.0 * EXO_UM, 10.0 * EXO_UM, EXO_FOLLICLES_EXPLICIT, EXO_FILM_MIXED};
    if (n) {
        EXO_TRY(exo__need_map(w, n, keys));
        EXO_TRY(exo__opt_qty(w, n, "duration", &exo__dim_time,
                             &(exo__range){0, DURATION_MAX, "d", EXO__LO_OPEN},
                             &sim->duration));
    }
    if (sim->duration > DURATION_MAX) {
        st = exo__walk_error(w, at, EXO_EINPUT, "the default duration %g h (4 weeks after the "
                                                "last session) is longer than 5 years "
                                                "(expected a shorter schedule)",
                             sim->duration);
        goto out;
    }
    /* a run shorter than the default interval records its start and end
     * (the default must pass the same check as a given value: fuzzing found
     * a 3.4-h run whose printed configuration did not load back) */
    sim->output_interval = fmin(sim->output_interval, sim->duration);
    if (n) {
        EXO_TRY(exo__opt_qty(w, n, "output_interval", &exo__dim_time,
                             &(exo__range){0, sim->duration, "h", EXO__LO_OPEN},
                             &sim->output_interval));
        EXO_TRY(exo__opt_qty(w, n, "dt_min", &exo__dim_time,
                             &(exo__range){0, 24, "h", EXO__LO_OPEN}, &sim->dt_min));
        EXO_TRY(exo__opt_qty(w, n, "dt_max", &exo__dim_time,
                             &(exo__range){0, EXO_WEEK, "h", EXO__LO_OPEN}, &sim->dt_max));
        EXO_TRY(exo__opt_number(w, n, "dt_growth", &(exo__range){1, 3, "1", EXO__LO_OPEN},
                                &sim->dt_growth));
        EXO_TRY(exo__opt_number(w, n, "rtol", &(exo__range){1e-10, 0.1, "1", 0}, &sim->bio_rtol));
        EXO_TRY(exo__opt_number(w, n, "atol", &(exo__range){1e-16, 0.01, "1", 0}, &sim->bio_atol));
        EXO_TRY(exo__opt_enum(w, n, "bottom", bottoms, 2, &bottom));
        int fid = (int)sim->fidelity;
        EXO_TRY(exo__opt_enum(w, n, "fidelity", fidelities, EXO_FIDELITY_COUNT, &fid));
        sim->fidelity = (exo_fidelity)fid;
        const exo__node *tn = exo__map_get(n, "tissue");
        if (tn) {
            size_t o2 = exo__path_key(&w->path, "tissue");
            if (sim->fidelity != EXO_FIDELITY_TISSUE) {
                st = exo__walk_error(w, tn, EXO_EINPUT, "a tissue block with fidelity column (expected "
                                                        "fidelity: tissue, or no tissue block)");
                goto out;
            }
            EXO_TRY(walk_tissue(w, tn, &sim->tissue));
            exo__path_pop(&w->path, o2);
        }
        const exo__node *g = exo__map_get(n, "grid");
        if (g) {
            size_t o2 = exo__path_key(&w->path, "grid");
            EXO_TRY(walk_grid(w, g, sim));
            exo__path_pop(&w->path, o2);
        }
        if (sim->dt_min > sim->dt_max) {
            const exo__node *d = exo__map_get(n, "dt_min");
            exo__path_key(&w->path, "dt_min");
            st = exo__walk_error(w, d ? d : n, EXO_EINPUT, "dt_min %g h is longer than dt_max "
                                                           "%g h (expected dt_min <= dt_max)",
                                 sim->dt_min, sim->dt_max);
            goto out;
        }
    }
    sim->bottom_sink = bottom == 1;
    const exo__node *pt = n ? exo__map_get(n, "profile_times") : NULL;
    if (pt) {
        size_t o2 = exo__path_key(&w->path, "profile_times");
        EXO_TRY(walk_profile_times(w, pt, sim));
        exo__path_pop(&w->path, o2);
    } else {
        EXO_TRY(default_profile_times(w, at, sim));
    }
    st = check_work(w, root, n, at, old, cfg);
out:
    exo__path_pop(&w->path, old);
    return st;
}

/* ---- parameters -------------------------------------------------------- */

exo_status exo__walk_parameters(exo__walk *w, const exo__node *root, exo_config *cfg)
{
    exo_status st = exo_paramset_defaults(w->u, &cfg->params);
    if (st != EXO_OK)
        return exo__input_error(w->ctx, st, root->src, 1, 1, "parameters",
                                "cannot convert the parameter defaults (expected a valid "
                                "parameter table)");
    const exo__node *n = exo__map_get(root, "parameters");
    if (!n)
        return EXO_OK;
    size_t old = exo__path_key(&w->path, "parameters");
    if (n->kind != EXO__NODE_MAP) {
        st = exo__walk_error(w, n, EXO_EINPUT, "found %s (expected a mapping of parameter keys "
                                               "to values with units)",
                             n->kind == EXO__NODE_SEQ ? "a list" : "a plain value");
        goto out;
    }
    for (int i = 0; i < n->n; i++) {
        const exo__pair *p = &n->pairs[i];
        exo_param_id id;
        const exo_param_info *row = exo_param_find(p->key, &id);
        size_t o2 = exo__path_key(&w->path, p->key);
        if (!row) {
            st = exo__walk_error_key(w, p, EXO_EINPUT, "unknown parameter (expected a key of the "
                                                       "parameter table; see 'exoskin params')");
            goto out;
        }
        bool plain = strcmp(row->internal, "1") == 0;
        char what[160];
        if (plain)
            snprintf(what, sizeof what, "a plain number such as '%g'", row->value);
        else
            snprintf(what, sizeof what, "a value with a unit such as '%g %s'", row->value,
                     row->unit);
        exo__dim d = {row->internal, what};
        exo__range r = {row->min, row->max, row->unit, 0};
        if (!plain && strcmp(row->unit, row->internal) != 0 &&
            (exo_units_convert(w->u, row->min, row->unit, row->internal, &r.lo) != EXO_OK ||
             exo_units_convert(w->u, row->max, row->unit, row->internal, &r.hi) != EXO_OK)) {
            st = exo__walk_error_key(w, p, EXO_EINVAL, "the table's unit '%s' does not convert "
                                                       "to '%s' (expected a valid table row)",
                                     row->unit, row->internal);
            goto out;
        }
        EXO_TRY(exo__get_qty(w, p->value, &d, &r, &cfg->params.v[id]));
        cfg->param_overridden[id] = true;
        exo__path_pop(&w->path, o2);
    }
out:
    exo__path_pop(&w->path, old);
    return st;
}
