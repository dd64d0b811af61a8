#!/usr/bin/env python3
"""Shows outcome JSON lines (stdin) as a person would read them: the alert, then what each
channel would receive."""
import json
import re
import sys

for line in sys.stdin:
    if not line.strip():
        continue
    o = json.loads(line)
    a = o.get("alert") or {}
    print(f"outcome: {o['outcome']}" + (f" ({o['reason']})" if o.get("reason") else ""))
    if a:
        print(f"  alert: {a['kind']} / {a['subject']} / {a['severity']} / account {a['account_id']}"
              f" ({a['account_name']}) / {a['region']} / dedup {a['dedup_key']}")
    for d in o.get("deliveries", []):
        req = d.get("request", {})
        body = req.get("body", {})
        print(f"\n  --- {d['channel']} ({d['type']}, tier {d['tier']}): {d['status']}"
              f"  {req.get('method', '')} {req.get('url', '')}")
        if d["type"] == "dooray":
            print("  " + body["text"])
            for att in body.get("attachments", []):
                if "title" in att:
                    print(f"  | {att['title']}  [{att.get('color')}]  {att.get('titleLink', '')}")
                if att.get("text"):
                    print(f"  | {att['text']}")
                for f in att.get("fields", []):
                    print(f"  | {f['title']}: {f['value']}")
        elif d["type"] == "telegram":
            text = re.sub(r"<[^>]+>", "", body["text"])
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
            for t in text.splitlines():
                print("  " + t)
        elif d["type"] == "nhn_sms":
            if body.get("title"):
                print(f"  [LMS] {body['title']}")
            print("  " + body["body"].replace("\n", "\n  "))
            print(f"  to: {', '.join(r['recipientNo'] for r in body['recipientList'])}")
    print()
