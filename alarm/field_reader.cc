#include "alarm/field_reader.h"

namespace rr {
namespace {

const JsonValue& EmptyObject() {
  static const JsonValue kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

}  // namespace

FieldReader::FieldReader(const JsonValue& value, std::string path, Status* error)
    : object_(value.IsObject() ? &value : nullptr), path_(std::move(path)), error_(error) {
  if (!object_ && error_->ok()) {
    *error_ = Status::InvalidArgument((path_.empty() ? std::string("payload") : path_) +
                                      ": expected object, got " + std::string(JsonTypeName(value)));
  }
}

std::string FieldReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

void FieldReader::Fail(std::string_view key, std::string_view problem) {
  if (error_->ok()) {
    *error_ = Status::InvalidArgument(PathOf(key) + ": " + std::string(problem));
  }
}

const JsonValue* FieldReader::Get(std::string_view key) const {
  if (!object_) return nullptr;
  auto it = object_->FindMember(
      JsonValue(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == object_->MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> FieldReader::OptString(std::string_view key) {
  const JsonValue* v = Get(key);
  if (!v || v->IsNull()) return std::nullopt;
  if (!v->IsString()) {
    Fail(key, "expected string, got " + std::string(JsonTypeName(*v)));
    return std::nullopt;
  }
  return std::string(AsView(*v));
}

std::string FieldReader::String(std::string_view key) {
  const JsonValue* v = Get(key);
  if (!v || v->IsNull()) {
    Fail(key, "missing");
    return {};
  }
  return OptString(key).value_or("");
}

FieldReader FieldReader::Object(std::string_view key) {
  const JsonValue* v = Get(key);
  if (!v || v->IsNull()) return FieldReader(EmptyObject(), PathOf(key), error_);
  return FieldReader(*v, PathOf(key), error_);
}

const JsonValue* FieldReader::OptArray(std::string_view key) {
  const JsonValue* v = Get(key);
  if (!v || v->IsNull()) return nullptr;
  if (!v->IsArray()) {
    Fail(key, "expected array, got " + std::string(JsonTypeName(*v)));
    return nullptr;
  }
  return v;
}

}  // namespace rr
