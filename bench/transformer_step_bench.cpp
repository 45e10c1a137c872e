// Times one training step of the spec's induction model (2 layers, d 128, 4 heads, batch 256, softmax,
// concat positions, λ = 0.2) through the public Trainer API. --json prints {"seconds_per_step": ...} last,
// which bench/transformer_step_vs_pytorch.py reads.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/bench_cli.hpp"
#include "core/transformer/config.hpp"
#include "core/transformer/trainer.hpp"

int main(int argc, char** argv) {
  using namespace polarlab::transformer;
  int steps = 20, warmup = 3, threads = 0;
  std::string device = "cpu", attention = "softmax";
  bool json = false;
  CLI::App app{"Times one training step of the spec's induction model (2 layers, d 128, 4 heads, batch 256); "
               "bench/transformer_step_vs_pytorch.py runs it beside PyTorch.",
               "transformer_step_bench"};
  app.add_option("--steps", steps, "Timed steps")->check(polarlab::bench::integer_in(1, 1000000))->capture_default_str();
  app.add_option("--warmup", warmup, "Untimed steps first")->check(polarlab::bench::integer_in(0, 1000000))->capture_default_str();
  app.add_option("--threads", threads, "Torch threads (0: train's default)")->check(polarlab::bench::integer_in(0, 256))->capture_default_str();
  app.add_option("--device", device, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
  app.add_option("--attention", attention, "Attention function")
      ->check(CLI::IsMember(attention_names()))
      ->capture_default_str();
  app.add_flag("--json", json, "Print {\"seconds_per_step\": ...} last");
  if (const int code = polarlab::bench::parse(app, argc, argv); code >= 0) return code;
  return polarlab::bench::run_main("transformer_step_bench", [&] {
  TrainConfig c;
  c.attention = attention_from_name(attention);
  c.train_size = 256 * 8;  // the step cost does not depend on the data set size
  c.steps = warmup + steps;
  c.threads = threads;
  c.device = device;
  Trainer t(c);
  for (int i = 0; i < warmup; ++i) t.train_step();
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  double loss = 0;
  for (int i = 0; i < steps; ++i) loss = t.train_step();  // train_step syncs on the loss, like loss.item()
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / steps;
  // CPU time too: on a shared box the wall time mostly measures the neighbours.
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC / steps;
  std::printf("polarlab %s step: %.2f ms wall, %.2f ms cpu (%d threads, %s, torch %s, loss %.4f)\n", attention.c_str(), s * 1e3,
              cpu * 1e3, t.config().threads, t.device().c_str(), Trainer::torch_version().c_str(), loss);
  if (json) std::printf("{\"seconds_per_step\": %.9g, \"cpu_seconds_per_step\": %.9g, \"threads\": %d, \"device\": \"%s\"}\n", s, cpu, t.config().threads, t.device().c_str());
  return 0;
  });
}
