// Which keys belong to a widget. A value widget (slider, number or text field) keeps keyboard focus after a
// click; a digit typed then must not load a preset and throw the run away. Value widgets call
// note_value_widget() right after themselves; the shortcut handler asks value_widget_focused().
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace polarlab::gui {

void note_value_widget();        // after a slider/input: marks the frame if that item is focused or active
bool value_widget_focused();     // as of the last frame built
void focus_new_frame();          // at the start of each frame
void clear_widget_focus();       // Escape: no item keeps the keyboard

// Where controls are: an item calls note_item(name) right after itself and its screen rectangle is kept for the
// frame being built, so tests can check that a control stays under the pointer when presets and modes change.
struct NotedItem {
  std::string name;
  ImVec2 min, max;
  std::string shown;  // the text the item shows, where it matters (a combo's value, a wrapped line)
};
void note_item(const char* name, const std::string& shown = {});
const std::vector<NotedItem>& noted_items();  // the frame built last (or being built)

}  // namespace polarlab::gui
