// A passive OpenMP wait policy by default, for every executable that links the engine.
//
// Why: with libgomp's default policy, idle team threads spin for ~300,000 iterations at every barrier
// and between parallel regions. On a machine where another process keeps even one core busy, the
// spinning threads and the preempted one fight for cores and a training run gets 5-25x slower
// (issue 12; bench_wait_policy measures it). OMP_WAIT_POLICY=PASSIVE makes them sleep instead.
//
// Why it is done like this: libgomp reads its environment exactly once, in its own ELF constructor,
// which runs before any constructor of the executable (and a static library's code is part of the
// executable). A setenv() in a constructor or in main() is therefore too late, and there is no
// omp_set_* call for the wait policy. A function in .preinit_array runs before every constructor, but
// libc's own initialisation resets `environ` to the process's original array after it, so a setenv()
// there is lost too (both were tried and checked with omp_display_env). What works is to restart the
// program image before anything has run: when neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set, the
// hook execs the program's own file (by its name, so the process keeps its name) with the same
// arguments and OMP_WAIT_POLICY=PASSIVE added. The second start finds the variable and goes on; a user's
// own OMP_WAIT_POLICY or GOMP_SPINCOUNT always wins. Processes under a preloaded tool (Valgrind,
// heaptrack, sanitizer injection: LD_PRELOAD) or a tracer (gdb, strace) are left alone.
//
// .preinit_array is allowed in executables only, so this file is pulled out of the static engine
// library only when an executable asks for its symbol (engine/CMakeLists.txt adds
// `-Wl,--undefined=engine_omp_wait_policy_hook` to executables that link the engine). Nothing of libc
// or the C++ runtime that needs initialisation is used here: only raw memory, strings and syscalls.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace {

bool starts_with(const char* text, const char* prefix) { return std::strncmp(text, prefix, std::strlen(prefix)) == 0; }

// The program's own file, to exec by name: exec'ing "/proc/self/exe" would rename the process "exe"
// (the kernel names a process after the path it was started from), and pgrep, ps and core-dump logs would
// lose it. Empty when the name cannot be trusted to be the same file, or when the image is the dynamic
// loader itself (a program started as `ld.so ./prog`: exec'ing it with argv would run something else).
bool own_image(char (&path)[4096]) {
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return false;  // no /proc: cannot restart ourselves
  path[n] = '\0';
  const char* base = std::strrchr(path, '/');
  base = base == nullptr ? path : base + 1;
  if (starts_with(base, "ld-") || starts_with(base, "ld.so")) return false;
  struct stat by_name{}, running{};
  return stat(path, &by_name) == 0 && stat("/proc/self/exe", &running) == 0 && by_name.st_dev == running.st_dev &&
         by_name.st_ino == running.st_ino;  // not replaced or deleted since it started
}

// Tools that inject themselves (Valgrind, heaptrack, Nsight, compute-sanitizer: LD_PRELOAD) or trace the
// process (gdb, strace: a TracerPid) would see a second start, or lose the program: left alone.
bool injected(const char* entry) { return starts_with(entry, "LD_PRELOAD=") && entry[11] != '\0'; }

bool traced() {
  const int fd = open("/proc/self/status", O_RDONLY);
  if (fd < 0) return false;
  char text[4096];
  const ssize_t n = read(fd, text, sizeof(text) - 1);
  close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  const char* tracer = std::strstr(text, "TracerPid:");
  if (tracer == nullptr) return false;
  tracer += 10;
  while (*tracer == ' ' || *tracer == '\t') ++tracer;
  return *tracer != '0';
}

void default_to_passive_wait(int /*argc*/, char** argv, char** envp) {
  if (envp == nullptr || argv == nullptr) return;
  int count = 0;
  for (; envp[count] != nullptr; ++count) {
    if (starts_with(envp[count], "OMP_WAIT_POLICY=") || starts_with(envp[count], "GOMP_SPINCOUNT=")) return;
    if (injected(envp[count])) return;
  }
  static char image[4096];
  if (traced() || !own_image(image)) return;
  auto** env = static_cast<char**>(std::malloc(sizeof(char*) * static_cast<std::size_t>(count + 2)));
  if (env == nullptr) return;
  std::memcpy(env, envp, sizeof(char*) * static_cast<std::size_t>(count));
  static char passive[] = "OMP_WAIT_POLICY=PASSIVE";
  env[count] = passive;
  env[count + 1] = nullptr;
  execve(image, argv, env);
  std::free(env);  // exec failed: run on with libgomp's defaults
}

}  // namespace

// The symbol executables reference to pull this file in; being a .preinit_array entry, it does the work.
extern "C" {
__attribute__((used, section(".preinit_array"))) void (*engine_omp_wait_policy_hook)(int, char**, char**) =
    default_to_passive_wait;
}
