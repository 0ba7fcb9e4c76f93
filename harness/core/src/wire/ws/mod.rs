//! WebSocket (RFC 6455) with permessage-deflate (RFC 7692): our frame encoder, which can write
//! anything, and the strict reader of a server's frames.

mod close;
mod corpus;
mod decoder;
mod deflate;
mod error;
mod frame;
mod handshake;
mod message;
mod negotiation;
pub mod opcode;
mod utf8;

pub use close::{close_code_class, encode_close_payload, parse_close_payload, CodeClass};
pub use corpus::{corpus, next_slice, CorpusKind, UnknownCorpus};
pub use decoder::{parse_header, FrameDecoder, FrameEvent};
pub use deflate::{Compressor, Decompressor, OUTPUT_CHUNK};
pub use error::{CloseError, DeflateError, Utf8Error, Violation};
pub use frame::{apply_mask, encode_frame, encode_frame_into, FrameHeader, LengthForm};
pub use handshake::{
    accept_for, base64_decode, base64_encode, hex, key_from_bytes, sha1, Sha1Stream, GUID,
};
pub use message::{FrameRecord, Message, MessageReader, ReaderLimits, WsEvent};
pub use negotiation::{negotiate, offers_header_value, DeflateAgreement, DeflateOffer, EXTENSION};
pub use opcode::{is_control, is_reserved, opcode_name};
pub use utf8::Utf8Validator;
