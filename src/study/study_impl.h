/* study_impl.h - helpers shared by the study files (their writers, their
 * threaded loops). */
#ifndef EXO_STUDY_IMPL_H
#define EXO_STUDY_IMPL_H

#include <exoskin/exo_core.h>

#include <stddef.h>
#include <stdio.h>

/* The first failure of a loop of independent runs on threads (each with its
 * own context): the lowest failing index wins, whatever the thread order. */
typedef struct {
    int index;      /* the failing index; the loop's end while none failed */
    exo_status st;  /* its status; EXO_OK while none failed */
    char msg[1024]; /* its context's message */
} exo__first_failure;

static inline void exo__first_failure_init(exo__first_failure *f, int end)
{
    f->index = end;
    f->st = EXO_OK;
    f->msg[0] = '\0';
}

/* Notes run `index`'s status st (tctx its context, NULL if none could be
 * made); call it inside the loop's critical section. */
static inline void exo__first_failure_note(exo__first_failure *f, int index, exo_status st, const exo_ctx *tctx)
{
    if (st == EXO_OK || index >= f->index)
        return;
    f->index = index;
    f->st = st;
    snprintf(f->msg, sizeof f->msg, "%s", tctx ? exo_ctx_last_error(tctx) : "out of memory");
}

/* A visit time [h] as a label: "12 weeks", "3 days", "6 h". */
const char *exo__visit_label(char *buf, size_t cap, double h);

#endif
