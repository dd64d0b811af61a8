#!/usr/bin/env bash
# The main job on an embedded default: set-up, then a sample root console sign-in and a sample
# root-usage alarm through `root-responder once --dry-run` with the demo configuration
# (no cloud account, nothing is sent). Secrets are demo values and are shown redacted.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh >/dev/null

export DEMO_DOORAY_HOOK_URL="https://hook.dooray.com/services/1000000000000000001/2000000000000000002/demoHookToken000000000"
export DEMO_TELEGRAM_API_BASE="https://api.telegram.org"
export DEMO_TELEGRAM_BOT_TOKEN="1000000001:demo-telegram-token"
export DEMO_SMS_API_BASE="https://sms.api.nhncloudservice.com"
export DEMO_SMS_APP_KEY="demoAppKey"
export DEMO_SMS_SECRET_KEY="demoSecretKey"

for sample in testdata/eventbridge/root-console-login-success.json \
              testdata/sns/lambda-root-alert-alarm.json; do
  echo "===================================================================="
  echo "root-responder once --dry-run --event=$sample"
  echo "===================================================================="
  GLOG_minloglevel=1 build/root-responder once --config=ops/demo/config.json \
    --event="$sample" --dry-run | python3 ops/demo/show.py
done
echo "The full outcome JSON: build/root-responder once --config=ops/demo/config.json --event=FILE --dry-run"
