/* normal_range.c - the normal range of every readout for one skin
 * (exo_run.h, docs/readouts.md "Normal ranges"): the value the observation
 * model gives healthy untreated skin of that age, sex, phototype, region and
 * layers (the untreated steady state an arm starts from, computed by the
 * same code as the baseline of a run: a run of no events and no duration),
 * spread by the between-subject variability of healthy people
 * (exo_readout_normal_range). */
#include <exoskin/exo_run.h>

#include <stdio.h>
#include <string.h>

exo_status exo_skin_normal_ranges(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin,
                                  exo_normal_range out[EXO_RD_COUNT])
{
    exo_arm_cfg arm;
    memset(&arm, 0, sizeof arm);
    snprintf(arm.name, sizeof arm.name, "healthy");
    arm.has_skin = true;
    arm.skin = *skin;
    arm.skin.condition = EXO_COND_NONE; /* healthy skin of that age, phototype and region */
    arm.skin.ambient_uv = 0.0;          /* unexposed (a run starts so anyway) */
    exo_config c = *cfg;                /* its parameters and numerics; no events, no time */
    c.n_arms = 1;
    c.arms = &arm;
    c.sim.duration = 0.0;
    c.sim.n_profile_times = 0;
    c.sim.profile_times = NULL;
    c.sim.fidelity = EXO_FIDELITY_COLUMN;
    c.study.present = false;
    c.study.n_checks = 0;
    exo_result *r = NULL;
    exo_status st = exo_run(ctx, &c, NULL, NULL, &r);
    if (st != EXO_OK)
        return st;
    for (int k = 0; k < EXO_RD_COUNT; k++) {
        double b0, b1;
        exo_result_readout(r, 0, k, &b0, &b1);
        exo_readout_normal_range(k, b0, &out[k]);
    }
    exo_result_destroy(&r);
    return EXO_OK;
}

exo_status exo_skin_normal_range(exo_ctx *ctx, const exo_config *cfg, const exo_skin_cfg *skin, int k,
                                 exo_normal_range *out)
{
    if (k < 0 || k >= EXO_RD_COUNT)
        return exo_ctx_error(ctx, EXO_EINVAL, "normal range: no readout %d (0..%d)", k, EXO_RD_COUNT - 1);
    exo_normal_range all[EXO_RD_COUNT];
    exo_status st = exo_skin_normal_ranges(ctx, cfg, skin, all);
    if (st == EXO_OK)
        *out = all[k];
    return st;
}
