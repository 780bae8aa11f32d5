// GoZone: UTC or a tz database zone read from a TZif file (go_time.h). Only the 64-bit (v2+)
// data block is used; times after the last transition keep its type (the TZ footer rule is not
// evaluated, which only matters for zones whose file is "slim").
#include <algorithm>
#include <fstream>
#include <iterator>

#include "shared/time/go_time.h"

namespace silt::time {
namespace {

constexpr std::string_view kZoneDir = "/usr/share/zoneinfo/";

uint32_t Be32(std::string_view d, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(d[at + i]);
  return v;
}

int64_t Be64(std::string_view d, size_t at) {
  uint64_t v = (uint64_t{Be32(d, at)} << 32) | Be32(d, at + 4);
  return static_cast<int64_t>(v);
}

struct Counts {
  uint32_t isut, isstd, leap, time, type, chars;
  size_t Size(size_t time_size) const {
    return time * (time_size + 1) + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

bool ReadCounts(std::string_view d, size_t at, Counts* c) {
  if (d.size() < at + 44 || d.substr(at, 4) != "TZif") return false;
  *c = Counts{Be32(d, at + 20), Be32(d, at + 24), Be32(d, at + 28),
              Be32(d, at + 32), Be32(d, at + 36), Be32(d, at + 40)};
  return d.size() >= at + 44 + c->Size(at == 0 ? 4 : 8);
}

}  // namespace

Result<GoZone> GoZone::Load(std::string_view name) {
  if (name.empty() || name == "UTC" || name == "Local") return GoZone();
  if (name.starts_with('/') || name.find("..") != std::string_view::npos) {
    return Status::InvalidArgument("bad time zone name \"" + std::string(name) + "\"");
  }
  std::string path = std::string(kZoneDir) + std::string(name);
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto unknown = [&] {
    return Status::NotFound("unknown time zone \"" + std::string(name) +
                            "\" (no tz database entry " + path + ")");
  };
  Counts v1;
  if (!ReadCounts(data, 0, &v1) || data[4] < '2') return unknown();
  size_t at = 44 + v1.Size(4);
  Counts c;
  if (!ReadCounts(data, at, &c) || c.type == 0) return unknown();
  at += 44;
  GoZone zone;
  for (uint32_t i = 0; i < c.time; ++i) zone.transitions_.push_back(Be64(data, at + i * 8));
  at += c.time * 8;
  for (uint32_t i = 0; i < c.time; ++i) {
    uint8_t type = static_cast<uint8_t>(data[at + i]);
    if (type >= c.type) return unknown();
    zone.type_of_.push_back(type);
  }
  at += c.time;
  size_t chars_at = at + c.type * 6;
  std::string_view chars(data.data() + chars_at, c.chars);
  for (uint32_t i = 0; i < c.type; ++i) {
    int32_t offset = static_cast<int32_t>(Be32(data, at + i * 6));
    size_t index = static_cast<unsigned char>(data[at + i * 6 + 5]);
    std::string abbreviation;
    if (index < chars.size())
      abbreviation = std::string(chars.substr(index, chars.find('\0', index) - index));
    zone.types_.push_back(Type{offset, std::move(abbreviation)});
  }
  return zone;
}

void GoZone::Lookup(int64_t unix_seconds, int32_t* offset, std::string* abbreviation) const {
  if (types_.empty()) {
    *offset = 0;
    *abbreviation = "UTC";
    return;
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds);
  // Before the first transition Go uses the first standard-time type; type 0 is the usual one.
  size_t type =
      it == transitions_.begin() ? 0 : type_of_[static_cast<size_t>(it - transitions_.begin()) - 1];
  *offset = types_[type].offset;
  *abbreviation = types_[type].abbreviation;
}

GoTime GoZone::At(int64_t unix_seconds, int32_t nanos) const {
  GoTime t{unix_seconds, nanos, 0, ""};
  Lookup(unix_seconds, &t.offset, &t.zone);
  return t;
}

}  // namespace silt::time
