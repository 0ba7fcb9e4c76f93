//! The closing handshake as a client sees it (RFC 6455 §7.1.2–§7.1.4): who started it,
//! whether it completed, and whether the server then dropped TCP — the facts Autobahn's
//! `behaviorClose` is computed from.

use std::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct Closing {
    /// When we sent our Close, and its code.
    pub(crate) sent: Option<(Duration, Option<u16>)>,
    /// The server's Close: code and reason.
    pub(crate) received: Option<(Option<u16>, Vec<u8>)>,
    /// True when our Close went first.
    first_was_mine: Option<bool>,
    /// Waiting for the server's Close until then.
    pub(crate) reply_deadline: Option<Duration>,
    /// Both Closes exchanged: the server must drop TCP by then.
    pub(crate) drop_deadline: Option<Duration>,
    pub(crate) was_clean: bool,
    pub(crate) not_clean_reason: Option<String>,
    pub(crate) dropped_by_me: bool,
    pub(crate) close_handshake_timeout: bool,
    pub(crate) server_drop_timeout: bool,
}

impl Closing {
    pub(crate) fn started(&self) -> bool {
        self.sent.is_some() || self.received.is_some()
    }

    pub(crate) fn complete(&self) -> bool {
        self.sent.is_some() && self.received.is_some()
    }

    /// Autobahn's `closedByMe`: we sent the first Close. A server that drops TCP without any
    /// Close counts as the server closing.
    pub(crate) fn closed_by_me(&self) -> bool {
        self.first_was_mine.unwrap_or(false)
    }

    pub(crate) fn remote_code(&self) -> Option<u16> {
        self.received.as_ref().and_then(|(c, _)| *c)
    }

    /// The server's Close arrived before we sent one.
    pub(crate) fn server_first(&mut self) {
        if self.first_was_mine.is_none() {
            self.first_was_mine = Some(false);
        }
    }

    pub(crate) fn sent_close(&mut self, now: Duration, code: Option<u16>, timeout: Duration) {
        if self.sent.is_some() {
            return;
        }
        self.sent = Some((now, code));
        if self.first_was_mine.is_none() {
            self.first_was_mine = Some(true);
        }
        if self.received.is_none() {
            self.reply_deadline = Some(now + timeout);
        }
    }

    pub(crate) fn received_close(
        &mut self,
        now: Duration,
        code: Option<u16>,
        reason: Vec<u8>,
        drop_timeout: Duration,
    ) {
        if self.received.is_some() {
            return;
        }
        self.received = Some((code, reason));
        if self.first_was_mine.is_none() {
            self.first_was_mine = Some(false);
        }
        self.reply_deadline = None;
        if self.sent.is_some() {
            // Both Closes are on the wire: the closing handshake is complete.
            self.was_clean = true;
            self.not_clean_reason = None;
            self.drop_deadline = Some(now + drop_timeout);
        }
    }

    pub(crate) fn unclean(&mut self, why: &str) {
        self.was_clean = false;
        if self.not_clean_reason.is_none() {
            self.not_clean_reason = Some(why.to_string());
        }
    }
}
