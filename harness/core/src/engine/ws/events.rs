//! Events received from the server and the comparison with expected event lists (Autobahn's
//! `received` against `expected`: exact, ordered).

use crate::model::{WsEventSpec, WsPayload};
use crate::text::display_bytes;
use crate::wire::ws::{hex, Message, Sha1Stream};

/// One recorded event.
#[derive(Clone, Debug)]
pub(crate) enum Received {
    Message(Message),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    Timeout(String),
}

/// An expected payload, reduced to what comparison needs.
#[derive(Clone, Debug)]
pub(crate) struct Fingerprint {
    len: u64,
    /// The bytes when short enough to keep.
    bytes: Option<Vec<u8>>,
    sha1: [u8; 20],
}

impl Fingerprint {
    pub(crate) fn of(payload: &WsPayload, keep: usize) -> Self {
        let len = payload.len();
        let mut sha = Sha1Stream::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut pos = 0u64;
        while pos < len {
            let n = payload.fill(pos, &mut buf);
            sha.update(&buf[..n]);
            pos += n as u64;
        }
        Fingerprint {
            len,
            bytes: (len <= keep as u64).then(|| payload.to_vec()),
            sha1: sha.digest(),
        }
    }

    fn matches(&self, data: &[u8], len: u64, truncated: bool, sha1: &[u8; 20]) -> bool {
        if self.len != len {
            return false;
        }
        match (&self.bytes, truncated) {
            (Some(b), false) => b == data,
            _ => &self.sha1 == sha1,
        }
    }

    fn matches_control(&self, data: &[u8]) -> bool {
        self.bytes.as_deref() == Some(data)
    }
}

/// An expected event with its payload reduced.
#[derive(Clone, Debug)]
pub(crate) enum Want {
    Text(Fingerprint),
    Binary(Fingerprint),
    Ping(Fingerprint),
    Pong(Fingerprint),
    Timeout(String),
}

impl Want {
    pub(crate) fn of(spec: &WsEventSpec, keep: usize) -> Self {
        match spec {
            WsEventSpec::Text(p) => Want::Text(Fingerprint::of(p, keep)),
            WsEventSpec::Binary(p) => Want::Binary(Fingerprint::of(p, keep)),
            WsEventSpec::Ping(p) => Want::Ping(Fingerprint::of(p, keep.max(125))),
            WsEventSpec::Pong(p) => Want::Pong(Fingerprint::of(p, keep.max(125))),
            WsEventSpec::Timeout(t) => Want::Timeout(t.clone()),
        }
    }

    fn matches(&self, got: &Received) -> bool {
        match (self, got) {
            (Want::Text(f), Received::Message(m)) if !m.binary => {
                f.matches(&m.data, m.len, m.truncated, &m.sha1)
            }
            (Want::Binary(f), Received::Message(m)) if m.binary => {
                f.matches(&m.data, m.len, m.truncated, &m.sha1)
            }
            (Want::Ping(f), Received::Ping(p)) | (Want::Pong(f), Received::Pong(p)) => {
                f.matches_control(p)
            }
            (Want::Timeout(a), Received::Timeout(b)) => a == b,
            _ => false,
        }
    }

    pub(crate) fn describe(&self) -> String {
        let fp = |kind: &str, f: &Fingerprint| match &f.bytes {
            Some(b) => format!("{kind} {}", short(b, f.len)),
            None => format!("{kind} {} B sha1={}", f.len, &hex(&f.sha1)[..12]),
        };
        match self {
            Want::Text(f) => fp("text", f),
            Want::Binary(f) => fp("binary", f),
            Want::Ping(f) => fp("ping", f),
            Want::Pong(f) => fp("pong", f),
            Want::Timeout(t) => format!("timeout {t}"),
        }
    }
}

/// True when `got` is exactly `want`, in order.
pub(crate) fn list_matches(want: &[Want], got: &[Received]) -> bool {
    want.len() == got.len() && want.iter().zip(got).all(|(w, g)| w.matches(g))
}

fn short(data: &[u8], len: u64) -> String {
    let cut = &data[..data.len().min(40)];
    let more = if (cut.len() as u64) < len { "…" } else { "" };
    format!("{len} B \"{}{more}\"", display_bytes(cut))
}

impl Received {
    pub(crate) fn describe(&self) -> String {
        match self {
            Received::Message(m) => {
                let kind = if m.binary { "binary" } else { "text" };
                if m.truncated {
                    format!("{kind} {} B sha1={}", m.len, &hex(&m.sha1)[..12])
                } else {
                    format!("{kind} {}", short(&m.data, m.len))
                }
            }
            Received::Ping(p) => format!("ping {}", short(p, p.len() as u64)),
            Received::Pong(p) => format!("pong {}", short(p, p.len() as u64)),
            Received::Timeout(t) => format!("timeout {t}"),
        }
    }
}
