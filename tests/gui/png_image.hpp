// PNG screenshots for the GUI tests: load with stb_image, read pixels, run the app and wait for it.
#pragma once
#include <stb_image.h>

#include <sys/wait.h>

#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include "tests/temp_dir.hpp"

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

inline bool have_display() {
  const char* d = std::getenv("DISPLAY");
  return d && *d;
}

// Runs a shell command; its exit code (128 + signal when killed).
inline int run_command(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::size_t distinct_colours(const Image& im) {
  std::set<unsigned> c;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) {
      const auto* p = im.at(x, y);
      c.insert(p[0] << 16 | p[1] << 8 | p[2]);
    }
  return c.size();
}

// Pixels of the app's error-text colour (IM_COL32(255, 110, 110)), anti-aliased glyphs included.
inline long red_text_pixels(const Image& im, int x0, int y0, int x1, int y1) {
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const unsigned char* p = im.at(x, y);
      n += p[0] > 200 && p[1] > 60 && p[1] < 140 && p[2] > 60 && p[2] < 140;
    }
  return n;
}

// Pixels within `tol` of colour (r, g, b) in each channel.
inline long pixels_near_colour(const Image& im, int r, int g, int b, int tol = 4) {
  long n = 0;
  for (int y = 0; y < im.h; ++y)
    for (int x = 0; x < im.w; ++x) {
      const unsigned char* p = im.at(x, y);
      n += std::abs(p[0] - r) <= tol && std::abs(p[1] - g) <= tol && std::abs(p[2] - b) <= tol;
    }
  return n;
}

// Pixels of the rectangle [x0, x1) x [y0, y1) that differ between two images of the same size.
inline long differing_pixels(const Image& a, const Image& b, int x0, int y0, int x1, int y1) {
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const unsigned char *p = a.at(x, y), *q = b.at(x, y);
      n += p[0] != q[0] || p[1] != q[1] || p[2] != q[2];
    }
  return n;
}

// TempDir (tests/temp_dir.hpp) is in this namespace too.

}  // namespace polarlab::test
