// `serve --sqs-queue-url`: long-polls an SQS queue (AWS JSON 1.0, SigV4) and hands each message
// body to the alert pipeline. A message is deleted only once its alert is in the spool (or it
// carries nothing to send); a body the parser rejects is left alone, so the queue's redrive
// policy moves it to the dead-letter queue after maxReceiveCount tries; when the spool cannot
// take it, the message is made visible again soon, for another try.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "channels/http_client.h"
#include "responder/alert_pipeline.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/metrics.h"

namespace rr {

struct SqsConsumerOptions {
  std::string queue_url;
  int wait_seconds = 20;         // long poll: at most one empty answer every 20 s
  int max_messages = 10;         // per ReceiveMessage (the API's maximum)
  int visibility_seconds = 60;   // how long a received message stays ours; extended as needed
  int retry_later_seconds = 30;  // visibility given back when the spool could not take it
  std::chrono::milliseconds error_backoff{2000};  // after a failed call, doubling up to 1 min
};

class SqsConsumer {
 public:
  SqsConsumer(HttpClient& client, AwsCredentialsProvider& credentials, AwsEndpoint endpoint,
              AlertPipeline& pipeline, Metrics& metrics, SqsConsumerOptions options);

  // Polls until `stop` is set (checked between polls: a poll in progress ends within
  // wait_seconds). Never throws.
  void Run(const std::atomic<bool>& stop);

  // One ReceiveMessage and the handling of what it returned; false when the call failed.
  // Public for tests.
  bool PollOnce();

 private:
  void Handle(const std::string& receipt, const std::string& message_id, const std::string& body,
              std::chrono::steady_clock::time_point received);
  bool Delete(const std::string& receipt);
  bool ChangeVisibility(const std::string& receipt, int seconds);

  HttpClient& client_;
  AwsCredentialsProvider& credentials_;
  AwsEndpoint endpoint_;
  AlertPipeline& pipeline_;
  Metrics& metrics_;
  SqsConsumerOptions options_;
};

}  // namespace rr
