// The Sweeps workspace's side panel (open / collect / reload, status, choice of view), the selection life cycle
// and the layout: grids on top; once a cell is chosen its runs bottom left and the chosen run bottom right.
#include "app/gui/sweeps/state.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

namespace {
const ImU32 kRed = IM_COL32(255, 110, 110, 255);
const ImU32 kGreen = IM_COL32(120, 210, 120, 255);
const ImU32 kAmber = IM_COL32(240, 200, 90, 255);

std::string trimmed(const char* s) {
  std::string t(s);
  const auto a = t.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return t.substr(a, t.find_last_not_of(" \t\r\n") - a + 1);
}

int count_of(const std::map<std::string, int>& by, const char* s) {
  const auto it = by.find(s);
  return it == by.end() ? 0 : it->second;
}
}  // namespace

void SweepsState::open(JobHost& host, bool collect) {
  if (!worker) worker = std::make_unique<SweepsWorker>(host);
  refused.clear();
  worker->open(trimmed(path), collect);
}

void SweepsState::select_run(const std::string& id) {
  if (id != run_id) sample = 0;
  run_id = id;
  if (worker && data() && !id.empty()) worker->open_run(snap->sweep, id);
}

const SweepGrid* SweepsState::shown() const {
  const SweepData* d = data();
  if (!d || grid < 0 || grid >= static_cast<int>(d->grids.size())) return nullptr;
  return &d->grids[static_cast<std::size_t>(grid)];
}

const SweepsState::CellCache& SweepsState::cell() {
  const std::shared_ptr<const SweepData> d = snap ? snap->sweep : nullptr;
  CellCache& c = cell_cache;
  if (c.data != d || c.grid != grid || c.panel != panel || c.row != row || c.col != col) {
    c = CellCache{d, grid, panel, row, col, {}, {}};
    if (const SweepGrid* g = shown(); g && has_cell()) {
      c.rows = cell_rows(*d, *g, panel, row, col);
      c.varying = varying_params(c.rows);
    }
  }
  return c;
}

bool SweepsState::poll() {
  if (!worker) return false;
  auto s = worker->snapshot();
  if (s == snap) return false;
  const std::shared_ptr<const SweepData> before = snap ? snap->sweep : nullptr;  // held: compared below
  snap = std::move(s);
  const SweepData* d = data();
  if (d && d != before.get()) {
    // A (re)loaded database: keep the view, cell and run shown when they still exist.
    grid = find_grid(d->grids, grid_name);
    if (grid < 0) {
      grid = default_grid(d->grids);
      panel = row = col = -1;
    }
    if (const SweepGrid* g = shown()) {
      grid_name = g->view.name;
      if (panel >= static_cast<int>(g->view.panels.size()) || row >= static_cast<int>(g->view.rows.size()) ||
          col >= static_cast<int>(g->view.cols.size()))
        panel = row = col = -1;
    }
    if (!want_cell.empty()) {
      try {
        const CellRef c = parse_cell_ref(want_cell, d->grids);
        grid = c.grid, panel = c.panel, row = c.row, col = c.col;
        grid_name = d->grids[static_cast<std::size_t>(grid)].view.name;
      } catch (const std::exception& e) {
        refused = e.what();
      }
      want_cell.clear();
    }
    if (!want_run.empty()) {
      if (d->find(want_run)) run_id = want_run;
      else refused += (refused.empty() ? "" : "\n") + ("--sweep-run: no run '" + want_run + "' in " + d->db);
      want_run.clear();
    }
    if (!run_id.empty() && !d->find(run_id)) run_id.clear();
    if (!run_id.empty()) select_run(run_id);  // re-read: a run that was pending may have finished
  }
  return true;
}

void sweeps_controls(AppState& app, SweepsState& lab) {
  const float full = ImGui::GetContentRegionAvail().x;
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  ImGui::TextUnformatted("Sweep folder or results.sqlite");
  ImGui::SetNextItemWidth(full);
  if (ImGui::InputText("##sweep_path", lab.path, sizeof lab.path, ImGuiInputTextFlags_EnterReturnsTrue)) lab.open(*app.jobs, false);
  const float w = (full - 2 * sp) / 3;
  const bool busy = lab.busy();
  const SweepData* d = lab.data();
  ImGui::BeginDisabled(busy);
  if (ImGui::Button("Open", ImVec2(w, 0))) lab.open(*app.jobs, false);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Read the results database");
  ImGui::SameLine();
  if (ImGui::Button("Collect", ImVec2(w, 0))) lab.open(*app.jobs, true);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("polarlab-cli sweep collect: load every run's files\ninto results.sqlite, then read it");
  ImGui::SameLine();
  ImGui::BeginDisabled(!d);
  if (ImGui::Button("Reload", ImVec2(w, 0))) {
    std::snprintf(lab.path, sizeof lab.path, "%s", d->source.c_str());
    lab.reload(*app.jobs);
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (busy) ImGui::TextDisabled("%s …", lab.snap->busy.c_str());
  if (lab.snap && !lab.snap->sweep_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("%s", lab.snap->sweep_error.c_str());
    ImGui::PopStyleColor();
  }
  if (!lab.refused.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("%s", lab.refused.c_str());
    ImGui::PopStyleColor();
  }
  if (!d) return;

  ImGui::Separator();
  ImGui::Text("sweep %s", d->name.c_str());
  int total = 0;
  for (const auto& [s, n] : d->by_status) total += n;
  const int done = count_of(d->by_status, "done"), failed = count_of(d->by_status, "failed"),
            running = count_of(d->by_status, "running"),
            pending = count_of(d->by_status, "pending") + count_of(d->by_status, "interrupted");
  char buf[96];
  std::snprintf(buf, sizeof buf, "%d / %d done", done, total);
  ImGui::ProgressBar(total ? static_cast<float>(done) / static_cast<float>(total) : 0.0f, ImVec2(-1, 0), buf);
  ImGui::TextColored(ImColor(kGreen), "%d done", done);
  ImGui::SameLine();
  ImGui::TextColored(ImColor(failed ? kRed : ImGui::GetColorU32(ImGuiCol_TextDisabled)), "%d failed", failed);
  ImGui::SameLine();
  ImGui::TextColored(ImColor(running ? kAmber : ImGui::GetColorU32(ImGuiCol_TextDisabled)), "%d running", running);
  ImGui::SameLine();
  ImGui::TextDisabled("%d pending", pending);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", status_line(d->by_status).c_str());
  ImGui::TextDisabled("read at %s in %.3f s", d->loaded_at.c_str(), d->seconds);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d->db.c_str());

  ImGui::Separator();
  if (d->grids.empty()) {
    ImGui::TextWrapped("No finished runs yet: the views appear once runs are done (press Collect to pick up runs "
                       "that finished since).");
    return;
  }
  static const char* kHeadings[] = {"sink proportion, layer 2 (Figs 4, 14, 15)", "mean induction accuracy (Figs 16, 17)",
                                    "flip rate (Figs 6, 18–21)"};
  int last_kind = -1;
  for (std::size_t g = 0; g < d->grids.size(); ++g) {
    const SweepGrid& grid = d->grids[g];
    const int kind = static_cast<int>(grid.kind);
    if (kind != last_kind) {
      ImGui::TextDisabled("%s", kHeadings[kind]);
      last_kind = kind;
    }
    ImGui::PushID(static_cast<int>(g));
    if (ImGui::Selectable(grid.label.c_str(), lab.grid == static_cast<int>(g))) {
      if (lab.grid != static_cast<int>(g)) lab.panel = lab.row = lab.col = -1;
      lab.grid = static_cast<int>(g);
      lab.grid_name = grid.view.name;
    }
    ImGui::PopID();
  }
  if (const SweepGrid* g = lab.shown()) {
    ImGui::Separator();
    ImGui::TextWrapped("%s", g->view.caption.c_str());
  }
}

void draw_sweeps(AppState& app, SweepsState& lab) {
  ImGui::BeginChild("sw_controls", ImVec2(app.side_width * app.dpi_scale, 0), true);
  sweeps_controls(app, lab);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("sw_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const SweepData* d = lab.data();
  if (!d) {
    ImGui::Spacing();
    ImGui::TextUnformatted(lab.busy() ? "Reading the results database …" : "Open a sweep to see its grids.");
    ImGui::Spacing();
    ImGui::TextDisabled("A sweep folder comes from:");
    ImGui::TextDisabled("  polarlab-cli sweep plan assets/sweeps/induction-reduced.yaml --out SWEEPDIR");
    ImGui::TextDisabled("  polarlab-cli sweep run SWEEPDIR --local --jobs N    (or: sweep submit SWEEPDIR --slurm)");
    ImGui::TextDisabled("  polarlab-cli sweep collect SWEEPDIR");
    ImGui::TextDisabled("then type SWEEPDIR (or SWEEPDIR/results.sqlite) on the left and press Open.");
    ImGui::EndChild();
    return;
  }
  const float avail = ImGui::GetContentRegionAvail().y;
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  if (!lab.has_cell() && lab.run_id.empty()) {
    view_sweeps_grid(app, lab, avail - status_h);
    ImGui::TextDisabled("click a cell to list its runs   %.0f fps", app.fps);
  } else {
    // Enough height for a readable label per attention type (12 in the paper's grids), at most a little over half.
    const float fs = ImGui::GetFontSize();
    const SweepGrid* g = lab.shown();
    const float want = fs * 6.0f + (g ? static_cast<float>(g->view.rows.size()) : 4.0f) * fs * 1.3f;
    const float grid_h = std::floor(std::clamp(want, avail * 0.25f, avail * 0.55f));
    view_sweeps_grid(app, lab, grid_h);
    const float rest = ImGui::GetContentRegionAvail().y;
    // The runs table needs room for the varying parameters only when some vary; the rest goes to the run.
    const float left = std::floor(ImGui::GetContentRegionAvail().x * (lab.cell().varying.empty() ? 0.34f : 0.4f));
    ImGui::BeginChild("sw_cell", ImVec2(left, rest), true);
    view_sweeps_cell(app, lab);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("sw_run", ImVec2(0, rest), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    view_sweeps_run(app, lab);
    ImGui::EndChild();
  }
  ImGui::EndChild();
}

}  // namespace polarlab::gui
#endif
