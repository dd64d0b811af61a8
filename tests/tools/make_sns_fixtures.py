#!/usr/bin/env python3
"""Makes the signed SNS fixtures in testdata/sns-signed/ (tests/sns_signature_test.cc reads them).

A throwaway RSA-2048 test key and a self-signed certificate for it stand in for the SNS signing
certificate. Bodies are written as SNS sends them over HTTP (compact JSON, keys in the order of
aws-formats.md §3.2, no trailing newline) and signed over the string of §3.3, built here
independently of the C++ code so the two implementations check each other.

The generated files are committed; run this only to change them:
    python3 tests/tools/make_sns_fixtures.py            # keeps the existing key
    python3 tests/tools/make_sns_fixtures.py --new-key  # new key and certificates
Needs python3 `cryptography` only.
"""
import argparse
import base64
import datetime
import json
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

OUT = pathlib.Path(__file__).resolve().parents[2] / "testdata" / "sns-signed"

ALARM_TOPIC = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic"
ACTIVITY_TOPIC = "arn:aws:sns:us-east-1:111122223333:root-activity"
UNKNOWN_TOPIC = "arn:aws:sns:ap-northeast-2:444455556666:root-alert-topic"
CERT_NAME = "SimpleNotificationService-6aad65c2f9911b05cd53efda11f913f9.pem"
SEOUL_CERT_URL = f"https://sns.ap-northeast-2.amazonaws.com/{CERT_NAME}"
VIRGINIA_CERT_URL = f"https://sns.us-east-1.amazonaws.com/{CERT_NAME}"
SUBSCRIPTION = "2f5c1d7e-0b1a-4c55-9d2e-6a7b8c9d0e1f"
TOKEN = ("2336412f37fb687f5d51e6e2425dacbbaa0b6a2d7e1c7b4a7f4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2"
         "a1908f7e6d5c4b3a29180f7e6d5c4b3a2918")


def compact(value, ensure_ascii=False):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=ensure_ascii)


def alarm_message(description):
    """A CloudWatch alarm message (aws-formats.md §1.6), as the compact JSON string SNS carries."""
    return compact({
        "AlarmName": "root-alert",
        "AlarmDescription": description,
        "AWSAccountId": "111122223333",
        "AlarmConfigurationUpdatedTimestamp": "2026-03-02T08:11:05.402+0000",
        "NewStateValue": "ALARM",
        "NewStateReason": "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:40:00)] "
                          "was greater than or equal to the threshold (1.0) (minimum 1 datapoint for "
                          "OK -> ALARM transition).",
        "StateChangeTime": "2026-03-02T09:45:31.077+0000",
        "Region": "Asia Pacific (Seoul)",
        "AlarmArn": "arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",
        "OldStateValue": "OK",
        "OKActions": [],
        "AlarmActions": [ALARM_TOPIC],
        "InsufficientDataActions": [],
        "Trigger": {
            "MetricName": "RootAccountUsageCount", "Namespace": "CloudTrailMetrics",
            "StatisticType": "Statistic", "Statistic": "SUM", "Unit": None, "Dimensions": [],
            "Period": 300, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Threshold": 1.0,
            "TreatMissingData": "notBreaching", "EvaluateLowSampleCountPercentile": "",
        },
    })


def console_login_event():
    """An EventBridge root console sign-in (aws-formats.md §5), as the Message string."""
    return compact({
        "version": "0", "id": "5f2d8c1a-3b4e-4d6f-9a0b-1c2d3e4f5a6b",
        "detail-type": "AWS Console Sign In via CloudTrail", "source": "aws.signin",
        "account": "111122223333", "time": "2026-03-02T09:40:12Z", "region": "us-east-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "userIdentity": {"type": "Root", "principalId": "111122223333",
                             "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333",
                             "accessKeyId": ""},
            "eventTime": "2026-03-02T09:40:12Z", "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin", "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.23",
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "requestParameters": None, "responseElements": {"ConsoleLogin": "Success"},
            "additionalEventData": {"MobileVersion": "No", "MFAUsed": "No"},
            "eventID": "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5", "readOnly": False,
            "eventType": "AwsConsoleSignIn", "managementEvent": True,
            "recipientAccountId": "111122223333", "eventCategory": "Management",
        },
    })


# The keys signed, per type, in byte order (aws-formats.md §3.3).
SIGNED_KEYS = {
    "Notification": ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
    "SubscriptionConfirmation":
        ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
}
SIGNED_KEYS["UnsubscribeConfirmation"] = SIGNED_KEYS["SubscriptionConfirmation"]


def string_to_sign(body, keys=None):
    keys = keys or SIGNED_KEYS[body["Type"]]
    return "".join(f"{k}\n{body[k]}\n" for k in keys if body.get(k) is not None).encode("utf-8")


def sign(key, data, version):
    digest = hashes.SHA1() if version == "1" else hashes.SHA256()
    return base64.b64encode(key.sign(data, padding.PKCS1v15(), digest)).decode("ascii")


def signed(key, body, version, *, digest_version=None, keys=None):
    """`body` with SignatureVersion and Signature inserted after Timestamp, as SNS orders them."""
    out = {}
    for k, v in body.items():
        out[k] = v
        if k == "Timestamp":
            out["SignatureVersion"] = version
            out["Signature"] = sign(key, string_to_sign(body, keys), digest_version or version)
    return out


def notification(topic, message, timestamp, message_id, subject=None):
    body = {"Type": "Notification", "MessageId": message_id, "TopicArn": topic}
    if subject is not None:
        body["Subject"] = subject
    body.update({"Message": message, "Timestamp": timestamp})
    return body


def finish_notification(body, cert_url, topic):
    region = topic.split(":")[3]
    body["SigningCertURL"] = cert_url
    body["UnsubscribeURL"] = (f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe"
                              f"&SubscriptionArn={topic}:{SUBSCRIPTION}")
    return body


def confirmation(kind, message_id, timestamp, message):
    return {"Type": kind, "MessageId": message_id, "Token": TOKEN, "TopicArn": ALARM_TOPIC,
            "Message": message,
            "SubscribeURL": ("https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription"
                             f"&TopicArn={ALARM_TOPIC}&Token={TOKEN}"),
            "Timestamp": timestamp}


def write(name, body, *, moto=False):
    # moto posts with python-requests' json=, i.e. json.dumps defaults: ", " and ": " separators
    # and \uXXXX escapes for non-ASCII (aws-formats.md §8).
    text = json.dumps(body) if moto else compact(body)
    (OUT / name).write_bytes(text.encode("utf-8"))


def make_certificate(key, cn, not_before, not_after):
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "root-responder test fixtures"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))


def write_pem(name, cert):
    (OUT / name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def load_or_make_key(path, new_key):
    if path.exists() and not new_key:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-key", action="store_true", help="make new keys and certificates")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    utc = datetime.timezone.utc
    key = load_or_make_key(OUT / "test-signing-key.pem", args.new_key)
    other_key = load_or_make_key(OUT / "other-signing-key.pem", args.new_key)
    if args.new_key or not (OUT / "ec-signing-cert.pem").exists():
        # Long validity so the fixtures outlive the project; the tests pass `now` explicitly.
        write_pem("test-signing-cert.pem",
                  make_certificate(key, "sns.amazonaws.com", datetime.datetime(2024, 1, 1, tzinfo=utc),
                                   datetime.datetime(2124, 1, 1, tzinfo=utc)))
        write_pem("expired-signing-cert.pem",
                  make_certificate(key, "sns.amazonaws.com", datetime.datetime(2020, 1, 1, tzinfo=utc),
                                   datetime.datetime(2021, 1, 1, tzinfo=utc)))
        write_pem("other-signing-cert.pem",
                  make_certificate(other_key, "sns.amazonaws.com",
                                   datetime.datetime(2024, 1, 1, tzinfo=utc),
                                   datetime.datetime(2124, 1, 1, tzinfo=utc)))
        # Keys SNS never signs with, which the verifier must refuse (no private key is kept).
        write_pem("ec-signing-cert.pem",
                  make_certificate(ec.generate_private_key(ec.SECP256R1()), "sns.amazonaws.com",
                                   datetime.datetime(2024, 1, 1, tzinfo=utc),
                                   datetime.datetime(2124, 1, 1, tzinfo=utc)))
        write_pem("rsa1024-signing-cert.pem",
                  make_certificate(rsa.generate_private_key(public_exponent=65537, key_size=1024),
                                   "sns.amazonaws.com", datetime.datetime(2024, 1, 1, tzinfo=utc),
                                   datetime.datetime(2124, 1, 1, tzinfo=utc)))

    alarm_subject = 'ALARM: "root-alert" in Asia Pacific (Seoul)'
    alarm = alarm_message("Root account usage (CIS 4.3 / Security Hub CloudWatch.1)")
    alarm_korean = alarm_message("루트 계정 사용 감지 (CIS 4.3)")
    login = console_login_event()

    def alarm_notification(version, message=alarm, topic=ALARM_TOPIC, cert_url=SEOUL_CERT_URL,
                           **kw):
        body = notification(topic, message, "2026-03-02T09:45:31.140Z",
                            "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", subject=alarm_subject)
        return finish_notification(signed(key, body, version, **kw), cert_url, topic)

    def login_notification(version, **kw):
        body = notification(ACTIVITY_TOPIC, login, "2026-03-02T09:40:14.262Z",
                            "3ab2c3d4-e5f6-4708-9637-e8f9a0b1c2d3")
        return finish_notification(signed(key, body, version, **kw), VIRGINIA_CERT_URL,
                                   ACTIVITY_TOPIC)

    # Genuine messages.
    write("notification-v1-subject.json", alarm_notification("1"))
    write("notification-v2-subject.json", alarm_notification("2", message=alarm_korean))
    write("notification-v1-no-subject.json", login_notification("1"))
    write("notification-v2-no-subject.json", login_notification("2"))
    write("subscription-confirmation.json", signed(key, confirmation(
        "SubscriptionConfirmation", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "2026-03-02T09:00:00.000Z",
        f"You have chosen to subscribe to the topic {ALARM_TOPIC}.\n"
        "To confirm the subscription, visit the SubscribeURL included in this message."), "1")
        | {"SigningCertURL": SEOUL_CERT_URL})
    write("unsubscribe-confirmation.json", signed(key, confirmation(
        "UnsubscribeConfirmation", "47c9e3a1-5b2d-4f6e-8a7b-9c0d1e2f3a4b",
        "2026-03-20T01:02:03.456Z",
        f"You have chosen to deactivate subscription {ALARM_TOPIC}:{SUBSCRIPTION}.\n"
        "To cancel this operation and restore the subscription, visit the SubscribeURL included "
        "in this message."), "2") | {"SigningCertURL": SEOUL_CERT_URL})

    # The same notification as Lambda gets it: Subject null, SigningCertUrl/UnsubscribeUrl casing.
    sns = login_notification("1")
    lambda_sns = {"Type": sns["Type"], "MessageId": sns["MessageId"], "TopicArn": sns["TopicArn"],
                  "Subject": None, "Message": sns["Message"], "Timestamp": sns["Timestamp"],
                  "SignatureVersion": sns["SignatureVersion"], "Signature": sns["Signature"],
                  "SigningCertUrl": sns["SigningCertURL"], "UnsubscribeUrl": sns["UnsubscribeURL"],
                  "MessageAttributes": {}}
    write("lambda-notification-v1.json", {"Records": [{
        "EventSource": "aws:sns", "EventVersion": "1.0",
        "EventSubscriptionArn": f"{ACTIVITY_TOPIC}:{SUBSCRIPTION}", "Sns": lambda_sns}]})

    # Tampered after signing: each must be refused.
    body = alarm_notification("1")
    body["Message"] = body["Message"].replace('"NewStateValue":"ALARM"', '"NewStateValue":"OK"')
    write("tampered-message.json", body)
    body = alarm_notification("2")
    body["Subject"] = 'OK: "root-alert" in Asia Pacific (Seoul)'
    write("tampered-subject.json", body)
    body = login_notification("2")
    with_subject = {}
    for k, v in body.items():
        with_subject[k] = v
        if k == "TopicArn":
            with_subject["Subject"] = "Nothing to see here"
    write("subject-added.json", with_subject)
    conf = json.loads((OUT / "subscription-confirmation.json").read_text())
    conf["SubscribeURL"] = "https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription" \
                           f"&TopicArn={UNKNOWN_TOPIC}&Token={TOKEN}"
    write("tampered-subscribe-url.json", conf)
    body = alarm_notification("1")
    body["SignatureVersion"] = "3"
    write("signature-version-3.json", body)
    body = alarm_notification("2")
    body["Signature"] = body["Signature"][:200]
    write("truncated-signature.json", body)
    body = alarm_notification("2")
    body["Signature"] = "!" + body["Signature"][1:]
    write("bad-base64.json", body)
    # Signed with SHA-256 but labelled version 1: the label picks the digest.
    write("version-mismatch.json", alarm_notification("1", digest_version="2"))

    # Correctly signed, but from somewhere that must not be trusted.
    write("wrong-host.json", alarm_notification(
        "2", cert_url=f"https://sns.ap-northeast-2.amazonaws.com.evil.com/{CERT_NAME}"))
    write("http-cert-url.json", alarm_notification(
        "2", cert_url=f"http://sns.ap-northeast-2.amazonaws.com/{CERT_NAME}"))
    write("unknown-topic.json", alarm_notification("2", topic=UNKNOWN_TOPIC))

    # moto 5.2.1 (sns/models.py get_post_data): always version 2, Subject appended last, python
    # json.dumps spacing and escapes, and a string to sign WITHOUT Subject (its bug, §8).
    moto_keys = ["Message", "MessageId", "Timestamp", "TopicArn", "Type"]
    for name, subject in (("moto-subject.json", alarm_subject), ("moto-no-subject.json", None)):
        body = {"Type": "Notification", "MessageId": "9d1c0f4e-7a2b-4c3d-8e5f-6a7b8c9d0e1f",
                "TopicArn": ALARM_TOPIC, "Message": alarm_korean,
                "Timestamp": "2026-03-02T09:45:31.140Z"}
        if subject:
            body["Subject"] = subject
        moto = {k: body[k] for k in ("Type", "MessageId", "TopicArn", "Message", "Timestamp")}
        moto["SignatureVersion"] = "2"
        moto["Signature"] = sign(key, string_to_sign(body, moto_keys), "2")
        moto["SigningCertURL"] = ("https://sns.ap-northeast-2.amazonaws.com/"
                                  "SimpleNotificationService-0f1e2d3c4b5a69788796a5b4c3d2e1f0.pem")
        moto["UnsubscribeURL"] = ("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"
                                  "&SubscriptionArn=arn:aws:sns:us-east-1:111122223333:"
                                  "root-alert-topic:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55")
        if subject:
            moto["Subject"] = subject
        write(name, moto, moto=True)


if __name__ == "__main__":
    main()
