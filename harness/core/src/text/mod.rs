//! Text helpers shared by the scenario model and the reports: byte-string escapes and
//! `{{variable}}` templates.

mod escape;
mod template;

pub use escape::{decode_escapes, display_bytes, EscapeError};
pub use template::{Template, TemplateError, Vars};
