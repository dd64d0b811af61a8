// A fixed set of threads that run batches of tasks, for the daemon's deliveries: a round sends
// to every channel of an alert at once, and starting a thread per channel per alert cost the
// daemon a third of its CPU under load (bench/results, clone3 and munmap).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rr {

class TaskPool {
 public:
  explicit TaskPool(size_t threads);
  ~TaskPool();  // finishes the queued tasks, then joins
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Runs every task, the last on the calling thread and the others on the pool, and returns
  // when all have finished. Safe from any number of threads at once.
  void RunAll(std::vector<std::function<void()>>& tasks);

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rr
