/* accessors.c - read-only public access to the recorded time series, depth
 * profiles, grid and config of a column result (exo_run.h), for writers such
 * as the HTML report that only use the public API. */
#include "engine/engine_impl.h"

static const exo_arm_result *arm_of(const exo_result *r, int arm)
{
    return (r && arm >= 0 && arm < r->n_arms) ? &r->arms[arm] : NULL;
}

const exo_config *exo_result_config(const exo_result *r) { return r ? r->cfg : NULL; }

int exo_result_rows(const exo_result *r, int arm)
{
    const exo_arm_result *a = arm_of(r, arm);
    return a ? a->n_rows : 0;
}

double exo_result_row_time(const exo_result *r, int arm, int i)
{
    const exo_arm_result *a = arm_of(r, arm);
    return (a && i >= 0 && i < a->n_rows) ? a->rows[i].t : 0.0;
}

double exo_result_row_readout(const exo_result *r, int arm, int i, int k)
{
    const exo_arm_result *a = arm_of(r, arm);
    if (!a || i < 0 || i >= a->n_rows || k < 0 || k >= EXO_RD_COUNT)
        return 0.0;
    return a->rows[i].rd[k];
}

int exo_result_profiles(const exo_result *r, int arm)
{
    const exo_arm_result *a = arm_of(r, arm);
    return a ? a->n_prof : 0;
}

double exo_result_profile_time(const exo_result *r, int arm, int p)
{
    const exo_arm_result *a = arm_of(r, arm);
    return (a && p >= 0 && p < a->n_prof) ? a->prof_t[p] : 0.0;
}

int exo_result_cells(const exo_result *r, int arm)
{
    const exo_arm_result *a = arm_of(r, arm);
    return a ? a->grid->n : 0;
}

double exo_result_cell_depth(const exo_result *r, int arm, int i)
{
    const exo_arm_result *a = arm_of(r, arm);
    return (a && i >= 0 && i < a->grid->n) ? a->grid->zc[i] : 0.0;
}

double exo_result_profile_vesicles(const exo_result *r, int arm, int p, int i)
{
    const exo_arm_result *a = arm_of(r, arm);
    if (!a || p < 0 || p >= a->n_prof || i < 0 || i >= a->grid->n)
        return 0.0;
    return a->prof_E[(size_t)p * a->grid->n + i] / EXO_PER_ML;
}

int exo_layer_count(void) { return EXO_LAYER_COUNT; }
const char *exo_layer_name(int l) { return exo__layer_name(l); }

double exo_result_layer_top(const exo_result *r, int arm, int l)
{
    const exo_arm_result *a = arm_of(r, arm);
    return (a && l >= 0 && l <= EXO_LAYER_COUNT) ? a->grid->top[l] : 0.0;
}
