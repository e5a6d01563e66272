// Runs the built `autorec` binary (path compiled in as AUTOREC_CLI_PATH) and captures its exit
// code, stdout and stderr; plus a minimal reader for the flat JSON objects the CLI prints.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace autorec::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `autorec <args...>` in `folder` with one OpenMP thread (fast and repeatable on a busy machine).
CliResult run_cli(const std::filesystem::path& folder, const std::vector<std::string>& args);

// Starts `autorec <args...>` in the background; returns its process id (stdout/stderr to files in folder).
int start_cli(const std::filesystem::path& folder, const std::vector<std::string>& args);

std::string read_text(const std::filesystem::path& path);

// The value of "key" in a one-line JSON object: the raw text of a number/true/false/null, or the
// string's content; nullopt when the key is absent.
std::optional<std::string> json_value(const std::string& json, const std::string& key);
double json_number(const std::string& json, const std::string& key);  // fails the test when absent

}  // namespace autorec::test
