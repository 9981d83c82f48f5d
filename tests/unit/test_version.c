/*
 * test_version.c — the library's version string (pricing/version.c):
 * lsd_version() is "major.minor.patch", nothing before or after.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static void version_is_major_minor_patch(void **state)
{
    (void)state;
    const char *v = lsd_version();
    assert_non_null(v);
    int major, minor, patch, end = 0;
    assert_int_equal(sscanf(v, "%d.%d.%d%n", &major, &minor, &patch, &end), 3);
    assert_int_equal((size_t)end, strlen(v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_is_major_minor_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
