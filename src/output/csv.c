/* csv.c - the one CSV field writer of every CSV file exoskin writes
 * (timeseries.csv, profiles.csv, fields_xz.csv, patients.csv, sweep.csv,
 * sensitivity.csv): RFC 4180 quoting, embedded quotes doubled. */
#include "output/output.h"

#include <stdio.h>
#include <string.h>

void exo__csv_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void exo__csv_field(FILE *f, const char *s)
{
    if (s && s[strcspn(s, ",\"\r\n")])
        exo__csv_quoted(f, s);
    else if (s)
        fputs(s, f);
}
