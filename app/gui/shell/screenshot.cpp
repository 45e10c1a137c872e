// PNG of the current framebuffer (glReadPixels, rows flipped: GL's origin is bottom-left).
// libstb from Debian carries the stb_image_write implementation, so it is not defined here.
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <vector>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

bool save_screenshot(const std::string& path, int width, int height, std::string& error) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  std::vector<unsigned char> flipped(pixels.size());
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height; ++y)
    std::copy_n(&pixels[static_cast<std::size_t>(height - 1 - y) * row], row, &flipped[static_cast<std::size_t>(y) * row]);
  if (!stbi_write_png(path.c_str(), width, height, 3, flipped.data(), static_cast<int>(row))) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace polarlab::gui
