/* tree.c - YAML text to a small node tree that keeps the line and column of
 * every key and value, built from libyaml's event stream.  This is where the
 * whole-file limits are enforced (size, depth, string length, items), where
 * anchors/aliases and duplicate keys are refused, and where --set overrides
 * are grafted onto the tree before the schema walk (load.c) reads it. */
#include "input/input_impl.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* ---- key paths and messages -------------------------------------------- */

size_t exo__path_key(exo__path *p, const char *key)
{
    size_t old = p->n;
    if (p->n > 0 && p->n + 1 < sizeof p->s)
        p->s[p->n++] = '.';
    for (const char *k = key; *k && p->n + 1 < sizeof p->s; k++) {
        unsigned char c = (unsigned char)*k;
        p->s[p->n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    p->s[p->n] = '\0';
    return old;
}

size_t exo__path_index(exo__path *p, int i)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", i);
    return exo__path_key(p, buf);
}

void exo__path_pop(exo__path *p, size_t len)
{
    if (len < p->n) {
        p->n = len;
        p->s[len] = '\0';
    }
}

exo_status exo__input_error(exo_ctx *ctx, exo_status st, const char *src, int line, int col,
                            const char *path, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line, always: a message never carries a newline from the input. */
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' ';
    return exo_ctx_error(ctx, st, "%s:%d:%d: %s: %s", src, line, col,
                         (path && *path) ? path : "(file)", msg);
}

const char *exo__quote(char *buf, size_t cap, const char *s, size_t n)
{
    size_t i = 0, len = strlen(s);
    if (cap < 8)
        return "";
    for (; i < len && i < n && i + 4 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (i < len) {
        /* do not cut a UTF-8 sequence in half: end before a lead byte */
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}

/* ---- tree -------------------------------------------------------------- */

void exo__tree_free(exo_ctx *ctx, exo__node *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->n; i++) {
        if (n->kind == EXO__NODE_MAP) {
            exo_free(ctx, n->pairs[i].key);
            exo__tree_free(ctx, n->pairs[i].value);
        } else if (n->kind == EXO__NODE_SEQ) {
            exo__tree_free(ctx, n->items[i]);
        }
    }
    exo_free(ctx, n->pairs);
    exo_free(ctx, n->items);
    exo_free(ctx, n->text);
    exo_free(ctx, n);
}

const exo__pair *exo__map_pair(const exo__node *map, const char *key)
{
    if (!map || map->kind != EXO__NODE_MAP)
        return NULL;
    for (int i = 0; i < map->n; i++)
        if (strcmp(map->pairs[i].key, key) == 0)
            return &map->pairs[i];
    return NULL;
}

exo__node *exo__map_get(const exo__node *map, const char *key)
{
    const exo__pair *p = exo__map_pair(map, key);
    return p ? p->value : NULL;
}

static exo__node *node_new(exo_ctx *ctx, exo__node_kind kind, const char *src, int line, int col)
{
    exo__node *n = exo_alloc(ctx, 1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->src = src;
    n->line = line;
    n->col = col;
    return n;
}

/* Makes room for one more entry; false on allocation failure. */
static bool grow(exo_ctx *ctx, exo__node *n)
{
    if (n->n < n->cap)
        return true;
    int cap = n->cap ? 2 * n->cap : 4;
    if (n->kind == EXO__NODE_MAP) {
        exo__pair *p = exo_realloc(ctx, n->pairs, (size_t)cap, sizeof *p);
        if (!p)
            return false;
        n->pairs = p;
    } else {
        exo__node **p = exo_realloc(ctx, n->items, (size_t)cap, sizeof *p);
        if (!p)
            return false;
        n->items = p;
    }
    n->cap = cap;
    return true;
}

/* An open mapping or sequence while the event stream is read. */
typedef struct {
    exo__node *node;
    char *key;          /* mapping: key read, value not yet (owned) */
    int key_line, key_col;
} frame;

typedef struct {
    exo_ctx *ctx;
    const char *src, *prefix;
    exo__node *root;
    frame st[EXO_INPUT_MAX_DEPTH + 1];
    int depth;
    int docs;
} builder;

/* The dotted path to the place being read, for messages. */
static void builder_path(const builder *b, const char *extra, exo__path *p)
{
    p->n = 0;
    p->s[0] = '\0';
    if (b->prefix && *b->prefix)
        exo__path_key(p, b->prefix);
    for (int i = 0; i < b->depth; i++) {
        const exo__node *n = b->st[i].node;
        bool top = i == b->depth - 1;
        if (n->kind == EXO__NODE_MAP) {
            if (top && b->st[i].key)
                exo__path_key(p, b->st[i].key);
            else if (!top && n->n > 0)
                exo__path_key(p, n->pairs[n->n - 1].key);
        } else {
            exo__path_index(p, top ? n->n : n->n - 1);
        }
    }
    if (extra)
        exo__path_key(p, extra);
}

static exo_status builder_error(const builder *b, exo_status st, const yaml_mark_t *m,
                                const char *extra, const char *msg)
{
    exo__path p;
    builder_path(b, extra, &p);
    return exo__input_error(b->ctx, st, b->src, (int)m->line + 1, (int)m->column + 1, p.s,
                            "%s", msg);
}

static exo_status nomem(const builder *b)
{
    return exo__input_error(b->ctx, EXO_ENOMEM, b->src, 0, 0, "(file)", "out of memory");
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Checks a scalar's text and copies it into an exo_alloc'd string. */
static exo_status scalar_text(builder *b, const yaml_event_t *ev, const char *what, char **out)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    char msg[128];
    if (memchr(v, '\0', len))
        return builder_error(b, EXO_EINPUT, &ev->start_mark, NULL,
                             "NUL character in a string (expected text)");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        /* C0 controls but TAB, DEL, and the C1 controls U+0080-U+009F (UTF-8 C2 80-9F): ESC
         * or BEL in a name would reach the terminal, the CSV files and the report */
        unsigned code = c < 0x20 || c == 0x7F ? c
                      : c == 0xC2 && i + 1 < len && (unsigned char)v[i + 1] >= 0x80 && (unsigned char)v[i + 1] <= 0x9F
                          ? (unsigned char)v[i + 1]
                          : 0x100;
        if (code != 0x100 && code != '\t') {
            snprintf(msg, sizeof msg, "control character U+%04X in a %s (expected printable text)", code, what);
            return builder_error(b, EXO_EINPUT, &ev->start_mark, NULL, msg);
        }
    }
    size_t chars = utf8_chars(v, len);
    if (chars > EXO_INPUT_MAX_STRING) {
        snprintf(msg, sizeof msg, "%s too long: %zu characters (expected at most %d)", what,
                 chars, EXO_INPUT_MAX_STRING);
        return builder_error(b, EXO_EINPUT, &ev->start_mark, NULL, msg);
    }
    char *t = exo_alloc(b->ctx, len + 1, 1);
    if (!t)
        return nomem(b);
    memcpy(t, v, len);
    t[len] = '\0';
    exo__nfc_latin(t);
    *out = t;
    return EXO_OK;
}

/* Attaches a new node as the value of the pending key, the next item, or the
 * root.  The node is owned by the tree as soon as this returns OK. */
static exo_status attach(builder *b, exo__node *n, const yaml_mark_t *m)
{
    if (b->depth == 0) {
        if (b->root) {
            exo__tree_free(b->ctx, n);
            return builder_error(b, EXO_EINPUT, m, NULL,
                                 "more than one YAML document (expected one mapping)");
        }
        b->root = n;
        return EXO_OK;
    }
    frame *f = &b->st[b->depth - 1];
    exo__node *parent = f->node;
    if (parent->n >= EXO_INPUT_MAX_ITEMS) {
        exo__tree_free(b->ctx, n);
        char msg[96];
        snprintf(msg, sizeof msg, "too many entries (expected at most %d)", EXO_INPUT_MAX_ITEMS);
        return builder_error(b, EXO_EINPUT, m, NULL, msg);
    }
    if (!grow(b->ctx, parent)) {
        exo__tree_free(b->ctx, n);
        return nomem(b);
    }
    if (parent->kind == EXO__NODE_MAP) {
        exo__pair *p = &parent->pairs[parent->n++];
        p->key = f->key;
        p->src = b->src;
        p->line = f->key_line;
        p->col = f->key_col;
        p->value = n;
        f->key = NULL;
    } else {
        parent->items[parent->n++] = n;
    }
    return EXO_OK;
}

/* Reads a mapping key: plain text only, no duplicates. */
static exo_status take_key(builder *b, const yaml_event_t *ev)
{
    frame *f = &b->st[b->depth - 1];
    if (ev->type != YAML_SCALAR_EVENT)
        return builder_error(b, EXO_EINPUT, &ev->start_mark, NULL,
                             "complex mapping keys are not supported (expected a plain key)");
    char *key = NULL;
    exo_status st = scalar_text(b, ev, "key", &key);
    if (st != EXO_OK)
        return st;
    const exo__pair *dup = exo__map_pair(f->node, key);
    if (dup) {
        char msg[128];
        snprintf(msg, sizeof msg, "duplicate key (first written at line %d; expected each key once)",
                 dup->line);
        st = builder_error(b, EXO_EINPUT, &ev->start_mark, key, msg);
        exo_free(b->ctx, key);
        return st;
    }
    f->key = key;
    f->key_line = (int)ev->start_mark.line + 1;
    f->key_col = (int)ev->start_mark.column + 1;
    return EXO_OK;
}

static exo_status take_event(builder *b, const yaml_event_t *ev)
{
    exo_status st = EXO_OK;
    const yaml_mark_t *m = &ev->start_mark;
    const yaml_char_t *anchor = NULL;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->docs > 1)
            return builder_error(b, EXO_EINPUT, m, NULL,
                                 "more than one YAML document (expected one mapping)");
        return EXO_OK;
    case YAML_ALIAS_EVENT:
        return builder_error(b, EXO_EINPUT, m, NULL,
                             "aliases are not supported (expected the value written out)");
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth > 0)
            b->depth--;
        return EXO_OK;
    default:
        return EXO_OK;
    }
    if (anchor)
        return builder_error(b, EXO_EINPUT, m, NULL,
                             "aliases are not supported (anchor found; expected the value "
                             "written out)");
    if (b->depth > 0) {
        frame *f = &b->st[b->depth - 1];
        if (f->node->kind == EXO__NODE_MAP && !f->key)
            return take_key(b, ev);
    }
    int line = (int)m->line + 1, col = (int)m->column + 1;
    if (ev->type == YAML_SCALAR_EVENT) {
        char *text = NULL;
        EXO_TRY(scalar_text(b, ev, "string", &text));
        exo__node *n = node_new(b->ctx, EXO__NODE_SCALAR, b->src, line, col);
        if (!n) {
            exo_free(b->ctx, text);
            return nomem(b);
        }
        n->text = text;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return attach(b, n, m);
    }
    if (b->depth >= EXO_INPUT_MAX_DEPTH) {
        char msg[96];
        snprintf(msg, sizeof msg, "nesting too deep (expected at most %d levels)",
                 EXO_INPUT_MAX_DEPTH);
        return builder_error(b, EXO_EINPUT, m, NULL, msg);
    }
    exo__node *n = node_new(b->ctx,
                            ev->type == YAML_MAPPING_START_EVENT ? EXO__NODE_MAP : EXO__NODE_SEQ,
                            b->src, line, col);
    if (!n)
        return nomem(b);
    EXO_TRY(attach(b, n, m));
    b->st[b->depth].node = n;
    b->st[b->depth].key = NULL;
    b->depth++;
out:
    return st;
}

/* libyaml's reader reports a byte offset rather than a mark. */
static void offset_position(const char *text, size_t len, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static exo_status parser_error(builder *b, const yaml_parser_t *p, const char *text, size_t len)
{
    int line, col;
    if (p->error == YAML_MEMORY_ERROR)
        return nomem(b);
    if (p->error == YAML_READER_ERROR) {
        offset_position(text, len, p->problem_offset, &line, &col);
        char prefix[256] = "";
        if (b->prefix && *b->prefix)
            snprintf(prefix, sizeof prefix, "%s", b->prefix);
        return exo__input_error(b->ctx, EXO_EINPUT, b->src, line, col, prefix,
                                "%s at byte %zu (expected UTF-8 text)",
                                p->problem ? p->problem : "unreadable input", p->problem_offset);
    }
    char msg[256];
    snprintf(msg, sizeof msg, "%s%s%s (expected valid YAML)", p->context ? p->context : "",
             p->context ? ": " : "", p->problem ? p->problem : "syntax error");
    yaml_mark_t m = p->problem_mark;
    if (m.index >= utf8_chars(text, len)) {
        /* libyaml puts end-of-input problems on a line after the text: point
         * at the end of the text itself (for --set, within the value) */
        offset_position(text, len, len, &line, &col);
        m.line = (size_t)line - 1;
        m.column = (size_t)col - 1;
    }
    return builder_error(b, EXO_EINPUT, &m, NULL, msg);
}

exo_status exo__tree_parse(exo_ctx *ctx, const char *src, const char *prefix,
                           const char *text, size_t len, exo__node **root)
{
    exo_status st = EXO_OK;
    builder b = {.ctx = ctx, .src = src, .prefix = prefix};
    yaml_parser_t p;
    *root = NULL;
    if (len > EXO_INPUT_MAX_BYTES)
        return exo__input_error(ctx, EXO_EINPUT, src, 1, 1, prefix, "too large: %zu bytes "
                                "(expected at most %u)", len, EXO_INPUT_MAX_BYTES);
    /* a UTF-8 byte-order mark, as some editors write, is not part of the text */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (!yaml_parser_initialize(&p))
        return nomem(&b);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            st = parser_error(&b, &p, text, len);
            goto out;
        }
        yaml_event_type_t type = ev.type;
        st = take_event(&b, &ev);
        yaml_event_delete(&ev);
        if (st != EXO_OK || type == YAML_STREAM_END_EVENT)
            break;
    }
out:
    for (int i = 0; i < b.depth; i++)
        exo_free(ctx, b.st[i].key);
    yaml_parser_delete(&p);
    if (st != EXO_OK) {
        exo__tree_free(ctx, b.root);
        return st;
    }
    *root = b.root;
    return EXO_OK;
}

/* ---- --set overrides --------------------------------------------------- */

#define SET_SRC "--set"

static exo_status set_error(exo_ctx *ctx, const exo__path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static exo_status set_error(exo_ctx *ctx, const exo__path *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return exo__input_error(ctx, EXO_EINPUT, SET_SRC, 1, 1, p->s, "%s", msg);
}

static bool parse_index(const char *s, int *out)
{
    long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > EXO_INPUT_MAX_ITEMS)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = (int)v;
    return true;
}

/* Adds key -> child to a mapping; takes ownership of child even on failure. */
static bool add_pair(exo_ctx *ctx, exo__node *map, const char *key, exo__node *child)
{
    char *k = exo_strdup(ctx, key);
    if (!k || map->n >= EXO_INPUT_MAX_ITEMS || !grow(ctx, map)) {
        exo_free(ctx, k);
        exo__tree_free(ctx, child);
        return false;
    }
    map->pairs[map->n++] = (exo__pair){k, SET_SRC, 1, 1, child};
    return true;
}

exo_status exo__tree_override(exo_ctx *ctx, exo__node *root, const exo_override *set)
{
    exo_status st = EXO_OK;
    exo__node *value = NULL;
    char comp[EXO_INPUT_MAX_STRING + 1];
    exo__path path = {.n = 0};
    const char *key = set->key ? set->key : "";
    const char *text = set->value ? set->value : "";

    EXO_TRY(exo__tree_parse(ctx, SET_SRC, key, text, strlen(text), &value));
    if (!value) {
        /* "--set key=" : an empty value, which the schema walk then judges */
        value = node_new(ctx, EXO__NODE_SCALAR, SET_SRC, 1, 1);
        if (!value || !(value->text = exo_strdup(ctx, "")))
            goto out_nomem;
        value->plain = true;
    }
    exo__node *cur = root;
    for (const char *s = key;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        bool last = !dot;
        if (n == 0 || n > EXO_INPUT_MAX_STRING) {
            exo__path_pop(&path, 0);
            exo__path_key(&path, key);
            st = set_error(ctx, &path, "bad key path (expected a dotted key such as "
                                       "'skin.age' or 'arms.0.name')");
            goto out;
        }
        memcpy(comp, s, n);
        comp[n] = '\0';
        exo__path_key(&path, comp);
        exo__node *next;
        if (cur->kind == EXO__NODE_SEQ) {
            int i;
            if (!parse_index(comp, &i) || i >= cur->n) {
                st = set_error(ctx, &path, "no item '%s' in this list (expected an index "
                                           "from 0 to %d)", comp, cur->n - 1);
                goto out;
            }
            if (last) {
                exo__tree_free(ctx, cur->items[i]);
                cur->items[i] = value;
                value = NULL;
                break;
            }
            next = cur->items[i];
        } else if (cur->kind == EXO__NODE_MAP) {
            exo__pair *p = (exo__pair *)exo__map_pair(cur, comp);
            if (last) {
                if (p) {
                    exo__tree_free(ctx, p->value);
                    p->value = value;
                    p->src = SET_SRC;
                    p->line = p->col = 1;
                } else if (!add_pair(ctx, cur, comp, value)) {
                    value = NULL;
                    goto out_nomem;
                }
                value = NULL;
                break;
            }
            if (p) {
                next = p->value;
            } else {
                next = node_new(ctx, EXO__NODE_MAP, SET_SRC, 1, 1);
                if (!next || !add_pair(ctx, cur, comp, next))
                    goto out_nomem;
            }
        } else {
            st = set_error(ctx, &path, "'%s' is inside a plain value (expected a path "
                                       "through mappings and lists)", comp);
            goto out;
        }
        cur = next;
        s = dot + 1;
    }
out:
    exo__tree_free(ctx, value);
    return st;
out_nomem:
    st = exo__input_error(ctx, EXO_ENOMEM, SET_SRC, 0, 0, key, "out of memory");
    goto out;
}
