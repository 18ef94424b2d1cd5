// folio join: writes a cluster index folder, a Xapian stub naming the
// nodes' xapian-tcpsrv and the shards of local indexes, and the file that
// says where each node's folio service is.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/node.hpp"

namespace folio::cli {
namespace {
namespace fs = std::filesystem;

struct JoinArgs {
  std::vector<std::string> nodes;
  std::vector<std::string> ssh;  // HOST:DIR
  std::string ssh_program = "ssh";
  std::vector<std::string> locals;
  double timeout = 10;  // seconds
};

// What a node's folio service says of itself.
struct Hello {
  std::uint16_t tcpsrv_port = 0;
  std::vector<std::string> shard_paths;
};

Hello hello(const node::Endpoint& service) {
  node::Connection c(service);
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::hello)).put_uint(node::kProtocolVersion);
  const std::string response = c.call(w.data());
  node::Reader r(response);
  if (r.get_uint() != node::kProtocolVersion) {
    throw Error(fmt::format("node {} runs another folio version", service.name()));
  }
  Hello out;
  out.tcpsrv_port = static_cast<std::uint16_t>(r.get_uint());
  r.get_uint();    // schema version: opening the cluster checks it
  r.get_states();  // likewise
  out.shard_paths = r.get_strings();
  return out;
}

// A node reached through ssh: `ssh HOST xapian-progsrv SHARD...` for the
// stub, `ssh HOST folio --db DIR serve --stdio` for its service.
nlohmann::json ssh_node(const JoinArgs& args, const std::string& host_dir, std::string& stub) {
  const std::size_t colon = host_dir.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == host_dir.size()) {
    throw Error(fmt::format("--ssh {}: give HOST:DIR, the node's index folder on that host", host_dir));
  }
  const std::string host = host_dir.substr(0, colon), dir = host_dir.substr(colon + 1);
  node::Endpoint service;
  service.command = {args.ssh_program, host, "folio", "--db", dir, "serve", "--stdio"};
  std::string remote = fmt::format(":{} {} xapian-progsrv", args.ssh_program, host);
  for (const std::string& path : hello(service).shard_paths) {
    // Xapian splits a program's arguments at spaces.
    if (path.find_first_of(" \t") != std::string::npos) {
      throw Error(fmt::format("--ssh {}: the shard folder '{}' has a space, which the stub cannot hold",
                              host_dir, path));
    }
    remote += " " + path;
  }
  stub += fmt::format("remote {}\n", remote);
  return {{"remote", remote}, {"service_command", service.command}};
}

void write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error(fmt::format("cannot write {}", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", path.string(), ec.message()));
}

int run_join(const GlobalOptions& global, const JoinArgs& args) {
  const fs::path dir = database_dir(global);
  std::error_code ec;
  // Only a new folder or a cluster folder is written: never a node's index.
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !fs::exists(dir / kClusterFile, ec)) {
    throw Error(
        fmt::format("{} is not empty and not a cluster index: give a new folder with --db", dir.string()));
  }
  std::string stub;
  nlohmann::json nodes = nlohmann::json::array();
  for (const std::string& address : args.nodes) {
    const node::Endpoint service = node::parse_address(address);
    node::Endpoint tcpsrv = service;
    tcpsrv.port = hello(service).tcpsrv_port;
    stub += fmt::format("remote {}\n", tcpsrv.name());
    nodes.push_back({{"remote", tcpsrv.name()}, {"service", service.name()}});
  }
  for (const std::string& host_dir : args.ssh) nodes.push_back(ssh_node(args, host_dir, stub));
  std::size_t local_shards = 0;
  for (const std::string& local : args.locals) {
    const Index index(local);
    if (index.is_cluster()) throw Error(fmt::format("--local {} is a cluster index: give its nodes", local));
    for (const fs::path& shard : index.local_shard_paths()) stub += fmt::format("auto {}\n", shard.string());
    local_shards += index.local_shards().size();
  }
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  const int timeout_ms = static_cast<int>(args.timeout * 1000);
  write_file(dir / kClusterFile,
             nlohmann::json{{"version", 1}, {"timeout_ms", timeout_ms}, {"nodes", nodes}}.dump(2) + "\n");
  write_file(dir / schema::kStubFile, stub);
  // Opening it checks every node once more, as a search would.
  const Index cluster(dir);
  const std::size_t joined = args.nodes.size() + args.ssh.size();
  fmt::print("joined {} node{} ({} shards) and {} local shard{} into {}\n", joined, joined == 1 ? "" : "s",
             cluster.shard_count() - local_shards, local_shards, local_shards == 1 ? "" : "s",
             cluster.dir().string());
  return kExitFound;
}

}  // namespace

void add_join_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<JoinArgs>();
  CLI::App* sub = app.add_subcommand(
      "join",
      "Write a cluster index at --db: one index over the nodes (`folio serve` on each machine) and local "
      "indexes, that `folio search`, `show`, `entities` and `stats` read as one. Each node indexes its own "
      "folders; the cluster is not indexed itself (docs/remote.md).");
  sub->add_option("NODE", args->nodes, "ADDR:PORT of a node's `folio serve --listen`")
      ->type_name("ADDR:PORT");
  sub->add_option(
         "--ssh", args->ssh,
         "A node reached through ssh, for a network you do not trust: HOST (as ssh takes it) and the "
         "node's index folder there. Each search runs `ssh HOST xapian-progsrv SHARD...` and `ssh HOST "
         "folio --db DIR serve --stdio`; no `folio serve` is needed there")
      ->type_name("HOST:DIR");
  sub->add_option("--ssh-program", args->ssh_program, "The ssh program that --ssh runs")
      ->type_name("PROGRAM")
      ->capture_default_str();
  sub->add_option("--local", args->locals, "A local index to search with the nodes")->type_name("DIR");
  sub->add_option("--timeout", args->timeout,
                  "How long a node may take to connect or answer before a search fails naming it "
                  "(or, with --partial, goes on without it)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0))
      ->default_str("10");
  sub->callback([&ctx, args] {
    ctx.run = [&ctx, args] {
      if (args->nodes.empty() && args->ssh.empty() && args->locals.empty()) {
        throw Error("give the nodes to join (ADDR:PORT...)");
      }
      return run_join(ctx.global, *args);
    };
  });
}

}  // namespace folio::cli
