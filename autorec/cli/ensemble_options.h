// --model with a '+': an ensemble of models blended on validation (autorec/ensemble.h), e.g.
// `--model item+user` or `item+user+baseline`. Each member takes the options of its kind (--hidden,
// --dropout for AutoRec; --factors for MF) and its kind's training defaults; training flags given on
// the command line apply to every member.
#pragma once

#include <string>
#include <vector>

#include "options.h"
#include "train_run.h"

namespace autorec::cli {

// The --model value when none is given: I- and U-AutoRec, biased MF and the bias baseline blended on
// validation, chosen on validation RMSE across data sets (docs/accuracy.md); the paper's I-AutoRec is
// --model item.
inline constexpr const char* kDefaultModel = "item+user+mf+baseline";
// An ensemble's AutoRec members train with this dropout unless --dropout is given: chosen on
// validation RMSE (docs/accuracy.md), where it helped both I- and U-AutoRec on every data set measured.
inline constexpr float kEnsembleDropout = 0.5f;

// Whether --model names an ensemble (a '+' list).
bool is_ensemble(const Options& options);
// Its trained members in order (item, user, mf, mf-user); throws UsageError naming --model for an
// unknown or repeated member or a list without a trained one.
std::vector<std::string> ensemble_member_kinds(const Options& options);
// Whether the list holds "baseline" (the bias baseline as a member of the blend).
bool ensemble_uses_baseline(const Options& options);
// The ensemble's record (shape 0 x 0: set from the data); refuses --resume.
ModelRecord ensemble_model_record(const Options& options, int run_index);

struct MemberSettings {
  std::string name;  // the --model spelling: item, user, mf, mf-user
  TrainSettings settings;
};
// Each member's settings for run `run_index`: `base`'s output settings (no checkpoint: the ensemble
// saves one file at the end; logs suffixed with the member's name), its own model and training config.
std::vector<MemberSettings> ensemble_member_settings(const Options& options, const TrainSettings& base, int run_index);

}  // namespace autorec::cli
