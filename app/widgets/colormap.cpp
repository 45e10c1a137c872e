#include "app/widgets/colormap.hpp"

namespace polarlab::widgets {

Rgb series_color(int i) { return plotkit::to_rgb8(plotkit::coordinate_color(i)); }

Rgb colormap(Colormap map, double v) {
  if (!(v == v)) return kMaskedColor;
  return plotkit::to_rgb8(plotkit::map_color(map, v));
}

}  // namespace polarlab::widgets
