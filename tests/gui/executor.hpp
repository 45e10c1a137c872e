// The job host's executor a test runs on: POLARLAB_EXECUTOR=threads (default) or inline (CTest runs the App and
// worker tests both ways). An unknown name fails loudly rather than testing the default twice.
#pragma once
#include <cstdio>
#include <cstdlib>

#include "app/gui/shell/job_host.hpp"

namespace polarlab::test {

inline polarlab::gui::Executor executor_from_env() {
  const char* v = std::getenv("POLARLAB_EXECUTOR");
  if (!v || !*v) return polarlab::gui::Executor::threads;
  if (auto e = polarlab::gui::parse_executor(v)) return *e;
  std::fprintf(stderr, "POLARLAB_EXECUTOR=%s: expected threads or inline\n", v);
  std::abort();
}

}  // namespace polarlab::test
