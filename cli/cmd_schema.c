/* cmd_schema.c - `exoskin schema`: prints the JSON Schema of scenario files
 * (exo_config_schema), for editors with a YAML language server and for
 * validators (docs/config.md, "Editors"). */
#include "cli.h"

#include <stdio.h>

static int schema_main(const cli_command *c, int argc, char **argv)
{
    cli_args a;
    int rc = cli_parse(c, argc, argv, &a);
    cli_args_free(&a);
    if (rc >= 0)
        return rc;
    exo_ctx *ctx;
    exo_units *u = NULL;
    if (cli_make_ctx(&ctx) != EXO_OK)
        return 1;
    char *text = NULL;
    exo_status st = exo_units_create(ctx, &u);
    if (st == EXO_OK)
        st = exo_config_schema(ctx, u, &text);
    rc = st == EXO_OK ? 0 : cli_fail(ctx, st);
    if (text)
        fputs(text, stdout);
    exo_free(ctx, text);
    exo_units_destroy(&u);
    exo_ctx_destroy(&ctx);
    return rc;
}

const cli_command cli_schema = {
    .name = "schema",
    .main = schema_main,
    .summary = "print the JSON Schema of scenario files (for editors)",
    .description = "\n"
                   "Prints the JSON Schema (draft-07) of scenario files, made from the loader's own tables:\n"
                   "every key with its type, the usual units of a value with a unit as a pattern, ranges,\n"
                   "the words of every enumeration and a description with the default and its source.\n"
                   "Save it and name it in a scenario's first line for a YAML language server:\n"
                   "  exoskin schema > exoskin.schema.json\n"
                   "  # yaml-language-server: $schema=exoskin.schema.json\n"
                   "(docs/config.md, \"Editors\"). The loader still has the last word: it accepts every\n"
                   "udunits2 spelling of a unit and checks limits that depend on other keys.\n",
    .unknown = "unknown argument",
};
