// The folio service of a node (`folio serve`): answers the requests of
// folio's protocol (include/folio/node.hpp) from the node's own index, on
// Xapian's public API, for what Xapian's remote protocol does not carry.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "folio/database.hpp"

namespace folio::node {

// One per connection: Xapian databases are not thread-safe. It only reads.
class Service {
 public:
  // Opens the local index at `dir` (throws as Index does, and folio::Error
  // for a cluster index: a node serves its own shards). `tcpsrv_port`: the
  // port of the node's xapian-tcpsrv, for `folio join` to write in the stub.
  Service(const std::filesystem::path& dir, std::uint16_t tcpsrv_port);

  // The response to one request (ok_response or error_response); never throws.
  std::string answer(const std::string& request);

 private:
  std::string dispatch(const std::string& request);

  Index index_;
  std::uint16_t tcpsrv_port_;
};

}  // namespace folio::node
