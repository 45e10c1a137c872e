// The files of a training run directory (train_run.hpp writes them), their writers' formats and their readers,
// side by side so that a reader cannot drift from its writer. Torch-free: the GUI's Sweeps workspace and the sweep
// results store read runs without libtorch.
//   config.json     to_json(TrainConfig) + device_used, torch_version     read_run_config
//   metrics.csv     metrics_columns, metrics_cells (one CsvTable)           read_metrics_csv
//   cls_attention.csv  cls_attention_header (classification)               CsvTable::read
//   attention.json  attention_maps_json                                    parse_attention_json
//   summary.json    train_to_directory's summary                           read_summary
//   attention.npy   write_attention_npy (float32, layer,head,sample,q,k)  polarlab-cli attention stats (core/attention)
//   manifest.json   the files above this run writes (core/io/owned_folder.hpp); the readers read only those
#pragma once
#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/transformer/config.hpp"
#include "core/transformer/trainer.hpp"  // AttentionMap, MetricsRow (torch-free structs)

namespace polarlab::transformer {

// A CSV file of the trainer: a header and rows of cells (no quoting: the trainer's cells are names and numbers).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  static std::string line(const std::vector<std::string>& cells);  // "a,b,c" (no newline)
  void write(std::ostream& os) const;                               // header, then rows, '\n' after each
  // Reads a header and rows (cells trimmed of blanks, empty lines skipped). `name` goes into the messages;
  // throws std::runtime_error for an empty file or a row with another number of cells than the header.
  static CsvTable read(std::istream& in, const std::string& name);
  int column(const std::string& name) const;  // -1 when absent
};

// A number as the trainer's CSVs write it: %.9g, and nan / inf / -inf.
std::string csv_number(double v);

// metrics.csv header for a config: step,epoch,train_loss,eval_loss,eval_accuracy,seconds, then
// sink_l<l>_h<h> (induction) or concentration_l<l>_h<h> (classification).
std::vector<std::string> metrics_columns(const TrainConfig& c);
std::vector<std::string> metrics_cells(const MetricsRow& r);
// cls_attention.csv header: step,label,sample,layer,head,w0..w<T-1>.
std::vector<std::string> cls_attention_header(const TrainConfig& c);

// metrics.csv as numbers ("nan" allowed): values[column][row].
struct MetricsTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> values;
  int column(const std::string& name) const;  // -1 when absent
  std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};
MetricsTable read_metrics_csv(std::istream& in);  // throws std::runtime_error naming metrics.csv and the line

// attention.json: [{"sample", "tokens", "weights": [layer][head][query][key]}].
nlohmann::json attention_maps_json(const std::vector<AttentionMap>& maps);
std::vector<AttentionMap> parse_attention_json(const std::string& text);  // throws std::runtime_error on bad shape

// attention.npy: every eval sequence's attention after training (the sequences summary.json's sink scores and
// concentrations average over, so `attention stats` on the run folder reproduces them), as a .npy (format 1.0,
// '<f4', C order, shape (layer, head, sample, q, k)). 2 layers x 4 heads x 1,000 sequences x 12² keys: 4.6 MB.
void write_attention_npy(std::ostream& os, const EvalAttention& a);
// Any float32 array as a .npy (format 1.0, '<f4', C order).
void write_npy_f32(std::ostream& os, const std::vector<std::int64_t>& shape, const float* data, std::size_t count);

// A run's config.json read back as the trainer ran it: train_config_from_json (the table's keys; defaults are
// TrainConfig's), then resolve_defaults. nullopt when the file is missing; throws ConfigError when it is not a
// readable transformer config.
std::optional<TrainConfig> read_run_config(const std::string& dir);
// summary.json as JSON; nullopt when missing or unreadable (a torn file).
std::optional<nlohmann::json> read_summary(const std::string& dir);

}  // namespace polarlab::transformer
