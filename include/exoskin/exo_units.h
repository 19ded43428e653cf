/* exo_units.h - the one internal unit system of libexoskin and the boundary
 * conversion from "value unit" strings (udunits2).
 *
 * Internal units, used everywhere inside the library without exception:
 *   length  micrometre (um)     time  hour (h)
 *   amount  particles (vesicles) or activity units (mediators, dimensionless)
 * so a diffusivity is in um^2/h, a rate in 1/h, a vesicle concentration in
 * particles/um^3 (1 particle/mL = 1e-12 particles/um^3), an areal dose in
 * particles/um^2. The macros below are the internal unit factors, all exact. */
#ifndef EXO_UNITS_H
#define EXO_UNITS_H

#include "exo_core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EXO_UM 1.0
#define EXO_MM 1e3
#define EXO_CM 1e4
#define EXO_NM 1e-3
#define EXO_H 1.0
#define EXO_S (1.0 / 3600.0)
#define EXO_MIN (1.0 / 60.0)
#define EXO_DAY 24.0
#define EXO_WEEK 168.0
#define EXO_YEAR 8766.0 /* Julian year, 365.25 d */
#define EXO_PER_H 1.0
#define EXO_PER_ML 1e-12 /* 1/mL in 1/um^3 */
#define EXO_ML 1e12      /* 1 mL in um^3 */
#define EXO_UL 1e9       /* 1 uL in um^3 */

typedef struct exo_units exo_units;

/* Loads the udunits2 database (silently) and adds "particle(s)" and "AU" as
 * dimensionless counts. */
exo_status exo_units_create(exo_ctx *ctx, exo_units **out);
void exo_units_destroy(exo_units **u);

/* Converts `value` given in unit `from` (udunits syntax, e.g. "um^2/s",
 * "particles/mL", "weeks") into the internal unit that corresponds to the
 * expected unit `to` (e.g. "um^2/h"). EXO_EUNIT with a message if `from`
 * cannot be parsed or is not of the dimension of `to`. */
exo_status exo_units_convert(exo_units *u, double value, const char *from, const char *to,
                             double *out);

/* Splits "1.5e10 particles/mL" into 1.5e10 and "particles/mL".  Returns
 * EXO_EUNIT if there is no number or no unit ("" unit is reported as missing);
 * a pure number is accepted only when allow_unitless is true. */
exo_status exo_units_split(const char *text, double *value, const char **unit_start,
                           bool allow_unitless);

/* Parses "value unit" and converts it to `to` (internal). */
exo_status exo_units_parse(exo_units *u, const char *text, const char *to, double *out);

/* The dimension check alone: true when `from` converts to `to`. */
bool exo_units_compatible(exo_units *u, const char *from, const char *to);

#ifdef __cplusplus
}
#endif
#endif
