//! Work over many components done in two parts at once: the first half on
//! another thread, the second on this one ([`in_two_parts`]), or two
//! independent pieces of work side by side ([`beside`]). Each part reports
//! into its own diagnostics, appended in order, and its results are joined
//! in order, so what comes out is what one pass gives.

use crate::diagnostic::Diagnostics;

/// Below this many items one pass costs less than starting a thread.
pub(super) const PARTS_FROM: usize = 512;

/// The stack of the second thread: the main thread's usual 8 MiB, so a
/// deeply nested value analysed there has the room it has in one pass.
const STACK_BYTES: usize = 8 << 20;

/// `work` applied to the whole of `items`, as contiguous parts when there
/// are at least [`PARTS_FROM`]: `work` pushes each part's results onto the
/// vector it is given, and they come out in order; its diagnostics are
/// pushed onto `diagnostics` in order. `work` must depend on nothing but
/// the items it is given (and what it shares read-only), and must not read
/// what `diagnostics` held before it (each part starts with none).
pub(super) fn in_two_parts<I, O, W>(items: &[I], diagnostics: &mut Diagnostics, work: W) -> Vec<O>
where
    I: Sync,
    O: Send,
    W: Fn(&[I], &mut Vec<O>, &mut Diagnostics) + Sync,
{
    // Room for every result from the start: results can be large (a
    // component's draft), and a vector grown by doubling holds up to twice
    // the room, copied at each step.
    if items.len() < PARTS_FROM {
        let mut results = Vec::with_capacity(items.len());
        work(items, &mut results, diagnostics);
        return results;
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut results, rest) = beside(
        items.len(),
        diagnostics,
        |diagnostics| {
            let mut results = Vec::with_capacity(items.len());
            work(first, &mut results, diagnostics);
            results
        },
        |diagnostics| {
            let mut results = Vec::with_capacity(second.len());
            work(second, &mut results, diagnostics);
            results
        },
    );
    results.extend(rest);
    results
}

/// `first` and then `second`, each reporting into `diagnostics` in that
/// order, and their results; with at least [`PARTS_FROM`] `items` behind
/// them, `first` runs on another thread while `second` runs on this one
/// (each into diagnostics of its own, appended in order). Neither may
/// depend on the other, nor read what `diagnostics` held before. Without a
/// thread to be had, `first` runs here after `second` (an `Fn`, so it is
/// still there to call).
pub(super) fn beside<A, B, F, S>(
    items: usize,
    diagnostics: &mut Diagnostics,
    first: F,
    second: S,
) -> (A, B)
where
    A: Send,
    F: Fn(&mut Diagnostics) -> A + Sync,
    S: FnOnce(&mut Diagnostics) -> B,
{
    if items < PARTS_FROM {
        let first = first(diagnostics);
        return (first, second(diagnostics));
    }
    let run_first = || {
        let mut own = Diagnostics::new();
        (first(&mut own), own)
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, run_first);
        let mut second_diagnostics = Diagnostics::new();
        let second = second(&mut second_diagnostics);
        let (first, first_diagnostics) = match spawned {
            Ok(handle) => match handle.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => run_first(),
        };
        diagnostics.extend(first_diagnostics);
        diagnostics.extend(second_diagnostics);
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};

    /// Squares each item and reports the odd ones, in order.
    fn square_and_report_odd(items: &[usize], out: &mut Vec<usize>, diagnostics: &mut Diagnostics) {
        for &item in items {
            if item % 2 == 1 {
                diagnostics.push(Diagnostic::warning(Code::Syntax, item.to_string()));
            }
            out.push(item * item);
        }
    }

    #[test]
    fn beside_reports_first_then_second_whatever_the_count() {
        for items in [0, PARTS_FROM - 1, PARTS_FROM, 10 * PARTS_FROM] {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(Diagnostic::error(Code::Syntax, "before"));
            let result = beside(
                items,
                &mut diagnostics,
                |d| {
                    for n in 0..50 {
                        d.push(Diagnostic::warning(Code::Syntax, format!("first {n}")));
                    }
                },
                |d| {
                    d.push(Diagnostic::error(Code::Syntax, "second"));
                    items
                },
            );
            assert_eq!(result, ((), items));
            let messages: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
            let mut expected = vec!["before".to_string()];
            expected.extend((0..50).map(|n| format!("first {n}")));
            expected.push("second".into());
            assert_eq!(messages, expected, "{items}");
            assert_eq!(diagnostics.error_count(), 2);
        }
    }

    #[test]
    fn two_parts_give_what_one_pass_gives() {
        for count in [
            0,
            1,
            PARTS_FROM - 1,
            PARTS_FROM,
            PARTS_FROM + 1,
            3 * PARTS_FROM + 7,
        ] {
            let items: Vec<usize> = (0..count).collect();
            let mut one = Diagnostics::new();
            one.push(Diagnostic::error(Code::Syntax, "before"));
            let mut expected = Vec::new();
            square_and_report_odd(&items, &mut expected, &mut one);
            let mut parts = Diagnostics::new();
            parts.push(Diagnostic::error(Code::Syntax, "before"));
            let got = in_two_parts(&items, &mut parts, square_and_report_odd);
            assert_eq!(got, expected, "{count}");
            let messages =
                |d: &Diagnostics| d.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
            assert_eq!(messages(&parts), messages(&one), "{count}");
            assert_eq!(parts.error_count(), 1);
        }
    }
}
