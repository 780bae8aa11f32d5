#include "tests/bench/api/syslog_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "tests/bench/aggregator/fd_io.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {
namespace {

Status SendOne(const std::string& bytes, int port, size_t index) {
  const std::string what =
      "syslog connection " + std::to_string(index) + " to 127.0.0.1:" + std::to_string(port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket for " + what);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Status status = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0
                      ? WriteAll(fd, bytes, what)
                      : Status::FromErrno(errno, "connect " + what);
  ::close(fd);
  return status;
}

}  // namespace

Result<SyslogStream> SyslogStream::Make(uint64_t lines, int connections, bool octet_counting,
                                        uint32_t line_bytes) {
  if (lines == 0 || connections < 1) {
    return Status::InvalidArgument("syslog: --syslog-lines and --connections must be >= 1");
  }
  loggen::GeneratorOptions options;
  options.format = loggen::Format::kSyslog5424;
  options.line_size = line_bytes;
  options.start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() -
                     60'000'000'000;
  options.step_ns = 1000;
  SILT_ASSIGN_OR_RETURN(auto generator, loggen::Generator::Create(options));
  SyslogStream stream;
  stream.connections_.resize(static_cast<size_t>(connections));
  for (uint64_t i = 0; i < lines; ++i) {
    const std::string_view line = generator->Next().line;
    std::string& out = stream.connections_[i % stream.connections_.size()];
    if (octet_counting) out.append(std::to_string(line.size())).push_back(' ');
    out.append(line);
    if (!octet_counting) out.push_back('\n');
    stream.message_bytes_ += line.size();
  }
  stream.messages_ = lines;
  return stream;
}

Status SyslogStream::Send(int port) const {
  std::vector<Status> results(connections_.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < connections_.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = SendOne(connections_[i], port, i); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& status : results) SILT_RETURN_IF_ERROR(status);
  return Status::Ok();
}

}  // namespace silt::bench
