/* fuzz_config.c - libFuzzer entry point for the input layer: every input is
 * loaded as a scenario file (and, when it loads, written back as YAML and
 * loaded again), then freed.  A first line "#set KEY=VALUE" (a YAML comment)
 * is also applied as a --set override.  Any crash, sanitizer report, leak or a
 * round trip that fails to load is a bug.  Built with `make fuzz`
 * (clang -fsanitize=fuzzer,...) or, without libFuzzer, by replay_main.c. */
#include <exoskin/exo_input.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The udunits2 database takes ~10 ms to read, so the harness (not the
 * library) keeps one unit system for the whole process, on its own context. */
static exo_ctx *units_ctx;
static exo_units *units;

static void check(int ok)
{
    if (!ok)
        __builtin_trap(); /* reported by libFuzzer / the replay as a crash */
}

static void round_trip(exo_ctx *ctx, const exo_config *cfg)
{
    char *yaml = NULL;
    exo_config again;
    if (exo_config_to_yaml(ctx, cfg, &yaml) != EXO_OK)
        return;
    exo_status st = exo_config_load_buffer(ctx, units, "round-trip", yaml, strlen(yaml), NULL,
                                           0, &again);
    check(st == EXO_OK);
    exo_config_fini(ctx, &again);
    exo_free(ctx, yaml);
}

/* "#set KEY=VALUE\n..." -> one override, strings malloc'd into *buf. */
static int find_override(const uint8_t *data, size_t size, exo_override *set, char **buf)
{
    *buf = NULL;
    if (size < 5 || memcmp(data, "#set ", 5) != 0)
        return 0;
    const uint8_t *end = memchr(data, '\n', size);
    size_t n = (end ? (size_t)(end - data) : size) - 5;
    char *line = malloc(n + 1);
    if (!line)
        abort();
    memcpy(line, data + 5, n);
    line[n] = '\0';
    char *eq = strchr(line, '=');
    if (!eq) {
        free(line);
        return 0;
    }
    *eq = '\0';
    set->key = line;
    set->value = eq + 1;
    *buf = line;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!units) {
        if (exo_ctx_create(1, &units_ctx) != EXO_OK || exo_units_create(units_ctx, &units) != EXO_OK)
            abort();
    }
    exo_ctx *ctx;
    if (exo_ctx_create(1, &ctx) != EXO_OK)
        abort();
    exo_config cfg;
    exo_override set;
    char *set_buf;
    int n_sets = find_override(data, size, &set, &set_buf);
    exo_status st = exo_config_load_buffer(ctx, units, "fuzz.yaml", (const char *)data, size,
                                           &set, n_sets, &cfg);
    free(set_buf);
    if (st == EXO_OK)
        round_trip(ctx, &cfg);
    else
        check(exo_ctx_last_error(ctx)[0] != '\0');
    exo_config_fini(ctx, &cfg);
    check(exo_ctx_bytes_in_use(ctx) == 0); /* nothing leaks through exo_alloc */
    exo_ctx_destroy(&ctx);
    return 0;
}
