#include "alarm/cloudtrail_event.h"

#include <algorithm>
#include <cctype>

#include "alarm/aws_time.h"
#include "alarm/console_url.h"

namespace rr {
namespace {

// The EventBridge user guide spells it "Signin"; every real rule and event says "Sign In".
constexpr std::string_view kSignInDetailType = "AWS Console Sign In via CloudTrail";
constexpr std::string_view kSignInDetailTypeDocs = "AWS Console Signin via CloudTrail";
constexpr std::string_view kApiCallDetailType = "AWS API Call via CloudTrail";
constexpr std::string_view kServiceEventDetailType = "AWS Service Event via CloudTrail";
// CloudTrail writes this instead of an alias when a mistyped user name failed to sign in.
constexpr std::string_view kHiddenUserName = "HIDDEN_DUE_TO_SECURITY_REASONS";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<bool> YesNo(const std::optional<std::string>& text, std::string_view yes,
                          std::string_view no) {
  if (!text) return std::nullopt;
  if (EqualsIgnoreCase(*text, yes)) return true;
  if (EqualsIgnoreCase(*text, no)) return false;
  return std::nullopt;
}

}  // namespace

bool IsCloudTrailDetailType(std::string_view detail_type) {
  return detail_type == kSignInDetailType || detail_type == kSignInDetailTypeDocs ||
         detail_type == kApiCallDetailType || detail_type == kServiceEventDetailType;
}

Parsed ParseCloudTrailEvent(FieldReader& e, const EnvelopeFacts& envelope) {
  std::string detail_type = e.String("detail-type");
  std::optional<std::string> id = e.OptString("id");
  std::optional<std::string> account = e.OptString("account");
  std::optional<std::string> event_region = e.OptString("region");
  std::optional<std::string> time = e.OptString("time");
  const JsonValue* detail_value = e.Get("detail");
  if (!detail_value || detail_value->IsNull()) e.Fail("detail", "missing");
  FieldReader detail = e.Object("detail");
  FieldReader identity = detail.Object("userIdentity");
  FieldReader session = identity.Object("sessionContext");

  Alert a;
  a.event_name = detail.OptString("eventName");
  a.kind = (detail_type != kApiCallDetailType && a.event_name == "ConsoleLogin")
               ? AlertKind::kConsoleLogin
               : AlertKind::kApiCall;
  a.event_source = detail.OptString("eventSource");
  a.principal_type = identity.OptString("type");
  a.principal_arn = identity.OptString("arn");
  std::optional<std::string> user_name = identity.OptString("userName");
  std::optional<std::string> invoked_by = identity.OptString("invokedBy");
  std::optional<std::string> assumed_root = session.OptString("assumedRoot");
  std::optional<std::string> mfa_authenticated =
      session.Object("attributes").OptString("mfaAuthenticated");
  a.source_ip = detail.OptString("sourceIPAddress");
  a.user_agent = detail.OptString("userAgent");
  a.error_message = detail.OptString("errorMessage");
  std::optional<std::string> event_type = detail.OptString("eventType");
  std::optional<std::string> event_time = detail.OptString("eventTime");
  std::optional<std::string> aws_region = detail.OptString("awsRegion");
  std::optional<std::string> event_id = detail.OptString("eventID");
  std::optional<std::string> recipient = detail.OptString("recipientAccountId");
  std::optional<std::string> identity_account = identity.OptString("accountId");
  if (a.kind == AlertKind::kConsoleLogin) {
    a.login_result = detail.Object("responseElements").OptString("ConsoleLogin");
    a.mfa_used = YesNo(detail.Object("additionalEventData").OptString("MFAUsed"), "yes", "no");
  } else {
    a.mfa_used = YesNo(mfa_authenticated, "true", "false");
  }
  if (!e.ok()) return Parsed::Reject(e.error().message());

  a.account_id = account ? account : recipient ? recipient : identity_account;
  a.region = aws_region ? aws_region : event_region;
  std::optional<std::string> when = event_time ? event_time : time;
  if (when) {
    a.event_time = NormalizeAwsTimestamp(*when);
    if (!a.event_time) {
      std::string path = event_time ? detail.PathOf("eventTime") : e.PathOf("time");
      return Parsed::Reject(path + ": not an ISO-8601 timestamp");
    }
  }
  a.event_id = event_id ? event_id : id;
  a.message_id = envelope.sns_message_id;
  if (id) {
    a.dedup_key = "eb:" + *id;
  } else if (envelope.sns_message_id) {
    a.dedup_key = "sns:" + *envelope.sns_message_id;
  } else if (event_id) {
    a.dedup_key = "ct:" + *event_id;
  }
  if (a.region && a.event_id) a.console_url = CloudTrailEventConsoleUrl(*a.region, *a.event_id);

  const bool root =
      a.principal_type == "Root" || (a.principal_type == "AssumedRole" && assumed_root == "true");
  if (root && user_name && *user_name != kHiddenUserName) a.account_name = user_name;
  // Reasons are built before `a` is moved into the result: argument order is unspecified.
  const std::string what = a.event_name.value_or("event");
  std::string why;
  if (!root) {
    why = what + " by " + a.principal_type.value_or("an unknown principal") + " is not root usage";
  } else if (invoked_by) {
    why = what + " has userIdentity.invokedBy " + *invoked_by +
          ": an AWS service acting for root, which the CIS filter excludes";
  } else if (event_type == "AwsServiceEvent" || detail_type == kServiceEventDetailType) {
    why = what + " is an AwsServiceEvent, which the CIS filter excludes";
  }
  if (!why.empty()) return Parsed::Ignore(std::move(why), std::move(a));
  return Parsed::Accept(std::move(a));
}

}  // namespace rr
