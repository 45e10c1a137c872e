// PNG screenshots for the GUI tests: load with stb_image, read pixels, run the app and wait for it.
#pragma once
#include <stb_image.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>

namespace polarlab::test {

struct Image {
  int w = 0, h = 0;
  std::shared_ptr<unsigned char> px;
  const unsigned char* at(int x, int y) const { return px.get() + (static_cast<std::size_t>(y) * w + x) * 3; }
};

inline Image load_png(const std::string& path) {
  Image im;
  int n = 0;
  unsigned char* data = stbi_load(path.c_str(), &im.w, &im.h, &n, 3);
  if (data) im.px.reset(data, [](unsigned char* p) { stbi_image_free(p); });
  return im;
}

}  // namespace polarlab::test
