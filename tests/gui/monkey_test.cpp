// The monkey: seeded random input at the headless App over all workspaces while their work runs
// (the dynamics solver, a tiny transformer training, an ensemble; an attention file open): clicks on items seen under the pointer
// and anywhere, drags, wheel, key taps (digits, space, arrows, PageUp/Down, Escape, Enter, Tab, letters),
// text into fields, resizes from 800x600 to 2560x1440, workspace switches, frame rates from 60 to 5 fps.
// Fails on a crash or ImGui assertion (the last events are printed), a frame slower than 1 s after start-up,
// or workers that do not stop. POLARLAB_EXECUTOR=inline runs every job inside the frames. POLARLAB_MONKEY_EVENTS (default 5000; 100000 is the full run) and
// POLARLAB_MONKEY_SEED replay a run.
#include <unistd.h>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/gui/attention/flags.hpp"
#include "app/gui/ensemble/flags.hpp"
#include "app/gui/shell/app.hpp"
#include "app/gui/transformer/flags.hpp"
#include "tests/gui/executor.hpp"
#include "tests/time_scale.hpp"

using namespace polarlab::gui;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kHistory = 40;
std::array<char[120], kHistory> g_events;  // a ring of the last events, printable from a signal handler
std::atomic<std::size_t> g_count{0};
unsigned g_seed = 0;

void note(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char* fmt, ...) {
  const std::size_t k = g_count.fetch_add(1);
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(g_events[k % kHistory], sizeof g_events[0], fmt, ap);
  va_end(ap);
}

void print_last_events(FILE* out) {
  const std::size_t n = g_count.load();
  std::fprintf(out, "monkey: seed %u, %zu events; the last ones (replay: POLARLAB_MONKEY_SEED=%u POLARLAB_MONKEY_EVENTS=%zu):\n",
               g_seed, n, g_seed, n);
  for (std::size_t k = n > kHistory ? n - kHistory : 0; k < n; ++k) std::fprintf(out, "  #%zu %s\n", k, g_events[k % kHistory]);
  std::fflush(out);
}

void on_crash(int sig) {
  std::fprintf(stderr, "monkey: FAILED with signal %d\n", sig);
  print_last_events(stderr);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "monkey: FAILED: %s\n", why.c_str());
  print_last_events(stderr);
  std::_Exit(1);
}

std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

const int kKeys[] = {GLFW_KEY_0, GLFW_KEY_1, GLFW_KEY_2, GLFW_KEY_3, GLFW_KEY_4, GLFW_KEY_5, GLFW_KEY_6,
                     GLFW_KEY_7, GLFW_KEY_8, GLFW_KEY_9, GLFW_KEY_SPACE, GLFW_KEY_RIGHT, GLFW_KEY_LEFT,
                     GLFW_KEY_UP, GLFW_KEY_DOWN, GLFW_KEY_PAGE_UP, GLFW_KEY_PAGE_DOWN, GLFW_KEY_ESCAPE,
                     GLFW_KEY_ENTER, GLFW_KEY_TAB, GLFW_KEY_BACKSPACE, GLFW_KEY_DELETE, GLFW_KEY_R, GLFW_KEY_L,
                     GLFW_KEY_F, GLFW_KEY_B, GLFW_KEY_PERIOD, GLFW_KEY_A, GLFW_KEY_Z, GLFW_KEY_C, GLFW_KEY_V,
                     GLFW_KEY_F5, GLFW_KEY_HOME, GLFW_KEY_END, GLFW_KEY_P, GLFW_KEY_MINUS, GLFW_KEY_EQUAL,
                     GLFW_KEY_KP_ADD};
const char kText[] = "0123456789.-e+, abcxyz/";

}  // namespace

int main() {
  g_seed = static_cast<unsigned>(env_count("POLARLAB_MONKEY_SEED", 20261129));
  const std::size_t total = env_count("POLARLAB_MONKEY_EVENTS", 5000);
  // 1 s; sanitizer builds run several times slower and set POLARLAB_TEST_TIME_SCALE (CMake does for them).
  const double frame_limit = 1.0 * polarlab::test::time_scale();
  for (int sig : {SIGABRT, SIGSEGV, SIGFPE, SIGILL, SIGBUS}) std::signal(sig, on_crash);
  // Files the monkey saves or exports land in a folder of its own.
  namespace fs = std::filesystem;
  const fs::path home = fs::temp_directory_path() / ("polarlab-monkey-" + std::to_string(::getpid()));
  fs::create_directories(home);
  fs::current_path(home);

  AppOptions o;
  o.preset = "fig2";
  o.width = 1280, o.height = 800;
  o.headless = true;
  o.scripted = true;
  o.executor = polarlab::test::executor_from_env();  // threads, or every job's slices inside the frames
  o.launch.get<EnsembleFlags>()->ensemble_count = 40;
  o.launch.get<EnsembleFlags>()->kappa_range = "1:10:4";
  // A small attention tensor (.npy, float32, layer,head,sample,q,k = 2,2,3,4,4) for the Attention workspace.
  {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3, 4, 4), }";
    header.append((10 + header.size() + 1 + 63) / 64 * 64 - 10 - header.size() - 1, ' ');
    header += '\n';
    std::ofstream npy(home / "attention.npy", std::ios::binary);
    npy.write("\x93NUMPY\x01\x00", 8);
    npy.put(static_cast<char>(header.size())).put(0) << header;
    std::mt19937 fill(7);
    for (int i = 0; i < 2 * 2 * 3 * 4 * 4; ++i) {
      const float w = std::uniform_real_distribution<float>(0.f, 1.f)(fill);
      npy.write(reinterpret_cast<const char*>(&w), sizeof w);
    }
  }
  o.launch.get<AttentionFlags>()->attention_models = {(home / "attention.npy").string()};
  // The shipped lecture: the monkey starts in its first scene (and walks the scenes while in lecture mode).
  if (const auto script = fs::path(polarlab::assets_dir()) / "lectures" / "polarization.yaml"; fs::exists(script))
    o.lecture_script = script.string();
#ifdef HAVE_POLARLAB_TRANSFORMER
  o.launch.get<TransformerFlags>()->train_tiny = true;
  o.launch.get<TransformerFlags>()->train_steps = 200;
  o.launch.get<TransformerFlags>()->train_threads = 1;
#endif
  std::mt19937 rng(g_seed);
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng)); };
  std::printf("monkey: seed %u, %zu events\n", g_seed, total);
  std::fflush(stdout);

  auto app = std::make_unique<App>(o);
  App& a = *app;
  // Items seen under the pointer, one position per item and workspace: the monkey clicks where a person would
  // click, every item as likely as any other however large it is.
  std::vector<std::vector<ImVec2>> targets(workspace_count());
  std::vector<std::unordered_map<ImGuiID, std::size_t>> target_index(workspace_count());
  double slowest = 0.0;
  std::string slowest_after;  // the event before the slowest frame
  std::size_t frames = 0, slow_frames_startup = 0, lecture_frames = 0, blank_frames = 0;
  std::vector<std::size_t> per_workspace(workspace_count());
  const auto t_start = Clock::now();
  double dt = 1.0 / 60.0;
  std::size_t recorded = 0;
  auto run_frame = [&] {
    const auto f0 = Clock::now();
    a.frame(dt, true);
    a.take_fullscreen_toggle();
    // A recording (the Record button) gets the window's picture as main.cpp would hand it over.
    if (a.recording_frame_due()) {
      polarlab::figure::Bitmap b;
      b.width = a.framebuffer_width(), b.height = a.framebuffer_height();
      b.pixels.assign(static_cast<std::size_t>(b.width) * b.height, 0xff101012u + static_cast<std::uint32_t>(frames % 200));
      const int before = a.recorded_frames();
      a.deliver_recording_frame(std::move(b));
      recorded += a.recorded_frames() > before;
    }
    const double spent = std::chrono::duration<double>(Clock::now() - f0).count();
    ++frames;
    const bool startup = frames < 10;
    if (spent > frame_limit) {
      if (startup) ++slow_frames_startup;
      else if (spent > frame_limit) fail("a frame took " + std::to_string(spent) + " s");
    }
    if (!startup && spent > slowest) {
      slowest = spent;
      const std::size_t k = g_count.load();
      slowest_after = k ? g_events[(k - 1) % kHistory] : "start";
    }
    const AppState& st = a.state();
    ++per_workspace[static_cast<std::size_t>(st.lecture ? kDynamics : st.workspaces.current)];
    lecture_frames += st.lecture;
    blank_frames += st.blank;
    if (const ImGuiID h = GImGui->HoveredId; h != 0) {
      const auto ws = static_cast<std::size_t>(a.state().workspaces.current);
      auto& t = targets[ws];
      const ImVec2 p = ImGui::GetIO().MousePos;
      if (auto it = target_index[ws].find(h); it != target_index[ws].end()) t[it->second] = p;
      else target_index[ws].emplace(h, t.size()), t.push_back(p);
    }
  };
  run_frame();

  for (std::size_t n = 0; n < total; ++n) {
    const double r = uni(0, 1);
    const float w = static_cast<float>(a.width()), h = static_cast<float>(a.height());
    auto& t = targets[static_cast<std::size_t>(a.state().workspaces.current)];
    InputQueue& in = a.input();
    // A person leaves the black screen and lecture mode again soon: most of the time goes to the workspaces.
    if ((a.state().blank && uni(0, 1) < 0.3) || (a.state().lecture && uni(0, 1) < 0.15)) {
      const int k = a.state().blank ? GLFW_KEY_B : GLFW_KEY_L;
      note("key %d (leave %s)", k, a.state().blank ? "the blank screen" : "lecture mode");
      in.key(k, true), in.key(k, false);
    } else if (r < 0.28 && !t.empty()) {
      const ImVec2 p = t[pick(t.size())];
      const int b = uni(0, 1) < 0.9 ? 0 : 1;
      note("click %d on an item at %.0f,%.0f", b, p.x, p.y);
      in.mouse_pos(p.x, p.y), in.mouse_button(b, true), in.mouse_button(b, false);
    } else if (r < 0.36) {
      const float x = static_cast<float>(uni(0, w)), y = static_cast<float>(uni(0, h));
      const bool dbl = uni(0, 1) < 0.2;
      note("%s at %.0f,%.0f", dbl ? "double click" : "click", x, y);
      in.mouse_pos(x, y), in.mouse_button(0, true), in.mouse_button(0, false);
      if (dbl) in.mouse_button(0, true), in.mouse_button(0, false);
    } else if (r < 0.52) {
      const float x = static_cast<float>(uni(0, w)), y = static_cast<float>(uni(0, h));
      note("move to %.0f,%.0f", x, y);
      in.mouse_pos(x, y);
    } else if (r < 0.57) {
      const float x0 = static_cast<float>(uni(0, w)), y0 = static_cast<float>(uni(0, h));
      const float x1 = static_cast<float>(uni(0, w)), y1 = static_cast<float>(uni(0, h));
      note("drag %.0f,%.0f -> %.0f,%.0f", x0, y0, x1, y1);
      in.mouse_pos(x0, y0), in.mouse_button(0, true);
      for (int k = 1; k <= 4; ++k) in.mouse_pos(x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4);
      in.mouse_button(0, false);
    } else if (r < 0.59) {
      // Reading the side panel: the pointer runs down a column, a frame per stop (finds the items there).
      const float x = static_cast<float>(uni(8, std::min(330.0f, w)));
      note("read the column x = %.0f", x);
      for (float y = 30; y < h; y += 9) {
        in.mouse_pos(x, y);
        run_frame();
      }
    } else if (r < 0.64) {
      const float x = static_cast<float>(uni(0, w)), y = static_cast<float>(uni(0, h));
      const float dy = static_cast<float>(uni(-3, 3));
      note("wheel %.1f at %.0f,%.0f", dy, x, y);
      in.mouse_pos(x, y), in.wheel(0, dy);
    } else if (r < 0.80) {
      const int k = kKeys[pick(std::size(kKeys))];
      const bool ctrl = uni(0, 1) < 0.05, hold = uni(0, 1) < 0.05;
      note("key %d%s%s", k, ctrl ? " with ctrl" : "", hold ? " held (repeats)" : "");
      if (ctrl) in.key(GLFW_KEY_LEFT_CONTROL, true);
      in.key(k, true);
      if (hold)
        for (int i = 0; i < 5; ++i) in.key(k, true, true);
      in.key(k, false);
      if (ctrl) in.key(GLFW_KEY_LEFT_CONTROL, false);
    } else if (r < 0.86) {
      std::string s;
      const std::size_t len = 1 + pick(6);
      for (std::size_t i = 0; i < len; ++i) s.push_back(kText[pick(sizeof kText - 1)]);
      note("type '%s'", s.c_str());
      for (unsigned char c : s) in.text(c);
    } else if (r < 0.89) {
      const int nw = 800 + static_cast<int>(pick(1761)), nh = 600 + static_cast<int>(pick(841));
      note("resize %dx%d", nw, nh);
      a.resize(nw, nh);
    } else if (r < 0.95) {
      // The tab bar across the top (hidden in lecture mode).
      const float x = static_cast<float>(uni(0, 420)), y = static_cast<float>(uni(4, 18));
      note("click the tab bar at %.0f,%.0f", x, y);
      in.mouse_pos(x, y), in.mouse_button(0, true), in.mouse_button(0, false);
    } else if (r < 0.955) {
      // The timeline's Record / Stop button (small and at the edge, so rarely hit by the clicks above).
      note("Record / Stop");
      a.state().record_toggle = true;
    } else {
      dt = uni(0, 1) < 0.5 ? 1.0 / 60.0 : 0.2;
      note("frame rate %.0f fps", 1.0 / dt);
    }
    // Sometimes events pile up within one frame (a slow frame, a fast hand); sometimes several frames pass.
    const double f = uni(0, 1);
    const int frames_now = f < 0.25 ? 0 : f < 0.9 ? 1 : 4;
    for (int k = 0; k < frames_now; ++k) run_frame();
  }
  for (int guard = 0; guard < 10000 && !a.input().empty(); ++guard) run_frame();
  run_frame();

  const int restarts = a.state().restarts;
  // Every worker stops and joins in bounded time.
  note("shutdown with %zu replaced workers still stopping", app->jobs().retired());
  const auto s0 = Clock::now();
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    while (!done && Clock::now() - s0 < std::chrono::seconds(60)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!done) fail("the workers did not stop within 60 s");
  });
  app.reset();
  done = true;
  watchdog.join();
  const double stop_s = std::chrono::duration<double>(Clock::now() - s0).count();
  std::error_code ec;
  fs::current_path(fs::temp_directory_path(), ec);
  fs::remove_all(home, ec);
  std::string per;
  for (std::size_t w = 0; w < per_workspace.size(); ++w)
    per += std::string(w ? ", " : "") + workspace_key(static_cast<WorkspaceId>(w)) + " " + std::to_string(per_workspace[w]);
  std::printf("monkey: %zu events, %zu frames (%s; lecture %zu, blank %zu), %d runs started, slowest frame after "
              "start-up %.1f ms (after: %s), %zu slow start-up frames, %zu video frames recorded, workers stopped in %.2f s\n",
              total, frames, per.c_str(), lecture_frames, blank_frames, restarts, 1e3 * slowest, slowest_after.c_str(),
              slow_frames_startup, recorded, stop_s);
  return 0;
}
