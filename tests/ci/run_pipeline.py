#!/usr/bin/env python3
"""Runs a generated CI pipeline on this machine, as GitHub Actions or GitLab
CI would run it on one self-hosted runner (issue 11, "the pipeline is run").

    run_pipeline.py github WORKFLOW.yml --repo DIR --work DIR [options]
    run_pipeline.py gitlab .gitlab-ci.yml --repo DIR --work DIR [options]

Options: --sha SHA (default: the repository's HEAD), --branch NAME (the
pushed branch, default `main`), --before SHA (the push's previous tip,
default the commit's parent, else 40 zeros), --event push|pull_request,
--base SHA and --base-branch NAME (a pull / merge request's target),
--default-branch NAME (default `main`), --secret NAME=VALUE (GitHub
`secrets.NAME`; GitLab a project CI/CD variable; repeatable), --run-id N,
--job-timeout SECONDS (default 1200), --report FILE (a JSON summary),
--verbose (job output on stderr as it runs, not only on failure).

Jobs run one at a time in an order their `needs` (GitHub), or GitLab's
`needs` and stage order, allow: locks across runs (GitHub `concurrency`,
GitLab `resource_group`) and the deploy `environment` keyword are read and
have nothing more to do. Each job gets a fresh clone of the
repository (file:// — what `actions/checkout` and GitLab's git strategy do;
shallow unless `fetch-depth: 0` / `GIT_DEPTH: 0`) under WORK, its own temp
folder, and the variables the CI system sets. The environment is this
process's own without any GITHUB_*, RUNNER_*, ACTIONS_*, CI_*, GITLAB_*,
STACK_* or CI variable, so a caller's settings cannot leak into the jobs;
PATH, HOME and the Docker settings pass.

GitHub: `if:` (jobs and steps) and `${{ }}` in `run`, `env`, `with`,
`working-directory`, `outputs` are evaluated by github_expressions.py;
`run:` is a script file run by GitHub's shell for it (no `shell:`: `bash -e
{0}`; `shell: bash`: `bash --noprofile --norc -eo pipefail {0}`; `sh`:
`sh -e {0}`); GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH are read after each
step (`name=value` and `name<<EOF` forms); `uses: actions/checkout@*`
clones, `uses: actions/upload-artifact@*` copies its `path` (missing files
fail the step unless `if-no-files-found: ignore`: stricter than GitHub's
default `warn`, on purpose); any other `uses:` is an error.

GitLab: `workflow: rules` and each job's `rules` decide what is in the
pipeline; `before_script` + `script` run in one bash with `set -eo
pipefail` (as the shell executor: a failing line fails the job, `exit 0`
ends it with success), `after_script` in another; `variables` (global,
job, `rules:variables`, dotenv reports of the jobs it needs, project
variables) expanded as gitlab_expressions.expand does; `artifacts:
reports: dotenv` passed on to the jobs that need the producer (or, without
`needs`, later stages); `reports: junit` and `paths` copied (no match is a
warning, as in GitLab). `image` and `services` are ignored, as the shell
executor ignores them.

Anything this runner does not model is an error (exit 2), never a guess.
Exit status: 0 every job that ran passed; 1 a job failed (or the workflow
does not run on this event); 2 a usage error or an unsupported construct.
Artifacts land in WORK/artifacts/JOB/, logs in WORK/logs/JOB.log.
"""

import argparse
import fnmatch
import glob
import json
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import github_expressions as gh  # noqa: E402
import gitlab_expressions as gl  # noqa: E402

ZEROS = "0" * 40
DROPPED_PREFIXES = ("GITHUB_", "RUNNER_", "ACTIONS_", "CI_", "GITLAB_", "STACK_")
DROPPED_NAMES = ("CI",)


class PipelineError(Exception):
    """Something in the pipeline file this runner does not model, or a
    usage error: exit 2."""


class _Loader(yaml.SafeLoader):
    """YAML 1.2-ish loading for CI files: `on`, `yes`, `no` stay strings
    (GitHub and GitLab read YAML 1.2 core); only true/false are booleans."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(path):
    """The YAML document at `path`, with YAML 1.2 booleans."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


def scalar(value, what):
    """A YAML scalar as the string a CI system sees (numbers and booleans
    as written in YAML 1.2: `true`, `1`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if value is None:
        return ""
    raise PipelineError(f"{what}: expected a string, found {value!r}")


def check_keys(mapping, allowed, what):
    """Refuses keys this runner does not model."""
    if not isinstance(mapping, dict):
        raise PipelineError(f"{what}: expected a mapping, found {mapping!r}")
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise PipelineError(f"{what}: not supported by this runner: {', '.join(unknown)} (supported: {', '.join(sorted(allowed))})")


def clean_environment():
    """This process's environment without CI and stack variables."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(DROPPED_PREFIXES) and name not in DROPPED_NAMES
    }


def git(*args, cwd=None):
    """Runs git, raising PipelineError with its stderr on failure."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise PipelineError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def checkout(repo, sha, folder, depth, branch=None, log=None):
    """A fresh clone of `repo` at `sha` in `folder`: full history when
    depth is 0, else `depth` commits; on `branch` (created at sha) when
    given, else a detached HEAD."""
    os.makedirs(folder, exist_ok=True)
    url = "file://" + os.path.abspath(repo)
    git("init", "-q", folder)
    git("remote", "add", "origin", url, cwd=folder)
    depth_args = [] if depth == 0 else [f"--depth={depth}"]
    refspecs = [f"+{sha}:refs/run-pipeline/commit"]
    if depth == 0:
        refspecs += ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
    git("fetch", "-q", "--no-tags", *depth_args, "origin", *refspecs, cwd=folder)
    if branch:
        git("checkout", "-q", "--force", "-B", branch, sha, cwd=folder)
    else:
        git("checkout", "-q", "--force", "--detach", sha, cwd=folder)
    if log:
        log.write(f"checked out {sha} ({'full history' if depth == 0 else f'depth {depth}'}) in {folder}\n")


def run_script(argv, cwd, env, log, timeout, verbose):
    """Runs `argv` in its own process group, output to `log` (and stderr
    when verbose); the exit status, or 124 after `timeout` seconds."""
    log.flush()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    timed_out = False
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        events = selector.select(timeout=min(remaining, 1.0))
        if events:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            text = chunk.decode("utf-8", "replace")
            log.write(text)
            log.flush()
            if verbose:
                sys.stderr.write(text)
                sys.stderr.flush()
    if timed_out:
        log.write(f"\n[run_pipeline] timed out after {timeout:.0f} s: killing the process group\n")
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()
        selector.close()
        process.stdout.close()
        return 124
    selector.close()
    process.stdout.close()
    return process.wait()


def read_commands_file(path):
    """The `name=value` and `name<<DELIMITER` ... `DELIMITER` entries of a
    GITHUB_OUTPUT / GITHUB_ENV file, in order."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line == "":
            continue
        heredoc = re.match(r"^([^=<]+)<<(.+)$", line)
        if heredoc and "=" not in line.split("<<", 1)[0]:
            name, delimiter = heredoc.group(1), heredoc.group(2)
            body = []
            while index < len(lines) and lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            if index >= len(lines):
                raise PipelineError(f"{path}: no closing {delimiter!r} for {name}")
            index += 1
            entries.append((name, "\n".join(body)))
        elif "=" in line:
            name, value = line.split("=", 1)
            entries.append((name, value))
        else:
            raise PipelineError(f"{path}: cannot read the line {line!r} (GitHub wants name=value or name<<EOF)")
    return entries


def topological(jobs, needs_of, priority):
    """Job ids in an order where each comes after what it needs, ties by
    `priority(job)`. Raises PipelineError on a cycle or an unknown need."""
    for job in jobs:
        for need in needs_of(job):
            if need not in jobs:
                raise PipelineError(f"job {job!r} needs {need!r}, which is not a job of this pipeline")
    order, done = [], set()
    pending = sorted(jobs, key=priority)
    while pending:
        ready = [job for job in pending if all(need in done for need in needs_of(job))]
        if not ready:
            raise PipelineError(f"the needs of {', '.join(pending)} form a cycle")
        job = ready[0]
        order.append(job)
        done.add(job)
        pending.remove(job)
    return order


def search_root(pattern, root):
    """actions/upload-artifact's root of one search path: the part before
    the first segment with a wildcard; a file's folder."""
    parts = []
    for part in pattern.strip().lstrip("!").split("/"):
        if any(c in part for c in "*?["):
            break
        parts.append(part)
    path = os.path.normpath(os.path.join(root, "/".join(parts)))
    return path if os.path.isdir(path) else os.path.dirname(path)


def copy_artifacts(patterns, root, destination, log, relative_to=None):
    """Copies the files matching the glob `patterns` (relative to `root`,
    `**` recursive, `!pattern` excludes) to `destination`, keeping their
    paths relative to `relative_to` (default `root`); returns those paths,
    sorted."""
    relative_to = relative_to or root
    found, excluded = set(), set()
    for pattern in patterns:
        pattern = pattern.strip()
        if not pattern:
            continue
        target = excluded if pattern.startswith("!") else found
        pattern = pattern.lstrip("!")
        full = pattern if os.path.isabs(pattern) else os.path.join(root, pattern)
        for match in glob.glob(full, recursive=True):
            if os.path.isdir(match):
                for folder, _, files in os.walk(match):
                    target.update(os.path.join(folder, f) for f in files)
            else:
                target.add(match)
    copied = []
    for path in sorted(found - excluded):
        relative = os.path.relpath(path, relative_to)
        if relative.startswith(".."):
            relative = os.path.basename(path)
        os.makedirs(os.path.dirname(os.path.join(destination, relative)) or destination, exist_ok=True)
        shutil.copy2(path, os.path.join(destination, relative))
        copied.append(relative)
        log.write(f"[run_pipeline] artifact {relative}\n")
    return copied


class JobResult:
    """What became of one job: `result` is success, failure, skipped (GitHub's
    words; GitLab's `failed` is failure, a job its rules leave out is
    `not in pipeline`, a manual one `manual`), `reason` a short why."""

    def __init__(self, job, result, reason=""):
        self.job = job
        self.result = result
        self.reason = reason
        self.outputs = {}
        self.artifacts = []
        self.warnings = []
        self.seconds = 0.0
        self.log = None
        self.allowed_failure = False

    def as_json(self):
        return {
            "job": self.job, "result": self.result, "reason": self.reason, "outputs": self.outputs,
            "artifacts": self.artifacts, "warnings": self.warnings, "seconds": round(self.seconds, 1),
            "log": self.log, "allowed_failure": self.allowed_failure,
        }


class Run:
    """Settings shared by both providers (from the command line)."""

    def __init__(self, args):
        self.repo = os.path.abspath(args.repo)
        if not os.path.isdir(os.path.join(self.repo, ".git")) and not os.path.isfile(os.path.join(self.repo, "HEAD")):
            raise PipelineError(f"{self.repo} is not a git repository")
        self.sha = git("rev-parse", "--verify", (args.sha or "HEAD") + "^{commit}", cwd=self.repo)
        self.branch = args.branch
        if args.before is not None:
            self.before = args.before
        else:
            parents = git("rev-list", "--parents", "-n", "1", self.sha, cwd=self.repo).split()
            self.before = parents[1] if len(parents) > 1 else ZEROS
        self.event = args.event
        self.base = args.base
        self.base_branch = args.base_branch
        self.default_branch = args.default_branch
        self.secrets = {}
        for item in args.secret:
            name, sep, value = item.partition("=")
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise PipelineError(f"--secret {item!r}: expected NAME=VALUE")
            self.secrets[name] = value
        self.run_id = args.run_id or str(os.getpid())
        self.work = os.path.abspath(args.work)
        self.job_timeout = args.job_timeout
        self.verbose = args.verbose
        if self.event == "pull_request" and not (self.base and self.base_branch):
            raise PipelineError("--event pull_request needs --base SHA and --base-branch NAME")
        for folder in ("jobs", "logs", "artifacts"):
            os.makedirs(os.path.join(self.work, folder), exist_ok=True)

    def open_log(self, job):
        path = os.path.join(self.work, "logs", f"{job}.log")
        return path, open(path, "w", encoding="utf-8")

    def job_folder(self, job):
        folder = os.path.join(self.work, "jobs", job.replace("/", "_").replace(":", "_"))
        if os.path.exists(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        return folder


# ---------------------------------------------------------------- GitHub

WORKFLOW_KEYS = {"name", "run-name", "on", "env", "defaults", "jobs", "concurrency", "permissions"}
JOB_KEYS = {
    "name", "runs-on", "needs", "if", "env", "defaults", "steps", "outputs", "concurrency",
    "permissions", "environment", "timeout-minutes", "continue-on-error",
}
STEP_KEYS = {"id", "name", "if", "run", "uses", "with", "env", "shell", "working-directory", "timeout-minutes", "continue-on-error"}


def _branch_filter_matches(patterns, branch):
    """GitHub's branch filter patterns: `*` any characters but `/`, `**`
    any characters, `!pattern` negates (later patterns win)."""
    matched = False
    for pattern in patterns:
        pattern = str(pattern)
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!")
        regex = ""
        index = 0
        while index < len(pattern):
            if pattern.startswith("**", index):
                regex += ".*"
                index += 2
            elif pattern[index] == "*":
                regex += "[^/]*"
                index += 1
            elif pattern[index] in "?+[]":
                raise PipelineError(f"the branch pattern {pattern!r} uses {pattern[index]!r}, which this runner does not model")
            else:
                regex += re.escape(pattern[index])
                index += 1
        if re.fullmatch(regex, branch):
            matched = not negate
    return matched


class GitHubRun:
    """A GitHub Actions workflow run of one event."""

    def __init__(self, run, path):
        self.run = run
        self.path = path
        self.workflow = load_yaml(path)
        check_keys(self.workflow, WORKFLOW_KEYS, "the workflow")
        self.jobs = self.workflow.get("jobs") or {}
        if not isinstance(self.jobs, dict) or not self.jobs:
            raise PipelineError("the workflow has no jobs")
        pull = run.event == "pull_request"
        self.ref = "refs/pull/1/merge" if pull else f"refs/heads/{run.branch}"
        self.ref_name = "1/merge" if pull else run.branch
        repository = {"default_branch": run.default_branch, "full_name": "stackc/e2e", "name": "e2e"}
        if pull:
            self.event = {
                "number": 1.0,
                "pull_request": {
                    "number": 1.0,
                    "base": {"sha": run.base, "ref": run.base_branch},
                    "head": {"sha": run.sha, "ref": run.branch},
                },
                "repository": repository,
            }
        else:
            self.event = {"before": run.before, "after": run.sha, "ref": self.ref, "repository": repository}
        self.results = {}

    def triggered(self):
        """Whether the workflow's `on:` runs on this event (error on filters
        this runner does not model)."""
        on = self.workflow.get("on")
        name = self.run.event
        if isinstance(on, str):
            return on == name
        if isinstance(on, list):
            return name in on
        if not isinstance(on, dict):
            raise PipelineError(f"the workflow's `on:` is {on!r}")
        if name not in on:
            return False
        spec = on[name] or {}
        check_keys(spec, {"branches", "branches-ignore", "types"}, f"on.{name}")
        branch = self.run.base_branch if name == "pull_request" else self.run.branch
        if "branches" in spec and not _branch_filter_matches(spec["branches"], branch):
            return False
        if "branches-ignore" in spec and _branch_filter_matches(spec["branches-ignore"], branch):
            return False
        if "types" in spec and name == "pull_request":
            types = spec["types"] if isinstance(spec["types"], list) else [spec["types"]]
            if "synchronize" not in types and "opened" not in types:
                return False
        return True

    def github_context(self, job_id, workspace):
        context = gh.Strict(
            "github",
            sha=self.run.sha, ref=self.ref, ref_name=self.ref_name, ref_type="branch",
            head_ref=self.run.branch if self.run.event == "pull_request" else "",
            base_ref=self.run.base_branch if self.run.event == "pull_request" else "",
            event_name=self.run.event, event=self.event, run_id=self.run.run_id, run_number="1",
            run_attempt="1", repository="stackc/e2e", repository_owner="stackc", server_url="https://github.com",
            actor="stackc-e2e", workflow=str(self.workflow.get("name") or os.path.basename(self.path)),
            workspace=workspace or "", action="", job=job_id or "",
        )
        if job_id is None:
            del context["job"]
        return context

    def needs(self, job_id):
        needs = self.jobs[job_id].get("needs") or []
        return [needs] if isinstance(needs, str) else list(needs)

    def ancestors(self, job_id):
        seen, stack = set(), list(self.needs(job_id))
        while stack:
            job = stack.pop()
            if job not in seen:
                seen.add(job)
                stack.extend(self.needs(job))
        return seen

    def needs_context(self, job_id):
        context = gh.Strict("needs", note="not in this job's `needs`: GitHub gives null there, so a condition on it is silently false")
        for need in self.needs(job_id):
            result = self.results[need]
            context[need] = gh.Strict(f"needs.{need}", result=result.result, outputs=dict(result.outputs))
        return context

    def execute(self):
        """Runs every job; returns the JobResults in run order."""
        order = topological(
            set(self.jobs), self.needs, priority=lambda job: list(self.jobs).index(job)
        )
        workflow_env_evaluator = gh.Evaluator(
            {"github": self.github_context(None, None), "secrets": self.secrets()},
            where="the workflow's env",
        )
        self.workflow_env = {
            str(k): gh.substitute(scalar(v, f"env.{k}"), workflow_env_evaluator)
            for k, v in (self.workflow.get("env") or {}).items()
        }
        for job_id in order:
            job = self.jobs[job_id]
            check_keys(job, JOB_KEYS, f"job {job_id}")
            ancestors = [self.results[a].result for a in self.ancestors(job_id)]
            status = {
                "success": all(r == "success" for r in ancestors),
                "failure": any(r == "failure" for r in ancestors),
                "cancelled": False,
                "always": True,
            }
            evaluator = gh.Evaluator(
                {"github": self.github_context(job_id, None), "needs": self.needs_context(job_id)},
                status=status, where=f"jobs.{job_id}.if",
            )
            if not gh.condition(job.get("if"), evaluator):
                why = "its if: is false" if "if" in job else "a job it needs did not succeed"
                self.results[job_id] = JobResult(job_id, "skipped", why)
                continue
            self.results[job_id] = self.run_job(job_id, job)
        return [self.results[job] for job in order]

    def secrets(self):
        return dict(self.run.secrets, GITHUB_TOKEN="")

    def run_job(self, job_id, job):
        result = JobResult(job_id, "success")
        started = time.monotonic()
        folder = self.run.job_folder(job_id)
        workspace = os.path.join(folder, "workspace")
        temp = os.path.join(folder, "temp")
        os.makedirs(workspace)
        os.makedirs(temp)
        result.log, log = self.run.open_log(job_id)
        deadline = started + float(job.get("timeout-minutes", self.run.job_timeout / 60)) * 60
        try:
            github = self.github_context(job_id, workspace)
            needs = self.needs_context(job_id)
            env_evaluator = gh.Evaluator(
                {"github": github, "needs": needs, "secrets": self.secrets()},
                where=f"jobs.{job_id}.env",
            )
            job_env = dict(self.workflow_env)
            for k, v in (job.get("env") or {}).items():
                job_env[str(k)] = gh.substitute(scalar(v, f"jobs.{job_id}.env.{k}"), env_evaluator)
            defaults = self.defaults(job_id, job, env_evaluator)
            added_env, added_path, steps = {}, [], {}
            failed = False
            base = clean_environment()
            event_path = os.path.join(temp, "event.json")
            with open(event_path, "w", encoding="utf-8") as handle:
                json.dump(self.event, handle)
            for index, step in enumerate(job.get("steps") or []):
                check_keys(step, STEP_KEYS, f"jobs.{job_id}.steps[{index}]")
                step_id = str(step.get("id") or f"__step{index}")
                name = step.get("name") or step.get("run") or step.get("uses") or step_id
                name = str(name).splitlines()[0]
                env_context = dict(job_env, **added_env)
                contexts = {
                    "github": github, "needs": needs, "secrets": self.secrets(),
                    "steps": {k: dict(v) for k, v in steps.items()}, "env": env_context,
                    "job": {"status": "failure" if failed else "success"},
                    "runner": {"os": "Linux", "temp": temp, "arch": "X64", "name": "run_pipeline"},
                }
                status = {"success": not failed, "failure": failed, "cancelled": False, "always": True}
                if_evaluator = gh.Evaluator(contexts, status=status, where=f"jobs.{job_id}.steps[{index}].if")
                if not gh.condition(step.get("if"), if_evaluator):
                    log.write(f"\n[run_pipeline] step {name}: skipped (if: {step.get('if', 'success()')})\n")
                    steps[step_id] = {"outcome": "skipped", "conclusion": "skipped", "outputs": {}}
                    continue
                evaluator = gh.Evaluator(contexts, where=f"jobs.{job_id}.steps[{index}]")
                step_env = dict(env_context)
                for k, v in (step.get("env") or {}).items():
                    step_env[str(k)] = gh.substitute(scalar(v, f"steps[{index}].env.{k}"), evaluator)
                log.write(f"\n[run_pipeline] step {name}\n")
                if time.monotonic() >= deadline:
                    outcome, outputs = 124, {}
                    log.write("[run_pipeline] the job's time is up\n")
                elif "uses" in step:
                    outcome, outputs = self.uses(step, evaluator, workspace, result, job_id, log, failed), {}
                elif "run" in step:
                    outcome, outputs, new_env, new_path = self.run_step(
                        job_id, step, index, evaluator, defaults, base, step_env, github, temp, workspace,
                        added_path, log, min(deadline, time.monotonic() + float(step.get("timeout-minutes", 1e6)) * 60),
                    )
                    added_env.update(new_env)
                    added_path = new_path + added_path
                else:
                    raise PipelineError(f"jobs.{job_id}.steps[{index}] has neither run nor uses")
                conclusion = "success"
                if outcome != 0:
                    log.write(f"[run_pipeline] step {name}: exit status {outcome}\n")
                    if step.get("continue-on-error") is True:
                        log.write("[run_pipeline] continue-on-error: the job goes on\n")
                    else:
                        conclusion = "failure"
                        failed = True
                        if not result.reason:
                            result.reason = f"step {name!r} exited {outcome}"
                steps[step_id] = {
                    "outcome": "success" if outcome == 0 else "failure", "conclusion": conclusion, "outputs": outputs,
                }
            if failed:
                result.result = "failure"
            outputs_evaluator = gh.Evaluator(
                {"github": github, "needs": needs, "secrets": self.secrets(),
                 "steps": {k: dict(v) for k, v in steps.items()}, "env": dict(job_env, **added_env),
                 "job": {"status": result.result}, "runner": {"os": "Linux", "temp": temp}},
                where=f"jobs.{job_id}.outputs",
            )
            if not failed:
                for name, value in (job.get("outputs") or {}).items():
                    result.outputs[str(name)] = gh.substitute(scalar(value, f"outputs.{name}"), outputs_evaluator)
        finally:
            log.close()
        result.seconds = time.monotonic() - started
        return result

    def defaults(self, job_id, job, evaluator):
        """The job's `defaults.run` merged over the workflow's."""
        merged = {}
        for where, holder in (("defaults", self.workflow), (f"jobs.{job_id}.defaults", job)):
            defaults = holder.get("defaults") or {}
            check_keys(defaults, {"run"}, where)
            run = defaults.get("run") or {}
            check_keys(run, {"shell", "working-directory"}, f"{where}.run")
            for key, value in run.items():
                merged[key] = gh.substitute(scalar(value, f"{where}.run.{key}"), evaluator)
        return merged

    def uses(self, step, evaluator, workspace, result, job_id, log, failed):
        action = str(step["uses"])
        inputs = {str(k): gh.substitute(scalar(v, f"with.{k}"), evaluator) for k, v in (step.get("with") or {}).items()}
        name, _, _version = action.partition("@")
        if name == "actions/checkout":
            check_keys(inputs, {"fetch-depth", "ref", "path", "persist-credentials", "clean"}, f"{action} with")
            depth = int(inputs.get("fetch-depth", "1"))
            if inputs.get("ref"):
                raise PipelineError(f"{action}: `ref` is not modelled by this runner")
            target = os.path.join(workspace, inputs.get("path", ""))
            branch = None if self.run.event == "pull_request" else self.run.branch
            checkout(self.run.repo, self.run.sha, target, depth, branch=branch, log=log)
            return 0
        if name == "actions/upload-artifact":
            check_keys(inputs, {"name", "path", "if-no-files-found", "retention-days", "overwrite", "include-hidden-files"}, f"{action} with")
            if "path" not in inputs:
                raise PipelineError(f"{action} without `path`")
            artifact = inputs.get("name", "artifact")
            destination = os.path.join(self.run.work, "artifacts", job_id, artifact)
            patterns = [p for p in inputs["path"].splitlines() if p.strip()]
            includes = [search_root(p, workspace) for p in patterns if not p.strip().startswith("!")]
            common = os.path.commonpath(includes) if includes else workspace
            copied = copy_artifacts(patterns, workspace, destination, log, relative_to=common)
            result.artifacts += [os.path.join(artifact, path) for path in copied]
            if not copied:
                mode = inputs.get("if-no-files-found", "warn")
                message = f"{action}: no files match {inputs['path']!r} (in {workspace})"
                if mode == "ignore":
                    return 0
                result.warnings.append(message)
                log.write(f"[run_pipeline] {message}\n")
                return 1
            return 0
        raise PipelineError(f"`uses: {action}`: this runner runs only actions/checkout and actions/upload-artifact")

    def run_step(self, job_id, step, index, evaluator, defaults, base, step_env, github, temp, workspace, added_path, log, deadline):
        script = gh.substitute(scalar(step["run"], "run"), evaluator)
        shell = gh.substitute(scalar(step["shell"], "shell"), evaluator) if "shell" in step else defaults.get("shell")
        folder = step.get("working-directory")
        folder = gh.substitute(scalar(folder, "working-directory"), evaluator) if folder is not None else defaults.get("working-directory")
        cwd = os.path.join(workspace, folder) if folder else workspace
        script_path = os.path.join(temp, f"step-{index}.sh")
        with open(script_path, "w", encoding="utf-8") as handle:
            handle.write(script)
        if shell is None:
            argv = ["bash", "-e", script_path]
        elif shell == "bash":
            argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", script_path]
        elif shell == "sh":
            argv = ["sh", "-e", script_path]
        elif "{0}" in shell and shlex.split(shell)[0] in ("bash", "sh"):
            argv = [part.replace("{0}", script_path) for part in shlex.split(shell)]
        else:
            raise PipelineError(f"jobs.{job_id}.steps[{index}]: shell {shell!r} is not modelled by this runner")
        files = {}
        for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"):
            files[name] = os.path.join(temp, f"{name.lower()}-{index}")
            open(files[name], "w").close()
        env = dict(base)
        env.update({
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_SHA": self.run.sha, "GITHUB_REF": github["ref"],
            "GITHUB_REF_NAME": github["ref_name"], "GITHUB_REF_TYPE": "branch", "GITHUB_HEAD_REF": github["head_ref"],
            "GITHUB_BASE_REF": github["base_ref"], "GITHUB_EVENT_NAME": self.run.event,
            "GITHUB_EVENT_PATH": os.path.join(temp, "event.json"), "GITHUB_WORKSPACE": workspace,
            "GITHUB_RUN_ID": self.run.run_id, "GITHUB_RUN_NUMBER": "1", "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_JOB": job_id, "GITHUB_REPOSITORY": "stackc/e2e", "GITHUB_REPOSITORY_OWNER": "stackc",
            "GITHUB_SERVER_URL": "https://github.com", "GITHUB_ACTOR": "stackc-e2e", "GITHUB_WORKFLOW": github["workflow"],
            "RUNNER_TEMP": temp, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_NAME": "run_pipeline",
        })
        env.update(files)
        env.update(step_env)
        if added_path:
            env["PATH"] = os.pathsep.join(added_path + [env.get("PATH", "")])
        if not os.path.isdir(cwd):
            log.write(f"[run_pipeline] working-directory {folder!r} does not exist in the checkout\n")
            return 1, {}, {}, []
        log.write(f"[run_pipeline] {' '.join(argv[:-1])} <script> in {os.path.relpath(cwd, workspace)}\n{script.rstrip()}\n---\n")
        status = run_script(argv, cwd, env, log, max(1.0, deadline - time.monotonic()), self.run.verbose)
        outputs = dict(read_commands_file(files["GITHUB_OUTPUT"]))
        new_env = dict(read_commands_file(files["GITHUB_ENV"]))
        with open(files["GITHUB_PATH"], encoding="utf-8") as handle:
            new_path = [line for line in handle.read().splitlines() if line][::-1]
        return status, outputs, new_env, new_path


# ---------------------------------------------------------------- GitLab

GITLAB_TOP_KEYS = {"stages", "variables", "workflow", "default", "image", "services", "cache", "before_script", "after_script"}
GITLAB_JOB_KEYS = {
    "stage", "needs", "script", "before_script", "after_script", "variables", "rules", "artifacts", "tags",
    "when", "allow_failure", "interruptible", "resource_group", "environment", "timeout", "retry", "cache",
    "dependencies", "image", "services", "coverage", "id_tokens",
}
GITLAB_DEFAULT_KEYS = {"before_script", "after_script", "tags", "image", "services", "interruptible", "retry", "timeout", "artifacts", "cache"}


def _lines(value, what):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, list):
                lines += _lines(item, what)
            else:
                lines.append(scalar(item, what))
        return lines
    raise PipelineError(f"{what}: expected a string or a list, found {value!r}")


def _variables(mapping, what):
    """name → (value, expand?) of a `variables:` mapping."""
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise PipelineError(f"{what}: expected a mapping")
    result = {}
    for name, value in mapping.items():
        if isinstance(value, dict):
            check_keys(value, {"value", "description", "expand", "options"}, f"{what}.{name}")
            result[str(name)] = (scalar(value.get("value", ""), f"{what}.{name}"), value.get("expand", True) is not False)
        else:
            result[str(name)] = (scalar(value, f"{what}.{name}"), True)
    return result


class GitLabRun:
    """A GitLab CI/CD pipeline of one push or merge request."""

    def __init__(self, run, path):
        self.run = run
        self.document = load_yaml(path)
        if not isinstance(self.document, dict):
            raise PipelineError(f"{path} is not a mapping")
        if "include" in self.document:
            raise PipelineError("`include` is not modelled by this runner")
        self.stages = [".pre"] + [str(s) for s in self.document.get("stages", ["build", "test", "deploy"])] + [".post"]
        self.default = self.document.get("default") or {}
        check_keys(self.default, GITLAB_DEFAULT_KEYS, "default")
        self.jobs = {}
        for name, job in self.document.items():
            if name in GITLAB_TOP_KEYS or (isinstance(name, str) and name.startswith(".")):
                continue
            if name in ("include", "pages"):
                raise PipelineError(f"`{name}` is not modelled by this runner")
            check_keys(job, GITLAB_JOB_KEYS, f"job {name}")
            if "script" not in job:
                raise PipelineError(f"job {name} has no script")
            self.jobs[str(name)] = job
        self.warnings = []
        for key in ("image", "services"):
            if key in self.document or key in self.default or any(key in job for job in self.jobs.values()):
                self.warnings.append(f"`{key}` ignored, as GitLab's shell executor ignores it")
        self.global_variables = _variables(self.document.get("variables"), "variables")
        self.job_ids = {name: 1000 + index for index, name in enumerate(self.jobs)}
        self.results = {}
        self.dotenv = {}

    def predefined(self, job=None):
        merge_request = self.run.event == "pull_request"
        ref_name = self.run.branch
        variables = {
            "CI": "true", "GITLAB_CI": "true", "CI_SERVER": "yes", "CI_COMMIT_SHA": self.run.sha,
            "CI_COMMIT_SHORT_SHA": self.run.sha[:8], "CI_COMMIT_REF_NAME": ref_name,
            "CI_COMMIT_REF_SLUG": re.sub(r"[^a-z0-9]", "-", ref_name.lower())[:63].strip("-"),
            "CI_COMMIT_BEFORE_SHA": ZEROS if merge_request else self.run.before,
            "CI_DEFAULT_BRANCH": self.run.default_branch, "CI_PIPELINE_ID": self.run.run_id,
            "CI_PIPELINE_IID": "1", "CI_PIPELINE_SOURCE": "merge_request_event" if merge_request else "push",
            "CI_PROJECT_NAME": "e2e", "CI_PROJECT_PATH": "stackc/e2e", "CI_PROJECT_NAMESPACE": "stackc",
            "CI_SERVER_URL": "https://gitlab.example", "CI_REPOSITORY_URL": "file://" + self.run.repo,
        }
        if merge_request:
            variables.update({
                "CI_MERGE_REQUEST_IID": "1", "CI_MERGE_REQUEST_DIFF_BASE_SHA": self.run.base,
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": self.run.branch,
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": self.run.base_branch,
                "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
            })
        else:
            variables["CI_COMMIT_BRANCH"] = self.run.branch
        if job is not None:
            variables.update({
                "CI_JOB_NAME": job, "CI_JOB_NAME_SLUG": re.sub(r"[^a-z0-9]", "-", job.lower())[:63],
                "CI_JOB_STAGE": self.stage(job), "CI_JOB_ID": f"{self.run.run_id}{self.job_ids[job]}",
            })
        return variables

    def rule_variables(self, job=None, extra=None):
        """Name → value for rules: predefined, global (and job) variables,
        project variables (the secrets), expanded."""
        outer = self.predefined(job)
        raw = dict(self.global_variables)
        if job is not None:
            raw.update(_variables(self.jobs[job].get("variables"), f"{job}.variables"))
        if extra:
            raw.update(extra)
        values = dict(outer)
        values.update(gl.expand_all(raw, outer))
        values.update(self.run.secrets)
        return values

    def evaluate_rules(self, rules, variables, what):
        """(when, allow_failure, variables) of the first matching rule, or
        None when none matches."""
        if not isinstance(rules, list):
            raise PipelineError(f"{what}: rules must be a list")
        for index, rule in enumerate(rules):
            check_keys(rule, {"if", "when", "allow_failure", "variables"}, f"{what}[{index}]")
            try:
                holds = "if" not in rule or gl.rule_holds(rule["if"], variables)
            except gl.ExpressionError as error:
                raise PipelineError(f"{what}[{index}]: {error}") from error
            if holds:
                return rule.get("when", "on_success"), rule.get("allow_failure"), _variables(rule.get("variables"), f"{what}[{index}].variables")
        return None

    def stage(self, job):
        stage = str(self.jobs[job].get("stage", "test"))
        if stage not in self.stages:
            raise PipelineError(f"job {job}: stage {stage!r} is not in stages ({', '.join(self.stages)})")
        return stage

    def needs(self, job, present):
        """[(need, artifacts?)] of a job with `needs`, else None."""
        if "needs" not in self.jobs[job]:
            return None
        needs = []
        for item in self.jobs[job]["needs"] or []:
            if isinstance(item, str):
                name, artifacts, optional = item, True, False
            elif isinstance(item, dict):
                check_keys(item, {"job", "artifacts", "optional"}, f"{job}.needs")
                name, artifacts, optional = str(item["job"]), item.get("artifacts", True), item.get("optional", False)
            else:
                raise PipelineError(f"{job}.needs: cannot read {item!r}")
            if name not in present:
                if optional:
                    continue
                if name in self.jobs:
                    raise PipelineError(f"{job} needs {name}, which its rules leave out of this pipeline (GitLab refuses to create it)")
                raise PipelineError(f"{job} needs {name}, which is not a job")
            if self.stages.index(self.stage(name)) > self.stages.index(self.stage(job)):
                raise PipelineError(f"{job} needs {name} of a later stage")
            needs.append((name, artifacts is not False))
        return needs

    def execute(self):
        if "workflow" in self.document:
            workflow = self.document["workflow"] or {}
            check_keys(workflow, {"rules", "name", "auto_cancel"}, "workflow")
            if "rules" in workflow:
                decision = self.evaluate_rules(workflow["rules"], self.rule_variables(), "workflow.rules")
                if decision is None or decision[0] == "never":
                    return None
        present, settings = [], {}
        for job in self.jobs:
            rules = self.jobs[job].get("rules")
            when = self.jobs[job].get("when", "on_success")
            allow_failure = self.jobs[job].get("allow_failure", False)
            extra = {}
            if rules is not None:
                decision = self.evaluate_rules(rules, self.rule_variables(job), f"{job}.rules")
                if decision is None or decision[0] == "never":
                    self.results[job] = JobResult(job, "not in pipeline", "no rule matched" if decision is None else "when: never")
                    continue
                when = decision[0]
                if decision[1] is not None:
                    allow_failure = decision[1]
                extra = decision[2]
            if when not in ("on_success", "on_failure", "always", "manual", "delayed"):
                raise PipelineError(f"{job}: when: {when!r} is not a GitLab value")
            if when == "delayed":
                raise PipelineError(f"{job}: when: delayed is not modelled by this runner")
            if isinstance(allow_failure, dict):
                raise PipelineError(f"{job}: allow_failure: exit_codes is not modelled by this runner")
            present.append(job)
            settings[job] = (when, bool(allow_failure), extra)
        dependencies = {}
        for job in present:
            needs = self.needs(job, present)
            if needs is None:
                index = self.stages.index(self.stage(job))
                dependencies[job] = ([j for j in present if self.stages.index(self.stage(j)) < index], None)
            else:
                dependencies[job] = ([n for n, _ in needs], [n for n, artifacts in needs if artifacts])
        order = topological(
            set(present), lambda j: dependencies[j][0],
            priority=lambda j: (self.stages.index(self.stage(j)), list(self.jobs).index(j)),
        )
        for job in order:
            when, allow_failure, extra = settings[job]
            before, artifact_jobs = dependencies[job]
            states = [self.results[j] for j in before]
            ok = all(r.result == "success" or (r.result == "failure" and r.allowed_failure) for r in states)
            failed = any(r.result == "failure" and not r.allowed_failure for r in states)
            if when == "manual":
                self.results[job] = JobResult(job, "manual", "when: manual")
                continue
            run = {"on_success": ok, "on_failure": failed, "always": True}[when]
            if not run:
                self.results[job] = JobResult(job, "skipped", f"when: {when}")
                continue
            if "dependencies" in self.jobs[job]:
                artifact_jobs = [str(j) for j in self.jobs[job]["dependencies"] or []]
            elif artifact_jobs is None:
                artifact_jobs = before
            dotenv = {}
            for producer in artifact_jobs:
                dotenv.update(self.dotenv.get(producer, {}))
            result = self.run_job(job, extra, dotenv)
            result.allowed_failure = allow_failure and result.result == "failure"
            self.results[job] = result
        return [self.results[job] for job in self.jobs]

    def job_setting(self, job, key):
        if key in self.jobs[job]:
            return self.jobs[job][key]
        if key in self.default:
            return self.default[key]
        if key in ("before_script", "after_script") and key in self.document:
            return self.document[key]
        return None

    def run_job(self, job, rule_variables, dotenv):
        result = JobResult(job, "success")
        started = time.monotonic()
        folder = self.run.job_folder(job)
        project = os.path.join(folder, "project")
        temp = os.path.join(folder, "tmp")
        os.makedirs(temp)
        result.log, log = self.run.open_log(job)
        try:
            outer = self.predefined(job)
            outer.update({"CI_PROJECT_DIR": project, "CI_BUILDS_DIR": folder, "CI_JOB_STATUS": "running"})
            raw = dict(self.global_variables)
            raw.update(_variables(self.jobs[job].get("variables"), f"{job}.variables"))
            raw.update(rule_variables)
            for name, value in dotenv.items():
                raw[name] = (value, False)
            for name, value in self.run.secrets.items():
                raw[name] = (value, False)
            values = dict(outer)
            values.update(gl.expand_all(raw, outer))
            strategy = values.get("GIT_STRATEGY", "fetch")
            if strategy == "none" or strategy == "empty":
                os.makedirs(project)
            elif strategy in ("fetch", "clone"):
                depth = int(values.get("GIT_DEPTH") or 20)
                checkout(self.run.repo, self.run.sha, project, depth, log=log)
            else:
                raise PipelineError(f"{job}: GIT_STRATEGY {strategy!r} is not a GitLab value")
            env = clean_environment()
            env.update(values)
            env["TMPDIR"] = temp
            script = _lines(self.job_setting(job, "before_script"), f"{job}.before_script") + _lines(self.jobs[job]["script"], f"{job}.script")
            status = self.shell(script, project, env, log, self.run.job_timeout)
            if status != 0:
                result.result = "failure"
                result.reason = f"script exited {status}"
            after = _lines(self.job_setting(job, "after_script"), f"{job}.after_script")
            if after:
                env["CI_JOB_STATUS"] = "success" if status == 0 else "failed"
                log.write("\n[run_pipeline] after_script\n")
                if self.shell(after, project, env, log, 300) != 0:
                    result.warnings.append("after_script failed (does not change the job's status)")
            self.artifacts(job, project, result, log)
        finally:
            log.close()
        result.seconds = time.monotonic() - started
        return result

    def shell(self, lines, cwd, env, log, timeout):
        """Runs `lines` as GitLab's shell executor does with bash."""
        body = ["set -eo pipefail", "set +o noclobber"]
        for line in lines:
            body.append(f"printf '%s\\n' {shlex.quote('$ ' + line.splitlines()[0] if line else '$')}")
            body.append(line)
        body.append("exit 0")
        path = os.path.join(env["TMPDIR"], f"script-{time.monotonic_ns()}.sh")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(body) + "\n")
        return run_script(["bash", "--noprofile", "--norc", path], cwd, env, log, timeout, self.run.verbose)

    def artifacts(self, job, project, result, log):
        artifacts = self.job_setting(job, "artifacts")
        if artifacts is None:
            return
        check_keys(artifacts, {"when", "paths", "exclude", "reports", "expire_in", "name", "expose_as", "untracked", "public", "access"}, f"{job}.artifacts")
        when = artifacts.get("when", "on_success")
        passed = result.result == "success"
        if not {"on_success": passed, "on_failure": not passed, "always": True}.get(when, False):
            return
        destination = os.path.join(self.run.work, "artifacts", job)
        paths = _lines(artifacts.get("paths"), f"{job}.artifacts.paths")
        exclude = ["!" + p for p in _lines(artifacts.get("exclude"), f"{job}.artifacts.exclude")]
        if paths:
            copied = copy_artifacts(paths + exclude, project, destination, log)
            result.artifacts += copied
            if not copied:
                result.warnings.append(f"artifacts.paths {paths}: no matching files")
        reports = artifacts.get("reports") or {}
        check_keys(reports, {"junit", "dotenv"}, f"{job}.artifacts.reports")
        if "junit" in reports:
            patterns = _lines(reports["junit"], f"{job}.artifacts.reports.junit")
            copied = copy_artifacts(patterns, project, destination, log)
            result.artifacts += [p for p in copied if p not in result.artifacts]
            if not copied:
                message = f"artifacts.reports.junit {patterns}: no matching files"
                result.warnings.append(message)
                log.write(f"[run_pipeline] WARNING: {message}\n")
            for path in copied:
                _check_junit(os.path.join(destination, path), result)
        if "dotenv" in reports:
            values = {}
            for pattern in _lines(reports["dotenv"], f"{job}.artifacts.reports.dotenv"):
                path = os.path.join(project, pattern)
                if not os.path.isfile(path):
                    result.warnings.append(f"artifacts.reports.dotenv {pattern}: no such file")
                    continue
                values.update(_read_dotenv(path, job))
            self.dotenv[job] = values
            result.outputs = values


def _read_dotenv(path, job):
    """GitLab's dotenv report: `NAME=value` lines, `#` comments, no quotes
    processing beyond what GitLab does (none: a value is taken as is)."""
    values = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle.read().splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, sep, value = line.partition("=")
            name = name.strip()
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise PipelineError(f"{job}: dotenv report line {number} is not NAME=value: {line!r}")
            values[name] = value
    return values


def _check_junit(path, result):
    """A JUnit report must be XML with a <testsuite(s)> root."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        result.warnings.append(f"{os.path.basename(path)} is not XML: {error}")
        result.result = "failure"
        result.reason = result.reason or "a JUnit report is not XML"
        return
    if root.tag not in ("testsuite", "testsuites"):
        result.warnings.append(f"{os.path.basename(path)}: root element <{root.tag}>, not a JUnit report")
        result.result = "failure"
        result.reason = result.reason or "a JUnit report is not JUnit"


# ---------------------------------------------------------------- main


def summary(results, out):
    width = max([len(r.job) for r in results] + [3])
    for r in results:
        note = r.reason
        if r.allowed_failure:
            note = (note + "; allowed to fail").strip("; ")
        if r.outputs:
            note = (note + " " + " ".join(f"{k}={v}" for k, v in sorted(r.outputs.items()))).strip()
        if r.artifacts:
            note = (note + f" [{len(r.artifacts)} artifact(s)]").strip()
        out.write(f"{r.job:<{width}}  {r.result:<15}  {r.seconds:6.1f}s  {note}\n")
        for warning in r.warnings:
            out.write(f"{'':<{width}}  warning: {warning}\n")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Runs a GitHub workflow or a GitLab pipeline on this machine: jobs in `needs` order, "
        "each in a fresh clone of --repo, with the CI system's variables; prints a summary per job.",
        epilog="example: run_pipeline.py github REPO/.github/workflows/stack.yml --repo REPO --work /tmp/run "
        "--secret STACK_REGISTRY_PASSWORD=pw   (a push of REPO's HEAD to main)",
    )
    parser.add_argument("provider", choices=["github", "gitlab"], help="whose file FILE is")
    parser.add_argument("file", help="the generated .github/workflows/stack.yml or .gitlab-ci.yml")
    parser.add_argument("--repo", required=True, help="the git repository the jobs clone")
    parser.add_argument("--work", required=True, help="a folder for the clones, logs and artifacts")
    parser.add_argument("--sha", help="the commit the pipeline runs for (default: HEAD of --repo)")
    parser.add_argument("--branch", default="main", help="the branch pushed (default: main)")
    parser.add_argument("--before", help="the commit before the push (default: --sha's parent, else the null id)")
    parser.add_argument("--event", choices=["push", "pull_request"], default="push",
                        help="push (default), or pull_request (GitLab: a merge request pipeline)")
    parser.add_argument("--base", help="pull_request: the base commit")
    parser.add_argument("--base-branch", help="pull_request: the branch merged into")
    parser.add_argument("--default-branch", default="main", help="the repository's default branch (default: main)")
    parser.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE",
                        help="a CI secret (GitHub secrets.NAME, a GitLab CI/CD variable); repeatable")
    parser.add_argument("--run-id", help="the run's id (GITHUB_RUN_ID, CI_PIPELINE_ID; default: this process id)")
    parser.add_argument("--job-timeout", type=float, default=1200, help="seconds a job may take (default: 1200)")
    parser.add_argument("--report", help="write the jobs' results as JSON to this file")
    parser.add_argument("--verbose", action="store_true", help="show each job's output as it runs")
    args = parser.parse_args(argv)
    try:
        run = Run(args)
        pipeline = GitHubRun(run, args.file) if args.provider == "github" else GitLabRun(run, args.file)
        if args.provider == "github" and not pipeline.triggered():
            print(f"the workflow does not run on {args.event} to {args.branch}", file=sys.stderr)
            return 1
        for warning in getattr(pipeline, "warnings", []):
            print(f"warning: {warning}", file=sys.stderr)
        results = pipeline.execute()
        if results is None:
            print("workflow: rules create no pipeline for this push", file=sys.stderr)
            return 1
    except (PipelineError, gh.ExpressionError, gl.ExpressionError) as error:
        print(f"run_pipeline: {error}", file=sys.stderr)
        return 2
    summary(results, sys.stdout)
    failed = [r for r in results if r.result == "failure" and not r.allowed_failure]
    for r in failed:
        sys.stderr.write(f"\n==== {r.job} failed ({r.reason}); the end of {r.log}:\n")
        with open(r.log, encoding="utf-8", errors="replace") as handle:
            sys.stderr.write("".join(handle.readlines()[-60:]))
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump({"provider": args.provider, "sha": run.sha, "jobs": [r.as_json() for r in results]}, handle, indent=2)
            handle.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
