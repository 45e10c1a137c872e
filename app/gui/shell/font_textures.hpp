// The font atlas on the GPU, set up for software OpenGL. Under Xvfb (llvmpipe) a frame's cost is mostly
// fragment shading, and bilinear texture lookups are about half of it. Every glyph and fill ImGui draws lands
// on whole pixels with texels 1:1 (fonts are baked without oversampling and with snapped advances), so the
// atlas is sampled GL_NEAREST: the same pixels, cheaper. A GL_LINEAR twin of the atlas serves the one thing
// that needs filtering, the plots' anti-aliased series lines (widgets::SmoothLines).
#pragma once

namespace polarlab::gui {

// After ImGui_ImplOpenGL3_Init: creates the backend's font texture now, sets it GL_NEAREST, creates the
// GL_LINEAR twin and hands it to the widgets.
void font_textures_create();
// Labels the text cache rasterised this frame go to both textures before they are drawn.
void font_textures_upload_text_cache();
// Before ImGui_ImplOpenGL3_Shutdown.
void font_textures_destroy();

}  // namespace polarlab::gui
