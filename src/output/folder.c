/* folder.c - result folders, written whole or not at all, and replaced only
 * when exoskin wrote them.
 *
 * Every command that writes a result folder fills a temporary sibling folder
 * (DIR.tmpXXXXXX) that is renamed to DIR only when complete.  The folder
 * holds a list of what it contains, `.exoskin`:
 *
 *     exoskin result folder
 *     version 0.1.0
 *     dir figures
 *     file figures/timecourse.png
 *     file summary.json
 *     ...
 *
 * written first with a `pid N` line (in progress) and rewritten with the
 * listing when the folder is complete.  `--force` (replace) swaps out an
 * earlier DIR only if it holds that list and nothing that is not on it; what
 * it removes afterwards is exactly what the list names.  A folder without the
 * list, a symbolic link, or a result folder into which someone put files of
 * their own is refused, before anything is computed (exo_output_check).
 * Temporary folders left by a killed run (their writer's process gone) are
 * removed by the next write of the same DIR. */
#include "output/output.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MARKER ".exoskin"
#define MARKER_HEAD "exoskin result folder\n"
#define PATH_CAP 4096
#define MAX_LISTED 100000 /* [1] entries of one result folder (a tissue run: a few hundred) */

/* dst = a "/" b (a "" gives b alone); false if it does not fit. */
static bool join(char *dst, size_t cap, const char *a, const char *b)
{
    int n = snprintf(dst, cap, "%s%s%s", a, a[0] ? "/" : "", b);
    return n >= 0 && (size_t)n < cap;
}

/* Creates the parent folders of path (mkdir -p of its dirname). */
exo_status exo__make_parents(exo_ctx *ctx, const char *path)
{
    char buf[PATH_CAP];
    snprintf(buf, sizeof buf, "%s", path);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create folder: %s", buf, strerror(errno));
        *p = '/';
    }
    return EXO_OK;
}

/* ---- the list ----------------------------------------------------------- */

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

/* Writes "dir REL" / "file REL" lines for everything below root/rel (real
 * folders are entered, links are not followed), parents before children,
 * sorted by name (byte order: the same bytes on every file system). */
static bool list_tree(FILE *out, const char *root, const char *rel, int *count)
{
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name);
    if (n < 0)
        return false;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (ok && strcmp(name, ".") && strcmp(name, "..") && (rel[0] || strcmp(name, MARKER))) {
            char sub[PATH_CAP], full[PATH_CAP];
            struct stat sb;
            if (!join(sub, sizeof sub, rel, name) || !join(full, sizeof full, root, sub) || lstat(full, &sb) != 0 ||
                ++*count > MAX_LISTED || strchr(sub, '\n'))
                ok = false;
            bool is_dir = ok && S_ISDIR(sb.st_mode);
            ok = ok && fprintf(out, "%s %s\n", is_dir ? "dir" : "file", sub) > 0 &&
                 (!is_dir || list_tree(out, root, sub, count));
        }
        free(names[i]); /* scandir's */
    }
    free(names);
    return ok;
}

/* Writes dir/.exoskin: the head, the version and either `pid` (in progress)
 * or the listing of what dir holds now. */
static exo_status write_marker(exo_ctx *ctx, const char *dir, bool in_progress)
{
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/%s", dir, MARKER);
    FILE *f = fopen(path, "w");
    if (!f)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, strerror(errno));
    int count = 0;
    bool ok = fprintf(f, MARKER_HEAD "version %s\n", EXO_VERSION_STRING) > 0;
    if (in_progress)
        ok = ok && fprintf(f, "pid %ld\n", (long)getpid()) > 0;
    else
        ok = ok && list_tree(f, dir, "", &count);
    if (fclose(f) != 0 || !ok)
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot write: %s", path, errno ? strerror(errno) : "listing failed");
    return EXO_OK;
}

/* The list of dir/.exoskin: n entries, kinds[i] 'd' or 'f', names[i]
 * relative; *pid the writer's process while in progress (0 when complete).
 * false if dir holds no valid list. */
typedef struct {
    int n;
    char *kinds;
    char **names;
    long pid;
} listing;

static void listing_free(listing *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    free(l->kinds);
    memset(l, 0, sizeof *l);
}

static bool read_marker(const char *dir, listing *l)
{
    memset(l, 0, sizeof *l);
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/%s", dir, MARKER);
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return false;
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool ok = getline(&line, &cap, f) > 0 && !strcmp(line, MARKER_HEAD);
    int cap_n = 0;
    while (ok && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (!strncmp(line, "version ", 8))
            continue;
        if (!strncmp(line, "pid ", 4)) {
            l->pid = strtol(line + 4, NULL, 10);
            continue;
        }
        bool is_dir = !strncmp(line, "dir ", 4), is_file = !strncmp(line, "file ", 5);
        const char *name = line + (is_dir ? 4 : 5);
        /* names stay inside the folder: relative, no '..' component */
        if ((!is_dir && !is_file) || !name[0] || name[0] == '/' || !strcmp(name, "..") || !strncmp(name, "../", 3) ||
            strstr(name, "/../") || (strlen(name) >= 3 && !strcmp(name + strlen(name) - 3, "/..")) ||
            l->n >= MAX_LISTED) {
            ok = false;
            break;
        }
        if (l->n == cap_n) {
            cap_n = cap_n ? 2 * cap_n : 64;
            char **nn = realloc(l->names, (size_t)cap_n * sizeof *nn);
            char *nk = nn ? realloc(l->kinds, (size_t)cap_n) : NULL;
            if (nn)
                l->names = nn;
            if (!nn || !nk) {
                ok = false;
                break;
            }
            l->kinds = nk;
        }
        if (!(l->names[l->n] = strdup(name))) {
            ok = false;
            break;
        }
        l->kinds[l->n++] = is_dir ? 'd' : 'f';
    }
    free(line); /* getline's buffer */
    fclose(f);
    if (!ok)
        listing_free(l);
    return ok;
}

static bool listed(const listing *l, const char *name, char kind)
{
    for (int i = 0; i < l->n; i++)
        if (l->kinds[i] == kind && !strcmp(l->names[i], name))
            return true;
    return false;
}

/* The first entry below root/rel that the list does not name (a folder
 * named as a file or the reverse counts), into `foreign`; false if none. */
static bool find_foreign(const listing *l, const char *root, const char *rel, char *foreign, size_t cap)
{
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    bool found = false;
    while (!found && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (!rel[0] && !strcmp(e->d_name, MARKER)))
            continue;
        char sub[PATH_CAP], full[PATH_CAP];
        struct stat sb;
        if (!join(sub, sizeof sub, rel, e->d_name) || !join(full, sizeof full, root, sub)) {
            snprintf(foreign, cap, "%.200s...", e->d_name); /* too deep to be ours */
            found = true;
            break;
        }
        bool is_dir = lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
        if (!listed(l, sub, is_dir ? 'd' : 'f')) {
            snprintf(foreign, cap, "%s", sub);
            found = true;
        } else if (is_dir)
            found = find_foreign(l, root, sub, foreign, cap);
    }
    closedir(d);
    return found;
}

/* Removes what dir's list names (files, then folders deepest first), the
 * list, and dir itself if that leaves it empty. */
static void remove_listed(const char *dir)
{
    listing l;
    if (!read_marker(dir, &l))
        return;
    char path[PATH_CAP];
    for (int i = 0; i < l.n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, l.names[i]);
        struct stat sb;
        if (l.kinds[i] == 'f' && lstat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
            unlink(path);
    }
    for (int i = l.n - 1; i >= 0; i--) { /* parents are listed before their children */
        snprintf(path, sizeof path, "%s/%s", dir, l.names[i]);
        if (l.kinds[i] == 'd')
            rmdir(path);
    }
    snprintf(path, sizeof path, "%s/%s", dir, MARKER);
    unlink(path);
    rmdir(dir);
    listing_free(&l);
}

/* Removes a folder this process made and filled (its temporary folder after
 * a failure), or that a killed exoskin process made: regular files and real
 * folders only, links are removed, never followed. */
static void remove_own_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[PATH_CAP];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                remove_own_tree(p); /* a subfolder such as figures/ */
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Temporary (DIR.tmpXXXXXX) and set-aside (DIR.oldXXXXXX) folders of DIR
 * left by a process that no longer runs: a list in progress whose pid is
 * gone, or a complete list (a set-aside earlier result). */
static void remove_stale_siblings(const char *dir)
{
    char parent[PATH_CAP], base[PATH_CAP];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash[1] == '\0')
        return; /* a path ending in '/': no sibling to name */
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : parent);
    if (slash)
        *(slash == parent ? slash + 1 : slash) = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    DIR *d = opendir(parent);
    if (!d)
        return;
    size_t nb = strlen(base);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, base, nb) || strlen(e->d_name) != nb + 10 ||
            (strncmp(e->d_name + nb, ".tmp", 4) && strncmp(e->d_name + nb, ".old", 4)))
            continue;
        char sib[PATH_CAP];
        struct stat sb;
        listing l;
        if (!join(sib, sizeof sib, parent, e->d_name) || lstat(sib, &sb) != 0 || !S_ISDIR(sb.st_mode) || !read_marker(sib, &l))
            continue;
        bool gone = l.pid > 0 && kill((pid_t)l.pid, 0) != 0 && errno == ESRCH;
        bool complete = l.pid == 0;
        listing_free(&l);
        if (gone)
            remove_own_tree(sib);
        else if (complete && !strncmp(e->d_name + nb, ".old", 4))
            remove_listed(sib);
    }
    closedir(d);
}

/* ---- the folder -------------------------------------------------------- */

enum { DIR_ABSENT, DIR_EMPTY, DIR_OURS, DIR_OTHER, DIR_FOREIGN_FILES, DIR_LINK, DIR_NOT_FOLDER };

static int dir_state(const char *dir, char *foreign, size_t cap)
{
    struct stat sb;
    if (lstat(dir, &sb) != 0)
        return DIR_ABSENT;
    if (S_ISLNK(sb.st_mode))
        return DIR_LINK;
    if (!S_ISDIR(sb.st_mode))
        return DIR_NOT_FOLDER;
    DIR *d = opendir(dir);
    if (!d)
        return DIR_OTHER;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    if (n == 0)
        return DIR_EMPTY;
    listing l;
    if (!read_marker(dir, &l))
        return DIR_OTHER;
    bool complete = l.pid == 0;
    bool extra = complete && find_foreign(&l, dir, "", foreign, cap);
    listing_free(&l);
    return !complete ? DIR_OTHER : extra ? DIR_FOREIGN_FILES : DIR_OURS;
}

/* The refusal for state s of dir, or EXO_OK. */
static exo_status refuse(exo_ctx *ctx, const char *dir, int s, bool replace, const char *foreign)
{
    switch (s) {
    case DIR_LINK:
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: is a symbolic link (expected a folder path that is not a link)",
                             dir);
    case DIR_NOT_FOLDER:
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: exists and is not a folder", dir);
    case DIR_OTHER:
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "%s: output folder is not empty and is not a result folder written by exoskin (no %s "
                             "list): choose another folder (--force replaces only exoskin's own results)",
                             dir, MARKER);
    case DIR_FOREIGN_FILES:
        return exo_ctx_error(ctx, EXO_EINPUT,
                             "%s: holds '%s', which exoskin did not write: move it away or choose another folder "
                             "(--force never deletes files exoskin did not write)",
                             dir, foreign);
    case DIR_OURS:
        if (!replace)
            return exo_ctx_error(ctx, EXO_EINPUT,
                                 "%s: output folder is not empty (use --force to replace an earlier result)", dir);
        return EXO_OK;
    default:
        return EXO_OK;
    }
}

exo_status exo_output_check(exo_ctx *ctx, const char *dir, bool replace)
{
    if (strlen(dir) > 3000)
        return exo_ctx_error(ctx, EXO_EINPUT, "%s: output path too long (expected at most 3000 bytes)", dir);
    char foreign[PATH_CAP] = "";
    return refuse(ctx, dir, dir_state(dir, foreign, sizeof foreign), replace, foreign);
}

exo_status exo__write_folder(exo_ctx *ctx, const char *dir, bool replace, exo__folder_writer fill, const void *user)
{
    exo_status st = exo_output_check(ctx, dir, replace);
    if (st != EXO_OK)
        return st;
    char foreign[PATH_CAP] = "";
    int state = dir_state(dir, foreign, sizeof foreign);
    if ((st = exo__make_parents(ctx, dir)) != EXO_OK)
        return st;
    remove_stale_siblings(dir);
    char tmp[PATH_CAP];
    snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", dir);
    if (!mkdtemp(tmp))
        return exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot create a temporary folder: %s", tmp, strerror(errno));
    st = write_marker(ctx, tmp, true);
    if (st == EXO_OK)
        st = fill(ctx, user, tmp);
    if (st == EXO_OK)
        st = write_marker(ctx, tmp, false);
    if (st != EXO_OK)
        goto out;
    chmod(tmp, 0755);
    if (state == DIR_OURS) {
        char old[PATH_CAP];
        snprintf(old, sizeof old, "%s.oldXXXXXX", dir);
        if (!mkdtemp(old) || rename(dir, old) != 0) {
            st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot move the earlier result aside: %s", dir, strerror(errno));
            rmdir(old);
            goto out;
        }
        if (rename(tmp, dir) != 0) {
            st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot move the result into place: %s", dir, strerror(errno));
            rename(old, dir);
            goto out;
        }
        remove_listed(old);
        return EXO_OK;
    }
    if (state == DIR_EMPTY)
        rmdir(dir);
    if (rename(tmp, dir) != 0) {
        st = exo_ctx_error(ctx, EXO_EWRITE, "%s: cannot move the result into place: %s", dir, strerror(errno));
        goto out;
    }
    return EXO_OK;
out:
    remove_own_tree(tmp);
    return st;
}
