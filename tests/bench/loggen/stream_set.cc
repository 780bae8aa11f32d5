#include "tests/bench/loggen/stream_set.h"

#include <span>
#include <string_view>

#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

constexpr uint32_t kMaxStreams = 1'000'000;

// names[i % size] for the first `size` values, then "<name>-<round>" (round >= 2).
std::string NthName(std::span<const std::string_view> names, uint32_t i) {
  std::string value(names[i % names.size()]);
  const uint32_t round = i / static_cast<uint32_t>(names.size());
  if (round > 0) {
    value += '-';
    value += std::to_string(round + 1);
  }
  return value;
}

// c^3, saturating (2642245^3 is the last cube below 2^64).
uint64_t Cube(uint64_t c) { return c > 2'642'245 ? UINT64_MAX : c * c * c; }

uint32_t AutoCardinality(uint32_t streams) {
  uint32_t c = 1;
  while (Cube(c) < streams) ++c;
  return c;
}

void AppendJsonPair(const std::string& name, const std::string& value, std::string* out) {
  // Label values come from the vocabulary (letters, digits, '-'), so no escaping is needed.
  *out += '"';
  *out += name;
  *out += "\":\"";
  *out += value;
  *out += '"';
}

Stream MakeStream(Format format, uint32_t s, uint32_t c) {
  const uint32_t d0 = s % c;
  const uint32_t d1 = (s / c) % c;
  const uint32_t d2 = (s / c / c) % c;
  Stream stream;
  stream.index = s;
  stream.format =
      format == Format::kMixed ? ConcreteFormats()[s % ConcreteFormats().size()] : format;
  stream.host = HostValue(d0);
  stream.app = AppValue((d0 + d1) % c);
  stream.namespace_name = NamespaceValue((d0 + d1 + d2) % c);
  stream.job = std::string(FormatName(stream.format));
  uint64_t pid_state = s;
  stream.pid = 300 + static_cast<uint32_t>(SplitMix64(&pid_state) % 60'000);
  stream.labels = {{"app", stream.app},
                   {"host", stream.host},
                   {"job", stream.job},
                   {"namespace", stream.namespace_name}};
  std::string json;
  json.reserve(128);
  json.push_back('{');
  for (const auto& [name, value] : stream.labels) {
    if (json.size() > 1) json.push_back(',');
    AppendJsonPair(name, value, &json);
  }
  json.push_back('}');
  stream.labels_json = std::move(json);
  return stream;
}

}  // namespace

std::string HostValue(uint32_t i) {
  const auto prefixes = vocab::HostPrefixes();
  const uint32_t number = i / static_cast<uint32_t>(prefixes.size()) + 1;
  std::string value(prefixes[i % prefixes.size()]);
  value += number < 10 ? "-0" : "-";
  value += std::to_string(number);
  return value;
}

std::string AppValue(uint32_t i) { return NthName(vocab::AppNames(), i); }

std::string NamespaceValue(uint32_t i) { return NthName(vocab::Namespaces(), i); }

Result<StreamSet> StreamSet::Create(Format format, uint32_t streams, uint32_t cardinality) {
  if (streams == 0 || streams > kMaxStreams) {
    return Status::InvalidArgument("--streams " + std::to_string(streams) +
                                   " is out of range: use 1.." + std::to_string(kMaxStreams));
  }
  const uint32_t c = cardinality == 0 ? AutoCardinality(streams) : cardinality;
  if (Cube(c) < streams) {
    return Status::InvalidArgument(
        "--streams " + std::to_string(streams) + " needs --cardinality of at least " +
        std::to_string(AutoCardinality(streams)) + " (streams are distinct combinations of 3 " +
        "labels with --cardinality " + std::to_string(c) + " values each, at most " +
        std::to_string(Cube(c)) + ")");
  }
  StreamSet set;
  set.cardinality_ = c;
  set.streams_.reserve(streams);
  for (uint32_t s = 0; s < streams; ++s) set.streams_.push_back(MakeStream(format, s, c));
  return set;
}

}  // namespace silt::loggen
