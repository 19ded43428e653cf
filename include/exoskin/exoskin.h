/* exoskin.h - umbrella header of libexoskin, the simulator of exosome-based
 * facial skin treatments.  Include this, link -lexoskin. */
#ifndef EXOSKIN_H
#define EXOSKIN_H

#include "exo_core.h"
#include "exo_units.h"
#include "exo_params.h"
#include "exo_posterior.h"
#include "exo_readouts.h"
#include "exo_config.h"
#include "exo_input.h"
#include "exo_run.h"
#include "exo_report.h"
#include "exo_verify.h"
#include "exo_study.h"
#include "exo_sweep.h"
#include "exo_sensitivity.h"
#include "exo_trial.h"
#include "exo_audit.h"
#include "exo_optimize.h"

#endif
