# folio::compile_options: warnings and sanitizers for every folio target.
add_library(folio_compile_options INTERFACE)
add_library(folio::compile_options ALIAS folio_compile_options)

target_compile_options(folio_compile_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(FOLIO_WARNINGS_AS_ERRORS)
  target_compile_options(folio_compile_options INTERFACE -Werror)
endif()

if(FOLIO_SANITIZE)
  string(REPLACE "," ";" _folio_sanitizers "${FOLIO_SANITIZE}")
  foreach(_s IN LISTS _folio_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "FOLIO_SANITIZE: unknown sanitizer '${_s}' "
                          "(valid: address, undefined, leak, thread)")
    endif()
  endforeach()
  target_compile_options(folio_compile_options INTERFACE
    -fsanitize=${FOLIO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(folio_compile_options INTERFACE -fsanitize=${FOLIO_SANITIZE})
  # GCC 12's -Wmaybe-uninitialized misfires inside libstdc++ (std::function
  # in <regex>) once sanitizer instrumentation is on; the plain build keeps it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(folio_compile_options INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()

if(FOLIO_FUZZ)
  # Coverage instrumentation for libFuzzer in every folio library.
  target_compile_options(folio_compile_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
