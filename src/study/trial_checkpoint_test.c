/* trial_checkpoint_test.c - checkpoints of virtual trials
 * (exo_trial_run_checkpointed, src/study/trial_checkpoint.c): a trial resumed
 * from a checkpoint holding some of its rows gives the same result, bit for
 * bit, and the same files, byte for byte, as an uninterrupted run without
 * running the recorded rows again; a torn or damaged last record is ignored;
 * a checkpoint of another seed or input, or an existing one without resume,
 * is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "study/trial_checkpoint.h"

#include <exoskin/exoskin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two parallel arms, varied patients, one week, two visits. */
static const char *tiny_fmt =
    "name: tiny\n"
    "seed: %d\n"
    "skin: {age: 45 years, sex: female, phototype: III, condition: photoaged}\n"
    "products:\n"
    "  - {name: p, origin: adipose_msc, concentration: 1e10 particles/mL, vehicle: serum}\n"
    "arms:\n"
    "  - name: a\n"
    "    protocol:\n"
    "      - {event: topical, product: p, amount: 1 mg/cm^2, contact: 12 h, schedule: once}\n"
    "  - name: b\n"
    "    protocol:\n"
    "      - {event: microneedling, needle_length: 0.5 mm, density: 150 1/cm^2, passes: 1, schedule: once}\n"
    "simulation: {duration: 1 week, output_interval: 1 day, profile_times: [1 week]}\n"
    "trial:\n"
    "  design: parallel\n"
    "  patients: %d\n"
    "  visits: [3 days, 1 week]\n"
    "  endpoint: tewl\n"
    "  responder_threshold: -5\n"
    "  population: {age: {mean: 45 years, sd: 8 years, min: 25 years, max: 70 years}, "
    "female_fraction: 0.5, phototypes: [II, III, IV], variability: 0.2}\n";

typedef struct {
    exo_ctx *ctx;
    exo_units *u;
    exo_config cfg;        /* seed 7, 3 patients per arm */
    exo_trial_result *ref; /* its uninterrupted run */
    char dir[256];         /* scratch folder */
    char ckpt[300];
} fixture;

static void load(fixture *f, int seed, int patients, exo_config *cfg)
{
    char text[4096];
    snprintf(text, sizeof text, tiny_fmt, seed, patients);
    if (exo_config_load_buffer(f->ctx, f->u, "tiny.yaml", text, strlen(text), NULL, 0, cfg) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || exo_ctx_create(1, &f->ctx) != EXO_OK || exo_units_create(f->ctx, &f->u) != EXO_OK)
        return -1;
    load(f, 7, 3, &f->cfg);
    if (exo_trial_run(f->ctx, f->u, &f->cfg, NULL, NULL, &f->ref) != EXO_OK)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/exo_ckpt_test_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->ckpt, sizeof f->ckpt, "%s/t.checkpoint", f->dir);
    *state = f;
    return 0;
}

static void remove_result(const char *dir)
{
    char path[600];
    static const char *const files[] = {".exoskin",
                                        "patients.csv",
                                        "trial.json",
                                        "report.html",
                                        "figures/endpoint.png",
                                        "figures/distribution.png",
                                        "figures/trajectories.png",
                                        "figures/power.png",
                                        "figures/responders.png"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/figures", dir);
    rmdir(path);
    assert_int_equal(rmdir(dir), 0); /* nothing else written */
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->ckpt);
    rmdir(f->dir);
    exo_trial_destroy(f->ctx, &f->ref);
    exo_config_fini(f->ctx, &f->cfg);
    exo_units_destroy(&f->u);
    exo_ctx_destroy(&f->ctx);
    free(f);
    return 0;
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(fp);
    return s;
}

static int count_lines(const char *path)
{
    char *s = read_all(path);
    int n = 0;
    for (const char *p = s; p && *p; p++)
        n += *p == '\n';
    free(s);
    return n;
}

/* A checkpoint of f->ref holding the rows listed. */
static void write_checkpoint(fixture *f, const int *rows, int n)
{
    exo__trial_ckpt *c = NULL;
    char msg[512];
    unlink(f->ckpt);
    if (exo__trial_ckpt_open(f->ctx, f->ckpt, &f->cfg, f->ref->n_patients, false, f->ref->patients, &c) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    for (int i = 0; i < n; i++)
        if (exo__trial_ckpt_append(c, rows[i], &f->ref->patients[rows[i]], msg, sizeof msg) != EXO_OK)
            fail_msg("%s", msg);
    exo__trial_ckpt_close(f->ctx, &c);
}

static void assert_same_bits(const void *a, const void *b, size_t n) { assert_memory_equal(a, b, n); }

static void assert_same_summary(const exo_trial_summary *a, const exo_trial_summary *b)
{
    assert_int_equal(a->n, b->n);
    assert_same_bits(&a->mean, &b->mean, sizeof a->mean);
    assert_same_bits(&a->sd, &b->sd, sizeof a->sd);
    assert_same_bits(&a->ci_lo, &b->ci_lo, sizeof a->ci_lo);
    assert_same_bits(&a->ci_hi, &b->ci_hi, sizeof a->ci_hi);
}

/* Every field of two results, doubles compared bit for bit. */
static void assert_same_result(const exo_trial_result *a, const exo_trial_result *b)
{
    int nv = a->n_visits;
    assert_int_equal(a->n_patients, b->n_patients);
    assert_int_equal(a->n_arms, b->n_arms);
    assert_int_equal(nv, b->n_visits);
    for (int i = 0; i < a->n_patients; i++) {
        const exo_trial_patient *p = &a->patients[i], *q = &b->patients[i];
        assert_int_equal(p->patient, q->patient);
        assert_int_equal(p->arm, q->arm);
        assert_int_equal(p->sex, q->sex);
        assert_int_equal(p->phototype, q->phototype);
        assert_int_equal(p->serious_ae, q->serious_ae);
        assert_same_bits(&p->age, &q->age, sizeof p->age);
        assert_same_bits(&p->baseline, &q->baseline, sizeof p->baseline);
        assert_same_bits(&p->p_serious, &q->p_serious, sizeof p->p_serious);
        assert_same_bits(p->value, q->value, (size_t)nv * sizeof *p->value);
        assert_same_bits(p->change, q->change, (size_t)nv * sizeof *p->change);
    }
    for (int k = 0; k < a->n_arms; k++) {
        const exo_trial_arm *x = &a->arms[k], *y = &b->arms[k];
        assert_string_equal(x->name, y->name);
        assert_same_summary(&x->baseline, &y->baseline);
        for (int v = 0; v < nv; v++) {
            assert_same_summary(&x->value[v], &y->value[v]);
            assert_same_summary(&x->change[v], &y->change[v]);
        }
        assert_same_bits(x->responder_rate, y->responder_rate, (size_t)nv * sizeof *x->responder_rate);
        assert_int_equal(x->n_serious, y->n_serious);
        assert_same_bits(&x->mean_p_serious, &y->mean_p_serious, sizeof x->mean_p_serious);
    }
    assert_int_equal(a->primary.present, b->primary.present);
    assert_int_equal(a->primary.paired, b->primary.paired);
    assert_string_equal(a->primary.what, b->primary.what);
    assert_same_bits(&a->primary.test, &b->primary.test, sizeof a->primary.test);
    assert_int_equal(a->primary.sample_size, b->primary.sample_size);
}

/* Resumes from f->ckpt and checks the result and its files against f->ref;
 * the checkpoint then holds the header and every row exactly once. */
static void resume_and_compare(fixture *f)
{
    exo_trial_result *r = NULL;
    char d0[400], d1[400], p0[500], p1[500];
    if (exo_trial_run_checkpointed(f->ctx, f->u, &f->cfg, f->ckpt, true, NULL, NULL, &r) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    assert_same_result(f->ref, r);
    assert_int_equal(count_lines(f->ckpt), 1 + f->ref->n_patients);
    snprintf(d0, sizeof d0, "%s/ref", f->dir);
    snprintf(d1, sizeof d1, "%s/resumed", f->dir);
    if (exo_trial_write(f->ctx, f->ref, "x: 1\n", d0, true) != EXO_OK ||
        exo_trial_write(f->ctx, r, "x: 1\n", d1, true) != EXO_OK)
        fail_msg("%s", exo_ctx_last_error(f->ctx));
    const char *files[] = {"patients.csv", "trial.json", "report.html"};
    for (int i = 0; i < 3; i++) {
        snprintf(p0, sizeof p0, "%s/%s", d0, files[i]);
        snprintf(p1, sizeof p1, "%s/%s", d1, files[i]);
        char *a = read_all(p0), *b = read_all(p1);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    remove_result(d0);
    remove_result(d1);
    exo_trial_destroy(f->ctx, &r);
}

/* Rows 0, 3 and 4 recorded (out of order, as threads finish): the other
 * three are run, and everything matches the uninterrupted run. */
static void test_resume_identical(void **state)
{
    fixture *f = *state;
    const int rows[] = {3, 0, 4};
    write_checkpoint(f, rows, 3);
    assert_int_equal(count_lines(f->ckpt), 4);
    resume_and_compare(f);
    /* a checkpoint holding every row runs nothing and still matches */
    resume_and_compare(f);
    /* resume without a checkpoint starts one */
    unlink(f->ckpt);
    resume_and_compare(f);
}

/* The last record cut short by a few bytes, or damaged, is dropped. */
static void test_torn_record(void **state)
{
    fixture *f = *state;
    const int rows[] = {0, 1, 2};
    write_checkpoint(f, rows, 3);
    char *s = read_all(f->ckpt);
    assert_non_null(s);
    long len = (long)strlen(s);
    free(s);
    assert_int_equal(truncate(f->ckpt, len - 5), 0);
    resume_and_compare(f);

    write_checkpoint(f, rows, 3);
    FILE *fp = fopen(f->ckpt, "r+");
    assert_non_null(fp);
    fseek(fp, len - 30, SEEK_SET); /* a digit of the last record's value */
    int ch = fgetc(fp);
    fseek(fp, len - 30, SEEK_SET);
    fputc(ch == '1' ? '2' : '1', fp);
    fclose(fp);
    resume_and_compare(f);
}

/* Another seed, another input, or an existing checkpoint without resume. */
static void test_refused(void **state)
{
    fixture *f = *state;
    exo_trial_result *r = NULL;
    exo_config other;
    const int rows[] = {1};
    write_checkpoint(f, rows, 1);

    load(f, 8, 3, &other);
    assert_int_equal(exo_trial_run_checkpointed(f->ctx, f->u, &other, f->ckpt, true, NULL, NULL, &r), EXO_EINPUT);
    assert_null(r);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "another input or seed"));
    exo_config_fini(f->ctx, &other);

    load(f, 7, 4, &other);
    assert_int_equal(exo_trial_run_checkpointed(f->ctx, f->u, &other, f->ckpt, true, NULL, NULL, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "another input or seed"));
    exo_config_fini(f->ctx, &other);

    assert_int_equal(exo_trial_run_checkpointed(f->ctx, f->u, &f->cfg, f->ckpt, false, NULL, NULL, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "--resume"));
    assert_int_equal(count_lines(f->ckpt), 2); /* untouched */

    FILE *fp = fopen(f->ckpt, "w");
    assert_non_null(fp);
    fputs("something else\n", fp);
    fclose(fp);
    assert_int_equal(exo_trial_run_checkpointed(f->ctx, f->u, &f->cfg, f->ckpt, true, NULL, NULL, &r), EXO_EINPUT);
    assert_non_null(strstr(exo_ctx_last_error(f->ctx), "not an exoskin trial checkpoint"));
    exo_ctx_clear_error(f->ctx);
}

static void test_fnv(void **state)
{
    (void)state; /* FNV-1a 64 reference values */
    assert_true(exo__fnv1a64(EXO__FNV_OFFSET, "", 0) == 0xcbf29ce484222325ull);
    assert_true(exo__fnv1a64(EXO__FNV_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(exo__fnv1a64(EXO__FNV_OFFSET, "foobar", 6) == 0x85944171f73967e8ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv),
        cmocka_unit_test_setup_teardown(test_resume_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
