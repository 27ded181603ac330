"""Unit tests of run_pipeline.py and its evaluators (no Docker):

    .venv/bin/python -m unittest discover -s tests/ci -v

The expression evaluators against GitHub's and GitLab's documented rules,
then the hand-written pipelines in fixtures/ (the contract's job shapes) run
for real in a temporary git repository with a fake ./generated/stack and a
fake stackc that record every call.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import github_expressions as gh  # noqa: E402
import gitlab_expressions as gl  # noqa: E402
import run_pipeline  # noqa: E402

SHA = "0123456789abcdef0123456789abcdef01234567"


def evaluator(status=None, **extra):
    contexts = {
        "github": gh.Strict(
            "github", sha=SHA, ref="refs/heads/main", ref_name="main", head_ref="", run_id="42",
            run_attempt="1", job="build-api",
            event={"before": "b" * 40, "after": SHA},
        ),
        "needs": gh.Strict(
            "needs", affected=gh.Strict("needs.affected", result="success", outputs={"STACK_AFFECTED": ",db,api,"})
        ),
        "secrets": {"NPM_TOKEN": "t0k"},
    }
    contexts.update(extra)
    return gh.Evaluator(contexts, status=status)


OK = {"success": True, "failure": False, "cancelled": False, "always": True}
FAILED = {"success": False, "failure": True, "cancelled": False, "always": True}


class GitHubExpressions(unittest.TestCase):
    def test_the_contracts_job_condition(self):
        text = "!failure() && !cancelled() && contains(needs.affected.outputs.STACK_AFFECTED, ',api,')"
        self.assertTrue(gh.condition("${{ " + text + " }}", evaluator(OK)))
        self.assertFalse(gh.condition("${{ " + text + " }}", evaluator(FAILED)))
        # A skipped dependency (success() false, failure() false) does not stop !failure().
        skipped = {"success": False, "failure": False, "cancelled": False, "always": True}
        self.assertTrue(gh.condition(text, evaluator(skipped)))
        self.assertFalse(gh.condition(text.replace(",api,", ",web,"), evaluator(OK)))
        # A name that is a prefix of another is not matched thanks to the commas.
        self.assertFalse(gh.condition(text.replace(",api,", ",ap,"), evaluator(OK)))

    def test_default_branch_gate(self):
        self.assertTrue(gh.condition("github.ref == 'refs/heads/main'", evaluator(OK)))
        self.assertFalse(gh.condition("github.ref == 'refs/heads/release'", evaluator(OK)))
        # GitHub compares strings ignoring case.
        self.assertTrue(evaluator().evaluate("github.ref == 'REFS/HEADS/MAIN'"))
        self.assertTrue(evaluator().evaluate("github.ref != 'refs/heads/x' && github.ref_name == 'main'"))

    def test_an_if_without_a_status_function_means_success_and(self):
        self.assertFalse(gh.condition("github.ref == 'refs/heads/main'", evaluator(FAILED)))
        self.assertTrue(gh.condition("always()", evaluator(FAILED)))
        self.assertTrue(gh.condition(None, evaluator(OK)))
        self.assertFalse(gh.condition(None, evaluator(FAILED)))
        self.assertTrue(gh.condition("failure()", evaluator(FAILED)))
        self.assertFalse(gh.condition(False, evaluator(OK)))

    def test_or_returns_an_operand(self):
        e = evaluator()
        self.assertEqual(e.evaluate("github.head_ref || github.ref_name"), "main")
        self.assertEqual(e.evaluate("github.event.pull_request.base.sha || github.event.before"), "b" * 40)
        self.assertEqual(e.evaluate("'' && 'x'"), "")
        self.assertEqual(e.evaluate("'a' && 'x'"), "x")
        self.assertIsNone(e.evaluate("github.event.pull_request.base.sha"))

    def test_substitution(self):
        e = evaluator()
        self.assertEqual(
            gh.substitute("${{ github.run_id }}-${{ github.run_attempt }}-${{ github.job }}", e), "42-1-build-api"
        )
        self.assertEqual(gh.substitute("tok=${{ secrets.NPM_TOKEN }}.", e), "tok=t0k.")
        self.assertEqual(gh.substitute("${{ secrets.MISSING }}", e), "")
        self.assertEqual(gh.substitute("x ${{ '}}' }} y", e), "x }} y")
        self.assertEqual(gh.substitute("$HOME ${VAR:-x} $(date)", e), "$HOME ${VAR:-x} $(date)")
        self.assertEqual(gh.substitute("${{ format('{0}-{1}{{', 'a', 1) }}", e), "a-1{")
        self.assertEqual(gh.substitute("${{ 1 == 1.0 }} ${{ null }} ${{ 3 }}", e), "true  3")
        with self.assertRaises(gh.ExpressionError):
            gh.substitute("${{ github.sha ", e)

    def test_coercion_and_literals(self):
        e = evaluator()
        self.assertTrue(e.evaluate("'It''s' == 'it''S'"))
        self.assertTrue(e.evaluate("1 == '1'"))
        self.assertTrue(e.evaluate("null == 0"))
        self.assertTrue(e.evaluate("true == 1"))
        self.assertFalse(e.evaluate("'abc' == 0"))
        self.assertTrue(e.evaluate("!''"))
        self.assertTrue(e.evaluate("!null"))
        self.assertFalse(e.evaluate("!'false'"))
        self.assertTrue(e.evaluate("2 > 1 && 'b' > 'A'"))
        self.assertTrue(e.evaluate("contains(fromJSON('[\"a\", \"B\"]'), 'b')"))
        self.assertTrue(e.evaluate("startsWith(github.ref, 'refs/heads/') && endsWith(github.ref, 'MAIN')"))
        self.assertTrue(e.evaluate("github['ref_name'] == 'main'"))
        self.assertEqual(e.evaluate("join(fromJSON('[1, \"x\"]'), '+')"), "1+x")

    def test_what_it_cannot_evaluate_is_an_error(self):
        e = evaluator(OK)
        for text, message in [
            ("github.repository_id", "github.repository_id: not set by this runner"),
            ("needs.build.outputs.X", "needs.build: not set"),
            ("vars.REGION", "the context 'vars' is not available"),
            ("hashFiles('**/x')", "hashFiles() is not supported"),
            ("github.event.*.x", "object filter"),
            ("github.sha ==", "unexpected"),
            ("github.sha = 'x'", "unexpected character"),
            ("contains('a')", "takes 2 arguments"),
        ]:
            with self.subTest(text=text):
                with self.assertRaisesRegex(gh.ExpressionError, message.replace("(", r"\(").replace(")", r"\)")
                                            .replace("*", r"\*").replace(".", r"\.")):
                    e.evaluate(text)
        with self.assertRaisesRegex(gh.ExpressionError, "only allowed in `if:`"):
            evaluator(None).evaluate("success()")
        with self.assertRaisesRegex(gh.ExpressionError, "always true"):
            gh.condition("${{ github.sha }} == 'x'", e)


class GitLabExpressions(unittest.TestCase):
    VARS = {"CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main", "EMPTY": "", "CI_PIPELINE_SOURCE": "push"}

    def test_rules(self):
        v = self.VARS
        self.assertTrue(gl.rule_holds('$CI_COMMIT_BRANCH == "main"', v))
        self.assertTrue(gl.rule_holds("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", v))
        self.assertFalse(gl.rule_holds("$CI_PIPELINE_SOURCE == 'merge_request_event'", v))
        self.assertTrue(gl.rule_holds(
            '$CI_PIPELINE_SOURCE == "merge_request_event" || $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', v))
        self.assertFalse(gl.rule_holds("$CI_COMMIT_TAG", v))
        self.assertFalse(gl.rule_holds("$EMPTY", v))
        self.assertTrue(gl.rule_holds("$CI_COMMIT_TAG == null", v))
        self.assertFalse(gl.rule_holds('$CI_COMMIT_TAG == ""', v))
        self.assertTrue(gl.rule_holds('$EMPTY == ""', v))
        self.assertTrue(gl.rule_holds("$CI_COMMIT_BRANCH =~ /^MA/i && $CI_COMMIT_BRANCH !~ /^rel/", v))
        self.assertTrue(gl.rule_holds('($CI_COMMIT_TAG || $CI_COMMIT_BRANCH) && ${CI_COMMIT_BRANCH} != "x"', v))
        # && binds tighter than ||.
        self.assertTrue(gl.rule_holds('$CI_COMMIT_BRANCH == "main" || $EMPTY && $CI_COMMIT_TAG', v))

    def test_rule_errors(self):
        for text in ['$A = "x"', "!$A", '$A == "x" &&', "/x/ =~ $A", "", '$A == "x" )']:
            with self.subTest(text=text), self.assertRaises(gl.ExpressionError):
                gl.rule_holds(text, self.VARS)

    def test_expansion_is_gos_not_the_shells(self):
        lookup = {"A": "1", "B": "two"}.get
        self.assertEqual(gl.expand("$A-${B}-$C.", lookup), "1-two-.")
        self.assertEqual(gl.expand("${A:-x}", lookup), "")
        self.assertEqual(gl.expand("$$A", lookup), "$A")
        self.assertEqual(gl.expand("cost $ 5 $", lookup), "cost $ 5 $")
        self.assertEqual(gl.expand("${}x", lookup), "x")
        values = gl.expand_all(
            {"X": ("$Y/x", True), "Y": ("$CI_JOB_ID", True), "RAW": ("$Y", False), "LOOP": ("$LOOP!", True)},
            {"CI_JOB_ID": "77"},
        )
        # A cycle stops: the inner reference is left as written.
        self.assertEqual(values, {"X": "77/x", "Y": "77", "RAW": "$Y", "LOOP": "$LOOP!!"})


FAKE_STACK = r"""#!/usr/bin/env bash
# A fake generated task runner: records each call, then acts as the
# contract says for the tasks the fixtures call.
set -euo pipefail
printf '%s|run=%s|commit=%s|branch=%s|state=%s|token=%s\n' "$*" "${STACK_RUN_ID-}" "${STACK_COMMIT-}" \
  "${STACK_BRANCH-}" "${STACK_STATE_DIR-}" "${NPM_TOKEN-}" >>"$FAKE_CALLS"
[ "${FAKE_FAIL:-}" != "$*" ] || { echo "failing on purpose: $*" >&2; exit "${FAKE_STATUS:-1}"; }
case "$1" in
  ci:affected)
    if [ -n "${STACK_AFFECTED:-}" ] && [[ $STACK_AFFECTED != *",$2,"* ]]; then
      echo "$2 is not affected by this change (STACK_AFFECTED); nothing to do" >&2
      exit 1
    fi ;;
  test)
    mkdir -p "$5"
    printf '<testsuite name="%s" tests="1"><testcase name="%s"/></testsuite>\n' "$2" "$3" >"$5/$2-$3.xml" ;;
esac
"""

FAKE_STACKC = r"""#!/usr/bin/env bash
# A fake stackc: `affected --since REF` maps the changed files under db/,
# api/ and docs/ to components (db's dependent is api).
set -euo pipefail
printf 'stackc %s\n' "$*" >>"$FAKE_CALLS"
case "$1" in
  build)
    [ -z "${FAKE_CHECK_FAILS:-}" ] || { echo "generated files differ from the specs" >&2; exit 1; }
    exit 0 ;;
  affected)
    since=$3
    if [ "$since" = 0000000000000000000000000000000000000000 ]; then echo STACK_AFFECTED=,db,api,docs,; exit 0; fi
    git rev-parse -q --verify "$since^{commit}" >/dev/null || { echo "cannot resolve $since" >&2; exit 2; }
    out=,
    changed=$(git diff --name-only "$since" HEAD -- .)
    for c in db api docs; do
      hit=
      grep -q "^ws/$c/" <<<"$changed" && hit=1
      [ "$c" = api ] && grep -q "^ws/db/" <<<"$changed" && hit=1
      [ -z "$hit" ] || out="$out$c,"
    done
    echo "STACK_AFFECTED=$out" ;;
esac
"""


class Pipelines(unittest.TestCase):
    """The fixtures run for real: git clones, bash, artifacts, outputs."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="run-pipeline-test-")
        self.repo = os.path.join(self.tmp, "repo")
        self.bin = os.path.join(self.tmp, "bin")
        self.calls = os.path.join(self.tmp, "calls")
        os.makedirs(os.path.join(self.repo, "ws", "generated"))
        os.makedirs(self.bin)
        for c in ("db", "api", "docs"):
            os.makedirs(os.path.join(self.repo, "ws", c))
            self.write(f"ws/{c}/main.txt", f"{c} 1\n")
        self.write("ws/Stackfile", "stack e2e { }\n")
        self.write("ws/generated/stack", FAKE_STACK, mode=0o755)
        with open(os.path.join(self.bin, "stackc"), "w") as handle:
            handle.write(FAKE_STACKC)
        os.chmod(os.path.join(self.bin, "stackc"), 0o755)
        self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "first")
        self.first = self.git("rev-parse", "HEAD")
        self.write("ws/db/main.txt", "db 2\n")
        self.git("commit", "-q", "-am", "db changes")
        self.second = self.git("rev-parse", "HEAD")
        self.env = {"PATH": self.bin + os.pathsep + os.environ["PATH"], "FAKE_CALLS": self.calls,
                    "STACK_RUN_ID": "leaked", "GITHUB_SHA": "leaked", "CI_JOB_ID": "leaked"}
        self.saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)

    def tearDown(self):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        os.environ.pop("FAKE_FAIL", None)
        os.environ.pop("FAKE_STATUS", None)
        shutil.rmtree(self.tmp)

    def write(self, path, text, mode=None):
        full = os.path.join(self.repo, path)
        with open(full, "w") as handle:
            handle.write(text)
        if mode:
            os.chmod(full, mode)

    def git(self, *args):
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=self.repo, check=True,
            capture_output=True, text=True,
        ).stdout.strip()

    def run_pipeline(self, provider, fixture, *args):
        work = tempfile.mkdtemp(dir=self.tmp, prefix="work-")
        report = os.path.join(work, "report.json")
        if os.path.exists(self.calls):
            os.remove(self.calls)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = run_pipeline.main([
                provider, os.path.join(HERE, "fixtures", fixture), "--repo", self.repo, "--work", work,
                "--report", report, "--run-id", "42", "--secret", "NPM_TOKEN=s3cret", *args,
            ])
        jobs = {}
        if os.path.exists(report):
            with open(report) as handle:
                jobs = {j["job"]: j for j in json.load(handle)["jobs"]}
        calls = []
        if os.path.exists(self.calls):
            with open(self.calls) as handle:
                calls = handle.read().splitlines()
        return status, jobs, calls, work, out.getvalue() + err.getvalue()

    def results(self, jobs):
        return {name: job["result"] for name, job in jobs.items()}

    def test_github_push_to_main(self):
        status, jobs, calls, work, output = self.run_pipeline("github", "github.yml")
        self.assertEqual(status, 0, output)
        self.assertEqual(self.results(jobs), {
            "affected": "success", "check": "success", "build-db": "success", "test-db": "success",
            "build-api": "success", "push-api": "success", "integration-api": "success",
            "deploy-api": "success", "build-docs": "skipped",
        })
        self.assertEqual(jobs["affected"]["outputs"], {"STACK_AFFECTED": ",db,api,"})
        self.assertIn(f"stackc affected --since {self.first} --all-if-unknown --format dotenv", calls)
        branch = f"commit={self.second}|branch=main"
        self.assertIn(f"build db|run=42-1-build-db|{branch}|state=|token=s3cret", calls)
        self.assertIn(f"deploy api --env prod --commit|run=|{branch}|state=/var/lib/stack/e2e|token=s3cret", calls)
        self.assertNotIn("build docs", "\n".join(calls))
        self.assertEqual(jobs["test-db"]["artifacts"], ["junit-test-db/db-functional.xml"])
        with open(os.path.join(work, "artifacts", "test-db", "junit-test-db", "db-functional.xml")) as handle:
            self.assertIn('<testcase name="functional"/>', handle.read())
        # The checkout is on the pushed branch, at the commit, shallow unless fetch-depth: 0.
        clone = os.path.join(work, "jobs", "build-db", "workspace")
        self.assertEqual(subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=clone, text=True).strip(), self.second)
        self.assertEqual(subprocess.check_output(["git", "symbolic-ref", "--short", "HEAD"], cwd=clone, text=True).strip(), "main")
        self.assertEqual(subprocess.check_output(["git", "rev-list", "--count", "HEAD"], cwd=clone, text=True).strip(), "1")
        full = os.path.join(work, "jobs", "affected", "workspace")
        self.assertEqual(subprocess.check_output(["git", "rev-list", "--count", "HEAD"], cwd=full, text=True).strip(), "2")

    def test_github_pull_request_never_deploys(self):
        status, jobs, calls, _, output = self.run_pipeline(
            "github", "github.yml", "--event", "pull_request", "--branch", "feature", "--base", self.first,
            "--base-branch", "main",
        )
        self.assertEqual(status, 0, output)
        self.assertEqual(jobs["deploy-api"]["result"], "skipped")
        self.assertEqual(jobs["integration-api"]["result"], "success")
        self.assertIn(f"stackc affected --since {self.first} --all-if-unknown --format dotenv", calls)
        self.assertIn(f"build api|run=42-1-build-api|commit={self.second}|branch=feature|state=|token=s3cret", calls)

    def test_github_a_failed_job_skips_its_descendants(self):
        os.environ["FAKE_FAIL"] = "build db"
        status, jobs, calls, _, output = self.run_pipeline("github", "github.yml")
        self.assertEqual(status, 1)
        self.assertEqual(jobs["build-db"]["result"], "failure")
        self.assertEqual(jobs["build-api"]["result"], "success")
        self.assertEqual(jobs["push-api"]["result"], "success")
        for job in ("test-db", "integration-api", "deploy-api"):
            self.assertEqual(jobs[job]["result"], "skipped", job)
        self.assertIn("failing on purpose: build db", output)

    def test_github_unknown_before_means_everything(self):
        status, jobs, _, _, output = self.run_pipeline("github", "github.yml", "--before", "0" * 40)
        self.assertEqual(status, 0, output)
        self.assertEqual(jobs["affected"]["outputs"], {"STACK_AFFECTED": ",db,api,docs,"})
        self.assertEqual(jobs["build-docs"]["result"], "success")

    def test_github_constructs_it_does_not_model_are_errors(self):
        with open(os.path.join(HERE, "fixtures", "github.yml")) as handle:
            original = handle.read()
        for old, new, message in [
            ("- uses: actions/checkout@v4\n      - run: stackc build --check",
             "- uses: actions/setup-node@v4\n      - run: stackc build --check", "actions/setup-node@v4"),
            ("contains(needs.affected.outputs.STACK_AFFECTED, ',db,') }}\n    env",
             "contains(needs.api.outputs.X, ',db,') }}\n    env", "needs.api: not in this job's `needs`"),
            ("  check:\n    runs-on:", "  check:\n    strategy: {matrix: {a: [1]}}\n    runs-on:", "strategy"),
        ]:
            with self.subTest(message=message):
                self.assertIn(old, original)
                path = os.path.join(self.tmp, "bad.yml")
                with open(path, "w") as handle:
                    handle.write(original.replace(old, new, 1))
                out, err = io.StringIO(), io.StringIO()
                with redirect_stdout(out), redirect_stderr(err):
                    status = run_pipeline.main(["github", path, "--repo", self.repo, "--work", os.path.join(self.tmp, "w")])
                self.assertEqual(status, 2, out.getvalue() + err.getvalue())
                self.assertIn(message, err.getvalue())

    def test_github_workflow_not_triggered_on_another_branch(self):
        status, jobs, _, _, output = self.run_pipeline("github", "github.yml", "--branch", "release")
        self.assertEqual((status, jobs), (1, {}))
        self.assertIn("does not run on push to release", output)

    def test_gitlab_push_to_main(self):
        status, jobs, calls, work, output = self.run_pipeline("gitlab", "gitlab-ci.yml")
        self.assertEqual(status, 0, output)
        self.assertEqual(self.results(jobs), {
            "affected": "success", "check": "success", "db:build": "success", "db:test": "success",
            "api:build": "success", "api:deploy": "success", "docs:build": "success",
        })
        self.assertEqual(jobs["affected"]["outputs"], {"STACK_AFFECTED": ",db,api,"})
        self.assertIn(f"stackc affected --since {self.first} --all-if-unknown --format dotenv", calls)
        # docs:build ran and stopped at its first line, as the contract says.
        with open(jobs["docs:build"]["log"]) as handle:
            self.assertIn("docs is not affected by this change", handle.read())
        self.assertNotIn("build docs", "\n".join(c.split("|")[0] for c in calls))
        db_build = [c for c in calls if c.startswith("build db|")]
        self.assertEqual(len(db_build), 1)
        self.assertRegex(db_build[0], rf"^build db\|run=42\d+\|commit={self.second}\|branch=main\|state=\|token=s3cret$")
        self.assertIn(f"deploy api --env prod --commit|run=|commit={self.second}|branch=main|state=/var/lib/stack/e2e|token=s3cret", calls)
        self.assertEqual(jobs["db:test"]["artifacts"], ["ws/reports/db-functional.xml"])
        self.assertTrue(os.path.isfile(os.path.join(work, "artifacts", "db:test", "ws", "reports", "db-functional.xml")))
        self.assertEqual(jobs["docs:build"]["warnings"], [])
        # GitLab checks out a detached HEAD.
        clone = os.path.join(work, "jobs", "db_build", "project")
        self.assertEqual(subprocess.run(["git", "symbolic-ref", "-q", "HEAD"], cwd=clone).returncode, 1)

    def test_gitlab_merge_request_leaves_deploy_out(self):
        status, jobs, calls, _, output = self.run_pipeline(
            "gitlab", "gitlab-ci.yml", "--event", "pull_request", "--branch", "feature", "--base", self.first,
            "--base-branch", "main",
        )
        self.assertEqual(status, 0, output)
        self.assertEqual(jobs["api:deploy"]["result"], "not in pipeline")
        self.assertIn(f"stackc affected --since {self.first} --all-if-unknown --format dotenv", calls)

    def test_gitlab_other_branch_pushes_create_no_pipeline(self):
        status, jobs, _, _, output = self.run_pipeline("gitlab", "gitlab-ci.yml", "--branch", "feature")
        self.assertEqual((status, jobs), (1, {}))
        self.assertIn("create no pipeline", output)

    def test_gitlab_failure_skips_what_needs_it(self):
        os.environ["FAKE_FAIL"] = "test db functional --xml reports"
        status, jobs, _, work, output = self.run_pipeline("gitlab", "gitlab-ci.yml")
        self.assertEqual(status, 1)
        self.assertEqual(jobs["db:test"]["result"], "failure")
        self.assertEqual(jobs["api:deploy"]["result"], "skipped")
        self.assertEqual(jobs["api:build"]["result"], "success")
        # artifacts: when: always keeps the report of a failed job... which
        # the fake never wrote: a warning, as GitLab gives.
        self.assertEqual(jobs["db:test"]["warnings"], ["artifacts.reports.junit ['ws/reports/*.xml']: no matching files"])

    def test_gitlab_only_status_1_of_ci_affected_leaves_with_success(self):
        # The fixture's first script line, as stackc writes it: 1 is "not
        # affected" (the job succeeds, running nothing more); any other
        # failure of the task runner fails the job with its status.
        for status, result in [("1", "success"), ("2", "failure"), ("126", "failure"), ("127", "failure")]:
            with self.subTest(status=status):
                os.environ["FAKE_FAIL"] = "ci:affected db"
                os.environ["FAKE_STATUS"] = status
                code, jobs, calls, _, output = self.run_pipeline("gitlab", "gitlab-ci.yml")
                self.assertEqual(jobs["db:build"]["result"], result, output)
                self.assertNotIn("build db", [c.split("|")[0] for c in calls])
                if result == "failure":
                    self.assertEqual(code, 1)
                    self.assertIn(f"script exited {status}", jobs["db:build"]["reason"])
                    # What needs it does not run: no deploy from a broken runner.
                    self.assertEqual(jobs["db:test"]["result"], "skipped")
                    self.assertEqual(jobs["api:deploy"]["result"], "skipped")
                else:
                    self.assertEqual(code, 0, output)
                    self.assertEqual(jobs["db:test"]["result"], "success")

    def test_a_failed_check_stops_the_deploy(self):
        # A generated tree that no longer matches the specs never deploys.
        os.environ["FAKE_CHECK_FAILS"] = "1"
        try:
            for provider, fixture, build, deploy in [
                ("github", "github.yml", "build-api", "deploy-api"),
                ("gitlab", "gitlab-ci.yml", "api:build", "api:deploy"),
            ]:
                with self.subTest(provider=provider):
                    status, jobs, calls, _, output = self.run_pipeline(provider, fixture)
                    self.assertEqual(status, 1, output)
                    self.assertEqual(jobs["check"]["result"], "failure")
                    self.assertEqual(jobs[build]["result"], "success")
                    self.assertEqual(jobs[deploy]["result"], "skipped")
                    self.assertFalse([c for c in calls if c.startswith("deploy ")], calls)
        finally:
            os.environ.pop("FAKE_CHECK_FAILS", None)

    def test_gitlab_script_semantics(self):
        path = os.path.join(self.tmp, "semantics.yml")
        with open(path, "w") as handle:
            handle.write(textwrap.dedent("""\
                variables:
                  GLOBAL: g-$CI_COMMIT_SHORT_SHA
                  SHELLISH: ${NOPE:-fallback}
                first:
                  variables:
                    JOB: $GLOBAL/j
                    LITERAL: $$HOME
                  script:
                    - echo "job=$JOB shellish=[$SHELLISH] literal=$LITERAL" > out.txt
                    - test "$CI" = true && test "$GITLAB_CI" = true && test -z "${STACK_RUN_ID-}"
                    - test "$CI_PROJECT_DIR" = "$PWD"
                    - echo unreachable-after-exit && exit 0
                    - echo never >> out.txt
                  artifacts:
                    paths: [out.txt]
                second:
                  stage: deploy
                  script:
                    - '[[ $SHELLOPTS == *pipefail* ]]'
                    - false
                    - echo never
                """))
        work = os.path.join(self.tmp, "w")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = run_pipeline.main(["gitlab", path, "--repo", self.repo, "--work", work])
        self.assertEqual(status, 1, out.getvalue() + err.getvalue())
        with open(os.path.join(work, "artifacts", "first", "out.txt")) as handle:
            self.assertEqual(handle.read(), f"job=g-{self.second[:8]}/j shellish=[] literal=$HOME\n")
        with open(os.path.join(work, "logs", "second.log")) as handle:
            log = handle.read()
        self.assertIn("$ false", log)
        self.assertNotIn("never", log.replace("$ echo never", ""))
        self.assertRegex(out.getvalue(), r"second\s+failure\s+.*script exited 1")


if __name__ == "__main__":
    unittest.main()
