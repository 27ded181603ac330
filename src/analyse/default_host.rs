//! Where an environment's published ports are reached when `host` is not
//! written: derived from `host_ip`, the address they are bound to, so that
//! the task runner probes (and templates build URLs with) an address the
//! ports are published on.

use std::net::IpAddr;

use crate::model::{Text, TextPart, VarOperator};

/// The loopback address a port bound to every address is reached at.
const LOOPBACK: &str = "127.0.0.1";

/// The `host` of an environment bound to `host_ip` (checked already):
/// `127.0.0.1` without one or for `0.0.0.0`; the address itself when it is
/// one IPv4 address; the same run-time reference when it is one, its
/// default derived likewise (`${BIND_IP:-0.0.0.0}` gives
/// `${BIND_IP:-127.0.0.1}`). `Err` with the `host` to suggest when the
/// address (or the reference's default) is an IPv6 one, which a URL must
/// write in brackets and `127.0.0.1` may not reach.
pub fn default_host(host_ip: Option<&Text>) -> Result<Text, String> {
    let Some(text) = host_ip else {
        return Ok(Text::literal(LOOPBACK));
    };
    match text.parts.as_slice() {
        [TextPart::Literal(address)] => host_of(address).map(Text::literal),
        [TextPart::Variable {
            name,
            operator: Some(operator @ (VarOperator::DefaultIfEmpty | VarOperator::DefaultIfUnset)),
            word,
        }] if !word.contains('$') => Ok(Text {
            parts: vec![TextPart::Variable {
                name: name.clone(),
                operator: Some(*operator),
                word: host_of(word)?,
            }],
        }),
        _ => Ok(text.clone()),
    }
}

/// The host that reaches ports bound to `address`; `Err` with the host to
/// suggest for an IPv6 address.
fn host_of(address: &str) -> Result<String, String> {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) if !v4.is_unspecified() => Ok(v4.to_string()),
        Ok(IpAddr::V6(v6)) if v6.is_unspecified() => Err("[::1]".to_string()),
        Ok(IpAddr::V6(v6)) => Err(format!("[{v6}]")),
        _ => Ok(LOOPBACK.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::default_host;
    use crate::analyse::runtime;

    fn host(host_ip: &str) -> Result<String, String> {
        default_host(Some(&runtime::split(host_ip))).map(|text| text.display())
    }

    #[test]
    fn an_ipv4_address_is_its_own_host_and_every_address_is_loopback() {
        assert_eq!(
            default_host(None).map(|t| t.display()),
            Ok("127.0.0.1".into())
        );
        assert_eq!(host("10.0.0.5"), Ok("10.0.0.5".into()));
        assert_eq!(host("127.0.0.2"), Ok("127.0.0.2".into()));
        assert_eq!(host("0.0.0.0"), Ok("127.0.0.1".into()));
    }

    #[test]
    fn a_run_time_reference_is_followed_with_its_default_derived() {
        assert_eq!(
            host("${BIND_IP:-127.0.0.1}"),
            Ok("${BIND_IP:-127.0.0.1}".into())
        );
        assert_eq!(
            host("${BIND_IP-0.0.0.0}"),
            Ok("${BIND_IP-127.0.0.1}".into())
        );
        assert_eq!(host("${BIND_IP}"), Ok("${BIND_IP}".into()));
        assert_eq!(host("${BIND_IP:?set it}"), Ok("${BIND_IP:?set it}".into()));
    }

    #[test]
    fn an_ipv6_address_needs_an_explicit_host() {
        assert_eq!(host("::1"), Err("[::1]".into()));
        assert_eq!(host("::"), Err("[::1]".into()));
        assert_eq!(host("fd00::5"), Err("[fd00::5]".into()));
        assert_eq!(host("${BIND_IP:-::1}"), Err("[::1]".into()));
    }
}
