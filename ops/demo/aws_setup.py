#!/usr/bin/env python3
"""Creates the root alarm chain in the AWS emulator (moto) at AWS_ENDPOINT_URL, as the
CloudFormation in ops/cloudformation/ would in an account: the CloudTrail log group with the
CIS root-usage metric filter, the topic, the alarm root-alert on
CloudTrailMetrics/RootAccountUsageCount, and an HTTP subscription to the responder.

Usage: aws_setup.py RESPONDER_URL   (prints the topic ARN)"""
import sys

import boto3

CIS_PATTERN = ('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
               '&& $.eventType != "AwsServiceEvent" }')
logs = boto3.client("logs")
logs.create_log_group(logGroupName="aws-cloudtrail-logs-demo")
logs.put_metric_filter(
    logGroupName="aws-cloudtrail-logs-demo", filterName="RootAccountUsage", filterPattern=CIS_PATTERN,
    metricTransformations=[{"metricName": "RootAccountUsageCount", "metricNamespace": "CloudTrailMetrics",
                            "metricValue": "1"}])
sns = boto3.client("sns")
topic = sns.create_topic(Name="root-alert-topic")["TopicArn"]
sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=sys.argv[1])
boto3.client("cloudwatch").put_metric_alarm(
    AlarmName="root-alert", AlarmDescription="root account usage (CIS 4.3)",
    Namespace="CloudTrailMetrics", MetricName="RootAccountUsageCount", Statistic="Sum", Period=300,
    EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
    TreatMissingData="notBreaching", ActionsEnabled=True, AlarmActions=[topic])
print(topic)
