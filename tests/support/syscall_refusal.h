// RefuseSyscalls: makes the kernel refuse chosen system calls of the calling process with an
// errno, through a seccomp filter, so a test can reach the code that handles a refusal a real
// file system or device gives (open(O_DIRECT) refused by a file system without direct I/O, a
// direct write refused for its alignment) on the machine's own file system. The filter cannot be
// removed: install it only in a child process (EXPECT_EXIT, or fork).
//
// x86-64 only: elsewhere RefuseSyscalls reports that it cannot, and the caller skips.
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace silt::testing {

struct SyscallRefusal {
  int error = EINVAL;
  // openat(2) calls whose flags include any of these bits fail with `error` (0: none do).
  uint32_t open_flags = 0;
  // pwrite64(2) calls on this descriptor fail with `error` (-1: none do).
  int pwrite_fd = -1;
  // fdatasync(2) calls on this descriptor fail with `error` (-1: none do).
  int fdatasync_fd = -1;
};

// Installs the filter for this process. Returns "" on success, else why it could not.
inline std::string RefuseSyscalls(const SyscallRefusal& refusal) {
#if defined(__x86_64__)
  constexpr uint32_t kNr = offsetof(seccomp_data, nr);
  constexpr uint32_t kArch = offsetof(seccomp_data, arch);
  // The low 32 bits of argument i (little-endian).
  auto arg = [](int i) {
    return static_cast<uint32_t>(offsetof(seccomp_data, args) + 8 * static_cast<size_t>(i));
  };
  const uint32_t refuse = SECCOMP_RET_ERRNO | (static_cast<uint32_t>(refusal.error) & 0xffff);
  std::vector<sock_filter> program = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArch),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  if (refusal.open_flags != 0) {
    // nr == openat && (flags & open_flags) != 0 -> refuse
    program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kNr));
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0, 3));
    program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg(2)));
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, refusal.open_flags, 0, 1));
    program.push_back(BPF_STMT(BPF_RET | BPF_K, refuse));
  }
  // nr == `nr` && first argument (the descriptor) == fd -> refuse
  auto refuse_on_fd = [&](uint32_t nr, int fd) {
    if (fd < 0) return;
    program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kNr));
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 3));
    program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg(0)));
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(fd), 0, 1));
    program.push_back(BPF_STMT(BPF_RET | BPF_K, refuse));
  };
  refuse_on_fd(__NR_pwrite64, refusal.pwrite_fd);
  refuse_on_fd(__NR_fdatasync, refusal.fdatasync_fd);
  program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  sock_fprog fprog{static_cast<unsigned short>(program.size()), program.data()};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return "prctl(PR_SET_NO_NEW_PRIVS) failed: errno " + std::to_string(errno);
  }
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
    return "prctl(PR_SET_SECCOMP) failed: errno " + std::to_string(errno);
  }
  return "";
#else
  (void)refusal;
  return "seccomp filters are written for x86-64 only";
#endif
}

// Why a seccomp filter cannot be installed here ("" when it can), found in a child process: a
// test that needs one skips with this reason.
inline std::string SeccompUnavailable() {
  const pid_t child = ::fork();
  if (child == 0) std::_Exit(RefuseSyscalls({.pwrite_fd = 1000}).empty() ? 0 : 1);
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child) return "fork failed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return "prctl(PR_SET_SECCOMP) is not permitted in this environment";
}

}  // namespace silt::testing
