#include "tests/bench/logql/contenders.h"

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/bench/logql/scan_data.h"

namespace silt::bench {
namespace {

// Quotes `text` for a POSIX shell, for the printed command only (the argv passes it as is).
std::string ShellQuoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Result<uint64_t> ReadCount(const std::string& path, const std::string& command) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  uint64_t count = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Status::IOError("'" + command + "' printed \"" + s.substr(0, 80) +
                           "\" instead of a line count (see " + path + ")");
  }
  return count;
}

// Runs `script` with `sh -c script sh args...`; its stdout is the count.
Contender ShellCountContender(const std::string& name, const std::string& script,
                              const std::vector<std::string>& args, const std::string& shown,
                              const std::string& scratch_dir) {
  std::vector<std::string> argv = {"sh", "-c", script, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out_path = scratch_dir + "/count.txt";
  return {name, shown, [argv, out_path, shown]() -> Result<Measurement> {
            Measurement m;
            SILT_ASSIGN_OR_RETURN(m.usage, RunCommand(argv, out_path));
            SILT_ASSIGN_OR_RETURN(m.count, ReadCount(out_path, shown));
            return m;
          }};
}

}  // namespace

Contender GrepContender(const std::string& raw_path, const std::string& literal,
                        const std::string& scratch_dir) {
  return ShellCountContender("grep -F -c raw.log", "grep -F -c -- \"$1\" \"$2\" || [ $? -eq 1 ]",
                             {literal, raw_path},
                             "grep -F -c -- " + ShellQuoted(literal) + " " + raw_path, scratch_dir);
}

Contender Lz4GrepContender(const std::string& lz4_path, const std::string& literal,
                           const std::string& scratch_dir) {
  return ShellCountContender(
      "lz4 -dc | grep -F -c", "lz4 -dc -- \"$2\" | grep -F -c -- \"$1\" || [ $? -eq 1 ]",
      {literal, lz4_path}, "lz4 -dc " + lz4_path + " | grep -F -c -- " + ShellQuoted(literal),
      scratch_dir);
}

Contender SiltContender(const std::string& name, const std::string& data_dir,
                        const SiltQuery& query) {
  const std::string shown = query.text + (query.use_blooms ? "  (blooms on)" : "  (blooms off)");
  return {name, shown, [data_dir, query, name]() -> Result<Measurement> {
            Measurement m;
            m.is_silt = true;
            SILT_ASSIGN_OR_RETURN(
                ChildOutput out, RunInChild(name, [&]() -> Result<std::string> {
                  SILT_ASSIGN_OR_RETURN(SiltFigures f, RunSiltQuery(data_dir, kBenchTenant, query));
                  return std::string(reinterpret_cast<const char*>(&f), sizeof(f));
                }));
            if (out.message.size() != sizeof(SiltFigures)) {
              return Status::IOError(name + " sent " + std::to_string(out.message.size()) +
                                     " bytes of figures instead of " +
                                     std::to_string(sizeof(SiltFigures)));
            }
            std::memcpy(&m.silt, out.message.data(), sizeof(SiltFigures));
            m.usage = out.usage;
            m.count = m.silt.count;
            return m;
          }};
}

}  // namespace silt::bench
