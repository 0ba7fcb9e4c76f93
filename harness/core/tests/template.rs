//! Property tests of the `{{name}}` template renderer: arbitrary template text never panics;
//! templates built from literal text and known variables parse, and render (directly, or after
//! binding some of the variables) to the concatenation of their pieces; a reference to an
//! unknown variable is an error at the offset of its `{{`.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use wirecheck_core::text::{Template, Vars};

/// Failing seeds go to `harness/core/proptest-regressions/tests/template.txt` (committed).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/tests/template.txt"
        ))));
    }
    config
}

/// Text made of the template language's own characters, to reach every error path.
fn template_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "{{",
                "}}",
                "{",
                "}",
                "{{{",
                "}}}",
                "\\",
                "\\x",
                "\\x7b",
                "\\x7B",
                "\\xg",
                "\\r",
                "\\n",
                "\\t",
                "\\0",
                "\\\\",
                "\\q",
                "x",
                "_",
                "host",
                "9",
                " ",
                "\t",
                "é",
                "€",
                "\u{1F600}",
                "\n",
            ])
            .prop_map(str::to_string),
            ".{0,3}",
        ],
        0..30,
    )
    .prop_map(|parts| parts.concat())
}

fn var_name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,8}"
}

/// One piece of a generated template.
#[derive(Clone, Debug)]
enum Piece {
    /// Literal bytes; with escapes any octet, without them valid UTF-8.
    Lit(Vec<u8>),
    /// A variable reference, with the whitespace written inside the braces.
    Var {
        name: String,
        pad_left: String,
        pad_right: String,
    },
}

fn piece(escapes: bool) -> impl Strategy<Value = Piece> {
    let lit = if escapes {
        prop::collection::vec(any::<u8>(), 0..12).boxed()
    } else {
        ".{0,12}".prop_map(String::into_bytes).boxed()
    };
    prop_oneof![
        lit.prop_map(Piece::Lit),
        (var_name(), "[ ]{0,2}", "[ ]{0,2}").prop_map(|(name, pad_left, pad_right)| Piece::Var {
            name,
            pad_left,
            pad_right
        }),
    ]
}

/// Writes literal bytes in the payload escape language, choosing among equivalent spellings
/// with `choice`.
fn escape_literal(bytes: &[u8], choice: u64) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let pick = (choice >> (i % 60)) & 1 == 1;
        // Keep runs of valid UTF-8 as characters, escaping only what must be.
        let valid = match std::str::from_utf8(&bytes[i..]) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[i..i + e.valid_up_to()]).unwrap(),
        };
        if let Some(c) = valid.chars().next() {
            match c {
                '\\' => out.push_str("\\\\"),
                // `{` is only dangerous next to another brace; escape it always or never
                // depending on the choice, and always when it could form `{{`.
                '{' => out.push_str(if pick { "\\x7b" } else { "\\x7B" }),
                '\r' => out.push_str("\\r"),
                '\n' => out.push_str("\\n"),
                '\0' => out.push_str("\\0"),
                '\t' if pick => out.push_str("\\t"),
                c => out.push(c),
            }
            i += c.len_utf8();
        } else {
            if pick {
                out.push_str(&format!("\\x{:02x}", bytes[i]));
            } else {
                out.push_str(&format!("\\x{:02X}", bytes[i]));
            }
            i += 1;
        }
    }
    out
}

/// Without escapes, literal text cannot contain `{{`, nor end in `{` before a variable (the
/// reference would start one brace early); such braces become `(`.
fn plain_literal(bytes: &[u8]) -> String {
    let s = String::from_utf8(bytes.to_vec()).expect("generated as text");
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == '{' && chars.get(i + 1).is_none_or(|&n| n == '{') {
                '('
            } else {
                c
            }
        })
        .collect()
}

/// Builds the template source and the bytes it must render to; literal pieces next to each
/// other are merged first, so escaping sees the whole run.
fn build(pieces: &[Piece], escapes: bool, vars: &Vars, choice: u64) -> (String, Vec<u8>) {
    let mut merged: Vec<Piece> = Vec::new();
    for p in pieces {
        match (merged.last_mut(), p) {
            (Some(Piece::Lit(prev)), Piece::Lit(next)) => prev.extend_from_slice(next),
            _ => merged.push(p.clone()),
        }
    }
    let mut source = String::new();
    let mut expected = Vec::new();
    for p in &merged {
        match p {
            Piece::Lit(bytes) => {
                if escapes {
                    source.push_str(&escape_literal(bytes, choice));
                    expected.extend_from_slice(bytes);
                } else {
                    let text = plain_literal(bytes);
                    source.push_str(&text);
                    expected.extend_from_slice(text.as_bytes());
                }
            }
            Piece::Var {
                name,
                pad_left,
                pad_right,
            } => {
                source.push_str(&format!("{{{{{pad_left}{name}{pad_right}}}}}"));
                expected.extend_from_slice(vars[name].as_bytes());
            }
        }
    }
    (source, expected)
}

fn names(pieces: &[Piece]) -> BTreeSet<String> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Var { name, .. } => Some(name.clone()),
            Piece::Lit(_) => None,
        })
        .collect()
}

/// Values for `names`: any text, including template syntax (values are never re-parsed).
fn values_for(names: &BTreeSet<String>, seed: &[String]) -> Vars {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let v = seed.get(i % seed.len().max(1)).cloned().unwrap_or_default();
            (n.clone(), format!("{v}{i}"))
        })
        .collect()
}

fn pieces_and_mode() -> impl Strategy<Value = (bool, Vec<Piece>)> {
    any::<bool>()
        .prop_flat_map(|escapes| (Just(escapes), prop::collection::vec(piece(escapes), 0..10)))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(
        text in prop_oneof![".{0,200}", template_like()],
        escapes in any::<bool>(),
        known_all in any::<bool>(),
        value in ".{0,10}",
    ) {
        let known = |n: &str| known_all || n == "host";
        if let Ok(t) = Template::parse(&text, escapes, &known) {
            let vars = Vars::from([("host".to_string(), value.clone())]);
            let rendered = t.render(&vars);
            prop_assert_eq!(t.bind(&vars).render(&Vars::new()), rendered.clone());
            let _ = t.render_text(&vars);
            if let Some(n) = t.literal_len() {
                prop_assert_eq!(n, t.render(&Vars::new()).len());
            }
            // Without escapes and `{{`, the text is its own rendering.
            if !escapes && !text.contains("{{") {
                prop_assert_eq!(rendered, text.into_bytes());
            }
        }
    }

    #[test]
    fn literals_and_known_variables_render_to_their_concatenation(
        (escapes, pieces) in pieces_and_mode(),
        values in prop::collection::vec(prop_oneof![".{0,8}", Just("{{x}}".to_string()), Just("\\x41".to_string())], 1..4),
        choice in any::<u64>(),
        bind_mask in any::<u64>(),
    ) {
        let used = names(&pieces);
        let vars = values_for(&used, &values);
        let (source, expected) = build(&pieces, escapes, &vars, choice);
        let t = Template::parse(&source, escapes, &|n| used.contains(n))
            .map_err(|e| TestCaseError::fail(format!("{source:?}: {e} at {}", e.offset)))?;
        prop_assert_eq!(t.is_literal(), used.is_empty());
        prop_assert_eq!(&t.render(&vars), &expected);
        prop_assert_eq!(t.render_text(&vars), String::from_utf8_lossy(&expected).into_owned());
        // Binding some variables first (as matrix expansion does) changes nothing.
        let (bound, rest): (Vars, Vars) = vars
            .clone()
            .into_iter()
            .enumerate()
            .fold((Vars::new(), Vars::new()), |(mut b, mut r), (i, (k, v))| {
                if (bind_mask >> (i % 64)) & 1 == 1 { b.insert(k, v); } else { r.insert(k, v); }
                (b, r)
            });
        let partly = t.bind(&bound);
        prop_assert_eq!(partly.is_literal(), rest.is_empty());
        prop_assert_eq!(&partly.render(&rest), &expected);
        let fully = partly.bind(&rest);
        prop_assert!(fully.is_literal());
        prop_assert_eq!(fully.literal_len(), Some(expected.len()));
        prop_assert_eq!(&fully.render(&Vars::new()), &expected);
    }

    #[test]
    fn unknown_variables_are_errors_at_their_braces(
        (escapes, mut pieces) in pieces_and_mode(),
        at in any::<usize>(),
        unknown in var_name(),
        choice in any::<u64>(),
    ) {
        // Longer than any generated name, so it cannot collide with one.
        let name = format!("zz_unknown_{unknown}");
        let at = at % (pieces.len() + 1);
        pieces.insert(at, Piece::Var { name: name.clone(), pad_left: String::new(), pad_right: " ".into() });
        let known = names(&pieces);
        let vars: Vars = known.iter().map(|n| (n.clone(), String::new())).collect();
        let (source, _) = build(&pieces, escapes, &vars, choice);
        let err = Template::parse(&source, escapes, &|n| n != name && known.contains(n))
            .expect_err("a reference to an unknown variable is an error");
        prop_assert_eq!(&err.message, &format!("unknown variable `{name}`"));
        let open = source.find(&format!("{{{{{name} }}}}")).expect("reference is in the source");
        prop_assert_eq!(err.offset, source[..open].chars().count());
    }
}
