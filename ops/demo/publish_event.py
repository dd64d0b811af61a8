#!/usr/bin/env python3
"""Publishes an EventBridge event to the topic as an EventBridge rule with an SNS target does:
the whole event JSON as the Message, no Subject. Usage: publish_event.py TOPIC_ARN EVENT_FILE"""
import sys

import boto3

with open(sys.argv[2], encoding="utf-8") as f:
    event = f.read()
print(boto3.client("sns").publish(TopicArn=sys.argv[1], Message=event)["MessageId"])
