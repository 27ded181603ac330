"""GitHub Actions expressions (`${{ ... }}` and `if:`), for run_pipeline.py.

A small evaluator of the expression language GitHub documents in
"Evaluate expressions in workflows and actions" and "Contexts reference":

- literals: `'string'` (`''` is a quote), numbers, `true`, `false`, `null`;
- context references: `github.sha`, `needs.affected.outputs.X`,
  `secrets.NAME`, `github.event.pull_request.base.sha`, `a['b']`;
- operators, by precedence: `( )`, `[ ]` and `.`, `!`, `< <= > >=`,
  `== !=`, `&&`, `||` (`&&` / `||` return an operand, not a boolean,
  so `github.head_ref || github.ref_name` picks the first non-empty one);
- functions: `contains`, `startsWith`, `endsWith`, `format`, `join`,
  `toJSON`, `fromJSON`, and the status functions `success()`,
  `failure()`, `cancelled()`, `always()` (only in `if:`).

GitHub's rules, kept here: string comparison ignores case; operands of
different types are compared as numbers (null 0, booleans 1/0, strings
parsed, else NaN); falsy values are `false`, `0`, `''`, `null` and NaN;
a property of null (or of a missing object) is null, so
`github.event.pull_request.base.sha` on a push is null; an `if:` without a
status function means `success() && (...)`.

What it does not model is an error, never a guess: an unknown function, a
context this location cannot see (GitHub's "Context availability" table,
given by the caller), a `github.*` property the caller did not set, a
`needs.X` for a job not in `needs`, the `*` object filter.
"""

import json
import math
import re

STATUS_FUNCTIONS = ("success", "failure", "cancelled", "always")


class ExpressionError(Exception):
    """An expression this evaluator cannot (or GitHub would not) evaluate."""


class Strict(dict):
    """A context object whose missing properties are an error (the names
    this runner knows it sets), not null as GitHub's own missing ones."""

    def __init__(self, what, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.what = what
        self.note = note or "not set by this runner"


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<op>&&|\|\||==|!=|<=|>=|[<>!().,\[\]*])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    """,
    re.VERBOSE,
)


def tokenize(text):
    """The tokens of `text`: (kind, value) pairs, kind one of string,
    number, op, ident. Raises ExpressionError on anything else."""
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ExpressionError(f"unexpected character {text[position]!r} at {position} in {text!r}")
        kind = match.lastgroup
        value = match.group(kind)
        position = match.end()
        if kind == "space":
            continue
        if kind == "string":
            value = value[1:-1].replace("''", "'")
        elif kind == "number":
            value = float(int(value, 16)) if value.startswith("0x") else float(value)
        tokens.append((kind, value))
    return tokens


class _Parser:
    """Recursive descent over the tokens into a tuple tree:
    ("lit", v) ("ctx", name) ("prop", node, name) ("index", node, node)
    ("call", name, [args]) ("not", node) ("and"|"or", a, b)
    ("cmp", op, a, b)."""

    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value is not None and token[1] != value):
            want = value or kind or "a token"
            raise ExpressionError(f"expected {want!r}, found {token[1]!r} in {self.text!r}")
        self.position += 1
        return token

    def parse(self):
        if not self.tokens:
            raise ExpressionError("empty expression")
        node = self.parse_or()
        if self.peek()[0] is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r} in {self.text!r}")
        return node

    def parse_or(self):
        node = self.parse_and()
        while self.peek() == ("op", "||"):
            self.take()
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self):
        node = self.parse_equality()
        while self.peek() == ("op", "&&"):
            self.take()
            node = ("and", node, self.parse_equality())
        return node

    def parse_equality(self):
        node = self.parse_comparison()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            node = ("cmp", op, node, self.parse_comparison())
        return node

    def parse_comparison(self):
        node = self.parse_unary()
        while self.peek() in (("op", "<"), ("op", "<="), ("op", ">"), ("op", ">=")):
            op = self.take()[1]
            node = ("cmp", op, node, self.parse_unary())
        return node

    def parse_unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return ("not", self.parse_unary())
        return self.parse_postfix()

    def parse_postfix(self):
        node = self.parse_primary()
        while True:
            token = self.peek()
            if token == ("op", "."):
                self.take()
                name = self.peek()
                if name == ("op", "*"):
                    raise ExpressionError(f"the object filter `.*` is not supported, in {self.text!r}")
                node = ("prop", node, self.take("ident")[1])
            elif token == ("op", "["):
                self.take()
                if self.peek() == ("op", "*"):
                    raise ExpressionError(f"the object filter `[*]` is not supported, in {self.text!r}")
                index = self.parse_or()
                self.take("op", "]")
                node = ("index", node, index)
            else:
                return node

    def parse_primary(self):
        kind, value = self.peek()
        if kind == "string" or kind == "number":
            self.take()
            return ("lit", value)
        if kind == "op" and value == "(":
            self.take()
            node = self.parse_or()
            self.take("op", ")")
            return node
        if kind == "ident":
            self.take()
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.parse_or())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.parse_or())
                self.take("op", ")")
                return ("call", value, args)
            return ("ctx", value)
        raise ExpressionError(f"unexpected {value!r} in {self.text!r}")


def parse(text):
    """The syntax tree of the expression `text` (without `${{ }}`)."""
    return _Parser(text).parse()


def uses_status_function(node):
    """Whether the tree calls success(), failure(), cancelled() or always()."""
    if node[0] == "call":
        return node[1] in STATUS_FUNCTIONS or any(uses_status_function(a) for a in node[2])
    return any(uses_status_function(child) for child in node[1:] if isinstance(child, tuple))


def truthy(value):
    """GitHub's truthiness: false, 0, -0, '', null and NaN are falsy."""
    if value is None or value is False:
        return False
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def to_number(value):
    """GitHub's coercion to a number (null 0, booleans 1/0, strings parsed
    as JavaScript's Number() does, anything else NaN)."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            if re.fullmatch(r"0x[0-9a-fA-F]+", text):
                return float(int(text, 16))
            if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
                return float(text)
        except ValueError:
            pass
        return math.nan
    return math.nan


def to_string(value):
    """The string a value becomes in `${{ }}` substitution."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "Array"
    return "Object"


def _equal(left, right):
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        return left is right
    if type(left) is type(right):
        if isinstance(left, str):
            return left.casefold() == right.casefold()
        if isinstance(left, float):
            return left == right
        return left == right
    a, b = to_number(left), to_number(right)
    return a == b


def _compare(op, left, right):
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.casefold(), right.casefold()
    else:
        a, b = to_number(left), to_number(right)
        if math.isnan(a) or math.isnan(b):
            return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _property(value, name):
    if isinstance(value, Strict):
        if name not in value:
            known = ", ".join(sorted(value)) or "none"
            raise ExpressionError(f"{value.what}.{name}: {value.note} (known here: {known})")
        return value[name]
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.casefold() == name.casefold():
                return item
        return None
    return None


class Evaluator:
    """Evaluates expressions against `contexts` (name → value; a context
    GitHub allows at this location but the run has not set is given as
    None) with `status` (function name → bool) for the status functions,
    or None where they are not allowed. `where` names the location in
    messages."""

    def __init__(self, contexts, status=None, where="expression"):
        self.contexts = contexts
        self.status = status
        self.where = where

    def evaluate(self, text):
        """The value of the expression `text` (without `${{ }}`)."""
        return self.eval_node(parse(text))

    def eval_node(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ctx":
            name = node[1]
            if name not in self.contexts:
                allowed = ", ".join(sorted(self.contexts)) or "none"
                raise ExpressionError(f"the context {name!r} is not available in {self.where} (available: {allowed})")
            return self.contexts[name]
        if kind == "prop":
            return _property(self.eval_node(node[1]), node[2])
        if kind == "index":
            base = self.eval_node(node[1])
            index = self.eval_node(node[2])
            if isinstance(base, list):
                number = to_number(index)
                if math.isnan(number) or not number.is_integer() or not 0 <= number < len(base):
                    return None
                return base[int(number)]
            return _property(base, to_string(index))
        if kind == "not":
            return not truthy(self.eval_node(node[1]))
        if kind == "and":
            left = self.eval_node(node[1])
            return self.eval_node(node[2]) if truthy(left) else left
        if kind == "or":
            left = self.eval_node(node[1])
            return left if truthy(left) else self.eval_node(node[2])
        if kind == "cmp":
            return _compare(node[1], self.eval_node(node[2]), self.eval_node(node[3]))
        if kind == "call":
            return self.call(node[1], node[2])
        raise ExpressionError(f"internal: unknown node {kind}")

    def call(self, name, arg_nodes):
        if name in STATUS_FUNCTIONS:
            if arg_nodes:
                raise ExpressionError(f"{name}() takes no arguments")
            if self.status is None:
                raise ExpressionError(f"{name}() is only allowed in `if:`, not in {self.where}")
            return bool(self.status[name])
        args = [self.eval_node(a) for a in arg_nodes]

        def arity(count):
            if len(args) != count:
                raise ExpressionError(f"{name}() takes {count} arguments, got {len(args)}")

        if name == "contains":
            arity(2)
            search, item = args
            if isinstance(search, list):
                return any(_equal(element, item) for element in search)
            return to_string(item).casefold() in to_string(search).casefold()
        if name == "startsWith":
            arity(2)
            return to_string(args[0]).casefold().startswith(to_string(args[1]).casefold())
        if name == "endsWith":
            arity(2)
            return to_string(args[0]).casefold().endswith(to_string(args[1]).casefold())
        if name == "format":
            if not args:
                raise ExpressionError("format() needs a format string")
            values = [to_string(a) for a in args[1:]]

            def replace(match):
                if match.group(0) == "{{":
                    return "{"
                if match.group(0) == "}}":
                    return "}"
                index = int(match.group(1))
                if index >= len(values):
                    raise ExpressionError(f"format(): no argument {index}")
                return values[index]

            return re.sub(r"\{\{|\}\}|\{(\d+)\}", replace, to_string(args[0]))
        if name == "join":
            if len(args) not in (1, 2):
                raise ExpressionError("join() takes 1 or 2 arguments")
            separator = to_string(args[1]) if len(args) == 2 else ","
            if isinstance(args[0], list):
                return separator.join(to_string(a) for a in args[0])
            return to_string(args[0])
        if name == "toJSON":
            arity(1)
            return json.dumps(args[0], indent=2, sort_keys=True)
        if name == "fromJSON":
            arity(1)
            try:
                value = json.loads(to_string(args[0]))
            except ValueError as error:
                raise ExpressionError(f"fromJSON(): {error}") from error
            return _from_json(value)
        raise ExpressionError(f"the function {name}() is not supported by this runner")


def _from_json(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return {k: _from_json(v) for k, v in value.items()}


def _expression_end(text, start):
    """The index of the `}}` closing the expression starting at `start`
    (just after `${{`), skipping string literals."""
    position = start
    while position < len(text):
        char = text[position]
        if char == "'":
            position += 1
            while position < len(text):
                if text[position] == "'":
                    if text[position + 1 : position + 2] == "'":
                        position += 2
                        continue
                    break
                position += 1
        elif text.startswith("}}", position):
            return position
        position += 1
    raise ExpressionError(f"`${{{{` without a closing `}}}}` in {text!r}")


def substitute(text, evaluator):
    """`text` with every `${{ expr }}` replaced by its value as a string
    (what GitHub does to `run`, `env`, `with` and other string values)."""
    if not isinstance(text, str):
        return text
    out = []
    position = 0
    while True:
        start = text.find("${{", position)
        if start < 0:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:start])
        end = _expression_end(text, start + 3)
        out.append(to_string(evaluator.evaluate(text[start + 3 : end])))
        position = end + 2


def condition(value, evaluator):
    """Whether an `if:` holds: `value` is the YAML value (a bare expression
    or one wrapped whole in `${{ }}`, or a boolean). Without a status
    function the expression means `success() && (...)`."""
    if value is None:
        return bool(evaluator.status["success"])
    if isinstance(value, bool):
        return value and bool(evaluator.status["success"])
    if not isinstance(value, str):
        raise ExpressionError(f"an `if:` must be a string or a boolean, not {value!r}")
    text = value.strip()
    if text.startswith("${{") and text.endswith("}}") and _expression_end(text, 3) == len(text) - 2:
        text = text[3:-2]
    elif "${{" in text:
        raise ExpressionError(
            f"`if: {value}` mixes text and `${{{{ }}}}`: GitHub reads that as a non-empty string, always true"
        )
    tree = parse(text)
    result = truthy(evaluator.eval_node(tree))
    if not uses_status_function(tree):
        result = result and bool(evaluator.status["success"])
    return result
