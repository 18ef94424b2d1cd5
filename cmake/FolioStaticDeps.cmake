# FOLIO_STATIC_DEPS: link gumbo, cmark, uchardet, ICU and jemalloc into the
# programs as static archives instead of shared objects. Every folio process
# otherwise loads and relocates seven more shared objects at start-up
# (ICU alone is three, with some 13,000 relocations), which a search or
# `folio --version` pays for without using them (docs/benchmarks.md, start-up).
# Each library whose archive Debian ships (libgumbo.a, libcmark.a,
# libuchardet.a, libicu*.a, libjemalloc_pic.a) is switched; the others stay
# shared.

# Repoints an imported target at a static archive, for every configuration.
function(_folio_use_archive target archive)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${archive}" IMPORTED_LOCATION_RELEASE "${archive}"
    IMPORTED_LOCATION_DEBUG "${archive}")
endfunction()

# pkg-config targets carry their libraries in INTERFACE_LINK_LIBRARIES.
function(_folio_static_pkg target archive_name)
  find_library(_archive NAMES ${archive_name} NO_CACHE)
  if(TARGET ${target} AND _archive)
    set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${_archive};${ARGN}")
    message(STATUS "folio: ${target} linked statically (${_archive})")
  endif()
endfunction()

if(FOLIO_STATIC_DEPS)
  _folio_static_pkg(PkgConfig::GUMBO libgumbo.a)
  _folio_static_pkg(PkgConfig::CMARK libcmark.a)
  _folio_static_pkg(PkgConfig::UCHARDET libuchardet.a)
  _folio_static_pkg(PkgConfig::JEMALLOC libjemalloc_pic.a Threads::Threads ${CMAKE_DL_LIBS} m)
  find_library(_icu_i18n NAMES libicui18n.a NO_CACHE)
  find_library(_icu_uc NAMES libicuuc.a NO_CACHE)
  find_library(_icu_data NAMES libicudata.a NO_CACHE)
  if(_icu_i18n AND _icu_uc AND _icu_data)
    _folio_use_archive(ICU::i18n "${_icu_i18n}")
    _folio_use_archive(ICU::uc "${_icu_uc}")
    # Archives resolve left to right: i18n needs uc, uc needs the data.
    set_target_properties(ICU::i18n PROPERTIES INTERFACE_LINK_LIBRARIES ICU::uc)
    set_target_properties(ICU::uc PROPERTIES INTERFACE_LINK_LIBRARIES
      "${_icu_data};Threads::Threads;${CMAKE_DL_LIBS}")
    message(STATUS "folio: ICU linked statically (${_icu_i18n} ${_icu_uc} ${_icu_data})")
  endif()
endif()
