//! Target profiles: what a target serves, so the same case library runs against any server.
//!
//! ```yaml
//! resource:                      # a resource GET answers with 200
//!   path: /hello.txt
//!   body: 'Hello, wirecheck!\n'  # exact body (wirecheck escapes); or `length` + `contains`
//! large: {path: /large.txt, length: 1048576}
//! missing: /no-such-resource     # answered with 404
//! not_allowed: {path: /hello.txt, method: POST}   # answered with 405; `none` if nothing is
//! echo: /echo                    # the echo resource (when the target has the `echo` feature)
//! features: [range, etag, last-modified]
//! ```
//! Every key is optional; a missing key keeps today's convention ([`Profile::default`]). The
//! profile gives every case template variables ([`PROFILE_VARS`], paths with the target's
//! base in front) and features. Parsed like scenarios: a serde mirror denying unknown keys,
//! every error located at `file:line:col`.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::error::ModelError;
use super::load::{check_file_size, yaml_error, LoadOptions};
use crate::text::{decode_escapes, Vars};

/// The template variables a profile provides (see `cases/README.md`, "Target profiles").
pub const PROFILE_VARS: &[&str] = &[
    "resource",
    "resource_body",
    "resource_length",
    "resource_contains",
    "large",
    "large_length",
    "missing",
    "not_allowed",
    "not_allowed_method",
    "echo",
];

/// The feature a profile adds when it knows the resource's exact body (cases comparing a
/// whole body with `{{resource_body}}` require it).
pub const FEATURE_RESOURCE_BODY: &str = "resource-body";
/// The feature a profile adds when it names a resource that answers 405 (cases using
/// `{{not_allowed}}` require it).
pub const FEATURE_NOT_ALLOWED: &str = "not-allowed";

/// What a target serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Path of a resource GET answers with 200.
    pub resource: String,
    /// Its exact body, when known (UTF-8 text: it is inserted into cases as text).
    pub resource_body: Option<String>,
    /// Its length in bytes.
    pub resource_length: u64,
    /// A substring of its body.
    pub resource_contains: String,
    /// Path of a large resource.
    pub large: String,
    /// Its length in bytes.
    pub large_length: u64,
    /// Path of a resource that does not exist (404).
    pub missing: String,
    /// Path and method answered with 405 (Method Not Allowed), when the target has one.
    pub not_allowed: Option<(String, String)>,
    /// Path of the echo resource.
    pub echo: String,
    /// Features the target offers (merged with `--feature`).
    pub features: Vec<String>,
}

impl Default for Profile {
    /// Today's conventions: the docroot of `cases/README.md` ("Targets the library is written
    /// for") and no features.
    fn default() -> Self {
        let body = "Hello, wirecheck!\n".to_string();
        Profile {
            resource: "/hello.txt".into(),
            resource_length: body.len() as u64,
            resource_contains: body.clone(),
            resource_body: Some(body),
            large: "/large.txt".into(),
            large_length: 16 * 65536,
            missing: "/no-such-resource".into(),
            not_allowed: Some(("/hello.txt".into(), "POST".into())),
            echo: "/echo".into(),
            features: Vec::new(),
        }
    }
}

impl Profile {
    /// The template variables, each path with `base` (the target's path prefix) in front.
    pub fn vars(&self, base: &str) -> Vars {
        let path = |p: &str| format!("{base}{p}");
        let (na_path, na_method) = match &self.not_allowed {
            Some((p, m)) => (path(p), m.clone()),
            None => (String::new(), String::new()),
        };
        Vars::from([
            ("resource".to_string(), path(&self.resource)),
            (
                "resource_body".to_string(),
                self.resource_body.clone().unwrap_or_default(),
            ),
            (
                "resource_length".to_string(),
                self.resource_length.to_string(),
            ),
            (
                "resource_contains".to_string(),
                self.resource_contains.clone(),
            ),
            ("large".to_string(), path(&self.large)),
            ("large_length".to_string(), self.large_length.to_string()),
            ("missing".to_string(), path(&self.missing)),
            ("not_allowed".to_string(), na_path),
            ("not_allowed_method".to_string(), na_method),
            ("echo".to_string(), path(&self.echo)),
        ])
    }

    /// The features the profile declares, plus those it implies (`resource-body`,
    /// `not-allowed`).
    pub fn all_features(&self) -> Vec<String> {
        let mut f = self.features.clone();
        if self.resource_body.is_some() {
            f.push(FEATURE_RESOURCE_BODY.into());
        }
        if self.not_allowed.is_some() {
            f.push(FEATURE_NOT_ALLOWED.into());
        }
        f
    }

    /// Parses the text of a profile file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, Vec<ModelError>> {
        let opts = LoadOptions::default();
        check_file_size(file, text.len() as u64, &opts)?;
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim().starts_with('#'))
        {
            return Err(vec![ModelError::at(
                file,
                None,
                1,
                1,
                "the profile is empty: give at least one key (`resource`, `large`, `missing`, `not_allowed`, `echo`, `features`)",
            )]);
        }
        let options = serde_saphyr::options! {
            duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
            strict_booleans: true,
        };
        let raw: RawProfile = serde_saphyr::from_str_with_options(text, options)
            .map_err(|e| vec![yaml_error(file, text, &e, &opts)])?;
        let mut errors = Vec::new();
        let mut err = |(line, col): (u32, u32), message: String| {
            errors.push(ModelError::at(file, Some(text), line, col, message));
        };
        let mut profile = Profile::default();
        if let Some(r) = &raw.resource {
            let v = &r.value;
            profile.resource = path(&v.path, &mut err);
            match (&v.body, &v.length, &v.contains) {
                (Some(body), length, contains) => match decode_escapes(&body.value) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(text) => {
                            if let Some(l) =
                                length.as_ref().filter(|l| l.value != text.len() as u64)
                            {
                                err(
                                    loc(l),
                                    format!(
                                        "`length` is {} but `body` is {} bytes",
                                        l.value,
                                        text.len()
                                    ),
                                );
                            }
                            if let Some(c) = contains.as_ref().filter(|c| !text.contains(&c.value))
                            {
                                err(loc(c), "`contains` is not part of `body`".into());
                            }
                            profile.resource_length = text.len() as u64;
                            profile.resource_contains = text.clone();
                            profile.resource_body = Some(text);
                        }
                        Err(_) => err(
                            loc(body),
                            "`body` must be UTF-8 text once its escapes are decoded".into(),
                        ),
                    },
                    Err(e) => err(loc(body), format!("`body`: {}", e.message)),
                },
                (None, Some(length), Some(contains)) => {
                    if contains.value.is_empty() || contains.value.len() as u64 > length.value {
                        err(loc(contains), "`contains` must be a non-empty part of the body, no longer than `length`".into());
                    }
                    profile.resource_body = None;
                    profile.resource_length = length.value;
                    profile.resource_contains = contains.value.clone();
                }
                _ => err(
                    loc(r),
                    "`resource` needs `body` (the exact body), or `length` and `contains`".into(),
                ),
            }
        }
        if let Some(l) = &raw.large {
            profile.large = path(&l.value.path, &mut err);
            profile.large_length = l.value.length;
        }
        if let Some(m) = &raw.missing {
            profile.missing = path(m, &mut err);
        }
        if let Some(na) = &raw.not_allowed {
            match &na.value {
                RawNotAllowed::Word(w) if w == "none" => profile.not_allowed = None,
                RawNotAllowed::Word(w) => err(
                    loc(na),
                    format!("expected `none` or `{{path, method}}`, got `{w}`"),
                ),
                RawNotAllowed::Resource(r) => {
                    let p = path(&r.path, &mut err);
                    let m = &r.method;
                    let token =
                        |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
                    if m.value.is_empty() || !m.value.bytes().all(token) {
                        err(
                            loc(m),
                            format!("`{}` is not a method (a token, RFC 9110 §9.1)", m.value),
                        );
                    }
                    profile.not_allowed = Some((p, m.value.clone()));
                }
            }
        }
        if let Some(e) = &raw.echo {
            profile.echo = path(e, &mut err);
        }
        for f in &raw.features {
            let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
            if f.value.is_empty() || !f.value.bytes().all(ok) {
                err(
                    loc(f),
                    format!(
                        "feature `{}` must be lowercase letters, digits and `-`",
                        f.value
                    ),
                );
            } else if !profile.features.contains(&f.value) {
                profile.features.push(f.value.clone());
            }
        }
        if errors.is_empty() {
            Ok(profile)
        } else {
            Err(errors)
        }
    }
}

fn loc<T>(s: &Spanned<T>) -> (u32, u32) {
    (s.referenced.line() as u32, s.referenced.column() as u32)
}

/// A path as written, or an error: it must start with `/` and hold no space or control byte
/// (it is written into request lines as it is).
fn path(s: &Spanned<String>, err: &mut dyn FnMut((u32, u32), String)) -> String {
    let p = &s.value;
    if !p.starts_with('/') || p.chars().any(|c| c.is_control() || c == ' ') {
        err(
            loc(s),
            format!("`{p}` is not a path: it must start with `/` and hold no space or control character"),
        );
    }
    p.clone()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    resource: Option<Spanned<RawResource>>,
    large: Option<Spanned<RawLarge>>,
    missing: Option<Spanned<String>>,
    not_allowed: Option<Spanned<RawNotAllowed>>,
    echo: Option<Spanned<String>>,
    #[serde(default)]
    features: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResource {
    path: Spanned<String>,
    body: Option<Spanned<String>>,
    length: Option<Spanned<u64>>,
    contains: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLarge {
    path: Spanned<String>,
    length: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethodPath {
    path: Spanned<String>,
    method: Spanned<String>,
}

/// `not_allowed: none` or `not_allowed: {path, method}`.
enum RawNotAllowed {
    Word(String),
    Resource(RawMethodPath),
}

impl<'de> Deserialize<'de> for RawNotAllowed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawNotAllowed;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`none` or a map `{path, method}`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawNotAllowed, A::Error> {
                RawMethodPath::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawNotAllowed::Resource)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawNotAllowed, E> {
                Ok(RawNotAllowed::Word(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        let errors = Profile::parse("p.yaml", text).expect_err("should fail");
        errors
            .iter()
            .map(|e| format!("{}:{}: {}", e.line, e.col, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn defaults_render_todays_literals() {
        let vars = Profile::default().vars("");
        let get = |k: &str| vars[k].as_str();
        assert_eq!(get("resource"), "/hello.txt");
        assert_eq!(get("resource_body"), "Hello, wirecheck!\n");
        assert_eq!(get("resource_length"), "18");
        assert_eq!(get("resource_contains"), "Hello, wirecheck!\n");
        assert_eq!(get("large"), "/large.txt");
        assert_eq!(get("large_length"), "1048576");
        assert_eq!(get("missing"), "/no-such-resource");
        assert_eq!(get("not_allowed"), "/hello.txt");
        assert_eq!(get("not_allowed_method"), "POST");
        assert_eq!(get("echo"), "/echo");
        let names: Vec<&str> = vars.keys().map(String::as_str).collect();
        let mut expected = PROFILE_VARS.to_vec();
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert!(PROFILE_VARS
            .iter()
            .all(|v| super::super::TARGET_VARS.contains(v)));
        assert_eq!(
            Profile::default().all_features(),
            [FEATURE_RESOURCE_BODY, FEATURE_NOT_ALLOWED]
        );
        assert_eq!(Profile::default().vars("/app")["echo"], "/app/echo");
    }

    #[test]
    fn a_full_profile() {
        let p = Profile::parse(
            "p.yaml",
            "resource: {path: /a.txt, body: 'x\\ty\\n', contains: 'y'}\n\
             large: {path: /big, length: 5000}\n\
             missing: /nope\n\
             not_allowed: {path: /a.txt, method: PUT}\n\
             echo: /mirror\n\
             features: [range, etag, range]\n",
        )
        .unwrap();
        let vars = p.vars("");
        assert_eq!(vars["resource_body"], "x\ty\n");
        assert_eq!(vars["resource_length"], "4");
        assert_eq!(vars["large_length"], "5000");
        assert_eq!(vars["not_allowed_method"], "PUT");
        assert_eq!(vars["echo"], "/mirror");
        assert_eq!(p.features, ["range", "etag"]);
        // Only length and a substring: no exact body, so no `resource-body` feature.
        let p = Profile::parse(
            "p.yaml",
            "resource: {path: /i, length: 116, contains: '<title>'}\nnot_allowed: none\n",
        )
        .unwrap();
        assert_eq!(p.resource_body, None);
        assert_eq!(p.not_allowed, None);
        assert!(p.all_features().is_empty());
        assert_eq!(p.vars("")["resource_contains"], "<title>");
    }

    #[test]
    fn errors_are_located() {
        let unknown = parse_err("resourse: {path: /a}\n");
        assert!(
            unknown.starts_with("1:1: unknown field `resourse`"),
            "{unknown}"
        );
        assert_eq!(
            parse_err("missing: /a\nresource:\n  path: a.txt\n  body: 'x'\n"),
            "3:9: `a.txt` is not a path: it must start with `/` and hold no space or control character"
        );
        assert_eq!(
            parse_err("resource:\n  path: /a\n  body: 'x\\q'\n"),
            format!(
                "3:9: `body`: {}",
                decode_escapes("x\\q").unwrap_err().message
            )
        );
        assert_eq!(
            parse_err("resource: {path: /a, length: 3}\n"),
            "1:11: `resource` needs `body` (the exact body), or `length` and `contains`"
        );
        assert_eq!(
            parse_err("resource: {path: /a, body: abc, length: 4}\n"),
            "1:41: `length` is 4 but `body` is 3 bytes"
        );
        assert_eq!(
            parse_err("not_allowed: nothing\n"),
            "1:14: expected `none` or `{path, method}`, got `nothing`"
        );
        assert_eq!(
            parse_err("not_allowed: {path: /a, method: 'GE T'}\n"),
            "1:33: `GE T` is not a method (a token, RFC 9110 §9.1)"
        );
        assert_eq!(
            parse_err("features: [Range]\n"),
            "1:12: feature `Range` must be lowercase letters, digits and `-`"
        );
        assert!(parse_err("large: {path: /l}\n").contains("missing field `length`"));
        assert!(parse_err("echo: /a\necho: /b\n").contains("duplicate key `echo`"));
        assert!(parse_err("# nothing\n").starts_with("1:1: the profile is empty"));
    }
}
