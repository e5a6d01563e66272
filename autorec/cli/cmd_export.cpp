// autorec export: the model's hidden representations (the code layer of every row) and its
// weights, as .npy or CSV files, plus the raw ids of the rows and inputs and a manifest.json
// describing every file (docs/usage.md).
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <iostream>
#include <numeric>

#include "autorec/data/atomic_file.h"
#include "autorec/ensemble.h"
#include "commands.h"
#include "csv_field.h"
#include "autorec/json_writer.h"
#include "matrix_writer.h"
#include "model_file.h"
#include "output_guard.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

constexpr std::int64_t kRowsPerBlock = 1024;

struct Exporter {
  std::filesystem::path folder;
  MatrixFormat format;
  JsonWriter manifest;

  std::string file_name(const std::string& stem) const {
    return stem + (format == MatrixFormat::Npy ? ".npy" : ".csv");
  }
  void describe(const std::string& file, std::int64_t rows, std::int64_t cols, const std::string& meaning) {
    manifest.begin_object().field("file", file).key("shape").begin_array().value(rows).value(cols).end_array();
    manifest.field("meaning", meaning).end_object();
  }
};

// The model's representation of every row (AutoRec: the code layer; MF: the row factors), computed
// block by block.
void export_codes(Exporter& ex, RatingModel& model, const engine::SparseMatrix& inputs, engine::Device device) {
  std::vector<engine::index_t> rows(static_cast<std::size_t>(inputs.rows()));
  std::iota(rows.begin(), rows.end(), 0);
  std::optional<MatrixWriter> writer;
  for (std::int64_t first = 0; first < inputs.rows(); first += kRowsPerBlock) {
    const std::int64_t count = std::min(kRowsPerBlock, inputs.rows() - first);
    engine::SparseMatrix block = inputs.slice_rows({rows.data() + first, static_cast<std::size_t>(count)});
    if (!device.is_cpu()) block = block.to(device);
    const engine::ConstTensorView codes =
        model.encode(RowBlock{block, {rows.data() + first, static_cast<std::size_t>(count)}});  // (count, width)
    if (!writer) writer.emplace((ex.folder / ex.file_name("codes")).string(), inputs.rows(), codes.cols(), ex.format);
    writer->append(codes.to_host());
    if (first == 0)
      ex.describe(ex.file_name("codes"), inputs.rows(), codes.cols(),
                  "representation of each row (AutoRec: the code layer; mf: the row factors), rows in row_ids.csv "
                  "order");
  }
  if (writer) writer->close();
}

void export_weights(Exporter& ex, const engine::ParameterStore& store) {
  for (engine::ParameterId id = 0; id < store.count(); ++id) {
    const engine::ParameterInfo& info = store.info(id);
    std::string stem = info.name;
    std::replace_if(
        stem.begin(), stem.end(),
        [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-'; }, '_');
    MatrixWriter writer((ex.folder / ex.file_name(stem)).string(), info.rows, info.cols, ex.format);
    writer.append(store.value(id).to_host());
    writer.close();
    ex.describe(ex.file_name(stem), info.rows, info.cols, "parameter '" + info.name + "' (" + info.group + ")");
  }
}

void export_ids(Exporter& ex, const std::string& file, const IdMap& ids, const std::string& meaning) {
  std::ostringstream out;
  out << "index,raw_id\n";
  for (std::int32_t i = 0; i < ids.size(); ++i) out << i << ',' << csv_field(ids.raw_id(i)) << '\n';
  write_file_atomically(ex.folder / file, out.str());
  ex.describe(file, ids.size(), 2, meaning);
}

}  // namespace

int run_export(const Options& options) {
  if (!options.has("out")) throw UsageError("autorec export needs --out DIR");
  const bool npy = options.choice("export-format", "npy", {"npy", "csv"}) == "npy";
  OutputGuard(options).input("checkpoint").input("model-file").output("out", OutputKind::export_folder);
  TrainedModel trained = load_trained(options);
  const Checkpoint& c = trained.checkpoint;
  if (c.model.kind == kEnsembleKind) {  // before the folder is touched
    throw UsageError("autorec export: " + options.text("model-file") + " holds an ensemble (" + model_summary(c.model) +
                     "), which has no single representation of its rows; export a model trained with --model item, "
                     "user or mf");
  }
  Exporter ex{options.text("out"), npy ? MatrixFormat::Npy : MatrixFormat::Csv, {}};
  // The manifest is written last, so a folder whose manifest lists a file holds that file complete.
  // An earlier export's manifest goes first: during and after a failed export there is none.
  std::error_code error;
  std::filesystem::remove(ex.folder / "manifest.json", error);
  create_folders(ex.folder);

  const bool by_item = c.model.orientation == Orientation::ItemBased;
  ex.manifest.begin_object().field("orientation", orientation_name(c.model.orientation)).key("files").begin_array();
  export_ids(ex, "row_ids.csv", by_item ? *c.inputs->item_ids : *c.inputs->user_ids,
             by_item ? "raw item id of each row" : "raw user id of each row");
  export_ids(ex, "input_ids.csv", by_item ? *c.inputs->user_ids : *c.inputs->item_ids,
             by_item ? "raw user id of each input column" : "raw item id of each input column");
  export_codes(ex, *trained.model, trained.input_rows, trained.device);
  export_weights(ex, trained.model->parameters());
  ex.manifest.end_array().end_object();
  write_file_atomically(ex.folder / "manifest.json", ex.manifest.str() + "\n");
  std::cout << "wrote " << ex.folder.string() << "/manifest.json and the files it lists\n";
  return 0;
}

}  // namespace autorec::cli
