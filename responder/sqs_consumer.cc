#include "responder/sqs_consumer.h"

#include <glog/logging.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <thread>

#include "alarm/json.h"
#include "alarm/parsed.h"
#include "channels/redact.h"
#include "responder/aws_json_call.h"

namespace rr {
namespace {

constexpr std::string_view kSource = "sqs";

std::string JsonObject(std::initializer_list<std::pair<const char*, std::string>> strings,
                       std::initializer_list<std::pair<const char*, int>> numbers = {}) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  for (const auto& [key, value] : strings) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  for (const auto& [key, value] : numbers) {
    w.Key(key);
    w.Int(value);
  }
  w.EndObject();
  return buffer.GetString();
}

std::string StringMember(const JsonValue& object, const char* key) {
  if (!object.IsObject()) return "";
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(AsView(it->value));
}

}  // namespace

SqsConsumer::SqsConsumer(HttpClient& client, AwsCredentialsProvider& credentials,
                         AwsEndpoint endpoint, AlertPipeline& pipeline, Metrics& metrics,
                         SqsConsumerOptions options)
    : client_(client),
      credentials_(credentials),
      endpoint_(std::move(endpoint)),
      pipeline_(pipeline),
      metrics_(metrics),
      options_(std::move(options)) {}

void SqsConsumer::Run(const std::atomic<bool>& stop) {
  std::chrono::milliseconds backoff = options_.error_backoff;
  while (!stop.load()) {
    if (PollOnce()) {
      backoff = options_.error_backoff;
      continue;
    }
    // Sleep in small steps so a stop request is seen quickly.
    const auto until = std::chrono::steady_clock::now() + backoff;
    while (!stop.load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds(60000));
  }
}

bool SqsConsumer::PollOnce() {
  const std::string request = JsonObject({{"QueueUrl", options_.queue_url}},
                                         {{"MaxNumberOfMessages", options_.max_messages},
                                          {"WaitTimeSeconds", options_.wait_seconds},
                                          {"VisibilityTimeout", options_.visibility_seconds}});
  AwsJsonCallOptions call;
  call.timeout = std::chrono::seconds(options_.wait_seconds + 10);
  AwsJsonReply reply =
      AwsJsonCall(client_, credentials_, endpoint_, "AmazonSQS.ReceiveMessage", request, call);
  const auto received = std::chrono::steady_clock::now();
  if (!reply.ok()) {
    LOG(ERROR) << "sqs_receive_failed queue=" << options_.queue_url
               << " code=" << (reply.error_code.empty() ? "-" : reply.error_code) << " error=\""
               << RedactKnown(reply.status.message()) << "\"";
    return false;
  }
  auto messages = reply.answer.FindMember("Messages");
  if (messages == reply.answer.MemberEnd() || !messages->value.IsArray()) return true;
  for (const JsonValue& m : messages->value.GetArray()) {
    Handle(StringMember(m, "ReceiptHandle"), StringMember(m, "MessageId"), StringMember(m, "Body"),
           received);
  }
  return true;
}

void SqsConsumer::Handle(const std::string& receipt, const std::string& message_id,
                         const std::string& body, std::chrono::steady_clock::time_point received) {
  if (receipt.empty()) return;
  // A batch can take a while to spool when the disk is slow: keep the message ours.
  const auto held = std::chrono::steady_clock::now() - received;
  if (held > std::chrono::seconds(options_.visibility_seconds / 2)) {
    ChangeVisibility(receipt, options_.visibility_seconds);
  }
  AcceptAnswer answer = pipeline_.Accept(body, kSource);
  switch (answer.kind) {
    case AcceptKind::kAccepted:
    case AcceptKind::kDuplicate:
      Delete(receipt);
      return;
    case AcceptKind::kIgnored:
      LOG(INFO) << "ignored source=sqs message_id=" << message_id << " reason=\""
                << RedactKnown(answer.reason) << "\"";
      Delete(receipt);
      return;
    case AcceptKind::kRejected:
      // Left in the queue: after maxReceiveCount receives the redrive policy moves it to the
      // dead-letter queue, where a person can look at it.
      metrics_.Refused(kSource, "rejected");
      LOG(WARNING) << "poison_message source=sqs message_id=" << message_id << " reason=\""
                   << RedactKnown(PrintableReason(answer.reason))
                   << "\" note=\"left to the queue's redrive policy\"";
      return;
    case AcceptKind::kUnavailable:
      metrics_.Refused(kSource, "unavailable");
      LOG(WARNING) << "retry_later source=sqs message_id=" << message_id << " reason=\""
                   << answer.reason << "\"";
      ChangeVisibility(receipt, options_.retry_later_seconds);
      return;
  }
}

bool SqsConsumer::Delete(const std::string& receipt) {
  AwsJsonReply reply =
      AwsJsonCall(client_, credentials_, endpoint_, "AmazonSQS.DeleteMessage",
                  JsonObject({{"QueueUrl", options_.queue_url}, {"ReceiptHandle", receipt}}));
  if (!reply.ok()) {
    // Harmless for the alert (it is spooled; a redelivery is a duplicate), worth a line.
    LOG(WARNING) << "sqs_delete_failed code=" << reply.error_code << " error=\""
                 << RedactKnown(reply.status.message()) << "\"";
  }
  return reply.ok();
}

bool SqsConsumer::ChangeVisibility(const std::string& receipt, int seconds) {
  AwsJsonReply reply =
      AwsJsonCall(client_, credentials_, endpoint_, "AmazonSQS.ChangeMessageVisibility",
                  JsonObject({{"QueueUrl", options_.queue_url}, {"ReceiptHandle", receipt}},
                             {{"VisibilityTimeout", seconds}}));
  if (!reply.ok()) {
    LOG(WARNING) << "sqs_visibility_failed code=" << reply.error_code << " error=\""
                 << RedactKnown(reply.status.message()) << "\"";
  }
  return reply.ok();
}

}  // namespace rr
