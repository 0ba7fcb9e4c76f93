//! The target URL and the template variables it provides.

use std::fmt;

use wirecheck_core::model::Profile;
use wirecheck_core::text::Vars;

/// A parsed `http[s]://host:port[/base]` or `ws[s]://host:port[/path]` target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetUrl {
    /// `http`, `https`, `ws` or `wss`.
    pub scheme: String,
    /// Host name or IP literal (without brackets).
    pub host: String,
    /// Port.
    pub port: u16,
    /// Path prefix without a trailing slash ("" for none).
    pub base: String,
    /// The path as written ("/" for none): where WebSocket handshakes go.
    pub path: String,
}

/// A target URL that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetError(pub String);

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TargetError {}

impl TargetUrl {
    /// Parses `http://host[:port][/base]`.
    pub fn parse(url: &str) -> Result<Self, TargetError> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            TargetError(format!(
                "target `{url}` needs a scheme, e.g. http://127.0.0.1:8080"
            ))
        })?;
        let scheme = scheme.to_ascii_lowercase();
        // ws:// is the same TCP connection as http://, and wss:// as https://; the scheme
        // only names the protocol the cases speak after connecting.
        let default_port = match scheme.as_str() {
            "http" | "ws" => 80,
            "https" | "wss" => 443,
            other => {
                return Err(TargetError(format!(
                    "unknown scheme `{other}` (use http://, https://, ws:// or wss://)"
                )))
            }
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(TargetError(format!("target `{url}` has no usable host")));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| TargetError(format!("unclosed `[` in `{url}`")))?;
            let port = match after.strip_prefix(':') {
                Some(p) => parse_port(p, url)?,
                None if after.is_empty() => default_port,
                None => {
                    return Err(TargetError(format!(
                        "unexpected `{after}` after the IPv6 address in `{url}`"
                    )))
                }
            };
            (h.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), parse_port(p, url)?),
                None => (authority.to_string(), default_port),
            }
        };
        if path.contains(['?', '#']) {
            return Err(TargetError(format!(
                "target `{url}` may not have a query or fragment"
            )));
        }
        Ok(TargetUrl {
            scheme,
            host,
            port,
            base: path.trim_end_matches('/').to_string(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
        })
    }

    /// Whether connections are TLS (`https://`, `wss://`).
    pub fn is_tls(&self) -> bool {
        matches!(self.scheme.as_str(), "https" | "wss")
    }

    /// Whether the target's scheme provides feature `name`: `tls` on `https://` and `wss://`,
    /// `plain` on `http://` and `ws://` (cases about TLS, or about a TLS ClientHello sent to a
    /// plaintext port, need one or the other).
    pub fn offers(&self, name: &str) -> bool {
        match name {
            "tls" => self.is_tls(),
            "plain" => !self.is_tls(),
            _ => false,
        }
    }

    /// `host:port`, bracketing IPv6 literals.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The variables every case can use.
    pub fn vars(&self) -> Vars {
        Vars::from([
            ("scheme".to_string(), self.scheme.clone()),
            ("host".to_string(), self.host.clone()),
            ("port".to_string(), self.port.to_string()),
            ("authority".to_string(), self.authority()),
            ("base".to_string(), self.base.clone()),
            ("path".to_string(), self.path.clone()),
        ])
    }
}

impl TargetUrl {
    /// [`TargetUrl::vars`] and the profile's variables (its paths under this target's base).
    pub fn vars_with(&self, profile: &Profile) -> Vars {
        let mut vars = self.vars();
        vars.extend(profile.vars(&self.base));
        vars
    }
}

impl fmt::Display for TargetUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority(), self.base)
    }
}

fn parse_port(p: &str, url: &str) -> Result<u16, TargetError> {
    p.parse::<u16>()
        .ok()
        .filter(|&p| p > 0)
        .ok_or_else(|| TargetError(format!("bad port `{p}` in `{url}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets() {
        let t = TargetUrl::parse("http://127.0.0.1:8080/app/").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.base.as_str()),
            ("127.0.0.1", 8080, "/app")
        );
        assert_eq!(t.vars()["authority"], "127.0.0.1:8080");
        let t = TargetUrl::parse("http://[::1]:81").unwrap();
        assert_eq!(t.authority(), "[::1]:81");
        assert_eq!(TargetUrl::parse("http://localhost").unwrap().port, 80);
        assert!(TargetUrl::parse("localhost:80").is_err());
        assert!(TargetUrl::parse("http://h:0").is_err());
        assert!(TargetUrl::parse("ftp://h").is_err());
        let t = TargetUrl::parse("https://localhost:8443/app").unwrap();
        assert!(t.is_tls());
        assert_eq!((t.port, t.base.as_str()), (8443, "/app"));
        assert_eq!(TargetUrl::parse("wss://h").unwrap().port, 443);
        assert!(!TargetUrl::parse("ws://h").unwrap().is_tls());
        let t = TargetUrl::parse("ws://127.0.0.1:9001/echo").unwrap();
        assert_eq!((t.path.as_str(), t.port), ("/echo", 9001));
        assert_eq!(TargetUrl::parse("ws://h:1").unwrap().vars()["path"], "/");
    }
}
