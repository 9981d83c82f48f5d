# Findlibcsv — find libcsv (Robert Gamble's CSV parser), which Debian's
# libcsv-dev ships without a pkg-config or CMake file.
#
# Result: target libcsv::libcsv, variables libcsv_FOUND, libcsv_INCLUDE_DIR,
# libcsv_LIBRARY, libcsv_VERSION (from CSV_MAJOR/MINOR/RELEASE in csv.h).
find_path(libcsv_INCLUDE_DIR NAMES csv.h)
find_library(libcsv_LIBRARY NAMES csv)

if(libcsv_INCLUDE_DIR AND EXISTS "${libcsv_INCLUDE_DIR}/csv.h")
  file(STRINGS "${libcsv_INCLUDE_DIR}/csv.h" _csv_defs
       REGEX "^#define CSV_(MAJOR|MINOR|RELEASE) +[0-9]+")
  foreach(part MAJOR MINOR RELEASE)
    string(REGEX MATCH "CSV_${part} +([0-9]+)" _m "${_csv_defs}")
    set(_csv_${part} "${CMAKE_MATCH_1}")
  endforeach()
  set(libcsv_VERSION "${_csv_MAJOR}.${_csv_MINOR}.${_csv_RELEASE}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(libcsv
    REQUIRED_VARS libcsv_LIBRARY libcsv_INCLUDE_DIR
    VERSION_VAR libcsv_VERSION)

if(libcsv_FOUND AND NOT TARGET libcsv::libcsv)
  add_library(libcsv::libcsv UNKNOWN IMPORTED)
  set_target_properties(libcsv::libcsv PROPERTIES
      IMPORTED_LOCATION "${libcsv_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${libcsv_INCLUDE_DIR}")
endif()
mark_as_advanced(libcsv_INCLUDE_DIR libcsv_LIBRARY)
