#include "folio/database.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "folio/error.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

// Names the process that holds the write lock, for the message a second
// writer gets. Never needs deleting: Xapian's own lock is what counts.
constexpr const char* kPidFile = "folio.pid";

[[noreturn]] void throw_not_folio(const fs::path& dir, std::string_view what) {
  throw Error(
      fmt::format("{} is not a folio index: it holds {}; choose an empty or new folder "
                  "with --db (or $FOLIO_DB)",
                  dir.string(), what));
}

void check_version(const Xapian::Database& db, const fs::path& dir) {
  const std::string stored = db.get_metadata(std::string(schema::kVersionKey));
  const std::string expected = std::to_string(schema::kVersion);
  // Every folio index has a version; a database without one is not folio's.
  if (stored.empty()) throw_not_folio(dir, "a Xapian database that folio did not make");
  if (stored != expected) {
    throw Error(
        fmt::format("the index at {} has schema version {}, this folio uses version {}: "
                    "delete it and run `folio index` again",
                    dir.string(), stored, expected));
  }
}

// A line of the stub file: a shard folder ("auto shard0", or an absolute
// path to another index's shard in a cluster index) or a node ("remote
// HOST:PORT", "remote :PROGRAM ARGS").
struct StubLine {
  bool remote = false;
  std::string target;  // after "auto " or "remote "
};

// The lines of the stub file, or nullopt when there is no stub file.
std::optional<std::vector<StubLine>> read_stub_lines(const fs::path& dir) {
  std::ifstream in(dir / schema::kStubFile);
  if (!in) return std::nullopt;
  std::vector<StubLine> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    constexpr std::string_view kAuto = "auto ", kRemote = "remote ";
    StubLine l;
    if (line.starts_with(kRemote)) {
      l.remote = true;
      l.target = line.substr(kRemote.size());
    } else if (line.starts_with(kAuto)) {
      l.target = line.substr(kAuto.size());
    }
    const bool ok =
        l.remote
            ? (l.target.starts_with(':') ? l.target.size() > 1 : l.target.find(':') != std::string::npos)
            : !l.target.empty() && (l.target.starts_with('/') ||
                                    (l.target.find('/') == std::string::npos && !l.target.starts_with('.')));
    if (!ok) {
      throw Error(fmt::format("the index at {} is damaged: bad line in {}: {}", dir.string(),
                              schema::kStubFile, line));
    }
    lines.push_back(std::move(l));
  }
  if (lines.empty()) {
    throw Error(
        fmt::format("the index at {} is damaged: {} lists no shard", dir.string(), schema::kStubFile));
  }
  return lines;
}

// The shard folders of an index folio may write (the names of its "auto"
// lines), or nullopt when there is no stub file. Throws folio::Error for a
// cluster index.
std::optional<std::vector<std::string>> read_stub(const fs::path& dir) {
  std::optional<std::vector<StubLine>> lines = read_stub_lines(dir);
  if (!lines) return std::nullopt;
  std::vector<std::string> names;
  for (const StubLine& l : *lines) {
    if (l.remote || l.target.starts_with('/')) {
      throw Error(
          fmt::format("the index at {} is a cluster index (it searches other indexes, {}): run `folio "
                      "index` on each node, with its own --db",
                      dir.string(), l.remote ? "remote " + l.target : l.target));
    }
    names.push_back(l.target);
  }
  return names;
}

// Written to a temporary file and renamed: readers see the whole list or none.
void write_stub(const fs::path& dir, const std::vector<std::string>& names) {
  const fs::path stub = dir / schema::kStubFile;
  const fs::path tmp = dir / (std::string(schema::kStubFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const std::string& name : names) out << "auto " << name << '\n';
    out.flush();
    if (!out) throw Error(fmt::format("cannot write {}", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, stub, ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", stub.string(), ec.message()));
}

// An index made before shards (schema 5 and older) is one glass database
// in the folder itself: say which version it has.
[[noreturn]] void reject_unsharded(const fs::path& dir) {
  check_version(Xapian::Database(dir.string(), Xapian::DB_BACKEND_GLASS), dir);
  throw Error(fmt::format("the index at {} is damaged: no {} file", dir.string(), schema::kStubFile));
}

// Why the process cannot write in `dir` (strerror), or "" if it can.
std::string unwritable_reason(const fs::path& dir) {
  if (::access(dir.c_str(), W_OK) == 0) return "";
  return std::strerror(errno);
}

// A folder that has no stub file yet may hold what an interrupted creation
// left (the pid file, shard folders, the stub's temporary file), nothing
// else: folio does not write into a folder of other files.
void check_no_foreign_files(const fs::path& dir) {
  static const std::regex kShard("shard[0-9]+");
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kPidFile || name == std::string(schema::kStubFile) + ".tmp" ||
        (std::regex_match(name, kShard) && entry.is_directory(ec))) {
      continue;
    }
    throw_not_folio(dir, fmt::format("other files ({})", name));
  }
}

std::size_t committed_articles(const fs::path& dir) {
  return Index(dir).count_metadata(schema::kFileKeyPrefix);
}

// "<state> (N articles)", e.g. "the index is as of the last commit (12
// articles)"; without the count when the index cannot be read either.
std::string committed_state(const fs::path& dir, std::string_view state) {
  try {
    const std::size_t n = committed_articles(dir);
    return fmt::format("{} ({} article{})", state, n, n == 1 ? "" : "s");
  } catch (const std::exception&) {
    return std::string(state);
  }
}

bool is_errno(const Xapian::Error& e, std::initializer_list<int> codes) {
  const char* reason = e.get_error_string();
  // A failed commit whose rollback failed too ("Modifications failed
  // (... (No space left on device)), and couldn't open at the old
  // revision") names the first error in its message only.
  const std::string& message = e.get_msg();
  return std::any_of(codes.begin(), codes.end(), [&](int code) {
    return (reason != nullptr && std::strcmp(reason, std::strerror(code)) == 0) ||
           message.find(fmt::format("({})", std::strerror(code))) != std::string::npos;
  });
}

}  // namespace

namespace {

// The cluster file: where the folio service of each remote line is, and
// how long a node may take (`folio join --timeout`).
struct ClusterFile {
  std::map<std::string, node::Endpoint> services;
  std::optional<int> timeout_ms;
};

ClusterFile read_cluster_file(const fs::path& dir) {
  ClusterFile file;
  std::map<std::string, node::Endpoint>& services = file.services;
  std::ifstream in(dir / kClusterFile);
  if (!in) return file;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.contains("timeout_ms")) file.timeout_ms = j.at("timeout_ms").get<int>();
    for (const nlohmann::json& n : j.at("nodes")) {
      node::Endpoint e;
      if (n.contains("service_command")) {
        e.command = n.at("service_command").get<std::vector<std::string>>();
        if (e.command.empty()) throw Error("an empty service_command");
      } else {
        e = node::parse_address(n.at("service").get<std::string>());
      }
      services[n.at("remote").get<std::string>()] = std::move(e);
    }
  } catch (const std::exception& e) {
    throw Error(fmt::format("the index at {} is damaged: bad {}: {}", dir.string(), kClusterFile, e.what()));
  }
  return file;
}

// The folio service of a remote line without an entry in the cluster file:
// `folio serve` listens on the port before xapian-tcpsrv's.
node::Endpoint default_service(const fs::path& dir, const std::string& remote) {
  if (remote.starts_with(':')) {
    throw Error(
        fmt::format("the index at {} has no folio service for 'remote {}': name it in {} "
                    "(docs/remote.md)",
                    dir.string(), remote, kClusterFile));
  }
  node::Endpoint e = node::parse_address(remote);
  if (e.port < 2) throw Error(fmt::format("bad remote line in {}: remote {}", dir.string(), remote));
  e.port = static_cast<std::uint16_t>(e.port - 1);
  return e;
}

// What a node's service says of itself: its shards, after checking that it
// speaks this protocol and serves an index of this schema.
std::vector<node::ShardState> hello(node::Connection& service) {
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::hello)).put_uint(node::kProtocolVersion);
  const std::string response = service.call(w.data());
  node::Reader r(response);
  const std::uint64_t version = r.get_uint();
  r.get_uint();  // xapian-tcpsrv's port, for `folio join`
  const std::uint64_t schema_version = r.get_uint();
  if (version != node::kProtocolVersion) {
    throw Error(fmt::format("node {} speaks folio protocol {}, this folio {}: run the same folio version",
                            service.endpoint().name(), version, node::kProtocolVersion));
  }
  if (schema_version != static_cast<std::uint64_t>(schema::kVersion)) {
    throw Error(fmt::format("node {} has an index of schema version {}, this folio uses version {}",
                            service.endpoint().name(), schema_version, schema::kVersion));
  }
  return r.get_states();
}

// Xapian's remote database of a remote line.
Xapian::Database open_remote(const std::string& remote, int timeout_ms) {
  const auto timeout = static_cast<useconds_t>(timeout_ms);
  if (remote.starts_with(':')) {
    const std::string command = remote.substr(1);
    const std::size_t space = command.find(' ');
    return Xapian::Remote::open(command.substr(0, space),
                                space == std::string::npos ? "" : command.substr(space + 1), timeout);
  }
  const node::Endpoint e = node::parse_address(remote);
  return Xapian::Remote::open(e.host, e.port, timeout, timeout);
}

}  // namespace

Index::Index(const fs::path& dir, const OpenOptions& options)
    : dir_(fs::absolute(dir).lexically_normal()), options_(options) {
  // "db/" normalises to "db/", with an empty file name: drop it.
  if (!dir_.has_filename() && dir_.has_parent_path() && dir_ != dir_.root_path()) {
    dir_ = dir_.parent_path();
  }
  std::error_code ec;
  std::optional<std::vector<StubLine>> lines = read_stub_lines(dir);
  if (!lines) {
    if (fs::exists(dir / "iamglass", ec)) reject_unsharded(dir);
    throw Error(fmt::format("no index at {}: run `folio index <folder>` first", dir.string()));
  }
  std::vector<std::string> remotes;
  for (const StubLine& l : *lines) {
    if (l.remote) remotes.push_back(l.target);
  }
  std::vector<Xapian::Database> remote_dbs;
  if (!remotes.empty()) open_nodes(remotes, remote_dbs);
  // Positions in stub order, the nodes that did not answer left out.
  std::size_t next_remote = 0, node = 0;
  for (const StubLine& l : *lines) {
    if (l.remote) {
      const std::size_t k = next_remote++;
      if (!remote_dbs[k].size()) continue;
      nodes_[node++].position = parts_++;
      all_.add_database(remote_dbs[k]);
      continue;
    }
    const fs::path path = l.target.starts_with('/') ? fs::path(l.target) : dir / l.target;
    Xapian::Database shard(path.string(), Xapian::DB_BACKEND_GLASS);
    check_version(shard, l.target.starts_with('/') ? path.parent_path() : dir);
    all_.add_database(shard);
    shards_.push_back(std::move(shard));
    shard_positions_.push_back(parts_++);
    shard_paths_.push_back(fs::absolute(path).lexically_normal());
  }
  if (parts_ == 0) {
    throw Error(fmt::format("no node of the cluster index at {} answers ({})", dir.string(),
                            fmt::join(missing_, ", ")));
  }
}

void Index::open_nodes(const std::vector<std::string>& remotes, std::vector<Xapian::Database>& remote_dbs) {
  const ClusterFile file = read_cluster_file(dir_);
  const std::map<std::string, node::Endpoint>& services = file.services;
  const int timeout_ms = file.timeout_ms.value_or(options_.timeout_ms);
  struct Opened {
    IndexNode node;
    Xapian::Database db;
    std::exception_ptr error;
  };
  std::vector<Opened> opened(remotes.size());
  node::ignore_broken_pipes();
  for (std::size_t k = 0; k < remotes.size(); ++k) {
    auto it = services.find(remotes[k]);
    opened[k].node.remote = remotes[k];
    opened[k].node.service = std::make_shared<node::Connection>(
        it != services.end() ? it->second : default_service(dir_, remotes[k]), timeout_ms);
  }
  auto open_one = [&](Opened& o) {
    // The service's hello and Xapian's own connection (xapian-tcpsrv forks
    // and opens the shards) at the same time; the service's failure first.
    std::exception_ptr remote_error;
    {
      std::jthread remote([&] {
        try {
          o.db = open_remote(o.node.remote, timeout_ms);
        } catch (const Xapian::NetworkError& e) {
          remote_error = std::make_exception_ptr(
              node::NodeError(o.node.name(), fmt::format("node {} is not answering (remote {}): {}",
                                                         o.node.name(), o.node.remote, e.get_msg())));
        } catch (...) {
          remote_error = std::current_exception();
        }
      });
      try {
        o.node.shards = hello(*o.node.service);
      } catch (...) {
        o.error = std::current_exception();
      }
    }
    if (!o.error) o.error = remote_error;
  };
  {
    std::vector<std::jthread> threads;
    for (Opened& o : opened) threads.emplace_back(open_one, std::ref(o));
  }
  for (Opened& o : opened) {
    if (o.error) {
      try {
        std::rethrow_exception(o.error);
      } catch (const node::NodeError& e) {
        if (!options_.partial) throw;
        missing_.push_back(e.node());
      }
      remote_dbs.emplace_back();
      continue;
    }
    remote_dbs.push_back(o.db);
    nodes_.push_back(std::move(o.node));
  }
}

std::size_t Index::shard_count() const {
  std::size_t n = shards_.size();
  for (const IndexNode& node : nodes_) n += node.shards.size();
  return n;
}

const Xapian::Database* Index::local_part(std::size_t position) const {
  for (std::size_t k = 0; k < shard_positions_.size(); ++k) {
    if (shard_positions_[k] == position) return &shards_[k];
  }
  return nullptr;
}

void Index::for_each_node(const std::function<void(const IndexNode&)>& fn) const {
  if (nodes_.size() == 1) {
    fn(nodes_.front());
    return;
  }
  std::vector<std::exception_ptr> errors(nodes_.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      threads.emplace_back([&, k] {
        try {
          fn(nodes_[k]);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

void Index::check_unchanged(const IndexNode& node, const std::vector<node::ShardState>& states) const {
  if (states != node.shards) {
    throw node::ShardChanged(fmt::format("the index of node {} changed during the search", node.name()));
  }
}

namespace {

// Every (key, value) of a node's shards whose key starts with `prefix`
// (is `prefix`, when exact), shard by shard.
std::vector<std::pair<std::string, std::string>> node_metadata(const IndexNode& node, std::string_view prefix,
                                                               bool exact) {
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::metadata)).put_string(prefix).put_uint(exact ? 1 : 0);
  const std::string response = node.service->call(w.data());
  node::Reader r(response);
  r.get_states();
  const std::uint64_t n = r.get_uint();
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string key = r.get_string();
    out.emplace_back(std::move(key), r.get_string());
  }
  return out;
}

}  // namespace

void Index::for_each_metadata(std::string_view prefix,
                              const std::function<void(const std::string&, const std::string&)>& fn) const {
  const std::string p(prefix);
  for (const Xapian::Database& shard : shards_) {
    for (auto it = shard.metadata_keys_begin(p); it != shard.metadata_keys_end(p); ++it) {
      fn(*it, shard.get_metadata(*it));
    }
  }
  std::vector<std::vector<std::pair<std::string, std::string>>> per_node(nodes_.size());
  for_each_node([&](const IndexNode& node) {
    per_node[static_cast<std::size_t>(&node - nodes_.data())] = node_metadata(node, prefix, false);
  });
  for (const auto& pairs : per_node) {
    for (const auto& [key, value] : pairs) fn(key, value);
  }
}

std::size_t Index::count_metadata(std::string_view prefix) const {
  const std::string p(prefix);
  std::size_t n = 0;
  for (const Xapian::Database& shard : shards_) {
    for (auto it = shard.metadata_keys_begin(p); it != shard.metadata_keys_end(p); ++it) ++n;
  }
  std::vector<std::size_t> per_node(nodes_.size());
  for_each_node([&](const IndexNode& node) {
    node::Writer w;
    w.put_uint(static_cast<std::uint8_t>(node::Request::count_metadata)).put_string(prefix);
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    r.get_states();
    per_node[static_cast<std::size_t>(&node - nodes_.data())] = r.get_uint();
  });
  for (std::size_t k : per_node) n += k;
  return n;
}

std::optional<schema::EntityRecord> Index::entity(schema::EntityRecord::Type type,
                                                  std::string_view id) const {
  const std::string key = schema::entity_key(type, id);
  std::optional<schema::EntityRecord> merged;
  auto merge = [&](const std::string& stored) {
    if (stored.empty()) return;
    schema::EntityRecord r = schema::EntityRecord::from_json(type, id, stored);
    if (merged) {
      merged->add_aliases(r.aliases);
    } else {
      merged = std::move(r);
    }
  };
  for (const Xapian::Database& shard : shards_) merge(shard.get_metadata(key));
  if (auto cached = node_entities_.find(key); cached != node_entities_.end()) {
    for (const std::string& value : cached->second) merge(value);
    return merged;
  }
  std::vector<std::vector<std::pair<std::string, std::string>>> per_node(nodes_.size());
  for_each_node([&](const IndexNode& node) {
    per_node[static_cast<std::size_t>(&node - nodes_.data())] = node_metadata(node, key, true);
  });
  for (const auto& pairs : per_node) {
    for (const auto& kv : pairs) merge(kv.second);
  }
  return merged;
}

void Index::prefetch_entities(
    const std::vector<std::pair<schema::EntityRecord::Type, std::string>>& ids) const {
  std::vector<std::string> keys;
  for (const auto& [type, id] : ids) {
    std::string key = schema::entity_key(type, id);
    if (node_entities_.count(key) == 0 && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  }
  if (keys.empty() || nodes_.empty()) return;
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::metadata_values)).put_strings(keys);
  std::vector<std::vector<std::vector<std::string>>> per_node(nodes_.size());
  for_each_node([&](const IndexNode& node) {
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    r.get_states();
    std::vector<std::vector<std::string>>& values = per_node[static_cast<std::size_t>(&node - nodes_.data())];
    values.resize(r.get_uint());
    for (std::vector<std::string>& v : values) v = r.get_strings();
  });
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::vector<std::string>& values = node_entities_[keys[k]];
    for (const auto& node_values : per_node) {
      if (k < node_values.size()) values.insert(values.end(), node_values[k].begin(), node_values[k].end());
    }
  }
}

std::vector<schema::EntityRecord> Index::entities(schema::EntityRecord::Type type) const {
  const std::string prefix = schema::entity_key(type, "");
  std::map<std::string, schema::EntityRecord> merged;
  for_each_metadata(prefix, [&](const std::string& key, const std::string& value) {
    std::string id = key.substr(prefix.size());
    schema::EntityRecord r = schema::EntityRecord::from_json(type, id, value);
    if (auto it = merged.find(id); it != merged.end()) {
      it->second.add_aliases(r.aliases);
    } else {
      merged.emplace(std::move(id), std::move(r));
    }
  });
  std::vector<schema::EntityRecord> out;
  out.reserve(merged.size());
  for (auto& [id, record] : merged) out.push_back(std::move(record));
  return out;
}

void Index::reopen() {
  all_.reopen();
  for (Xapian::Database& shard : shards_) shard.reopen();
  std::vector<std::exception_ptr> errors(nodes_.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      threads.emplace_back([&, k] {
        try {
          nodes_[k].shards = hello(*nodes_[k].service);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

namespace {

// The shard names of a new index at `dir`, once it is known that folio may
// create one there.
std::vector<std::string> new_index_shards(const fs::path& dir, unsigned new_shards) {
  std::error_code ec;
  if (fs::exists(dir / "iamglass", ec)) reject_unsharded(dir);
  check_no_foreign_files(dir);
  if (const std::string reason = unwritable_reason(dir); !reason.empty()) {
    throw Error(
        fmt::format("cannot create an index at {}: {}; choose a folder you can write "
                    "with --db (or $FOLIO_DB)",
                    dir.string(), reason));
  }
  std::vector<std::string> names;
  const unsigned n = std::clamp(new_shards, 1u, schema::kMaxShards);
  for (unsigned k = 0; k < n; ++k) names.push_back(schema::shard_name(k));
  return names;
}

// Opens (or creates) each shard for writing, which takes Xapian's lock.
WritableIndex open_shards(const fs::path& dir, const std::vector<std::string>& names) {
  WritableIndex index;
  index.dir = dir;
  try {
    for (const std::string& name : names) {
      index.shards.emplace_back((dir / name).string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    }
  } catch (const Xapian::DatabaseLockError&) {
    // Xapian cannot create its lock file in a read-only folder either.
    if (const std::string reason = unwritable_reason(dir); !reason.empty()) {
      throw Error(
          fmt::format("cannot write to the index at {}: {}; {}; make the folder "
                      "writable and run the same command again",
                      dir.string(), reason, committed_state(dir, "the index is as it was")));
    }
    // Xapian's lock is held by the other writer's process and released
    // when it exits; the pid file only names that process.
    std::ifstream in(dir / kPidFile);
    std::string pid;
    std::getline(in, pid);
    throw Error(fmt::format("the index at {} is being updated by another folio process{}", dir.string(),
                            pid.empty() ? "" : fmt::format(" (pid {})", pid)));
  }
  return index;
}

// Writes the schema version into new shards, and checks it in every one.
void stamp_and_check_versions(WritableIndex& index) {
  try {
    for (Xapian::WritableDatabase& shard : index.shards) {
      if (shard.get_metadata(std::string(schema::kVersionKey)).empty() && shard.get_doccount() == 0) {
        shard.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
        shard.commit();
      }
      check_version(shard, index.dir);
    }
  } catch (const Xapian::Error&) {
    rethrow_write_error(index.dir, std::current_exception());
  }
}

}  // namespace

WritableIndex open_for_writing(const fs::path& dir, unsigned new_shards) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create index directory {}: {}", dir.string(), ec.message()));
  }
  std::optional<std::vector<std::string>> names = read_stub(dir);
  const bool create = !names;
  if (create) names = new_index_shards(dir, new_shards);
  WritableIndex index = open_shards(dir, *names);
  stamp_and_check_versions(index);
  // Once the index is known to be folio's and this process holds the lock.
  {
    std::ofstream out(dir / kPidFile, std::ios::trunc);
    out << ::getpid() << '\n';
  }
  // Last, once every shard exists: until then readers see no index.
  if (create) write_stub(dir, *names);
  return index;
}

void WritableIndex::close() {
  try {
    for (Xapian::WritableDatabase& s : shards) s.close();
  } catch (const Xapian::Error&) {
    rethrow_write_error(dir, std::current_exception());
  }
}

void rethrow_write_error(const fs::path& dir, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Xapian::Error& e) {
    if (is_errno(e, {ENOSPC, EDQUOT})) {
      throw Error(
          fmt::format("no space left on the device holding the index at {}; {}; free "
                      "space and run the same command again",
                      dir.string(), committed_state(dir, "the index is as of the last commit")));
    }
    if (is_errno(e, {EROFS, EACCES, EPERM})) {
      throw Error(fmt::format(
          "cannot write to the index at {}: {}; {}; make the folder "
          "writable and run the same command again",
          dir.string(), e.get_error_string(), committed_state(dir, "the index is as of the last commit")));
    }
    throw;
  }
}

}  // namespace folio
