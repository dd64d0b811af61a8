#include "tests/support/log_capture.h"

namespace rr::testing {

LogCapture::LogCapture() { google::AddLogSink(this); }

LogCapture::~LogCapture() { google::RemoveLogSink(this); }

void LogCapture::send(google::LogSeverity, const char*, const char*, int, const struct ::tm*,
                      const char* message, size_t message_len) {
  std::lock_guard<std::mutex> lock(mu_);
  text_.append(message, message_len).append("\n");
}

std::string LogCapture::text() const {
  std::lock_guard<std::mutex> lock(mu_);
  return text_;
}

}  // namespace rr::testing
