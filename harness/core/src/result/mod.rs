//! The result model: what a run produced, as plain serializable data. The runner builds it;
//! every report format only reads it.

mod case;
mod connection;
mod run;
mod tls;
mod transcript;
mod verdict;
mod websocket;

pub use case::{CaseResult, ExpectedOutcome, Failure, Finding};
pub use connection::{human_us, ConnectionEnd, ConnectionRecord};
pub use run::{RunReport, Summary, SCHEMA_VERSION};
pub use tls::{utc_date, CertFacts, TlsFacts};
pub use transcript::{Direction, Transcript, TranscriptEntry, MAX_ENTRIES};
pub use verdict::Verdict;
pub use websocket::{Behavior, CloseBehavior, WsOutcome};
