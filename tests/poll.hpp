// The one "poll until a deadline" of the tests: `step` (run between tries: a frame, a short sleep) until `done`
// holds or `seconds` of wall time have passed. True when `done` held, checked once more at the deadline.
#pragma once
#include <chrono>
#include <thread>

namespace polarlab::test {

template <class Done, class Step>
bool poll_until(Done&& done, double seconds, Step&& step) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    step();
  }
  return true;
}

// Between tries, a short sleep: the other thread or process does the work.
template <class Done>
bool poll_until(Done&& done, double seconds, std::chrono::microseconds nap = std::chrono::milliseconds(1)) {
  return poll_until(done, seconds, [nap] { std::this_thread::sleep_for(nap); });
}

}  // namespace polarlab::test
