// Long calls from Python: the work runs on its own thread without the GIL while the calling thread watches for
// signals (Ctrl-C) every 10 ms; a signal's exception cancels the work through its JobControl, and is handed back
// (not raised) so the caller can attach what was done before raising it.
#pragma once
#include <pybind11/pybind11.h>

#include <functional>

#include "core/job/job.hpp"

namespace polarlab::python {

namespace py = pybind11;

// Runs `work` (which must stop soon after job.cancel_requested()) to its end. Returns the exception a signal
// handler raised meanwhile (KeyboardInterrupt), or None. A C++ exception of the work is rethrown here.
// `tick` (when given) is called with the GIL every 0.1 s while the work runs (a progress bar); an exception it
// raises cancels the work like a signal's.
py::object run_watched(JobControl& job, const std::function<void()>& work, const std::function<void()>& tick = {});

// The exception a Python call raised, as an object (normalized, with its traceback), clearing the error.
py::object fetch_exception();

}  // namespace polarlab::python
