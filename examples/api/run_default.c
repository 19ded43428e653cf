/* run_default.c - exoskin as a library: load a scenario, run it, read a
 * readout, write the result folder.
 *
 * Build against an installed exoskin (cmake --install build --prefix P):
 *   cc run_default.c $(PKG_CONFIG_PATH=P/lib/pkgconfig pkg-config --cflags --libs exoskin) -o run_default
 * Run (LD_LIBRARY_PATH=P/lib if P is not a system prefix):
 *   ./run_default examples/default.yaml results/api
 * It prints each arm's change of every clinical readout from baseline to
 * the end of the run, with its unit, and writes the same result folder as
 * `exoskin run FILE -o DIR` (timeseries.csv, profiles.csv, summary.json,
 * report.html). */
#include <exoskin/exoskin.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s SCENARIO.yaml OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    if (strcmp(exo_version(), EXO_VERSION_STRING) != 0)
        fprintf(stderr, "note: compiled against exoskin %s, running with %s\n", EXO_VERSION_STRING,
                exo_version());
    exo_ctx *ctx = NULL;
    exo_units *units = NULL;
    exo_config cfg;
    exo_result *res = NULL;
    char *yaml = NULL;
    int rc = 1;
    if (exo_ctx_create(1, &ctx) != EXO_OK || exo_units_create(ctx, &units) != EXO_OK) {
        fprintf(stderr, "cannot start exoskin\n");
        goto out;
    }
    exo_status st = exo_config_load(ctx, units, argv[1], NULL, 0, &cfg);
    if (st != EXO_OK) { /* bad input: the message names the file, line and key */
        fprintf(stderr, "%s\n", exo_ctx_last_error(ctx));
        rc = 2;
        goto out;
    }
    if ((st = exo_run(ctx, &cfg, NULL, NULL, &res)) != EXO_OK ||
        (st = exo_config_to_yaml(ctx, &cfg, &yaml)) != EXO_OK ||
        (st = exo_result_write(ctx, res, yaml, argv[2], false)) != EXO_OK) {
        fprintf(stderr, "%s\n", exo_ctx_last_error(ctx));
        goto fini;
    }
    for (int a = 0; a < exo_result_arms(res); a++) {
        printf("%s\n", exo_result_arm_name(res, a));
        for (int k = 0; k < exo_readout_count(); k++) {
            double base, end;
            exo_result_readout(res, a, k, &base, &end);
            printf("  %-24s %12.5g -> %12.5g %s\n", exo_readout_name(k), base, end, exo_readout_unit(k));
        }
    }
    printf("results in %s\n", argv[2]);
    rc = 0;
fini:
    exo_free(ctx, yaml);
    exo_result_destroy(&res);
    exo_config_fini(ctx, &cfg);
out:
    exo_units_destroy(&units);
    exo_ctx_destroy(&ctx);
    return rc;
}
