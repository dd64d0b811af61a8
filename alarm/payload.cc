#include "alarm/payload.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "alarm/cloudtrail_event.h"
#include "alarm/cloudwatch_alarm.h"
#include "alarm/field_reader.h"
#include "alarm/sns_envelope.h"

namespace rr {
namespace {

// Where a document sits decides which shapes may appear in it: an SNS Message never holds
// another envelope, an SQS body never holds a batch of records.
enum class Layer { kDelivery, kSqsBody, kSnsMessage };

// A delivery, its SQS body and its SNS Message: three levels of documents at most.
constexpr size_t kArenaLevels = 3;
constexpr size_t kArenaBytes = 24 * 1024;  // a real payload's document fits; kept small per thread
// A level's copy for parsing in place keeps its room for the next payload up to this size.
constexpr size_t kKeptCopyBytes = 64 * 1024;

class PayloadParser {
 public:
  PayloadParser(const PayloadLimits& limits, std::vector<Parsed>* out)
      : limits_(limits), out_(out) {}

  void ParseDocument(std::string_view bytes, std::string_view what, const std::string& path,
                     Layer layer, const EnvelopeFacts& envelope) {
    // Each nesting level's document takes its first chunk from a buffer its thread keeps.
    // Without it every payload grew the heap by a 64 KiB chunk and glibc gave it back when the
    // document went, five times slower than the parse on this VM (bench/results).
    const size_t level = depth_++;
    struct Leave {
      size_t& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    // Aligned: the allocator writes its chunk header at the start of the buffer.
    struct alignas(std::max_align_t) Arena {
      char bytes[kArenaBytes];
    };
    thread_local std::array<Arena, kArenaLevels> arenas;
    // The bytes are parsed in place in a copy the thread keeps per level, so strings are not
    // copied out one by one; the document (and its strings) go before the copy is reused.
    thread_local std::array<std::string, kArenaLevels> copies;
    std::optional<rapidjson::MemoryPoolAllocator<>> arena;
    std::string* copy = nullptr;
    if (level < kArenaLevels) {
      arena.emplace(arenas[level].bytes, kArenaBytes);
      copy = &copies[level];
    }
    struct Trim {
      std::string* copy;
      ~Trim() {
        if (copy && copy->capacity() > kKeptCopyBytes) *copy = std::string();
      }
    } trim{copy};
    JsonDocument doc(arena ? &*arena : nullptr);
    Status status = ParseJson(bytes, limits_.json, what, &doc, copy);
    if (!status.ok()) {
      std::string where = path.empty() ? "" : path + ": ";
      out_->push_back(Parsed::Reject(where + status.message()));
      return;
    }
    Dispatch(doc, path, layer, envelope);
  }

 private:
  void Dispatch(const JsonValue& value, const std::string& path, Layer layer,
                const EnvelopeFacts& envelope) {
    if (!value.IsObject()) {
      std::string where = path.empty() ? "" : path + ": ";
      out_->push_back(Parsed::Reject(where + "unrecognised payload: expected a JSON object, got " +
                                     std::string(JsonTypeName(value))));
      return;
    }
    Status error;
    FieldReader r(value, path, &error);
    if (layer == Layer::kDelivery && r.Has("Records")) {
      Records(r);
    } else if (LooksLikeSnsEnvelope(r)) {
      if (layer == Layer::kSnsMessage) {
        out_->push_back(Parsed::Reject(path + ": an SNS envelope inside an SNS Message; "
                                              "publish the alarm or event itself to the topic"));
      } else {
        Sns(r);
      }
    } else if (r.Has("detail-type") && r.Has("source") && r.Has("detail")) {
      EventBridge(r, envelope);
    } else if (IsAlarmMessage(r)) {
      out_->push_back(ParseAlarmMessage(r, envelope));
    } else if (IsAlarmActionEvent(r)) {
      out_->push_back(ParseAlarmActionEvent(r, envelope));
    } else {
      out_->push_back(Parsed::Reject(Unrecognised(value, path)));
    }
  }

  void Records(FieldReader& r) {
    const JsonValue* records = r.OptArray("Records");
    if (!records) {
      out_->push_back(Parsed::Reject(r.ok() ? "Records: missing" : r.error().message()));
      return;
    }
    if (records->Empty()) {
      out_->push_back(Parsed::Reject("Records: empty, there is no record to handle"));
      return;
    }
    if (records->Size() > limits_.max_records) {
      out_->push_back(Parsed::Reject("Records: " + std::to_string(records->Size()) +
                                     " records, more than the limit of " +
                                     std::to_string(limits_.max_records)));
      return;
    }
    for (rapidjson::SizeType i = 0; i < records->Size(); ++i) {
      std::string path = "Records[" + std::to_string(i) + "]";
      Status error;
      FieldReader record((*records)[i], path, &error);
      if (!error.ok()) {
        out_->push_back(Parsed::Reject(error.message()));
      } else if (record.Has("Sns")) {
        FieldReader sns = record.Object("Sns");
        Sns(sns);
      } else if (record.Has("body")) {
        std::string body = record.String("body");
        if (!record.ok()) {
          out_->push_back(Parsed::Reject(error.message()));
        } else {
          ParseDocument(body, "SQS message body", path + ".body", Layer::kSqsBody, {});
        }
      } else {
        out_->push_back(Parsed::Reject(path + ": unrecognised record, neither SNS nor SQS"));
      }
    }
  }

  void Sns(FieldReader& r) {
    SnsEnvelope envelope = ReadSnsEnvelope(r);
    if (!r.ok()) {
      out_->push_back(Parsed::Reject(r.error().message()));
      return;
    }
    if (envelope.type == "SubscriptionConfirmation" || envelope.type == "UnsubscribeConfirmation") {
      out_->push_back(Parsed::Ignore(
          "SNS " + envelope.type + " for topic " + envelope.topic_arn +
          " carries no alert; `root-responder serve` confirms subscriptions after checking the "
          "signature"));
      return;
    }
    if (envelope.type != "Notification") {
      out_->push_back(Parsed::Reject(r.PathOf("Type") + ": unknown SNS message type \"" +
                                     envelope.type.substr(0, 40) + "\""));
      return;
    }
    if (!envelope.message) {
      out_->push_back(Parsed::Reject(r.PathOf("Message") + ": missing"));
      return;
    }
    ParseDocument(*envelope.message, "SNS Message", r.PathOf("Message"), Layer::kSnsMessage,
                  EnvelopeFacts{envelope.message_id});
  }

  void EventBridge(FieldReader& r, const EnvelopeFacts& envelope) {
    std::optional<std::string> detail_type = r.OptString("detail-type");
    if (!r.ok()) {
      out_->push_back(Parsed::Reject(r.error().message()));
    } else if (detail_type == "CloudWatch Alarm State Change") {
      out_->push_back(ParseAlarmStateChangeEvent(r, envelope));
    } else if (detail_type && IsCloudTrailDetailType(*detail_type)) {
      out_->push_back(ParseCloudTrailEvent(r, envelope));
    } else {
      out_->push_back(Parsed::Reject(r.PathOf("detail-type") +
                                     ": unrecognised EventBridge detail-type \"" +
                                     detail_type.value_or("").substr(0, 60) + "\""));
    }
  }

  // Names a few of the keys, so the person reading the log sees what arrived instead.
  static std::string Unrecognised(const JsonValue& object, const std::string& path) {
    std::string keys;
    int shown = 0;
    for (auto it = object.MemberBegin(); it != object.MemberEnd() && shown < 6; ++it, ++shown) {
      if (!keys.empty()) keys += ", ";
      std::string_view key = AsView(it->name);
      for (char c : key.substr(0, 32)) keys += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    std::string where = path.empty() ? "" : path + ": ";
    return where + "unrecognised payload, neither a CloudWatch alarm, an SNS envelope nor an " +
           "EventBridge event (keys: " + (keys.empty() ? "none" : keys) + ")";
  }

  const PayloadLimits& limits_;
  size_t depth_ = 0;
  std::vector<Parsed>* out_;
};

}  // namespace

std::vector<Parsed> ParsePayload(std::string_view bytes, const PayloadLimits& limits) {
  std::vector<Parsed> out;
  PayloadParser(limits, &out).ParseDocument(bytes, "payload", "", Layer::kDelivery, {});
  return out;
}

}  // namespace rr
