#!/usr/bin/env python3
"""Shows what the local channel sinks received, as a person would see each message."""
import json
import re
import sys

for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)
    body = m["body"]
    if m["service"] == "dooray":
        print("--- Dooray (incoming hook)")
        print("  " + body["text"])
        for att in body.get("attachments", []):
            if "title" in att:
                print(f"  | {att['title']}  [{att.get('color')}]  {att.get('titleLink', '')}")
            if att.get("text"):
                print(f"  | {att['text']}")
            for f in att.get("fields", []):
                print(f"  | {f['title']}: {f['value']}")
    elif m["service"] == "telegram":
        print("--- Telegram")
        text = re.sub(r"<[^>]+>", "", body["text"])
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        for t in text.splitlines():
            print("  " + t)
    elif m["service"] == "nhn_sms":
        print("--- NHN Cloud SMS" + (" (LMS)" if body.get("title") else ""))
        if body.get("title"):
            print(f"  {body['title']}")
        print("  " + body["body"].replace("\n", "\n  "))
        print(f"  to: {', '.join(r['recipientNo'] for r in body['recipientList'])}")
    print()
