/*
 * version.c — the library's version string, set by the build.
 */
#include "lsdopt.h"

const char *lsd_version(void)
{
    return LSDOPT_VERSION_STRING;
}
