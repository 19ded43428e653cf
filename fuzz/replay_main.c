/* replay_main.c - runs the fuzz harness (fuzz_config.c) over every file of a
 * directory, without libFuzzer, so the committed corpus is a regression test:
 *     fuzz_replay fuzz/corpus
 * Exits nonzero when the directory is missing or empty, or a file cannot be
 * read; a crash in the harness ends the process abnormally. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    int err = ferror(f) || !buf;
    fclose(f);
    if (!err)
        LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return err ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[1]);
        return 1;
    }
    int n = 0, bad = 0;
    char path[4096];
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        if (replay(path) != 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
            bad++;
        }
        n++;
    }
    closedir(d);
    printf("%d inputs replayed\n", n);
    if (n == 0) {
        fprintf(stderr, "%s: no inputs in %s\n", argv[0], argv[1]);
        return 1;
    }
    return bad ? 1 : 0;
}
