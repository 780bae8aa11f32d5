// Fuzz target for SyslogFramer (aggregator/ingest/syslog). Byte 0 chooses how the rest is cut
// into Feed() calls (0 = all at once, 1 = byte by byte, n = pseudo-random pieces of 1..n bytes);
// bytes 1.. are a received TCP stream. Framing must not depend on the cut: the messages, the
// oversize reports and the outcome (framing lost or not) must equal those of feeding everything
// at once. No message may exceed the limit (256 bytes here), and the framer never buffers more
// than the limit plus the digits of an octet count.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/ingest/syslog/syslog_framer.h"

namespace {

constexpr size_t kMax = 256;

void Check(bool condition) {
  if (!condition) std::abort();
}

struct Collector : silt::ingest::SyslogFramer::Handler {
  void OnMessage(std::string_view message, silt::ingest::Framing framing) override {
    Check(message.size() <= kMax);
    events.push_back("M" + std::to_string(static_cast<int>(framing)) + std::string(message));
  }
  void OnOversize(size_t size, silt::ingest::Framing framing) override {
    Check(size > kMax || framing == silt::ingest::Framing::kLineFeed);
    events.push_back("O" + std::to_string(static_cast<int>(framing)));
  }
  std::vector<std::string> events;
};

// Feeds `stream` cut as `mode` says; returns whether framing survived.
bool Run(std::string_view stream, uint8_t mode, Collector* out) {
  silt::ingest::SyslogFramer framer(kMax, out);
  uint32_t seed = 2166136261u;
  size_t at = 0;
  bool ok = true;
  while (at < stream.size() && ok) {
    size_t n = stream.size() - at;
    if (mode == 1) {
      n = 1;
    } else if (mode > 1) {
      seed = seed * 16777619u + 7;
      n = std::min<size_t>(n, 1 + seed % mode);
    }
    ok = framer.Feed(stream.substr(at, n)).ok();
    Check(framer.buffered() <= kMax + 32);
    at += n;
  }
  if (ok) framer.Finish();
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 256 * 1024) return 0;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  Collector whole;
  Collector cut;
  const bool whole_ok = Run(stream, 0, &whole);
  const bool cut_ok = Run(stream, data[0], &cut);
  Check(whole_ok == cut_ok);
  Check(whole.events == cut.events);
  return 0;
}
