#include "app/gui/shell/focus.hpp"

#include <imgui.h>
#include <imgui_internal.h>

namespace polarlab::gui {

namespace {
// Per ImGui context would be purer; one UI thread and one context at a time make a pair of flags enough.
bool g_this_frame = false;
bool g_last_frame = false;
std::vector<NotedItem> g_items;
}  // namespace

void note_item(const char* name, const std::string& shown) {
  g_items.push_back({name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), shown});
}

const std::vector<NotedItem>& noted_items() { return g_items; }

void note_value_widget() {
  if (ImGui::IsItemFocused() || ImGui::IsItemActive()) g_this_frame = true;
}

bool value_widget_focused() { return g_last_frame; }

void focus_new_frame() {
  g_last_frame = g_this_frame;
  g_this_frame = false;
  g_items.clear();
}

void clear_widget_focus() {
  ImGui::ClearActiveID();
  ImGui::FocusWindow(nullptr);
  g_last_frame = false;
}

}  // namespace polarlab::gui
