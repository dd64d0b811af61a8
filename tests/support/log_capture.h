// Every glog line logged while it lives (from any thread), to check what was and was not logged.
#pragma once

#include <glog/logging.h>

#include <mutex>
#include <string>

namespace rr::testing {

class LogCapture : public google::LogSink {
 public:
  LogCapture();
  ~LogCapture() override;
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  void send(google::LogSeverity severity, const char* full_filename, const char* base_filename,
            int line, const struct ::tm* tm_time, const char* message, size_t message_len) override;
  // The messages so far, one per line.
  std::string text() const;

 private:
  mutable std::mutex mu_;
  std::string text_;
};

}  // namespace rr::testing
