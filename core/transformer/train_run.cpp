#include "core/job/job.hpp"
#include "core/transformer/train_run.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/io/atomic_file.hpp"
#include "core/io/owned_folder.hpp"
#include "core/transformer/config_table.hpp"
#include "core/transformer/metrics.hpp"
#include "core/transformer/run_files.hpp"
#include "core/types.hpp"

namespace polarlab::transformer {
namespace fs = std::filesystem;

std::string metrics_header(const TrainConfig& c) { return CsvTable::line(metrics_columns(c)); }

namespace {

// Keeps the header and the rows up to `step` (a resumed run rewrites what came after its checkpoint).
void truncate_metrics(const std::string& path, long long step, const TrainConfig& c) {
  CsvTable t;
  t.header = metrics_columns(c);
  std::ifstream in(path);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first) {
      first = false;
      continue;
    }
    if (line.empty() || std::stoll(line.substr(0, line.find(','))) > step) continue;
    std::vector<std::string> cells;  // every cell as written (the line is rewritten byte for byte)
    for (std::size_t a = 0;;) {
      const std::size_t b = line.find(',', a);
      cells.push_back(line.substr(a, b == std::string::npos ? std::string::npos : b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    t.rows.push_back(std::move(cells));
  }
  write_file_atomically(path, [&](std::ostream& os) { t.write(os); });
}

}  // namespace

TrainRunResult train_to_directory(const TrainConfig& config, const TrainRunOptions& o) {
  if (o.out.empty()) throw ConfigError("out", "give an output directory");
  check_output_folder(o.out, "out", "train", o.force);  // a foreign or unwritable folder, before any work
  Trainer trainer(config);  // bad configs and a missing GPU fail before anything is written
  fs::create_directories(o.out);
  const std::string config_path = o.out + "/config.json", metrics_path = o.out + "/metrics.csv",
                    checkpoint_path = o.out + "/checkpoint.pt", cls_path = o.out + "/cls_attention.csv";
  const TrainConfig& c = trainer.config();
  const std::string header = metrics_header(c);

  nlohmann::json cfg_json = to_json(c);
  const bool record_cls = c.task == TaskKind::classification && c.record_cls_attention;
  // The run's files: its manifest lists them from the start (they grow while it trains; a kill keeps them).
  std::vector<std::string> files = {"config.json",    "metrics.csv",   "checkpoint.pt",
                                    "summary.json",   "attention.json", "attention.npy"};
  if (record_cls) files.push_back("cls_attention.csv");
  const bool resuming = o.resume && fs::exists(checkpoint_path) && run_file_listed(o.out, "checkpoint.pt");
  if (resuming) {
    // The checkpoint only makes sense for the same run: compare everything but the budget and the machine.
    if (fs::exists(config_path)) {
      std::ifstream in(config_path);
      check_resume_compatible(nlohmann::json::parse(in, nullptr, false), cfg_json, o.out);
    }
    trainer.load_checkpoint(checkpoint_path);
    truncate_metrics(metrics_path, trainer.step(), c);
    write_manifest(o.out, "train", files);
  } else {
    // A fresh run replaces the folder's previous run as a whole: its files go (a classification run's
    // cls_attention.csv under an induction run, say); a sweep's status.json and train.log stay.
    begin_in_place_run(o.out, "train", files);
    write_file_atomically(metrics_path, [&](std::ostream& os) { os << header << '\n'; });
    if (record_cls) {
      write_file_atomically(cls_path, [&](std::ostream& os) { os << CsvTable::line(cls_attention_header(c)) << '\n'; });
    }
  }
  cfg_json["device_used"] = trainer.device();
  cfg_json["torch_version"] = Trainer::torch_version();
  write_file_atomically(config_path, [&](std::ostream& os) { os << cfg_json.dump(2) << '\n'; });

  // Rows are appended and flushed as they come, so a killed run keeps its curve.
  std::ofstream metrics(metrics_path, std::ios::app);
  std::ofstream cls;
  if (record_cls) cls.open(cls_path, std::ios::app);
  auto write_cls = [&] {
    for (const auto& r : trainer.cls_attention())
      for (int l = 0, i = 0; l < c.layers; ++l)
        for (int h = 0; h < c.heads; ++h) {
          std::vector<std::string> cells = {std::to_string(r.step), std::to_string(r.label), std::to_string(r.sample),
                                            std::to_string(l), std::to_string(h)};
          for (int k = 0; k < c.seq_len(); ++k) cells.push_back(csv_number(r.rows[i++]));
          cls << CsvTable::line(cells) << '\n';
        }
  };
  if (record_cls && trainer.step() == 0) write_cls();  // the attention at initialization

  Evaluation last_eval;
  MetricsRow last_row;
  bool have_row = false;
  std::thread watcher;
  std::atomic<bool> finished{false};
  if (o.cancel) {
    // A signal handler may only set a flag: a small thread forwards it to the trainer.
    watcher = std::thread([&] {
      while (!finished) {
        if (o.cancel->load()) {
          trainer.request_cancel();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  const double t0 = monotonic_seconds();
  TrainState state;
  try {
    state = trainer.run(
        [&](const MetricsRow& row, const Evaluation& ev) {
          metrics << CsvTable::line(metrics_cells(row)) << '\n' << std::flush;
          last_eval = ev;
          last_row = row;
          have_row = true;
          if (o.report) o.report(trainer.progress(), &row);
        },
        [&](long long step) {
          if (record_cls) write_cls();
          if (c.checkpoint_every > 0 && step % c.checkpoint_every == 0 && step < trainer.total_steps())
            trainer.save_checkpoint(checkpoint_path);
          if (o.report) o.report(trainer.progress(), nullptr);
        });
  } catch (...) {
    finished = true;
    if (watcher.joinable()) watcher.join();
    throw;
  }
  finished = true;
  if (watcher.joinable()) watcher.join();
  const double wall = monotonic_seconds() - t0;
  trainer.save_checkpoint(checkpoint_path);
  if (!have_row || last_eval.step != trainer.step()) {
    last_eval = trainer.evaluate(true);  // cancelled between rows, or resumed at the end
    last_row.train_loss = std::nan("");
  }

  nlohmann::json s;
  s["state"] = name_of(state);
  s["task"] = name_of(c.task);
  s["attention"] = name_of(c.attention);
  s["steps"] = trainer.step();
  s["total_steps"] = trainer.total_steps();
  s["eval_accuracy"] = last_eval.eval_accuracy;
  s["eval_loss"] = last_eval.eval_loss;
  s["train_loss"] = std::isfinite(last_row.train_loss) ? nlohmann::json(last_row.train_loss) : nlohmann::json();
  s["seconds_per_step"] = trainer.mean_step_seconds();
  s["train_seconds"] = trainer.progress().seconds.load();
  s["wall_seconds"] = wall;
  s["device"] = trainer.device();
  s["threads"] = c.threads;
  s["torch_version"] = Trainer::torch_version();
  s["num_parameters"] = trainer.num_parameters();
  if (c.task == TaskKind::induction) {
    s["sink_scores"] = last_eval.sink_scores;
    nlohmann::json heads = nlohmann::json::array(), proportion = nlohmann::json::array();
    for (const auto& layer : last_eval.sink_scores) {
      nlohmann::json row = nlohmann::json::array();
      int count = 0;
      for (double v : layer) {
        row.push_back(is_sink(v));
        count += is_sink(v);
      }
      heads.push_back(row);
      proportion.push_back(layer.empty() ? 0.0 : double(count) / layer.size());
    }
    s["sink_heads"] = heads;            // [layer][head]: score > 0.9
    s["sink_proportion"] = proportion;  // per layer
    s["induction_accuracy"] = last_eval.eval_accuracy;
  } else {
    s["concentration"] = last_eval.concentration;
    const FlipRate fr = trainer.flip_rate(c.flip_pairs);
    s["flip_rate"] = fr.max;
    s["flip_rates"] = fr.rate;
    s["flip_pairs"] = c.flip_pairs;
  }
  write_file_atomically(o.out + "/summary.json", [&](std::ostream& os) { os << s.dump(2) << '\n'; });
  write_file_atomically(o.out + "/attention.json", [&](std::ostream& os) { os << attention_maps_json(last_eval.maps).dump() << '\n'; });
  // Every eval sequence: the ones the sink scores above average over, so `attention stats` on this folder
  // gives train's scores (issue 25).
  const EvalAttention attention = trainer.eval_attention(c.eval_size);
  write_file_atomically(o.out + "/attention.npy", [&](std::ostream& os) { write_attention_npy(os, attention); });
  return {state, s};
}

}  // namespace polarlab::transformer
