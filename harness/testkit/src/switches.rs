//! The switches: each one breaks exactly one RFC 9110/9112 requirement.

/// One deliberately broken behaviour of [`BrokenServer`](crate::BrokenServer).
///
/// With no switch on, the server is conformant; each switch breaks the one
/// rule named by [`Switch::requirement`] and leaves everything else alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Switch {
    /// Omit the `Date` header field.
    NoDate,
    /// Send `Date` in the obsolete RFC 850 format instead of IMF-fixdate.
    BadDateFormat,
    /// Send the representation on responses to HEAD.
    BodyOnHead,
    /// Send a body (with `Content-Length`) on 304 responses.
    BodyOn304,
    /// Send a `Content-Length` one less than the body on GET /hello.txt.
    ShortContentLength,
    /// Send both `Content-Length` and `Transfer-Encoding: chunked`.
    ClAndTe,
    /// Answer `Connection: close` with `Connection: close` but keep the
    /// connection open.
    IgnoreConnectionClose,
    /// Serve HTTP/1.1 requests that lack `Host`.
    AcceptMissingHost,
    /// Serve requests with more than one `Host` field line.
    AcceptDuplicateHost,
    /// Accept whitespace between a field name and the colon.
    AcceptSpaceBeforeColon,
    /// With differing `Content-Length` values, use the first one.
    AcceptConflictingContentLength,
    /// With both `Transfer-Encoding: chunked` and `Content-Length`, frame
    /// the body by `Content-Length` and keep the connection open.
    AcceptClWithTe,
    /// Send 405 without `Allow`.
    NoAllowOn405,
    /// Never send `100 Continue`; wait for the body instead.
    No100Continue,
    /// End the lines of the response head with a bare LF.
    LfLineEndings,
    /// Answer only the first of several requests that arrived in one read.
    PipelineDrop,
    /// Say `HTTP/1.0` in the status line of responses to HTTP/1.1 requests.
    WrongVersion,
    /// Ignore `Range` and send the full representation with 200.
    IgnoreRange,
    /// Close with a reset (`SO_LINGER` 0) instead of a FIN.
    ResetOnClose,
}

impl Switch {
    /// Every switch, in documentation order.
    pub const ALL: &'static [Switch] = &[
        Switch::NoDate,
        Switch::BadDateFormat,
        Switch::BodyOnHead,
        Switch::BodyOn304,
        Switch::ShortContentLength,
        Switch::ClAndTe,
        Switch::IgnoreConnectionClose,
        Switch::AcceptMissingHost,
        Switch::AcceptDuplicateHost,
        Switch::AcceptSpaceBeforeColon,
        Switch::AcceptConflictingContentLength,
        Switch::AcceptClWithTe,
        Switch::NoAllowOn405,
        Switch::No100Continue,
        Switch::LfLineEndings,
        Switch::PipelineDrop,
        Switch::WrongVersion,
        Switch::IgnoreRange,
        Switch::ResetOnClose,
    ];

    /// The kebab-case name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Switch::NoDate => "no-date",
            Switch::BadDateFormat => "bad-date-format",
            Switch::BodyOnHead => "body-on-head",
            Switch::BodyOn304 => "body-on-304",
            Switch::ShortContentLength => "short-content-length",
            Switch::ClAndTe => "cl-and-te",
            Switch::IgnoreConnectionClose => "ignore-connection-close",
            Switch::AcceptMissingHost => "accept-missing-host",
            Switch::AcceptDuplicateHost => "accept-duplicate-host",
            Switch::AcceptSpaceBeforeColon => "accept-space-before-colon",
            Switch::AcceptConflictingContentLength => "accept-conflicting-content-length",
            Switch::AcceptClWithTe => "accept-cl-with-te",
            Switch::NoAllowOn405 => "no-allow-on-405",
            Switch::No100Continue => "no-100-continue",
            Switch::LfLineEndings => "lf-line-endings",
            Switch::PipelineDrop => "pipeline-drop",
            Switch::WrongVersion => "wrong-version",
            Switch::IgnoreRange => "ignore-range",
            Switch::ResetOnClose => "reset-on-close",
        }
    }

    /// The switch called `name` (as returned by [`Switch::name`]).
    pub fn parse(name: &str) -> Option<Switch> {
        Switch::ALL
            .iter()
            .copied()
            .find(|switch| switch.name() == name)
    }

    /// The RFC section and the one-line rule this switch breaks.
    pub fn requirement(self) -> &'static str {
        match self {
            Switch::NoDate => {
                "RFC 9110 §6.6.1: an origin server with a clock MUST send Date in responses"
            }
            Switch::BadDateFormat => {
                "RFC 9110 §5.6.7: a sender MUST generate HTTP dates in IMF-fixdate format"
            }
            Switch::BodyOnHead => {
                "RFC 9110 §9.3.2, RFC 9112 §6.3: a response to HEAD has no content"
            }
            Switch::BodyOn304 => "RFC 9110 §15.4.5: a 304 response cannot contain content",
            Switch::ShortContentLength => {
                "RFC 9110 §8.6: Content-Length must equal the length of the content sent"
            }
            Switch::ClAndTe => {
                "RFC 9112 §6.2: a sender MUST NOT send Content-Length with Transfer-Encoding"
            }
            Switch::IgnoreConnectionClose => {
                "RFC 9112 §9.6: after sending Connection: close the server MUST close the connection"
            }
            Switch::AcceptMissingHost => {
                "RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host"
            }
            Switch::AcceptDuplicateHost => {
                "RFC 9112 §3.2: a server MUST respond 400 to a request with more than one Host line"
            }
            Switch::AcceptSpaceBeforeColon => {
                "RFC 9112 §5.1: whitespace between field name and colon MUST be rejected with 400"
            }
            Switch::AcceptConflictingContentLength => {
                "RFC 9112 §6.3: differing Content-Length values are unrecoverable framing errors (400)"
            }
            Switch::AcceptClWithTe => {
                "RFC 9112 §6.1: with Transfer-Encoding and Content-Length, frame by chunked (or 400) and close"
            }
            Switch::NoAllowOn405 => "RFC 9110 §15.5.6: a 405 response MUST include Allow",
            Switch::No100Continue => {
                "RFC 9110 §10.1.1: a server MUST answer 100-continue with 100 or a final status before waiting for content"
            }
            Switch::LfLineEndings => {
                "RFC 9112 §2.2: a sender MUST end the start line and field lines with CRLF"
            }
            Switch::PipelineDrop => {
                "RFC 9112 §9.3.2: a server MUST answer pipelined requests, in the order received"
            }
            Switch::WrongVersion => {
                "RFC 9110 §6.2: a server SHOULD send its highest conformant version (HTTP/1.1)"
            }
            Switch::IgnoreRange => {
                "RFC 9110 §14.2: a satisfiable byte Range on a static resource is answered with 206"
            }
            Switch::ResetOnClose => {
                "RFC 9112 §9.6: a server closes gracefully (FIN after the response), not with a reset"
            }
        }
    }
}

/// A set of switches, cheap to copy into every connection task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Switches(u32);

impl Switches {
    /// The set holding `switches`.
    pub(crate) fn new(switches: &[Switch]) -> Switches {
        let bits = switches
            .iter()
            .fold(0, |bits, &switch| bits | Switches::bit(switch));
        Switches(bits)
    }

    /// Whether `switch` is on.
    pub(crate) fn on(self, switch: Switch) -> bool {
        self.0 & Switches::bit(switch) != 0
    }

    /// The bit of `switch`: its index in [`Switch::ALL`].
    fn bit(switch: Switch) -> u32 {
        let index = Switch::ALL
            .iter()
            .position(|&candidate| candidate == switch)
            .unwrap_or(0);
        1 << index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for &switch in Switch::ALL {
            assert_eq!(Switch::parse(switch.name()), Some(switch));
            assert!(switch.requirement().starts_with("RFC 911"));
        }
        let mut names: Vec<_> = Switch::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Switch::ALL.len());
        assert_eq!(Switch::parse("nope"), None);
        // Switches is a u32 bit set.
        assert!(Switch::ALL.len() <= 32);
    }

    #[test]
    fn set_membership() {
        let set = Switches::new(&[Switch::NoDate, Switch::ResetOnClose]);
        assert!(set.on(Switch::NoDate) && set.on(Switch::ResetOnClose));
        assert!(!set.on(Switch::BodyOnHead));
        assert!(!Switches::default().on(Switch::NoDate));
    }
}
