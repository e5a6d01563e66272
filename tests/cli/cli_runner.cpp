#include "cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace autorec::test {
namespace {

// Single quotes survive the shell untouched; an embedded quote becomes '\''.
std::string shell_quote(const std::string& arg) {
  std::string quoted = "'";
  for (const char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string command_line(const std::filesystem::path& folder, const std::vector<std::string>& args, bool exec = false) {
  std::string command = "cd " + shell_quote(folder.string()) + " && " + (exec ? "exec " : "") +
                        "env OMP_NUM_THREADS=1 " + shell_quote(AUTOREC_CLI_PATH);
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  return command;
}

}  // namespace

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CliResult run_cli(const std::filesystem::path& folder, const std::vector<std::string>& args) {
  const auto out = folder / ".stdout", err = folder / ".stderr";
  const std::string command =
      command_line(folder, args) + " > " + shell_quote(out.string()) + " 2> " + shell_quote(err.string());
  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

int start_cli(const std::filesystem::path& folder, const std::vector<std::string>& args) {
  // exec replaces the shell, so the returned pid is autorec itself and signals reach it.
  const std::string command = command_line(folder, args, true) + " > .stdout 2> .stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

std::optional<std::string> json_value(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const auto at = json.find(needle);
  if (at == std::string::npos) return std::nullopt;
  std::size_t start = at + needle.size();
  if (json[start] == '"') {
    const auto end = json.find('"', start + 1);
    return json.substr(start + 1, end - start - 1);
  }
  const auto end = json.find_first_of(",}]", start);
  return json.substr(start, end - start);
}

double json_number(const std::string& json, const std::string& key) {
  const auto text = json_value(json, key);
  INFO("key " << key << " in " << json);
  REQUIRE(text);
  return std::strtod(text->c_str(), nullptr);
}

}  // namespace autorec::test
