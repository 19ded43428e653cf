/* names.c - the words input files use for enumerations (regions, origins,
 * vehicles, study quantities, whose readouts come from exo_readouts.h; event
 * kinds are the routes' of src/protocol), shared by the loader, the YAML
 * writer and anyone who prints a config.  Constant tables only. */
#include "input/input_impl.h"
#include "protocol/protocol.h"

const char *const exo__region_names[] = {"forehead", "cheek", "periorbital", "perioral", "forearm"};
const char *const exo__sex_names[] = {"female", "male"};
const char *const exo__condition_names[] = {"none", "photoaged", "acne_scars",
                                                          "sensitive", "dry", "atopic_dermatitis", "rosacea"};
const char *const exo__origin_names[] = {"adipose_msc", "umbilical_msc",
                                                         "platelet", "plant", "custom"};
const char *const exo__vehicle_names[] = {"cream", "serum", "gel",
                                                           "sheet_mask", "solution"};
const char *const exo__cargo_names[] = {"GF", "AI", "PM", "LB", "AM", "IM"};
#define READOUT_NAME_(id, name, unit, scale, label, spread) name,
const char *const exo__quantity_names[] = {
    "delivered_past_sc", "delivered_fraction", "delivered_dermis", "absorbed", "recovery_time",
    "closure_half_life", EXO_READOUTS(READOUT_NAME_) "serious_ae_probability"};
#undef READOUT_NAME_
const char *const exo__trial_design_names[] = {"single_arm", "parallel", "split_face"};
const char *const exo__compare_names[] = {"value", "ratio", "difference", "percent_change",
                                          "annual_loss", "duration", "change_ratio",
                                          "recovered_fraction"};

/* A new enumeration value without a name fails here rather than at run time. */
#define COUNT_IS(table, count) \
    _Static_assert(sizeof(table) / sizeof(*(table)) == (count), #table " misses names")
COUNT_IS(exo__region_names, EXO_REGION_COUNT);
COUNT_IS(exo__sex_names, EXO_SEX_COUNT);
COUNT_IS(exo__condition_names, EXO_COND_COUNT);
COUNT_IS(exo__origin_names, EXO_ORIGIN_COUNT);
COUNT_IS(exo__vehicle_names, EXO_VEHICLE_COUNT);
COUNT_IS(exo__cargo_names, EXO_CARGO_COUNT);
COUNT_IS(exo__quantity_names, EXO_Q_COUNT);
COUNT_IS(exo__compare_names, EXO_CMP_COUNT);
COUNT_IS(exo__trial_design_names, EXO_TRIAL_DESIGN_COUNT);

/* Out-of-range values give "?" rather than reading past a table. */
#define NAME_OF(table, count, i) (((int)(i) >= 0 && (int)(i) < (count)) ? (table)[i] : "?")

const char *exo_region_name(exo_region r) { return NAME_OF(exo__region_names, EXO_REGION_COUNT, r); }
const char *exo_sex_name(exo_sex s) { return NAME_OF(exo__sex_names, EXO_SEX_COUNT, s); }
const char *exo_condition_name(exo_condition c)
{
    return NAME_OF(exo__condition_names, EXO_COND_COUNT, c);
}
const char *exo_origin_name(exo_origin o) { return NAME_OF(exo__origin_names, EXO_ORIGIN_COUNT, o); }
const char *exo_vehicle_name(exo_vehicle v)
{
    return NAME_OF(exo__vehicle_names, EXO_VEHICLE_COUNT, v);
}
const char *exo_cargo_name(exo_cargo c) { return NAME_OF(exo__cargo_names, EXO_CARGO_COUNT, c); }
const char *exo_event_name(exo_event_kind k)
{
    const exo__route *r = exo__route_get((int)k); /* event names are the routes' (src/protocol) */
    return r ? r->name : "?";
}
const char *exo_quantity_name(exo_quantity q) { return NAME_OF(exo__quantity_names, EXO_Q_COUNT, q); }
const char *exo_compare_name(exo_compare c) { return NAME_OF(exo__compare_names, EXO_CMP_COUNT, c); }
const char *exo_trial_design_name(exo_trial_design d)
{
    return NAME_OF(exo__trial_design_names, EXO_TRIAL_DESIGN_COUNT, d);
}
