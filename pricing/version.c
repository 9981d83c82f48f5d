/*
 * version.c — lsd_version (lsdopt.h): the library's version string, set by
 * the build (LSDOPT_VERSION_STRING, the project version in CMakeLists.txt).
 *
 * Layer: beside the umbrella (pricing/) — includes lsdopt.h only.
 */
#include "lsdopt.h"

const char *lsd_version(void)
{
    return LSDOPT_VERSION_STRING;
}
