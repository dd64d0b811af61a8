"""CloudFormation's intrinsic functions, evaluated against a deployed stack.

moto's CloudFormation skips some resource types (see moto_gaps.py). To still create those
resources from the template, their properties are resolved here the way CloudFormation would:
parameters and pseudo parameters, conditions, Ref to a resource's physical id, and Fn::GetAtt
through a function that asks the service's regular API.
"""
import re

NO_VALUE = object()  # AWS::NoValue: the property or list item disappears


class StackValues:
    def __init__(self, template, parameters, pseudo, physical_ids, get_att):
        """template: the decoded template; parameters: name -> value as given to the stack
        (template defaults fill the rest); pseudo: AWS::Region, AWS::AccountId, ... -> value;
        physical_ids: logical id -> physical id; get_att(logical_id, attribute) -> value."""
        self.template = template
        self.values = {name: str(spec.get("Default", ""))
                       for name, spec in template.get("Parameters", {}).items()}
        self.values.update(parameters)
        self.values.update(pseudo)
        self.physical_ids = physical_ids
        self.get_att = get_att
        self._conditions = {}

    def condition(self, name):
        if name not in self._conditions:
            self._conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self._conditions[name]

    def active(self, logical_id):
        """Whether the resource exists under the stack's conditions."""
        name = self.template["Resources"][logical_id].get("Condition")
        return name is None or self.condition(name)

    def ref(self, name):
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.values:
            return self.values[name]
        if name in self.physical_ids:
            return self.physical_ids[name]
        raise KeyError(f"Ref {name}: neither a parameter nor a created resource")

    def resolve(self, node):
        if isinstance(node, list):
            items = [self.resolve(item) for item in node]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            function = _FUNCTIONS.get(key)
            # A policy statement's "Condition" block is data, not the Condition function.
            if function and not (key == "Condition" and not isinstance(arg, str)):
                return function(self, arg)
        resolved = {key: self.resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not NO_VALUE}

    def _sub(self, arg):
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and name.split(".")[0] in self.template["Resources"]:
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)


def _get_att(values, arg):
    logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
    return values.get_att(logical_id, attribute)


_FUNCTIONS = {
    "Ref": lambda v, arg: v.ref(arg),
    "Fn::GetAtt": _get_att,
    "Fn::Sub": lambda v, arg: v._sub(arg),
    "Fn::If": lambda v, arg: v.resolve(arg[1] if v.condition(arg[0]) else arg[2]),
    "Fn::Join": lambda v, arg: arg[0].join(str(x) for x in v.resolve(arg[1])),
    "Fn::Select": lambda v, arg: v.resolve(arg[1])[int(v.resolve(arg[0]))],
    "Fn::Split": lambda v, arg: v.resolve(arg[1]).split(arg[0]),
    "Fn::Equals": lambda v, arg: str(v.resolve(arg[0])) == str(v.resolve(arg[1])),
    "Fn::Not": lambda v, arg: not v.resolve(arg[0]),
    "Fn::And": lambda v, arg: all(v.resolve(x) for x in arg),
    "Fn::Or": lambda v, arg: any(v.resolve(x) for x in arg),
    "Condition": lambda v, arg: v.condition(arg),
}
