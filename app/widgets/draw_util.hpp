// Drawing helpers shared by the plot and heatmap widgets.
#pragma once
#include <imgui.h>

#include "app/widgets/axis.hpp"

namespace polarlab::widgets {

// Log labels are drawn as "10" with a raised, smaller exponent; plain labels as text.
float tick_label_width(const Tick& t, float font_size);
void draw_tick_label(ImDrawList* dl, const Tick& t, ImVec2 pos, float font_size, ImU32 color);
void draw_dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 color, float thickness, float dash);

}  // namespace polarlab::widgets
