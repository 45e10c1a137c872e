#include "app/gui/shell/font_textures.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <cstdint>

#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::gui {

namespace {
GLuint g_linear = 0;

GLuint gl_name(ImTextureID id) { return static_cast<GLuint>(reinterpret_cast<std::intptr_t>(id)); }

void set_filter(GLuint tex, GLint filter) {
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
}

void upload(GLuint tex, const ImFontAtlas* atlas, int x, int y, int w, int h) {
  glBindTexture(GL_TEXTURE_2D, tex);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, atlas->TexWidth);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE,
                  atlas->TexPixelsRGBA32 + static_cast<std::size_t>(y) * atlas->TexWidth + x);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
}
}  // namespace

void font_textures_create() {
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // builds the atlas and its texture now, not at the first frame
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  set_filter(gl_name(atlas->TexID), GL_NEAREST);
  // The backend keeps the RGBA pixels (GetTexDataAsRGBA32), so the twin starts from the same data.
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &w, &h);
  glGenTextures(1, &g_linear);
  set_filter(g_linear, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  widgets::set_smooth_line_texture(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(g_linear)));
}

void font_textures_upload_text_cache() {
  widgets::TextCacheUpload u;
  if (!widgets::text_cache_take_upload(&u)) return;
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  upload(gl_name(atlas->TexID), atlas, u.x, u.y, u.w, u.h);
  if (g_linear) upload(g_linear, atlas, u.x, u.y, u.w, u.h);
}

void font_textures_destroy() {
  widgets::set_smooth_line_texture(nullptr);
  if (g_linear) glDeleteTextures(1, &g_linear);
  g_linear = 0;
}

}  // namespace polarlab::gui
