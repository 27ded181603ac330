"""GitLab CI/CD variable expressions (`rules: - if:`, `workflow: rules`)
and GitLab's expansion of `variables:` values, for run_pipeline.py.

Expressions, as GitLab documents them ("CI/CD variable expressions"):
`$VAR` (true when defined and not empty), `$VAR == "x"`, `$VAR != 'x'`,
`$VAR == null`, `$A == $B`, `$VAR =~ /regex/i`, `$VAR !~ /regex/`, the
right side of `=~` may be a variable holding `/regex/`; `&&` binds tighter
than `||`; parentheses. An undefined variable is null: it equals `null`,
not `""`. Anything else is an error, never a guess.

Expansion of a `variables:` value is what the runner does with Go's
`os.Expand`: `$NAME` and `${NAME}` are replaced (an undefined one by
nothing), `$$` is a literal `$`, and `${NAME:-default}` is NOT shell
syntax there: it looks up a variable literally named `NAME:-default`, so it
expands to nothing. Script lines are never expanded by GitLab: the shell
does that.
"""

import re


class ExpressionError(Exception):
    """An expression this evaluator cannot evaluate."""


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<var>\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*))
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<regex>/(?:\\.|[^/\\])*/[a-z]*)
  | (?P<op>&&|\|\||==|!=|=~|!~|[()])
  | (?P<null>null\b)
    """,
    re.VERBOSE,
)


def _tokens(text):
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ExpressionError(f"cannot read {text[position:]!r} in the rule {text!r}")
        kind = match.lastgroup
        value = match.group(kind)
        position = match.end()
        if kind == "space":
            continue
        if kind == "var":
            value = value[1:].strip("{}")
        elif kind == "string":
            value = value[1:-1]
        tokens.append((kind, value))
    return tokens


def _regex(text):
    """A compiled `/pattern/flags` (RE2 and Python agree on what the
    generated files use)."""
    match = re.fullmatch(r"/(.*)/([a-z]*)", text, re.DOTALL)
    if not match:
        raise ExpressionError(f"{text!r} is not a /regex/")
    flags = 0
    for flag in match.group(2):
        if flag == "i":
            flags |= re.IGNORECASE
        elif flag == "m":
            flags |= re.MULTILINE
        elif flag == "s":
            flags |= re.DOTALL
        else:
            raise ExpressionError(f"unknown regex flag {flag!r} in {text!r}")
    try:
        return re.compile(match.group(1), flags)
    except re.error as error:
        raise ExpressionError(f"bad regex {text!r}: {error}") from error


class _Rule:
    def __init__(self, text, variables):
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0
        self.variables = variables

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        if token[0] is None:
            raise ExpressionError(f"the rule {self.text!r} ends too early")
        self.position += 1
        return token

    def evaluate(self):
        if not self.tokens:
            raise ExpressionError("an empty rule")
        value = self.parse_or()
        if self.peek()[0] is not None:
            raise ExpressionError(f"unexpected {self.peek()[1]!r} in the rule {self.text!r}")
        return value

    def parse_or(self):
        value = self.parse_and()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.parse_and()
            value = value or right
        return value

    def parse_and(self):
        value = self.parse_comparison()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.parse_comparison()
            value = value and right
        return value

    def operand(self):
        kind, value = self.take()
        if kind == "var":
            return ("value", self.variables.get(value))
        if kind == "string":
            return ("value", value)
        if kind == "null":
            return ("value", None)
        if kind == "regex":
            return ("regex", value)
        raise ExpressionError(f"expected a variable, string or null, found {value!r} in the rule {self.text!r}")

    def parse_comparison(self):
        if self.peek() == ("op", "("):
            self.take()
            value = self.parse_or()
            if self.take() != ("op", ")"):
                raise ExpressionError(f"expected `)` in the rule {self.text!r}")
            return value
        left = self.operand()
        if left[0] == "regex":
            raise ExpressionError(f"a regex only goes right of =~ or !~, in the rule {self.text!r}")
        op = self.peek()
        if op in (("op", "=="), ("op", "!=")):
            self.take()
            right = self.operand()
            if right[0] == "regex":
                raise ExpressionError(f"compare a regex with =~, not {op[1]}, in the rule {self.text!r}")
            equal = left[1] == right[1]
            return equal if op[1] == "==" else not equal
        if op in (("op", "=~"), ("op", "!~")):
            self.take()
            kind, pattern = self.operand()
            if kind == "value":
                if pattern is None:
                    raise ExpressionError(f"the right side of {op[1]} is an undefined variable, in {self.text!r}")
                pattern = pattern.strip()
            matched = left[1] is not None and _regex(pattern).search(left[1]) is not None
            return matched if op[1] == "=~" else not matched
        return left[1] is not None and left[1] != ""


def rule_holds(text, variables):
    """Whether the `if:` expression `text` holds with `variables` (name →
    string; an absent name is undefined)."""
    if not isinstance(text, str):
        raise ExpressionError(f"a rule's `if` must be a string, not {text!r}")
    return bool(_Rule(text, variables).evaluate())


_SPECIAL = set("*#$@!?-0123456789")


def expand(value, lookup):
    """`value` expanded as the GitLab runner expands a variable's value
    (Go's os.Expand; `lookup(name)` gives a name's value, None when
    undefined; `$$` is `$`)."""
    out = []
    index = 0
    while index < len(value):
        char = value[index]
        if char != "$" or index + 1 >= len(value):
            out.append(char)
            index += 1
            continue
        rest = value[index + 1 :]
        if rest[0] == "{":
            if len(rest) > 2 and rest[1] in _SPECIAL and rest[2] == "}":
                name, width = rest[1], 3
            else:
                close = rest.find("}")
                if close == 1:
                    name, width = "", 2
                elif close < 0:
                    name, width = "", 1
                else:
                    name, width = rest[1:close], close + 1
        elif rest[0] in _SPECIAL:
            name, width = rest[0], 1
        else:
            match = re.match(r"[A-Za-z0-9_]*", rest)
            name = match.group(0)
            width = len(name)
        if name == "" and width > 0:
            pass  # bad syntax: Go eats it
        elif name == "":
            out.append("$")
        elif name == "$":
            out.append("$")
        else:
            out.append(lookup(name) or "")
        index += 1 + width
    return "".join(out)


def expand_all(raw, outer, depth=10):
    """Every variable of `raw` (name → (value, expand?)) expanded against
    itself and `outer` (name → already final value), references to other
    raw variables resolved first (at most `depth` levels; a cycle leaves
    the rest unexpanded). Returns name → value."""
    done = {}

    def resolve(name, seen):
        if name in done:
            return done[name]
        if name not in raw:
            return outer.get(name)
        value, should_expand = raw[name]
        if not should_expand or name in seen or len(seen) >= depth:
            return value
        result = expand(value, lambda other: resolve(other, seen | {name}))
        done[name] = result
        return result

    return {name: resolve(name, frozenset()) for name in raw}
