/*
 * granule runtime shim: shadow <windows.h>.
 *
 * Put this folder first on the include path (-I<granule>/shim/include). It
 * includes the real <windows.h> (the next one on the path, so the project's
 * own NOMINMAX / WIN32_LEAN_AND_MEAN still apply), then defines the recording
 * macros of granule_shim.h after the system prototypes.
 *
 * gcc and clang only (#include_next). With MSVC, force-include
 * granule_shim.h instead: /FI<granule>/shim/granule_shim.h
 */
#if defined(__GNUC__) || defined(__clang__)
#  pragma GCC system_header
#  include_next <windows.h>
#else
#  error "granule shim: #include_next needs gcc or clang; with MSVC use /FI granule_shim.h"
#endif
#include "../granule_shim.h"
