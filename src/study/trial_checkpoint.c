/* trial_checkpoint.c - the checkpoint file of a running trial, so that a
 * killed `exoskin trial` resumes where it stopped and still writes the same
 * bytes (docs/trials.md, "Checkpoints and resume").
 *
 * Format (text, one line each):
 *   exoskin-trial-checkpoint 1 version=V revision=R input=HHHH seed=S rows=N visits=K
 *   ROW PATIENT ARM AGE SEX PHOTOTYPE BASELINE VALUE_1 CHANGE_1 ... SAE P_SAE #CHECKSUM
 * Doubles are C99 "%a" hex floats, read back bit for bit by strtod; the
 * checksum is the FNV-1a 64 of the line up to the space before '#'.  Lines
 * are appended in completion order; a line without its newline or with a
 * wrong checksum (a write torn by a kill) ends the valid part of the file. */
#include "study/trial_checkpoint.h"
#include "output/output.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "exoskin-trial-checkpoint 1"

uint64_t exo__fnv1a64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t input_hash(const char *yaml) { return exo__fnv1a64(EXO__FNV_OFFSET, yaml, strlen(yaml)); }

static void header(char *buf, size_t cap, uint64_t hash, uint64_t seed, int n_rows, int n_visits)
{
    snprintf(buf, cap, MAGIC " version=%s revision=%s input=%016" PRIx64 " seed=%" PRIu64 " rows=%d visits=%d\n",
             EXO_VERSION_STRING, exo_git_revision(), hash, seed, n_rows, n_visits);
}

/* Checks a header line against the expected one, with a message that says what differs. */
static exo_status check_header(exo_ctx *ctx, const char *path, const char *line, const char *want, uint64_t hash,
                               uint64_t seed)
{
    if (strcmp(line, want) == 0)
        return EXO_OK;
    char version[64], revision[64];
    unsigned long long h, s;
    if (strncmp(line, MAGIC " ", sizeof MAGIC) != 0 ||
        sscanf(line, MAGIC " version=%63s revision=%63s input=%llx seed=%llu", version, revision, &h, &s) != 4)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: not an exoskin trial checkpoint (delete it to start over)", path);
    if (h != hash || s != seed)
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "%s: the checkpoint belongs to another input or seed (input %016llx, seed %llu; this run: "
                             "input %016" PRIx64 ", seed %" PRIu64 "): resume with the same file and --set options, "
                             "or delete it to start over",
                             path, h, s, hash, seed);
    return exo_ctx_error(ctx, EXO_EINPUT,
                         "%s: the checkpoint was written by exoskin %s (revision %s), this is %s (revision %s): "
                         "delete it to start over",
                         path, version, revision, EXO_VERSION_STRING, exo_git_revision());
}

/* Parses one record line (with its newline) into *row and p; false if it is
 * torn, damaged or out of range. */
static bool parse_record(char *line, const exo_config *cfg, int n_rows, int nv, int *row, exo_trial_patient *p)
{
    size_t len = strlen(line);
    if (len < 2 || line[len - 1] != '\n')
        return false;
    line[--len] = '\0';
    char *hash = strrchr(line, '#');
    if (!hash || hash == line || hash[-1] != ' ' || strlen(hash + 1) != 16)
        return false;
    char *end;
    errno = 0;
    unsigned long long sum = strtoull(hash + 1, &end, 16);
    if (errno || *end || sum != exo__fnv1a64(EXO__FNV_OFFSET, line, (size_t)(hash - 1 - line)))
        return false;
    hash[-1] = '\0';

    const char *s = line;
    long iv[6];
    double age, baseline, p_serious, val[EXO_TRIAL_MAX_VISITS], chg[EXO_TRIAL_MAX_VISITS];
#define INT(dst)                          \
    do {                                  \
        dst = strtol(s, &end, 10);        \
        if (end == s)                     \
            return false;                 \
        s = end;                          \
    } while (0)
#define DBL(dst)                          \
    do {                                  \
        dst = strtod(s, &end);            \
        if (end == s)                     \
            return false;                 \
        s = end;                          \
    } while (0)
    INT(iv[0]); /* row */
    INT(iv[1]); /* patient */
    INT(iv[2]); /* arm */
    DBL(age);
    INT(iv[3]); /* sex */
    INT(iv[4]); /* phototype */
    DBL(baseline);
    for (int v = 0; v < nv; v++) {
        DBL(val[v]);
        DBL(chg[v]);
    }
    INT(iv[5]); /* serious adverse event */
    DBL(p_serious);
#undef INT
#undef DBL
    if (*s || iv[0] < 0 || iv[0] >= n_rows || iv[1] < 0 || iv[2] < 0 || iv[2] >= cfg->n_arms || iv[3] < 0 ||
        iv[3] >= EXO_SEX_COUNT || iv[4] < 1 || iv[4] > 6 || (iv[5] != 0 && iv[5] != 1))
        return false;
    *row = (int)iv[0];
    p += *row;
    p->patient = (int)iv[1];
    p->arm = (int)iv[2];
    p->age = age;
    p->sex = (exo_sex)iv[3];
    p->phototype = (int)iv[4];
    p->baseline = baseline;
    memcpy(p->value, val, (size_t)nv * sizeof *val);
    memcpy(p->change, chg, (size_t)nv * sizeof *chg);
    p->serious_ae = iv[5] == 1;
    p->p_serious = p_serious;
    return true;
}

/* Reads the valid records of an existing checkpoint into rows and c->have;
 * *valid is the length of the valid part (0: no complete header, start over). */
static exo_status load(exo_ctx *ctx, exo__trial_ckpt *c, const exo_config *cfg, const char *want, uint64_t hash,
                       exo_trial_patient *rows, long *valid)
{
    exo_status st = EXO_OK;
    char *line = NULL;
    size_t cap = 0;
    *valid = 0;
    FILE *f = fopen(c->path, "r");
    if (!f)
        return exo_ctx_error(ctx, EXO_EIO, "%s: cannot read: %s", c->path, strerror(errno));
    ssize_t len = getline(&line, &cap, f);
    if (len <= 0 || line[len - 1] != '\n') { /* torn header: nothing was recorded */
        if (len > 0 && strncmp(line, MAGIC, len < (ssize_t)strlen(MAGIC) ? (size_t)len : strlen(MAGIC)) != 0)
            st = exo_ctx_error(ctx, EXO_EINPUT, "%s: not an exoskin trial checkpoint (delete it to start over)",
                               c->path);
        goto out;
    }
    EXO_TRY(check_header(ctx, c->path, line, want, hash, cfg->seed));
    *valid = (long)len;
    while ((len = getline(&line, &cap, f)) > 0) {
        int row;
        if (!parse_record(line, cfg, c->n_rows, c->n_visits, &row, rows))
            break;
        if (!c->have[row]) {
            c->have[row] = true;
            c->n_have++;
        }
        *valid += (long)len;
    }
out:
    free(line); /* getline's buffer */
    fclose(f);
    return st;
}

/* fopen that never follows a symbolic link at path (O_NOFOLLOW) and, with
 * O_EXCL, never opens a file it did not create. */
static FILE *open_nofollow(const char *path, int flags, const char *mode)
{
    int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, mode);
    if (!f)
        close(fd);
    return f;
}

exo_status exo__trial_ckpt_open(exo_ctx *ctx, const char *path, const exo_config *cfg, int n_rows, bool resume,
                                exo_trial_patient *rows, exo__trial_ckpt **out)
{
    exo_status st = EXO_OK;
    char *yaml = NULL;
    char want[512];
    *out = NULL;
    if (strlen(path) >= sizeof((exo__trial_ckpt *)0)->path)
        return exo_ctx_error(ctx, EXO_EIO, "%s: checkpoint path too long", path);
    int nv = cfg->trial.n_visits;
    exo__trial_ckpt *c = exo_alloc(ctx, 1, sizeof *c);
    if (!c)
        return exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the trial checkpoint");
    snprintf(c->path, sizeof c->path, "%s", path);
    c->n_rows = n_rows;
    c->n_visits = nv;
    c->line_cap = 128 + (size_t)(3 + 2 * nv) * 32;
    c->have = exo_alloc(ctx, (size_t)n_rows, sizeof *c->have);
    c->line = exo_alloc(ctx, c->line_cap, 1);
    if (!c->have || !c->line) {
        st = exo_ctx_error(ctx, EXO_ENOMEM, "out of memory for the trial checkpoint");
        goto out;
    }
    EXO_TRY(exo_config_to_yaml(ctx, cfg, &yaml));
    uint64_t hash = input_hash(yaml);
    header(want, sizeof want, hash, cfg->seed, n_rows, nv);

    /* lstat: a link at the checkpoint's path (dangling or not) is never
     * followed, so no file is created or truncated at its target */
    struct stat sb;
    bool exists = lstat(path, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode)) {
        st = exo_ctx_error(ctx, EXO_EINPUT, "%s: not a checkpoint written by exoskin (a %s): remove it or choose "
                           "another output folder", path, S_ISLNK(sb.st_mode) ? "symbolic link" : "non-regular file");
        goto out;
    }
    if (exists && !resume) {
        st = exo_ctx_error(ctx, EXO_EINPUT,
                           "%s: a checkpoint of an interrupted trial exists: resume it (exoskin trial ... --resume) "
                           "or delete it to start over",
                           path);
        goto out;
    }
    long valid = 0;
    if (exists)
        EXO_TRY(load(ctx, c, cfg, want, hash, rows, &valid));
    if (valid > 0) {
        if (truncate(path, (off_t)valid) != 0 || !(c->f = open_nofollow(path, O_WRONLY | O_APPEND, "a"))) {
            st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot reopen the checkpoint: %s", path, strerror(errno));
            goto out;
        }
        if (c->n_have > 0)
            exo_ctx_log(ctx, EXO_LOG_INFO, "%s: resuming with %d of %d patient-arm runs done", path, c->n_have,
                        n_rows);
    } else {
        EXO_TRY(exo__make_parents(ctx, path));
        if (!(c->f = open_nofollow(path, exists ? O_WRONLY | O_TRUNC : O_WRONLY | O_CREAT | O_EXCL, "w")) || fputs(want, c->f) == EOF || fflush(c->f) != 0 || fsync(fileno(c->f)) != 0) {
            st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write the checkpoint: %s", path, strerror(errno));
            goto out;
        }
    }
    *out = c;
    c = NULL;
out:
    if (yaml)
        exo_free(ctx, yaml);
    exo__trial_ckpt_close(ctx, &c);
    return st;
}

exo_status exo__trial_ckpt_append(exo__trial_ckpt *c, int row, const exo_trial_patient *p, char *msg, size_t cap)
{
    char *b = c->line;
    size_t n = c->line_cap, k = 0;
#define PUT(...) k += (size_t)snprintf(b + k, k < n ? n - k : 0, __VA_ARGS__)
    PUT("%d %d %d %a %d %d %a", row, p->patient, p->arm, p->age, (int)p->sex, p->phototype, p->baseline);
    for (int v = 0; v < c->n_visits; v++)
        PUT(" %a %a", p->value[v], p->change[v]);
    PUT(" %d %a", p->serious_ae ? 1 : 0, p->p_serious);
    if (k < n)
        PUT(" #%016" PRIx64 "\n", exo__fnv1a64(EXO__FNV_OFFSET, b, k));
#undef PUT
    if (k >= n) {
        snprintf(msg, cap, "%s: checkpoint record too long", c->path);
        return EXO_EIO;
    }
    if (fwrite(b, 1, k, c->f) != k || fflush(c->f) != 0 ||
        (++c->unsynced >= EXO__CKPT_SYNC_EVERY && fsync(fileno(c->f)) != 0)) {
        snprintf(msg, cap, "%s: cannot write the checkpoint: %s", c->path, strerror(errno));
        return EXO_EWRITE;
    }
    if (c->unsynced >= EXO__CKPT_SYNC_EVERY)
        c->unsynced = 0;
    return EXO_OK;
}

void exo__trial_ckpt_close(exo_ctx *ctx, exo__trial_ckpt **cp)
{
    if (!cp || !*cp)
        return;
    exo__trial_ckpt *c = *cp;
    if (c->f) {
        fflush(c->f);
        fsync(fileno(c->f));
        fclose(c->f);
    }
    exo_free(ctx, c->have);
    exo_free(ctx, c->line);
    exo_free(ctx, c);
    *cp = NULL;
}
