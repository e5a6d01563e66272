#include "option_table.h"

#include <algorithm>
#include <initializer_list>
#include <sstream>
#include <string>

#include "autorec/model.h"

namespace autorec::cli {
namespace {

using Group = std::vector<OptionSpec>;

// "sigmoid (default), identity, ...": from the activation list, so a new activation needs no edit here.
const std::string kActivationHelp = [] {
  std::string text = "hidden activation: sigmoid (default)";
  for (const auto& [name, activation] : engine::kActivationNames) {
    if (activation != Activation::Sigmoid) text += std::string(", ") + name;
  }
  return text;
}();

const Group kConfig = {
    {"config", "FILE", "read options from FILE ('key = value' lines; the command line wins)"},
};

const Group kData = {
    {"data", "PATH", "rating file or Netflix folder (default: built-in synthetic MovieLens-1M-shaped data)"},
    {"format", "NAME", "auto, ml-100k, ml-1m, ml-10m, csv, netflix, delimited (default auto)"},
    {"sep", "TEXT", "separator for --format delimited: one character or '::' (default ',')"},
    {"user-col", "N", "0-based user column for --format delimited (default 0)"},
    {"item-col", "N", "0-based item column for --format delimited (default 1)"},
    {"rating-col", "N", "0-based rating column for --format delimited (default 2)"},
    {"header", "MODE", "auto, yes, no: whether the first line is a header (default auto)"},
    {"duplicates", "POLICY", "repeated (user, item) pairs: error, keep-last, keep-first, average (default error)"},
    {"cache", "PATH", "binary cache of the parsed data: a path, or 'auto' for DATA.arcache beside the data"},
};

const Group kProtocol = {
    {"split", "KIND", "random, kfold or files (default random; files when --train-file is given)"},
    {"test-fraction", "F", "share of ratings held out for testing in a random split (default 0.1)"},
    {"folds", "K", "number of folds for --split kfold (default 5)"},
    {"fold", "F", "0-based fold used as the test set (default 0; run r uses fold F + r)"},
    {"train-file", "PATH", "training ratings for --split files"},
    {"test-file", "PATH", "test ratings for --split files"},
    {"runs", "N", "repeat with split seeds S, S+1, ...: mean and 95% CI of the test RMSE (default 1)"},
    {"validation-fraction", "F", "share of the training part held out for early stopping (default 0.1; 0 = none)"},
    {"default-rating", "R", "prediction for unseen users/items (default: middle of the training rating range)"},
    {"split-seed", "S", "seed of the test and validation splits (default 1)"},
};

const Group kModel = {
    {"model", "KIND", "item (I-AutoRec), user (U-AutoRec), mf (biased matrix factorisation, batches of items), mf-user (batches of users), or an ensemble blended on validation: members joined by '+' (item, user, mf, mf-user, baseline); default item+user+mf+baseline"},
    {"factors", "K", "mf only: factors per user and item (default 64)"},
    {"hidden", "SIZES", "hidden layer sizes, e.g. 500 or 500,250,500 (default 500)"},
    {"activation", "NAME", kActivationHelp.c_str()},
    {"output-activation", "NAME", "output activation (default identity)"},
    {"dropout", "P", "dropout on hidden activations while training (default 0; 0.5 in an ensemble)"},
    {"lambda", "L", "L2 regularisation strength on the weights (default 100, the paper's ML-1M value)"},
    {"loss", "KIND", "sum (the paper's objective, default) or mean (divided by the rating count)"},
};

const Group kTrain = {
    {"optimizer", "NAME", "adam (default), adamw, sgd, rprop (full batch, the paper's choice)"},
    {"lr", "RATE", "learning rate (default: AutoRec 0.002 with adam/adamw, 0.001 with sgd; mf 0.01 with any optimizer; the initial step size for rprop, default 0.001)"},
    {"momentum", "M", "SGD momentum (default 0.9)"},
    {"weight-decay", "D", "adamw only: decoupled decay per step, w -= lr * D * w (default 0)"},
    {"batch-size", "N", "rows per mini-batch (default 1024, 256 for mf; 0 = full batch)"},
    {"updates", "MODE", "exact (default): every weight row steps each batch; lazy: only the rows the batch touches"},
    {"lr-schedule", "KIND", "learning rate per epoch: constant (default), step, cosine (over --epochs) or plateau"},
    {"lr-factor", "F", "step, plateau: multiply the rate by F at each decay (default 0.5)"},
    {"lr-step", "N", "step: decay every N epochs (default 20)"},
    {"lr-patience", "N", "plateau: decay after N epochs without a better validation RMSE (default 3)"},
    {"lr-min", "RATE", "step, cosine, plateau: the lowest rate (cosine's end point; default 0)"},
    {"precision", "P", "fp32 (default) or bf16: AutoRec's gathered tables V, W read as bfloat16 (fp32 sums and master weights)"},
    {"epochs", "N", "maximum number of epochs (default 200)"},
    {"patience", "N", "stop after N epochs without a better validation RMSE (default 10)"},
    {"seed", "S", "seed of the initialisation, batch order and dropout (default 1)"},
};

const Group kRuntime = {
    {"device", "DEV", "cpu, cuda, cuda:N or auto (default auto: cuda when available)"},
    {"threads", "N", "OpenMP threads for the CPU backend (default: all cores)"},
};

const Group kReport = {
    {"quiet", nullptr, "no progress output"},
    {"json", nullptr, "print one JSON object with the results on stdout"},
    {"log-dir", "DIR", "write train.jsonl (one line per epoch) and training_curve.svg into DIR"},
};

const Group kCheckpointing = {
    {"checkpoint", "PATH", "save a checkpoint (also the model file) to PATH during and after training"},
    {"checkpoint-every", "N", "save every N epochs (default 1); always after the last one and on Ctrl-C"},
    {"resume", "PATH", "continue the run saved in PATH (same data, split and model options)"},
};

const Group kModelFile = {
    {"model-file", "PATH", "the trained model (the checkpoint written by autorec train --checkpoint)"},
};

const Group kEval = {
    {"test-file", "PATH", "ratings to evaluate (default: the test ratings stored in the checkpoint)"},
    {"ranking-k", "K", "also report HR@K, NDCG@K and recall@K over all items (default 0 = off)"},
    {"test-format", "NAME", "format of --test-file (default auto)"},
};

const Group kPredict = {
    {"input", "PATH", "(user, item) pairs, one per line, separated by ',', tab, space or '::' (raw ids)"},
    {"header", "MODE", "auto (default: a first line of words like user,item is a header), yes, no"},
    {"output", "PATH", "write the CSV here instead of stdout"},
};

const Group kRecommend = {
    {"users", "IDS", "raw user ids separated by commas"},
    {"users-file", "PATH", "raw user ids, one per line"},
    {"all-users", nullptr, "recommend for every user of the training data"},
    {"top", "N", "items per user (default 10)"},
    {"output", "PATH", "write the CSV here instead of stdout"},
};

const Group kExport = {
    {"out", "DIR", "folder to write the files into (created if needed)"},
    {"export-format", "KIND", "npy (default) or csv"},
};

const Group kSynth = {
    {"n-users", "N", "number of users (default 6040)"},
    {"n-items", "N", "number of items (default 3706)"},
    {"n-ratings", "N", "number of ratings, up to 10^9 (default 1000209)"},
    {"seed", "S", "generator seed (default 1)"},
    {"synth-format", "NAME", "csv (user,item,rating) or ml-1m (user::item::rating) (default csv)"},
    {"out", "PATH", "the file to write"},
};

const Group kForce = {
    {"force", nullptr, "overwrite an existing output file that is not of the kind this command writes"},
};

const Group kJsonOnly = {
    {"json", nullptr, "print the result as one JSON object on stdout"},
};

// autorec tune: the data is split into fitting and validation parts only; the test split is never
// read (--test-file is accepted only to be refused with a clear message).
const Group kTuneProtocol = {
    {"validation-fraction", "F", "share of --data held out to score each trial (default 0.1)"},
    {"split-seed", "S", "seed of the validation split (default 1)"},
    {"test-file", "PATH", "refused: tune never reads test data (give it to autorec train)"},
};

const Group kTune = {
    {"space", "FILE", "search space as JSON (default: lr, lambda, hidden, dropout, batch-size, lr-schedule, epochs)"},
    {"trials", "N", "number of trials (default 20 unless --time is given)"},
    {"time", "SECONDS", "start no trial after SECONDS (the trial running then finishes)"},
    {"seed", "S", "seed of the search and of every trial's training (default 1): the same seed, the same trials"},
    {"log", "FILE", "write one JSON line per trial (parameters, validation RMSE, epochs, seconds)"},
    {"output", "FILE", "write the best configuration here, a config file for autorec train --config"},
    {"quiet", nullptr, "no progress output"},
};

// The training options of kTrain without its --seed (tune's own --seed is in kTune).
std::vector<const OptionSpec*> train_options_without_seed() {
  std::vector<const OptionSpec*> specs;
  for (const OptionSpec& spec : kTrain)
    if (std::string(spec.name) != "seed") specs.push_back(&spec);
  return specs;
}

std::vector<const OptionSpec*> merge(std::initializer_list<const Group*> groups) {
  std::vector<const OptionSpec*> specs;
  for (const Group* group : groups) {
    for (const OptionSpec& spec : *group) specs.push_back(&spec);
  }
  return specs;
}

std::vector<const OptionSpec*> tune_options() {
  std::vector<const OptionSpec*> specs = merge({&kConfig, &kData, &kTuneProtocol, &kModel});
  const std::vector<const OptionSpec*> training = train_options_without_seed();
  specs.insert(specs.end(), training.begin(), training.end());
  const std::vector<const OptionSpec*> rest = merge({&kTune, &kRuntime, &kForce});
  specs.insert(specs.end(), rest.begin(), rest.end());
  return specs;
}

}  // namespace

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> table = {
      {"train", "train a model and report its test RMSE and MAE",
       merge({&kConfig, &kData, &kProtocol, &kModel, &kTrain, &kRuntime, &kReport, &kCheckpointing, &kForce})},
      {"eval", "evaluate a trained model on its test ratings or a file",
       merge({&kConfig, &kModelFile, &kEval, &kRuntime, &kJsonOnly})},
      {"predict", "predict ratings for (user, item) pairs", merge({&kConfig, &kModelFile, &kPredict, &kRuntime,
                                                                                         &kForce})},
      {"recommend", "top-N unseen items for given users", merge({&kConfig, &kModelFile, &kRecommend, &kRuntime,
                                                                                           &kForce})},
      {"export", "write hidden representations and weights (.npy or CSV)",
       merge({&kConfig, &kModelFile, &kExport, &kRuntime, &kForce})},
      {"info", "devices, backends and build configuration", merge({&kJsonOnly})},
      {"synth", "write a synthetic rating file of any size (streaming)", merge({&kConfig, &kSynth, &kForce})},
      {"tune", "random search over training settings, scored on a validation split (never the test data)",
       tune_options()},
  };
  return table;
}

const CommandInfo* find_command(const std::string& name) {
  const auto& table = commands();
  const auto it = std::find_if(table.begin(), table.end(), [&](const CommandInfo& c) { return name == c.name; });
  return it == table.end() ? nullptr : &*it;
}

std::string general_help() {
  std::ostringstream out;
  out << "usage: autorec COMMAND [--option value ...]\n\ncommands:\n";
  for (const CommandInfo& c : commands())
    out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ') << c.summary << "\n";
  out << "\n'autorec COMMAND --help' lists a command's options; docs/usage.md has the details.\n"
         "'autorec train' with no options trains the default ensemble (I- and U-AutoRec, MF and the bias baseline,\n"
         "blended on validation) on synthetic MovieLens-1M-shaped data.\n";
  return out.str();
}

std::string command_help(const CommandInfo& command) {
  std::ostringstream out;
  out << "usage: autorec " << command.name << " [--option value ...]\n" << command.summary << "\n\noptions:\n";
  for (const OptionSpec* spec : command.options) {
    std::string left = std::string("--") + spec->name + (spec->value_name ? std::string(" ") + spec->value_name : "");
    if (left.size() < 26) left.resize(26, ' ');
    out << "  " << left << " " << spec->help << "\n";
  }
  return out.str();
}

}  // namespace autorec::cli
