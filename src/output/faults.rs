//! Failure injection for the output layer's tests: the n-th change to the
//! disk (a write, a deletion, a mode change, a folder created or removed)
//! fails, as a full disk would, or stops as a killed process would.
//! Outside tests every function here is a no-op the compiler removes.

use std::io;

/// How an injected failure behaves.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The change fails with an error; a half-written temporary file is
    /// cleaned up, as on a full disk.
    DiskFull,
    /// The process "dies" at this change: a write leaves its half-written
    /// temporary file behind and nothing after it happens.
    Crash,
}

/// The error an injected failure returns.
pub fn injected() -> io::Error {
    io::Error::other("injected failure")
}

#[cfg(test)]
thread_local! {
    static NEXT: std::cell::Cell<Option<(usize, Fault)>> = const { std::cell::Cell::new(None) };
}

/// The `n`-th change (0-based) from now on, on this thread, fails.
#[cfg(test)]
pub fn inject(n: usize, fault: Fault) {
    NEXT.with(|cell| cell.set(Some((n, fault))));
}

/// No more failures.
#[cfg(test)]
pub fn clear() {
    NEXT.with(|cell| cell.set(None));
}

/// Counts one change; the fault when it is the one to fail.
#[cfg(test)]
pub fn next() -> Option<Fault> {
    NEXT.with(|cell| match cell.get() {
        Some((0, fault)) => {
            cell.set(None);
            Some(fault)
        }
        Some((n, fault)) => {
            cell.set(Some((n - 1, fault)));
            None
        }
        None => None,
    })
}

/// Never fails outside tests.
#[cfg(not(test))]
#[inline]
pub fn next() -> Option<Fault> {
    None
}
