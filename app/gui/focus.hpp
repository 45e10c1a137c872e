// Which keys belong to a widget. A value widget (slider, number or text field) keeps keyboard focus after a
// click; a digit typed then must not load a preset and throw the run away. Value widgets call
// note_value_widget() right after themselves; the shortcut handler asks value_widget_focused().
#pragma once

namespace polarlab::gui {

void note_value_widget();        // after a slider/input: marks the frame if that item is focused or active
bool value_widget_focused();     // as of the last frame built
void focus_new_frame();          // at the start of each frame
void clear_widget_focus();       // Escape: no item keeps the keyboard

}  // namespace polarlab::gui
