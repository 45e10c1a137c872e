// Output formats of the figure renderer and the paper figures drawn from real runs.
#include <gtest/gtest.h>

#include <cairo.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/figure/figure.hpp"
#include "core/figure/text.hpp"

namespace fs = std::filesystem;
using namespace polarlab::figure;

namespace {

fs::path test_root() { return fs::temp_directory_path() / ("polarlab_figure_test_" + std::to_string(::getpid())); }

// Removes this process's scratch folder when the tests end.
struct ScratchCleanup : ::testing::Environment {
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(test_root(), ec);
  }
};
[[maybe_unused]] ::testing::Environment* const scratch_cleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

fs::path temp_dir(const std::string& name) {
  const fs::path d = test_root() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int shell(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool have(const std::string& tool) { return shell("command -v " + tool + " >/dev/null 2>&1") == 0; }

// A small two-panel figure with log axes, a legend, math labels and a heatmap.
Figure sample_figure() {
  Figure f;
  f.name = "sample";
  f.caption = "a test figure";
  f.width_in = 3.0, f.height_in = 2.0, f.rows = 1, f.cols = 2;
  Axes a;
  a.title = "scores σ($a$)";
  a.xlabel = "$t$";
  a.ylabel = "Φ_{$ij$}";
  a.xscale = a.yscale = Scale::log;
  for (int j = 0; j < 3; ++j) {
    Series s;
    for (int k = 0; k <= 60; ++k) {
      s.x.push_back(std::pow(10.0, -2 + k * 0.1));
      s.y.push_back(std::pow(10.0, -j + 0.05 * k));
    }
    s.color = coordinate_color(j);
    s.label = "$j$ = " + std::to_string(j);
    s.end_marker = j == 0;
    a.series.push_back(s);
  }
  a.legend = LegendLoc::best;
  Axes b;
  b.title = "β*";
  Heatmap h;
  h.rows = h.cols = 4;
  for (int i = 0; i < 16; ++i) h.values.push_back(i / 15.0);
  h.colorbar_label = "σ($A$)";
  b.heatmap = h;
  f.panels = {a, b};
  return f;
}

void png_ihdr_size(const std::string& png, int& w, int& h) {
  ASSERT_GE(png.size(), 24u);
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  ASSERT_EQ(png.substr(12, 4), "IHDR");
  auto be32 = [&](std::size_t o) {
    return (static_cast<unsigned char>(png[o]) << 24) | (static_cast<unsigned char>(png[o + 1]) << 16) |
           (static_cast<unsigned char>(png[o + 2]) << 8) | static_cast<unsigned char>(png[o + 3]);
  };
  w = static_cast<int>(be32(16));
  h = static_cast<int>(be32(20));
}

struct Image {
  int w = 0, h = 0, stride = 0;
  std::vector<unsigned char> data;
  void rgb(int x, int y, int& r, int& g, int& b) const {
    const auto px = *reinterpret_cast<const std::uint32_t*>(&data[static_cast<std::size_t>(y) * stride + x * 4]);
    r = (px >> 16) & 0xFF, g = (px >> 8) & 0xFF, b = px & 0xFF;
  }
};

Image decode_png(const std::string& png) {
  struct Reader {
    const std::string* s;
    std::size_t pos = 0;
  } rd{&png};
  auto read = [](void* closure, unsigned char* data, unsigned int len) -> cairo_status_t {
    auto* r = static_cast<Reader*>(closure);
    if (r->pos + len > r->s->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->s->data() + r->pos, len);
    r->pos += len;
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read, &rd);
  Image img;
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    img.w = cairo_image_surface_get_width(s);
    img.h = cairo_image_surface_get_height(s);
    img.stride = cairo_image_surface_get_stride(s);
    const unsigned char* d = cairo_image_surface_get_data(s);
    img.data.assign(d, d + static_cast<std::size_t>(img.stride) * img.h);
  }
  cairo_surface_destroy(s);
  return img;
}

// Pixels whose colour is far from grey (curves are coloured; axes, text and background are not).
int coloured_pixels(const Image& img, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      int r, g, b;
      img.rgb(x, y, r, g, b);
      n += std::max({r, g, b}) - std::min({r, g, b}) > 60;
    }
  return n;
}

int pixels_near(const Image& img, int x0, int y0, int x1, int y1, Color c) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      int r, g, b;
      img.rgb(x, y, r, g, b);
      n += std::abs(r - static_cast<int>(c.r * 255)) + std::abs(g - static_cast<int>(c.g * 255)) +
               std::abs(b - static_cast<int>(c.b * 255)) <
           30;
    }
  return n;
}

// Minimal XML well-formedness: every element closes in order, attributes are quoted.
bool balanced_xml(const std::string& x, std::string& why) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  while ((i = x.find('<', i)) != std::string::npos) {
    if (x.compare(i, 4, "<!--") == 0) {
      i = x.find("-->", i);
      if (i == std::string::npos) return why = "open comment", false;
      continue;
    }
    const std::size_t end = x.find('>', i);
    if (end == std::string::npos) return why = "unterminated tag", false;
    const std::string tag = x.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (std::count(tag.begin(), tag.end(), '"') % 2) return why = "unbalanced quotes in <" + tag + ">", false;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1, tag.find_first_of(" \t\n") - 1);
      if (stack.empty() || stack.back() != name) return why = "mismatched </" + name + ">", false;
      stack.pop_back();
    } else if (tag.back() != '/') {
      stack.push_back(tag.substr(0, tag.find_first_of(" \t\n/")));
    }
  }
  if (!stack.empty()) return why = "unclosed <" + stack.back() + ">", false;
  return true;
}

// One short fig2 run, shared by the tests below.
const std::vector<RunData>& fig2_runs() {
  static const std::vector<RunData> runs = run_preset("fig2", {{"steps", 20000}, {"records", 300}});
  return runs;
}

}  // namespace

TEST(FigureRender, PngHasTheRequestedSize) {
  const Figure f = sample_figure();
  for (double dpi : {50.0, 100.0, 300.0}) {
    RenderOptions opt;
    opt.format = Format::png;
    opt.dpi = dpi;
    int w = 0, h = 0;
    png_ihdr_size(render_to_bytes(f, opt), w, h);
    EXPECT_EQ(w, static_cast<int>(std::lround(3.0 * dpi)));
    EXPECT_EQ(h, static_cast<int>(std::lround(2.0 * dpi)));
  }
  RenderOptions slides;
  slides.dpi = 100;
  slides.style = Style::slides();
  int w = 0, h = 0;
  png_ihdr_size(render_to_bytes(f, slides), w, h);
  EXPECT_EQ(w, static_cast<int>(std::lround(3.0 * slides.style.size_scale * 100)));
}

TEST(FigureRender, PdfOpensWithPdftoppm) {
  const fs::path dir = temp_dir("pdf");
  RenderOptions opt;
  opt.format = Format::pdf;
  render(sample_figure(), (dir / "f.pdf").string(), opt);
  const std::string pdf = read_file(dir / "f.pdf");
  ASSERT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  if (!have("pdftoppm")) GTEST_SKIP() << "pdftoppm (poppler-utils) not installed";
  ASSERT_EQ(shell("pdftoppm -png -r 50 '" + (dir / "f.pdf").string() + "' '" + (dir / "page").string() + "'"), 0);
  bool found = false;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".png" || e.path().filename().string().rfind("page", 0) != 0) continue;
    found = true;
    int w = 0, h = 0;
    png_ihdr_size(read_file(e.path()), w, h);
    EXPECT_NEAR(w, 150, 2);  // 3 in at 50 dpi
    EXPECT_NEAR(h, 100, 2);
  }
  EXPECT_TRUE(found) << "pdftoppm made no PNG";
}

TEST(FigureRender, SvgIsXmlWithTheLabelsAsText) {
  const fs::path dir = temp_dir("svg");
  RenderOptions opt;
  opt.format = Format::svg;
  render(sample_figure(), (dir / "f.svg").string(), opt);
  const std::string svg = read_file(dir / "f.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  std::string why;
  EXPECT_TRUE(balanced_xml(svg, why)) << why;
  for (const char* label : {">t</text>", ">Φᵢⱼ</text>", ">scores σ(a)</text>", ">β*</text>", ">10⁻²</text>",
                            ">σ(A)</text>", ">j = 0</text>", "<title>", "<desc>a test figure</desc>"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  if (have("xmllint")) {
    EXPECT_EQ(shell("xmllint --noout '" + (dir / "f.svg").string() + "'"), 0);
  }
}

TEST(FigureRender, BlankFigureHasNoColour) {
  Figure f = sample_figure();
  f.panels[0].series.clear();
  f.panels[1].heatmap.reset();
  RenderOptions opt;
  opt.dpi = 100;
  const Image img = decode_png(render_to_bytes(f, opt));
  ASSERT_GT(img.w, 0);
  EXPECT_EQ(coloured_pixels(img, 0, 0, img.w, img.h), 0);
}

TEST(FigureRender, Fig2DrawsCurvesWhereTheyShouldBe) {
  const auto& runs = fig2_runs();
  ASSERT_EQ(runs.size(), 1u);
  const int w = runs[0].facts.predicted_winner;
  EXPECT_EQ(w, 6);
  Figure f = build_figure("fig2", runs);
  ASSERT_EQ(f.panels.size(), 2u);
  RenderOptions opt;
  opt.dpi = 100;
  const Image img = decode_png(render_to_bytes(f, opt));
  ASSERT_EQ(img.w, 650);
  // The same figure without data: axes and labels only.
  Figure blank = f;
  for (auto& p : blank.panels)
    for (auto& s : p.series) {
      s.y.assign(s.y.size(), NAN);
      s.label.clear();  // and no legend
    }
  const Image empty = decode_png(render_to_bytes(blank, opt));
  EXPECT_EQ(coloured_pixels(empty, 0, 0, empty.w, empty.h), 0);
  // Both panels carry curves.
  EXPECT_GT(coloured_pixels(img, 0, 0, img.w * 4 / 10, img.h), 500);
  EXPECT_GT(coloured_pixels(img, img.w * 45 / 100, 0, img.w * 8 / 10, img.h), 500);
  // The winner's score rises towards 1: its colour sits in the top right of the left panel, late in time.
  const Color wc = coordinate_color(w);
  EXPECT_GT(pixels_near(img, img.w * 25 / 100, 0, img.w * 42 / 100, img.h * 35 / 100, wc), 20);
  EXPECT_EQ(pixels_near(empty, 0, 0, img.w, img.h, wc), 0);
}

TEST(FigureRender, EveryPaperFigureBuildsAndRenders) {
  // Short runs of every preset; the figures must build, render and write a CSV with the plotted points.
  const fs::path dir = temp_dir("all");
  struct Case {
    std::string preset, kind;
    nlohmann::json overrides;
  };
  const std::vector<Case> cases = {
      {"fig2", "theory", {{"steps", 5000}, {"records", 100}}},
      {"fig3", "fig3", {{"steps", 3000}, {"records", 100}}},
      {"fig10", "fig10", {{"steps", 5000}, {"records", 100}}},
      {"fig11", "fig11", {{"steps", 500}, {"records", 100}}},
      {"fig13", "fig13", {{"steps", 500}, {"records", 100}}},
      {"sink", "sink", {{"steps", 2000}, {"records", 100}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.preset + "/" + c.kind);
    const auto runs = run_preset(c.preset, c.overrides);
    ASSERT_FALSE(runs.empty());
    const std::string path = (dir / (c.kind + ".png")).string();
    RenderOptions opt;
    opt.dpi = 60;
    const Figure f = render_records(c.kind, runs, path, opt);
    EXPECT_TRUE(fs::exists(path));
    const std::string csv = read_file(csv_path_for(path));
    EXPECT_EQ(csv.rfind("# ", 0), 0u);
    EXPECT_NE(csv.find("\npanel,panel_title,series,x,y\n"), std::string::npos);
    EXPECT_GT(std::count(csv.begin(), csv.end(), '\n'), 50);
  }
  const auto fig3 = run_preset("fig3", {{"steps", 100}, {"records", 20}});
  EXPECT_EQ(build_figure("fig12", fig3).panels.size(), 5u);
  EXPECT_EQ(fig3[4].label, "κ = 5");
  EXPECT_THROW(build_figure("fig11", fig3), polarlab::ConfigError);
  EXPECT_THROW(build_figure("nope", fig3), polarlab::ConfigError);
  EXPECT_THROW(format_from_path("x.jpg"), polarlab::ConfigError);
}

TEST(FigureRender, CsvHoldsThePlottedData) {
  const auto& runs = fig2_runs();
  const Figure f = build_figure("fig2", runs);
  const std::string csv = figure_csv(f);
  // 8 coordinates × 2 panels × every record.
  const auto lines = std::count(csv.begin(), csv.end(), '\n');
  EXPECT_EQ(lines, 2 + 2 * 8 * static_cast<long>(runs[0].records.size()));
  EXPECT_NE(csv.find(",s_6,"), std::string::npos);
  EXPECT_NE(csv.find(",u_0,"), std::string::npos);
}

TEST(FigureCli, PresetRunDirectoryAndBadInput) {
  const fs::path dir = temp_dir("cli");
  const std::string cli = POLARLAB_CLI;
  ASSERT_EQ(shell(cli + " figure --preset fig2 --steps 3000 --out '" + (dir / "fig2.svg").string() + "' >/dev/null"), 0);
  EXPECT_TRUE(fs::exists(dir / "fig2.svg"));
  const std::string csv = read_file(dir / "fig2.csv");
  EXPECT_NE(csv.find("3000 of the preset's 1000000"), std::string::npos);
  // From a run directory written by simulate.
  ASSERT_EQ(shell(cli + " simulate --preset sink --steps 2000 --quiet --out '" + (dir / "run").string() +
                  "' >/dev/null"),
            0);
  ASSERT_EQ(shell(cli + " figure --run '" + (dir / "run").string() + "' --dpi 72 --out '" +
                  (dir / "sink.png").string() + "' >/dev/null"),
            0);
  int w = 0, h = 0;
  png_ihdr_size(read_file(dir / "sink.png"), w, h);
  EXPECT_GT(w, 100);
  ASSERT_EQ(shell(cli + " figure --run '" + (dir / "run").string() + "' --kind theory --style slides --out '" +
                  (dir / "t.pdf").string() + "' >/dev/null"),
            0);
  // Bad input exits 2.
  EXPECT_EQ(shell(cli + " figure --preset fig2 --out '" + (dir / "x.jpg").string() + "' 2>/dev/null"), 2);
  EXPECT_EQ(shell(cli + " figure --preset nope --out '" + (dir / "x.png").string() + "' 2>/dev/null"), 2);
  EXPECT_EQ(shell(cli + " figure --preset fig3 --kappa 7 --steps 10 --out '" + (dir / "x.png").string() +
                  "' 2>/dev/null"),
            2);
  EXPECT_EQ(shell(cli + " figure --run /nonexistent --out '" + (dir / "x.png").string() + "' 2>/dev/null"), 2);
}
