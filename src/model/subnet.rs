//! An IP network in CIDR notation (`172.28.0.0/16`, `fd00:28::/64`): a
//! declared network's `subnet` and `ip_range`.

use std::fmt;
use std::net::IpAddr;

/// An address and a prefix length whose host bits are zero (the analyser
/// refuses `172.28.0.1/16`, whose bits after the prefix name no other
/// network; Docker 20.10 keeps such a pool as written). IPv4 or IPv6; the
/// prefix is at most 32 or 128 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Subnet {
    /// The network's own address (its first).
    pub address: IpAddr,
    /// The length of the network part, in bits.
    pub prefix: u8,
}

impl Subnet {
    /// The address of family `address`'s with its host bits cleared: the
    /// network `address/prefix` lies in. `None` when `prefix` is longer
    /// than the family's addresses.
    pub fn containing(address: IpAddr, prefix: u8) -> Option<Subnet> {
        let bits = bits(address);
        if u32::from(prefix) > bits {
            return None;
        }
        let network = from_number(address, number(address) & mask(bits, prefix));
        Some(Subnet {
            address: network,
            prefix,
        })
    }

    /// Whether it is an IPv6 network.
    pub fn is_ipv6(&self) -> bool {
        self.address.is_ipv6()
    }

    /// Whether `address` lies in it (an address of the other family never does).
    pub fn contains(&self, address: IpAddr) -> bool {
        self.address.is_ipv6() == address.is_ipv6()
            && number(address) & mask(bits(address), self.prefix) == number(self.address)
    }

    /// Whether `other` lies wholly in it.
    pub fn covers(&self, other: &Subnet) -> bool {
        other.prefix >= self.prefix && self.contains(other.address)
    }

    /// The last address: an IPv4 network's broadcast address.
    pub fn last(&self) -> IpAddr {
        let bits = bits(self.address);
        from_number(
            self.address,
            number(self.address) | !mask(bits, self.prefix) & all(bits),
        )
    }

    /// The first address after the network's own: where Docker puts the
    /// gateway when none is given.
    pub fn first_host(&self) -> IpAddr {
        self.nth(1)
    }

    /// The address `n` places after the network's own (for examples in
    /// messages; past the family's last address it wraps within it).
    pub fn nth(&self, n: u128) -> IpAddr {
        from_number(self.address, number(self.address).wrapping_add(n))
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl serde::Serialize for Subnet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn bits(address: IpAddr) -> u32 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// Every bit of a `bits`-bit address set.
fn all(bits: u32) -> u128 {
    u128::MAX.checked_shr(128 - bits).unwrap_or(0)
}

/// The network part's bits set, of a `bits`-bit address.
fn mask(bits: u32, prefix: u8) -> u128 {
    let host = bits.saturating_sub(u32::from(prefix));
    all(bits) & !all(host)
}

fn number(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The address of `like`'s family numbered `n` (truncated to its width).
fn from_number(like: IpAddr, n: u128) -> IpAddr {
    match like {
        IpAddr::V4(_) => IpAddr::from((n as u32).to_be_bytes()),
        IpAddr::V6(_) => IpAddr::from(n.to_be_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(address: &str, prefix: u8) -> Subnet {
        Subnet::containing(address.parse().unwrap(), prefix).unwrap()
    }

    #[test]
    fn ipv4_bounds() {
        let s = net("172.28.0.0", 16);
        assert_eq!(s.to_string(), "172.28.0.0/16");
        assert_eq!(s.last().to_string(), "172.28.255.255");
        assert_eq!(s.first_host().to_string(), "172.28.0.1");
        assert!(s.contains("172.28.5.9".parse().unwrap()));
        assert!(!s.contains("172.29.0.1".parse().unwrap()));
        assert!(!s.contains("::1".parse().unwrap()));
        assert!(s.covers(&net("172.28.5.0", 24)));
        assert!(!s.covers(&net("172.0.0.0", 8)));
        assert_eq!(net("172.28.0.1", 16), s);
        assert_eq!(net("10.1.2.3", 0).to_string(), "0.0.0.0/0");
        assert_eq!(net("10.1.2.3", 32).last().to_string(), "10.1.2.3");
        assert!(Subnet::containing("10.0.0.0".parse().unwrap(), 33).is_none());
    }

    #[test]
    fn ipv6_bounds() {
        let s = net("fd00:28::", 64);
        assert_eq!(s.to_string(), "fd00:28::/64");
        assert_eq!(s.last().to_string(), "fd00:28::ffff:ffff:ffff:ffff");
        assert!(s.contains("fd00:28::10".parse().unwrap()));
        assert!(!s.contains("fd00:29::10".parse().unwrap()));
        assert_eq!(
            net("fd00::1", 0).last().to_string(),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        );
        assert!(Subnet::containing("::".parse().unwrap(), 129).is_none());
    }
}
