#include "agent/positions/positions_format.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <system_error>

#include "shared/hash/xxh3.h"

namespace silt::agent {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr size_t kFieldCount = 9;

std::string Hex16(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, value);
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <typename T>
bool ParseNumber(std::string_view text, T* value, int base = 10) {
  if (text.empty()) return false;
  if (base == 16 && text.size() != 16) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value, base);
  return ec == std::errc() && end == text.data() + text.size();
}

// Splits `line` at single spaces; keeps empty fields (an empty path is the last field).
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    size_t space = line.find(' ', start);
    if (space == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, space - start));
    start = space + 1;
  }
}

Status LineError(size_t line_number, std::string_view what, std::string_view text) {
  return Status::Corruption("line " + std::to_string(line_number) + ": " + std::string(what) +
                            " \"" + std::string(text.substr(0, 80)) + "\"");
}

Result<Position> DecodeEntry(std::string_view line, size_t line_number) {
  std::vector<std::string_view> f = SplitFields(line);
  if (f.size() != kFieldCount) {
    return LineError(line_number,
                     "expected 9 space-separated fields, got " + std::to_string(f.size()) + " in",
                     line);
  }
  Position p;
  if (!ParseNumber(f[0], &p.source_id, 16) || p.source_id == 0) {
    return LineError(line_number, "bad source id", f[0]);
  }
  if (!ParseNumber(f[1], &p.identity.device)) return LineError(line_number, "bad device", f[1]);
  if (!ParseNumber(f[2], &p.identity.inode)) return LineError(line_number, "bad inode", f[2]);
  if (!ParseNumber(f[3], &p.identity.fingerprint.hash, 16)) {
    return LineError(line_number, "bad fingerprint", f[3]);
  }
  if (!ParseNumber(f[4], &p.identity.fingerprint.size) ||
      p.identity.fingerprint.size > kFingerprintMaxBytes) {
    return LineError(line_number, "bad fingerprint byte count", f[4]);
  }
  if (!ParseNumber(f[5], &p.offset)) return LineError(line_number, "bad offset", f[5]);
  if (!ParseNumber(f[6], &p.last_seen_ns)) return LineError(line_number, "bad last_seen_ns", f[6]);
  if (!ParseNumber(f[7], &p.mtime_ns)) return LineError(line_number, "bad mtime_ns", f[7]);
  if (!UnescapePath(f[8], &p.path)) return LineError(line_number, "bad path escape", f[8]);
  return p;
}

// Checks the "end <count> <checksum>" line against what came before it.
Status CheckTrailer(std::string_view line, size_t line_number, std::string_view covered,
                    size_t entries) {
  std::vector<std::string_view> f = SplitFields(line);
  uint64_t count = 0;
  uint64_t checksum = 0;
  if (f.size() != 3 || f[0] != "end" || !ParseNumber(f[1], &count) ||
      !ParseNumber(f[2], &checksum, 16)) {
    return LineError(line_number, "bad trailer", line);
  }
  if (count != entries) {
    return LineError(line_number,
                     "trailer counts " + std::to_string(count) + " entries but " +
                         std::to_string(entries) + " precede it:",
                     line);
  }
  if (checksum != hash::Xxh3(covered)) {
    return LineError(line_number,
                     "checksum mismatch (expected " + Hex16(hash::Xxh3(covered)) + ") in", line);
  }
  return Status::Ok();
}

}  // namespace

std::string EscapePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < '!' || byte > '~' || c == '%') {
      out += '%';
      out += kHexDigits[byte >> 4];
      out += kHexDigits[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

bool UnescapePath(std::string_view text, std::string* path) {
  path->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      path->push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int high = HexValue(text[i + 1]);
    int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return false;
    path->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

std::string EncodePositions(const std::vector<Position>& positions) {
  std::string out;
  out.reserve(64 + positions.size() * 128);
  out += kPositionsMagic;
  out += ' ';
  out += std::to_string(kPositionsVersion);
  out += '\n';
  out += kPositionsColumns;
  out += '\n';
  for (const Position& p : positions) {
    out += Hex16(p.source_id) + ' ' + std::to_string(p.identity.device) + ' ' +
           std::to_string(p.identity.inode) + ' ' + Hex16(p.identity.fingerprint.hash) + ' ' +
           std::to_string(p.identity.fingerprint.size) + ' ' + std::to_string(p.offset) + ' ' +
           std::to_string(p.last_seen_ns) + ' ' + std::to_string(p.mtime_ns) + ' ' +
           EscapePath(p.path) + '\n';
  }
  const uint64_t checksum = hash::Xxh3(out);
  out += "end " + std::to_string(positions.size()) + ' ' + Hex16(checksum) + '\n';
  return out;
}

Result<std::vector<Position>> DecodePositions(std::string_view data) {
  std::vector<Position> positions;
  std::set<uint64_t> seen;
  const std::string magic = std::string(kPositionsMagic) + ' ' + std::to_string(kPositionsVersion);
  size_t pos = 0;
  for (size_t line_number = 1;; ++line_number) {
    size_t newline = data.find('\n', pos);
    if (newline == std::string_view::npos) {
      return Status::Corruption("line " + std::to_string(line_number) +
                                ": file ends without the \"end\" trailer (cut short)");
    }
    std::string_view line = data.substr(pos, newline - pos);
    if (line_number == 1) {
      if (line != magic) return LineError(1, "not a version 1 positions file: first line", line);
    } else if (line.starts_with("end ")) {
      SILT_RETURN_IF_ERROR(CheckTrailer(line, line_number, data.substr(0, pos), positions.size()));
      if (newline + 1 != data.size()) {
        return Status::Corruption("line " + std::to_string(line_number + 1) +
                                  ": bytes after the \"end\" trailer");
      }
      return positions;
    } else if (!line.starts_with("#")) {
      SILT_ASSIGN_OR_RETURN(Position p, DecodeEntry(line, line_number));
      if (!seen.insert(p.source_id).second) {
        return LineError(line_number, "source id appears twice:", line.substr(0, 16));
      }
      positions.push_back(std::move(p));
    }
    pos = newline + 1;
  }
}

}  // namespace silt::agent
