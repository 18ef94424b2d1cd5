// A bounded queue between the reading workers and a shard's writer:
// workers wait when it is full, so memory does not grow with the folder.
// Private to indexer/.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include "shard_writer.hpp"

namespace folio {

class ResultQueue {
 public:
  explicit ResultQueue(std::size_t capacity) : capacity_(capacity) {}

  // Waits while the queue is full.
  void push(FileResult r) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(r));
    not_empty_.notify_one();
  }

  // The next result; nullopt when every producer is done and the queue is empty.
  std::optional<FileResult> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || producers_ == 0; });
    if (items_.empty()) return std::nullopt;
    FileResult r = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return r;
  }

  // Before any push: how many producers will call producer_done().
  void set_producers(unsigned n) {
    std::lock_guard lock(mutex_);
    producers_ = static_cast<int>(n);
  }

  void producer_done() {
    std::lock_guard lock(mutex_);
    --producers_;
    not_empty_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<FileResult> items_;
  int producers_ = 0;
};

}  // namespace folio
