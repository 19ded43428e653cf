/* rng.c - counter-based random numbers: the value is a hash of its key
 * (seed, purpose, index, counter), so streams do not depend on call order,
 * thread count or MPI decomposition.  The mixer is SplitMix64's finaliser
 * (Steele, Lea & Flood 2014), applied in a chain over the key words. */
#include <exoskin/exo_core.h>

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t exo_rng_u64(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t counter)
{
    const uint64_t golden = 0x9e3779b97f4a7c15ULL;
    uint64_t h = mix64(seed + golden);
    h = mix64(h ^ (purpose + 2 * golden));
    h = mix64(h ^ (index + 3 * golden));
    h = mix64(h ^ (counter + 4 * golden));
    return h;
}

double exo_rng_uniform(uint64_t seed, uint64_t purpose, uint64_t index, uint64_t counter)
{
    /* 53 random bits, shifted by half an ulp so that 0 and 1 never occur */
    uint64_t r = exo_rng_u64(seed, purpose, index, counter) >> 11;
    return ((double)r + 0.5) * (1.0 / 9007199254740992.0);
}
