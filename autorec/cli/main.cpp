// autorec: the command-line tool. Dispatches to one subcommand and turns exceptions into messages
// and exit codes: 2 for usage and input errors, 1 for other failures (usage_error.h).
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "autorec/checkpoint.h"
#include "autorec/data/error.h"
#include "commands.h"
#include "engine/error.h"
#include "option_rules.h"
#include "option_table.h"
#include "usage_error.h"

namespace {

using namespace autorec::cli;

using CommandFn = int (*)(const Options&);

const std::map<std::string, CommandFn>& dispatch_table() {
  static const std::map<std::string, CommandFn> table = {
      {"train", run_train},   {"eval", run_eval}, {"predict", run_predict}, {"recommend", run_recommend},
      {"export", run_export}, {"info", run_info}, {"synth", run_synth}};
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

int report(const std::string& message, int code) {
  std::cerr << "autorec: error: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    return report(error.what(), kExitUsage);
  } catch (const autorec::DataError& error) {  // bad input data: the user's to fix
    return report(error.what(), kExitUsage);
  } catch (const autorec::CheckpointError& error) {
    return report(error.what(), kExitUsage);
  } catch (const std::invalid_argument& error) {  // libraries reject impossible settings this way
    return report(error.what(), kExitUsage);
  } catch (const std::exception& error) {
    return report(error.what(), kExitFailure);
  }
}
