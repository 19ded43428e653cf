/* params.c - the one parameter table of exoskin: every model parameter with
 * its unit, default, plausible range and source.  Values are written in a
 * readable display unit and converted to internal units (exo_units.h) when a
 * run's exo_paramset is made.  `exoskin params` prints this table and
 * docs/parameters.md is generated from it.  Sources refer to
 * ../shared/docs/literature.md (firmness codes A/B/R/C/E there). */
#include <exoskin/exo_params.h>

#include <string.h>

#define ROW(id, key, unit, internal, val, lo, hi, est, src, desc) \
    [EXO_P_##id] = {key, unit, internal, val, lo, hi, est, src, desc}

static const exo_param_info table[EXO_P_COUNT] = {
    ROW(T_BODY, "tissue_temperature", "K", "K", 310.15, 305.0, 311.0, false,
        "physiology: core 37 C; dermis 35-37 C", "temperature in Stokes-Einstein diffusivity"),
    ROW(ETA_ISF, "interstitial_viscosity", "mPa.s", "Pa.s", 1.2, 0.7, 3.0, true,
        "estimate: interstitial fluid taken as plasma-like (literature 1.2: C, assumption)",
        "viscosity of interstitial fluid"),
    ROW(FIBRE_RADIUS, "collagen_fibril_radius", "nm", "um", 50.0, 20.0, 100.0, true,
        "estimate: equations.md r_f ~50 nm (dermal fibrils 30-100 nm diameter bundles)",
        "fibre radius of the Ogston hindrance"),
    ROW(PHI_COL_PAP, "collagen_fraction_papillary", "1", "1", 0.2, 0.05, 0.6, true,
        "estimate: gives Ogston hindrance ~0.35 for 120 nm; looser than reticular (Pluen 2001, 5-10x slowing in collagen-rich tissue)",
        "collagen volume fraction of the papillary dermis (young reference)"),
    ROW(PHI_COL_RET, "collagen_fraction_reticular", "1", "1", 0.4, 0.05, 0.7, true,
        "estimate: gives Ogston hindrance ~0.25 for 120 nm, 5-10x slowing with partition (Pluen 2001)",
        "collagen volume fraction of the reticular dermis (young reference)"),
    ROW(H_EPI, "epidermis_hindrance", "1", "1", 0.05, 0.005, 0.3, true,
        "estimate: keratinocyte gaps (20-50 nm) narrower than vesicles; literature D_tissue/D0 0.01-0.3",
        "D/D0 of vesicles in the viable epidermis"),
    ROW(D_SC_VESICLE, "sc_vesicle_diffusivity", "um^2/h", "um^2/h", 0.01, 1e-4, 1.0, true,
        "estimate: intact SC excludes vesicles (Zhang 2020: exosomes 'could not readily penetrate'); lag time > months",
        "diffusivity of a 100 nm vesicle in intact stratum corneum"),
    ROW(SC_SIZE_SCALE, "sc_size_scale", "nm", "um", 50.0, 10.0, 200.0, true,
        "estimate: SC uptake falls steeply with size (MW<500 Da rule; Baroli 2007: only <10 nm particles enter)",
        "SC diffusivity scales as exp(-(d - 100 nm)/scale)"),
    ROW(SC_OCCLUSION_GAIN, "sc_occlusion_gain", "1", "1", 2.0, 0.0, 10.0, true,
        "estimate: SC up to 2x thicker/hydrated after 90 min water contact (Egawa 2007)",
        "relative rise of SC diffusivity while occluded"),
    ROW(MEDIATOR_DIAMETER, "mediator_diameter", "nm", "um", 5.0, 2.0, 15.0, true,
        "estimate: Stokes diameter of 15-70 kDa cytokines and growth factors",
        "hydrodynamic diameter of soluble mediators (SC permeability)"),
    ROW(FILM_DECAY_HALF_LIFE, "film_decay_half_life", "d", "h", 2.0, 0.5, 10.0, true,
        "estimate: skin surface 32 C, no tissue proteases; storage loss 51 % in 48 h at 4 C is mostly adsorption (Evtushenko 2020)",
        "functional half-life of vesicles in the surface film and follicles"),
    ROW(TISSUE_DECAY_HALF_LIFE, "tissue_decay_half_life", "d", "h", 1.5, 0.5, 3.0, true,
        "estimate: equations.md default 1.5 d (literature 1.3: local retention 0.5-3 d)",
        "functional half-life of free vesicles in tissue"),
    ROW(LYMPH_CLEAR_HALF_LIFE, "lymph_clearance_half_life", "d", "h", 2.0, 0.5, 7.0, true,
        "estimate: equations.md (vesicles too large for blood capillaries; 'rapid dissipation' of free EVs, Li 2024)",
        "lymphatic clearance half-life in the dermis"),
    ROW(CAP_CLEAR_HALF_LIFE, "capillary_clearance_half_life", "h", "h", 2.0, 0.5, 12.0, true,
        "estimate: small proteins leave the papillary dermis through capillaries within hours",
        "capillary clearance half-life of soluble mediators in the papillary dermis"),
    ROW(EVAP_RATE, "evaporation_rate", "um/h", "um/h", 30.0, 5.0, 100.0, true,
        "estimate: a 1 mg/cm^2 (10 um) aqueous film on skin dries in ~20 min",
        "water loss of an unoccluded film"),
    ROW(FILM_DRY_THICKNESS, "film_dry_thickness", "um", "um", 0.5, 0.05, 2.0, true,
        "estimate: residual water layer below which vesicles are immobilised (equations.md w_min)",
        "film water thickness at which transfer stops"),
    ROW(FOLLICLE_ENTRY_VELOCITY, "follicle_entry_velocity", "um/h", "um/h", 20.0, 1.0, 1000.0, true,
        "estimate: infundibular volume ~0.19 mm^3/cm^2 (Otberg 2004, R) caps entry at a few % of a film; 120 nm is below the 300-600 nm optimum (Patzelt 2011)",
        "rate of film entry into follicle orifices, per orifice area"),
    ROW(FOLLICLE_DEPTH, "follicle_release_depth", "um", "um", 300.0, 100.0, 500.0, true,
        "estimate: infundibulum depth 100-500 um (equations.md)",
        "depth at which the follicular reservoir releases into tissue"),
    ROW(FOLLICLE_RELEASE_HALF_LIFE, "follicle_release_half_life", "d", "h", 10.0, 2.0, 30.0, true,
        "Lademann 2006-07: follicles store particles ~10x longer than the SC (SC reservoir ~1 d, estimate)",
        "release half-life of the follicular reservoir into tissue"),
    ROW(MN_DEPTH_FRACTION, "needle_depth_fraction", "1", "1", 0.4, 0.2, 0.8, true,
        "Kalluri 2011 (770 um -> 152 um, 20 %, rat); Donnelly 2010 (600 -> 460 um, 77 %, human)",
        "effective channel depth / needle length"),
    ROW(MN_CHANNEL_DIAMETER, "channel_diameter", "um", "um", 70.0, 30.0, 150.0, false,
        "Kalluri 2011: surface diameter 70.7 +/- 9.9 um", "surface diameter of a microneedle channel"),
    ROW(MN_CLOSE_HALF_LIFE, "channel_closure_half_life", "h", "h", 0.7, 0.25, 3.0, true,
        "Gupta 2011: unoccluded human barrier recovered within 2 h; Kalluri 2011 rat TEWL 4-5 h (90 % closed at 2.3 h)",
        "half-life of open channel area without occlusion"),
    ROW(MN_CLOSE_HALF_LIFE_OCCLUDED, "channel_closure_half_life_occluded", "h", "h", 23.0, 10.0, 40.0, false,
        "PMC8259462: modelled closure half-life 20.2-25.9 h under occlusion (n=35)",
        "half-life of open channel area under occlusion"),
    ROW(CHANNEL_FILL_RATE, "channel_fill_rate", "1/h", "1/h", 4.0, 0.5, 60.0, true,
        "estimate: serum is drawn into fresh channels by capillarity within ~15 min",
        "exchange rate between the surface film and open channel fluid"),
    ROW(LASER_REEPI_TIME, "laser_reepithelialisation_time", "h", "h", 48.0, 24.0, 72.0, true,
        "estimate: literature 2.6 (E): re-epithelialisation of microthermal zones 24-72 h",
        "time for 90 % closure of laser zones"),
    ROW(INJECTION_SPREAD, "injection_spread", "um", "um", 200.0, 50.0, 600.0, true,
        "estimate: an intradermal wheal is a flattened bleb ~0.5 mm thick",
        "depth standard deviation of an injected bolus"),
    ROW(ASSUMED_CONC, "assumed_concentration", "particles/mL", "1/um^3", 1e10, 1e9, 1.5e10, true,
        "Capricor web page: 1-15 x 10^9 exosomes/mL (B); used only when a label states none",
        "particle concentration assumed for a product of unknown concentration"),
    ROW(D_CYTOKINE, "cytokine_diffusivity", "um^2/s", "um^2/h", 30.0, 10.0, 100.0, true,
        "estimate: equations.md, cytokines ~30 um^2/s in tissue", "diffusivity of I, R, T, G in tissue"),
    ROW(D_MMP, "mmp_diffusivity", "um^2/s", "um^2/h", 10.0, 3.0, 30.0, true,
        "estimate: equations.md, MMP ~10 um^2/s", "diffusivity of MMP activity in tissue"),
    ROW(I_HALF_LIFE, "inflammatory_half_life", "h", "h", 1.0, 0.25, 4.0, true,
        "estimate: equations.md, I t1/2 ~1 h", "decay of pro-inflammatory signal I"),
    ROW(R_HALF_LIFE, "resolving_half_life", "h", "h", 4.0, 2.0, 6.0, true,
        "estimate: equations.md, R t1/2 2-6 h", "decay of resolving signal R"),
    ROW(T_HALF_LIFE, "tgfb_half_life", "h", "h", 4.0, 2.0, 6.0, true,
        "estimate: equations.md, T t1/2 2-6 h", "decay of TGF-beta-like signal T"),
    ROW(G_HALF_LIFE, "growth_factor_half_life", "h", "h", 3.0, 2.0, 6.0, true,
        "estimate: equations.md, G t1/2 2-6 h", "decay of growth-factor activity G"),
    ROW(M_HALF_LIFE, "mmp_half_life", "h", "h", 7.0, 5.0, 10.0, true,
        "estimate: equations.md, M t1/2 5-10 h", "decay of MMP activity M"),
};

const exo_param_info *exo_param_table(void) { return table; }

const exo_param_info *exo_param_find(const char *key, exo_param_id *id)
{
    for (int i = 0; i < EXO_P_COUNT; i++) {
        if (strcmp(table[i].key, key) == 0) {
            if (id)
                *id = (exo_param_id)i;
            return &table[i];
        }
    }
    return NULL;
}

exo_status exo_paramset_defaults(exo_units *u, exo_paramset *p)
{
    for (int i = 0; i < EXO_P_COUNT; i++) {
        exo_status st = exo_units_convert(u, table[i].value, table[i].unit, table[i].internal, &p->v[i]);
        if (st != EXO_OK)
            return st;
    }
    return EXO_OK;
}
