// A workspace's own command-line flags: declared in its folder (flags.hpp/.cpp), added to the command line by
// the workspace table (shell/workspace.cpp), checked before a window opens, and handed to that workspace alone
// when the App starts (WorkspaceView::launch). No struct lists every workspace's options.
#pragma once
#include <string>

namespace CLI {
class App;
}

namespace polarlab::gui {

class WorkspaceFlags {
 public:
  virtual ~WorkspaceFlags() = default;
  // Its flags on polarlab's command line (names, help, value checks, which flag needs which).
  virtual void add(CLI::App& cli) = 0;
  // What the values name exists and fits (files, presets, a sweep's cells), before a window opens: "" or the
  // refusal naming the flag.
  virtual std::string check() const { return {}; }
  // The flags name something to show (files to open): the App opens this workspace unless --workspace says.
  virtual bool opens_tab() const { return false; }
};

}  // namespace polarlab::gui
