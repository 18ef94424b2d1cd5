// folio version (and folio --version): folio's, Xapian's and the index
// schema's versions, the three things a bug report needs.
#include <fmt/format.h>
#include <xapian.h>

#include "command.hpp"
#include "folio/schema.hpp"

namespace folio::cli {

std::string version_text() {
  // Xapian's version is the library folio runs with, not the headers it was
  // built against: they differ after an upgrade of libxapian30.
  return fmt::format("folio {}\nXapian {}\nindex schema version {}", FOLIO_VERSION, Xapian::version_string(),
                     schema::kVersion);
}

void add_version_command(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("version",
                         "Print folio's version, the Xapian library's and the index schema version "
                         "(as --version does).");
  sub->callback([&ctx] {
    ctx.run = [] {
      fmt::print("{}\n", version_text());
      return kExitFound;
    };
  });
}

}  // namespace folio::cli
