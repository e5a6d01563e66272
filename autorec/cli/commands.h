// One function per subcommand; each returns the process exit code (usage_error.h).
#pragma once

#include "options.h"

namespace autorec::cli {

int run_train(const Options& options);
int run_eval(const Options& options);
int run_predict(const Options& options);
int run_recommend(const Options& options);
int run_export(const Options& options);
int run_info(const Options& options);
int run_synth(const Options& options);
int run_tune(const Options& options);

}  // namespace autorec::cli
