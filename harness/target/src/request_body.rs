//! Reading request content through hyper's body frames.
//!
//! Every route reads (or discards) the request content before answering,
//! so that the connection stays in a known state for the next request in
//! a persistent or pipelined connection (RFC 9112 §9.3).

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt as _;
use hyper::body::{Body as _, Incoming};
use hyper::header::HeaderMap;

/// The largest request content the target accepts: 16 MiB.
pub(crate) const MAX_BODY_LEN: u64 = 16 * 1024 * 1024;

/// Why request content could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// The content is (or declares itself) larger than [`MAX_BODY_LEN`].
    TooLarge,
    /// The framing was invalid or the connection failed mid-body.
    Malformed,
}

/// Request content read in full.
#[derive(Debug, Default)]
pub(crate) struct ReadBody {
    /// The content bytes, with chunked framing removed.
    pub(crate) data: Bytes,
    /// Trailer fields of a chunked body (RFC 9112 §7.1.2), if any.
    pub(crate) trailers: HeaderMap,
}

/// Reads the whole body into memory.
pub(crate) async fn read_to_end(body: Incoming) -> Result<ReadBody, BodyError> {
    let mut data = BytesMut::new();
    let trailers = for_each_frame(body, |chunk| data.extend_from_slice(&chunk)).await?;
    Ok(ReadBody {
        data: data.freeze(),
        trailers,
    })
}

/// Reads the whole body and throws it away.
pub(crate) async fn discard(body: Incoming) -> Result<(), BodyError> {
    for_each_frame(body, drop).await.map(drop)
}

/// Feeds each data frame to `on_data`, enforcing [`MAX_BODY_LEN`], and
/// returns the trailers.
///
/// A declared `Content-Length` above the limit is refused before reading
/// anything, so that a client waiting on `Expect: 100-continue` is not
/// invited to send it (hyper sends `100 Continue` only once the body is
/// polled).
async fn for_each_frame(
    mut body: Incoming,
    mut on_data: impl FnMut(Bytes),
) -> Result<HeaderMap, BodyError> {
    if body.size_hint().lower() > MAX_BODY_LEN {
        return Err(BodyError::TooLarge);
    }
    let mut total: u64 = 0;
    let mut trailers = HeaderMap::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Malformed)?;
        match frame.into_data() {
            Ok(chunk) => {
                total = total.saturating_add(chunk.len() as u64);
                if total > MAX_BODY_LEN {
                    return Err(BodyError::TooLarge);
                }
                on_data(chunk);
            }
            Err(frame) => {
                if let Ok(fields) = frame.into_trailers() {
                    trailers.extend(fields);
                }
            }
        }
    }
    Ok(trailers)
}
