//! HTTP/1.1 (RFC 9112): the request encoder and the response decoder.

mod chunked;
mod decoder;
mod error;
mod head;
mod request;
mod request_scan;
mod response;

pub use chunked::{ChunkedDecoder, ChunkedProgress};
pub use decoder::{DecodeLimits, Progress, ResponseDecoder};
pub use error::WireError;
pub use head::Leniency;
pub use request::{encode_request, render_payload};
pub use request_scan::{RequestInfo, RequestScanner};
pub use response::{Framing, Response};
