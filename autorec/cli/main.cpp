// autorec: the command-line tool. Dispatches to one subcommand and turns exceptions into messages
// and exit codes (error_exit.h).
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.h"
#include "error_exit.h"
#include "option_rules.h"
#include "option_table.h"
#include "usage_error.h"

namespace {

using namespace autorec::cli;

using CommandFn = int (*)(const Options&);

const std::map<std::string, CommandFn>& dispatch_table() {
  static const std::map<std::string, CommandFn> table = {
      {"train", run_train},   {"eval", run_eval}, {"predict", run_predict}, {"recommend", run_recommend},
      {"export", run_export}, {"info", run_info}, {"synth", run_synth}, {"tune", run_tune}};
  return table;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

int run(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << general_help();
    return argc < 2 ? kExitUsage : kExitOk;
  }
  const std::string name = argv[1];
  const CommandInfo* command = find_command(name);
  if (command == nullptr) {
    std::vector<std::string> names;
    for (const CommandInfo& c : commands()) names.emplace_back(c.name);
    throw UsageError("unknown command '" + name + "'" + did_you_mean(name, names, "") + " (see autorec --help)");
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (wants_help(args)) {
    std::cout << command_help(*command);
    return kExitOk;
  }
  const Options options = parse_options(name, command->options, args);
  // Every flag checked before any slow work (train checks its own, with the data options).
  if (name == "eval" || name == "predict" || name == "recommend" || name == "export")
    validate_model_command_options(options);
  if (name == "synth") validate_synth_options(options);
  return dispatch_table().at(name)(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (...) {
    return report_current_exception(std::cerr);
  }
}
