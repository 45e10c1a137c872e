// polarlab-cli attention stats: per-head sparsity and sink scores of any model's attention (.npy, .npz,
// .safetensors, .pt), heads.csv + summary.json + the paper's Figure 7 (head sparsity distribution per model).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "app/cli/checked_flags.hpp"
#include "app/cli/command.hpp"
#include "core/types.hpp"
#include "core/attention/model_scan.hpp"
#include "core/attention/report.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/owned_folder.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER

#include "core/transformer/pt_file.hpp"
#endif
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
#include "core/attention/sparsity_figure.hpp"
#include "core/figure/figure.hpp"
#endif

namespace polarlab::cli {
namespace {

namespace pa = polarlab::attention;

struct AttentionOptions {
  std::vector<std::string> files, labels;
  std::string layout = "layer,head,sample,q,k", key, shards = "samples", out, rows = "auto";
  std::uint64_t sink_key = 0;
  double dpi = 300;
  bool force = false;
  std::vector<bool> run_folder;  // per file: given as a train run folder (then files[i] is its attention.npy)
};

// Files grouped into models by label, in the order labels first appear. No label: one model per file,
// named after it; one label: every file is a shard of it; else one label per file.
std::vector<std::pair<std::string, std::vector<std::string>>> group(const AttentionOptions& o) {
  std::vector<std::pair<std::string, std::vector<std::string>>> models;
  if (!o.labels.empty() && o.labels.size() != 1 && o.labels.size() != o.files.size())
    throw ConfigError("--label", "expected none, one, or one per file (" + std::to_string(o.files.size()) + "), got " +
                                     std::to_string(o.labels.size()));
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    const std::filesystem::path f(o.files[i]);
    // A train run folder (FILE given as the folder) is named after the folder, not its attention.npy.
    const bool folder = i < o.run_folder.size() && o.run_folder[i];
    const std::string unnamed = folder ? f.parent_path().filename().string() : f.stem().string();
    const std::string label = o.labels.empty()        ? unnamed
                              : o.labels.size() == 1 ? o.labels[0]
                                                     : o.labels[i];
    auto it = std::find_if(models.begin(), models.end(), [&](const auto& m) { return m.first == label; });
    if (it == models.end()) models.push_back({label, {o.files[i]}});
    else it->second.push_back(o.files[i]);
  }
  return models;
}

// .pt files become float32 .npy files in a temporary folder (libtorch reads them whole; see pt_file.hpp), removed
// when the command ends.
#ifdef HAVE_POLARLAB_TRANSFORMER
using PtFiles = polarlab::transformer::PtConversions;
#else
struct PtFiles {};
#endif

AttentionOptions with_pt_converted(AttentionOptions o, [[maybe_unused]] PtFiles& tmp) {
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    std::string& f = o.files[i];
    const std::string ext = std::filesystem::path(f).extension().string();
    if (ext != ".pt" && ext != ".pth") continue;
#ifdef HAVE_POLARLAB_TRANSFORMER
    f = tmp.npy_of(f, o.key);
#else
    throw ConfigError("FILE", "'" + f + "': .pt files need the libtorch build (POLARLAB_TORCH=ON); save with "
                              "safetensors or numpy instead (docs/attention.md)");
#endif
  }
  return o;
}

// A train run folder stands for its attention.npy.
AttentionOptions with_run_folders(AttentionOptions o) {
  o.run_folder.assign(o.files.size(), false);
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.files[i], ec)) continue;
    const std::filesystem::path npy = std::filesystem::path(o.files[i]) / "attention.npy";
    if (!std::filesystem::is_regular_file(npy, ec))
      throw ConfigError("FILE", "'" + o.files[i] + "' is a folder without attention.npy; give an attention file or a "
                                "polarlab-cli train run folder");
    o.files[i] = npy.string(), o.run_folder[i] = true;
  }
  return o;
}

// --rows auto: the paper's rows for a model whose every file is an induction train run's attention.npy (then
// the scores are train's), all rows otherwise.
pa::SinkRowsOption rows_for(const AttentionOptions& o, const std::vector<std::string>& files) {
  if (o.rows != "auto") return pa::parse_sink_rows(o.rows);
  pa::SinkRowsOption r;
  if (std::all_of(files.begin(), files.end(), [](const std::string& f) { return pa::is_induction_run_attention(f); }))
    r.kind = pa::SinkRowsOption::Kind::paper;
  return r;
}

// The flags CLI11 cannot check alone, before any input is read or anything written (numbers: real_in/integer_in).
void check_flags(const AttentionOptions& o) {
  pa::parse_layout(o.layout);
  pa::parse_shard_axis(o.shards);
  if (o.rows != "auto") pa::parse_sink_rows(o.rows);
  group(o);  // --label count
}

void run(const AttentionOptions& given) {
  const AttentionOptions folders = with_run_folders(given);
  check_flags(folders);
  check_output_folder(given.out, "--out", "attention_stats", given.force);  // before reading any file
  PtFiles pt;
  const AttentionOptions o = with_pt_converted(folders, pt);
  pa::ScanOptions opt;
  opt.layout = pa::parse_layout(o.layout);
  opt.shards = pa::parse_shard_axis(o.shards);
  opt.key = o.key;
  opt.sink_key = o.sink_key;
  std::vector<pa::ModelStats> models;
  for (const auto& [label, files] : group(o)) {
    const auto t0 = std::chrono::steady_clock::now();
    pa::ScanOptions model_opt = opt;
    model_opt.rows = rows_for(o, files);  // auto: per model
    models.push_back(pa::scan_model(label, files, model_opt));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const pa::ModelStats& m = models.back();
    const pa::HeadAccumulator t = m.total();
    std::printf("%s: %zu file(s), %llu layers x %llu heads, %llu samples, %llu rows (%llu masked skipped); "
                "%.1f MB in %.2f s (%.2f GB/s)\n",
                label.c_str(), files.size(), (unsigned long long)m.layers, (unsigned long long)m.heads,
                (unsigned long long)m.samples, (unsigned long long)t.rows, (unsigned long long)t.masked_rows,
                m.bytes / 1e6, s, s > 0 ? m.bytes / 1e9 / s : 0.0);
    if (t.invalid_rows > 0)
      std::fprintf(stderr,
                   "polarlab-cli: attention: %s: %llu row(s) left out of the scores: %llu NaN/infinite and %llu "
                   "negative weight(s)\n",
                   label.c_str(), (unsigned long long)t.invalid_rows, (unsigned long long)t.nonfinite_weights,
                   (unsigned long long)t.negative_weights);
    if (t.sink_samples_skipped > 0)
      std::fprintf(stderr, "polarlab-cli: attention: %s: %llu sample(s) left out of the sink scores: a NaN or infinite "
                           "weight in the sink rows\n",
                   label.c_str(), (unsigned long long)t.sink_samples_skipped);
  }
  // The files replace the folder as a whole (manifest.json lists them); the messages name --out's paths.
  const std::string dir = o.out + "/";
  write_owned_folder(o.out, "attention_stats", [&](const std::string& staging) {
    const std::string at = staging + "/";
    const std::string csv = pa::heads_csv(models);
    write_file_atomically(at + "heads.csv", [&](std::ostream& s) { s << csv; });
    nlohmann::json summary = pa::summary_json(models, opt);
    summary["sink_rows"] = o.rows;  // as asked; each model names the rows it used
    write_file_atomically(at + "summary.json", [&](std::ostream& s) { s << summary.dump(2) << '\n'; });
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
    namespace pf = polarlab::figure;
    const pf::Figure fig = pa::sparsity_figure(models);
    for (const char* ext : {"png", "svg", "pdf"}) {
      pf::RenderOptions ro;
      ro.format = pf::format_from_path(std::string("x.") + ext);
      ro.dpi = o.dpi;
      pf::render(fig, at + "fig7." + ext, ro);  // render() writes atomically
    }
    pf::write_figure_csv(fig, at + "fig7.csv");
#endif
  });
  std::printf("wrote %sheads.csv, %ssummary.json", dir.c_str(), dir.c_str());
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
  for (const char* ext : {"png", "svg", "pdf"}) std::printf(", %sfig7.%s", dir.c_str(), ext);
  std::printf(", %sfig7.csv\n", dir.c_str());
#else
  std::printf("\n(no Figure 7: this build has no Cairo; apt install libcairo2-dev, then rebuild)\n");
#endif
}

RegisterCommand reg("attention", 60, [](CLI::App& app) {
  static AttentionOptions o;
  auto* top = app.add_subcommand("attention", "Attention of your own models: per-head sparsity and sink scores");
  top->require_subcommand(1);
  auto* sub = top->add_subcommand(
      "stats", "Per-head scores (sparsity = mean max/sum of the rows, sink, entropy, argmax on the sink key) from "
               ".npy/.npz/.safetensors/.pt; writes heads.csv, summary.json and Figure 7 (fig7.png/svg/pdf)");
  sub->add_option("FILE", o.files, "Attention probabilities: .npy, .npz (float16/32/64), .safetensors "
                                   "(F16, BF16, F32) or, with libtorch, .pt (torch.save: a tensor, a dict of tensors "
                                   "or a list of per-layer tensors, stacked); 5-D in --layout, or 4-D layer,head,q,k "
                                   "(one sample); or a polarlab-cli train run folder (its attention.npy)")
      ->required()
      ->check(CLI::ExistingPath);
  sub->add_option("--label", o.labels, "Model name per file (files with the same label are shards of one model); "
                                       "one label: all files; none: one model per file, named after it");
  sub->add_option("--layout", o.layout, "layer,head,sample,q,k (default, the paper's) or layer,sample,head,q,k "
                                        "(Hugging Face: torch.stack(outputs.attentions))");
  sub->add_option("--key", o.key, "Tensor to read in a multi-tensor file (default: the only one, or 'attention')");
  sub->add_option("--sink-key", o.sink_key, "Key index K of the sink score (default 0, the first token)")
      ->check(integer_in(0, 1LL << 62));
  sub->add_option("--rows", o.rows,
                  "Query rows of the sink score (per sample: weight on K summed over the rows / their total weight "
                  "+ 1e-9, averaged over samples; a sink head: > 0.9): all (0..q-1), paper (1..q-3, the paper's on "
                  "the induction task, as train scores), A:B (rows A to B, both included, from 0) or auto (default: "
                  "paper for a train run's induction attention.npy or folder, else all)");
  sub->add_option("--shards", o.shards, "How files of one label split the model: samples (default) or layers")
      ->check(CLI::IsMember({"samples", "layers"}));
  sub->add_option("--dpi", o.dpi, "PNG resolution of Figure 7 (default 300)")->check(real_in(10.0, 2400.0));
  sub->add_option("--out", o.out, "Output folder (created; an attention stats folder there is replaced as a whole; a "
                                  "folder holding other files is refused unless --force)")
      ->required();
  sub->add_flag("--force", o.force, "Write into a --out folder that holds files polarlab did not write (they are "
                                    "left alone; manifest.json lists the written files)");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
