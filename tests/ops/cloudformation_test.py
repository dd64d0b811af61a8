#!/usr/bin/env python3
"""The CloudFormation of the alarm chain (ops/cloudformation/): cfn-lint finds nothing, the
contract values are in the templates, and both stacks deploy into moto (in-process, offline),
where the resources are read back through the regular AWS APIs. Root events put on the us-east-1
bus are followed through the forwarding to the main region's rule.

Usage: cloudformation_test.py SOURCE_DIR
"""
import ast
import io
import json
import logging
import os
import pathlib
import re
import subprocess
import sys
import unittest
import warnings
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE.parents[1]
TEMPLATES = SOURCE / "ops" / "cloudformation"
MAIN = TEMPLATES / "root-responder.yaml"
SIGNIN = TEMPLATES / "root-signin-us-east-1.yaml"
EVENTS = SOURCE / "testdata" / "eventbridge"

# moto and boto3 must never reach a real account, whatever the caller's environment holds.
for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
    os.environ.pop(name, None)
os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
                   "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
sys.path.insert(0, str(HERE))

import boto3  # noqa: E402
from cfnlint.decode import decode  # noqa: E402
from moto import mock_aws  # noqa: E402

from cfn_intrinsics import StackValues  # noqa: E402
from moto_gaps import SKIPPED_BY_MOTO, apply_skipped, missing_resources, stack_values  # noqa: E402

CIS_PATTERN = ('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
               '&& $.eventType != "AwsServiceEvent" }')
SIGNIN_DETAIL_TYPE = "AWS Console Sign In via CloudTrail"
API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail"
SECRET_PARAMETERS = {"DoorayHookUrl", "TelegramBotToken", "SmsAppKey", "SmsSecretKey",
                     "SmsSendNo", "SmsRecipients"}
MAIN_REGION = "ap-northeast-2"

# testdata/eventbridge payloads, and whether the rules must hand them to root-responder.
# The assumed-root call (sts:AssumeRoot, type AssumedRole) is left out on purpose: the rules
# follow the CIS filter, which does not count it either.
REACHES_TOPIC = {
    "root-console-login-success.json": True,
    "root-console-login-failure.json": True,
    "root-console-login-alias.json": True,
    "root-console-login-hidden-username.json": True,
    "root-console-login-mfa-upper.json": True,
    "root-console-login-no-mfa.json": True,
    "root-api-create-access-key.json": True,
    "root-api-regional-no-mfa.json": True,
    "root-api-invoked-by.json": False,
    "root-aws-service-event.json": False,
    "root-service-event-detail-type.json": False,
    "iam-user-console-login.json": False,
    "assumed-root-api-call.json": False,
    "cloudwatch-alarm-state-change.json": False,
}


def load(path):
    template, matches = decode(str(path))
    if matches:
        raise AssertionError(f"{path}: cannot be read: {matches}")
    return template


def iam_actions(template):
    """(logical id, action) for every policy statement in the template, conditional ones too."""
    found = []

    def walk(node, owner):
        if isinstance(node, dict):
            if "Effect" in node and "Action" in node:
                actions = node["Action"] if isinstance(node["Action"], list) else [node["Action"]]
                found.extend((owner, a) for a in actions)
            for value in node.values():
                walk(value, owner)
        elif isinstance(node, list):
            for value in node:
                walk(value, owner)

    for logical_id, resource in template["Resources"].items():
        walk(resource.get("Properties", {}), logical_id)
    return found


class LintTest(unittest.TestCase):
    def test_cfn_lint_reports_nothing(self):
        # The cfn-lint of this interpreter, run as its command line runs (errors and warnings).
        runner = ("import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; "
                  "sys.exit(main())")
        result = subprocess.run(
            [sys.executable, "-c", runner, "--format", "json", "--", str(MAIN), str(SIGNIN)],
            capture_output=True, text=True, timeout=120)
        findings = json.loads(result.stdout or "[]")
        listing = "\n".join(
            f"{f['Rule']['Id']} {f['Filename']}:{f['Location']['Start']['LineNumber']} "
            f"{f['Message']}" for f in findings)
        self.assertEqual(findings, [], "cfn-lint found:\n" + listing)
        self.assertEqual(result.returncode, 0, result.stderr)


class MainTemplateContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = load(MAIN)
        cls.r = cls.t["Resources"]
        cls.p = cls.t["Parameters"]

    def of_type(self, kind):
        return {k: v for k, v in self.r.items() if v["Type"] == kind}

    def test_metric_filter_is_exactly_the_cis_one(self):
        (f,) = self.of_type("AWS::Logs::MetricFilter").values()
        props = f["Properties"]
        self.assertEqual(props["FilterPattern"], CIS_PATTERN)
        self.assertEqual(props["LogGroupName"], {"Ref": "CloudTrailLogGroupName"})
        (t,) = props["MetricTransformations"]
        self.assertEqual(t, {"MetricNamespace": {"Ref": "MetricNamespace"},
                             "MetricName": {"Ref": "MetricName"}, "MetricValue": "1"})
        self.assertEqual(self.p["MetricNamespace"]["Default"], "CloudTrailMetrics")
        self.assertEqual(self.p["MetricName"]["Default"], "RootAccountUsageCount")
        self.assertNotIn("Default", self.p["CloudTrailLogGroupName"])

    def test_root_alarm_settings(self):
        props = self.r["RootUsageAlarm"]["Properties"]
        expected = {"AlarmName": {"Ref": "AlarmName"}, "Namespace": {"Ref": "MetricNamespace"},
                    "MetricName": {"Ref": "MetricName"}, "Statistic": "Sum", "Period": 300,
                    "EvaluationPeriods": 1, "Threshold": 1,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "TreatMissingData": "notBreaching", "AlarmActions": [{"Ref": "AlertTopic"}]}
        for key, value in expected.items():
            self.assertEqual(props[key], value, key)
        self.assertEqual(props["OKActions"],
                         {"Fn::If": ["NotifyOk", [{"Ref": "AlertTopic"}], {"Ref": "AWS::NoValue"}]})
        self.assertEqual(self.p["AlarmName"]["Default"], "root-alert")

    def test_function_runtime_handler_architecture_timeout(self):
        props = self.r["Function"]["Properties"]
        self.assertEqual(props["Runtime"], "provided.al2023")
        self.assertEqual(props["Handler"], "bootstrap")
        self.assertEqual(props["Architectures"], ["x86_64"])
        self.assertEqual(props["Timeout"], {"Ref": "Timeout"})
        self.assertEqual(self.p["Timeout"]["Default"], 60)
        self.assertEqual(set(props["Code"]), {"S3Bucket", "S3Key", "S3ObjectVersion"})
        self.assertEqual(self.r["FunctionLogGroup"]["Properties"]["LogGroupName"],
                         {"Fn::Sub": "/aws/lambda/${FunctionName}"})
        self.assertEqual(self.r["FunctionLogGroup"]["Properties"]["RetentionInDays"],
                         {"Ref": "LogRetentionInDays"})

    def test_channel_variables_are_the_ones_the_program_reads(self):
        variables = self.r["Function"]["Properties"]["Environment"]["Variables"]
        self.assertEqual(set(variables), {
            "ROOT_RESPONDER_CONFIG", "DOORAY_HOOK_URL", "DEFAULT_BOT_NAME", "TELEGRAM_BOT_TOKEN",
            "TELEGRAM_CHAT_ID", "SMS_APP_KEY", "SMS_SECRET_KEY", "SMS_SEND_NO", "SMS_RECIPIENTS",
            "ROOT_RESPONDER_SECRETS_REVISION"})

    def test_secrets_are_no_echo_and_accept_ssm_names(self):
        for name in SECRET_PARAMETERS:
            self.assertTrue(self.p[name].get("NoEcho"), f"{name} must be NoEcho")
            self.assertEqual(self.p[name]["Default"], "", name)
            self.assertIn("^ssm:/", self.p[name]["AllowedPattern"], name)

    def test_retries_then_failure_queue(self):
        props = self.r["AsyncInvokeConfig"]["Properties"]
        self.assertEqual(props["MaximumRetryAttempts"], 2)
        self.assertEqual(props["Qualifier"], "$LATEST")
        self.assertEqual(props["DestinationConfig"],
                         {"OnFailure": {"Destination": {"Fn::GetAtt": ["FailureQueue", "Arn"]}}})
        queue = self.r["FailureQueue"]["Properties"]
        self.assertIs(queue["SqsManagedSseEnabled"], True)
        self.assertEqual(queue["MessageRetentionPeriod"], 14 * 24 * 3600)

    def test_sns_invokes_the_function(self):
        permission = self.r["SnsInvokePermission"]["Properties"]
        self.assertEqual(permission["Principal"], "sns.amazonaws.com")
        self.assertEqual(permission["SourceArn"], {"Ref": "AlertTopic"})
        self.assertEqual(permission["Action"], "lambda:InvokeFunction")
        subscription = self.r["FunctionSubscription"]["Properties"]
        self.assertEqual(subscription["Protocol"], "lambda")
        self.assertEqual(subscription["Endpoint"], {"Fn::GetAtt": ["Function", "Arn"]})

    def test_failure_alarm_does_not_loop_into_the_function(self):
        actions = self.r["UndeliveredAlertsAlarm"]["Properties"]["AlarmActions"]
        self.assertEqual(actions, [{"Ref": "OperatorTopic"}])
        for logical_id, resource in self.of_type("AWS::SNS::Subscription").items():
            if resource["Properties"]["TopicArn"] == {"Ref": "OperatorTopic"}:
                self.assertNotEqual(resource["Properties"]["Protocol"], "lambda", logical_id)

    def test_topic_policy_scopes_publishers_and_denies_plain_http(self):
        statements = {s["Sid"]: s for s in
                      self.r["AlertTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]}
        cloudwatch = statements["CloudWatchAlarmsOfThisAccount"]
        self.assertEqual(cloudwatch["Principal"], {"Service": "cloudwatch.amazonaws.com"})
        self.assertIn("aws:SourceAccount", cloudwatch["Condition"]["StringEquals"])
        self.assertIn("aws:SourceArn", cloudwatch["Condition"]["ArnLike"])
        events = statements["EventBridgeRulesOfThisAccount"]
        self.assertEqual(events["Principal"], {"Service": "events.amazonaws.com"})
        deny = statements["DenyPublishWithoutTls"]
        self.assertEqual(deny["Effect"], "Deny")
        self.assertEqual(deny["Condition"]["Bool"]["aws:SecureTransport"], "false")
        # Without this the deny could catch the service principals' own publishes.
        self.assertEqual(deny["Condition"]["Bool"]["aws:PrincipalIsAWSService"], "false")

    def test_role_has_no_wildcard_actions_or_resources(self):
        actions = iam_actions(self.t)
        self.assertEqual(sorted({a for _, a in actions}), [
            "kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents", "sns:Publish",
            "sqs:SendMessage", "ssm:GetParameters", "sts:AssumeRole"])
        for owner, action in actions:
            self.assertNotIn("*", action, owner)
        role = self.r["FunctionRole"]["Properties"]
        self.assertNotIn("ManagedPolicyArns", role)
        text = json.dumps(role["Policies"])
        self.assertNotIn('"Resource": "*"', text)

    def test_forwarded_events_rule(self):
        rule = self.r["ForwardedRootEventsRule"]
        self.assertEqual(rule["Condition"], "ReceivesForwardedEvents")
        props = rule["Properties"]
        self.assertEqual(props["EventBusName"], "default")
        self.assertEqual(props["EventPattern"]["detail-type"],
                         [SIGNIN_DETAIL_TYPE, API_CALL_DETAIL_TYPE])
        self.assertEqual(props["EventPattern"]["detail"], {
            "userIdentity": {"type": ["Root"], "invokedBy": [{"exists": False}]},
            "eventType": [{"anything-but": "AwsServiceEvent"}]})
        self.assertEqual(props["Targets"][0]["Arn"], {"Ref": "AlertTopic"})

    def test_outputs_and_parameter_documentation(self):
        self.assertTrue({"TopicArn", "FunctionName", "FailureQueueUrl", "EventBusArn",
                         "MainStackRegion"} <= set(self.t["Outputs"]))
        check_parameters_documented(self, self.t)

    def test_rules_refuse_incomplete_channels(self):
        # moto does not evaluate template Rules; they are evaluated here as CloudFormation would.
        ok = {"TelegramBotToken": "ssm:/root-responder/telegram-bot-token",
              "TelegramChatId": "-1001234567890"}
        self.assertEqual(failed_rules(self.t, ok), [])
        self.assertEqual(failed_rules(self.t, {"ConfigFile": "/var/task/config.json"}), [])
        self.assertEqual(failed_rules(self.t, {}), ["AtLeastOneChannel"])
        self.assertEqual(failed_rules(self.t, {"TelegramBotToken": "1:a"}),
                         ["TelegramNeedsTokenAndChat"])
        self.assertEqual(failed_rules(self.t, dict(ok, SmsAppKey="k", SmsSendNo="0212345678")),
                         ["SmsNeedsKeysAndSender"])
        self.assertEqual(failed_rules(self.t, {"SmsAppKey": "k", "SmsSecretKey": "s",
                                               "SmsSendNo": "ssm:/root-responder/sms-send-no"}),
                         [])

    def test_allowed_patterns(self):
        check_patterns(self, self.t, accepted={
            "DoorayHookUrl": ["", "ssm:/root-responder/dooray-hook-url",
                              "https://hook.dooray.com/services/1/2/abcDEF"],
            "TelegramBotToken": ["ssm:/root-responder/telegram-bot-token",
                                 "7012345678:AAcfn-Planted_xyz"],
            "TelegramChatId": ["-1001234567890", "@rootalerts", "ssm:/root-responder/chat-id"],
            "SmsAppKey": ["ssm:/root-responder/sms-app-key", "aBc123XyZ"],
            "SmsSendNo": ["0212345678", "02-1234-5678", "ssm:/root-responder/sms-send-no"],
            "SmsRecipients": ["01012345678,010-9876-5432", "ssm:/root-responder/sms-recipients"],
            "SecretsParameterPath": ["/root-responder", "/prod/rr"],
            "SecretsKmsKeyArn": ["", "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab"],
            "CloudTrailLogGroupName": ["aws-cloudtrail-logs-111122223333-org", "/aws/ct/org"],
            "CodeS3Key": ["root-responder/root-responder-lambda.zip"],
            "FailureNotificationEmail": ["", "secops@example.com"],
        }, refused={
            "DoorayHookUrl": ["http://hook.dooray.com/services/1/2/x", "ssm:root-responder/x"],
            "TelegramBotToken": ["not a token"],
            "SmsSecretKey": ["two words"],
            "SecretsParameterPath": ["", "/root-responder/", "root-responder"],
            "TopicKmsKeyArn": ["alias/aws/sns"],
            "CodeS3Key": ["root-responder/bootstrap"],
            "FailureNotificationEmail": ["secops"],
        })


class SignInTemplateContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = load(SIGNIN)
        cls.r = cls.t["Resources"]

    def test_only_in_us_east_1(self):
        parameters = {"TopicArn": "arn:aws:sns:us-east-1:111122223333:t",
                      "MainStackRegion": "us-east-1"}
        self.assertEqual(failed_rules(self.t, parameters, region="us-east-1"), [])
        self.assertEqual(failed_rules(self.t, parameters, region=MAIN_REGION), ["OnlyInUsEast1"])

    def test_console_sign_in_rule(self):
        pattern = self.r["RootConsoleSignInRule"]["Properties"]["EventPattern"]
        self.assertEqual(pattern, {"source": ["aws.signin"], "detail-type": [SIGNIN_DETAIL_TYPE],
                                   "detail": {"eventName": ["ConsoleLogin"],
                                              "userIdentity": {"type": ["Root"]}}})

    def test_api_call_rule_has_the_cis_exclusions(self):
        props = self.r["RootApiCallRule"]["Properties"]
        self.assertEqual(props["EventPattern"], {
            "detail-type": [API_CALL_DETAIL_TYPE],
            "detail": {"userIdentity": {"type": ["Root"], "invokedBy": [{"exists": False}]},
                       "eventType": [{"anything-but": "AwsServiceEvent"}]}})
        self.assertEqual(props["State"], {"Fn::If": [
            "IncludeReadOnly", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", "ENABLED"]})

    def test_targets_topic_or_main_region_bus(self):
        self.assertEqual(self.t["Conditions"]["TargetTopicDirectly"],
                         {"Fn::Equals": [{"Ref": "MainStackRegion"}, "us-east-1"]})
        bus = {"Fn::Sub": "arn:${AWS::Partition}:events:${MainStackRegion}:${AWS::AccountId}"
                          ":event-bus/default"}
        for name in ("RootConsoleSignInRule", "RootApiCallRule"):
            (target,) = self.r[name]["Properties"]["Targets"]
            self.assertEqual(target["Arn"],
                             {"Fn::If": ["TargetTopicDirectly", {"Ref": "TopicArn"}, bus]}, name)
            self.assertEqual(target["RoleArn"], {"Fn::If": [
                "ForwardToMainRegion", {"Fn::GetAtt": ["ForwardRole", "Arn"]},
                {"Ref": "AWS::NoValue"}]}, name)

    def test_forward_role_may_only_put_events_on_that_bus(self):
        role = self.r["ForwardRole"]
        self.assertEqual(role["Condition"], "ForwardToMainRegion")
        (policy,) = role["Properties"]["Policies"]
        (statement,) = policy["PolicyDocument"]["Statement"]
        self.assertEqual(statement["Action"], "events:PutEvents")
        self.assertEqual(statement["Resource"], {
            "Fn::Sub": "arn:${AWS::Partition}:events:${MainStackRegion}:${AWS::AccountId}"
                       ":event-bus/default"})
        for owner, action in iam_actions(self.t):
            self.assertNotIn("*", action, owner)

    def test_parameter_documentation(self):
        check_parameters_documented(self, self.t)

    def test_allowed_patterns(self):
        check_patterns(self, self.t, accepted={
            "MainStackRegion": ["ap-northeast-2", "us-east-1", "us-gov-west-1"],
            "TopicArn": ["arn:aws:sns:ap-northeast-2:111122223333:root-responder-AlertTopic-1AB"],
        }, refused={
            "MainStackRegion": ["Seoul", "ap-northeast", ""],
            "TopicArn": ["arn:aws:sqs:ap-northeast-2:111122223333:q", ""],
        })


def failed_rules(template, parameters, region=MAIN_REGION):
    """The template Rules whose assertions do not hold for these parameters."""
    values = StackValues(template, parameters, {"AWS::Region": region}, {}, None)
    return [name for name, rule in template.get("Rules", {}).items()
            if not all(values.resolve(a["Assert"]) for a in rule["Assertions"])]


def check_patterns(test, template, accepted, refused):
    """AllowedPattern as CloudFormation applies it (to the whole value), defaults included."""
    for name, spec in template["Parameters"].items():
        if "AllowedPattern" in spec and "Default" in spec:
            accepted.setdefault(name, []).append(str(spec["Default"]))
    for verdict, table in ((True, accepted), (False, refused)):
        for name, values in table.items():
            pattern = template["Parameters"][name]["AllowedPattern"]
            for value in values:
                test.assertEqual(bool(re.fullmatch(pattern, value)), verdict,
                                 f"{name}={value!r} against {pattern}")


def check_parameters_documented(test, template):
    """Every parameter has a description and sits in exactly one Interface group."""
    grouped = [name for group in
               template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
               for name in group["Parameters"]]
    test.assertEqual(sorted(grouped), sorted(template["Parameters"]))
    for name, spec in template["Parameters"].items():
        test.assertTrue(spec.get("Description"), f"{name} has no Description")


# ---------------------------------------------------------------------------------------------
# moto


def quiet_moto():
    logging.getLogger("moto").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")


def put_package(region, bucket):
    """A versioned bucket holding a zip with a `bootstrap`, as ops/README.md uploads it."""
    s3 = boto3.client("s3", region_name=region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as z:
        z.writestr("bootstrap", "#!/bin/sh\nexit 0\n")
    put = s3.put_object(Bucket=bucket, Key="root-responder/root-responder-lambda.zip",
                        Body=body.getvalue())
    return put["VersionId"]


def require(condition, message):
    """An assertion for set-up code, which runs outside a test method."""
    if not condition:
        raise AssertionError(message)


def deploy(region, name, path, parameters):
    """create_stack as `aws cloudformation deploy` would, then the resources moto skipped."""
    cloudformation = boto3.client("cloudformation", region_name=region)
    cloudformation.create_stack(
        StackName=name, TemplateBody=path.read_text(), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    require(stack["StackStatus"] == "CREATE_COMPLETE", f"{name}: {stack.get('StackStatusReason')}")
    values = stack_values(region, name, load(path), parameters)
    for logical_id in missing_resources(values):
        kind = values.template["Resources"][logical_id]["Type"]
        require(kind in SKIPPED_BY_MOTO, f"moto did not create {logical_id} ({kind})")
        values.physical_ids[logical_id] = apply_skipped(region, values, logical_id)
    for logical_id, resource in values.template["Resources"].items():
        if resource["Type"] in SKIPPED_BY_MOTO and values.active(logical_id):
            require(logical_id in values.physical_ids, f"{logical_id} was not created")
    created_by_moto = {r["ResourceType"] for r in cloudformation.list_stack_resources(
        StackName=name)["StackResourceSummaries"]}
    require(not created_by_moto & SKIPPED_BY_MOTO,
            f"moto now creates {created_by_moto & SKIPPED_BY_MOTO}: drop them from SKIPPED_BY_MOTO")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return values, outputs, stack


def role_policies(region, role_arn):
    iam = boto3.client("iam", region_name=region)
    role = role_arn.rsplit("/", 1)[1]
    policies = {}
    for policy_name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
        # moto keeps inline policies from CloudFormation as the Python repr of the dict.
        if isinstance(document, str):
            document = ast.literal_eval(document)
        policies[policy_name] = document
    return policies


def statements(policy):
    found = policy["Statement"]
    return found if isinstance(found, list) else [found]


class MotoForwardedFromUsEast1Test(unittest.TestCase):
    """Main stack in ap-northeast-2 with ssm: secrets, sign-in stack forwarding from us-east-1."""

    @classmethod
    def setUpClass(cls):
        quiet_moto()
        cls.mock = mock_aws()
        cls.mock.start()
        cls.addClassCleanup(cls.mock.stop)
        kms = boto3.client("kms", region_name=MAIN_REGION)
        cls.secrets_key = kms.create_key()["KeyMetadata"]["Arn"]
        cls.topic_key = kms.create_key()["KeyMetadata"]["Arn"]
        boto3.client("logs", region_name=MAIN_REGION).create_log_group(
            logGroupName="aws-cloudtrail-logs-111122223333-org")
        version = put_package(MAIN_REGION, "rr-artifacts-apne2")
        cls.parameters = {
            "CloudTrailLogGroupName": "aws-cloudtrail-logs-111122223333-org",
            "CodeS3Bucket": "rr-artifacts-apne2",
            "CodeS3ObjectVersion": version,
            "DoorayHookUrl": "ssm:/root-responder/dooray-hook-url",
            "DoorayBotName": "AWS Root Guard",
            "TelegramBotToken": "ssm:/root-responder/telegram-bot-token",
            "TelegramChatId": "-1001234567890",
            "SmsAppKey": "ssm:/root-responder/sms-app-key",
            "SmsSecretKey": "ssm:/root-responder/sms-secret-key",
            "SmsSendNo": "ssm:/root-responder/sms-send-no",
            "SmsRecipients": "ssm:/root-responder/sms-recipients",
            "SecretsKmsKeyArn": cls.secrets_key,
            "TopicKmsKeyArn": cls.topic_key,
            "NotifyOnOk": "true",
            "FailureNotificationEmail": "secops@example.com",
        }
        cls.main, cls.outputs, _ = deploy(MAIN_REGION, "root-responder", MAIN, cls.parameters)
        cls.signin, cls.signin_outputs, _ = deploy(
            "us-east-1", "root-responder-signin", SIGNIN,
            {name: cls.outputs[name] for name in ("TopicArn", "MainStackRegion")})

    def client(self, service, region=MAIN_REGION):
        return boto3.client(service, region_name=region)

    def test_outputs(self):
        account = self.main.values["AWS::AccountId"]
        self.assertEqual(self.outputs["MainStackRegion"], MAIN_REGION)
        self.assertEqual(self.outputs["EventBusArn"],
                         f"arn:aws:events:{MAIN_REGION}:{account}:event-bus/default")
        self.assertEqual(self.outputs["FunctionName"], "root-responder")
        self.assertTrue(self.outputs["FailureQueueUrl"].startswith("https://"))
        self.assertTrue(self.outputs["TopicArn"].startswith(f"arn:aws:sns:{MAIN_REGION}:"))

    def test_metric_filter_reads_back_exactly(self):
        (f,) = self.client("logs").describe_metric_filters(
            logGroupName="aws-cloudtrail-logs-111122223333-org")["metricFilters"]
        self.assertEqual(f["filterPattern"], CIS_PATTERN)
        self.assertEqual(f["metricTransformations"][0]["metricNamespace"], "CloudTrailMetrics")
        self.assertEqual(f["metricTransformations"][0]["metricName"], "RootAccountUsageCount")
        self.assertEqual(f["metricTransformations"][0]["metricValue"], "1")

    def test_alarm_reads_back(self):
        cloudwatch = self.client("cloudwatch")
        (alarm,) = cloudwatch.describe_alarms(AlarmNames=["root-alert"])["MetricAlarms"]
        self.assertEqual(
            {k: alarm[k] for k in ("Namespace", "MetricName", "Statistic", "Period",
                                   "EvaluationPeriods", "Threshold", "ComparisonOperator",
                                   "TreatMissingData", "AlarmActions", "OKActions")},
            {"Namespace": "CloudTrailMetrics", "MetricName": "RootAccountUsageCount",
             "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1.0,
             "ComparisonOperator": "GreaterThanOrEqualToThreshold",
             "TreatMissingData": "notBreaching", "AlarmActions": [self.outputs["TopicArn"]],
             "OKActions": [self.outputs["TopicArn"]]})
        # The drill of ops/README.md is accepted for this alarm.
        cloudwatch.set_alarm_state(AlarmName="root-alert", StateValue="ALARM",
                                   StateReason="drill: testing the root-responder chain")
        (alarm,) = cloudwatch.describe_alarms(AlarmNames=["root-alert"])["MetricAlarms"]
        self.assertEqual(alarm["StateValue"], "ALARM")

    def test_failure_alarm_goes_to_the_operator_topic_not_the_function(self):
        (alarm,) = self.client("cloudwatch").describe_alarms(
            AlarmNames=["root-responder-undelivered-alerts"])["MetricAlarms"]
        self.assertEqual(alarm["Namespace"], "AWS/SQS")
        self.assertEqual(alarm["MetricName"], "ApproximateNumberOfMessagesVisible")
        self.assertEqual(alarm["Dimensions"][0]["Value"],
                         self.outputs["FailureQueueUrl"].rsplit("/", 1)[1])
        self.assertEqual(alarm["ComparisonOperator"], "GreaterThanOrEqualToThreshold")
        self.assertEqual(alarm["Threshold"], 1.0)
        self.assertEqual(alarm["AlarmActions"], [self.outputs["OperatorTopicArn"]])
        subscriptions = self.client("sns").list_subscriptions_by_topic(
            TopicArn=self.outputs["OperatorTopicArn"])["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subscriptions],
                         [("email", "secops@example.com")])

    def test_function_configuration(self):
        config = self.client("lambda").get_function_configuration(FunctionName="root-responder")
        self.assertEqual(config["Runtime"], "provided.al2023")
        self.assertEqual(config["Handler"], "bootstrap")
        self.assertEqual(config["Architectures"], ["x86_64"])
        self.assertEqual(config["Timeout"], 60)
        self.assertEqual(config["MemorySize"], 256)
        self.assertEqual(config["Environment"]["Variables"], {
            "DOORAY_HOOK_URL": "ssm:/root-responder/dooray-hook-url",
            "DEFAULT_BOT_NAME": "AWS Root Guard",
            "TELEGRAM_BOT_TOKEN": "ssm:/root-responder/telegram-bot-token",
            "TELEGRAM_CHAT_ID": "-1001234567890",
            "SMS_APP_KEY": "ssm:/root-responder/sms-app-key",
            "SMS_SECRET_KEY": "ssm:/root-responder/sms-secret-key",
            "SMS_SEND_NO": "ssm:/root-responder/sms-send-no",
            "SMS_RECIPIENTS": "ssm:/root-responder/sms-recipients",
            "ROOT_RESPONDER_SECRETS_REVISION": "1"})
        retention = self.client("logs").describe_log_groups(
            logGroupNamePrefix="/aws/lambda/root-responder")["logGroups"][0]["retentionInDays"]
        self.assertEqual(retention, 365)

    def test_role_is_least_privilege(self):
        config = self.client("lambda").get_function_configuration(FunctionName="root-responder")
        policies = role_policies(MAIN_REGION, config["Role"])
        account = self.main.values["AWS::AccountId"]
        queue_arn = self.client("sqs").get_queue_attributes(
            QueueUrl=self.outputs["FailureQueueUrl"], AttributeNames=["QueueArn"])[
                "Attributes"]["QueueArn"]
        granted = sorted(
            (json.dumps(s["Action"]), s["Resource"])
            for policy in policies.values() for s in statements(policy))
        self.assertEqual(granted, sorted([
            ('["logs:CreateLogStream", "logs:PutLogEvents"]',
             f"arn:aws:logs:{MAIN_REGION}:{account}:log-group:/aws/lambda/root-responder:*"),
            ('"sqs:SendMessage"', queue_arn),
            ('"ssm:GetParameters"',
             f"arn:aws:ssm:{MAIN_REGION}:{account}:parameter/root-responder/*"),
            ('"kms:Decrypt"', self.secrets_key),
        ]))
        (decrypt,) = [s for p in policies.values() for s in statements(p)
                      if s["Action"] == "kms:Decrypt"]
        self.assertEqual(decrypt["Condition"],
                         {"StringEquals": {"kms:ViaService": f"ssm.{MAIN_REGION}.amazonaws.com"}})

    def test_topic_is_encrypted_and_policy_reads_back(self):
        attributes = self.client("sns").get_topic_attributes(
            TopicArn=self.outputs["TopicArn"])["Attributes"]
        self.assertEqual(attributes["KmsMasterKeyId"], self.topic_key)
        policy = json.loads(attributes["Policy"])
        sids = [s["Sid"] for s in policy["Statement"]]
        self.assertEqual(sids, ["CloudWatchAlarmsOfThisAccount", "EventBridgeRulesOfThisAccount",
                                "DenyPublishWithoutTls"])
        account = self.main.values["AWS::AccountId"]
        self.assertEqual(policy["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
                         f"arn:aws:cloudwatch:{MAIN_REGION}:{account}:alarm:*")
        for statement in policy["Statement"]:
            self.assertEqual(statement["Resource"], self.outputs["TopicArn"])

    def test_subscription_permission_and_retries(self):
        function_arn = self.client("lambda").get_function_configuration(
            FunctionName="root-responder")["FunctionArn"]
        sqs = self.client("sqs")
        queue = sqs.get_queue_attributes(QueueUrl=self.outputs["FailureQueueUrl"],
                                         AttributeNames=["All"])["Attributes"]
        self.assertEqual(queue["MessageRetentionPeriod"], "1209600")
        self.assertEqual(queue["SqsManagedSseEnabled"], "true")
        sns = self.client("sns")
        (subscription,) = sns.list_subscriptions_by_topic(
            TopicArn=self.outputs["TopicArn"])["Subscriptions"]
        self.assertEqual((subscription["Protocol"], subscription["Endpoint"]),
                         ("lambda", function_arn))
        redrive = sns.get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"])["Attributes"]["RedrivePolicy"]
        self.assertEqual(json.loads(redrive), {"deadLetterTargetArn": queue["QueueArn"]})
        queue_policy = json.loads(queue["Policy"])
        self.assertEqual(queue_policy["Statement"][0]["Condition"],
                         {"ArnEquals": {"aws:SourceArn": self.outputs["TopicArn"]}})

        (statement,) = json.loads(
            self.client("lambda").get_policy(FunctionName="root-responder")["Policy"])["Statement"]
        self.assertEqual(statement["Principal"], {"Service": "sns.amazonaws.com"})
        self.assertEqual(statement["Action"], "lambda:InvokeFunction")
        self.assertEqual(statement["Condition"]["ArnLike"]["AWS:SourceArn"],
                         self.outputs["TopicArn"])

        config = self.client("lambda").get_function_event_invoke_config(
            FunctionName="root-responder", Qualifier="$LATEST")
        self.assertEqual(config["MaximumRetryAttempts"], 2)
        self.assertEqual(config["DestinationConfig"]["OnFailure"]["Destination"],
                         queue["QueueArn"])

    def test_signin_stack_forwards_to_the_main_region_bus(self):
        events = self.client("events", "us-east-1")
        bus = self.outputs["EventBusArn"]
        self.assertEqual(self.signin_outputs["Target"], bus)
        names = [self.signin.physical_ids[n] for n in ("RootConsoleSignInRule", "RootApiCallRule")]
        states = {}
        for name in names:
            (target,) = events.list_targets_by_rule(Rule=name)["Targets"]
            self.assertEqual(target["Arn"], bus)
            states[name] = events.describe_rule(Name=name)["State"]
            policies = role_policies("us-east-1", target["RoleArn"])
            granted = [(s["Action"], s["Resource"]) for p in policies.values()
                       for s in statements(p)]
            self.assertEqual(granted, [("events:PutEvents", bus)])
        self.assertEqual(list(states.values()),
                         ["ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])
        pattern = json.loads(events.describe_rule(Name=names[0])["EventPattern"])
        self.assertEqual(pattern["detail-type"], [SIGNIN_DETAIL_TYPE])

    def test_root_events_travel_from_us_east_1_to_the_main_rule(self):
        # moto's EventBridge cannot deliver to SNS targets (NotImplementedError), so the main
        # rule's topic target is swapped for a probe queue: what reaches it would reach the
        # topic. A second probe beside the forwarding target shows what the us-east-1 rules
        # let through on their own.
        events = self.client("events")
        rule = self.main.physical_ids["ForwardedRootEventsRule"]
        (target,) = events.list_targets_by_rule(Rule=rule)["Targets"]
        self.assertEqual(target["Arn"], self.outputs["TopicArn"])
        main_probe, main_probe_arn = self.probe_queue(MAIN_REGION)
        east_probe, east_probe_arn = self.probe_queue("us-east-1")
        east_events = self.client("events", "us-east-1")
        east_rules = [self.signin.physical_ids[n]
                      for n in ("RootConsoleSignInRule", "RootApiCallRule")]
        events.remove_targets(Rule=rule, Ids=[target["Id"]])
        events.put_targets(Rule=rule, Targets=[{"Id": "probe", "Arn": main_probe_arn}])
        for name in east_rules:
            east_events.put_targets(Rule=name, Targets=[{"Id": "probe", "Arn": east_probe_arn}])
        expected = sorted(name for name, reach in REACHES_TOPIC.items() if reach)
        try:
            self.put_testdata_events("us-east-1")
            self.assertEqual(self.drain(east_probe, "us-east-1"), expected, "us-east-1 rules")
            self.assertEqual(self.drain(main_probe), expected, "forwarded, then the main rule")
            # The main rule on its own, as it meets root calls made in its region.
            self.put_testdata_events(MAIN_REGION)
            self.assertEqual(self.drain(main_probe), expected, "the main region's rule")
        finally:
            for name in east_rules:
                east_events.remove_targets(Rule=name, Ids=["probe"])
            events.remove_targets(Rule=rule, Ids=["probe"])
            events.put_targets(Rule=rule, Targets=[target])

    def probe_queue(self, region):
        sqs = self.client("sqs", region)
        url = sqs.create_queue(QueueName="probe")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        return url, arn

    def put_testdata_events(self, region):
        on_disk = [p.name for p in EVENTS.glob("*.json") if not p.name.endswith(".expect.json")]
        self.assertEqual(sorted(REACHES_TOPIC), sorted(on_disk),
                         "every testdata/eventbridge payload needs a REACHES_TOPIC verdict")
        entries = []
        for name in sorted(REACHES_TOPIC):
            event = json.loads((EVENTS / name).read_text())
            entries.append({"Source": event["source"], "DetailType": event["detail-type"],
                            "Detail": json.dumps(event["detail"])})
        for start in range(0, len(entries), 10):  # PutEvents takes at most 10 entries
            response = self.client("events", region).put_events(Entries=entries[start:start + 10])
            self.assertEqual(response["FailedEntryCount"], 0)

    def drain(self, queue_url, region=MAIN_REGION):
        """The testdata file names of the events in the queue, which is left empty."""
        by_id = {json.loads((EVENTS / n).read_text())["detail"].get("eventID"): n
                 for n in REACHES_TOPIC}
        sqs = self.client("sqs", region)
        names = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
                "Messages", [])
            if not messages:
                return sorted(names)
            for m in messages:
                names.append(by_id[json.loads(m["Body"])["detail"].get("eventID")])
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


class MotoAllInUsEast1Test(unittest.TestCase):
    """Everything in us-east-1, secrets given directly (NoEcho), no SSM access."""

    PLANTED = {
        "DoorayHookUrl": "https://hook.dooray.com/services/30363495/38175284/CfnPlantedHookTok9",
        "TelegramBotToken": "7012345678:AAcfnPlantedBotToken_xyz",
        "TelegramChatId": "-1001234567890",
        "SmsAppKey": "CfnPlantedAppKey7",
        "SmsSecretKey": "CfnPlantedSecretKey8",
        "SmsSendNo": "0212345678",
        "SmsRecipients": "01012345678,01098765432",
    }

    @classmethod
    def setUpClass(cls):
        quiet_moto()
        cls.mock = mock_aws()
        cls.mock.start()
        cls.addClassCleanup(cls.mock.stop)
        boto3.client("logs", region_name="us-east-1").create_log_group(logGroupName="trail")
        put_package("us-east-1", "rr-artifacts-use1")
        parameters = dict(cls.PLANTED, CloudTrailLogGroupName="trail",
                          CodeS3Bucket="rr-artifacts-use1", SecretsParameterPath="/prod/rr",
                          IncludeReadOnlyApiCalls="false", AlarmName="root-usage",
                          FunctionName="root-responder-prod", Timeout="90")
        cls.main, cls.outputs, cls.stack = deploy("us-east-1", "rr", MAIN, parameters)
        cls.signin, cls.signin_outputs, cls.signin_stack = deploy(
            "us-east-1", "rr-signin", SIGNIN,
            {"TopicArn": cls.outputs["TopicArn"], "MainStackRegion": cls.outputs["MainStackRegion"],
             "IncludeReadOnlyApiCalls": "false"})

    def test_rules_target_the_topic_without_a_role(self):
        events = boto3.client("events", region_name="us-east-1")
        self.assertNotIn("ForwardRole", self.signin.physical_ids)
        self.assertNotIn("ForwardedRootEventsRule", self.main.physical_ids)
        rules = events.list_rules()["Rules"]
        self.assertEqual(sorted(r["Name"] for r in rules), sorted(
            self.signin.physical_ids[n] for n in ("RootConsoleSignInRule", "RootApiCallRule")))
        for rule in rules:
            (target,) = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            self.assertEqual(target["Arn"], self.outputs["TopicArn"])
            self.assertNotIn("RoleArn", target)
            self.assertEqual(rule["State"], "ENABLED")
        self.assertEqual(self.signin_outputs["Target"], self.outputs["TopicArn"])

    def test_ssm_path_and_no_kms_without_a_customer_key(self):
        config = boto3.client("lambda", region_name="us-east-1").get_function_configuration(
            FunctionName="root-responder-prod")
        self.assertEqual(config["Timeout"], 90)
        policies = role_policies("us-east-1", config["Role"])
        account = self.main.values["AWS::AccountId"]
        self.assertEqual(statements(policies["read-channel-secrets"]), [{
            "Effect": "Allow", "Action": "ssm:GetParameters",
            "Resource": f"arn:aws:ssm:us-east-1:{account}:parameter/prod/rr/*"}])

    def test_chosen_alarm_name_and_no_ok_actions(self):
        (alarm,) = boto3.client("cloudwatch", region_name="us-east-1").describe_alarms(
            AlarmNames=["root-usage"])["MetricAlarms"]
        self.assertEqual(alarm["AlarmActions"], [self.outputs["TopicArn"]])
        self.assertEqual(alarm["OKActions"], [])
        subscriptions = boto3.client("sns", region_name="us-east-1").list_subscriptions_by_topic(
            TopicArn=self.outputs["OperatorTopicArn"])["Subscriptions"]
        self.assertEqual(subscriptions, [])

    def test_planted_secrets_stay_in_the_function_environment(self):
        # A literal secret lives in the function's configuration (that is the simple choice);
        # it must not show in outputs, in the other stack, or in descriptions.
        variables = boto3.client("lambda", region_name="us-east-1").get_function_configuration(
            FunctionName="root-responder-prod")["Environment"]["Variables"]
        self.assertEqual(variables["TELEGRAM_BOT_TOKEN"], self.PLANTED["TelegramBotToken"])
        self.assertEqual(variables["SMS_RECIPIENTS"], self.PLANTED["SmsRecipients"])
        visible = json.dumps([self.stack.get("Outputs"), self.signin_stack,
                              self.signin_outputs], default=str)
        for name in SECRET_PARAMETERS:
            for piece in self.PLANTED[name].split(","):
                self.assertNotIn(piece[-12:], visible, f"{name} leaked into stack outputs")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
