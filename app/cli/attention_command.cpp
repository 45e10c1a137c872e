// polarlab-cli attention stats: per-head sparsity and sink scores of any model's attention (.npy, .npz,
// .safetensors, .pt), heads.csv + summary.json + the paper's Figure 7 (head sparsity distribution per model).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "app/cli/command.hpp"
#include "core/types.hpp"
#include "core/attention/model_scan.hpp"
#include "core/attention/report.hpp"
#include "core/io/atomic_file.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER
#include <unistd.h>

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
  std::string layout = "layer,head,sample,q,k", key, shards = "samples", out;
  std::uint64_t sink_key = 0;
  double dpi = 300;
};

// Files grouped into models by label, in the order labels first appear. No label: one model per file,
// named after it; one label: every file is a shard of it; else one label per file.
std::vector<std::pair<std::string, std::vector<std::string>>> group(const AttentionOptions& o) {
  std::vector<std::pair<std::string, std::vector<std::string>>> models;
  if (!o.labels.empty() && o.labels.size() != 1 && o.labels.size() != o.files.size())
    throw ConfigError("--label", "expected none, one, or one per file (" + std::to_string(o.files.size()) + "), got " +
                                     std::to_string(o.labels.size()));
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    const std::string label = o.labels.empty()        ? std::filesystem::path(o.files[i]).stem().string()
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
struct PtFiles {
  std::filesystem::path dir;
  ~PtFiles() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

AttentionOptions with_pt_converted(AttentionOptions o, PtFiles& tmp) {
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    std::string& f = o.files[i];
    const std::string ext = std::filesystem::path(f).extension().string();
    if (ext != ".pt" && ext != ".pth") continue;
#ifdef HAVE_POLARLAB_TRANSFORMER
    if (tmp.dir.empty())
      tmp.dir = std::filesystem::temp_directory_path() / ("polarlab-pt-" + std::to_string(::getpid()));
    f = polarlab::transformer::pt_to_npy(f, o.key, (tmp.dir / std::to_string(i)).string());
#else
    throw ConfigError("FILE", "'" + f + "': .pt files need the libtorch build (POLARLAB_TORCH=ON); save with "
                              "safetensors or numpy instead (docs/attention.md)");
#endif
  }
  return o;
}

void run(const AttentionOptions& given) {
  PtFiles pt;
  const AttentionOptions o = with_pt_converted(given, pt);
  pa::ScanOptions opt;
  opt.layout = pa::parse_layout(o.layout);
  opt.shards = pa::parse_shard_axis(o.shards);
  opt.key = o.key;
  opt.sink_key = o.sink_key;
  std::vector<pa::ModelStats> models;
  for (const auto& [label, files] : group(o)) {
    const auto t0 = std::chrono::steady_clock::now();
    models.push_back(pa::scan_model(label, files, opt));
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
  }
  std::filesystem::create_directories(o.out);
  const std::string dir = o.out + "/";
  const std::string csv = pa::heads_csv(models);
  write_file_atomically(dir + "heads.csv", [&](std::ostream& s) { s << csv; });
  const nlohmann::json summary = pa::summary_json(models, opt);
  write_file_atomically(dir + "summary.json", [&](std::ostream& s) { s << summary.dump(2) << '\n'; });
  std::printf("wrote %sheads.csv, %ssummary.json", dir.c_str(), dir.c_str());
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
  namespace pf = polarlab::figure;
  const pf::Figure fig = pa::sparsity_figure(models);
  for (const char* ext : {"png", "svg", "pdf"}) {
    pf::RenderOptions ro;
    ro.format = pf::format_from_path(std::string("x.") + ext);
    ro.dpi = o.dpi;
    pf::render(fig, dir + "fig7." + ext, ro);  // render() writes atomically
    std::printf(", %sfig7.%s", dir.c_str(), ext);
  }
  pf::write_figure_csv(fig, dir + "fig7.csv");
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
                                   "(one sample)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--label", o.labels, "Model name per file (files with the same label are shards of one model); "
                                       "one label: all files; none: one model per file, named after it");
  sub->add_option("--layout", o.layout, "layer,head,sample,q,k (default, the paper's) or layer,sample,head,q,k "
                                        "(Hugging Face: torch.stack(outputs.attentions))");
  sub->add_option("--key", o.key, "Tensor to read in a multi-tensor file (default: the only one, or 'attention')");
  sub->add_option("--sink-key", o.sink_key, "Key index K of the sink score (default 0, the first token)");
  sub->add_option("--shards", o.shards, "How files of one label split the model: samples (default) or layers")
      ->check(CLI::IsMember({"samples", "layers"}));
  sub->add_option("--dpi", o.dpi, "PNG resolution of Figure 7 (default 300)")->check(CLI::Range(10.0, 2400.0));
  sub->add_option("--out", o.out, "Output folder")->required();
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
