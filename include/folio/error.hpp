// folio::Error: the one exception type folio's libraries throw for problems a
// user can act on (bad input, missing index, wrong schema version).
#pragma once

#include <stdexcept>
#include <string>

namespace folio {

// A failure with a message meant for the user, one line, no "folio:" prefix.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace folio
