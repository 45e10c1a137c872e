#include "app/widgets/text_cache.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace polarlab::widgets {

namespace {

constexpr int kRegionW = 1024, kRegionH = 512;  // room for a few hundred labels

struct Entry {
  ImVec2 uv0, uv1;  // the string's bitmap in the atlas
  int ox = 0, oy = 0, w = 0, h = 0;  // its offset from the (floored) text position, and its size
};

struct Cache {
  ImFontAtlas* atlas = nullptr;
  int rect = -1;
  std::unordered_map<std::string, Entry> entries;
  int shelf_x = 0, shelf_y = 0, shelf_h = 0;  // shelf packing inside the reserved region
  bool full = false;
  int dirty_x0 = 0, dirty_y0 = 0, dirty_x1 = 0, dirty_y1 = 0;  // empty when x1 <= x0
  int rasterised = 0;
  ImDrawList* scratch = nullptr;
};

Cache& cache() {
  static Cache c;
  return c;
}

bool ready(const Cache& c) {
  if (!c.atlas || c.rect < 0 || !c.atlas->TexPixelsRGBA32 || !c.atlas->IsBuilt()) return false;
  const ImFontAtlasCustomRect* r = c.atlas->GetCustomRectByIndex(c.rect);
  return r->IsPacked();
}

void clear_region(Cache& c) {
  const ImFontAtlasCustomRect* r = c.atlas->GetCustomRectByIndex(c.rect);
  for (int y = 0; y < kRegionH; ++y)
    std::memset(c.atlas->TexPixelsRGBA32 + static_cast<std::size_t>(r->Y + y) * c.atlas->TexWidth + r->X, 0,
                kRegionW * sizeof(unsigned int));
  c.entries.clear();
  c.shelf_x = c.shelf_y = c.shelf_h = 0;
  c.full = false;
  c.dirty_x0 = r->X, c.dirty_y0 = r->Y, c.dirty_x1 = r->X + kRegionW, c.dirty_y1 = r->Y + kRegionH;
}

// The alpha GL_LINEAR would sample from the atlas at texture coordinates (u, v).
float sample_alpha(const ImFontAtlas* atlas, float u, float v) {
  const float tx = u * atlas->TexWidth - 0.5f, ty = v * atlas->TexHeight - 0.5f;
  const float fx = std::floor(tx), fy = std::floor(ty);
  const float ax = tx - fx, ay = ty - fy;
  auto texel = [&](int x, int y) {
    x = std::clamp(x, 0, atlas->TexWidth - 1);
    y = std::clamp(y, 0, atlas->TexHeight - 1);
    return static_cast<float>(atlas->TexPixelsRGBA32[static_cast<std::size_t>(y) * atlas->TexWidth + x] >> 24);
  };
  const int x0 = static_cast<int>(fx), y0 = static_cast<int>(fy);
  const float top = texel(x0, y0) * (1 - ax) + texel(x0 + 1, y0) * ax;
  const float bottom = texel(x0, y0 + 1) * (1 - ax) + texel(x0 + 1, y0 + 1) * ax;
  return (top * (1 - ay) + bottom * ay) / 255.0f;
}

// Lays the string out with ImGui's own RenderText (so spacing is exactly AddText's), then covers each
// glyph quad's pixel centres as the rasteriser would, compositing glyphs "over" one another as blending does.
bool rasterise(Cache& c, ImFont* font, float size, const char* text, Entry& e) {
  if (!c.scratch) c.scratch = new ImDrawList(ImGui::GetDrawListSharedData());
  ImDrawList* dl = c.scratch;
  dl->_ResetForNewFrame();
  font->RenderText(dl, size, ImVec2(0, 0), IM_COL32_WHITE, ImVec4(-1e6f, -1e6f, 1e6f, 1e6f), text, nullptr);
  const int n = dl->VtxBuffer.Size / 4;
  e = Entry{};
  if (n == 0) return true;  // nothing visible (spaces)
  float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
  for (const ImDrawVert& v : dl->VtxBuffer) {
    x0 = std::min(x0, v.pos.x), y0 = std::min(y0, v.pos.y);
    x1 = std::max(x1, v.pos.x), y1 = std::max(y1, v.pos.y);
  }
  const int bx = static_cast<int>(std::floor(x0)), by = static_cast<int>(std::floor(y0));
  const int w = static_cast<int>(std::ceil(x1)) - bx, h = static_cast<int>(std::ceil(y1)) - by;
  if (w + 1 > kRegionW || h + 1 > kRegionH) return false;  // too large for the region: draw it as glyphs
  if (c.shelf_x + w + 1 > kRegionW) c.shelf_x = 0, c.shelf_y += c.shelf_h, c.shelf_h = 0;
  if (c.shelf_y + h + 1 > kRegionH) {
    c.full = true;
    return false;
  }
  const ImFontAtlasCustomRect* r = c.atlas->GetCustomRectByIndex(c.rect);
  const int px = r->X + c.shelf_x, py = r->Y + c.shelf_y;
  c.shelf_x += w + 1;  // one empty texel between strings keeps bilinear lookups apart
  c.shelf_h = std::max(c.shelf_h, h + 1);
  std::vector<float> alpha(static_cast<std::size_t>(w) * h, 0.0f);
  for (int g = 0; g < n; ++g) {
    const ImDrawVert& a = dl->VtxBuffer[4 * g];      // top-left
    const ImDrawVert& b = dl->VtxBuffer[4 * g + 2];  // bottom-right
    if (!(b.pos.x > a.pos.x && b.pos.y > a.pos.y)) continue;
    const int gx0 = static_cast<int>(std::ceil(a.pos.x - 0.5f)), gx1 = static_cast<int>(std::ceil(b.pos.x - 0.5f));
    const int gy0 = static_cast<int>(std::ceil(a.pos.y - 0.5f)), gy1 = static_cast<int>(std::ceil(b.pos.y - 0.5f));
    for (int y = gy0; y < gy1; ++y) {
      const float v = a.uv.y + (y + 0.5f - a.pos.y) / (b.pos.y - a.pos.y) * (b.uv.y - a.uv.y);
      for (int x = gx0; x < gx1; ++x) {
        const float u = a.uv.x + (x + 0.5f - a.pos.x) / (b.pos.x - a.pos.x) * (b.uv.x - a.uv.x);
        float& d = alpha[static_cast<std::size_t>(y - by) * w + (x - bx)];
        const float s = sample_alpha(c.atlas, u, v);
        d = s + d * (1.0f - s);
      }
    }
  }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto a8 = static_cast<unsigned int>(std::lround(alpha[static_cast<std::size_t>(y) * w + x] * 255.0f));
      c.atlas->TexPixelsRGBA32[static_cast<std::size_t>(py + y) * c.atlas->TexWidth + px + x] = (a8 << 24) | 0x00FFFFFFu;
    }
  const float tw = static_cast<float>(c.atlas->TexWidth), th = static_cast<float>(c.atlas->TexHeight);
  e.uv0 = ImVec2(px / tw, py / th);
  e.uv1 = ImVec2((px + w) / tw, (py + h) / th);
  e.ox = bx, e.oy = by, e.w = w, e.h = h;
  if (c.dirty_x1 <= c.dirty_x0) c.dirty_x0 = px, c.dirty_y0 = py, c.dirty_x1 = px + w, c.dirty_y1 = py + h;
  c.dirty_x0 = std::min(c.dirty_x0, px), c.dirty_y0 = std::min(c.dirty_y0, py);
  c.dirty_x1 = std::max(c.dirty_x1, px + w), c.dirty_y1 = std::max(c.dirty_y1, py + h);
  ++c.rasterised;
  return true;
}

}  // namespace

void text_cache_reserve(ImFontAtlas* atlas) {
  Cache& c = cache();
  // The region needs an atlas wider than itself (ImGui otherwise picks 512–1024 for our glyph count).
  if (atlas->TexDesiredWidth < 2 * kRegionW) atlas->TexDesiredWidth = 2 * kRegionW;
  // A new atlas (a new ImGui context): nothing cached so far is valid.
  delete c.scratch;
  c = Cache{};
  c.atlas = atlas;
  c.rect = atlas->AddCustomRectRegular(kRegionW, kRegionH);
}

namespace {
bool g_record_text = false;
std::vector<DrawnText> g_drawn_text;

void note_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, const char* text) {
  if (!g_record_text) return;
  const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text);
  const ImVec2 p1(pos.x + ts.x, pos.y + ts.y);
  const ImVec4& clip = dl->_CmdHeader.ClipRect;
  if (p1.x <= clip.x || p1.y <= clip.y || pos.x >= clip.z || pos.y >= clip.w) return;
  g_drawn_text.push_back({text, pos, p1, size});
}
}  // namespace

void record_drawn_text(bool on) {
  g_record_text = on;
  g_drawn_text.clear();
}
bool recording_drawn_text() { return g_record_text; }
const std::vector<DrawnText>& drawn_texts() { return g_drawn_text; }

void add_live_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text) {
  if ((col & IM_COL32_A_MASK) == 0 || !text || !*text) return;
  note_text(dl, font, size, pos, text);
  dl->AddText(font, size, pos, col, text);
}

void text_cache_new_frame() {
  g_drawn_text.clear();
  Cache& c = cache();
  if (c.full && ready(c)) clear_region(c);
}

bool text_cache_take_upload(TextCacheUpload* out) {
  Cache& c = cache();
  if (c.dirty_x1 <= c.dirty_x0) return false;
  *out = {c.dirty_x0, c.dirty_y0, c.dirty_x1 - c.dirty_x0, c.dirty_y1 - c.dirty_y0};
  c.dirty_x0 = c.dirty_x1 = 0;
  return true;
}

void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text) {
  Cache& c = cache();
  if ((col & IM_COL32_A_MASK) == 0 || !text || !*text) return;
  note_text(dl, font, size, pos, text);
  if (!ready(c) || font->ContainerAtlas != c.atlas || dl->_CmdHeader.TextureId != c.atlas->TexID) {
    dl->AddText(font, size, pos, col, text);
    return;
  }
  // One key buffer for every call: this runs a few hundred times per frame, and a hit allocates nothing.
  static std::string key;
  key.assign(reinterpret_cast<const char*>(&font), sizeof font);
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key.append(text);
  auto it = c.entries.find(key);
  if (it == c.entries.end()) {
    Entry e;
    if (c.full || !rasterise(c, font, size, text, e)) {
      dl->AddText(font, size, pos, col, text);
      return;
    }
    it = c.entries.emplace(key, e).first;
  }
  const Entry& e = it->second;
  if (e.w == 0) return;
  const ImVec2 p0(std::floor(pos.x) + e.ox, std::floor(pos.y) + e.oy);
  const ImVec2 p1(p0.x + e.w, p0.y + e.h);
  const ImVec4& clip = dl->_CmdHeader.ClipRect;
  if (p1.x <= clip.x || p1.y <= clip.y || p0.x >= clip.z || p0.y >= clip.w) return;
  dl->PrimReserve(6, 4);
  dl->PrimRectUV(p0, p1, e.uv0, e.uv1, col);
}

void add_text(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text) {
  add_text(dl, ImGui::GetFont(), ImGui::GetFontSize(), pos, col, text);
}

int text_cache_size() { return static_cast<int>(cache().entries.size()); }
int text_cache_rasterised() { return cache().rasterised; }

}  // namespace polarlab::widgets
