//! The switches: each one breaks exactly one RFC 9110/9112 requirement, or (the `ws-`
//! switches) one RFC 6455 requirement of the WebSocket endpoint at `/ws`.

/// One deliberately broken behaviour of [`BrokenServer`](crate::BrokenServer).
///
/// With no switch on, the server is conformant; each switch breaks the one
/// rule named by [`Switch::requirement`] and leaves everything else alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Switch {
    /// Omit the `Date` header field. Check S1, RFC 9110 §6.6.1.
    NoDate,
    /// Send `Date` in the obsolete RFC 850 format instead of IMF-fixdate.
    /// Check S1, RFC 9110 §5.6.7.
    BadDateFormat,
    /// Send the representation on responses to HEAD. Check M2, RFC 9110 §9.3.2.
    BodyOnHead,
    /// Send a body (with `Content-Length`) on 304 responses. Check S5, RFC 9110 §15.4.5.
    BodyOn304,
    /// Send a `Content-Length` one less than the body on GET /hello.txt.
    /// Check S4, RFC 9110 §8.6.
    ShortContentLength,
    /// Send both `Content-Length` and `Transfer-Encoding: chunked`. Check S2, RFC 9112 §6.2.
    ClAndTe,
    /// Answer `Connection: close` with `Connection: close` but keep the
    /// connection open. Check K6, RFC 9112 §9.6.
    IgnoreConnectionClose,
    /// Serve HTTP/1.1 requests that lack `Host`. Check H1, RFC 9112 §3.2.
    AcceptMissingHost,
    /// Serve requests with more than one `Host` field line. Checks H2/H3, RFC 9112 §3.2.
    AcceptDuplicateHost,
    /// Accept whitespace between a field name and the colon. Check F1, RFC 9112 §5.1.
    AcceptSpaceBeforeColon,
    /// With differing `Content-Length` values, use the first one. Check B3, RFC 9112 §6.3.
    AcceptConflictingContentLength,
    /// With both `Transfer-Encoding: chunked` and `Content-Length`, frame
    /// the body by `Content-Length` and keep the connection open. Check B5, RFC 9112 §6.1.
    AcceptClWithTe,
    /// Send 405 without `Allow`. Check M5, RFC 9110 §15.5.6.
    NoAllowOn405,
    /// Never send `100 Continue`; wait for the body instead. Check E1, RFC 9110 §10.1.1.
    No100Continue,
    /// End the lines of the response head with a bare LF. Check P11, RFC 9112 §2.2.
    LfLineEndings,
    /// Answer only the first of several requests that arrived in one read.
    /// Check K2, RFC 9112 §9.3.2.
    PipelineDrop,
    /// Say `HTTP/1.0` in the status line of responses to HTTP/1.1 requests.
    /// Check P8, RFC 9110 §6.2.
    WrongVersion,
    /// Ignore `Range` and send the full representation with 200. Check R1, RFC 9110 §14.2.
    IgnoreRange,
    /// Whenever the server closes an HTTP connection (after `Connection: close`, an
    /// HTTP/1.0 response, or an error response), close with a reset (`SO_LINGER` 0)
    /// instead of a FIN. Check K8, RFC 9112 §9.6 (the staged close).
    ResetOnClose,
    /// When the client half-closes (shuts down its write side) right after a complete
    /// request, drop the request and close without answering. RFC 9112 §9.6: a
    /// half-close is the first stage of a graceful close, not an abort; the other
    /// direction still carries the response. (No §5 check id.)
    DropOnHalfClose,
    /// Accept an obs-fold continuation line and keep the line break in the field
    /// value instead of rejecting it or replacing it with SP. Check F2, RFC 9112 §5.2.
    AcceptObsFold,
    /// Accept a bare CR inside a field line and keep it in the value (neither 400
    /// nor replaced by SP). Check P3, RFC 9112 §2.2.
    AcceptBareCr,
    /// Accept NUL in a field value and keep it. Check F3, RFC 9110 §5.5.
    AcceptNulInValue,
    /// Treat method names case-insensitively: `get` is served as GET.
    /// Check T11, RFC 9110 §9.1.
    CaseInsensitiveMethod,
    /// Parse `Content-Length` like `strtoll(value, NULL, 0)`: a sign, `0x`, and the
    /// longest numeric prefix are accepted, anything else is 0. Check B1, RFC 9112 §6.3.
    LenientContentLength,
    /// After rejecting a request for its framing (bad or conflicting Content-Length,
    /// Transfer-Encoding problems), answer 400 without `Connection: close`, forget the
    /// buffered bytes and keep reading requests. Check K7, RFC 9112 §6.3.
    KeepOpenAfterFramingError,
    /// Send `100 Continue` to HTTP/1.0 requests with `Expect: 100-continue`.
    /// Check E5, RFC 9110 §15.2.
    ContinueToHttp10,
    /// Send `Content-Length: 0` on `100 Continue`. Check S2, RFC 9110 §8.6.
    ContentLengthOn1xx,
    /// Send `Content-Range` with an exclusive last position (`bytes 0-5/18` for
    /// `bytes=0-4`). Check R1, RFC 9110 §14.4.
    WrongContentRange,
    /// Honour `Range` whatever its range unit, as if it said `bytes`.
    /// Check R4, RFC 9110 §14.2.
    RangeAnyUnit,
    /// Treat `If-None-Match: *` as matching nothing. Check N3, RFC 9110 §13.1.2.
    IgnoreIfNoneMatchStar,
    /// Omit `Date` on 4xx and 5xx responses. Check S1, RFC 9110 §6.6.1.
    NoDateOnError,
    /// Ignore `Content-Length` on GET and HEAD: their content is read as the next
    /// request. Check B14, RFC 9112 §6.3.
    GetBodyAsNextRequest,
    /// Recognise `Connection: close` only when the value is exactly `close`, not as a
    /// member of a list. Check F9, RFC 9110 §5.6.1.2.
    CloseOnlyExact,
    /// Ignore `If-Match`. Check N10, RFC 9110 §13.1.1.
    IgnoreIfMatch,
    /// Evaluate `If-None-Match` before looking the resource up: `If-None-Match: *` on
    /// a missing resource gets 304 instead of 404. Check N12, RFC 9110 §13.2.1.
    PreconditionsOn404,
    /// WebSocket: accept unmasked client frames instead of failing the connection.
    WsAcceptUnmasked,
    /// WebSocket: send a wrong `Sec-WebSocket-Accept` in the 101.
    WsWrongAccept,
    /// WebSocket: echo text messages without checking that they are UTF-8.
    WsNoUtf8Check,
    /// WebSocket: check UTF-8 only once a text message is complete, not as its bytes arrive.
    WsLateUtf8,
    /// WebSocket: ignore pings instead of answering them with pongs.
    WsNoPong,
    /// WebSocket: mask the frames the server sends.
    WsMaskedFrames,
    /// WebSocket: never answer a Close frame; just wait.
    WsNoCloseReply,
    /// WebSocket: after the closing handshake, leave the TCP connection open.
    WsKeepTcp,
    /// WebSocket: accept frames with RSV bits that no extension defines.
    WsIgnoreRsv,
    /// WebSocket: skip frames with reserved opcodes instead of failing the connection.
    WsIgnoreOpcode,
    /// WebSocket: answer a Close frame with a Close carrying code 1005.
    WsBadCloseCode,
    /// WebSocket: omit `Upgrade: websocket` from the 101.
    WsNoUpgradeHeader,
    /// WebSocket: answer `Sec-WebSocket-Protocol: chat` even when the client offered no
    /// subprotocol the server supports (or none at all).
    WsUnofferedProtocol,
    /// WebSocket: accept `Sec-WebSocket-Version: 8` with a 101 instead of 426.
    WsAcceptBadVersion,
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
        Switch::DropOnHalfClose,
        Switch::AcceptObsFold,
        Switch::AcceptBareCr,
        Switch::AcceptNulInValue,
        Switch::CaseInsensitiveMethod,
        Switch::LenientContentLength,
        Switch::KeepOpenAfterFramingError,
        Switch::ContinueToHttp10,
        Switch::ContentLengthOn1xx,
        Switch::WrongContentRange,
        Switch::RangeAnyUnit,
        Switch::IgnoreIfNoneMatchStar,
        Switch::NoDateOnError,
        Switch::GetBodyAsNextRequest,
        Switch::CloseOnlyExact,
        Switch::IgnoreIfMatch,
        Switch::PreconditionsOn404,
        Switch::WsAcceptUnmasked,
        Switch::WsWrongAccept,
        Switch::WsNoUtf8Check,
        Switch::WsLateUtf8,
        Switch::WsNoPong,
        Switch::WsMaskedFrames,
        Switch::WsNoCloseReply,
        Switch::WsKeepTcp,
        Switch::WsIgnoreRsv,
        Switch::WsIgnoreOpcode,
        Switch::WsBadCloseCode,
        Switch::WsNoUpgradeHeader,
        Switch::WsUnofferedProtocol,
        Switch::WsAcceptBadVersion,
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
            Switch::DropOnHalfClose => "drop-on-half-close",
            Switch::AcceptObsFold => "accept-obs-fold",
            Switch::AcceptBareCr => "accept-bare-cr",
            Switch::AcceptNulInValue => "accept-nul-in-value",
            Switch::CaseInsensitiveMethod => "case-insensitive-method",
            Switch::LenientContentLength => "lenient-content-length",
            Switch::KeepOpenAfterFramingError => "keep-open-after-framing-error",
            Switch::ContinueToHttp10 => "continue-to-http10",
            Switch::ContentLengthOn1xx => "content-length-on-1xx",
            Switch::WrongContentRange => "wrong-content-range",
            Switch::RangeAnyUnit => "range-any-unit",
            Switch::IgnoreIfNoneMatchStar => "ignore-if-none-match-star",
            Switch::NoDateOnError => "no-date-on-error",
            Switch::GetBodyAsNextRequest => "get-body-as-next-request",
            Switch::CloseOnlyExact => "close-only-exact",
            Switch::IgnoreIfMatch => "ignore-if-match",
            Switch::PreconditionsOn404 => "preconditions-on-404",
            Switch::WsAcceptUnmasked => "ws-accept-unmasked",
            Switch::WsWrongAccept => "ws-wrong-accept",
            Switch::WsNoUtf8Check => "ws-no-utf8-check",
            Switch::WsLateUtf8 => "ws-late-utf8",
            Switch::WsNoPong => "ws-no-pong",
            Switch::WsMaskedFrames => "ws-masked-frames",
            Switch::WsNoCloseReply => "ws-no-close-reply",
            Switch::WsKeepTcp => "ws-keep-tcp",
            Switch::WsIgnoreRsv => "ws-ignore-rsv",
            Switch::WsIgnoreOpcode => "ws-ignore-opcode",
            Switch::WsBadCloseCode => "ws-bad-close-code",
            Switch::WsNoUpgradeHeader => "ws-no-upgrade-header",
            Switch::WsUnofferedProtocol => "ws-unoffered-protocol",
            Switch::WsAcceptBadVersion => "ws-accept-bad-version",
        }
    }

    /// The switch called `name` (as returned by [`Switch::name`]).
    pub fn parse(name: &str) -> Option<Switch> {
        Switch::ALL
            .iter()
            .copied()
            .find(|switch| switch.name() == name)
    }

    /// The check id of `shared/reference/http1-requirements.md` (§5 for HTTP, §6 for
    /// the WebSocket handshake) that this switch breaks, if the checklist has one.
    pub fn check(self) -> Option<&'static str> {
        match self {
            Switch::NoDate => Some("S1"),
            Switch::BadDateFormat => Some("S1"),
            Switch::BodyOnHead => Some("M2"),
            Switch::BodyOn304 => Some("S5"),
            Switch::ShortContentLength => Some("S4"),
            Switch::ClAndTe => Some("S2"),
            Switch::IgnoreConnectionClose => Some("K6"),
            Switch::AcceptMissingHost => Some("H1"),
            Switch::AcceptDuplicateHost => Some("H2"),
            Switch::AcceptSpaceBeforeColon => Some("F1"),
            Switch::AcceptConflictingContentLength => Some("B3"),
            Switch::AcceptClWithTe => Some("B5"),
            Switch::NoAllowOn405 => Some("M5"),
            Switch::No100Continue => Some("E1"),
            Switch::LfLineEndings => Some("P11"),
            Switch::PipelineDrop => Some("K2"),
            Switch::WrongVersion => Some("P8"),
            Switch::IgnoreRange => Some("R1"),
            Switch::ResetOnClose => Some("K8"),
            Switch::AcceptObsFold => Some("F2"),
            Switch::AcceptBareCr => Some("P3"),
            Switch::AcceptNulInValue => Some("F3"),
            Switch::CaseInsensitiveMethod => Some("T11"),
            Switch::LenientContentLength => Some("B1"),
            Switch::KeepOpenAfterFramingError => Some("K7"),
            Switch::ContinueToHttp10 => Some("E5"),
            Switch::ContentLengthOn1xx => Some("S2"),
            Switch::WrongContentRange => Some("R1"),
            Switch::RangeAnyUnit => Some("R4"),
            Switch::IgnoreIfNoneMatchStar => Some("N3"),
            Switch::NoDateOnError => Some("S1"),
            Switch::GetBodyAsNextRequest => Some("B14"),
            Switch::CloseOnlyExact => Some("F9"),
            Switch::IgnoreIfMatch => Some("N10"),
            Switch::PreconditionsOn404 => Some("N12"),
            Switch::WsAcceptUnmasked => Some("W13"),
            Switch::WsWrongAccept => Some("W1"),
            Switch::WsMaskedFrames => Some("W14"),
            Switch::WsIgnoreRsv => Some("W15"),
            Switch::WsIgnoreOpcode => Some("W15"),
            Switch::WsNoUpgradeHeader => Some("W1"),
            Switch::WsUnofferedProtocol => Some("W10"),
            Switch::WsAcceptBadVersion => Some("W6"),
            Switch::DropOnHalfClose
            | Switch::WsNoUtf8Check
            | Switch::WsLateUtf8
            | Switch::WsNoPong
            | Switch::WsNoCloseReply
            | Switch::WsKeepTcp
            | Switch::WsBadCloseCode => None,
        }
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
            Switch::DropOnHalfClose => "RFC 9112 §9.6: a client's half-close after a complete request is not an abort; the response is still sent",
            Switch::AcceptObsFold => "RFC 9112 §5.2: a server MUST reject obs-fold with 400 or replace it with SP before interpreting the value",
            Switch::AcceptBareCr => "RFC 9112 §2.2: a bare CR MUST be treated as invalid or replaced with SP before processing",
            Switch::AcceptNulInValue => "RFC 9110 §5.5: a field value with NUL MUST be rejected or the NUL replaced with SP",
            Switch::CaseInsensitiveMethod => "RFC 9110 §9.1: the method token is case-sensitive; `get` is not GET",
            Switch::LenientContentLength => "RFC 9112 §6.3: a Content-Length that is not 1*DIGIT is an unrecoverable error (400 and close)",
            Switch::KeepOpenAfterFramingError => "RFC 9112 §6.3: after an invalid message framing the server MUST close the connection",
            Switch::ContinueToHttp10 => "RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client",
            Switch::ContentLengthOn1xx => "RFC 9110 §8.6: a server MUST NOT send Content-Length in a 1xx (Informational) response",
            Switch::WrongContentRange => "RFC 9110 §14.4: Content-Range of a 206 names the inclusive first and last positions sent",
            Switch::RangeAnyUnit => "RFC 9110 §14.2: a server MUST ignore a Range with a range unit it does not understand",
            Switch::IgnoreIfNoneMatchStar => "RFC 9110 §13.1.2: If-None-Match `*` is false only when no current representation exists",
            Switch::NoDateOnError => "RFC 9110 §6.6.1: an origin server with a clock MUST send Date in 4xx and 5xx responses too",
            Switch::GetBodyAsNextRequest => "RFC 9112 §6.3: Content-Length delimits the content of any request, GET and HEAD included",
            Switch::CloseOnlyExact => "RFC 9110 §5.6.1.2: a list with empty members (`Connection: , close`) is parsed element by element",
            Switch::IgnoreIfMatch => "RFC 9110 §13.1.1: a false If-Match MUST NOT perform the method (412)",
            Switch::PreconditionsOn404 => "RFC 9110 §13.2.1: preconditions are ignored when the response would be 404 without them",
            Switch::WsAcceptUnmasked => {
                "RFC 6455 §5.1: a server MUST close the connection upon receiving an unmasked frame"
            }
            Switch::WsWrongAccept => {
                "RFC 6455 §4.2.2: Sec-WebSocket-Accept is base64(SHA-1(key + the RFC's GUID))"
            }
            Switch::WsNoUtf8Check => {
                "RFC 6455 §8.1: a text message that is not valid UTF-8 MUST fail the connection (1007)"
            }
            Switch::WsLateUtf8 => {
                "RFC 6455 §8.1, §5.6: invalid UTF-8 fails the connection as soon as it arrives (fail fast)"
            }
            Switch::WsNoPong => {
                "RFC 6455 §5.5.2: on receipt of a Ping an endpoint MUST send a Pong in response"
            }
            Switch::WsMaskedFrames => {
                "RFC 6455 §5.1: a server MUST NOT mask any frames that it sends to the client"
            }
            Switch::WsNoCloseReply => {
                "RFC 6455 §5.5.1: an endpoint that receives a Close MUST send a Close in response"
            }
            Switch::WsKeepTcp => {
                "RFC 6455 §7.1.1: after the closing handshake the server SHOULD close the TCP connection first"
            }
            Switch::WsIgnoreRsv => {
                "RFC 6455 §5.2: a nonzero RSV bit no extension defines MUST fail the connection"
            }
            Switch::WsIgnoreOpcode => {
                "RFC 6455 §5.2: a reserved opcode MUST fail the connection"
            }
            Switch::WsBadCloseCode => {
                "RFC 6455 §7.4.1: 1005 MUST NOT be set as the status code of a Close frame"
            }
            Switch::WsNoUpgradeHeader => {
                "RFC 6455 §4.2.2: the 101 response MUST carry Upgrade: websocket"
            }
            Switch::WsUnofferedProtocol => {
                "RFC 6455 §4.2.2: Sec-WebSocket-Protocol in the 101 names one of the client's offers, or is absent"
            }
            Switch::WsAcceptBadVersion => {
                "RFC 6455 §4.2.2, §4.4: a version other than 13 is answered with 426 and Sec-WebSocket-Version: 13"
            }
        }
    }
}

/// A set of switches, cheap to copy into every connection task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Switches(u64);

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
    fn bit(switch: Switch) -> u64 {
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
            let rfc = if switch.name().starts_with("ws-") {
                "RFC 6455 §"
            } else {
                "RFC 911"
            };
            assert!(switch.requirement().starts_with(rfc), "{}", switch.name());
        }
        let mut names: Vec<_> = Switch::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Switch::ALL.len());
        assert_eq!(Switch::parse("nope"), None);
        // Switches is a u64 bit set.
        assert!(Switch::ALL.len() <= 64);
    }

    #[test]
    fn set_membership() {
        let set = Switches::new(&[Switch::NoDate, Switch::ResetOnClose]);
        assert!(set.on(Switch::NoDate) && set.on(Switch::ResetOnClose));
        assert!(!set.on(Switch::BodyOnHead));
        assert!(!Switches::default().on(Switch::NoDate));
    }
}
