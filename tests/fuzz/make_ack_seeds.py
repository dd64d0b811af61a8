#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_ack_inputs into testdata/fuzz-ack/.

Valid tokens and button data are signed with the fuzzer's fixed secret, as responder/ack_link.h
documents the format, so the fuzzer starts from inputs that get past the signature. The first
byte of each seed picks the entry point (see tests/fuzz/ack_inputs_fuzzer.cc).
Run it again after changing the format or the fuzzer's secret.
"""
import base64
import hashlib
import hmac
import json
import pathlib

SECRET = b"fuzz-ack-secret-1f0c9e7a2b4d6e8f"
OTHER_SECRET = b"fuzz-ack-secret-rotated"
LATER = 1780358400  # 2026-06-02T00:00:00Z, a day after the fuzzer's "now"
EARLIER = 1767225600  # 2026-01-01T00:00:00Z: expired


def mac(secret, purpose, *fields):
    data = "\n".join((purpose,) + tuple(str(f) for f in fields)).encode()
    digest = hmac.new(secret, data, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token(incident, expiry, secret=SECRET):
    return f"v1.{incident}.{expiry}." + mac(secret, "root-responder ack-link v1", incident, expiry)


def button(incident, secret=SECRET):
    return f"ack:{incident}:" + mac(secret, "root-responder ack-telegram v1", incident)


def update(update_id, query):
    return {"update_id": update_id, "callback_query": query}


def press(query_id, data, user=None, message=None):
    q = {"id": query_id, "chat_instance": "-5387203649087401234",
         "from": user or {"id": 111111111, "is_bot": False, "first_name": "Minji",
                          "last_name": "Kim", "username": "kim_sec", "language_code": "ko"}}
    if data is not None:
        q["data"] = data
    if message is not False:
        q["message"] = message or {
            "message_id": 55, "date": EARLIER,
            "from": {"id": 7700112233, "is_bot": True, "first_name": "AWS Root Guard",
                     "username": "root_guard_bot"},
            "chat": {"id": -1001234567890, "title": "sec-oncall", "type": "supergroup"},
            "text": "🚨 AWS ROOT LOGIN\nAccount: 111122223333"}
    return q


def dumps(value):
    # Compact, as the Bot API answers.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def ok(result):
    return dumps({"ok": True, "result": result})


SEEDS = {
    # 0: link tokens as they arrive
    "link-valid": "0" + token(42, LATER),
    "link-valid-big-id": "0" + token(9007199254740993, LATER),
    "link-expired": "0" + token(42, EARLIER),
    "link-other-secret": "0" + token(42, LATER, OTHER_SECRET),
    "link-truncated": "0" + token(42, LATER)[:-3],
    "link-leading-zero": "0" + token(42, LATER).replace("v1.42.", "v1.042."),
    "link-button-data": "0" + button(42),
    # 1: claims signed by the harness
    "signed-valid": f"142.{LATER}",
    "signed-expired": f"142.{EARLIER}",
    "signed-max-id": f"19223372036854775807.{LATER}",
    "signed-leading-zero": f"1042.{LATER}",
    # 2: Telegram button data as it arrives
    "button-valid": "2" + button(42),
    "button-other-secret": "2" + button(42, OTHER_SECRET),
    "button-noop": "2noop",
    "button-link-token": "2" + token(42, LATER),
    # 3: button data signed by the harness
    "button-signed": "3" + "42",
    "button-signed-zero": "3" + "0",
    # 4: form bodies
    "form-name": "4name=kim",
    "form-korean": "4name=%EA%B9%80%EB%AF%BC%EC%A7%80+%28SOC%29",
    "form-newline": "4name=alice%0Aforged%3Dline",
    "form-spaces": "4other=1&name=+++Lee++Ji%09Eun+&name=second",
    "form-bidi": "4name=%E2%80%AEnimda%E2%80%AC%E2%80%8B",
    "form-long": "4name=" + "%ED%95%9C" * 70,
    "form-bad-escape": "4name=%zz%4",
    # 5: one /ack request: M C L A S, token, "\n", body
    "http-get-open": "5" + "00000" + token(42, LATER),
    "http-head-acked": "5" + "10100" + token(42, LATER),
    "http-get-already": "5" + "00200" + token(42, LATER),
    "http-get-unknown": "5" + "00300" + token(42, LATER),
    "http-post-name": "5" + "20000" + token(42, LATER) + "\nname=%EA%B9%80%EB%AF%BC%EC%A7%80",
    "http-post-charset": "5" + "21010" + token(42, LATER) + "\nname=lee",
    "http-post-text": "5" + "22000" + token(42, LATER) + "\nname=kim",
    "http-post-unavailable": "5" + "20030" + token(42, LATER) + "\n",
    "http-put": "5" + "30000" + token(42, LATER),
    "http-post-expired": "5" + "20000" + token(42, EARLIER) + "\nname=kim",
    "http-post-forged": "5" + "20000" + token(42, LATER, OTHER_SECRET) + "\nname=kim",
    "http-get-signed": "5" + "00001" + f"42.{LATER}",
    "http-post-no-secret": "5" + "20002" + token(42, LATER) + "\nname=kim",
    "http-post-no-callbacks": "5" + "20005" + f"42.{LATER}\nname=kim",
    # 6: getUpdates answers (status pick, body), shaped as shared/reference/channels.md says
    "updates-press": "60" + ok([update(800000007, press("4382bfdwdsb323b2d9", button(42)))]),
    "updates-empty": "60" + ok([]),
    "updates-mixed": "60" + ok([
        {"update_id": 800000008, "message": {"message_id": 9, "chat": {"id": 5, "type": "private"},
                                             "date": 1, "text": "hi"}},
        update(800000009, press("q-nodata", None,
                                user={"id": 222, "is_bot": False, "first_name": "A"})),
        update(800000010, {"from": {"id": 111, "is_bot": False, "first_name": "A"}, "data": "x"}),
        update(800000011, press("q-old", button(7), message={
            "message_id": 10, "chat": {"id": -100, "type": "group"}, "date": 0})),
        update(800000012, press("q-inline", button(8), message=False)),
    ]),
    "updates-odd-names": "60" + ok([update(5, press("q", "noop", user={
        "id": 333, "is_bot": False, "first_name": "\u202eevil\u0007", "last_name": " " * 3}))]),
    "updates-conflict": "64" + dumps({
        "ok": False, "error_code": 409,
        "description": "Conflict: terminated by other getUpdates request; make sure that only "
                       "one bot instance is running"}),
    "updates-rate-limited": "65" + dumps({
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7}}),
    "updates-unauthorized": "63" + dumps({
        "ok": False, "error_code": 401, "description": "Unauthorized"}),
    "updates-gateway": "66<html><body>502 Bad Gateway</body></html>",
    "updates-no-answer": "67",
    # 7: answerCallbackQuery answers
    "answer-ok": "70" + dumps({"ok": True, "result": True}),
    "answer-too-old": "72" + dumps({
        "ok": False, "error_code": 400,
        "description": "Bad Request: query is too old and response timeout expired or query ID "
                       "is invalid"}),
}


def main():
    out = pathlib.Path(__file__).resolve().parents[2] / "testdata" / "fuzz-ack"
    out.mkdir(exist_ok=True)
    for name, text in SEEDS.items():
        (out / name).write_bytes(text.encode())


if __name__ == "__main__":
    main()
