"""Unit tests of scripts/bench's helpers (numbers, report, markers, runner).

Run: python3 -m unittest discover -s tests/bench
They time nothing; they check the arithmetic and the text the suite writes.
"""
import importlib.machinery
import importlib.util
import tempfile
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench"


def load():
    loader = importlib.machinery.SourceFileLoader("bench", str(SCRIPT))
    spec = importlib.util.spec_from_loader("bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


bench = load()


class Numbers(unittest.TestCase):
    def test_median_of_odd_count_is_the_middle_value(self):
        self.assertEqual(bench.median([5.0, 1.0, 3.0]), 3.0)

    def test_median_of_even_count_is_the_mean_of_the_middle_two(self):
        self.assertEqual(bench.median([4.0, 1.0, 2.0, 10.0]), 3.0)

    def test_median_of_nothing_is_an_error(self):
        with self.assertRaises(bench.BenchError):
            bench.median([])

    def test_paired_ratios_divide_pair_by_pair(self):
        self.assertEqual(bench.paired_ratios([6.0, 9.0], [2.0, 3.0]), [3.0, 3.0])

    def test_median_of_paired_ratios_differs_from_ratio_of_medians(self):
        builds, copies = [1.0, 4.0, 9.0], [1.0, 1.0, 9.0]
        self.assertEqual(bench.median(bench.paired_ratios(builds, copies)), 1.0)
        self.assertEqual(bench.median(builds) / bench.median(copies), 4.0)

    def test_unpaired_runs_are_an_error(self):
        with self.assertRaises(bench.BenchError):
            bench.paired_ratios([1.0, 2.0], [1.0])

    def test_a_zero_duration_is_an_error(self):
        with self.assertRaises(bench.BenchError):
            bench.paired_ratios([1.0], [0.0])

    def test_met_needs_every_condition(self):
        self.assertEqual(bench.met(True, True), "yes")
        self.assertEqual(bench.met(True, False), "no")


class Formats(unittest.TestCase):
    def test_seconds_keep_three_significant_digits(self):
        self.assertEqual(bench.seconds(0.0314), "0.031 s")
        self.assertEqual(bench.seconds(5.956), "5.96 s")
        self.assertEqual(bench.seconds(13.24), "13.2 s")
        self.assertEqual(bench.seconds(235.4), "235 s")

    def test_peak_in_mib_then_gib(self):
        self.assertEqual(bench.mib(667648), "652 MiB")
        self.assertEqual(bench.mib(18022), "17.6 MiB")
        self.assertEqual(bench.mib(1597440), "1.52 GiB")
        self.assertEqual(bench.mib(16043212), "15.3 GiB")

    def test_bytes_in_decimal_units(self):
        self.assertEqual(bench.megabytes(297_000_000), "297.0 MB")
        self.assertEqual(bench.megabytes(7_400_000_000), "7.40 GB")
        self.assertEqual(bench.megabytes(12_300_000_000), "12.3 GB")

    def test_ratio(self):
        self.assertEqual(bench.ratio(42.66), "42.7×")
        self.assertEqual(bench.ratio(143.2), "143×")


class Diagnostics(unittest.TestCase):
    def test_counts_each_diagnostic_header_once(self):
        text = (
            "error[E0102]: unknown dependency `missing0`\n"
            " --> w/Stackfile:9:17\n"
            "  = help: components: `c1`\n\n"
            "warning[W0003]: nothing reaches c2\n"
            "error[E0102]: unknown dependency `missing1`\n"
            "error: found 2 errors in the specs\n"
        )
        self.assertEqual(bench.count_diagnostics(text), 3)


class Markers(unittest.TestCase):
    BLOCK = bench.BEGIN + "\nnew\n" + bench.END + "\n"

    def test_replaces_only_the_marked_part(self):
        head, tail = "# Performance\nprose\n", "## Durability\nkept\n"
        document = head + bench.BEGIN + "\nold\n" + bench.END + "\n" + tail
        self.assertEqual(
            bench.replace_between_markers(document, self.BLOCK),
            head + bench.BEGIN + "\nnew\n" + bench.END + "\n" + tail,
        )

    def test_missing_marker_is_an_error(self):
        with self.assertRaises(bench.BenchError):
            bench.replace_between_markers(bench.BEGIN + "\n", self.BLOCK)

    def test_repeated_marker_is_an_error(self):
        document = (bench.BEGIN + "\n" + bench.END + "\n") * 2
        with self.assertRaises(bench.BenchError):
            bench.replace_between_markers(document, self.BLOCK)


class Report(unittest.TestCase):
    def test_table_row_machine_and_raw_runs(self):
        figure = bench.Figure(
            "noop-bounded",
            "no-op rebuild, bounded 1,000",
            "0.021 s",
            "< 0.05 s",
            "yes",
            ["rebuild: 0.020 s 0.021 s"],
        )
        text = bench.report([figure], ["CPUs: 2 (AMD EPYC)"], "--no-large")
        self.assertTrue(text.startswith(bench.BEGIN + "\n"))
        self.assertTrue(text.endswith(bench.END + "\n"))
        row = "| no-op rebuild, bounded 1,000 | 0.021 s | < 0.05 s | yes |\n"
        self.assertIn(row, text)
        self.assertIn("- CPUs: 2 (AMD EPYC)\n", text)
        runs = "- no-op rebuild, bounded 1,000:\n  - rebuild: 0.020 s 0.021 s\n"
        self.assertIn(runs, text)


class Selection(unittest.TestCase):
    def keys(self, *argv):
        return bench.selected(bench.arguments(list(argv)))

    def test_large_build_only_on_request_or_for_the_docs(self):
        self.assertNotIn("deep-large", self.keys())
        self.assertIn("deep-large", self.keys("--large"))
        self.assertIn("deep-large", self.keys("--write-docs"))
        self.assertNotIn("deep-large", self.keys("--write-docs", "--no-large"))

    def test_only_picks_figures_and_rejects_unknown_ones(self):
        self.assertEqual(self.keys("--only", "compose,noop-deep"), ("compose", "noop-deep"))
        with self.assertRaises(bench.BenchError):
            self.keys("--only", "nonsense")


class Runner(unittest.TestCase):
    def test_a_run_reports_time_peak_and_status(self):
        with tempfile.TemporaryDirectory() as work:
            run = bench.Runner(Path(work)).run(["true"])
        self.assertEqual(run.status, 0)
        self.assertGreater(run.peak_kib, 0)
        self.assertGreater(run.seconds, 0)

    def test_an_unexpected_exit_status_stops_the_suite(self):
        with tempfile.TemporaryDirectory() as work:
            runner = bench.Runner(Path(work))
            with self.assertRaises(bench.BenchError) as caught:
                runner.run(["sh", "-c", "echo broken >&2; exit 3"])
            self.assertIn("exited with 3", str(caught.exception))
            self.assertIn("broken", str(caught.exception))
            self.assertEqual(runner.run(["sh", "-c", "exit 1"], expect=(1,)).status, 1)


class Discarded(unittest.TestCase):
    def test_trees_are_set_aside_under_distinct_names_and_kept(self):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            discarded = bench.Discarded(work)
            for content in ("first", "second"):
                (work / "out").mkdir()
                (work / "out" / "file").write_text(content)
                discarded.set_aside(work / "out")
                self.assertFalse((work / "out").exists())
            discarded.set_aside(work / "missing")
            kept = sorted(p.name for p in (work / "discarded").iterdir())
            self.assertEqual(kept, ["1-out", "2-out"])
            self.assertEqual((work / "discarded" / "2-out" / "file").read_text(), "second")


if __name__ == "__main__":
    unittest.main()


class ComposeTools(unittest.TestCase):
    def fake(self, folder, printed, status=0):
        script = Path(folder) / "docker-compose"
        script.write_text("#!/bin/sh\necho '%s'\nexit %d\n" % (printed, status))
        script.chmod(0o755)
        return str(script)

    def test_the_major_version_of_compose_v2_and_its_v_prefix(self):
        with tempfile.TemporaryDirectory() as folder:
            self.assertEqual(bench.compose_major(self.fake(folder, "2.29.1")), 2)
            self.assertEqual(bench.compose_major(self.fake(folder, "v5.6.1")), 5)

    def test_compose_1_and_a_missing_binary_are_version_0(self):
        with tempfile.TemporaryDirectory() as folder:
            # Compose 1.x knows no --short: it prints its usage and fails.
            printed = "Show version information\\n\\nUsage: version [--short]"
            self.assertEqual(bench.compose_major(self.fake(folder, printed, 1)), 0)
            self.assertEqual(bench.compose_major(str(Path(folder) / "none")), 0)

    def test_without_a_venv_a_compose_v2_on_path_is_used_and_v1_refused(self):
        import os
        from unittest import mock

        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as bin:
            with mock.patch.object(bench, "ROOT", Path(root)):
                path = dict(os.environ, PATH=bin)
                with mock.patch.dict(os.environ, path):
                    found = self.fake(bin, "2.5.0")
                    self.assertEqual(bench.compose_binary(), Path(found))
                    self.fake(bin, "docker-compose version 1.29.2", 1)
                    with self.assertRaises(bench.BenchError) as refused:
                        bench.compose_binary()
                    self.assertIn("scripts/install-tools", str(refused.exception))
