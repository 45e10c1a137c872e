// Input as events. ImGui 1.86 polls key and button state once per frame, so a key pressed and released within
// one frame (a presentation clicker's tap, a quick key at 7 fps) never reaches it. The window system's
// callbacks (or a test) append events here; each frame takes the events that fit one frame, in order: one
// transition per key or button, a key after a click waits for the next frame (so the click's focus is known
// before the key is read), a pointer move after a click waits too, and so does a press after a move (so ImGui
// sees the hover before the press). Nothing is dropped, whatever the frame rate.
#pragma once
#include <cstddef>
#include <deque>
#include <vector>

struct ImGuiIO;

namespace polarlab::gui {

struct InputEvent {
  enum class Kind { mouse_pos, mouse_button, wheel, key, text, focus };
  Kind kind = Kind::mouse_pos;
  float x = 0.0f, y = 0.0f;  // mouse_pos: position; wheel: horizontal, vertical
  int code = 0;              // mouse_button: 0-4; key: GLFW key code
  bool down = false;         // mouse_button, key (a repeat is down while already down), focus
  bool repeat = false;       // key: the window system's auto-repeat
  unsigned int ch = 0;       // text: a Unicode code point
};

// A key press (or auto-repeat) that reached ImGui this frame; each is handled by one shortcut handler once.
struct KeyPress {
  int key = 0;
  bool repeat = false;
  bool ctrl = false, shift = false, alt = false;
};

class InputQueue {
 public:
  void mouse_pos(float x, float y);
  void mouse_button(int button, bool down);
  void wheel(float dx, float dy);
  void key(int glfw_key, bool down, bool repeat = false);
  void text(unsigned int codepoint);
  void focus(bool focused);

  // Applies this frame's share of the events to `io` (before ImGui::NewFrame) and returns the key presses it
  // applied, in order. Modifier flags (io.KeyCtrl...) follow the keys.
  std::vector<KeyPress> apply(ImGuiIO& io);
  bool empty() const { return events_.empty(); }
  std::size_t pending() const { return events_.size(); }

 private:
  std::deque<InputEvent> events_;
};

}  // namespace polarlab::gui
