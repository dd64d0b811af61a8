#!/usr/bin/env python3
"""The root-responder binary as users run it: every testdata payload through
`once --dry-run`, the documented exit statuses, check-config, the environment-only mode,
and planted secrets grepped from everything the process printed."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

BINARY = sys.argv[1]
SOURCE = pathlib.Path(sys.argv[2])
TESTDATA = SOURCE / "testdata"

SECRETS = {
    "RR_TEST_DOORAY_HOOK_URL":
        "https://hook.dooray.com/services/3036349505739914786/3817528466113489025/CliPlantedHookTok9",
    "RR_TEST_TELEGRAM_BOT_TOKEN": "7012345678:AAcliPlantedBotToken_xyz",
    "RR_TEST_SMS_APP_KEY": "CliPlantedAppKey7",
    "RR_TEST_SMS_SECRET_KEY": "CliPlantedSecretKey8",
}
NEEDLES = ["CliPlantedHookTok9", "AAcliPlantedBotToken_xyz", "CliPlantedAppKey7",
           "CliPlantedSecretKey8", "01012345678", "0212345678"]
failures = []
checks = 0


def run(args, env=None, stdin=None):
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    full_env.update(env if env is not None else SECRETS)
    return subprocess.run([BINARY] + args, input=stdin, capture_output=True, env=full_env,
                          timeout=60)


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)


def check_no_secrets(result, what):
    text = result.stdout + result.stderr
    for needle in NEEDLES:
        check(needle.encode() not in text, f"{what}: printed the planted secret {needle!r}")


def payloads():
    for expect in sorted(TESTDATA.rglob("*.expect.json")):
        payload = expect.with_name(expect.name[:-len(".expect.json")] + ".json")
        if payload.exists():
            yield payload, json.loads(expect.read_text())


def test_every_payload():
    config = str(TESTDATA / "config.json")
    for payload, want in payloads():
        name = payload.relative_to(TESTDATA)
        result = run(["once", f"--event={payload}", f"--config={config}", "--dry-run"])
        check_no_secrets(result, str(name))
        if "exit_code" in want:
            check(result.returncode == want["exit_code"],
                  f"{name}: exit {result.returncode}, expected {want['exit_code']}")
        lines = [l for l in result.stdout.decode().splitlines() if l.strip()]
        wanted = want.get("outcomes", [want])
        check(len(lines) == len(wanted), f"{name}: {len(lines)} outcome lines, expected {len(wanted)}")
        for line, w in zip(lines, wanted):
            outcome = json.loads(line)
            check(outcome["outcome"] == w["outcome"],
                  f"{name}: outcome {outcome['outcome']}, expected {w['outcome']}")
            if outcome["outcome"] == "dry_run":
                check(len(outcome["deliveries"]) == 3, f"{name}: expected 3 rendered deliveries")
                for d in outcome["deliveries"]:
                    check(d["status"] == "rendered" and "request" in d,
                          f"{name}: delivery {d['channel']} not rendered")


def test_stdin_and_usage():
    payload = (TESTDATA / "eventbridge" / "root-console-login-success.json").read_bytes()
    result = run(["once", "--event=-", f"--config={TESTDATA / 'config.json'}", "--dry-run"],
                 stdin=payload)
    check(result.returncode == 0, f"stdin: exit {result.returncode}: {result.stderr[-300:]}")
    check(json.loads(result.stdout)["alert"]["kind"] == "console_login", "stdin: wrong alert")
    check(run(["once", "--dry-run"]).returncode == 64, "once without --event must exit 64")
    check(run(["frobnicate"]).returncode == 64, "an unknown command must exit 64")
    missing = run(["once", "--event=/nonexistent/x.json", f"--config={TESTDATA / 'config.json'}",
                   "--dry-run"])
    check(missing.returncode == 64 and b"/nonexistent/x.json" in missing.stderr,
          "an unreadable event file must be named, exit 64")


def test_check_config_reports_everything_at_once():
    bad = {
        "timezone": "Mars/Olympus",
        "colour": "blue",
        "notify_states": ["ALARM", "PANIC"],
        "channels": [
            {"name": "t", "type": "telegram", "bot_token": "env:RR_NOT_SET_ANYWHERE",
             "chat_id": "not-a-chat"},
            {"name": "s", "type": "nhn_sms", "app_key": "k", "secret_key": "env:RR_TEST_SMS_SECRET_KEY",
             "send_no": "02-1234-5678", "recipients": ["010-1234-5678"], "api_base": "http://example.com"},
            {"name": "x", "type": "slack"},
        ],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bad, f)
    result = run(["check-config", f"--config={f.name}"])
    os.unlink(f.name)
    err = result.stderr.decode()
    check(result.returncode == 64, f"a bad config must exit 64, got {result.returncode}")
    for phrase in ["Mars/Olympus", "colour: unknown key", "notify_states[1]", "RR_NOT_SET_ANYWHERE",
                   "channels[0].chat_id", "channels[1].api_base", "unknown type \"slack\"",
                   "channels[1].app_key: a literal secret"]:
        check(phrase in err, f"check-config did not report {phrase!r}:\n{err}")
    check_no_secrets(result, "check-config")
    good = run(["check-config", f"--config={TESTDATA / 'config.json'}"])
    check(good.returncode == 0, f"testdata/config.json must pass check-config: {good.stderr!r}")
    check(b"sms-oncall (nhn_sms), tier 1, after 300 s" in good.stdout,
          f"check-config must list tiers: {good.stdout!r}")


def test_environment_only_mode():
    env = {"DOORAY_HOOK_URL": SECRETS["RR_TEST_DOORAY_HOOK_URL"],
           "TELEGRAM_BOT_TOKEN": SECRETS["RR_TEST_TELEGRAM_BOT_TOKEN"],
           "TELEGRAM_CHAT_ID": "-1001234567890",
           "SMS_APP_KEY": SECRETS["RR_TEST_SMS_APP_KEY"],
           "SMS_SECRET_KEY": SECRETS["RR_TEST_SMS_SECRET_KEY"],
           "SMS_SEND_NO": "0212345678", "SMS_RECIPIENTS": "010-1234-5678, 01098765432"}
    payload = TESTDATA / "sns" / "lambda-root-alert-alarm.json"
    result = run(["once", f"--event={payload}", "--dry-run"], env=env)
    check(result.returncode == 0, f"env mode: exit {result.returncode}: {result.stderr[-400:]!r}")
    check_no_secrets(result, "env mode")
    outcome = json.loads(result.stdout)
    check(outcome["alert"]["subject"] == "root 계정", "env mode: root-alert -> root 계정")
    check([d["type"] for d in outcome["deliveries"]] == ["dooray", "telegram", "nhn_sms"],
          f"env mode: channels {[d['type'] for d in outcome['deliveries']]}")
    sms = outcome["deliveries"][2]["request"]["body"]
    check([r["recipientNo"][-4:] for r in sms["recipientList"]] == ["5678", "5432"],
          f"env mode: SMS_RECIPIENTS split: {sms['recipientList']}")
    none = run(["once", f"--event={payload}", "--dry-run"], env={})
    check(none.returncode == 64 and b"no channel configured" in none.stderr,
          "no config and no variables must say so and exit 64")
    half = run(["check-config"], env={"TELEGRAM_BOT_TOKEN": "x:y"})
    check(b"TELEGRAM_CHAT_ID" in half.stderr, "a half-configured Telegram must be named")


for test in [test_every_payload, test_stdin_and_usage, test_check_config_reports_everything_at_once,
             test_environment_only_mode]:
    test()

for f in failures:
    print("FAIL:", f)
print(f"cli: {checks - len(failures)} checks passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
