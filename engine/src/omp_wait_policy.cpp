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
// hook execs /proc/self/exe with the same arguments and OMP_WAIT_POLICY=PASSIVE added. The second
// start finds the variable and goes on; a user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT always wins.
//
// .preinit_array is allowed in executables only, so this file is pulled out of the static engine
// library only when an executable asks for its symbol (engine/CMakeLists.txt adds
// `-Wl,--undefined=engine_omp_wait_policy_hook` to executables that link the engine). Nothing of libc
// or the C++ runtime that needs initialisation is used here: only raw memory, strings and syscalls.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace {

bool starts_with(const char* text, const char* prefix) { return std::strncmp(text, prefix, std::strlen(prefix)) == 0; }

// True when /proc/self/exe is the dynamic loader itself (a program started as `ld.so ./prog`): exec'ing
// it with the program's argv would run something else, so the default is not applied then.
bool started_through_loader() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return true;  // no /proc: cannot restart ourselves
  path[n] = '\0';
  const char* base = std::strrchr(path, '/');
  base = base == nullptr ? path : base + 1;
  return starts_with(base, "ld-") || starts_with(base, "ld.so");
}

// True under Valgrind (its preload libraries are named vgpreload_*): a restarted image would run outside
// the tool (it does not follow exec by default), and callgrind would count nothing of the program.
bool under_valgrind(const char* entry) {
  return starts_with(entry, "LD_PRELOAD=") && std::strstr(entry, "vgpreload") != nullptr;
}

void default_to_passive_wait(int /*argc*/, char** argv, char** envp) {
  if (envp == nullptr || argv == nullptr) return;
  int count = 0;
  for (; envp[count] != nullptr; ++count) {
    if (starts_with(envp[count], "OMP_WAIT_POLICY=") || starts_with(envp[count], "GOMP_SPINCOUNT=")) return;
    if (under_valgrind(envp[count])) return;
  }
  if (started_through_loader()) return;
  auto** env = static_cast<char**>(std::malloc(sizeof(char*) * static_cast<std::size_t>(count + 2)));
  if (env == nullptr) return;
  std::memcpy(env, envp, sizeof(char*) * static_cast<std::size_t>(count));
  static char passive[] = "OMP_WAIT_POLICY=PASSIVE";
  env[count] = passive;
  env[count + 1] = nullptr;
  execve("/proc/self/exe", argv, env);
  std::free(env);  // exec failed: run on with libgomp's defaults
}

}  // namespace

// The symbol executables reference to pull this file in; being a .preinit_array entry, it does the work.
extern "C" {
__attribute__((used, section(".preinit_array"))) void (*engine_omp_wait_policy_hook)(int, char**, char**) =
    default_to_passive_wait;
}
