#ifndef TOKEN_WARDEN_CZLIB_SHIM_H
#define TOKEN_WARDEN_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2 is a macro; Swift needs a function.
static inline int tw_inflate_init_gzip(z_streamp s) { return inflateInit2(s, 15 + 32); }
#endif
