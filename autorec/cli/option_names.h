// Option names: near-miss suggestions for unknown names and values, and the old spellings of renamed
// options (errors that name the new one). No dependency beyond the standard library, so the option
// parser and its fuzzer use it alone.
#pragma once

#include <string>
#include <vector>

namespace autorec::cli {

// " (did you mean --epochs?)" for the closest of `candidates` within a small edit distance, else "".
// `prefix` is put before the suggested name ("--" for options, "" for commands and values).
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates,
                         const std::string& prefix);

// The same for a library's "unknown ... (expected a, b or c)" message: the suggestion among the names
// the message lists, or "".
std::string did_you_mean_listed(const std::string& value, const std::string& message);

// Throws UsageError when `name` is an old spelling of an option of `command` ("--users for autorec
// synth is now --n-users"). Called for names the command does not accept.
void check_renamed(const std::string& command, const std::string& name, const std::string& origin);

}  // namespace autorec::cli
