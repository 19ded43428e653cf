/* options.c - the one parser of the command line: walks the arguments by a
 * command's option table (cli.h), and makes the command's help and usage
 * line from the same table. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define USAGE_WIDTH 100   /* a usage line wraps before it gets wider */
#define OPTION_COLUMN 23  /* where an option's help starts, unless the command says */

bool cli_is_help(const char *arg) { return !strcmp(arg, "--help") || !strcmp(arg, "-h"); }

int cli_usage_error(const cli_command *c, const char *fmt, const char *arg)
{
    fprintf(stderr, "exoskin: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    cli_help(c, stderr);
    return 2;
}

/* ---- help ------------------------------------------------------------ */

void cli_help_entry(FILE *f, const char *label, const char *text, int column)
{
    fprintf(f, "  %-*s", column - 2, label);
    for (const char *s = text; *s; s++) {
        fputc(*s, f);
        if (*s == '\n')
            fprintf(f, "%*s", column, "");
    }
    fputc('\n', f);
}

/* o as the usage line writes it: "[--set KEY=VALUE]...", "-o DIR". */
static void usage_fragment(const cli_option *o, char *buf, size_t n)
{
    const bool req = o->flags & CLI_REQUIRED;
    const char *name = o->alias && !(o->flags & CLI_HIDDEN_ALIAS) ? o->alias : o->name;
    const char *arg = o->usage_arg ? o->usage_arg : o->arg;
    snprintf(buf, n, "%s%s%s%s%s%s", req ? "" : "[", name, arg ? " " : "", arg ? arg : "", req ? "" : "]",
             o->flags & CLI_REPEAT ? "..." : "");
}

/* "usage: exoskin NAME ARGS" and the options in their usage order, wrapped
 * under the first. */
static void usage_line(const cli_command *c, FILE *f)
{
    int col = fprintf(f, "usage: exoskin %s", c->name);
    const int indent = col + 1;
    if (c->args)
        col += fprintf(f, " %s", c->args);
    for (int place = 1; place <= c->n_options; place++) {
        for (int i = 0; i < c->n_options; i++) {
            if (c->options[i].usage != place)
                continue;
            char frag[128];
            usage_fragment(&c->options[i], frag, sizeof frag);
            int len = (int)strlen(frag);
            if (col + 1 + len > USAGE_WIDTH)
                col = fprintf(f, "\n%*s%s", indent, "", frag) - 1;
            else
                col += fprintf(f, " %s", frag);
        }
    }
    fputc('\n', f);
}

/* o as the help lists it: "-o, --output DIR". */
static void option_label(const cli_option *o, char *buf, size_t n)
{
    const bool alias = o->alias && !(o->flags & CLI_HIDDEN_ALIAS);
    snprintf(buf, n, "%s%s%s%s%s", alias ? o->alias : "", alias ? ", " : "", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
}

void cli_help(const cli_command *c, FILE *f)
{
    usage_line(c, f);
    fputs(c->description, f);
    const int column = c->column ? c->column : OPTION_COLUMN;
    for (int i = 0; i < c->n_options; i++) {
        const cli_option *o = &c->options[i];
        if (!o->help)
            continue;
        char label[128];
        option_label(o, label, sizeof label);
        cli_help_entry(f, label, o->help, column);
    }
    if (c->epilogue)
        fputs(c->epilogue, f);
}

/* ---- man pages --------------------------------------------------------- */

/* text as roff: backslashes doubled, a line that starts with '.' or '\''
 * protected, '-' as the minus sign of options. */
void cli_roff(FILE *f, const char *text)
{
    bool bol = true;
    for (const char *s = text; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", f);
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
        bol = *s == '\n';
    }
}

void cli_man(const cli_command *c, FILE *f)
{
    char *usage = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&usage, &len);
    if (m) {
        usage_line(c, m);
        fclose(m);
    }
    fprintf(f, ".TH EXOSKIN\\-%s 1 \"\" \"exoskin %s\" \"exoskin manual\"\n.SH NAME\nexoskin\\-%s \\- ", c->name,
            EXO_VERSION_STRING, c->name);
    const char *nl = strchr(c->summary, '\n');
    fprintf(f, "%.*s\n.SH SYNOPSIS\n.nf\n", nl ? (int)(nl - c->summary) : (int)strlen(c->summary), c->summary);
    cli_roff(f, usage && !strncmp(usage, "usage: ", 7) ? usage + 7 : "");
    fputs(".fi\n.SH DESCRIPTION\n.nf\n", f);
    cli_roff(f, c->description);
    fputs(".fi\n", f);
    if (c->n_options)
        fputs(".SH OPTIONS\n", f);
    for (int i = 0; i < c->n_options; i++) {
        const cli_option *o = &c->options[i];
        if (!o->help)
            continue;
        char label[128];
        option_label(o, label, sizeof label);
        fputs(".TP\n.B ", f);
        cli_roff(f, label);
        fputc('\n', f);
        cli_roff(f, o->help);
        fputc('\n', f);
    }
    if (c->epilogue) {
        fputs(".SH NOTES\n.nf\n", f);
        cli_roff(f, c->epilogue);
        fputs(".fi\n", f);
    }
    fputs(".SH SEE ALSO\nexoskin(1)\n", f);
    free(usage); /* open_memstream's buffer */
}

/* ---- the walk -------------------------------------------------------- */

/* The row of c's table that s names; *value: the VALUE of NAME=VALUE. */
static const cli_option *find_option(const cli_command *c, const char *s, const char **value)
{
    *value = NULL;
    for (int i = 0; i < c->n_options; i++) {
        const cli_option *o = &c->options[i];
        if (o->flags & CLI_BY_MAIN)
            continue;
        if (!strcmp(s, o->name) || (o->alias && !strcmp(s, o->alias)))
            return o;
        size_t n = strlen(o->name);
        if ((o->kind == CLI_SET || (o->flags & CLI_EQUALS)) && !strncmp(s, o->name, n) && s[n] == '=') {
            *value = s + n + 1;
            return o;
        }
    }
    return NULL;
}

/* --set KEY=VALUE: the key and value in a copy kept in a->set_buf. */
static int take_set(const cli_command *c, cli_args *a, const char *opt, const char *kv)
{
    if (!kv)
        return cli_usage_error(c, "%s: missing KEY=VALUE", opt);
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return cli_usage_error(c, "--set '%s': expected KEY=VALUE", kv);
    if (a->n_sets >= CLI_MAX_SETS)
        return cli_usage_error(c, "%s: too many --set options", opt);
    char *key = strdup(kv);
    if (!key)
        return 1;
    key[eq - kv] = '\0';
    a->set_buf[a->n_sets] = key;
    a->sets[a->n_sets++] = (exo_override){key, key + (eq - kv) + 1};
    return -1;
}

/* A usage error about the argument s: "[NAME: ]WHAT 's'". */
static int bad_argument(const cli_command *c, const char *what, const char *s)
{
    char fmt[96];
    snprintf(fmt, sizeof fmt, "%s%s%s '%%s'", c->flags & CLI_SCENARIO ? "" : c->name,
             c->flags & CLI_SCENARIO ? "" : ": ", what);
    return cli_usage_error(c, fmt, s);
}

/* The option o at argv[*i] (s; inline: its =VALUE), *i advanced past its value. */
static int take_option(const cli_command *c, const cli_option *o, int argc, char **argv, int *i, const char *inline_v,
                       cli_args *a)
{
    const char *s = argv[*i];
    if (o->kind == CLI_NONE) {
        *(bool *)((char *)a + o->field) = true;
        return -1;
    }
    const char *v = inline_v ? inline_v : (*i + 1 < argc ? argv[++*i] : NULL);
    if (o->kind == CLI_SET)
        return take_set(c, a, s, v);
    if (!v) {
        if (!(c->flags & CLI_SCENARIO))
            return bad_argument(c, c->unknown, s);
        if (!(o->flags & CLI_TAKE_MISSING)) {
            char fmt[64];
            snprintf(fmt, sizeof fmt, "%%s: missing %s", o->arg);
            return cli_usage_error(c, fmt, s);
        }
    }
    if (o->take)
        return o->take(c, a, s, v);
    *(const char **)((char *)a + o->field) = v;
    return -1;
}

/* After the walk: the positional argument and the required options given. */
static int check_given(const cli_command *c, const cli_args *a)
{
    const char *prefix = c->flags & CLI_SCENARIO ? "" : c->name, *sep = c->flags & CLI_SCENARIO ? "" : ": ";
    char msg[128];
    if (c->args && !a->file) {
        snprintf(msg, sizeof msg, "%s%smissing %s", prefix, sep, c->args);
        return cli_usage_error(c, "%s", msg);
    }
    for (int i = 0; i < c->n_options && !a->print_config; i++) {
        const cli_option *o = &c->options[i];
        if ((o->flags & CLI_REQUIRED) && !o->take && !*(const char *const *)((const char *)a + o->field)) {
            snprintf(msg, sizeof msg, "%s%smissing %s %s", prefix, sep, o->alias ? o->alias : o->name, o->arg);
            return cli_usage_error(c, "%s", msg);
        }
    }
    return -1;
}

/* The walk itself: cli_parse without the freeing. */
static int walk(const cli_command *c, int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->harm_weight = -1.0;
    a->keys = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->keys);
    if (!a->keys)
        return 1;
    const bool scenario = c->flags & CLI_SCENARIO;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *inline_v;
        if (cli_is_help(s)) {
            cli_help(c, stdout);
            return 0;
        }
        const cli_option *o = find_option(c, s, &inline_v);
        if (o) {
            int rc = take_option(c, o, argc, argv, &i, inline_v, a);
            if (rc >= 0)
                return rc;
        } else if (s[0] == '-' && !(scenario && s[1] == '\0'))
            return bad_argument(c, c->unknown, s);
        else if (c->args && !a->file)
            a->file = s;
        else
            return bad_argument(c, c->args ? "unexpected argument" : c->unknown, s);
    }
    int rc = c->finish ? c->finish(c, a) : -1;
    return rc >= 0 ? rc : check_given(c, a);
}

int cli_parse(const cli_command *c, int argc, char **argv, cli_args *a)
{
    int rc = walk(c, argc, argv, a);
    if (rc >= 0)
        cli_args_free(a);
    return rc;
}

void cli_args_free(cli_args *a)
{
    for (int i = 0; i < a->n_vary; i++)
        free(a->vary[i]);
    for (int i = 0; i < a->n_sets; i++)
        free(a->set_buf[i]);
    free(a->keys);
    a->keys = NULL;
    a->n_vary = a->n_sets = 0;
}
