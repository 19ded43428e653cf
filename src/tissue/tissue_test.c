/* tissue_test.c - tissue mode against column mode and itself:
 *  - a laterally uniform block (follicles spread over every voxel column, no
 *    channels) reproduces every column-mode readout and the delivery within
 *    1 % at every recorded time;
 *  - a block with explicit follicles and microneedle channels closes its mass
 *    ledger to round-off, the routes into the viable tissue add up to what
 *    is below the SC, and the results are identical at 1 and 2 threads,
 *    cell agents and 3D fields included; the agents' macrophages make I in
 *    their own voxels, so I is not laterally uniform in the dermis;
 *  - the channels carry vesicles: more reaches the viable epidermis with
 *    needling than without, and through the channel route. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_impl.h"
#include "output/output.h"
#include "tissue/tissue.h"

#include "core/test_fixture.h"

typedef exo_test_fixture fixture;

static const char *const base_yaml =
    "name: t\n"
    "seed: 7\n"
    "skin: {region: cheek, age: 45 years, sex: female, phototype: III, condition: photoaged}\n"
    "products:\n"
    "  - {name: serum, origin: adipose_msc, size: {mode: 120 nm, gsd: 1.4, bins: %d},\n"
    "     concentration: 1e10 particles/mL, functional_fraction: 0.7, vehicle: serum}\n"
    "arms:\n"
    "  - name: a\n"
    "    protocol:\n"
    "%s"
    "      - {event: topical, product: serum, amount: 1 mg/cm^2, contact: 12 h, schedule: %s}\n"
    "simulation:\n"
    "  duration: %s\n"
    "  profile_times: [1 h, %s]\n"
    "  grid: {surface_cell: %s, max_cell: 50 um}\n"
    "%s";

static const char *const needling =
    "      - {event: microneedling, needle_length: 1 mm, density: 2500 1/cm^2, passes: 1, schedule: once}\n";

static void load(fixture *f, exo_config *cfg, int bins, const char *extra_events, const char *schedule,
                 const char *duration, const char *h_surface, const char *sim_extra)
{
    char text[4096];
    snprintf(text, sizeof text, base_yaml, bins, extra_events, schedule, duration, duration, h_surface, sim_extra);
    exo_status st = exo_config_load_buffer(f->ctx, f->u, "test.yaml", text, strlen(text), NULL, 0, cfg);
    if (st != EXO_OK)
        fail_msg("%s\n%s", exo_ctx_last_error(f->ctx), text);
}

static exo_result *run(fixture *f, const exo_config *cfg)
{
    exo_result *r = NULL;
    if (exo_run(f->ctx, cfg, NULL, NULL, &r) != EXO_OK)
        fail_msg("run: %s", exo_ctx_last_error(f->ctx));
    return r;
}

static double rel(double a, double b) { return a == b ? 0.0 : fabs(a - b) / fmax(fabs(a), fabs(b)); }

/* A laterally uniform block is column mode: every readout, layer content and
 * route within 1 % at every recorded time (they agree to ~1e-9: the x and y
 * sweeps leave uniform fields unchanged and the z sweep is column mode's step). */
static void uniform_block_reproduces_column(void **state)
{
    fixture *f = *state;
    exo_config col, tis;
    load(f, &col, 2, "", "twice daily for 2 days", "3 d", "1 um", "");
    load(f, &tis, 2, "", "twice daily for 2 days", "3 d", "1 um",
         "  fidelity: tissue\n  tissue: {size: 30 um, voxel: 10 um, follicles: spread}\n");
    exo_result *rc = run(f, &col), *rt = run(f, &tis);
    const exo_arm_result *a = &rc->arms[0], *b = &rt->arms[0];
    assert_int_equal(a->n_rows, b->n_rows);
    assert_true(a->n_rows > 10);
    double worst = 0;
    for (int i = 0; i < a->n_rows; i++) {
        const exo_row *x = &a->rows[i], *y = &b->rows[i];
        assert_true(x->t == y->t);
        for (int k = 0; k < EXO_RD_COUNT; k++)
            if (rel(x->rd[k], y->rd[k]) > 0.01)
                fail_msg("t = %g h: readout %s column %g tissue %g", x->t, exo_readout_name(k), x->rd[k], y->rd[k]);
        double vals[][2] = {{x->below[EXO_LAYER_VE], y->below[EXO_LAYER_VE]},
                            {x->below[EXO_LAYER_PAP], y->below[EXO_LAYER_PAP]},
                            {x->film, y->film},
                            {x->follicles, y->follicles},
                            {x->route[EXO_ROUTE_SC], y->route[EXO_ROUTE_SC]},
                            {x->route[EXO_ROUTE_FOLLICLE], y->route[EXO_ROUTE_FOLLICLE]},
                            {x->med[EXO_MED_I], y->med[EXO_MED_I]},
                            {x->taken_up, y->taken_up}};
        for (size_t v = 0; v < sizeof vals / sizeof *vals; v++) {
            /* amounts far below what was applied are round-off of differences */
            if (fabs(vals[v][0] - vals[v][1]) > 1e-9 * (x->applied + 1e-300))
                worst = fmax(worst, rel(vals[v][0], vals[v][1]));
        }
    }
    if (worst > 0.01)
        fail_msg("tissue vs column: worst relative difference %g", worst);
    assert_true(b->rows[b->n_rows - 1].below[EXO_LAYER_VE] > 0); /* something was delivered */
    exo_result_destroy(&rc);
    exo_result_destroy(&rt);
    exo_config_fini(f->ctx, &col);
    exo_config_fini(f->ctx, &tis);
}

/* Explicit follicles and needle channels in a block big enough for the
 * threaded sweeps: ledger to round-off, routes = what is below the SC,
 * identical bytes at 1 and 2 threads, channels deliver. */
static void explicit_block_conserves_and_is_deterministic(void **state)
{
    fixture *f = *state;
    exo_config cfg, none;
    const char *sim = "  fidelity: tissue\n  tissue: {size: 160 um, voxel: 10 um, follicles: explicit}\n";
    load(f, &cfg, 1, needling, "once", "2 h", "5 um", sim);
    load(f, &none, 1, "", "once", "2 h", "5 um", sim);
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    exo_result *r1 = run(f, &cfg);
    omp_set_num_threads(2);
    exo_result *r2 = run(f, &cfg);
    exo_result *r0 = run(f, &none);
    omp_set_num_threads(threads);
    const exo_arm_result *a = &r1->arms[0], *b = &r2->arms[0], *c = &r0->arms[0];
    assert_true(a->grid->n * 16 * 16 >= 8192); /* the threaded path runs */
    assert_int_equal(a->n_rows, b->n_rows);
    for (int i = 0; i < a->n_rows; i++) {
        const exo_row *w = &a->rows[i];
        assert_memory_equal(w, &b->rows[i], sizeof *w); /* bit-identical at 1 and 2 threads */
        if (w->balance > 1e-12)
            fail_msg("t = %g h: ledger error %g", w->t, w->balance);
        double routes = 0;
        for (int q = 0; q < EXO_ROUTE_COUNT; q++)
            routes += w->route[q];
        if (fabs(routes - w->below[EXO_LAYER_VE]) > 1e-9 * (w->applied + 1e-300))
            fail_msg("t = %g h: routes %g != below the SC %g", w->t, routes, w->below[EXO_LAYER_VE]);
    }
    /* the cell agents: the same cells and the same 3D fields at 1 and 2 threads */
    const exo_tissue_info *ta = &a->tissue, *tb = &b->tissue;
    size_t nv = (size_t)ta->nx * ta->ny * ta->nz;
    assert_true(ta->cells > 1000);
    assert_int_equal(ta->cells, tb->cells);
    assert_true(ta->agent_updates > ta->cells); /* at least one update of every cell */
    assert_memory_equal(ta->inflammation, tb->inflammation, (size_t)a->n_prof * nv * sizeof(float));
    assert_memory_equal(ta->vesicles, tb->vesicles, (size_t)a->n_prof * nv * sizeof(float));
    /* macrophages make I in their own voxels: below the channels (> 600 um)
     * the lateral spread of I exceeds 1 % in some depth cell (a uniform
     * source leaves it uniform to ~1e-6 there) */
    {
        const float *I = ta->inflammation + (size_t)(a->n_prof - 1) * nv;
        double spread = 0;
        for (int l = 0; l < ta->nz; l++) {
            if (a->grid->zf[l] < 600.0)
                continue;
            float lo = INFINITY, hi = 0;
            for (size_t q = 0; q < (size_t)ta->nx * ta->ny; q++) {
                float x = I[q + (size_t)ta->nx * ta->ny * l];
                lo = fminf(lo, x);
                hi = fmaxf(hi, x);
            }
            spread = fmax(spread, (hi - lo) / hi);
        }
        if (!(spread > 0.01))
            fail_msg("lateral spread of I below the channels %g", spread);
    }
    /* new collagen: laid down around each fibroblast, so it varies laterally
     * (> 10 % within some dermal depth cell), but each depth cell's block
     * mean follows its zone's production: the same in every depth cell of a
     * zone (to float precision), changing at most at the zone boundaries;
     * none above the dermis */
    {
        assert_memory_equal(ta->collagen, tb->collagen, (size_t)a->n_prof * nv * sizeof(float));
        const float *C = ta->collagen + (size_t)(a->n_prof - 1) * nv;
        const size_t nxy = (size_t)ta->nx * ta->ny;
        double spread = 0, prev = -1;
        int changes = 0;
        for (int l = 0; l < ta->nz; l++) {
            double mean = 0, lo = INFINITY, hi = 0;
            for (size_t q = 0; q < nxy; q++) {
                double x = C[q + nxy * l];
                mean += x;
                lo = fmin(lo, x);
                hi = fmax(hi, x);
            }
            mean /= (double)nxy;
            if (l < a->grid->first[EXO_LAYER_PAP]) {
                assert_true(hi == 0);
                continue;
            }
            assert_true(mean > 0);
            spread = fmax(spread, (hi - lo) / mean);
            if (prev >= 0 && fabs(mean - prev) > 1e-5 * mean)
                changes++;
            prev = mean;
        }
        if (!(spread > 0.1) || changes > EXO_NZ - 2)
            fail_msg("new collagen: lateral spread %g, %d changes of the depth-cell mean", spread, changes);
    }
    /* the film is level and mixed (tissue.film: mixed, the default): what the
     * channel and the follicle drain is replaced from around, so the channel
     * takes up more (6x here) than when each voxel column keeps its own film */
    {
        exo_config cols;
        load(f, &cols, 1, needling, "once", "2 h", "5 um",
             "  fidelity: tissue\n  tissue: {size: 160 um, voxel: 10 um, follicles: explicit, film: columns}\n");
        exo_result *rk = run(f, &cols);
        const exo_row *em = &a->rows[a->n_rows - 1], *ek = &rk->arms[0].rows[rk->arms[0].n_rows - 1];
        if (!(em->route[EXO_ROUTE_CHANNEL] > 1.5 * ek->route[EXO_ROUTE_CHANNEL]) || !(ek->balance < 1e-12))
            fail_msg("channel route: mixed film %g, film by columns %g (ledger %g)", em->route[EXO_ROUTE_CHANNEL],
                     ek->route[EXO_ROUTE_CHANNEL], ek->balance);
        exo_result_destroy(&rk);
        exo_config_fini(f->ctx, &cols);
    }
    const exo_row *end = &a->rows[a->n_rows - 1], *end0 = &c->rows[c->n_rows - 1];
    assert_true(end->route[EXO_ROUTE_CHANNEL] > 0);
    assert_true(end0->route[EXO_ROUTE_CHANNEL] == 0);
    assert_true(end->below[EXO_LAYER_VE] > 10 * end0->below[EXO_LAYER_VE]);
    assert_true(end0->route[EXO_ROUTE_FOLLICLE] > 0); /* the explicit follicle takes up film */
    exo_result_destroy(&r1);
    exo_result_destroy(&r2);
    exo_result_destroy(&r0);
    exo_config_fini(f->ctx, &cfg);
    exo_config_fini(f->ctx, &none);
}

/* Reference: one backward-Euler sweep along a line of n voxels with
 * harmonic-mean faces (a_f = r 2 D1 D2 / (D1 + D2)), zero flux at the ends,
 * solved by plain Gaussian elimination on the tridiagonal system. */
static void line_reference(int n, const double *D, double r, double *c)
{
    double lo[64], di[64], up[64];
    for (int i = 0; i < n; i++) {
        double al = i > 0 ? r * 2 * D[i - 1] * D[i] / (D[i - 1] + D[i]) : 0.0;
        double ar = i < n - 1 ? r * 2 * D[i] * D[i + 1] / (D[i] + D[i + 1]) : 0.0;
        lo[i] = -al;
        up[i] = -ar;
        di[i] = 1 + al + ar;
    }
    for (int i = 1; i < n; i++) {
        double m = lo[i] / di[i - 1];
        di[i] -= m * up[i - 1];
        c[i] -= m * c[i - 1];
    }
    c[n - 1] /= di[n - 1];
    for (int i = n - 2; i >= 0; i--)
        c[i] = (c[i] - up[i] * c[i + 1]) / di[i];
}

/* The lateral sweeps with variable coefficients (tissue and open-channel
 * voxels in a pseudo-random pattern in the first 7 rows, tissue in the next
 * 10; ny = 17 is not a multiple of the x sweep's tile of 8 rows, and the
 * tiles of rows 8-15 and 16 are all tissue, solved with the plane's
 * precomputed factors) match a plain line-by-line solve, x then y, to
 * round-off, and conserve mass; one depth cell, dry surface, no losses. */
static void lateral_sweeps_match_reference(void **state)
{
    enum { NY = 17 };
    fixture *f = *state;
    exo_config cfg;
    load(f, &cfg, 1, "", "once", "1 d", "1 um",
         "  fidelity: tissue\n  tissue: {size_x: 110 um, size_y: 170 um, voxel: 10 um, follicles: none}\n");
    exo_grid *g;
    assert_int_equal(exo__grid_create_uniform(f->ctx, 10.0, 1, EXO_LAYER_VE, &g), EXO_OK);
    exo_species_meta meta = {.vesicle = true, .diameter = 0.1};
    exo_tissue *t;
    assert_int_equal(exo__tissue_create(f->ctx, &cfg, &cfg.arms[0].skin, g, 1, &meta, &t), EXO_OK);
    assert_int_equal(t->nx, 11);
    assert_int_equal(t->ny, NY);
    exo_coeffs c;
    exo_species s;
    assert_int_equal(exo__coeffs_init(f->ctx, g, &c), EXO_OK);
    assert_int_equal(exo__species_init(f->ctx, g, &s), EXO_OK);
    c.D[0] = 100.0; /* [um^2/h] tissue; the open channel fluid is Stokes-Einstein (~1e4) */
    exo_surface sf;
    memset(&sf, 0, sizeof sf);
    sf.ch[0] = (exo_channels){true, EXO_ROUTE_CHANNEL, 0.3, 0.3, 70.0, 10.0, 0.0};
    double ref[11 * NY], D[11 * NY], total = 0;
    for (int v = 0; v < 11 * NY; v++) {
        t->mat[v] = (uint8_t)(v < 77 && (v * 7919) % 5 == 0 ? 1 : EXO_MAT_TISSUE);
        t->C[0][v] = ref[v] = 1.0 + (double)((v * 104729) % 97) / 97.0;
        D[v] = t->mat[v] ? t->Dfluid[0] : c.D[0];
        total += ref[v];
    }
    const double dt = 0.05, r = dt / 100.0;
    assert_int_equal(exo__tissue_step(t, 0, &c, &sf, dt, &s), EXO_OK);
    double line[NY], Dl[NY];
    for (int j = 0; j < NY; j++) /* x sweep */
        line_reference(11, D + 11 * j, r, ref + 11 * j);
    for (int i = 0; i < 11; i++) { /* y sweep */
        for (int j = 0; j < NY; j++) {
            line[j] = ref[i + 11 * j];
            Dl[j] = D[i + 11 * j];
        }
        line_reference(NY, Dl, r, line);
        for (int j = 0; j < NY; j++)
            ref[i + 11 * j] = line[j];
    }
    double worst = 0, after = 0, spread = 0;
    for (int v = 0; v < 11 * NY; v++) {
        worst = fmax(worst, fabs(t->C[0][v] - ref[v]));
        after += t->C[0][v];
        spread = fmax(spread, fabs(t->C[0][v] - total / (11 * NY)));
    }
    if (worst > 1e-12)
        fail_msg("sweeps differ from the reference by %g", worst);
    assert_true(fabs(after - total) < 1e-12 * total);
    assert_true(spread > 1e-3); /* the step did not just flatten everything */
    exo__coeffs_fini(f->ctx, &c);
    exo__species_fini(f->ctx, &s);
    exo__tissue_destroy(&t);
    exo__grid_destroy(&g);
    exo_config_fini(f->ctx, &cfg);
}

/* The tissue examples run (the first 3 h) and close their ledgers. */
static void tissue_examples_run(void **state)
{
    fixture *f = *state;
    const char *d = getenv("EXO_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/tissue-microneedling.yaml", d ? d : ".");
    exo_override sets[] = {{"simulation.duration", "3 h"}, {"simulation.profile_times", "[1 h]"},
                           {"simulation.output_interval", "1 h"}};
    exo_config cfg;
    if (exo_config_load(f->ctx, f->u, path, sets, 3, &cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_int_equal(cfg.sim.fidelity, EXO_FIDELITY_TISSUE);
    exo_result *r = run(f, &cfg);
    const exo_arm_result *a = &r->arms[0];
    assert_true(a->tissue.present && a->tissue.follicles >= 1 && a->tissue.channels >= 1 && a->tissue.cells > 0);
    for (int i = 0; i < a->n_rows; i++)
        if (a->rows[i].balance > 1e-12)
            fail_msg("t = %g h: ledger error %g", a->rows[i].t, a->rows[i].balance);
    assert_true(a->rows[a->n_rows - 1].route[EXO_ROUTE_CHANNEL] > 0);
    /* the run folder has the 3D fields (HDF5 + XDMF) and the report its
     * tissue section with the three pictures */
    char dir[] = "/tmp/exo_tissue_XXXXXX", file[1200];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/out", dir);
    if (exo_result_write(f->ctx, r, "", file, false) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    static const char *const want[] = {"tissue_arm0.h5", "tissue_arm0.xdmf", "fields_xz.csv",
                                       "figures/tissue-arm0-vesicles-xz.png", "figures/tissue-arm0-vesicles-en-face.png",
                                       "figures/tissue-arm0-inflammation-xz.png"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        snprintf(file, sizeof file, "%s/out/%s", dir, want[i]);
        FILE *fp = fopen(file, "rb");
        if (!fp)
            fail_msg("%s is missing", want[i]);
        fclose(fp);
    }
    snprintf(file, sizeof file, "%s/out/report.html", dir);
    FILE *fp = fopen(file, "rb");
    assert_non_null(fp);
    static char html[1 << 22];
    size_t n = fread(html, 1, sizeof html - 1, fp);
    html[n] = '\0';
    fclose(fp);
    assert_non_null(strstr(html, "<section id=\"tissue\""));
    assert_non_null(strstr(html, "tissue-arm0-vesicles-en-face"));
    snprintf(file, sizeof file, "rm -rf '%s'", dir);
    assert_int_equal(system(file), 0);
    exo_result_destroy(&r);
    exo_config_fini(f->ctx, &cfg);
}

/* Depth resampling onto uniform rows (the HDF5 fields and the report's
 * sections) conserves the amount in every column and keeps a constant. */
static void resampling_conserves(void **state)
{
    fixture *f = *state;
    const double thick[EXO_LAYER_COUNT] = {15, 60, 100, 300};
    exo_grid *g;
    assert_int_equal(exo__grid_create(f->ctx, thick, 0.5, 20, 1.3, &g), EXO_OK);
    const int nx = 3, ny = 2, nz = g->n, cap = 1000;
    float *c = calloc((size_t)nx * ny * nz, sizeof *c);
    double *out = calloc((size_t)nx * ny * cap, sizeof *out);
    for (int l = 0; l < nz; l++)
        for (int v = 0; v < nx * ny; v++)
            c[v + nx * ny * l] = (float)(v == 5 ? 2.5 : 1 + sin(0.3 * l + v));
    const double dz = 7.0, depth = g->zf[nz];
    int rows = exo__tissue_resample_depth(g, c, nx, ny, nz, 0, ny, INFINITY, dz, out, cap);
    assert_int_equal(rows, (int)ceil(depth / dz - 1e-9));
    for (int v = 0; v < nx * ny; v++) {
        double before = 0, after = 0;
        for (int l = 0; l < nz; l++)
            before += c[v + nx * ny * l] * g->h[l];
        for (int q = 0; q < rows; q++)
            after += out[v + nx * ny * q] * (fmin((q + 1) * dz, depth) - q * dz);
        if (fabs(after - before) > 1e-12 * before)
            fail_msg("column %d: %.17g before, %.17g after", v, before, after);
        if (v == 5)
            for (int q = 0; q < rows; q++)
                assert_true(fabs(out[v + nx * ny * q] - 2.5) < 1e-14);
    }
    assert_int_equal(exo__tissue_resample_depth(g, c, nx, ny, nz, 0, ny, INFINITY, dz, out, rows - 1), 0);
    free(c);
    free(out);
    exo__grid_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(uniform_block_reproduces_column, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(explicit_block_conserves_and_is_deterministic, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(tissue_examples_run, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(lateral_sweeps_match_reference, exo_test_setup, exo_test_teardown),
        cmocka_unit_test_setup_teardown(resampling_conserves, exo_test_setup, exo_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
