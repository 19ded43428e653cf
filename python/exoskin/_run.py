"""Running a scenario in-process through libexoskin's public C API (cffi, ABI mode)."""
import os
import tempfile

import cffi

from ._tables import load

_CDEF = """
typedef int exo_status;
typedef struct exo_ctx exo_ctx;
typedef struct exo_units exo_units;
typedef struct exo_config exo_config;
typedef struct exo_result exo_result;
typedef struct { const char *key; const char *value; } exo_override;
typedef void (*exo_progress_fn)(void *user, double fraction);
const char *exo_version(void);
exo_status exo_ctx_create(uint64_t seed, exo_ctx **out);
void exo_ctx_destroy(exo_ctx **ctx);
const char *exo_ctx_last_error(const exo_ctx *ctx);
exo_status exo_ctx_set_language(exo_ctx *ctx, const char *lang);
void exo_free(exo_ctx *ctx, void *p);
exo_status exo_units_create(exo_ctx *ctx, exo_units **out);
void exo_units_destroy(exo_units **u);
exo_status exo_config_create(exo_ctx *ctx, exo_units *u, const char *path, const exo_override *sets,
                             int n_sets, exo_config **out);
void exo_config_destroy(exo_ctx *ctx, exo_config **cfg);
exo_status exo_config_to_yaml(exo_ctx *ctx, const exo_config *cfg, char **out);
exo_status exo_run(exo_ctx *ctx, const exo_config *cfg, exo_progress_fn progress, void *user,
                   exo_result **out);
void exo_result_destroy(exo_result **r);
exo_status exo_result_write(exo_ctx *ctx, const exo_result *r, const char *effective_yaml,
                            const char *dir, bool replace);
"""

_ffi = cffi.FFI()
_ffi.cdef(_CDEF)
_lib = None


class ExoskinError(RuntimeError):
    """A failure reported by the library, with its message (for bad input:
    FILE:LINE:COL: KEY: what is wrong (expected ...))."""


def _open():
    global _lib
    if _lib is None:
        here = os.path.dirname(os.path.abspath(__file__))
        candidates = [os.environ.get("EXOSKIN_LIB")] if os.environ.get("EXOSKIN_LIB") else []
        # installed: PREFIX/lib[/multiarch]/python3.X/dist-packages/exoskin -> PREFIX/lib[/multiarch]
        for up in ("../../..", "../../../.."):
            candidates.append(os.path.normpath(os.path.join(here, up, "libexoskin.so.0")))
        candidates.append("libexoskin.so.0")
        errors = []
        for c in candidates:
            try:
                _lib = _ffi.dlopen(c)
                break
            except OSError as e:
                errors.append("%s: %s" % (c, e))
        if _lib is None:
            raise ExoskinError("cannot load libexoskin (set EXOSKIN_LIB): " + "; ".join(errors))
    return _lib


def version():
    """The version of the loaded library."""
    return _ffi.string(_open().exo_version()).decode()


def run(path, set=None, out=None, lang="en"):
    """Runs the scenario file at `path` with `set` overrides ({"skin.age": "60 years"}, the
    keys and values of `exoskin run --set`), writes its result folder (into `out`, which must
    not exist or be empty; a temporary folder if None) and returns it as a Result."""
    lib = _open()
    overrides = list((set or {}).items())
    keep = [(_ffi.new("char[]", str(k).encode()), _ffi.new("char[]", str(v).encode())) for k, v in overrides]
    sets = _ffi.new("exo_override[]", max(len(keep), 1))
    for i, (k, v) in enumerate(keep):
        sets[i].key, sets[i].value = k, v
    ctx = _ffi.new("exo_ctx **")
    units = _ffi.new("exo_units **")
    cfg = _ffi.new("exo_config **")
    res = _ffi.new("exo_result **")
    yaml = _ffi.new("char **")
    if lib.exo_ctx_create(1, ctx) != 0:
        raise ExoskinError("cannot create an exoskin context")
    try:
        def check(st):
            if st != 0:
                raise ExoskinError(_ffi.string(lib.exo_ctx_last_error(ctx[0])).decode(errors="replace"))
        check(lib.exo_ctx_set_language(ctx[0], lang.encode()))
        check(lib.exo_units_create(ctx[0], units))
        check(lib.exo_config_create(ctx[0], units[0], os.fsencode(path), sets, len(keep), cfg))
        check(lib.exo_run(ctx[0], cfg[0], _ffi.NULL, _ffi.NULL, res))
        check(lib.exo_config_to_yaml(ctx[0], cfg[0], yaml))
        folder = out if out is not None else os.path.join(tempfile.mkdtemp(prefix="exoskin-"), "result")
        check(lib.exo_result_write(ctx[0], res[0], yaml[0], os.fsencode(folder), False))
        return load(folder)
    finally:
        if yaml[0] != _ffi.NULL:
            lib.exo_free(ctx[0], yaml[0])
        lib.exo_result_destroy(res)
        lib.exo_config_destroy(ctx[0], cfg)
        lib.exo_units_destroy(units)
        lib.exo_ctx_destroy(ctx)
