#include "app/gui/transformer/flags.hpp"

#include "app/gui/shell/flag_checks.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER
#include "core/transformer/config.hpp"
#endif

namespace polarlab::gui {

void TransformerFlags::add(CLI::App& cli) {
  cli.add_option("--train-steps", train_steps,
                 "transformer: start a training run of N steps on open (default: open without starting)")
      ->default_str("")
      ->check(integer_in(1, 1000000000));
  cli.add_flag("--train-tiny", train_tiny, "transformer: a small model and data set (tests, screenshots)");
  cli.add_option("--train-task", train_task, "transformer: task of the run: induction or classification");
  cli.add_option("--train-attention", train_attention,
                 "transformer: attention function, one of polarlab-cli train --attention's twelve (e.g. softmax, "
                 "sigmoid_norm)");
  cli.add_option("--train-device", train_device, "transformer: auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cli.add_option("--train-threads", train_threads,
                 "transformer: torch threads (default: train's, half the cores, at most 8; 1 on 2 cores)")
      ->default_str("")
      ->check(integer_in(1, 256));
}

std::string TransformerFlags::check() const {
#ifdef HAVE_POLARLAB_TRANSFORMER
  try {
    if (!train_task.empty()) transformer::task_from_name(train_task);
  } catch (const std::exception& e) {
    return "--train-task: " + flag_reason(e);
  }
  try {
    if (!train_attention.empty()) transformer::attention_from_name(train_attention);
  } catch (const std::exception& e) {
    return "--train-attention: " + flag_reason(e);
  }
#else
  const char* given = train_steps > 0            ? "--train-steps"
                      : train_tiny               ? "--train-tiny"
                      : !train_task.empty()      ? "--train-task"
                      : !train_attention.empty() ? "--train-attention"
                      : !train_device.empty()    ? "--train-device"
                      : train_threads > 0        ? "--train-threads"
                                                 : nullptr;
  if (given)
    return std::string(given) + ": this build has no transformer (libtorch); reconfigure with -DPOLARLAB_TORCH=ON "
                                "to train";
#endif
  return {};
}

}  // namespace polarlab::gui
