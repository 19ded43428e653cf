/* study_impl.h - helpers shared by the study files' writers. */
#ifndef EXO_STUDY_IMPL_H
#define EXO_STUDY_IMPL_H

#include <stddef.h>
#include <stdio.h>

/* A visit time [h] as a label: "12 weeks", "3 days", "6 h". */
const char *exo__visit_label(char *buf, size_t cap, double h);

#endif
