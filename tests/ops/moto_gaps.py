"""What moto 5.2.1's CloudFormation does not create, and how the test makes up for it.

moto logs "No Moto CloudFormation support for <type>", warns, and reports the stack
CREATE_COMPLETE without the resource (list_stack_resources shows an entry with empty ids, and an
Output that refers to it is dropped). For those types the test resolves the template's properties
against the deployed stack (cfn_intrinsics.py) and makes the API call CloudFormation would make,
so that the values are still read back through the regular APIs and a wrong Ref (a queue URL
where an ARN belongs, say) still shows.

Other moto 5.2.1 behaviour met on the way (AWS behaves differently in each case):
- template Rules and parameter AllowedPattern are not evaluated (the test evaluates them);
- describe_stacks does not mask NoEcho parameters (it compares values with the key names);
- the YAML short form `!Condition X` is read as `Fn::Condition`, so a condition built from
  another one with it evaluates wrong; AWS::NoValue inside a list (Policies) crashes IAM;
- inline role policies read back as the Python repr of the document;
- EventBridge rules cannot deliver to SNS targets (NotImplementedError);
- a stack made through change sets (`aws cloudformation deploy`) reports no Outputs.
"""
import json

import boto3

from cfn_intrinsics import StackValues

# Resource types of our templates that moto's CloudFormation skips.
SKIPPED_BY_MOTO = {
    "AWS::Logs::MetricFilter",
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::TopicPolicy",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    "AWS::Lambda::EventInvokeConfig",
}


def _make_get_att(region, template, physical_ids):
    def get_att(logical_id, attribute):
        kind = template["Resources"][logical_id]["Type"]
        physical = physical_ids[logical_id]
        if (kind, attribute) == ("AWS::Lambda::Function", "Arn"):
            client = boto3.client("lambda", region_name=region)
            return client.get_function_configuration(FunctionName=physical)["FunctionArn"]
        if (kind, attribute) == ("AWS::SQS::Queue", "Arn"):
            client = boto3.client("sqs", region_name=region)
            return client.get_queue_attributes(QueueUrl=physical, AttributeNames=["QueueArn"])[
                "Attributes"]["QueueArn"]
        if (kind, attribute) == ("AWS::SQS::Queue", "QueueName"):
            return physical.rsplit("/", 1)[1]
        if (kind, attribute) == ("AWS::IAM::Role", "Arn"):
            client = boto3.client("iam", region_name=region)
            return client.get_role(RoleName=physical)["Role"]["Arn"]
        if (kind, attribute) == ("AWS::Events::Rule", "Arn"):
            return boto3.client("events", region_name=region).describe_rule(Name=physical)["Arn"]
        raise KeyError(f"Fn::GetAtt {logical_id}.{attribute} ({kind}) is not known to the test")

    return get_att


def stack_values(region, stack_name, template, parameters):
    """The stack's values (parameters, pseudo parameters, physical ids) for cfn_intrinsics."""
    cloudformation = boto3.client("cloudformation", region_name=region)
    physical_ids = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cloudformation.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
        if r["LogicalResourceId"]
    }
    account = boto3.client("sts", region_name=region).get_caller_identity()["Account"]
    pseudo = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": "aws",
              "AWS::StackName": stack_name, "AWS::URLSuffix": "amazonaws.com"}
    return StackValues(template, parameters, pseudo, physical_ids,
                       _make_get_att(region, template, physical_ids))


def apply_skipped(region, values, logical_id):
    """Creates one skipped resource through its service API; returns its physical id."""
    resource = values.template["Resources"][logical_id]
    kind = resource["Type"]
    props = values.resolve(resource.get("Properties", {}))
    if kind == "AWS::Logs::MetricFilter":
        boto3.client("logs", region_name=region).put_metric_filter(
            logGroupName=props["LogGroupName"], filterName=props["FilterName"],
            filterPattern=props["FilterPattern"],
            metricTransformations=[{"metricNamespace": t["MetricNamespace"],
                                    "metricName": t["MetricName"],
                                    "metricValue": t["MetricValue"]}
                                   for t in props["MetricTransformations"]])
        return props["FilterName"]
    if kind == "AWS::CloudWatch::Alarm":
        args = dict(props)
        args["Threshold"] = float(args["Threshold"])
        boto3.client("cloudwatch", region_name=region).put_metric_alarm(**args)
        return props["AlarmName"]
    if kind == "AWS::SNS::TopicPolicy":
        for topic in props["Topics"]:
            boto3.client("sns", region_name=region).set_topic_attributes(
                TopicArn=topic, AttributeName="Policy",
                AttributeValue=json.dumps(props["PolicyDocument"]))
        return logical_id
    if kind == "AWS::SQS::QueuePolicy":
        for queue in props["Queues"]:
            boto3.client("sqs", region_name=region).set_queue_attributes(
                QueueUrl=queue, Attributes={"Policy": json.dumps(props["PolicyDocument"])})
        return logical_id
    if kind == "AWS::SNS::Subscription":
        attributes = {}
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
        return boto3.client("sns", region_name=region).subscribe(
            TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props["Endpoint"],
            Attributes=attributes, ReturnSubscriptionArn=True)["SubscriptionArn"]
    if kind == "AWS::Lambda::EventInvokeConfig":
        boto3.client("lambda", region_name=region).put_function_event_invoke_config(**props)
        return props["FunctionName"]
    raise KeyError(f"{logical_id}: moto_gaps does not know how to create {kind}")


def missing_resources(values):
    """Logical ids the template creates under the stack's conditions that moto left out."""
    return [logical_id for logical_id in values.template["Resources"]
            if values.active(logical_id) and logical_id not in values.physical_ids]
