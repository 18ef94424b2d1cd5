// The Catch2 main() shared by folio's test executables.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
