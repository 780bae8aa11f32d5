#include "tests/bench/aggregator/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

extern char** environ;

namespace silt::bench {
namespace {

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Reaps `pid` and fills `usage` (all but wall time). IOError naming `what` unless it exited 0.
Status Reap(pid_t pid, const std::string& what, ChildUsage* usage) {
  int wstatus = 0;
  rusage ru{};
  pid_t reaped;
  do {
    reaped = ::wait4(pid, &wstatus, 0, &ru);
  } while (reaped < 0 && errno == EINTR);
  if (reaped < 0) return Status::FromErrno(errno, "waiting for " + what);
  usage->user_s = Seconds(ru.ru_utime);
  usage->sys_s = Seconds(ru.ru_stime);
  usage->max_rss_kib = ru.ru_maxrss;
  if (WIFSIGNALED(wstatus)) {
    return Status::IOError(what + " was killed by signal " + std::to_string(WTERMSIG(wstatus)));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::IOError(what + " exited with status " + std::to_string(WEXITSTATUS(wstatus)));
  }
  return Status::Ok();
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Result<ChildUsage> RunCommand(const std::vector<std::string>& argv,
                              const std::string& stdout_path) {
  std::string what = "'";
  for (const std::string& arg : argv) what += (what.size() > 1 ? " " : "") + arg;
  what += " > " + stdout_path + "'";
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::FromErrno(rc, "starting " + what + " (is it installed?)");
  ChildUsage usage;
  SILT_RETURN_IF_ERROR(Reap(pid, what, &usage));
  usage.wall_s = SecondsSince(start);
  return usage;
}

Result<ChildOutput> RunInChild(const std::string& what,
                               const std::function<Result<std::string>()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe for " + what);
  std::fflush(nullptr);  // nothing buffered may be written twice
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::FromErrno(error, "fork for " + what);
  }
  if (pid == 0) {
    ::close(fds[0]);
    Result<std::string> result = body();
    std::string reply(1, static_cast<char>(result.ok() ? StatusCode::kOk : result.status().code()));
    reply += result.ok() ? *result : std::string(result.status().message());
    ::_exit(WriteAll(fds[1], reply) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string reply;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  ChildOutput output;
  SILT_RETURN_IF_ERROR(Reap(pid, what, &output.usage));
  output.usage.wall_s = SecondsSince(start);
  if (reply.empty()) return Status::IOError(what + " ended without a result");
  auto code = static_cast<StatusCode>(reply[0]);
  reply.erase(0, 1);
  if (code != StatusCode::kOk) return Status(code, what + ": " + reply);
  output.message = std::move(reply);
  return output;
}

}  // namespace silt::bench
