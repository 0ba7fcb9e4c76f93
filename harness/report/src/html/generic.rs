//! Result data the HTML report has no dedicated view for, shown as an indented key/value list.
//!
//! A case result is serialized to JSON and every key this report already renders is removed;
//! whatever remains (a field added to the result model later, such as the WebSocket verdict
//! axes and frames) appears under "More result data" without any change here. Long strings and
//! arrays are cut with a marker so an unexpected bulk field cannot blow the page up.

use serde_json::Value;
use wirecheck_core::result::CaseResult;

/// Keys of a serialized `CaseResult` that have their own place on the page.
const RENDERED: &[&str] = &[
    "id",
    "title",
    "spec",
    "level",
    "tags",
    "file",
    "line",
    "verdict",
    "duration_ms",
    "message",
    "failure",
    "findings",
    "statuses",
    "params",
    "expected",
    "transcript",
];

/// Items of an array shown before the rest is counted.
const MAX_ITEMS: usize = 50;
/// Characters of a string shown before the rest is counted.
const MAX_CHARS: usize = 2048;
/// Rows per case; the rest is counted.
const MAX_ROWS: usize = 400;

/// One row: a key (or `[3]` for an array item) at a depth, with a scalar value or nothing
/// when children follow.
pub(crate) struct KvRow {
    /// Nesting depth, from 0 (used for indentation).
    pub(crate) depth: usize,
    /// Key or index.
    pub(crate) key: String,
    /// The value of a scalar; empty for objects and arrays.
    pub(crate) value: String,
}

/// A second verdict axis, found by JSON pointer in a serialized result: the label shown and
/// where the value is. WebSocket results carry Autobahn's closing-behaviour verdict.
const AXES: &[(&str, &str)] = &[("close", "/websocket/behavior_close")];

/// What the page shows of the fields it has no dedicated view for.
pub(crate) struct Extra {
    /// Every such field, flattened.
    pub(crate) rows: Vec<KvRow>,
    /// A second verdict axis (`close: UNCLEAN`), when the result has one.
    pub(crate) axis: Option<String>,
}

/// The fields of `case` this report does not render otherwise.
pub(crate) fn extra(case: &CaseResult) -> Extra {
    let Ok(Value::Object(mut map)) = serde_json::to_value(case) else {
        return Extra {
            rows: Vec::new(),
            axis: None,
        };
    };
    for key in RENDERED {
        map.remove(*key);
    }
    let value = Value::Object(map);
    let axis = AXES.iter().find_map(|(label, pointer)| {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(|v| format!("{label}: {}", crate::detail::printable(v)))
    });
    let Value::Object(map) = value else {
        unreachable!("built as an object above")
    };
    Extra {
        rows: rows(&map),
        axis,
    }
}

fn rows(map: &serde_json::Map<String, Value>) -> Vec<KvRow> {
    let mut rows = Vec::new();
    for (k, v) in map {
        push(&mut rows, 0, k.clone(), v);
    }
    if rows.len() > MAX_ROWS {
        let more = rows.len() - MAX_ROWS;
        rows.truncate(MAX_ROWS);
        rows.push(KvRow {
            depth: 0,
            key: "…".into(),
            value: format!("[{more} more rows not shown; see the JSON report]"),
        });
    }
    rows
}

fn push(rows: &mut Vec<KvRow>, depth: usize, key: String, v: &Value) {
    if rows.len() > MAX_ROWS {
        return;
    }
    match v {
        Value::Object(map) => {
            rows.push(KvRow {
                depth,
                key,
                value: if map.is_empty() {
                    "{}".into()
                } else {
                    String::new()
                },
            });
            for (k, v) in map {
                push(rows, depth + 1, k.clone(), v);
            }
        }
        Value::Array(items) => {
            rows.push(KvRow {
                depth,
                key,
                value: if items.is_empty() {
                    "[]".into()
                } else {
                    String::new()
                },
            });
            for (i, v) in items.iter().take(MAX_ITEMS).enumerate() {
                push(rows, depth + 1, format!("[{i}]"), v);
            }
            if items.len() > MAX_ITEMS {
                rows.push(KvRow {
                    depth: depth + 1,
                    key: "…".into(),
                    value: format!("[{} more items not shown]", items.len() - MAX_ITEMS),
                });
            }
        }
        Value::String(s) => {
            let n = s.chars().count();
            let value = if n > MAX_CHARS {
                let head: String = s.chars().take(MAX_CHARS).collect();
                format!("{head}[… {} more characters not shown]", n - MAX_CHARS)
            } else {
                s.clone()
            };
            rows.push(KvRow {
                depth,
                key,
                value: crate::detail::printable(&value),
            });
        }
        other => rows.push(KvRow {
            depth,
            key,
            value: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_data_flattens_with_depth_and_caps() {
        let v = serde_json::json!({
            "websocket": {"behavior": "OK", "received": (0..60).map(|i| format!("text {i}")).collect::<Vec<_>>()},
            "n": 3
        });
        let Value::Object(map) = v else {
            unreachable!()
        };
        let r = rows(&map);
        assert_eq!(
            (r[0].depth, r[0].key.as_str(), r[0].value.as_str()),
            (0, "n", "3")
        );
        assert_eq!(
            (r[1].depth, r[1].key.as_str(), r[1].value.as_str()),
            (0, "websocket", "")
        );
        assert_eq!(
            (r[2].depth, r[2].key.as_str(), r[2].value.as_str()),
            (1, "behavior", "OK")
        );
        assert!(r.iter().any(|x| x.value == "[10 more items not shown]"));
    }
}
