// The job footer (job_footer.cpp): the other workspaces' running jobs, with progress and Cancel.
#pragma once
#include "app/gui/shell/job_host.hpp"

namespace polarlab::gui {

struct AppState;
void draw_job_footer(AppState& app, JobHost& host, bool recording);

}  // namespace polarlab::gui
