// Times one training step of the spec's induction model (2 layers, d 128, 4 heads, batch 256, softmax,
// concat positions, λ = 0.2) through the public Trainer API. --json prints {"seconds_per_step": ...} last,
// which bench/transformer_step_vs_pytorch.py reads.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/transformer/trainer.hpp"

int main(int argc, char** argv) {
  using namespace polarlab::transformer;
  int steps = 20, warmup = 3, threads = 0;
  std::string device = "cpu", attention = "softmax";
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return i + 1 < argc ? argv[++i] : (std::fprintf(stderr, "missing value\n"), std::exit(2), ""); };
    if (!std::strcmp(argv[i], "--steps")) steps = std::atoi(next());
    else if (!std::strcmp(argv[i], "--warmup")) warmup = std::atoi(next());
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(next());
    else if (!std::strcmp(argv[i], "--device")) device = next();
    else if (!std::strcmp(argv[i], "--attention")) attention = next();
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: %s [--steps N] [--warmup N] [--threads T] [--device cpu|cuda] [--attention NAME] [--json]\n", argv[0]);
      return 2;
    }
  }
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
}
