// The Attention workspace: your own models' attention (.npy/.npz/.safetensors, core/attention) side by side —
// the paper's Figure 7 (head sparsity distribution per model), the layers × heads grid of one sample's maps
// with hover values, the heads sortable by sparsity or sink score, and the figure's export.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/transformer/labels.hpp"
#include "app/gui/shell/job_worker.hpp"
#include "app/gui/attention/flags.hpp"
#include "app/gui/shell/workspace.hpp"
#include "app/widgets/labelled_heatmap.hpp"
#include "core/attention/model_scan.hpp"
#include "core/attention/report.hpp"
#include "core/attention/sample_maps.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER

#include "core/transformer/pt_file.hpp"
#endif
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
#include "core/attention/sparsity_figure.hpp"
#include "core/figure/figure.hpp"
#endif

namespace polarlab::gui {

namespace {

namespace pa = polarlab::attention;

// What one "Open" computes off the frame loop: each model's head scores and its first file's sample maps.
struct Loaded {
  std::vector<pa::ModelStats> models;
  std::vector<pa::SampleMaps> maps;  // per model; empty values when the preview is unavailable
  std::vector<std::string> map_notes;
  std::string error;
  bool cancelled = false;
};

// Thrown from the scan's progress callback when the job's cancel was requested: the scan stops at that piece.
struct LoadCancelled {};

// "a.npy b.npy" → {"a.npy", "b.npy"}: the shards of one model.
// The files of one model box: paths separated by spaces; a `train` run folder stands for its attention.npy.
std::vector<std::string> split_paths(const char* text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string s; in >> s;) {
    std::error_code ec;
    if (std::filesystem::is_directory(s, ec) && std::filesystem::exists(std::filesystem::path(s) / "attention.npy", ec))
      s = (std::filesystem::path(s) / "attention.npy").string();
    out.push_back(s);
  }
  return out;
}

class AttentionWorkspace : public WorkspaceView {
 public:
  bool poll(AppState&) override {
    if (!job_) return false;
    if (!job_->ended()) return true;  // the progress bar moves
    const auto result = job_->snapshot();
    job_.reset();
    if (!result) return true;
    Loaded got = *result;
    if (got.cancelled) {
      data_.error = "reading cancelled" + std::string(data_.models.empty() ? "" : ": still showing the models opened before");
      return true;
    }
    if (!got.error.empty() && !data_.models.empty()) {
      // A failed Open keeps the models on screen and says so: the figure and table below are still theirs.
      std::string shown;
      for (const pa::ModelStats& m : data_.models) shown += (shown.empty() ? "" : ", ") + m.label;
      data_.error = "could not open: " + got.error + " (still showing " + shown + ", opened before)";
      return true;
    }
    data_ = std::move(got);
    sample_model_ = 0;
    return true;
  }

  void draw(AppState& app) override {
    controls(app);
    if (!data_.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", data_.error.c_str());
    if (data_.models.empty()) {
      ImGui::TextDisabled("Open one or two models' attention: .npy, .npz or .safetensors, 5-D in the layout (or 4-D: "
                          "one sample); several paths in one box are shards of that model.");
      return;
    }
    const float h = ImGui::GetContentRegionAvail().y;
    const float w = ImGui::GetContentRegionAvail().x;
    if (ImGui::BeginChild("##fig7", ImVec2(w * 0.42f, h * 0.55f), true)) figure7();
    ImGui::EndChild();
    ImGui::SameLine();
    if (ImGui::BeginChild("##grid", ImVec2(0, h * 0.55f), true)) grid();
    ImGui::EndChild();
    if (ImGui::BeginChild("##heads", ImVec2(0, 0), true)) heads_table();
    ImGui::EndChild();
  }

  void shutdown() override {
    if (job_) job_->job().request_cancel();
    job_.reset();
  }

  std::string launch(AppState& app, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const AttentionFlags&>(flags);
    if (launch.attention_models.empty()) return {};
    if (launch.attention_models.size() > 2) return "attention: at most two models (give each model's shards in one argument)";
    for (std::size_t i = 0; i < launch.attention_models.size(); ++i) {
      const std::string& m = launch.attention_models[i];
      std::snprintf(files_[i], sizeof files_[i], "%s", m.c_str());
      // A label from the path: a train run folder's name, else the first file's stem.
      const std::vector<std::string> files = split_paths(m.c_str());
      const std::filesystem::path p = files.empty() ? std::filesystem::path(m) : std::filesystem::path(files.front());
      const std::string label = p.filename() == "attention.npy" ? p.parent_path().filename().string() : p.stem().string();
      std::snprintf(labels_[i], sizeof labels_[i], "%s", label.c_str());
    }
    open(*app.jobs);
    return {};
  }

 private:
  void controls(AppState& app) {
    const bool busy = job_ != nullptr;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
    ImGui::InputTextWithHint("##files_a", "model A: file(s), shards space separated", files_[0], sizeof files_[0]);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputText("label A", labels_[0], sizeof labels_[0]);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
    ImGui::InputTextWithHint("##files_b", "model B (optional)", files_[1], sizeof files_[1]);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputText("label B", labels_[1], sizeof labels_[1]);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    ImGui::Combo("layout", &layout_, "layer,head,sample,q,k\0layer,sample,head,q,k (Hugging Face)\0");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputInt("sink key", &sink_key_);
    sink_key_ = std::max(sink_key_, 0);
    ImGui::SameLine();
    if (busy) {
      // Reading: how far (bytes of all files), and a way out that keeps what was shown before.
      if (ImGui::Button("Cancel")) job_->job().request_cancel();
      ImGui::SameLine();
      char pct[32];
      std::snprintf(pct, sizeof pct, "reading %.0f %%", 100.0 * job_->job().fraction());
      ImGui::ProgressBar(static_cast<float>(job_->job().fraction()), ImVec2(ImGui::GetFontSize() * 10, 0), pct);
    } else if (ImGui::Button("Open")) {
      open(*app.jobs);
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(data_.models.empty() || !figures_available());
    if (ImGui::Button("Export figure")) export_figure7(app);
    ImGui::EndDisabled();
    if (!app.message.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", app.message.c_str());
    }
  }

  void open(JobHost& host) {
    std::vector<std::pair<std::string, std::vector<std::string>>> models;
    for (int i = 0; i < 2; ++i) {
      auto files = split_paths(files_[i]);
      if (files.empty()) continue;
      models.push_back({labels_[i][0] ? labels_[i] : (i == 0 ? "A" : "B"), files});
    }
    pa::ScanOptions opt;
    opt.layout = layout_ == 0 ? pa::Layout::layer_head_sample : pa::Layout::layer_sample_head;
    opt.sink_key = static_cast<std::uint64_t>(sink_key_);
    job_ = std::make_unique<JobWorker<Loaded>>(host);
    auto* worker = job_.get();
    std::string name = "reading attention:";
    for (const auto& m : models) name += " " + m.first;
    worker->start_once(std::move(name), "attention", [models, opt, worker](JobControl& job) {
      Loaded out;
      // Progress in bytes over every file of every model (a .pt counts when its .npy is scanned).
      std::uint64_t total = 0, before = 0;
      for (const auto& m : models)
        for (const auto& f : m.second) {
          std::error_code ec;
          const auto n = std::filesystem::file_size(f, ec);
          if (!ec) total += n;
        }
      job.set_progress(0, static_cast<std::int64_t>(total));
      job.set_state(JobState::running);
      // .pt files: read whole by libtorch into float32 .npy files (core/transformer/pt_file.hpp), removed after.
#ifdef HAVE_POLARLAB_TRANSFORMER
      polarlab::transformer::PtConversions pt("polarlab-gui-pt");
#endif
      auto models_read = models;
      try {
        for (auto& model : models_read)
          for (std::string& f : model.second) {
            const std::string ext = std::filesystem::path(f).extension().string();
            if (ext != ".pt" && ext != ".pth") continue;
#ifdef HAVE_POLARLAB_TRANSFORMER
            f = pt.npy_of(f, opt.key);
#else
            throw std::runtime_error("'" + f + "': .pt files need the libtorch build; save with safetensors or numpy");
#endif
          }
        for (const auto& [label, files] : models_read) {
          // As `attention stats --rows auto`: a train run's induction attention is scored on the paper's rows,
          // so the sink scores are train's; other files on all rows.
          pa::ScanOptions model_opt = opt;
          if (std::all_of(files.begin(), files.end(), [](const std::string& f) { return pa::is_induction_run_attention(f); }))
            model_opt.rows.kind = pa::SinkRowsOption::Kind::paper;
          out.models.push_back(pa::scan_model(label, files, model_opt, [&](std::uint64_t done) {
            if (job.cancel_requested()) throw LoadCancelled{};
            job.set_progress(static_cast<std::int64_t>(std::min(total, before + done)), static_cast<std::int64_t>(total));
          }));
          for (const auto& f : files) {
            std::error_code ec;
            const auto n = std::filesystem::file_size(f, ec);
            if (!ec) before += n;
          }
          try {
            out.maps.push_back(pa::read_sample_maps(files.front(), opt.key, opt.layout, 0, 48));
            out.map_notes.emplace_back();
          } catch (const std::exception& e) {  // a compressed file still has its scores, just no preview
            out.maps.emplace_back();
            out.map_notes.emplace_back(e.what());
          }
        }
        if (out.models.empty()) out.error = "give at least one file";
      } catch (const LoadCancelled&) {
        out = Loaded{};
        out.cancelled = true;
      } catch (const std::exception& e) {
        out.models.clear(), out.maps.clear(), out.map_notes.clear();
        out.error = e.what();
      }
      job.set_state(out.cancelled ? JobState::cancelled : out.error.empty() ? JobState::finished : JobState::failed);
      worker->publish(std::make_shared<const Loaded>(std::move(out)));
    });
  }

  // Figure 7: the share of heads per sparsity bin, one outline per model.
  void figure7() {
    ImGui::TextUnformatted("Head sparsity (mean max/sum of the rows), share of heads per bin");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float fs = ImGui::GetFontSize();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 a0{p0.x + fs * 2.5f, p0.y + fs * 0.5f}, a1{p0.x + avail.x - fs * 0.5f, p0.y + avail.y - fs * 3.5f};
    if (a1.x - a0.x < 20 || a1.y - a0.y < 20) return;
    double top = 0.05;
    std::vector<std::vector<double>> hist;
    for (const auto& m : data_.models) {
      hist.push_back(pa::sparsity_histogram(pa::head_sparsities(m)));
      top = std::max(top, *std::max_element(hist.back().begin(), hist.back().end()));
    }
    const ImU32 axis = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddLine(ImVec2(a0.x, a1.y), a1, axis);
    dl->AddLine(a0, ImVec2(a0.x, a1.y), axis);
    for (int t = 0; t <= 5; ++t) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.1f", t * 0.2);
      const float x = a0.x + (a1.x - a0.x) * t / 5.0f;
      dl->AddText(ImVec2(x - fs * 0.6f, a1.y + fs * 0.2f), axis, buf);
    }
    char ytop[16];
    std::snprintf(ytop, sizeof ytop, "%.2f", top);
    dl->AddText(ImVec2(p0.x, a0.y - fs * 0.5f), axis, ytop);
    for (std::size_t i = 0; i < hist.size(); ++i) {
      const ImU32 c = coord_color(static_cast<int>(i));
      ImVec2 prev{a0.x, a1.y};
      for (int b = 0; b < 20; ++b) {
        const float y = a1.y - static_cast<float>(hist[i][static_cast<std::size_t>(b)] / top) * (a1.y - a0.y);
        const float x0 = a0.x + (a1.x - a0.x) * b / 20.0f, x1 = a0.x + (a1.x - a0.x) * (b + 1) / 20.0f;
        dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, a1.y), coord_color(static_cast<int>(i), 50));
        dl->AddLine(prev, ImVec2(x0, y), c, 2.0f);
        dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), c, 2.0f);
        prev = ImVec2(x1, y);
      }
      dl->AddLine(prev, ImVec2(a1.x, a1.y), c, 2.0f);
    }
    ImGui::SetCursorScreenPos(ImVec2(p0.x, a1.y + fs * 1.4f));
    for (std::size_t i = 0; i < data_.models.size(); ++i) {
      const pa::ModelStats& m = data_.models[i];
      const pa::HeadAccumulator t = m.total();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(coord_color(static_cast<int>(i))),
                         "%s: %zu heads, median %.3f, %llu rows, %llu masked, %llu invalid", m.label.c_str(),
                         m.acc.size(), pa::quantile(pa::head_sparsities(m), 0.5), (unsigned long long)t.rows,
                         (unsigned long long)t.masked_rows, (unsigned long long)t.invalid_rows);
    }
  }

  // The layers × heads grid of sample 0, each map with its own scale; hover: the weight and the head's scores.
  void grid() {
    if (data_.models.size() > 1) {
      ImGui::RadioButton(data_.models[0].label.c_str(), &sample_model_, 0);
      ImGui::SameLine();
      ImGui::RadioButton(data_.models[1].label.c_str(), &sample_model_, 1);
      ImGui::SameLine();
    }
    const auto mi = static_cast<std::size_t>(std::clamp(sample_model_, 0, static_cast<int>(data_.models.size()) - 1));
    const pa::SampleMaps& s = data_.maps[mi];
    if (s.values.empty()) {
      ImGui::TextDisabled("no preview: %s", data_.map_notes[mi].c_str());
      return;
    }
    ImGui::Text("first sample: %llu layers (rows, L1 at the top) x %llu heads (columns, H1 at the left), q %llu x k %llu", (unsigned long long)s.layers,
                (unsigned long long)s.heads, (unsigned long long)s.q, (unsigned long long)s.k);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
    const float cell = std::max(4.0f, std::min(avail.x / static_cast<float>(s.heads), avail.y / static_cast<float>(s.layers)));
    for (std::uint64_t l = 0; l < s.layers; ++l)
      for (std::uint64_t h = 0; h < s.heads; ++h) {
        LabelledHeatmap map;
        map.rows = s.rows, map.cols = s.cols;
        float vmax = 0;
        for (int r = 0; r < s.rows; ++r)
          for (int c = 0; c < s.cols; ++c) vmax = std::max(vmax, s.at(l, h, r, c));
        map.vmax = vmax > 0 ? vmax : 1;
        map.value = [&s, l, h](int r, int c) { return static_cast<double>(s.at(l, h, r, c)); };
        const ImVec2 c0{p0.x + cell * static_cast<float>(h), p0.y + cell * static_cast<float>(l)};
        const HeatmapHover hov =
            draw_labelled_heatmap(dl, c0, ImVec2(c0.x + cell - 2, c0.y + cell - 2), map, true);
        if (hov.row >= 0) {
          const pa::HeadStats st = data_.models[mi].head(l, h);
          // Layers and heads count from 1 on screen, as the Transformer tab and the paper ("L2 H1") do.
          ImGui::SetTooltip("%s (layer %llu, head %llu)\nq %d k %d (cell of %llux%llu): weight %.4f\nsparsity %.3f  sink %.3f"
                            " (query rows %s)\nentropy %.3f  argmax on sink %.3f  (%llu rows)",
                            head_name(l, h).c_str(), (unsigned long long)(l + 1), (unsigned long long)(h + 1),
                            hov.row, hov.col,
                            (unsigned long long)((s.q + s.rows - 1) / s.rows),
                            (unsigned long long)((s.k + s.cols - 1) / s.cols), s.at(l, h, hov.row, hov.col),
                            st.sparsity, st.sink, data_.models[mi].sink_rows.str().c_str(), st.entropy,
                            st.argmax_sink_share, (unsigned long long)st.rows);
        }
      }
    ImGui::Dummy(ImVec2(cell * static_cast<float>(s.heads), cell * static_cast<float>(s.layers)));
  }

  struct Row {
    std::size_t model;
    std::uint64_t layer, head;
    pa::HeadStats s;
  };

  // Every head of every model; the header sorts (by sparsity, sink, entropy, ...).
  void heads_table() {
    std::vector<Row> rows;
    for (std::size_t i = 0; i < data_.models.size(); ++i)
      for (std::uint64_t l = 0; l < data_.models[i].layers; ++l)
        for (std::uint64_t h = 0; h < data_.models[i].heads; ++h) rows.push_back({i, l, h, data_.models[i].head(l, h)});
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("##heads", 8, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* name : {"model", "layer", "head"}) ImGui::TableSetupColumn(name);
    ImGui::TableSetupColumn("sparsity", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending);
    for (const char* name : {"sink", "entropy", "argmax on sink", "rows"})
      ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_PreferSortDescending);
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* spec = ImGui::TableGetSortSpecs(); spec && spec->SpecsCount > 0) {
      const int col = spec->Specs[0].ColumnIndex;
      const bool asc = spec->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
      auto key = [col](const Row& r) -> double {
        switch (col) {
          case 0: return static_cast<double>(r.model);
          case 1: return static_cast<double>(r.layer);
          case 2: return static_cast<double>(r.head);
          case 3: return r.s.sparsity;
          case 4: return r.s.sink;
          case 5: return r.s.entropy;
          case 6: return r.s.argmax_sink_share;
          default: return static_cast<double>(r.s.rows);
        }
      };
      std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        const double x = key(a), y = key(b);
        if (std::isnan(x) != std::isnan(y)) return std::isnan(y);  // heads without rows last
        return asc ? x < y : x > y;
      });
    }
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(rows.size()));
    while (clip.Step())
      for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
        const Row& r = rows[static_cast<std::size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(coord_color(static_cast<int>(r.model))), "%s",
                           data_.models[r.model].label.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%llu", (unsigned long long)(r.layer + 1));  // from 1, as the grid's and the Transformer tab's
        ImGui::TableNextColumn();
        ImGui::Text("%llu", (unsigned long long)(r.head + 1));
        for (double v : {r.s.sparsity, r.s.sink, r.s.entropy, r.s.argmax_sink_share}) {
          ImGui::TableNextColumn();
          ImGui::Text("%.4f", v);
        }
        ImGui::TableNextColumn();
        ImGui::Text("%llu", (unsigned long long)r.s.rows);
      }
    ImGui::EndTable();
  }

  void export_figure7(AppState& app) {
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
    try {
      const figure::Figure fig = pa::sparsity_figure(data_.models);
      std::string written;
      for (const char* ext : {"png", "svg", "pdf"}) {
        const std::string path = output_path(app, std::string("fig7.") + ext);
        figure::RenderOptions opt;
        opt.format = figure::format_from_path(path);
        figure::render(fig, path, opt);
        written += (written.empty() ? "" : ", ") + path;
      }
      app.message = "wrote " + written;
    } catch (const std::exception& e) {
      app.message = std::string("figure export failed: ") + e.what();
    }
#else
    app.message = "figure export needs Cairo (apt install libcairo2-dev) and a rebuild";
#endif
  }

  char files_[2][1024] = {};
  char labels_[2][64] = {"softmax", "sigmoid"};
  int layout_ = 0, sink_key_ = 0, sample_model_ = 0;
  std::unique_ptr<JobWorker<Loaded>> job_;  // the reading in progress (null: none)
  Loaded data_;
};

}  // namespace

std::unique_ptr<WorkspaceView> make_attention_workspace() { return std::make_unique<AttentionWorkspace>(); }

}  // namespace polarlab::gui
