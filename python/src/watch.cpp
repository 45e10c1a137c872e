#include "python/src/watch.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace polarlab::python {

py::object fetch_exception() {
  PyObject *type = nullptr, *value = nullptr, *trace = nullptr;
  PyErr_Fetch(&type, &value, &trace);
  PyErr_NormalizeException(&type, &value, &trace);
  if (trace && value) PyException_SetTraceback(value, trace);
  Py_XDECREF(type);
  Py_XDECREF(trace);
  return value ? py::reinterpret_steal<py::object>(value) : py::none();
}

py::object run_watched(JobControl& job, const std::function<void()>& work, const std::function<void()>& tick) {
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::exception_ptr error;
  py::object raised = py::none();
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(m);
      finished = true;
      cv.notify_all();
    });
    double last_tick = monotonic_seconds();
    std::unique_lock lock(m);
    while (!cv.wait_for(lock, std::chrono::milliseconds(10), [&] { return finished; })) {
      if (!raised.is_none()) continue;  // cancelled: wait for the work to stop
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          raised = fetch_exception();
          job.request_cancel();
        } else if (tick && monotonic_seconds() - last_tick >= 0.1) {
          last_tick = monotonic_seconds();
          try {
            tick();
          } catch (py::error_already_set& e) {
            e.restore();
            raised = fetch_exception();
            job.request_cancel();
          }
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (error) std::rethrow_exception(error);
  return raised;
}

}  // namespace polarlab::python
