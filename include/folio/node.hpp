// The folio service of a node (`folio serve`), as its clients see it: a
// connection that carries length-framed binary messages, one request and
// its response at a time, and the encoding of the values in them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "folio/error.hpp"

namespace folio::node {

// Bumped when a message changes; a node of another version is refused.
inline constexpr std::uint64_t kProtocolVersion = 3;  // 3: copy keys (facets, hits), hits' documents
// No message is longer (a registry of a million entities is far less).
inline constexpr std::uint32_t kMaxMessage = 1u << 30;

// The first byte of a request: what it asks. The requests only read.
enum class Request : std::uint8_t {
  hello = 1,            // version -> version, tcpsrv port, schema version, shard states, shard paths
  metadata = 2,         // prefix, exact -> states, (key, value) pairs of every shard
  count_metadata = 3,   // prefix -> states, how many keys start with it over the shards
  facets = 4,           // facet passes (query, specs), copy pass -> states, counts per pass
                        // and spec, the copy pass's copy keys
  hits = 5,             // query, terms, patterns, docids, copy query, content keys -> states,
                        // per hit: terms, collapse count, doc; per content key: its articles
                        // and their matching sections
  termfreqs = 6,        // terms -> states, each term's frequency
  stats = 7,            // -> states, the node's part of `folio stats`
  entity_counts = 8,    // groups of entity terms -> states, sections and articles of each
  metadata_values = 9,  // keys -> states, per key the values of the shards that have it
};
// Every response that reads the index starts with the shard states, for the
// client to see that all the answers of one search come from one revision.

// A node's failure to answer: down, timed out, or a broken connection.
// what() names it: "node 127.0.0.1:7000 is not answering: Connection refused".
class NodeError : public Error {
 public:
  NodeError(std::string node, const std::string& message) : Error(message), node_(std::move(node)) {}
  const std::string& node() const { return node_; }

 private:
  std::string node_;
};

// A node's shards changed (it committed or was rebuilt) between two
// requests of one search: reopen the index and search again.
class ShardChanged : public Error {
 public:
  using Error::Error;
};

// A shard's identity and state: a change of either means it was updated
// (revision) or replaced (uuid) since it was last seen.
struct ShardState {
  std::string uuid;
  std::uint64_t revision = 0;
  bool operator==(const ShardState&) const = default;
};

// Appends values to a message.
class Writer {
 public:
  Writer& put_uint(std::uint64_t v);
  Writer& put_string(std::string_view s);
  Writer& put_double(double v);
  Writer& put_states(const std::vector<ShardState>& states);
  Writer& put_strings(const std::vector<std::string>& strings);
  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads the values of a message in the order they were written. Throws
// folio::Error ("a malformed message ...") when it ends early.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t get_uint();
  std::string get_string();
  double get_double();
  std::vector<ShardState> get_states();
  std::vector<std::string> get_strings();
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// Where a node's folio service is: "HOST:PORT", or a command whose stdin
// and stdout carry the protocol (`ssh host folio --db DIR serve --stdio`).
struct Endpoint {
  std::string host;  // empty for a command
  std::uint16_t port = 0;
  std::vector<std::string> command;
  // "HOST:PORT" or the command line, for messages.
  std::string name() const;
};

// Parses "HOST:PORT" ("[::1]:PORT" for IPv6). Throws folio::Error.
Endpoint parse_address(std::string_view text);

// One connection to a node's folio service, opened when first used and
// opened again when it breaks (an idle connection the node closed): every
// request only reads, so sending it again is safe. Not thread-safe: one
// thread uses a connection at a time.
class Connection {
 public:
  // `timeout_ms`: how long a connect or an answer may take.
  explicit Connection(Endpoint endpoint, int timeout_ms = 10000);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const Endpoint& endpoint() const { return endpoint_; }

  // Sends a request (its first byte a Request) and returns the response.
  // Throws NodeError when the node cannot be reached or does not answer in
  // time, folio::Error with the node's message when it refuses the request.
  std::string call(const std::string& request);
  // Sends every request before reading any response (one round trip for
  // all of them) and returns the responses in order. Throws as call().
  std::vector<std::string> call_all(const std::vector<std::string>& requests);

 private:
  void open();
  void close();
  std::vector<std::string> exchange(const std::vector<std::string>& requests);

  Endpoint endpoint_;
  int timeout_ms_;
  int in_ = -1;   // read from
  int out_ = -1;  // written to (the same socket as in_ for TCP)
  int child_ = -1;
};

// Makes a peer that went away an error of the write to it, not a SIGPIPE
// that kills the process (Xapian's remote backend writes to pipes too).
void ignore_broken_pipes();

// Framing, for the service side: reads one message from `fd` (false at a
// clean end of input), writes one. Throw folio::Error on a broken stream.
bool read_message(int fd, std::string& message, int timeout_ms);
void write_message(int fd, std::string_view message);

// A response: 0 then the payload, or 1 then a message for the user.
std::string ok_response(std::string_view payload);
std::string error_response(std::string_view message);

}  // namespace folio::node
