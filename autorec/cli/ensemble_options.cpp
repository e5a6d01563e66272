#include "ensemble_options.h"

#include <algorithm>

#include "autorec/ensemble.h"
#include "autorec/model.h"
#include "run_setup.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

std::vector<std::string> split_plus(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find('+', begin);
    parts.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

std::vector<std::string> checked_members(const Options& options) {
  const std::vector<std::string> known = {"item", "user", "mf", "mf-user", "baseline"};
  const std::vector<std::string> parts = split_plus(options.text("model", kDefaultModel));
  std::vector<std::string> seen;
  for (const std::string& part : parts) {
    if (std::find(known.begin(), known.end(), part) == known.end()) {
      options.invalid("model", "'" + part + "' is not an ensemble member (members: item, user, mf, mf-user, baseline)");
    }
    if (std::find(seen.begin(), seen.end(), part) != seen.end()) {
      options.invalid("model", "member '" + part + "' is named twice");
    }
    seen.push_back(part);
  }
  if (std::count(seen.begin(), seen.end(), std::string("baseline")) == static_cast<long>(seen.size())) {
    options.invalid("model", "an ensemble needs a trained member (item, user, mf or mf-user) besides the baseline");
  }
  return seen;
}

// A member's record: its kind's options, and the ensemble's own dropout default for AutoRec.
ModelRecord member_record(const Options& options, const std::string& kind, int run_index) {
  ModelRecord record = model_record_for(options, kind, run_index, false);
  if (record.kind != "autorec" || options.has("dropout")) return record;
  ModelConfig config = autorec_config(record);
  config.dropout = kEnsembleDropout;
  return autorec_record(config, record.inputs);
}

}  // namespace

bool is_ensemble(const Options& options) {
  return options.text("model", kDefaultModel).find('+') != std::string::npos;
}

std::vector<std::string> ensemble_member_kinds(const Options& options) {
  std::vector<std::string> kinds = checked_members(options);
  kinds.erase(std::remove(kinds.begin(), kinds.end(), std::string("baseline")), kinds.end());
  return kinds;
}

bool ensemble_uses_baseline(const Options& options) {
  const std::vector<std::string> members = checked_members(options);
  return std::find(members.begin(), members.end(), std::string("baseline")) != members.end();
}

ModelRecord ensemble_model_record(const Options& options, int run_index) {
  if (options.has("resume")) {
    throw UsageError("--resume does not work with an ensemble (--model " + options.text("model", kDefaultModel) +
                     (options.has("model") ? "" : ", the default") +
                     "): its checkpoint is written once, after every member is trained; train a single model "
                     "(e.g. --model item) to be able to resume" +
                     (options.has("model") ? std::string()
                                           : std::string("; a checkpoint of a single model (I-AutoRec was the default "
                                                         "before the ensemble) resumes with its --model, e.g. --model item")));
  }
  if (options.has("checkpoint-every")) {
    options.invalid("checkpoint-every", "an ensemble (--model " + options.text("model", kDefaultModel) +
                                            ") saves its checkpoint once, after every member is trained");
  }
  // A kind's options need a member of that kind (the default ensemble has no MF member for --factors).
  const std::vector<std::string> kinds = ensemble_member_kinds(options);
  const auto has = [&](const char* kind) { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); };
  const bool autorec = has("item") || has("user"), mf = has("mf") || has("mf-user");
  for (const char* flag : {"hidden", "activation", "output-activation", "dropout", "precision"}) {
    if (!autorec && options.has(flag)) {
      options.invalid(flag, "applies to AutoRec members (item, user), and --model " + options.text("model", kDefaultModel) + " has none");
    }
  }
  if (!mf && options.has("factors")) {
    options.invalid("factors", "applies to MF members (mf, mf-user), and --model " + options.text("model", kDefaultModel) + " has none");
  }
  std::vector<ModelRecord> members;
  for (const std::string& kind : kinds) {
    members.push_back(member_record(options, kind, run_index));
  }
  return ensemble_record(members, ensemble_uses_baseline(options), 0, 0);
}

std::vector<MemberSettings> ensemble_member_settings(const Options& options, const TrainSettings& base, int run_index) {
  std::vector<MemberSettings> members;
  for (const std::string& kind : ensemble_member_kinds(options)) {
    MemberSettings member{kind, base};
    member.settings.model = member_record(options, kind, run_index);
    member.settings.train = train_config_for(options, kind, run_index);
    member.settings.checkpoint.reset();
    member.settings.resume.reset();
    member.settings.test_pass = false;  // the ensemble scores the blend and the baseline on test
    member.settings.log_suffix = base.log_suffix + "-" + kind;
    members.push_back(std::move(member));
  }
  return members;
}

}  // namespace autorec::cli
