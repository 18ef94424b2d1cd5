// folio serve: a node of a cluster. Runs xapian-tcpsrv (a child process,
// read-only) for Xapian's remote protocol and folio's own service for what
// that protocol does not carry, both on the same interface: the service on
// PORT, xapian-tcpsrv on PORT+1.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xapian.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/node.hpp"
#include "folio/node_service.hpp"

namespace folio::cli {
namespace {

constexpr const char* kDefaultListen = "127.0.0.1:7370";
// A connection with no request for this long is closed (the client opens
// it again), as xapian-tcpsrv closes its own idle connections.
constexpr int kIdleTimeoutMs = 60000;

struct ServeArgs {
  std::string listen = kDefaultListen;
  bool stdio = false;
  std::string tcpsrv = "xapian-tcpsrv";
};

int signal_pipe[2] = {-1, -1};

void on_signal(int) {
  const char c = 1;
  [[maybe_unused]] const ssize_t n = ::write(signal_pipe[1], &c, 1);
}

// The listening socket of the folio service. Throws folio::Error.
int listen_on(const node::Endpoint& at) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(at.port);
  if (const int rc = ::getaddrinfo(at.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw Error(fmt::format("cannot listen on {}: {}", at.name(), ::gai_strerror(rc)));
  }
  std::string reason = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 64) == 0) {
      ::freeaddrinfo(found);
      return fd;
    }
    reason = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  throw Error(fmt::format("cannot listen on {}: {}", at.name(), reason));
}

// Starts xapian-tcpsrv on the shards, read-only; it dies with this process.
pid_t start_tcpsrv(const ServeArgs& args, const node::Endpoint& at, const Index& index) {
  std::vector<std::string> words{args.tcpsrv, "--interface",           at.host,
                                 "--port",    std::to_string(at.port), "--quiet"};
  for (const std::filesystem::path& p : index.local_shard_paths()) words.push_back(p.string());
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(fmt::format("cannot start {}: {}", args.tcpsrv, std::strerror(errno)));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // xapian-tcpsrv stops on SIGTERM with kill(0, SIGTERM), to stop its
    // forked connections: in a process group of its own, it stops only them.
    ::setpgid(0, 0);
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// A whole handshake of Xapian's remote protocol: a bare connect that closes
// at once makes xapian-tcpsrv print an exception.
bool can_connect(const node::Endpoint& at) {
  try {
    Xapian::Remote::open(at.host, at.port, 1000, 200);
    return true;
  } catch (const Xapian::Error&) {
    return false;
  }
}

// Waits until xapian-tcpsrv accepts connections. Throws folio::Error when
// it exits first (its port is taken, it is not installed).
void wait_for_tcpsrv(pid_t pid, const node::Endpoint& at, const std::string& program) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      throw Error(
          fmt::format("{} could not serve on {} (exit status {}): is the port free, and xapian-tools "
                      "installed?",
                      program, at.name(), WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
    }
    if (can_connect(at)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw Error(fmt::format("{} did not start serving on {}", program, at.name()));
}

std::string peer_name(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "?";
  }
  return fmt::format("{}:{}", host, port);
}

// Answers the requests of one connection until it closes or idles out.
void serve_connection(const std::filesystem::path& dir, std::uint16_t tcpsrv_port, int in, int out,
                      const std::string& peer) {
  std::size_t requests = 0;
  std::string why = "closed";
  try {
    node::Service service(dir, tcpsrv_port);
    std::string request;
    while (node::read_message(in, request, kIdleTimeoutMs)) {
      node::write_message(out, service.answer(request));
      ++requests;
    }
  } catch (const std::exception& e) {
    why = e.what();
  }
  // On stdio (ssh) stderr is the searching user's terminal: no log there.
  if (peer == "stdio") return;
  fmt::print(stderr, "folio serve: {} {} after {} request{}\n", peer, why, requests,
             requests == 1 ? "" : "s");
}

int run_serve(const GlobalOptions& global, const ServeArgs& args) {
  const std::filesystem::path dir = database_dir(global);
  if (args.stdio) {
    serve_connection(dir, 0, 0, 1, "stdio");
    return kExitFound;
  }
  const node::Endpoint at = node::parse_address(args.listen);
  if (at.port == 65535) throw Error("--listen: the port must leave PORT+1 free for xapian-tcpsrv");
  node::Endpoint tcpsrv_at = at;
  tcpsrv_at.port = static_cast<std::uint16_t>(at.port + 1);
  // Refuses a cluster index or a missing one before anything starts.
  { node::Service check(dir, tcpsrv_at.port); }
  const Index index(dir);
  const int listener = listen_on(at);
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0) throw Error("cannot create a pipe");
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  const pid_t tcpsrv = start_tcpsrv(args, tcpsrv_at, index);
  auto stop_tcpsrv = [&] {
    ::kill(tcpsrv, SIGTERM);
    int status = 0;
    ::waitpid(tcpsrv, &status, 0);
  };
  try {
    wait_for_tcpsrv(tcpsrv, tcpsrv_at, args.tcpsrv);
  } catch (...) {
    stop_tcpsrv();
    throw;
  }
  fmt::print(stderr, "folio serve: serving {} on {} (xapian-tcpsrv on {}, read-only)\n", index.dir().string(),
             at.name(), tcpsrv_at.name());
  for (;;) {
    pollfd fds[2] = {{listener, POLLIN, 0}, {signal_pipe[0], POLLIN, 0}};
    const int r = ::poll(fds, 2, 1000);
    if (r < 0 && errno != EINTR) break;
    if ((fds[1].revents & POLLIN) != 0) {
      fmt::print(stderr, "folio serve: stopping\n");
      break;
    }
    int status = 0;
    if (::waitpid(tcpsrv, &status, WNOHANG) == tcpsrv) {
      ::close(listener);
      throw Error(fmt::format("{} stopped: the node stops too", args.tcpsrv));
    }
    if (r <= 0 || (fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    // A client sends several requests before it reads (Connection::call_all):
    // Nagle's algorithm would hold each answer after the first until the
    // client's delayed ACK of it, tens of milliseconds.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::string peer = peer_name(fd);
    fmt::print(stderr, "folio serve: {} connected\n", peer);
    std::thread([dir, port = tcpsrv_at.port, fd, peer] {
      serve_connection(dir, port, fd, fd, peer);
      ::close(fd);
    }).detach();
  }
  ::close(listener);
  stop_tcpsrv();
  return kExitFound;
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Serve the index (--db) to other machines' `folio search` (a node of a cluster: see `folio join` and "
      "docs/remote.md). Runs xapian-tcpsrv, read-only, on PORT+1 and folio's own service on PORT; stops "
      "both on SIGTERM or Ctrl-C. Nothing is ever written through it.");
  sub->add_option("--listen", args->listen,
                  "ADDR:PORT to listen on: folio's service on PORT, xapian-tcpsrv on PORT+1. Loopback by "
                  "default: anyone who can connect can read the index")
      ->type_name("ADDR:PORT")
      ->capture_default_str();
  sub->add_flag("--stdio", args->stdio,
                "Answer one client on stdin and stdout instead, without xapian-tcpsrv (for ssh: the "
                "cluster file's service_command, with xapian-progsrv for the stub)");
  sub->add_option("--tcpsrv", args->tcpsrv, "The xapian-tcpsrv program to run")->capture_default_str();
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_serve(ctx.global, *args); }; });
}

}  // namespace folio::cli
