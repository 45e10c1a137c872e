// The experiment description's types (what presets, the CLI, the GUI and config.json describe): the model, the
// method, the initialization and its recipe. Below the layers that use them (init, model set-up, observe,
// experiment); reading, writing and validating them is experiment/config.hpp's.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/loss/loss.hpp"
#include "core/map/map.hpp"
#include "core/types.hpp"

namespace polarlab {

enum class ModelKind { value_softmax, regression, tied, sink };
enum class Method { gd, flow };

std::optional<ModelKind> parse_model(std::string_view name);
std::string model_name(ModelKind kind);
const std::vector<std::string>& model_names();

// What an initialization draws: a parameter or target (JSON {"draw": "V"}, ...), or a reseed of the RNG
// (JSON {"reseed": seed}, no "draw" spelling).
enum class DrawTarget { V, a, beta_star, X, y, p_star, reseed };
// What replaces a drawn value (JSON "fill": "zero" | "identity"; none writes no "fill").
enum class DrawFill { none, zero, identity };
// init.kind: "assumption_3_1" | "assumption_3_4" | "gaussian" | "recipe" | "explicit".
enum class InitKind { assumption_3_1, assumption_3_4, gaussian, recipe, explicit_values };

const char* init_kind_name(InitKind kind);
std::optional<InitKind> parse_init_kind(std::string_view name);
const std::vector<std::string>& init_kind_names();

// One draw of the initialization recipe, in the order the official code makes them.
struct InitDraw {
  DrawTarget what = DrawTarget::V;
  double scale = 1.0;          // value = mean + scale · randn
  double mean = 0.0;
  DrawFill fill = DrawFill::none;  // zero, identity: drawn (to keep the RNG in step), then replaced
  bool normalize = false;      // beta_star: divide by its norm
  bool transpose = false;      // V: drawn as randn(p, d) and transposed (fig10's V ∈ R^{p×k})
  bool skip = false;           // not drawn at all (a user's Assumption 3.4 V = 0)
  std::uint32_t seed = 0;      // reseed
};

struct InitConfig {
  InitKind kind = InitKind::assumption_3_1;
  double v_scale = 0.1;
  double a_scale = 0.1;
  double a_mean = 0.0;
  bool order_by_u0 = false;        // relabel coordinates so that u(0) decreases (the theory's indexing)
  std::vector<InitDraw> recipe;    // kind == recipe
  // kind == explicit (any subset; the rest is drawn as for assumption_3_1)
  std::optional<Mat> V, X, A;
  std::optional<Vec> a, beta_star, y, p_star;
};

struct ExperimentConfig {
  std::string name = "custom";
  std::string description;
  std::string theorem;  // what the run illustrates, for captions
  ModelKind model = ModelKind::value_softmax;
  LossKind loss = LossKind::logistic;
  double loss_scale = 0.5;   // square loss c; the paper writes ½, fig3's official code uses 1
  double ce_eps = 1e-15;     // cross-entropy: log(q + eps)
  double p_star_scale = 10.0;  // cross-entropy target p* = softmax(scale · rand)
  MapKind map = MapKind::softmax;
  Index d = 8;   // output dimension (tied: D; sink: value dim)
  Index p = 8;   // attention coordinates (tied: D; sink: T)
  Index n = 0;   // regression: rows of X (0: n = d)
  double kappa = 1.0;  // condition number of X
  bool causal = false;  // sink model
  Method method = Method::gd;
  double lr = 0.1;
  std::int64_t steps = 1000;
  double t_end = 1e6;
  double rtol = 1e-8;
  double atol = 1e-10;
  int records = 2000;
  std::uint32_t seed = 123;
  InitConfig init;

  double end_time() const { return method == Method::gd ? lr * static_cast<double>(steps) : t_end; }
};

}  // namespace polarlab
