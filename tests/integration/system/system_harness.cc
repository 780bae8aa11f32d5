#include "tests/integration/system/system_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string_view>

#include <simdjson.h>

#include "tests/integration/agent/agent_harness.h"

namespace silt::testing {
namespace {

using agent::testing::AppendToFile;
using agent::testing::ReadAll;
using agent::testing::WriteAll;
using agent::testing::RunProgram;
using agent::testing::WaitFor;

const std::vector<std::string> kFiles = {"app.log", "ct.log"};
constexpr int kLinesPerTick = 10;
constexpr auto kWriteTick = std::chrono::milliseconds(10);

// A loopback port that is free now and that the aggregator keeps across its restarts, so the
// agent can reconnect to it (port 0 would change at every start). It is taken below the kernel's
// ephemeral range (net.ipv4.ip_local_port_range): a port in that range may, while the aggregator
// is down, become the source port of any outgoing connection on the machine (another test's
// client, or this test's own agent, whose connect to it then meets itself), and the restarted
// aggregator could not bind it.
int FreeLoopbackPort() {
  auto bindable = [](int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    socklen_t length = sizeof(address);
    int bound = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      bound = ntohs(address.sin_port);
    }
    ::close(fd);
    return bound;
  };
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  const int top = ephemeral_low - 1;
  const int bottom = std::max(10000, ephemeral_low - 16000);
  if (bottom < top) {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pick(bottom, top);
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (const int port = bindable(pick(random)); port > 0) return port;
    }
  }
  return bindable(0);  // no room below the ephemeral range: any free port
}

std::string Tail(const std::string& text, size_t bytes) {
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

template <typename Container>
std::string FirstFew(const Container& items) {
  std::string text;
  size_t n = 0;
  for (const auto& item : items) {
    if (n++ == 5) return text + " ...";
    text += "\n    \"" + item + "\"";
  }
  return text;
}

}  // namespace

SystemHarness::SystemHarness() {
  for (const char* sub : {"logs", "agent", "data"}) {
    EXPECT_EQ(::mkdir(Path(sub).c_str(), 0755), 0) << sub;
  }
  const Status certs = certs_.Generate();
  EXPECT_TRUE(certs.ok()) << certs;
  port_ = FreeLoopbackPort();
  EXPECT_GT(port_, 0);
  WriteConfigs(TlsSetup{});
}

SystemHarness::~SystemHarness() {
  StopLoad();
  agent_.Kill();
  aggregator_.Kill();
  const char* keep = std::getenv("SILT_TEST_KEEP_DIR");
  if (keep != nullptr && *keep != '\0' && ::testing::Test::HasFailure()) {
    RunProgram({"/bin/cp", "-a", dir_.path(), keep});
  }
}

void SystemHarness::SetTls(const TlsSetup& tls) { WriteConfigs(tls); }

void SystemHarness::WriteConfigs(const TlsSetup& tls) {
  auto or_default = [](const std::string& value, const std::string& fallback) {
    return value.empty() ? fallback : value;
  };
  const std::string address = "127.0.0.1:" + std::to_string(port_);
  WriteAll(Path("aggregator.yaml"),
           "data_dir: " + Path("data") +
               "\n"
               "http:\n  listen: 127.0.0.1:0\n"
               "agent_listener:\n"
               "  listen: " + address + "\n"
               "  tls:\n"
               "    cert_file: " + or_default(tls.server_cert, certs_.server_cert()) + "\n"
               "    key_file: " + or_default(tls.server_key, certs_.server_key()) + "\n"
               "    client_ca_file: " + certs_.ca() + "\n"
               "    client_auth: required\n"
               "syslog:\n  tcp_listen: \"\"\n  udp_listen: \"\"\n");
  WriteAll(Path("agent.yaml"),
           "positions:\n  file: " + Path("agent/positions") +
               "\n  save_interval: 200ms\n"
               "batch:\n  linger: 20ms\n"
               "limits:\n  rotate_wait: 1s\n  max_open_rotated: 256\n"
               "discovery:\n  rescan_interval: 1s\n"
               "status:\n  log_interval: 5s\n"
               "watches:\n  - paths: [" + Path("logs/*.log") + "]\n    labels: {job: e2e}\n"
               "aggregator:\n"
               "  address: " + address + "\n"
               "  backoff_max: 300ms\n"
               "  tls:\n"
               "    ca_file: " + or_default(tls.agent_ca, certs_.ca()) + "\n"
               "    cert_file: " + or_default(tls.agent_cert, certs_.client_cert()) + "\n"
               "    key_file: " + or_default(tls.agent_key, certs_.client_key()) + "\n"
               "    server_name: " + tls.agent_server_name + "\n");
}

void SystemHarness::WriteLine(const std::string& file, const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  AppendToFile(Path("logs/" + file), line + "\n");
  expected_.push_back(line);
}

std::string SystemHarness::AggregatorLog() const { return ReadAll(Path("aggregator.log")); }
std::string SystemHarness::AgentLog() const { return ReadAll(Path("agent.log")); }

bool SystemHarness::WaitForLog(const std::string& which, const std::string& needle,
                               int timeout_ms) {
  return WaitFor(
      [&] {
        const std::string log = which == "agent" ? AgentLog() : AggregatorLog();
        return log.find(needle) != std::string::npos;
      },
      timeout_ms);
}

namespace {
size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}
constexpr char kReadyLine[] = "msg=\"agent listener ready\"";
}  // namespace

void SystemHarness::StartAggregator() {
  ready_lines_before_start_ = CountOf(AggregatorLog(), kReadyLine);
  ASSERT_TRUE(aggregator_.Start({SILT_AGGREGATOR_BINARY, "--config", Path("aggregator.yaml")},
                                Path("aggregator.log")));
}

bool SystemHarness::WaitUntilServing(int timeout_ms) {
  return WaitFor([&] { return CountOf(AggregatorLog(), kReadyLine) > ready_lines_before_start_; },
                 timeout_ms);
}

void SystemHarness::StartAgent() {
  ASSERT_TRUE(agent_.Start({SILT_AGENT_BINARY, "--config", Path("agent.yaml")}, Path("agent.log")));
}

bool SystemHarness::WaitForAgentPositions(int timeout_ms) {
  const std::string positions = Path("agent/positions");
  return WaitFor([&] { return ::access(positions.c_str(), F_OK) == 0; }, timeout_ms);
}

void SystemHarness::StartLoad() {
  stop_load_ = false;
  writer_ = std::thread([this] { WriteLoop(); });
  rotator_ = std::thread([this] { RotateLoop(); });
}

void SystemHarness::StopLoad() {
  stop_load_ = true;
  if (writer_.joinable()) writer_.join();
  if (rotator_.joinable()) rotator_.join();
}

size_t SystemHarness::lines_written() {
  std::lock_guard<std::mutex> lock(mu_);
  return expected_.size();
}

void SystemHarness::Append(const std::string& file, int count) {
  const size_t index = file == kFiles[0] ? 0 : 1;
  std::string text;
  for (int i = 0; i < count; ++i) {
    std::string line = file + " " + std::to_string(counters_[index]++) + " " +
                       std::string(60, static_cast<char>('a' + counters_[index] % 26));
    text += line + "\n";
    expected_.push_back(std::move(line));
  }
  // The same text twice in one write, as a program that logs "retrying" in a loop does: both
  // are lines the user wrote and both must be stored, though they arrive in one read.
  const std::string repeated = file + " the same line every tick";
  for (int i = 0; i < 2; ++i) {
    text += repeated + "\n";
    expected_.push_back(repeated);
  }
  AppendToFile(Path("logs/" + file), text);
}

void SystemHarness::WriteLoop() {
  while (!stop_load_) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& file : kFiles) Append(file, kLinesPerTick);
    }
    std::this_thread::sleep_for(kWriteTick);
  }
}

void SystemHarness::RotateLoop() {
  const std::string state = Path("logrotate.state");
  WriteAll(Path("rotate-create.conf"),
           Path("logs/app.log") + " {\n  rotate 1000\n  create\n  missingok\n}\n");
  WriteAll(Path("rotate-copytruncate.conf"),
           Path("logs/ct.log") + " {\n  rotate 1000\n  copytruncate\n  missingok\n}\n");
  for (int tick = 1; !stop_load_; ++tick) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    std::string output;
    const int rc = RunProgram(
        {"/usr/sbin/logrotate", "-s", state, "-f", Path("rotate-create.conf")}, &output);
    EXPECT_EQ(rc, 0) << output;
    if (tick % 3 != 0) continue;
    std::lock_guard<std::mutex> lock(mu_);  // no write between the copy and the truncation
    EXPECT_EQ(RunProgram({"/usr/sbin/logrotate", "-s", state, "-f",
                          Path("rotate-copytruncate.conf")},
                         &output),
              0)
        << output;
  }
}

std::vector<std::string> SystemHarness::Dump(std::string* error) {
  std::string output;
  const int rc = RunProgram({SILT_AGGREGATOR_BINARY, "dump", "--data-dir", Path("data")}, &output);
  std::vector<std::string> lines;
  if (rc != 0) {
    *error = "silt-aggregator dump exited with " + std::to_string(rc) + ":\n" + Tail(output, 4000);
    return lines;
  }
  simdjson::dom::parser parser;
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) {
    if (text.empty() || text[0] != '{') continue;  // log lines on stderr are logfmt
    std::string_view line;
    if (parser.parse(text).get_object()["line"].get_string().get(line) != simdjson::SUCCESS) {
      *error = "dump printed a line without a \"line\" string: " + text;
      return {};
    }
    lines.emplace_back(line);
  }
  return lines;
}

::testing::AssertionResult SystemHarness::EveryLineStoredOnce(int timeout_ms) {
  std::vector<std::string> expected;
  {
    std::lock_guard<std::mutex> lock(mu_);
    expected = expected_;
  }
  std::map<std::string, int> wanted;  // how often each text was written
  for (const std::string& line : expected) ++wanted[line];
  std::vector<std::string> missing, repeated;
  std::string error;
  std::chrono::milliseconds round_wait(1000);
  const bool complete = WaitFor(
      [&] {
        if (aggregator_.Running()) {
          const int rc = StopAggregator();
          if (rc != 0) error = "silt-aggregator exited with " + std::to_string(rc) + " on SIGTERM";
        }
        std::map<std::string, int> counts;
        for (std::string& line : Dump(&error)) ++counts[std::move(line)];
        missing.clear();
        repeated.clear();
        for (const auto& [line, want] : wanted) {
          const int n = counts[line];
          if (n < want) missing.push_back(line + "\" x" + std::to_string(want - n) + "\"");
          if (n > want) repeated.push_back(line + "\" x" + std::to_string(n - want) + "\"");
        }
        if (missing.empty() || !repeated.empty() || !error.empty()) return true;
        // Give the agent longer each round (1 s, 2 s, 4 s, 8 s): on a slow machine (sanitizers,
        // a busy CI host) reconnecting and delivering may take more than a second, and
        // stopping the aggregator again too soon would starve it.
        StartAggregator();
        WaitUntilServing();
        std::this_thread::sleep_for(round_wait);
        round_wait = std::min(round_wait * 2, std::chrono::milliseconds(8000));
        return false;
      },
      timeout_ms);
  if (complete && missing.empty() && repeated.empty() && error.empty()) {
    return ::testing::AssertionSuccess() << expected.size() << " lines stored once";
  }
  // The agent's decisions that read a file from an unusual place, or not at all: what explains
  // a repeat or a gap, however long ago in the log it happened.
  std::string events;
  std::istringstream agent_log(AgentLog());
  for (std::string text; std::getline(agent_log, text);) {
    for (const char* kind : {"event=found_rotated", "event=truncated", "event=copy_recovered",
                             "event=copy_seen", "event=abandoned", "event=error"}) {
      if (text.find(kind) != std::string::npos) {
        events += text + "\n";
        break;
      }
    }
  }
  return ::testing::AssertionFailure()
         << expected.size() << " lines written; " << missing.size()
         << " missing:" << FirstFew(missing) << "\n  " << repeated.size()
         << " repeated:" << FirstFew(repeated) << "\n  " << error << "\n"
         << "--- agent events (found, truncated, copy, abandoned, error; last 6000 bytes):\n"
         << Tail(events, 6000) << "\n"
         << LogTails();
}

std::string SystemHarness::LogTails(size_t bytes) const {
  return "--- aggregator log (tail):\n" + Tail(AggregatorLog(), bytes) +
         "\n--- agent log (tail):\n" + Tail(AgentLog(), bytes);
}

}  // namespace silt::testing
