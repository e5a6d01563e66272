// The subcommands and the long options each accepts (the same names work as config-file keys).
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace autorec::cli {

struct CommandInfo {
  const char* name;
  const char* summary;
  std::vector<const OptionSpec*> options;
};

const std::vector<CommandInfo>& commands();
const CommandInfo* find_command(const std::string& name);  // nullptr when unknown
std::string general_help();
std::string command_help(const CommandInfo& command);

}  // namespace autorec::cli
