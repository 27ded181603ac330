//! How an environment's routed traffic enters the stack: HAProxy, run as a
//! Compose service beside the components it routes to.

use super::Text;

/// The image of the `haproxy` service when the spec names none: the
/// official image, at the release whose runtime API and configuration
/// stackc writes for (HAProxy 2.6).
pub const DEFAULT_PROXY_IMAGE: &str = "docker.io/library/haproxy:2.6";

/// The host port of the HTTP frontend when the spec names none.
pub const DEFAULT_HTTP_PORT: u16 = 80;

/// The host port of the stats page and Prometheus exporter when the spec
/// names none (HAProxy's documentation uses 8404 for both).
pub const DEFAULT_STATS_PORT: u16 = 8404;

/// An environment's `proxy { }` block, defaults filled in. Used only when
/// some component has a route.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proxy {
    /// The `haproxy` service's image; may hold run-time references.
    pub image: Text,
    /// Host port the HTTP frontend is published on.
    pub http_port: u16,
    /// Host port of the stats page (`/stats`) and the Prometheus exporter
    /// (`/metrics`).
    pub stats_port: u16,
    /// Where the runtime API listens.
    pub runtime_api: RuntimeApi,
}

impl Default for Proxy {
    fn default() -> Self {
        Proxy {
            image: Text::literal(DEFAULT_PROXY_IMAGE),
            http_port: DEFAULT_HTTP_PORT,
            stats_port: DEFAULT_STATS_PORT,
            runtime_api: RuntimeApi::UnixSocket,
        }
    }
}

/// Where HAProxy's runtime API (the "stats socket" at `level admin`) listens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RuntimeApi {
    /// A UNIX socket, mode 600, in the environment's state folder (the default).
    UnixSocket,
    /// A TCP socket published on a loopback address of the host only
    /// (`runtime_api = "127.0.0.1:9999"`), for Docker engines in a VM whose
    /// bind mounts cannot carry a UNIX socket.
    Tcp {
        /// A loopback IP address, `127.0.0.0/8` or `::1`.
        address: String,
        port: u16,
    },
}
