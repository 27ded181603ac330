//! The HAProxy configurations, checked by a real HAProxy 2.6: `haproxy -c`
//! accepts every generated configuration (every example's, and hand-built
//! Models' with wildcard hosts, several components, a TCP runtime API, TCP
//! and command health checks); the quoting filter's output reads back
//! exactly in a running HAProxy; and a live HAProxy started on a generated
//! configuration (loopback ports and slot addresses given through the
//! documented overrides) routes by host and path, answers `/metrics`,
//! `/stats` and its runtime API, and restores weights and slot states from
//! the server-state file after a restart.
//!
//! Every process a test starts is killed by its pid when the test ends, and
//! every wait is bounded. Run with `cargo test --test haproxy`.

mod check;
mod models;
mod process;
mod quoting;
mod routing;
mod slot_server;
mod tools;
