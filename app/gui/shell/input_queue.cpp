#include "app/gui/shell/input_queue.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <bitset>

namespace polarlab::gui {

void InputQueue::mouse_pos(float x, float y) { events_.push_back({InputEvent::Kind::mouse_pos, x, y}); }
void InputQueue::mouse_button(int button, bool down) {
  if (button < 0 || button >= 5) return;  // ImGui knows five buttons
  InputEvent e{InputEvent::Kind::mouse_button};
  e.code = button, e.down = down;
  events_.push_back(e);
}
void InputQueue::wheel(float dx, float dy) { events_.push_back({InputEvent::Kind::wheel, dx, dy}); }
void InputQueue::key(int glfw_key, bool down, bool repeat) {
  if (glfw_key < 0 || glfw_key >= 512) return;  // GLFW_KEY_UNKNOWN, or beyond io.KeysDown
  InputEvent e{InputEvent::Kind::key};
  e.code = glfw_key, e.down = down, e.repeat = repeat && down;
  events_.push_back(e);
}
void InputQueue::text(unsigned int codepoint) {
  InputEvent e{InputEvent::Kind::text};
  e.ch = codepoint;
  events_.push_back(e);
}
void InputQueue::focus(bool focused) {
  InputEvent e{InputEvent::Kind::focus};
  e.down = focused;
  events_.push_back(e);
}

std::vector<KeyPress> InputQueue::apply(ImGuiIO& io) {
  std::vector<KeyPress> presses;
  std::bitset<512> keys_changed;
  std::bitset<5> buttons_changed;
  bool clicked = false, keyed = false, moved = false;
  auto mods = [&] {
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
    io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
  };
  while (!events_.empty()) {
    const InputEvent& e = events_.front();
    switch (e.kind) {
      case InputEvent::Kind::mouse_pos:
        if (clicked) return presses;  // the click lands where the pointer was
        moved |= io.MousePos.x != e.x || io.MousePos.y != e.y;
        io.MousePos = ImVec2(e.x, e.y);
        break;
      case InputEvent::Kind::mouse_button:
        if (buttons_changed[static_cast<std::size_t>(e.code)] || keyed) return presses;
        // A press right after a move waits a frame: ImGui lets items that may overlap (tabs) take a press only
        // when the pointer hovered them, or nothing, on the frame before.
        if (e.down && moved) return presses;
        buttons_changed.set(static_cast<std::size_t>(e.code));
        clicked = true;
        io.MouseDown[e.code] = e.down;
        break;
      case InputEvent::Kind::wheel:
        if (clicked) return presses;
        io.MouseWheelH += e.x;
        io.MouseWheel += e.y;
        break;
      case InputEvent::Kind::key: {
        const auto k = static_cast<std::size_t>(e.code);
        // A repeat is no transition for ImGui; a second transition of the same key waits a frame.
        if (clicked || (keys_changed[k] && !(e.repeat && io.KeysDown[k]))) return presses;
        if (!e.repeat || !io.KeysDown[k]) keys_changed.set(k);
        keyed = true;
        io.KeysDown[k] = e.down;
        mods();
        if (e.down) presses.push_back({e.code, e.repeat, io.KeyCtrl, io.KeyShift, io.KeyAlt});
        break;
      }
      case InputEvent::Kind::text:
        if (clicked) return presses;
        io.AddInputCharacter(e.ch);
        break;
      case InputEvent::Kind::focus:
        io.AddFocusEvent(e.down);
        if (!e.down) {  // keys released elsewhere never come back: nothing stays held
          for (bool& d : io.KeysDown) d = false;
          for (bool& d : io.MouseDown) d = false;
          mods();
        }
        break;
    }
    events_.pop_front();
  }
  return presses;
}

}  // namespace polarlab::gui
