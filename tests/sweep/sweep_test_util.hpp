// Helpers for the sweep tests: a planned sweep in a temp folder, and a run "finished" by writing the files a real
// run writes (config.json, summary.json, status.json) atomically, as `sweep run-task` does.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "core/sweep/plan.hpp"
#include "core/sweep/run_status.hpp"

namespace sweep_test {

inline polarlab::sweep::Plan plan_from_yaml(const std::string& name, const std::string& yaml) {
  const std::string dir = testing::TempDir() + "/polarlab_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + ".yaml") << yaml;
  }
  return polarlab::sweep::write_plan(dir + ".yaml", dir);
}

inline void finish_run(const polarlab::sweep::Plan& plan, const polarlab::sweep::PlannedRun& r,
                       const nlohmann::json& summary, polarlab::sweep::TaskState state = polarlab::sweep::TaskState::done,
                       const std::string& error = "") {
  namespace sw = polarlab::sweep;
  const std::string dir = plan.run_dir(r.id);
  std::filesystem::create_directories(dir);
  nlohmann::json cfg = r.params;
  if (!cfg.contains("task")) cfg["task"] = "induction";
  polarlab::write_file_atomically(dir + "/config.json", [&](std::ostream& os) { os << cfg.dump(); });
  if (state == sw::TaskState::done)
    polarlab::write_file_atomically(dir + "/summary.json", [&](std::ostream& os) { os << summary.dump(); });
  sw::TaskStatus st;
  st.state = state;
  st.host = sw::hostname();
  st.pid = ::getpid();
  st.attempt = 1;
  st.backend = "test";
  st.started_at = sw::utc_now();
  if (state != sw::TaskState::started) st.finished_at = sw::utc_now();
  st.wall_seconds = 1.5;
  st.error = error;
  sw::write_status(dir, st);
}

}  // namespace sweep_test
