#include "folio/node.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace folio::node {
namespace {

[[noreturn]] void malformed() {
  throw Error("a malformed message from a folio node (another folio version?)");
}

// Waits until `fd` is ready for `events`; false on timeout.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Reads exactly `n` bytes; 0 at end of input before any, -1 on timeout.
int read_exactly(int fd, char* buf, std::size_t n, int timeout_ms) {
  std::size_t got = 0;
  while (got < n) {
    if (!wait_for(fd, POLLIN, timeout_ms)) return -1;
    const ssize_t r = ::read(fd, buf + got, n - got);
    if (r == 0) {
      if (got == 0) return 0;
      throw Error("the connection closed in the middle of a message");
    }
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw Error(fmt::format("cannot read: {}", std::strerror(errno)));
    }
    got += static_cast<std::size_t>(r);
  }
  return 1;
}

void set_nosigpipe() {
  // A peer that went away must be an error, not a signal that kills folio.
  static const bool once = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)once;
}

// A message with its length before it.
std::string frame_of(std::string_view message) {
  if (message.size() > kMaxMessage) throw Error("a message too long for the folio protocol");
  const auto n = static_cast<std::uint32_t>(message.size());
  std::string frame;
  frame.reserve(message.size() + 4);
  frame += static_cast<char>(n >> 24);
  frame += static_cast<char>((n >> 16) & 0xff);
  frame += static_cast<char>((n >> 8) & 0xff);
  frame += static_cast<char>(n & 0xff);
  frame.append(message);
  return frame;
}

void write_all(int fd, std::string_view bytes) {
  set_nosigpipe();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + sent, bytes.size() - sent);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw Error(fmt::format("cannot write: {}", std::strerror(errno)));
    }
    sent += static_cast<std::size_t>(w);
  }
}

}  // namespace

Writer& Writer::put_uint(std::uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
  return *this;
}

Writer& Writer::put_string(std::string_view s) {
  put_uint(s.size());
  out_.append(s);
  return *this;
}

Writer& Writer::put_double(double v) { return put_uint(std::bit_cast<std::uint64_t>(v)); }

Writer& Writer::put_states(const std::vector<ShardState>& states) {
  put_uint(states.size());
  for (const ShardState& s : states) put_string(s.uuid).put_uint(s.revision);
  return *this;
}

Writer& Writer::put_strings(const std::vector<std::string>& strings) {
  put_uint(strings.size());
  for (const std::string& s : strings) put_string(s);
  return *this;
}

std::uint64_t Reader::get_uint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in_.empty()) malformed();
    const auto byte = static_cast<unsigned char>(in_.front());
    in_.remove_prefix(1);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  malformed();
}

std::string Reader::get_string() {
  const std::uint64_t n = get_uint();
  if (n > in_.size()) malformed();
  std::string s(in_.substr(0, n));
  in_.remove_prefix(n);
  return s;
}

double Reader::get_double() { return std::bit_cast<double>(get_uint()); }

std::vector<ShardState> Reader::get_states() {
  const std::uint64_t n = get_uint();
  if (n > in_.size()) malformed();
  std::vector<ShardState> states(n);
  for (ShardState& s : states) {
    s.uuid = get_string();
    s.revision = get_uint();
  }
  return states;
}

std::vector<std::string> Reader::get_strings() {
  const std::uint64_t n = get_uint();
  if (n > in_.size()) malformed();
  std::vector<std::string> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(get_string());
  return out;
}

std::string Endpoint::name() const {
  if (host.empty()) {
    std::string out;
    for (const std::string& word : command) out += (out.empty() ? "" : " ") + word;
    return out;
  }
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

Endpoint parse_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  auto bad = [&] {
    return Error(fmt::format("bad address '{}': give HOST:PORT, e.g. 127.0.0.1:7000", text));
  };
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) throw bad();
  Endpoint e;
  std::string_view host = text.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty()) throw bad();
  e.host = std::string(host);
  unsigned port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') throw bad();
    port = port * 10 + static_cast<unsigned>(c - '0');
    if (port > 65535) throw bad();
  }
  if (port == 0) throw bad();
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

bool read_message(int fd, std::string& message, int timeout_ms) {
  char header[4];
  const int r = read_exactly(fd, header, sizeof header, timeout_ms);
  if (r == 0) return false;
  if (r < 0) throw Error("timed out");
  const std::uint32_t n = (static_cast<std::uint32_t>(static_cast<unsigned char>(header[0])) << 24) |
                          (static_cast<std::uint32_t>(static_cast<unsigned char>(header[1])) << 16) |
                          (static_cast<std::uint32_t>(static_cast<unsigned char>(header[2])) << 8) |
                          static_cast<std::uint32_t>(static_cast<unsigned char>(header[3]));
  if (n > kMaxMessage) malformed();
  message.resize(n);
  if (n > 0 && read_exactly(fd, message.data(), n, timeout_ms) != 1) throw Error("timed out");
  return true;
}

void write_message(int fd, std::string_view message) { write_all(fd, frame_of(message)); }

void ignore_broken_pipes() { set_nosigpipe(); }

std::string ok_response(std::string_view payload) {
  std::string out(1, '\0');
  out.append(payload);
  return out;
}

std::string error_response(std::string_view message) {
  std::string out(1, '\1');
  out.append(message);
  return out;
}

Connection::Connection(Endpoint endpoint, int timeout_ms)
    : endpoint_(std::move(endpoint)), timeout_ms_(timeout_ms) {}

Connection::~Connection() { close(); }

void Connection::close() {
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0 && out_ != in_) ::close(out_);
  in_ = out_ = -1;
  if (child_ > 0) {
    int status = 0;
    ::kill(child_, SIGTERM);
    ::waitpid(child_, &status, 0);
    child_ = -1;
  }
}

void Connection::open() {
  set_nosigpipe();
  if (endpoint_.host.empty()) {
    // A command (ssh ...): its stdin and stdout are the connection. A
    // failed exec writes its errno to `exec_failed`, which an exec closes.
    int to_child[2], from_child[2], exec_failed[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0 ||
        ::pipe2(exec_failed, O_CLOEXEC) != 0) {
      throw NodeError(endpoint_.name(),
                      fmt::format("cannot start '{}': {}", endpoint_.name(), std::strerror(errno)));
    }
    // Made before fork(): another thread may hold malloc's lock.
    std::vector<char*> argv;
    for (const std::string& word : endpoint_.command) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 1);
      ::execvp(argv[0], argv.data());
      const int error = errno;
      [[maybe_unused]] const ssize_t n = ::write(exec_failed[1], &error, sizeof error);
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    ::close(exec_failed[1]);
    int error = 0;
    if (pid > 0) {
      ssize_t n = 0;
      while ((n = ::read(exec_failed[0], &error, sizeof error)) < 0 && errno == EINTR) {
      }
      if (n != static_cast<ssize_t>(sizeof error)) error = 0;
      if (error != 0) ::waitpid(pid, nullptr, 0);
    } else {
      error = errno;
    }
    ::close(exec_failed[0]);
    if (pid < 0 || error != 0) {
      ::close(to_child[1]);
      ::close(from_child[0]);
      throw NodeError(endpoint_.name(),
                      fmt::format("node {} is not answering: cannot run '{}': {}", endpoint_.name(),
                                  endpoint_.command.front(), std::strerror(error)));
    }
    child_ = pid;
    in_ = from_child[0];
    out_ = to_child[1];
    return;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint_.port);
  if (const int rc = ::getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw NodeError(endpoint_.name(),
                    fmt::format("node {} is not answering: {}", endpoint_.name(), ::gai_strerror(rc)));
  }
  std::string reason = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (wait_for(fd, POLLOUT, timeout_ms_)) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        errno = err;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if (rc == 0) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(found);
      in_ = out_ = fd;
      return;
    }
    reason = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  throw NodeError(endpoint_.name(), fmt::format("node {} is not answering: {}", endpoint_.name(), reason));
}

std::vector<std::string> Connection::exchange(const std::vector<std::string>& requests) {
  if (in_ < 0) open();
  // One write for all the frames: a single segment on the wire.
  std::string frames;
  for (const std::string& request : requests) frames += frame_of(request);
  write_all(out_, frames);
  std::vector<std::string> responses(requests.size());
  for (std::string& response : responses) {
    if (!read_message(in_, response, timeout_ms_)) throw Error("the node closed the connection");
  }
  return responses;
}

std::string Connection::call(const std::string& request) { return call_all({request}).front(); }

std::vector<std::string> Connection::call_all(const std::vector<std::string>& requests) {
  std::vector<std::string> responses;
  // A connection the node closed while idle fails once: open it again.
  for (int attempt = 0;; ++attempt) {
    const bool fresh = in_ < 0;
    try {
      responses = exchange(requests);
      break;
    } catch (const NodeError&) {
      close();
      throw;
    } catch (const Error& e) {
      close();
      if (fresh || attempt > 0) {
        throw NodeError(endpoint_.name(),
                        fmt::format("node {} is not answering: {}", endpoint_.name(), e.what()));
      }
    }
  }
  for (std::string& response : responses) {
    if (response.empty()) malformed();
    if (response[0] != '\0') {
      throw Error(fmt::format("node {}: {}", endpoint_.name(), std::string_view(response).substr(1)));
    }
    response.erase(0, 1);
  }
  return responses;
}

}  // namespace folio::node
