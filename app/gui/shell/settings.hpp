#pragma once
#include <string>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

// $XDG_CONFIG_HOME/polarlab/imgui.ini, else ~/.config/polarlab/imgui.ini (created); "" if neither exists.
std::string layout_ini_path();
// Call after ImGui::CreateContext and before the ini is read.
void register_layout_settings(AppState& app);

}  // namespace polarlab::gui
