// Where the layout lives (imgui.ini in the user's config dir, never the working dir) and the
// "[Polarlab][Layout]" section that remembers panel visibility, the side panel width, lecture mode and the
// output folder for exports.
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "app/gui/shell/settings.hpp"

namespace polarlab::gui {

namespace {
AppState* g_app = nullptr;

void* read_open(ImGuiContext*, ImGuiSettingsHandler*, const char* name) {
  return std::strcmp(name, "Layout") == 0 ? static_cast<void*>(g_app) : nullptr;
}

void read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
  auto* app = static_cast<AppState*>(entry);
  int v = 0;
  float f = 0;
  if (std::sscanf(line, "side_width=%f", &f) == 1) app->side_width = std::max(200.0f, f);
  else if (std::sscanf(line, "lecture=%d", &v) == 1) app->lecture = v != 0;
  else if (std::strncmp(line, "output_dir=", 11) == 0) app->output_dir = line + 11;
  else if (std::strncmp(line, "show=", 5) == 0) {
    const char* p = line + 5;
    for (int i = 0; i < kPanelCount && *p; ++i) {
      app->show[static_cast<std::size_t>(i)] = *p == '1';
      p += (p[1] == ',') ? 2 : 1;
    }
  }
}

void write_all(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
  if (!g_app) return;
  out->appendf("[%s][Layout]\n", h->TypeName);
  // Lecture mode that a flag or a script turned on is not the next launch's default.
  const bool lecture = g_app->lecture_imposed && g_app->lecture ? g_app->lecture_saved : g_app->lecture;
  out->appendf("side_width=%.0f\nlecture=%d\nshow=", g_app->side_width, lecture ? 1 : 0);
  for (int i = 0; i < kPanelCount; ++i) out->appendf(i ? ",%d" : "%d", g_app->show[static_cast<std::size_t>(i)] ? 1 : 0);
  out->append("\n");
  out->appendf("output_dir=%s\n\n", g_app->output_dir.c_str());
}
}  // namespace

std::string layout_ini_path() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) dir = fs::path(x) / "polarlab";
  else if (const char* home = std::getenv("HOME"); home && *home) dir = fs::path(home) / ".config" / "polarlab";
  else return {};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return {};
  return (dir / "imgui.ini").string();
}

void register_layout_settings(AppState& app) {
  g_app = &app;
  ImGuiSettingsHandler h;
  h.TypeName = "Polarlab";
  h.TypeHash = ImHashStr("Polarlab");
  h.ReadOpenFn = read_open;
  h.ReadLineFn = read_line;
  h.WriteAllFn = write_all;
  ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
}

}  // namespace polarlab::gui
