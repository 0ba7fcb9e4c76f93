//! Wire codecs. Encoders are ours (a conformance client must be able to send what libraries
//! refuse); decoders read replies strictly and record every leniency they needed.

pub mod http1;
pub mod ws;
