/* optimize_test.c - properties of protocol optimisation (exo_optimize_run,
 * docs/optimize.md) on a two-week single-injection scenario (~0.05 s a run):
 * with a tight risk limit the best concentration sits on the limit (more
 * vesicles keep raising collagen there, and the risk with them); the best
 * of a list of choices is no worse than each choice run alone; results are
 * identical twice; a problem with no feasible protocol gives the outcome
 * infeasible; the product's marginal contribution is the best protocol's
 * change minus its vehicle arm's; and the optimize: block is validated and
 * round-trips through the effective YAML. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <exoskin/exoskin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    char path[64];
} fixture;

static const char *const scenario =
    "seed: 3\n"
    "skin: {region: cheek, age: 50 years, sex: female, condition: photoaged}\n"
    "products: [{name: p, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: solution}]\n"
    "arms:\n"
    "  - name: injection\n"
    "    protocol: [{event: injection, product: p, volume: 0.05 mL, depth: 1 mm, points: 1 1/cm^2,"
    " schedule: once}]\n"
    "simulation: {duration: 2 weeks, output_interval: 1 day}\n";

/* the scenario followed by `block` in a temporary file (f->path) */
static void write_file(fixture *f, const char *block)
{
    snprintf(f->path, sizeof f->path, "/tmp/exo_optimize_test_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(scenario, fp);
    fputs(block, fp);
    assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_units_create(f->ctx, &f->u) != EXO_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->path[0])
        unlink(f->path);
    exo_units_destroy(&f->u);
    assert_int_equal(exo_ctx_bytes_in_use(f->ctx), 0);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

static exo_optimize_result *optimize(fixture *f, const exo_override *sets, int n)
{
    exo_optimize_result *r = NULL;
    exo_status st = exo_optimize_run(f->ctx, f->u, f->path, sets, n, &r);
    if (st != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    return r;
}

static const char *const concentration_block =
    "optimize:\n"
    "  endpoint: dermal_collagen\n"
    "  goal: increase\n"
    "  variables:\n"
    "    - {key: products.0.concentration, min: 1e8 particles/mL, max: 1e12 particles/mL, scale: log}\n"
    "  max_serious_risk: 0.002\n"
    "  draws: 2\n";

/* Collagen still rises with the concentration where the serious risk passes
 * 0.2 % (between 1e10 and 1e11 particles/mL), so the optimum is on the limit;
 * the search is also deterministic. */
static void risk_limit_binds(void **state)
{
    fixture *f = *state;
    write_file(f, concentration_block);
    exo_optimize_result *r = optimize(f, NULL, 0);
    assert_int_equal(r->outcome, EXO_OPT_FOUND);
    assert_true(r->n_best >= 1 && r->n_best <= EXO_OPT_KEEP);
    const exo_optimize_point *b = &r->best[0];
    assert_true(b->feasible);
    /* credibility 0.9 of 2 draws: the limit holds in both */
    assert_true(b->risk_credible <= 0.002 && b->p_within_risk == 1.0);
    assert_true(b->serious_risk <= b->risk_credible);
    assert_true(b->risk_credible > 0.9 * 0.002);
    assert_true(b->x[0] > 1e10 && b->x[0] < 1e12);
    /* the risk limit, not the range, stops it: no bound warning */
    assert_int_equal(r->n_on_bound, 0);
    assert_int_equal(r->on_bound[0], 0);
    assert_true(b->change > 0);
    for (int i = 1; i < r->n_best; i++) {
        assert_true(r->best[i].feasible);
        assert_true(r->best[i].objective >= b->objective);
    }
    assert_int_equal(r->n_draws, 2);
    assert_true(r->change_p05 <= r->change_mean && r->change_mean <= r->change_p95);
    assert_true(r->change_sd > 0);

    /* (c) identical twice */
    exo_optimize_result *r2 = optimize(f, NULL, 0);
    assert_int_equal(r2->evaluations, r->evaluations);
    assert_int_equal(r2->n_best, r->n_best);
    assert_memory_equal(r2->best, r->best, sizeof r->best);
    assert_memory_equal(r2->draw_change, r->draw_change, sizeof r->draw_change);
    exo_optimize_destroy(f->ctx, &r2);
    exo_optimize_destroy(f->ctx, &r);
    assert_null(r);
}

static const char *const volume_block =
    "optimize:\n"
    "  endpoint: dermal_collagen\n"
    "  goal: increase\n"
    "  variables:\n"
    "    - key: arms.0.protocol.0.volume\n"
    "      choices: [\"0.01 mL\", \"0.03 mL\", \"0.1 mL\"]\n"
    "  max_serious_risk: 0.5\n"
    "  draws: 2\n";

/* The best choice is no worse than each choice run alone (on the
 * parameter table: draws 0). */
static void best_choice_beats_each(void **state)
{
    fixture *f = *state;
    static const char *const choices[] = {"0.01 mL", "0.03 mL", "0.1 mL"};
    write_file(f, volume_block);
    exo_override table = {"optimize.draws", "0"};
    exo_optimize_result *r = optimize(f, &table, 1);
    assert_int_equal(r->outcome, EXO_OPT_FOUND);
    assert_int_equal(r->combinations, 3);
    assert_int_equal(r->evaluations, 3);
    assert_int_equal(r->n_best, 3);
    for (int c = 0; c < 3; c++) {
        exo_override set = {"arms.0.protocol.0.volume", choices[c]};
        exo_config cfg;
        exo_result *res = NULL;
        assert_int_equal(exo_config_load(f->ctx, f->u, f->path, &set, 1, &cfg), EXO_OK);
        assert_int_equal(exo_run(f->ctx, &cfg, NULL, NULL, &res), EXO_OK);
        double b0, b1;
        exo_result_readout(res, 0, (int)r->opt.endpoint - EXO_Q_READOUT_FIRST, &b0, &b1);
        double change = 100.0 * (b1 - b0) / b0;
        assert_true(r->best[0].change >= change - 1e-12);
        exo_result_destroy(&res);
        exo_config_fini(f->ctx, &cfg);
    }
    exo_optimize_destroy(f->ctx, &r);
}

/* With a risk limit that never binds, collagen rises with the concentration
 * up to the top of the range: the answer sits on the upper bound and is
 * flagged; on the parameter table alone (draws: 0) there are no draws. */
static void optimum_on_a_bound(void **state)
{
    fixture *f = *state;
    write_file(f, concentration_block);
    exo_override sets[] = {{"optimize.max_serious_risk", "0.5"}, {"optimize.draws", "0"}};
    exo_optimize_result *r = optimize(f, sets, 2);
    assert_int_equal(r->outcome, EXO_OPT_FOUND);
    assert_true(r->best[0].x[0] > 0.9e12);
    assert_int_equal(r->on_bound[0], 1);
    assert_int_equal(r->n_on_bound, 1);
    assert_int_equal(r->n_draws, 0);
    exo_optimize_destroy(f->ctx, &r);
}

/* No protocol is safe enough: the outcome says so, with the least violating. */
/* What the product adds: the best protocol again with its vehicle alone.
 * The injection itself raises collagen (the vehicle arm's change), the
 * vesicles add more; a product at 0 particles/mL adds exactly nothing. */
static void marginal_contribution_of_the_product(void **state)
{
    fixture *f = *state;
    write_file(f, volume_block);
    exo_optimize_result *r = optimize(f, NULL, 0);
    assert_true(r->has_vehicle && r->uses_product);
    assert_true(r->vehicle.change > 0);                  /* the procedure's own effect */
    assert_true(r->best[0].change > r->vehicle.change);  /* the vesicles add to it */
    assert_true(r->marginal == r->best[0].change - r->vehicle.change);
    assert_true(r->vehicle.baseline == r->best[0].baseline && r->vehicle.sessions == r->best[0].sessions);
    assert_true(r->marginal_p05 <= r->marginal_p95 && r->marginal_p05 > 0);
    for (int k = 0; k < r->n_draws; k++)
        assert_true(r->draw_vehicle[k] < r->draw_change[k]);
    exo_optimize_destroy(f->ctx, &r);
    exo_override zero = {"products.0.concentration", "0 particles/mL"};
    r = optimize(f, &zero, 1);
    assert_true(r->has_vehicle && r->marginal == 0 && r->marginal_p05 == 0 && r->marginal_p95 == 0);
    assert_memory_equal(r->draw_vehicle, r->draw_change, sizeof r->draw_change);
    exo_optimize_destroy(f->ctx, &r);
}

static void infeasible_everywhere(void **state)
{
    fixture *f = *state;
    write_file(f, volume_block);
    exo_override set = {"optimize.max_serious_risk", "1e-12"};
    exo_optimize_result *r = optimize(f, &set, 1);
    assert_int_equal(r->outcome, EXO_OPT_INFEASIBLE);
    assert_int_equal(r->n_best, 1);
    assert_false(r->best[0].feasible);
    assert_int_equal(r->n_draws, 0);
    assert_non_null(strstr(r->message, "no protocol"));
    exo_optimize_destroy(f->ctx, &r);
}

/* Validation of the block, its round trip, and errors before any run. */
static void block_is_validated(void **state)
{
    fixture *f = *state;
    exo_config cfg;
    char *yaml = NULL;
    write_file(f, concentration_block);
    assert_int_equal(exo_config_load(f->ctx, f->u, f->path, NULL, 0, &cfg), EXO_OK);
    assert_true(cfg.optimize.present);
    assert_int_equal(cfg.optimize.n_vars, 1);
    assert_true(cfg.optimize.vars[0].log_scale);
    assert_string_equal(cfg.optimize.vars[0].unit, "particles/mL");
    assert_int_equal(exo_config_to_yaml(f->ctx, &cfg, &yaml), EXO_OK);
    exo_config back;
    assert_int_equal(exo_config_load_buffer(f->ctx, f->u, "yaml", yaml, strlen(yaml), NULL, 0, &back), EXO_OK);
    assert_memory_equal(&back.optimize, &cfg.optimize, sizeof cfg.optimize);
    exo_config_fini(f->ctx, &back);
    exo_free(f->ctx, yaml);
    exo_config_fini(f->ctx, &cfg);

    static const struct {
        const char *key, *value, *msg;
    } bad[] = {
        {"optimize.goal", "more", "optimize.goal"},
        {"optimize.endpoint", "beauty", "optimize.endpoint"},
        {"optimize.variables.0.max", "1e7 particles/mL", "optimize.variables.0.max"},
        {"optimize.variables.0.max", "2 mm", "optimize.variables.0.max"},
        {"optimize.variables.0.choices", "[a]", "optimize.variables.0"},
        {"optimize.max_serious_risk", "0", "optimize.max_serious_risk"},
        {"optimize.max_cost", "10", "optimize.cost_per_session"},
        {"optimize.variables", "[]", "optimize.variables"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        exo_override set = {bad[i].key, bad[i].value};
        exo_status st = exo_config_load(f->ctx, f->u, f->path, &set, 1, &cfg);
        assert_true(st == EXO_EINPUT || st == EXO_EUNIT);
        if (!strstr(exo_ctx_last_error(f->ctx), bad[i].msg))
            fail_msg("%s=%s: %s", bad[i].key, bad[i].value, exo_ctx_last_error(f->ctx));
    }

    /* too many combinations; a key the loader rejects; no block */
    exo_optimize_result *r = NULL;
    exo_override many[] = {
        {"optimize.variables", "[{key: seed, choices: ['1','2','3','4','5','6','7','8','9']},"
                               " {key: name, choices: [a, b, c, d, e, f, g, h, i]}]"}};
    assert_int_equal(exo_optimize_run(f->ctx, f->u, f->path, many, 1, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "81 combinations"));
    exo_override bogus = {"optimize.variables.0.key", "arms.0.protocol.0.bogus"};
    assert_int_equal(exo_optimize_run(f->ctx, f->u, f->path, &bogus, 1, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "arms.0.protocol.0.bogus"));
    assert_null(r);
    unlink(f->path);
    write_file(f, "");
    assert_int_equal(exo_optimize_run(f->ctx, f->u, f->path, NULL, 0, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "no optimize: block"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(block_is_validated, setup, teardown),
        cmocka_unit_test_setup_teardown(best_choice_beats_each, setup, teardown),
        cmocka_unit_test_setup_teardown(infeasible_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(marginal_contribution_of_the_product, setup, teardown),
        cmocka_unit_test_setup_teardown(risk_limit_binds, setup, teardown),
        cmocka_unit_test_setup_teardown(optimum_on_a_bound, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
