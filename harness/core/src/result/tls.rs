//! What a TLS handshake established, as the runner observed it: recorded in the transcript and
//! the case result, and checked by `expect_tls` and the certificate rules.

use serde::{Deserialize, Serialize};

/// The facts of one established TLS session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsFacts {
    /// Negotiated protocol version, e.g. `TLSv1.3`.
    pub version: String,
    /// Negotiated cipher suite, e.g. `TLS13_AES_128_GCM_SHA256`.
    pub cipher_suite: String,
    /// The ALPN protocol the server selected, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpn: Option<String>,
    /// The server name sent in SNI, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// Whether the client presented a certificate.
    #[serde(default)]
    pub client_certificate: bool,
    /// The server's end-entity certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertFacts>,
}

/// The parts of a certificate a reader of a report needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertFacts {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Start of validity, seconds since the Unix epoch.
    pub not_before: i64,
    /// End of validity, seconds since the Unix epoch.
    pub not_after: i64,
    /// Subject alternative names: `DNS:name` and `IP:address`.
    #[serde(default)]
    pub sans: Vec<String>,
}

impl TlsFacts {
    /// One transcript line.
    pub fn describe(&self) -> String {
        let mut s = format!("TLS established: {}, {}", self.version, self.cipher_suite);
        match &self.alpn {
            Some(p) => s.push_str(&format!(", ALPN {p}")),
            None => s.push_str(", no ALPN"),
        }
        if let Some(sni) = &self.sni {
            s.push_str(&format!(", SNI {sni}"));
        }
        if self.client_certificate {
            s.push_str(", client certificate sent");
        }
        if let Some(c) = &self.certificate {
            s.push_str(&format!(
                "; certificate subject `{}`, issuer `{}`, valid {} to {}, SANs [{}]",
                c.subject,
                c.issuer,
                httpdate_or_raw(c.not_before),
                httpdate_or_raw(c.not_after),
                c.sans.join(", ")
            ));
        }
        s
    }
}

impl CertFacts {
    /// Whether a SAN covers `host` (a DNS name, with one leading `*.` wildcard label as in
    /// RFC 6125 §6.4.3, or an IP literal).
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let is_ip = host.parse::<std::net::IpAddr>().is_ok();
        self.sans.iter().any(|san| {
            if let Some(ip) = san.strip_prefix("IP:") {
                is_ip && ip.parse::<std::net::IpAddr>().ok() == host.parse().ok()
            } else if let Some(dns) = san.strip_prefix("DNS:") {
                !is_ip && dns_matches(dns, host)
            } else {
                false
            }
        })
    }
}

fn dns_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    let host = host.trim_end_matches('.');
    match pattern.strip_prefix("*.") {
        Some(rest) => host
            .split_once('.')
            .is_some_and(|(label, tail)| !label.is_empty() && tail == rest),
        None => pattern.trim_end_matches('.') == host,
    }
}

/// `2026-11-21` style date for a Unix time (UTC), without a clock or a date library.
pub fn utc_date(secs: i64) -> String {
    // Days to civil date (Howard Hinnant's algorithm).
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

fn httpdate_or_raw(secs: i64) -> String {
    utc_date(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14");
        assert_eq!(utc_date(-86_400), "1969-12-31");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
    }

    #[test]
    fn san_matching() {
        let c = CertFacts {
            sans: vec![
                "DNS:localhost".into(),
                "IP:127.0.0.1".into(),
                "DNS:*.example.com".into(),
            ],
            ..CertFacts::default()
        };
        assert!(c.covers("localhost"));
        assert!(c.covers("LOCALHOST."));
        assert!(c.covers("127.0.0.1"));
        assert!(!c.covers("127.0.0.2"));
        assert!(c.covers("a.example.com"));
        assert!(!c.covers("example.com"));
        assert!(!c.covers("a.b.example.com"));
        assert!(!c.covers("::1"));
    }
}
