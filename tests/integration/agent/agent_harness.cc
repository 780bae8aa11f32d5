#include "tests/integration/agent/agent_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include <simdjson.h>

extern char** environ;

namespace silt::agent::testing {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

namespace {

bool HasSection(const std::string& yaml, const std::string& key) {
  return yaml.rfind(key + ":", 0) == 0 || yaml.find("\n" + key + ":") != std::string::npos;
}

bool ParseEntry(std::string_view text, OutputEntry* entry) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::object object;
  if (parser.parse(padded).get_object().get(object) != simdjson::SUCCESS) return false;
  std::string_view line, path, source;
  uint64_t offset = 0;
  if (object["line"].get_string().get(line) || object["path"].get_string().get(path) ||
      object["source"].get_string().get(source) || object["offset"].get_uint64().get(offset)) {
    return false;
  }
  entry->line = std::string(line);
  entry->path = std::string(path);
  entry->source = std::string(source);
  entry->offset = offset;
  simdjson::dom::object labels;
  if (object["labels"].get_object().get(labels) == simdjson::SUCCESS) {
    for (auto field : labels) {
      std::string_view value;
      if (field.value.get_string().get(value) == simdjson::SUCCESS) {
        entry->labels[std::string(field.key)] = std::string(value);
      }
    }
  }
  return true;
}

template <typename Container>
std::string FirstFew(const Container& items) {
  std::string text;
  size_t n = 0;
  for (const auto& item : items) {
    if (n++ == 5) {
      text += " ...";
      break;
    }
    text += "\n    \"" + item + "\"";
  }
  return text;
}

}  // namespace

bool WaitFor(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void AppendToFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    ASSERT_GT(n, 0) << path;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

std::string HttpGet(const std::string& address, const std::string& path) {
  const size_t colon = address.rfind(':');
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  if (::inet_pton(AF_INET, address.substr(0, colon).c_str(), &peer.sin_addr) != 1) return "";
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n;
      while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
    }
  }
  ::close(fd);
  return response;
}

int RunProgram(const std::vector<std::string>& argv, std::string* output) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  ::close(pipe_fds[0]);
  if (output != nullptr) *output = text;
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

AgentHarness::AgentHarness() {
  EXPECT_EQ(::mkdir(LogPath("").c_str(), 0755), 0);
  EXPECT_EQ(::mkdir(StatePath("").c_str(), 0755), 0);
}

AgentHarness::~AgentHarness() {
  if (pid_ > 0) Kill();
  // For debugging a failure: SILT_TEST_KEEP_DIR=<dir> keeps a copy of the logs and the state.
  const char* keep = std::getenv("SILT_TEST_KEEP_DIR");
  if (keep != nullptr && *keep != '\0' && ::testing::Test::HasFailure()) {
    RunProgram({"/bin/cp", "-a", root(), keep});
  }
}

void AgentHarness::WriteConfig(const std::string& watches, const std::string& extra) {
  std::string yaml = "positions:\n  file: " + StatePath("positions") + "\n  save_interval: 200ms\n";
  if (!HasSection(extra, "batch")) yaml += "batch:\n  linger: 20ms\n";
  if (!HasSection(extra, "limits")) yaml += "limits:\n  rotate_wait: 1s\n";
  if (!HasSection(extra, "discovery")) yaml += "discovery:\n  rescan_interval: 1s\n";
  if (!HasSection(extra, "status")) yaml += "status:\n  log_interval: 1s\n";
  yaml += "watches:\n" + watches + extra;
  WriteAll(StatePath("agent.yaml"), yaml);
}

void AgentHarness::Start(std::optional<uid_t> uid, void (*before_exec)()) {
  ASSERT_LT(pid_, 0) << "already running";
  const std::string config = StatePath("agent.yaml");
  const std::string output = "jsonl:" + StatePath("out.jsonl");
  std::vector<std::string> argv = {SILT_AGENT_BINARY, "--config", config, "--output", output};
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const int log_fd =
      ::open(StatePath("agent.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(log_fd, 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::dup2(log_fd, 2);
    if (uid.has_value()) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(*uid) != 0 || ::setuid(*uid) != 0) ::_exit(126);
    }
    if (before_exec != nullptr) before_exec();
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  pid_ = pid;
  ++restarts_;
}

int AgentHarness::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const bool exited = WaitFor([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, 15000);
  if (!exited) {
    Kill();
    return -1;
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void AgentHarness::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

size_t AgentHarness::WriteLines(const std::string& file, const std::string& tag, int from, int to,
                                size_t padding) {
  std::string text;
  for (int i = from; i < to; ++i) {
    std::string line = tag + " " + std::to_string(i) + " " + std::string(padding, 'x');
    expected_.push_back(line);
    text += line + "\n";
  }
  AppendToFile(LogPath(file), text);
  return text.size();
}

const std::vector<OutputEntry>& AgentHarness::ReadOutput() {
  const int fd = ::open(StatePath("out.jsonl").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return entries_;
  char buffer[1 << 16];
  ssize_t n;
  while ((n = ::pread(fd, buffer, sizeof(buffer), static_cast<off_t>(output_offset_))) > 0) {
    output_offset_ += static_cast<uint64_t>(n);
    partial_.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t start = 0;
  for (size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
    OutputEntry entry;
    const std::string_view text(partial_.data() + start, end - start);
    if (ParseEntry(text, &entry)) {
      entries_.push_back(std::move(entry));
    } else {
      ++torn_lines_;
    }
  }
  partial_.erase(0, start);
  return entries_;
}

bool AgentHarness::WaitForAll(int timeout_ms) {
  std::set<std::string> missing(expected_.begin(), expected_.end());
  size_t seen = 0;
  return WaitFor(
      [&] {
        const std::vector<OutputEntry>& entries = ReadOutput();
        for (; seen < entries.size(); ++seen) missing.erase(entries[seen].line);
        return missing.empty();
      },
      timeout_ms);
}

bool AgentHarness::WaitForAny(const std::string& prefix, int timeout_ms) {
  size_t seen = 0;
  return WaitFor(
      [&] {
        const std::vector<OutputEntry>& entries = ReadOutput();
        for (; seen < entries.size(); ++seen) {
          if (entries[seen].line.rfind(prefix, 0) == 0) return true;
        }
        return false;
      },
      timeout_ms);
}

::testing::AssertionResult AgentHarness::ExactlyOnce(Check check) {
  ReadOutput();
  std::map<std::string, size_t> counts;
  std::map<std::string, std::set<std::pair<std::string, uint64_t>>> keys;
  for (const OutputEntry& entry : entries_) {
    ++counts[entry.line];
    keys[entry.line].emplace(entry.source, entry.offset);
  }
  std::set<std::string> expected(expected_.begin(), expected_.end());
  std::vector<std::string> missing, repeated, unexpected;
  for (const std::string& line : expected) {
    auto it = counts.find(line);
    if (it == counts.end()) {
      missing.push_back(line);
    } else if (keys[line].size() > 1 || (check == Check::kStrict && it->second > 1)) {
      repeated.push_back(line + "\" x" + std::to_string(it->second) + " (" +
                         std::to_string(keys[line].size()) + " distinct source/offset)\"");
    }
  }
  for (const auto& [line, count] : counts) {
    if (expected.count(line) == 0) unexpected.push_back(line);
  }
  std::map<std::string, size_t> missing_by_tag;
  for (const std::string& line : missing) ++missing_by_tag[line.substr(0, line.find(' '))];
  std::string tags;
  for (const auto& [tag, n] : missing_by_tag) tags += " " + tag + ":" + std::to_string(n);
  const size_t torn = check == Check::kStrict ? torn_lines_ : 0;
  if (missing.empty() && repeated.empty() && unexpected.empty() && torn == 0) {
    return ::testing::AssertionSuccess()
           << expected.size() << " lines, " << entries_.size() << " entries";
  }
  return ::testing::AssertionFailure()
         << expected.size() << " lines expected, " << entries_.size() << " entries; "
         << missing.size() << " missing (by tag" << tags << "):" << FirstFew(missing) << "\n  "
         << repeated.size() << " repeated:" << FirstFew(repeated) << "\n  " << unexpected.size()
         << " unexpected:" << FirstFew(unexpected) << "\n  " << torn_lines_
         << " output lines torn\nagent log:\n"
         << AgentLog().substr(AgentLog().size() > 6000 ? AgentLog().size() - 6000 : 0);
}

std::string AgentHarness::AgentLog() const { return ReadAll(StatePath("agent.log")); }

void AgentHarness::Logrotate(const std::string& conf_body) {
  WriteAll(StatePath("logrotate.conf"), conf_body);
  std::string output;
  const int rc = RunProgram({"/usr/sbin/logrotate", "-s", StatePath("logrotate.state"), "-f",
                             StatePath("logrotate.conf")},
                            &output);
  ASSERT_EQ(rc, 0) << "logrotate failed:\n" << output << "\nconfig:\n" << conf_body;
}

}  // namespace silt::agent::testing
