#include "tests/bench/system/proc_stat.h"

#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace silt::bench {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" ", colon + 1));
    }
  }
  return "unknown";
}

std::string MemTotal() {
  std::ifstream in("/proc/meminfo");
  std::string key, value, unit;
  in >> key >> value >> unit;
  return key == "MemTotal:" ? value + " " + unit : "unknown";
}

}  // namespace

Result<double> CpuSeconds(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return Status::NotFound(path + ": cannot read (exited?)");
  // The command name (field 2) is in parentheses and may hold spaces; fields resume after ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return Status::Corruption(path + ": no ')' in \"" + text + "\"");
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After ')' come field 3 (state) .. ; utime is field 14 and stime field 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  if (!fields) return Status::Corruption(path + ": fewer than 15 fields in \"" + text + "\"");
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string MachineDescription(const std::string& dir) {
  utsname name{};
  ::uname(&name);
  struct statfs fs {};
  std::ostringstream out;
  out << "nproc=" << ::sysconf(_SC_NPROCESSORS_ONLN) << " cpu=\"" << CpuModel() << "\" mem=\""
      << MemTotal() << "\" kernel=" << name.release << " dir=" << dir;
  if (::statfs(dir.c_str(), &fs) == 0) out << " fs_magic=0x" << std::hex << fs.f_type << std::dec;
  return out.str();
}

}  // namespace silt::bench
